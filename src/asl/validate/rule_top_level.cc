// Rule: the top-level object of a definition (its own fields and their types).
// StartAt/States are checked by the container rule like any other container.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckTopLevel(const Json& def, Sink& sink) {
  if (!def.is_object()) {
    sink.Schema("Expected value of type [OBJECT]", "");
    return;
  }
  for (const auto& m : def.get_object()) {
    const std::string& k = m.key;
    if (k == "StartAt" || k == "States") continue;  // container rule
    if (k == "Comment" || k == "Version") {
      if (!m.value.is_string()) sink.Schema("Expected value of type [STRING]", "/" + k);
    } else if (k == "TimeoutSeconds") {
      CheckInteger(def, k, 1, kMaxSeconds, "", false, sink);
    } else if (k == "QueryLanguage") {
      if (!m.value.is_string()) {
        sink.Schema("Expected value of type [STRING]", "/QueryLanguage");
      } else if (m.value.get_string() != "JSONPath" && m.value.get_string() != "JSONata") {
        sink.Schema("Value should be one of the following: [JSONPath, JSONata]", "/QueryLanguage");
      }
    } else {
      sink.Schema("Field '" + k + "' is not supported", "");
    }
  }
}

}  // namespace stepline::asl::validate_internal

// Rule: Catch is an array of catchers: ErrorEquals and Next required; ResultPath
// (JSONPath) or Output (JSONata); Assign; Comment.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckCatch(const StateCtx& s, Sink& sink) {
  const Json* catches = s.state->find("Catch");
  if (catches == nullptr) return;
  if (!catches->is_array()) {
    sink.Schema("Expected value of type [ARRAY]", Join(s.location, "Catch"));
    return;
  }
  for (size_t i = 0; i < catches->size(); ++i) {
    const Json& c = (*catches)[i];
    std::string at = Index(s.location, "Catch", i);
    if (!c.is_object()) {
      sink.Schema("Expected value of type [OBJECT]", at);
      continue;
    }
    for (const auto& m : c.get_object()) {
      const std::string& k = m.key;
      if (k == "ErrorEquals") continue;
      if (k == "Next" || k == "Comment") {
        if (!m.value.is_string()) sink.Schema("Expected value of type [STRING]", Join(at, k));
      } else if (k == "ResultPath") {
        if (s.ql == QueryLanguage::kJsonata) {
          sink.Schema("The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only "
                      "supported for the 'JSONPath' QueryLanguage",
                      at);
        } else if (!m.value.is_null()) {
          CheckPath(m.value, "ResultPath", Join(at, k), true, false, sink);
        }
      } else if (k == "Output") {
        if (s.ql == QueryLanguage::kJsonPath) {
          sink.Schema("The QueryLanguage is set to 'JSONPath', but field 'Output' is only "
                      "supported for the 'JSONata' QueryLanguage",
                      at);
        } else {
          CheckJsonataValue(m.value, Join(at, k), sink);
        }
      } else if (k == "Assign") {
        CheckAssignObject(m.value, s.ql, Join(at, k), sink);
      } else {
        sink.Schema("Field '" + k + "' is not supported", at);
      }
    }
    std::string missing;
    for (const char* f : {"ErrorEquals", "Next"}) {
      if (c.find(f) == nullptr) missing += missing.empty() ? f : std::string(", ") + f;
    }
    if (!missing.empty()) sink.Schema("These fields are required: [" + missing + "]", at);
  }
}

}  // namespace stepline::asl::validate_internal

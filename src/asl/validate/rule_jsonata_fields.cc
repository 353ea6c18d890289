// Rule: in a JSONata state every "{% %}" string compiles (INVALID_JSONATA_EXPRESSION
// with the parser's message, at the field), and a string that opens "{%" closes
// with "%}". Fields with their own rule (Choices, Catch, Map sub-objects, numeric
// fields) are checked there.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckJsonataFields(const StateCtx& s, Sink& sink) {
  if (s.ql != QueryLanguage::kJsonata) return;
  for (const auto& m : s.state->get_object()) {
    const std::string& k = m.key;
    if (k == "Arguments" || k == "Output" || k == "Items" || k == "ItemSelector") {
      if (k == "Arguments" && !m.value.is_object() && !IsJsonataString(m.value)) {
        sink.Schema("The field 'Arguments' must be an object or a JSONata expression", Join(s.location, k));
        continue;
      }
      if (k == "Items" && !m.value.is_array() && !IsJsonataString(m.value)) {
        sink.Schema("The field 'Items' must be an array or a JSONata expression", Join(s.location, k));
        continue;
      }
      CheckJsonataValue(m.value, Join(s.location, k), sink);
    }
  }
}

}  // namespace stepline::asl::validate_internal

// Rule: a state's QueryLanguage and the fields of each language.
// Measured against AWS (ValidateStateMachineDefinition):
//  - the value must be exactly "JSONPath" or "JSONata" ("Value should be one of
//    the following: [JSONPath, JSONata]" / "Expected value of type [STRING]",
//    at /States/X/QueryLanguage); anything but exactly "JSONPath" behaves as JSONata;
//  - a state of a JSONata machine cannot declare "JSONPath" ("'QueryLanguage'
//    can not be 'JSONPath' if set to 'JSONata' for whole state machine", at the
//    state), and then the other-language fields of that state are not reported;
//  - a field of the other language is reported at the state: "The QueryLanguage
//    is set to 'JSONPath', but field 'Output' is only supported for the
//    'JSONata' QueryLanguage" (and the converse).

#include "asl/validate/field_table.h"
#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckQueryLanguage(const StateCtx& s, Sink& sink) {
  const Json* ql = s.state->find("QueryLanguage");
  if (s.ql_downgrade) {
    sink.Schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                s.location);
  } else {
    for (const auto& m : s.state->get_object()) {
      if (!IsFieldOfType(s.type, m.key)) continue;  // reported as unsupported
      if (s.ql == QueryLanguage::kJsonPath && IsJsonataOnlyField(m.key)) {
        sink.Schema("The QueryLanguage is set to 'JSONPath', but field '" + m.key +
                        "' is only supported for the 'JSONata' QueryLanguage",
                    s.location);
      } else if (s.ql == QueryLanguage::kJsonata && IsJsonPathOnlyField(m.key)) {
        sink.Schema("The QueryLanguage is set to 'JSONata', but field '" + m.key +
                        "' is only supported for the 'JSONPath' QueryLanguage",
                    s.location);
      }
    }
  }
  if (ql != nullptr) {
    if (!ql->is_string()) {
      sink.Schema("Expected value of type [STRING]", Join(s.location, "QueryLanguage"));
    } else if (ql->get_string() != "JSONPath" && ql->get_string() != "JSONata") {
      sink.Schema("Value should be one of the following: [JSONPath, JSONata]",
                  Join(s.location, "QueryLanguage"));
    }
  }
}

}  // namespace stepline::asl::validate_internal

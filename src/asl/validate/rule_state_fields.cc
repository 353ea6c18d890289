// Rule: a state carries only the fields of its type. AWS: "Field 'X' is not
// supported" located at the state (not at the field). Fields of the type that
// belong to the other query language are the query-language rule's business.

#include "asl/validate/field_table.h"
#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckStateFields(const StateCtx& s, Sink& sink) {
  if (s.type.empty()) return;
  if (!IsFieldOfType(s.type, "Type") || !s.state->is_object()) return;
  // Unknown Type values are reported by the type rule; fields then can't be judged.
  static const char* const kTypes[] = {"Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"};
  bool known = false;
  for (const char* t : kTypes) known = known || s.type == t;
  if (!known) return;
  for (const auto& m : s.state->get_object()) {
    if (!IsFieldOfType(s.type, m.key)) sink.Schema("Field '" + m.key + "' is not supported", s.location);
  }
}

}  // namespace stepline::asl::validate_internal

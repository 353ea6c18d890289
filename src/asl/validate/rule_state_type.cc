// Rule: a state is an object with a known Type.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckStateType(const StateCtx& s, Sink& sink) {
  if (!s.state->is_object()) {
    sink.Schema("Expected value of type [OBJECT]", s.location);
    return;
  }
  const Json* t = s.state->find("Type");
  if (t == nullptr) {
    sink.Schema("These fields are required: [Type]", s.location);
    return;
  }
  static const char* const kTypes[] = {"Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"};
  if (t->is_string()) {
    for (const char* k : kTypes) {
      if (t->get_string() == k) return;
    }
  }
  sink.Schema("The field 'Type' should have one of these values: "
              "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
              Join(s.location, "Type"));
}

}  // namespace stepline::asl::validate_internal

// Rule: a state that is not Choice, Succeed or Fail has exactly one of Next
// (a state name) and End (true).

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckNextEnd(const StateCtx& s, Sink& sink) {
  if (s.type != "Task" && s.type != "Pass" && s.type != "Wait" && s.type != "Parallel" && s.type != "Map") {
    return;  // Choice/Succeed/Fail: Next and End are unsupported fields
  }
  const Json* next = s.state->find("Next");
  const Json* end = s.state->find("End");
  if (next != nullptr && !next->is_string()) {
    sink.Schema("Expected value of type [STRING]", Join(s.location, "Next"));
  }
  if (end != nullptr && !end->is_bool()) {
    sink.Schema("Expected value of type [BOOLEAN]", Join(s.location, "End"));
    return;
  }
  bool is_end = end != nullptr && end->get_bool();
  if (next != nullptr && is_end) {
    sink.Schema("Field 'Next' is not supported when 'End' is true", s.location);
  } else if (next == nullptr && !is_end) {
    sink.Schema("Either 'Next' or 'End' (true) is required", s.location);
  }
}

}  // namespace stepline::asl::validate_internal

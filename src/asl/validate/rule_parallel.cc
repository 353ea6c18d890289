// Rule: a Parallel state has a non-empty Branches array of containers (the
// walk checks each branch as a container).

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckParallel(const StateCtx& s, Sink& sink) {
  const Json* b = s.state->find("Branches");
  if (b == nullptr) {
    sink.Schema("These fields are required: [Branches]", s.location);
  } else if (!b->is_array()) {
    sink.Schema("Expected value of type [ARRAY]", Join(s.location, "Branches"));
  } else if (b->size() == 0) {
    sink.Schema("Branches must contain at least one branch", Join(s.location, "Branches"));
  }
}

}  // namespace stepline::asl::validate_internal

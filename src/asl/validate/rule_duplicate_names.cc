// Rule: state names are unique across the whole machine, Parallel branches and
// Map processors included (a name identifies a state in history events).

#include <unordered_set>

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckDuplicateStateNames(const std::vector<StateCtx>& states, Sink& sink) {
  std::unordered_set<std::string> seen;
  for (const StateCtx& s : states) {
    if (!seen.insert(s.name).second) {
      sink.Error("DUPLICATE_STATE_NAME", "Duplicate State name: " + s.name, s.location);
    }
  }
}

}  // namespace stepline::asl::validate_internal

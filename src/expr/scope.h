#pragma once
// What a JSONPath-language expression can read while it is evaluated.

#include <string_view>

#include "base/json.h"
#include "base/random.h"

namespace stepline::expr {

// Workflow variables visible to a state ($name references). Implemented by the
// runtime over its frame chain (a branch sees its parents' variables).
class VariableLookup {
 public:
  virtual ~VariableLookup() = default;
  // The variable's value, or nullptr when it was never assigned.
  virtual const Json* Find(std::string_view name) const = 0;
};

struct Scope {
  Json input;                            // "$": the state's effective input
  Json context;                          // "$$": the context object
  const VariableLookup* vars = nullptr;  // "$name"; null means no variables
  Random* random = nullptr;              // States.UUID, States.MathRandom
};

}  // namespace stepline::expr

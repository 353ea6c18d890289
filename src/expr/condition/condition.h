#pragma once
// A Choice rule of the JSONPath query language: the 39 comparison operators
// (StringEquals ... TimestampLessThanEqualsPath, with their Path twins),
// IsNull/IsPresent/IsNumeric/IsString/IsBoolean/IsTimestamp, StringMatches,
// And/Or/Not, nested to any depth. Compiled once; immutable and safe to share.

#include <memory>

#include "base/json.h"
#include "base/status.h"
#include "expr/scope.h"

namespace stepline::expr {

class Condition {
 public:
  // Compiles one rule object. Top-level keys "Next", "Comment" and "Assign"
  // of a choice rule are ignored here (the state model reads them).
  // Error: Status name "InvalidCondition" / "InvalidPath".
  static Result<Condition> Compile(const Json& rule);

  // Errors: "States.Runtime" with AWS's text (e.g. a Variable path that is not
  // present for an operator other than IsPresent), without the state prefix.
  Result<bool> Eval(const Scope& scope) const;

  Condition(Condition&&) noexcept;
  Condition& operator=(Condition&&) noexcept;
  Condition(const Condition&);
  Condition& operator=(const Condition&);
  ~Condition();

  struct Impl;

 private:
  explicit Condition(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace stepline::expr

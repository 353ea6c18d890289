#pragma once
// The 18 intrinsic functions of the JSONPath query language (States.Format,
// States.StringToJson, States.JsonToString, States.Array, States.ArrayPartition,
// States.ArrayContains, States.ArrayRange, States.ArrayGetItem,
// States.ArrayLength, States.ArrayUnique, States.Base64Encode,
// States.Base64Decode, States.Hash, States.JsonMerge, States.MathRandom,
// States.MathAdd, States.StringSplit, States.UUID), nested calls included.
// Compiled once; a compiled call is immutable and safe to share.

#include <memory>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/status.h"
#include "expr/scope.h"

namespace stepline::expr {

class IntrinsicCall {
 public:
  // True when `text` has the shape of a call ("States.Name(...)"), so a
  // ".$" value is compiled as a call rather than as a path.
  static bool LooksLikeCall(std::string_view text);
  // Error: Status name "InvalidIntrinsic" with a message naming the problem
  // (unknown function, wrong argument count or literal types, bad syntax).
  static Result<IntrinsicCall> Compile(std::string_view text);

  const std::string& text() const;
  // Errors carry AWS's names: "States.Runtime" for bad argument values and
  // limits ("Invalid arguments in States.MathAdd"; AWS departs from the ASL
  // spec's States.IntrinsicFailure here, see kIntrinsicErrorName) and for a
  // path argument not found, with AWS's cause
  // text minus the "An error occurred while executing the state ..." prefix,
  // which the runtime adds.
  Result<Json> Eval(const Scope& scope) const;
  // As Eval; `field` names the template key ("value.$") for the message AWS
  // gives when a path argument is not found.
  Result<Json> Eval(const Scope& scope, std::string_view field) const;

  IntrinsicCall(IntrinsicCall&&) noexcept;
  IntrinsicCall& operator=(IntrinsicCall&&) noexcept;
  IntrinsicCall(const IntrinsicCall&);
  IntrinsicCall& operator=(const IntrinsicCall&);
  ~IntrinsicCall();

  struct Impl;

 private:
  explicit IntrinsicCall(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace stepline::expr

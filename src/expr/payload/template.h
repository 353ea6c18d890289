#pragma once
// Payload templates of the JSONPath query language: Parameters, ResultSelector,
// ItemSelector and the Parameters of a legacy Map. Keys ending in ".$" take the
// value of a path ($, $$, $var) or an intrinsic call; everything else is
// literal. Compiled once; immutable and safe to share.

#include <memory>
#include <string_view>

#include "base/json.h"
#include "base/status.h"
#include "expr/scope.h"

namespace stepline::expr {

class Template {
 public:
  // `field` names the ASL field for messages ("Parameters", "ResultSelector").
  // Error: Status name "InvalidPath" / "InvalidIntrinsic" / "InvalidTemplate".
  static Result<Template> Compile(const Json& tmpl, std::string_view field);

  // Errors: "States.Runtime" with AWS's text, e.g. "The JSONPath '$.x'
  // specified for the field 'value.$' could not be found in the input '{...}'",
  // or "States.IntrinsicFailure"; without the "An error occurred while
  // executing the state ..." prefix, which the runtime adds.
  Result<Json> Eval(const Scope& scope) const;

  Template(Template&&) noexcept;
  Template& operator=(Template&&) noexcept;
  Template(const Template&);
  Template& operator=(const Template&);
  ~Template();

  struct Impl;

 private:
  explicit Template(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace stepline::expr

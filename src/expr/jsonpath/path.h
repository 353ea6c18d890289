#pragma once
// JSONPath as Step Functions evaluates it (AWS uses Jayway JsonPath): compiled
// once, evaluated many times. Thread-compatible; a compiled Path is immutable
// and safe to share across threads.

#include <memory>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/status.h"
#include "expr/scope.h"

namespace stepline::expr {

class Path {
 public:
  enum class Root { kInput, kContext, kVariable };

  // Compiles "$", "$.a.b", "$['a']", "$.a[0]", "$.a[*]", "$.a[1:3]", "$.a[0,2]",
  // "$..a", "$.a[?(@.b > 1)]", "$$.Execution.Id", "$var.x" and so on.
  // Error: Status name "InvalidPath", message naming the problem.
  static Result<Path> Compile(std::string_view text);

  const std::string& text() const;
  Root root() const;
  // The variable name for Root::kVariable ("x" for "$x.a"), empty otherwise.
  const std::string& variable() const;
  // True when the path selects at most one value (no wildcard, slice, union,
  // filter or recursive descent): a "Reference Path" in the ASL spec.
  bool is_definite() const;

  // Selects from `doc` (the document of this path's root). A definite path
  // yields the value; an indefinite path yields the array of matches (possibly
  // empty, as Jayway does). A definite path that does not match fails with
  // Status name "PathNotFound" and Jayway's wording as message, e.g.
  // "Missing property in path $['a']" / "No results for path: $['a']".
  Result<Json> Select(const Json& doc) const;
  // Selects from the root this path names within `scope` ($, $$ or $var).
  Result<Json> Eval(const Scope& scope) const;

  // ResultPath semantics: a copy of `doc` with `value` placed at this (definite)
  // path, creating intermediate objects as AWS does; untouched parts of `doc`
  // are shared, not copied. Errors: Status name "PathNotFound" / "InvalidPath"
  // with a message for the runtime to wrap.
  Result<Json> Put(const Json& doc, Json value) const;

  Path(Path&&) noexcept;
  Path& operator=(Path&&) noexcept;
  Path(const Path&);
  Path& operator=(const Path&);
  ~Path();

  struct Impl;

 private:
  explicit Path(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace stepline::expr

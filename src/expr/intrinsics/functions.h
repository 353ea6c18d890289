#pragma once
// Internal to expr/intrinsics: the table of the 18 States.* functions. Each
// function receives its already evaluated arguments.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "expr/scope.h"

namespace stepline::expr::intrinsics {

// AWS reports bad intrinsic arguments as States.Runtime ("Invalid arguments in
// States.MathAdd"), not the ASL spec's States.IntrinsicFailure (observed on AWS).
inline constexpr std::string_view kIntrinsicErrorName = "States.Runtime";

// States.Format's template split at its "{}" placeholders: pieces.size() - 1
// placeholders. A literal template is split at compile time (honouring the
// \{ \} escapes); a template from a path is split when evaluated.
struct FormatTemplate {
  std::vector<std::string> pieces;
};

struct CallContext {
  const Scope* scope;
  const FormatTemplate* literal_template;  // States.Format with a literal 1st argument
};

using Fn = Result<Json> (*)(const CallContext& ctx, std::vector<Json>& args);

struct FunctionSpec {
  std::string_view name;  // "States.Format"
  int min_args;
  int max_args;  // -1: any number
  Fn fn;
};

const FunctionSpec* FindFunction(std::string_view name);
Status InvalidArguments(std::string_view function);
// Splits a template at unescaped "{}"; nullopt when a brace is unbalanced.
// `escapes` marks characters that were escaped in the literal (may be empty).
std::optional<FormatTemplate> SplitFormat(std::string_view text, const std::vector<bool>& escapes);
// Java's String.valueOf of the value States.Format substitutes ({a=1, b=[x, y]}).
void AppendJavaString(std::string& out, const Json& v);
// Number of UTF-16 code units (Java's String.length()) of UTF-8 text.
size_t Utf16Length(std::string_view s);

}  // namespace stepline::expr::intrinsics

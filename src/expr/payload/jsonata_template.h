#pragma once
// Payload templates of the JSONata query language: Arguments, Output, Assign,
// Items, ItemSelector, Condition and the JSONata forms of numeric and string
// fields. Any JSON value; a string that is exactly "{% expr %}" is a JSONata
// expression, every other string is literal (no ".$" keys). Compiled once;
// immutable and safe to share across threads.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/status.h"
#include "expr/jsonata/jsonata.h"

namespace stepline::expr {

// AWS's error for a JSONata evaluation that fails or yields a wrong type.
inline constexpr const char* kQueryEvaluationError = "States.QueryEvaluationError";

class JsonataTemplate {
 public:
  // True for a string that opens with "{%" and closes with "%}".
  static bool IsExpression(const Json& v);

  // `field` names the ASL field for messages ("Output", "Arguments").
  // Error: Status named by the JSONata code (e.g. "S0201") with its message.
  static Result<JsonataTemplate> Compile(const Json& tmpl, std::string_view field);

  // Evaluates every embedded expression with undefined input and `bindings`
  // ($states, workflow variables). Errors (name kQueryEvaluationError, without
  // the state prefix the runtime adds), for an expression at 'Output/result':
  //   "The JSONata expression '$x' specified for the field 'Output/result'
  //    returned nothing (undefined)."
  //   "... threw an error during evaluation. T1006: Attempted to invoke a non-function"
  Result<Json> Eval(const jsonata::Bindings* bindings, const jsonata::EvalOptions& options) const;

  // The expression text when the whole template is one expression ("{% 1 %}"
  // gives "1"), else nullptr. For result-type messages.
  const std::string* expression() const;
  // True when no expression is embedded: Eval returns the literal, shared.
  bool is_constant() const;
  const std::string& field() const;

  // "The JSONata expression 'E' specified for the field 'F' returned an
  // unexpected result type. Expected 'array', but was 'object' for value: {..}"
  static std::string TypeMismatch(std::string_view expr, std::string_view field, std::string_view expected,
                                  const Json& value);

  JsonataTemplate(JsonataTemplate&&) noexcept;
  JsonataTemplate& operator=(JsonataTemplate&&) noexcept;
  JsonataTemplate(const JsonataTemplate&);
  JsonataTemplate& operator=(const JsonataTemplate&);
  ~JsonataTemplate();

  struct Impl;

 private:
  explicit JsonataTemplate(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace stepline::expr

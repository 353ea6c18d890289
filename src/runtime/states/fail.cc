// Fail: the frame fails with Error/Cause (literal, path or intrinsic).
#include <fmt/format.h>

#include "expr/payload/jsonata_template.h"
#include "runtime/errors.h"
#include "runtime/internal.h"

namespace stepline::runtime {

namespace {
// Evaluates ErrorPath/CausePath. AWS requires the value to be a string.
Result<std::optional<std::string>> Resolve(const asl::DynamicString& d, const expr::Scope& scope,
                                           const char* field) {
  if (d.literal) return std::optional<std::string>(*d.literal);
  if (!d.path && !d.call) return std::optional<std::string>();
  Result<Json> v = d.path ? d.path->Eval(scope) : d.call->Eval(scope);
  if (!v.ok()) {
    if (d.path)
      return Status::Error(kErrRuntime,
                           fmt::format("The JSONPath '{}' specified for the field '{}' could not be found in the "
                                       "input '{}'",
                                       d.path->text(), field, scope.input.Dump()));
    return v.status();
  }
  if (!v->is_string())
    return Status::Error(kErrRuntime, fmt::format("The JSONPath '{}' specified for the field '{}' must resolve to a "
                                                  "string, but it resolved to '{}'",
                                                  d.path ? d.path->text() : d.call->text(), field, v->Dump()));
  return std::optional<std::string>(v->get_string());
}
}  // namespace

void Execution::Impl::RunFail(Frame& f) {
  const asl::State& s = *f.state;
  if (s.jsonata()) {
    StatesBindings b(*this, f, f.raw_input);
    std::string out[2];
    const asl::DynamicString* fields[2] = {&s.error, &s.cause};
    const char* names[2] = {"Error", "Cause"};
    for (int i = 0; i < 2; ++i) {
      const asl::DynamicString& d = *fields[i];
      if (d.literal) {
        out[i] = *d.literal;
      } else if (d.jsonata) {
        auto v = d.jsonata->Eval(&b, JsonataOptions());
        if (!v.ok()) return StateFailed(f, v.status(), names[i]);
        if (!v->is_string()) {
          const std::string* text = d.jsonata->expression();
          return StateFailed(f,
                             Status::Error(expr::kQueryEvaluationError,
                                           expr::JsonataTemplate::TypeMismatch(text ? *text : "", names[i],
                                                                               "string", *v)),
                             names[i]);
        }
        out[i] = v->get_string();
      }
    }
    return FailFrame(f, std::move(out[0]), std::move(out[1]));
  }
  auto eff = InputPath(f);
  if (!eff.ok()) return HandleError(f, eff.status().name(), StateError(f, eff.status()).message());
  expr::Scope scope = ScopeFor(f, std::move(eff).value());
  auto err = Resolve(s.error, scope, "ErrorPath");
  if (!err.ok()) return FailExecution(err.status().name(), StateError(f, err.status()).message());
  auto cse = Resolve(s.cause, scope, "CausePath");
  if (!cse.ok()) return FailExecution(cse.status().name(), StateError(f, cse.status()).message());
  FailFrame(f, err->value_or(""), cse->value_or(""));
}

}  // namespace stepline::runtime

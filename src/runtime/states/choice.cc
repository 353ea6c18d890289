// Choice: the first rule that matches names the next state, else Default,
// else States.NoChoiceMatched.
#include <fmt/format.h>

#include "runtime/errors.h"
#include "runtime/internal.h"

namespace stepline::runtime {

void Execution::Impl::RunChoice(Frame& f) {
  const asl::State& s = *f.state;
  auto eff = InputPath(f);
  if (!eff.ok()) return HandleError(f, eff.status().name(), StateError(f, eff.status()).message());
  expr::Scope scope = ScopeFor(f, std::move(eff).value());
  const asl::State* next = s.default_state;
  for (const auto& rule : s.choices) {
    auto m = rule.condition.Eval(scope);
    if (!m.ok()) return HandleError(f, m.status().name(), StateError(f, m.status()).message());
    if (*m) {
      next = rule.next_state;
      break;
    }
  }
  if (!next) {
    return FailFrame(f, kErrNoChoiceMatched,
                     fmt::format("No Matches! at state \"{}\"", s.name));
  }
  auto out = OutputPath(f, std::move(scope.input));
  if (!out.ok()) return HandleError(f, out.status().name(), StateError(f, out.status()).message());
  TransitionTo(f, std::move(out).value(), next);
}

}  // namespace stepline::runtime

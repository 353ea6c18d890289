// Pass: InputPath → Parameters → (Result) → ResultPath → OutputPath.
#include "runtime/internal.h"

namespace stepline::runtime {

void Execution::Impl::RunPass(Frame& f) {
  const asl::State& s = *f.state;
  auto eff = InputPath(f);
  if (!eff.ok()) return HandleError(f, eff.status().name(), StateError(f, eff.status()).message());
  Json result;
  if (s.result) {
    result = *s.result;  // Parameters are not evaluated when Result is given
  } else if (s.parameters) {
    auto p = s.parameters->Eval(ScopeFor(f, std::move(eff).value()));
    if (!p.ok()) return HandleError(f, p.status().name(), StateError(f, p.status()).message());
    result = std::move(p).value();
  } else {
    result = std::move(eff).value();
  }
  auto merged = ResultPath(f, s.result_path, std::move(result));
  if (!merged.ok()) return HandleError(f, merged.status().name(), StateError(f, merged.status()).message());
  auto out = OutputPath(f, std::move(merged).value());
  if (!out.ok()) return HandleError(f, out.status().name(), StateError(f, out.status()).message());
  Transition(f, std::move(out).value());
}

}  // namespace stepline::runtime

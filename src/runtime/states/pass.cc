// Pass. JSONPath: InputPath → Parameters → (Result) → ResultPath → OutputPath,
// with Assign reading the result. JSONata: Output (default: the input) and Assign.
#include "runtime/internal.h"

namespace stepline::runtime {

void Execution::Impl::RunPassJsonata(Frame& f) {
  const asl::State& s = *f.state;
  StatesBindings b(*this, f, f.raw_input);
  Json out;
  if (JsonataFinish(f, b, s.assign, s.output, f.raw_input, &out)) Transition(f, std::move(out));
}

void Execution::Impl::RunPass(Frame& f) {
  const asl::State& s = *f.state;
  if (s.jsonata()) return RunPassJsonata(f);  // kept apart: the JSONPath path is the hot one
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
  if (s.assign.present()) {
    // Assign reads the result ("$"); its variables take effect after
    // OutputPath: recorded case test_state_assign_evaluation_order[BASE_EVALUATION_ORDER_PASS_STATE].
    Json out;
    if (JsonPathFinish(f, s.assign, result, true, result, &out)) Transition(f, std::move(out));
    return;
  }
  auto merged = ResultPath(f, s.result_path, std::move(result));
  if (!merged.ok()) return HandleError(f, merged.status().name(), StateError(f, merged.status()).message());
  auto out = OutputPath(f, std::move(merged).value());
  if (!out.ok()) return HandleError(f, out.status().name(), StateError(f, out.status()).message());
  Transition(f, std::move(out).value());
}

}  // namespace stepline::runtime

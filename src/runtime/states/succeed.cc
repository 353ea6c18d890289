// Succeed: InputPath → OutputPath (JSONata: Output), then the frame ends.
#include "runtime/internal.h"

namespace stepline::runtime {

void Execution::Impl::RunSucceed(Frame& f) {
  const asl::State& s = *f.state;
  if (s.jsonata()) {
    StatesBindings b(*this, f, f.raw_input);
    Json out;
    if (JsonataFinish(f, b, s.assign, s.output, f.raw_input, &out)) Transition(f, std::move(out));
    return;
  }
  auto eff = InputPath(f);
  if (!eff.ok()) return HandleError(f, eff.status().name(), StateError(f, eff.status()).message());
  auto out = OutputPath(f, std::move(eff).value());
  if (!out.ok()) return HandleError(f, out.status().name(), StateError(f, out.status()).message());
  Transition(f, std::move(out).value());
}

}  // namespace stepline::runtime

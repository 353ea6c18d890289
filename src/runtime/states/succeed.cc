// Succeed: InputPath → OutputPath, then the frame ends.
#include "runtime/internal.h"

namespace stepline::runtime {

void Execution::Impl::RunSucceed(Frame& f) {
  auto eff = InputPath(f);
  if (!eff.ok()) return HandleError(f, eff.status().name(), StateError(f, eff.status()).message());
  auto out = OutputPath(f, std::move(eff).value());
  if (!out.ok()) return HandleError(f, out.status().name(), StateError(f, out.status()).message());
  Transition(f, std::move(out).value());
}

}  // namespace stepline::runtime

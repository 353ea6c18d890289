// Parallel: every branch gets the effective input (JSONata: Arguments); the
// result is the array of branch outputs. One failing branch stops the others.
// A branch reads the variables of the enclosing frames; its own assignments
// stay in the branch.
#include "runtime/errors.h"
#include "runtime/internal.h"

namespace stepline::runtime {

void Execution::Impl::RunParallel(Frame& f) {
  const asl::State& s = *f.state;
  Json in;
  if (s.jsonata()) {
    in = f.raw_input;
    if (s.arguments) {
      StatesBindings b(*this, f, f.raw_input);
      auto p = s.arguments->Eval(&b, JsonataOptions());
      if (!p.ok()) return StateFailed(f, p.status(), "Arguments");
      in = std::move(p).value();
    }
  } else {
    auto eff = InputPath(f);
    if (!eff.ok()) return HandleError(f, eff.status().name(), StateError(f, eff.status()).message());
    in = std::move(eff).value();
    if (s.parameters) {
      auto p = s.parameters->Eval(ScopeFor(f, std::move(in)));
      if (!p.ok()) return HandleError(f, p.status().name(), StateError(f, p.status()).message());
      in = std::move(p).value();
    }
  }
  Emit(&f, history::EventType::kParallelStateStarted);
  f.effective = in;
  ReleaseChildren(f);
  f.results.assign(s.branches.size(), Json());
  f.completed = 0;
  f.phase = Frame::Phase::kChildren;
  for (size_t i = 0; i < s.branches.size(); ++i) {
    auto c = std::make_unique<Frame>();
    c->machine = s.branches[i].get();
    c->parent = &f;
    c->index = static_cast<int64_t>(i);
    c->state = c->machine->start;
    c->raw_input = in;
    c->last_id = f.last_id;
    c->detached = f.detached || (f.state->type == asl::StateType::kMap && f.state->distributed);
    ready.push_back(c.get());
    f.children.push_back(std::move(c));
  }
  if (s.branches.empty()) f.phase = Frame::Phase::kChildrenDone;
}

void Execution::Impl::ParallelChildDone(Frame& f, Frame& child) {
  if (f.phase != Frame::Phase::kChildren) return;  // already failed or aborted
  if (child.failed) {
    // AWS records the branch's failed Task state as aborted before the
    // Parallel fails (recorded cases test_parallel_catch_error[*] and
    // test_sqs_failure_in_wait_for_task_tok_no_error_field).
    if (child.state && child.state->type == asl::StateType::kTask) {
      Emit(&child, history::EventType::kTaskStateAborted);
      if (child.last_id > f.last_id) f.last_id = child.last_id;
    }
    AbortChildren(f);
    ReleaseChildren(f);
    HandleError(f, child.error, child.cause);  // retry, catch or fail: it sets the phase
    return;
  }
  f.results[static_cast<size_t>(child.index)] = child.output;
  if (child.last_id > f.last_id) f.last_id = child.last_id;
  if (++f.completed == static_cast<int64_t>(f.results.size())) f.phase = Frame::Phase::kChildrenDone;
}

void Execution::Impl::ParallelDone(Frame& f) {
  Emit(&f, history::EventType::kParallelStateSucceeded);
  ReleaseChildren(f);
  Json result(std::move(f.results));
  f.results.clear();
  f.phase = Frame::Phase::kReady;
  Json out;
  if (FinishWithResult(f, std::move(result), &out)) Transition(f, std::move(out));
}

}  // namespace stepline::runtime

// The engine: one transition path for every input. Each public entry point
// records the input, runs every ready frame until all are blocked or done, and
// reports the timers and tasks the step produced (DESIGN invariants 1 and 2).

#include "runtime/execution.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "runtime/errors.h"
#include "runtime/internal.h"

namespace stepline::runtime {

using history::EventType;

const char* ExecStatusName(ExecStatus s) {
  switch (s) {
    case ExecStatus::kRunning: return "RUNNING";
    case ExecStatus::kSucceeded: return "SUCCEEDED";
    case ExecStatus::kFailed: return "FAILED";
    case ExecStatus::kTimedOut: return "TIMED_OUT";
    case ExecStatus::kAborted: return "ABORTED";
  }
  return "?";
}

Execution::Execution(std::shared_ptr<const asl::Definition> definition, ExecutionInfo info)
    : impl_(std::make_unique<Impl>()) {
  impl_->def = std::move(definition);
  impl_->info = std::move(info);
}
Execution::~Execution() = default;

ExecStatus Execution::status() const { return impl_->status; }
const Json& Execution::output() const { return impl_->output; }
const std::string& Execution::error() const { return impl_->error; }
const std::string& Execution::cause() const { return impl_->cause; }
bool Execution::has_error() const { return impl_->has_error; }
bool Execution::has_cause() const { return impl_->has_cause; }
const ExecutionInfo& Execution::info() const { return impl_->info; }
void Execution::set_environment(const Environment* env) { impl_->env = env; }
Micros Execution::start_time() const { return impl_->start_time; }
Micros Execution::stop_time() const { return impl_->stop_time; }
const history::EventLog& Execution::events() const { return impl_->events; }
history::EventLog Execution::DrainEvents() {
  impl_->event_base += static_cast<int64_t>(impl_->events.size());
  history::EventLog out;
  out.swap(impl_->events);
  return out;
}
int64_t Execution::event_count() const { return impl_->event_base + static_cast<int64_t>(impl_->events.size()); }

namespace {
// Binds the per-step arguments for the duration of one public call.
struct StepScope {
  StepScope(Execution::Impl& impl, Micros now, Random* random, Effects& out) : impl_(impl) {
    impl.now = now;
    impl.random = random;
    impl.fx = &out;
  }
  ~StepScope() {
    if (impl_.history_full) impl_.HistoryLimitReached();
    impl_.random = nullptr;
    impl_.fx = nullptr;
  }
  Execution::Impl& impl_;
};
}  // namespace

void Execution::Start(Json input, Micros now, Random& random, Effects& out) {
  auto& m = *impl_;
  if (m.root) return;  // started already: starting is idempotent
  StepScope scope(m, now, &random, out);
  m.start_time = now;
  m.input = input;
  m.root = std::make_unique<Frame>();
  m.root->machine = m.def->root.get();
  auto& ev = m.Emit(m.root.get(), EventType::kExecutionStarted);
  ev.data = input;
  ev.has_data = true;
  ev.extra = m.info.role_arn;
  ev.extra2 = m.info.state_machine_arn;
  if (m.def->root->timeout_seconds)
    m.execution_timer = m.AddTimer(nullptr, TimerKind::kExecutionTimeout,
                                   now + *m.def->root->timeout_seconds * kMicrosPerSecond);
  m.root->state = m.def->root->start;
  m.root->raw_input = std::move(input);
  m.root->phase = Frame::Phase::kReady;
  m.ready.push_back(m.root.get());
  m.Run();
}

void Execution::TaskStarted(uint64_t task_id, const std::string& worker, Micros now, Effects& out) {
  auto& m = *impl_;
  auto it = m.tasks.find(task_id);
  if (it == m.tasks.end() || m.status != ExecStatus::kRunning) return;
  StepScope scope(m, now, nullptr, out);
  Frame& f = *it->second;
  if (f.state->task_kind == asl::TaskKind::kActivity && !f.task_started) {  // once per task
    f.task_started = true;
    auto& ev = m.Emit(&f, EventType::kActivityStarted);
    ev.extra = worker;
  }
}

void Execution::TaskSucceeded(uint64_t task_id, Json output, Micros now, Random& random, Effects& out) {
  auto& m = *impl_;
  auto it = m.tasks.find(task_id);
  if (it == m.tasks.end() || m.status != ExecStatus::kRunning) return;  // late or duplicate answer
  StepScope scope(m, now, &random, out);
  Frame& f = *it->second;
  m.tasks.erase(it);
  f.pending = 0;
  m.TaskResult(f, std::move(output));
  m.ready.push_back(&f);
  m.Run();
}

void Execution::TaskFailed(uint64_t task_id, std::string error, std::string cause, Micros now, Random& random,
                           Effects& out) {
  auto& m = *impl_;
  auto it = m.tasks.find(task_id);
  if (it == m.tasks.end() || m.status != ExecStatus::kRunning) return;
  StepScope scope(m, now, &random, out);
  Frame& f = *it->second;
  m.tasks.erase(it);
  f.pending = 0;
  m.TaskError(f, std::move(error), std::move(cause), false);
  m.ready.push_back(&f);
  m.Run();
}

bool Execution::TaskHeartbeat(uint64_t task_id, Micros now, Effects& out) {
  auto& m = *impl_;
  auto it = m.tasks.find(task_id);
  if (it == m.tasks.end() || m.status != ExecStatus::kRunning) return false;
  StepScope scope(m, now, nullptr, out);
  Frame& f = *it->second;
  if (f.heartbeat_timer) {
    m.CancelTimer(f.heartbeat_timer);
    f.heartbeat_timer = m.AddTimer(&f, TimerKind::kHeartbeat, now + f.heartbeat_seconds * kMicrosPerSecond);
  }
  return true;
}

void Execution::TimerFired(uint64_t timer_id, Micros now, Random& random, Effects& out) {
  auto& m = *impl_;
  auto it = m.timers.find(timer_id);
  if (it == m.timers.end() || m.status != ExecStatus::kRunning) return;  // cancelled or fired already
  StepScope scope(m, now, &random, out);
  Pending p = it->second;
  m.timers.erase(it);
  switch (p.kind) {
    case TimerKind::kExecutionTimeout: {
      m.execution_timer = 0;
      m.status = ExecStatus::kTimedOut;
      m.error = kErrTimeout;
      m.has_error = true;
      m.stop_time = now;
      auto& ev = m.Emit(m.root.get(), EventType::kExecutionTimedOut);
      ev.error = m.error;
      ev.has_error = true;
      m.CancelPending(*m.root);
      m.ready.clear();
      return;
    }
    case TimerKind::kWait:
      p.frame->pending = 0;
      m.WaitTimerFired(*p.frame);
      break;
    case TimerKind::kRetry:
      p.frame->pending = 0;
      m.StartWork(*p.frame);
      break;
    case TimerKind::kTaskTimeout:
    case TimerKind::kHeartbeat: {
      Frame& f = *p.frame;
      (p.kind == TimerKind::kTaskTimeout ? f.timeout_timer : f.heartbeat_timer) = 0;
      if (f.pending) {
        m.tasks.erase(f.pending);
        m.fx->cancelled_tasks.push_back(f.pending);
        f.pending = 0;
      }
      m.TaskError(f, p.kind == TimerKind::kTaskTimeout ? kErrTimeout : kErrHeartbeatTimeout, "", true);
      break;
    }
  }
  // The frame may now be ready (a transition) or finished; queuing it is harmless
  // either way, since Advance acts only on ready frames.
  m.ready.push_back(p.frame);
  m.Run();
}

void Execution::Stop(std::optional<std::string> error, std::optional<std::string> cause, Micros now,
                     Effects& out) {
  auto& m = *impl_;
  if (m.status != ExecStatus::kRunning) return;
  StepScope scope(m, now, nullptr, out);
  m.status = ExecStatus::kAborted;
  m.stop_time = now;
  m.has_error = error.has_value();
  m.has_cause = cause.has_value();
  m.error = error.value_or("");
  m.cause = cause.value_or("");
  if (m.root) m.CancelPending(*m.root);
  auto& ev = m.Emit(m.root.get(), EventType::kExecutionAborted);
  ev.error = m.error;
  ev.cause = m.cause;
  ev.has_error = m.has_error;
  ev.has_cause = m.has_cause;
  m.ready.clear();
}

Status Execution::Redrive(Micros now, Random& random, Effects& out) {
  auto& m = *impl_;
  if (m.status == ExecStatus::kRunning || m.status == ExecStatus::kSucceeded || !m.root || !m.root->state)
    return Status::Error("ExecutionNotRedrivable",
                         std::string("Execution with status ") + ExecStatusName(m.status) + " cannot be redriven");
  // AWS redrives only executions with fewer than 24,999 events (ExecutionRedriven needs one more).
  if (event_count() >= kMaxHistoryEvents - 1)
    return Status::Error("ExecutionNotRedrivable", "Execution history event limit exceeded");
  StepScope scope(m, now, &random, out);
  Frame& root = *m.root;
  // Forget whatever the failure left behind, then enter the failed state again.
  m.CancelPending(root);
  m.ReleaseChildren(root);
  root.results.clear();
  root.phase = Frame::Phase::kReady;
  root.failed = false;
  m.status = ExecStatus::kRunning;
  m.stop_time = 0;
  m.error.clear();
  m.cause.clear();
  m.has_error = m.has_cause = false;
  ++m.info.redrive_count;
  m.Emit(&root, EventType::kExecutionRedriven).index = m.info.redrive_count;
  if (m.def->root->timeout_seconds)
    m.execution_timer = m.AddTimer(nullptr, TimerKind::kExecutionTimeout,
                                   now + *m.def->root->timeout_seconds * kMicrosPerSecond);
  m.ready.push_back(&root);
  m.Run();
  return Status();
}

// ---- engine ------------------------------------------------------------------

namespace {
bool EndsExecution(EventType t) {
  return t == EventType::kExecutionSucceeded || t == EventType::kExecutionFailed ||
         t == EventType::kExecutionTimedOut || t == EventType::kExecutionAborted;
}
}  // namespace

history::Event& Execution::Impl::Emit(Frame* f, EventType type) {
  int64_t id = event_base + static_cast<int64_t>(events.size()) + 1;
  // Express executions keep no history, so only Standard ones have the limit.
  if (!history_full && id >= kMaxHistoryEvents && !info.express && !EndsExecution(type)) history_full = true;
  if ((f && f->detached) || history_full) {
    scratch = history::Event();
    return scratch;
  }
  history::Event& e = events.emplace_back();
  e.type = type;
  e.id = id;
  e.timestamp = now;
  if (f) {
    e.previous_id = f->last_id;
    f->last_id = e.id;
  } else {
    e.previous_id = e.id - 1;
  }
  return e;
}

uint64_t Execution::Impl::AddTimer(Frame* f, TimerKind kind, Micros due) {
  uint64_t id = next_id++;
  timers[id] = Pending{f, kind, due};
  fx->timers.push_back(TimerRequest{id, due, kind});
  return id;
}

void Execution::Impl::CancelTimer(uint64_t& id) {
  if (!id) return;
  if (timers.erase(id)) fx->cancelled_timers.push_back(id);
  id = 0;
}

void Execution::Impl::CancelPending(Frame& f) {
  if (f.pending) {
    if (tasks.erase(f.pending)) fx->cancelled_tasks.push_back(f.pending);
    if (timers.erase(f.pending)) fx->cancelled_timers.push_back(f.pending);
    f.pending = 0;
  }
  CancelTimer(f.timeout_timer);
  CancelTimer(f.heartbeat_timer);
  for (auto& c : f.children)
    if (c && c->phase != Frame::Phase::kDone) CancelPending(*c);
  if (&f == root.get()) CancelTimer(execution_timer);
}

void Execution::Impl::Run() {
  while (!ready.empty() && status == ExecStatus::kRunning && !history_full) {
    Frame* f = ready.front();
    ready.pop_front();
    Advance(*f);
  }
  ready.clear();
  graveyard.clear();
}

void Execution::Impl::Advance(Frame& f) {
  // Loops rather than recursing so a long chain or loop of states costs no stack.
  while (status == ExecStatus::kRunning && !history_full) {
    if (f.phase == Frame::Phase::kReady) {
      EnterState(f, f.state, f.raw_input);
    } else if (f.phase == Frame::Phase::kChildrenDone) {
      f.state->type == asl::StateType::kParallel ? ParallelDone(f) : MapDone(f);
    } else {
      return;
    }
  }
}

void Execution::Impl::EnterState(Frame& f, const asl::State* s, Json input) {
  f.state = s;
  f.raw_input = std::move(input);
  f.attempts.assign(s->retry.size(), 0);
  f.retry_count = 0;
  f.entered_time = now;
  f.effective = Json();
  if (f.parent && f.parent->state->type == asl::StateType::kMap && !f.started_event) {
    f.started_event = true;
    if (!f.parent->state->distributed) {
      auto& it = Emit(&f, EventType::kMapIterationStarted);
      it.name = f.parent->state->name;
      it.index = f.index;
    }
  }
  static const EventType kEntered[] = {EventType::kPassStateEntered,    EventType::kTaskStateEntered,
                                       EventType::kChoiceStateEntered,  EventType::kWaitStateEntered,
                                       EventType::kSucceedStateEntered, EventType::kFailStateEntered,
                                       EventType::kParallelStateEntered, EventType::kMapStateEntered};
  auto& ev = Emit(&f, kEntered[static_cast<int>(s->type)]);
  ev.name = s->name;
  ev.data = f.raw_input;
  ev.has_data = true;
  f.entered_id = ev.id;
  switch (s->type) {
    case asl::StateType::kPass: RunPass(f); break;
    case asl::StateType::kChoice: RunChoice(f); break;
    case asl::StateType::kWait: RunWait(f); break;
    case asl::StateType::kSucceed: RunSucceed(f); break;
    case asl::StateType::kFail: RunFail(f); break;
    case asl::StateType::kTask:
    case asl::StateType::kParallel:
    case asl::StateType::kMap: StartWork(f); break;
  }
}

void Execution::Impl::StartWork(Frame& f) {
  switch (f.state->type) {
    case asl::StateType::kTask: RunTask(f); break;
    case asl::StateType::kParallel: RunParallel(f); break;
    case asl::StateType::kMap: RunMap(f); break;
    default: break;
  }
}

void Execution::Impl::Transition(Frame& f, Json output) { TransitionTo(f, std::move(output), nullptr); }

void Execution::Impl::TransitionTo(Frame& f, Json output, const asl::State* next) {
  static const EventType kExited[] = {EventType::kPassStateExited,    EventType::kTaskStateExited,
                                      EventType::kChoiceStateExited,  EventType::kWaitStateExited,
                                      EventType::kSucceedStateExited, EventType::kFailStateEntered,
                                      EventType::kParallelStateExited, EventType::kMapStateExited};
  const asl::State* s = f.state;
  auto& ev = Emit(&f, kExited[static_cast<int>(s->type)]);
  ev.name = s->name;
  ev.data = output;
  ev.has_data = true;
  if (exit_frame) {
    if (exit_frame == &f) ev.assigned = std::move(exit_assigned);
    exit_assigned = Json();
    exit_frame = nullptr;
  }
  if (!next && (s->end || s->type == asl::StateType::kSucceed)) {
    FinishFrame(f, std::move(output));
    return;
  }
  f.state = next ? next : s->next_state;
  f.raw_input = std::move(output);
  f.phase = Frame::Phase::kReady;
}

void Execution::Impl::FinishFrame(Frame& f, Json output) {
  f.phase = Frame::Phase::kDone;
  f.failed = false;
  if (&f == root.get()) {
    status = ExecStatus::kSucceeded;
    stop_time = now;
    this->output = output;
    auto& ev = Emit(&f, EventType::kExecutionSucceeded);
    ev.data = std::move(output);
    ev.has_data = true;
    CancelPending(f);
    return;
  }
  f.output = std::move(output);
  ChildDone(f);
}

void Execution::Impl::FailFrame(Frame& f, std::string err, std::string cse) {
  f.phase = Frame::Phase::kDone;
  f.failed = true;
  CancelPending(f);
  if (&f == root.get()) {
    FailExecution(std::move(err), std::move(cse));
    return;
  }
  f.error = std::move(err);
  f.cause = std::move(cse);
  ChildDone(f);
}

void Execution::Impl::FailExecution(std::string err, std::string cse) {
  if (status != ExecStatus::kRunning) return;
  status = ExecStatus::kFailed;
  stop_time = now;
  error = std::move(err);
  cause = std::move(cse);
  has_error = !error.empty();
  has_cause = !cause.empty();
  if (root) CancelPending(*root);
  auto& ev = Emit(root.get(), EventType::kExecutionFailed);
  ev.error = error;
  ev.cause = cause;
  ev.has_error = has_error;
  ev.has_cause = has_cause;
  ready.clear();
}

void Execution::Impl::HistoryLimitReached() {
  history_full = false;
  status = ExecStatus::kRunning;  // a success recorded past the limit does not count
  output = Json();
  FailExecution(kErrRuntime, kCauseHistoryLimit);
  // Work asked for in this step is cancelled as well: do not hand it out at all.
  auto cancelled = [](const std::vector<uint64_t>& ids, uint64_t id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  std::erase_if(fx->tasks, [&](const TaskRequest& t) { return cancelled(fx->cancelled_tasks, t.id); });
  std::erase_if(fx->timers, [&](const TimerRequest& t) { return cancelled(fx->cancelled_timers, t.id); });
}

void Execution::Impl::ChildDone(Frame& child) {
  Frame& parent = *child.parent;
  if (parent.state->type == asl::StateType::kParallel)
    ParallelChildDone(parent, child);
  else
    MapChildDone(parent, child);
  // Still waiting for children: nothing to advance yet.
  if (parent.phase != Frame::Phase::kChildren) ready.push_back(&parent);
}

void Execution::Impl::AbortChildren(Frame& f) {
  for (auto& c : f.children) {
    if (!c || c->phase == Frame::Phase::kDone) continue;
    CancelPending(*c);
    c->phase = Frame::Phase::kDone;
    c->failed = true;
  }
  // Frames already queued must not run once aborted.
  std::erase_if(ready, [&](Frame* r) {
    for (Frame* p = r; p; p = p->parent)
      if (p->parent == &f) return true;
    return false;
  });
}

void Execution::Impl::HandleError(Frame& f, std::string err, std::string cse) {
  const asl::State& s = *f.state;
  if (!IsCatchable(err)) {
    FailExecution(std::move(err), std::move(cse));
    return;
  }
  for (size_t i = 0; i < s.retry.size(); ++i) {
    const asl::Retrier& r = s.retry[i];
    if (!ErrorMatches(r.errors, err)) continue;
    if (f.attempts[i] < r.max_attempts) {
      double delay = r.interval_seconds * std::pow(r.backoff_rate, static_cast<double>(f.attempts[i]));
      if (r.max_delay_seconds) delay = std::min(delay, static_cast<double>(*r.max_delay_seconds));
      if (r.jitter_full && random) delay = random->NextDouble() * delay;
      ++f.attempts[i];
      ++f.retry_count;
      f.phase = Frame::Phase::kRetry;
      f.pending = AddTimer(&f, TimerKind::kRetry, now + static_cast<Micros>(delay * kMicrosPerSecond));
      return;
    }
    break;  // the first matching retrier is exhausted: go on to the catchers
  }
  if (s.type == asl::StateType::kParallel) Emit(&f, EventType::kParallelStateFailed);
  if (s.type == asl::StateType::kMap) Emit(&f, EventType::kMapStateFailed);
  for (const asl::Catcher& c : s.catchers) {
    if (!ErrorMatches(c.errors, err)) continue;
    Json info = Json::EmptyObject();
    info.Set("Error", err);
    info.Set("Cause", cse);
    return ApplyCatcher(f, c, std::move(info));
  }
  FailFrame(f, std::move(err), std::move(cse));
}

Status Execution::Impl::StateError(const Frame& f, const Status& st) const {
  return Status::Error(st.name(), fmt::format("An error occurred while executing the state '{}' (entered at the "
                                              "event id #{}). {}",
                                              f.state->name, f.entered_id, st.message()));
}

// ---- data flow -------------------------------------------------------------

Json Execution::Impl::ContextObject(const Frame& f) const {
  Json exec = Json::EmptyObject();
  exec.Set("Id", info.execution_arn);
  exec.Set("Input", input);
  exec.Set("StartTime", FormatIsoMillis(start_time));
  exec.Set("Name", info.name);
  exec.Set("RoleArn", info.role_arn);
  if (!info.express) exec.Set("RedriveCount", info.redrive_count);
  Json sm = Json::EmptyObject();
  sm.Set("Id", info.state_machine_arn);
  sm.Set("Name", info.state_machine_name);
  Json st = Json::EmptyObject();
  st.Set("EnteredTime", FormatIsoMillis(f.entered_time));
  st.Set("Name", f.state ? f.state->name : std::string());
  // AWS shows RetryCount only for states that can retry (a Pass has none).
  if (f.state && (f.state->type == asl::StateType::kTask || f.state->type == asl::StateType::kParallel ||
                  f.state->type == asl::StateType::kMap))
    st.Set("RetryCount", f.retry_count);
  Json ctx = Json::EmptyObject();
  ctx.Set("Execution", std::move(exec));
  ctx.Set("StateMachine", std::move(sm));
  ctx.Set("State", std::move(st));
  if (!f.token.empty()) {
    Json task = Json::EmptyObject();
    task.Set("Token", f.token);
    ctx.Set("Task", std::move(task));
  }
  return ctx;
}

expr::Scope Execution::Impl::ScopeFor(const Frame& f, Json in) const {
  expr::Scope scope;
  scope.input = std::move(in);
  if (f.state->needs_context) scope.context = ContextObject(f);
  scope.vars = &f;
  scope.random = random;
  return scope;
}

namespace {
// Jayway's "not found" texts become AWS's "Invalid path '<path>' : <text>";
// any other path failure is already worded in full.
Status InvalidPath(const expr::Path& p, const Status& st) {
  if (st.name() == "PathNotFound")
    return Status::Error(kErrRuntime, fmt::format("Invalid path '{}' : {}", p.text(), st.message()));
  return Status::Error(kErrRuntime, st.message());
}
}  // namespace

Result<Json> Execution::Impl::InputPath(const Frame& f) {
  const asl::PathField& ip = f.state->input_path;
  if (ip.is_default()) return f.raw_input;
  if (ip.is_null) return Json::EmptyObject();
  auto r = ip.path->Eval(ScopeFor(f, f.raw_input));
  if (!r.ok()) return InvalidPath(*ip.path, r.status());
  return r;
}

Result<Json> Execution::Impl::ResultPath(const Frame& f, const asl::PathField& rp, Json result) {
  if (rp.is_default()) return result;
  if (rp.is_null) return f.raw_input;
  auto r = rp.path->Put(f.raw_input, std::move(result));
  // AWS reports "Unable to apply ReferencePath ..." as States.Runtime, not the
  // States.ResultPathMatchFailure the developer guide names.
  if (!r.ok()) return Status::Error(kErrRuntime, r.status().message());
  return r;
}

Result<Json> Execution::Impl::OutputPath(const Frame& f, Json out) {
  const asl::PathField& op = f.state->output_path;
  if (op.is_default()) return out;
  if (op.is_null) return Json::EmptyObject();
  auto r = op.path->Eval(ScopeFor(f, std::move(out)));
  if (!r.ok()) return InvalidPath(*op.path, r.status());
  return r;
}

bool Execution::Impl::FinishWithResult(Frame& f, Json result, Json* out) {
  const asl::State& s = *f.state;
  if (s.jsonata()) {
    StatesBindings b(*this, f, f.raw_input);
    b.SetResult(result);
    return JsonataFinish(f, b, s.assign, s.output, std::move(result), out);
  }
  if (s.result_selector) {
    auto r = s.result_selector->Eval(ScopeFor(f, std::move(result)));
    if (!r.ok()) {
      HandleError(f, r.status().name(), StateError(f, r.status()).message());
      return false;
    }
    result = std::move(r).value();
  }
  // Assign reads the result after ResultSelector (out of line: the common
  // state has none).
  if (s.assign.present()) return JsonPathFinish(f, s.assign, result, true, result, out);
  auto merged = ResultPath(f, s.result_path, std::move(result));
  if (!merged.ok()) {
    HandleError(f, merged.status().name(), StateError(f, merged.status()).message());
    return false;
  }
  auto o = OutputPath(f, std::move(merged).value());
  if (!o.ok()) {
    HandleError(f, o.status().name(), StateError(f, o.status()).message());
    return false;
  }
  *out = std::move(o).value();
  return true;
}

Result<Json> Execution::Impl::DynamicNumberValue(const Frame& f, const asl::DynamicNumber& n,
                                                 const Json& in) const {
  if (n.literal) return *n.literal;
  if (n.path) return n.path->Eval(ScopeFor(f, in));
  return Json();
}

}  // namespace stepline::runtime

// Task: evaluates its parameters, asks the caller to do the work, and turns the
// answer into a transition, a retry or a catch. Timeouts are timers.
#include <fmt/format.h>

#include "expr/payload/jsonata_template.h"
#include "runtime/errors.h"
#include "runtime/internal.h"

namespace stepline::runtime {

namespace {
std::string PatternSuffix(asl::IntegrationPattern p) {
  switch (p) {
    case asl::IntegrationPattern::kSync: return ".sync";
    case asl::IntegrationPattern::kWaitForTaskToken: return ".waitForTaskToken";
    default: return "";
  }
}

Result<std::optional<int64_t>> PositiveSeconds(const Json& v, const char* field, const std::string& path) {
  if (v.is_null()) return std::optional<int64_t>();
  if (!v.is_number() || !v.is_integral() || v.get_int() <= 0)
    return Status::Error(kErrRuntime, fmt::format("The {} parameter must be a positive integer: {} == {}", field,
                                                  path, v.Dump()));
  return std::optional<int64_t>(v.get_int());
}
}  // namespace

void Execution::Impl::RunTask(Frame& f) {
  const asl::State& s = *f.state;
  if (s.pattern == asl::IntegrationPattern::kWaitForTaskToken || s.task_kind == asl::TaskKind::kActivity) {
    // Tokens name the execution and the task so a callback can be routed back.
    f.token = fmt::format("{}#{}#{}", info.execution_arn, next_id, random ? MakeUuid(*random) : "0");
  }
  Json params;
  Result<std::optional<int64_t>> timeout = std::optional<int64_t>();
  Result<std::optional<int64_t>> heartbeat = std::optional<int64_t>();
  if (s.jsonata()) {
    // $states.context.Task.Token is available to Arguments (f.token is set).
    StatesBindings b(*this, f, f.raw_input);
    params = f.raw_input;
    if (s.arguments) {
      auto p = s.arguments->Eval(&b, JsonataOptions());
      if (!p.ok()) return StateFailed(f, p.status(), "Arguments");
      params = std::move(p).value();
    }
    auto seconds = [&](const asl::DynamicNumber& n, const char* field) -> Result<std::optional<int64_t>> {
      if (!n.jsonata) return PositiveSeconds(n.literal ? *n.literal : Json(), field, "");
      auto v = n.jsonata->Eval(&b, JsonataOptions());
      if (!v.ok()) return v.status();
      if (!v->is_number() || !v->is_integral() || v->get_int() <= 0) {
        const std::string* text = n.jsonata->expression();
        return Status::Error(expr::kQueryEvaluationError,
                             expr::JsonataTemplate::TypeMismatch(text ? *text : "", field, "positive integer", *v));
      }
      return std::optional<int64_t>(v->get_int());
    };
    timeout = seconds(s.timeout_seconds, "TimeoutSeconds");
    if (!timeout.ok()) return StateFailed(f, timeout.status(), "TimeoutSeconds");
    heartbeat = seconds(s.heartbeat_seconds, "HeartbeatSeconds");
    if (!heartbeat.ok()) return StateFailed(f, heartbeat.status(), "HeartbeatSeconds");
  } else {
    auto eff = InputPath(f);
    if (!eff.ok()) return HandleError(f, eff.status().name(), StateError(f, eff.status()).message());
    params = std::move(eff).value();
    if (s.parameters) {
      auto p = s.parameters->Eval(ScopeFor(f, std::move(params)));
      if (!p.ok()) return HandleError(f, p.status().name(), StateError(f, p.status()).message());
      params = std::move(p).value();
    }
    auto tv = DynamicNumberValue(f, s.timeout_seconds, f.raw_input);
    auto hv = DynamicNumberValue(f, s.heartbeat_seconds, f.raw_input);
    if (!tv.ok()) return HandleError(f, kErrRuntime, StateError(f, tv.status()).message());
    if (!hv.ok()) return HandleError(f, kErrRuntime, StateError(f, hv.status()).message());
    timeout =
        PositiveSeconds(*tv, "TimeoutSecondsPath", s.timeout_seconds.path ? s.timeout_seconds.path->text() : "");
    if (!timeout.ok()) return HandleError(f, kErrRuntime, StateError(f, timeout.status()).message());
    heartbeat =
        PositiveSeconds(*hv, "HeartbeatSecondsPath", s.heartbeat_seconds.path ? s.heartbeat_seconds.path->text() : "");
    if (!heartbeat.ok()) return HandleError(f, kErrRuntime, StateError(f, heartbeat.status()).message());
  }

  if (s.task_kind == asl::TaskKind::kActivity && env && !env->ActivityExists(s.resource)) {
    return HandleError(
        f, kErrRuntime,
        StateError(f, Status::Error(kErrRuntime, "The activity " + s.resource + " does not exist.")).message());
  }

  TaskRequest req;
  req.id = next_id++;
  req.state_name = s.name;
  req.resource = s.resource;
  req.kind = s.task_kind;
  req.pattern = s.pattern;
  req.service = s.service;
  req.action = s.action;
  req.input = params;
  req.token = f.token;
  req.timeout_seconds = *timeout;
  req.heartbeat_seconds = *heartbeat;

  switch (s.task_kind) {
    case asl::TaskKind::kLambdaArn: {
      auto& ev = Emit(&f, history::EventType::kLambdaFunctionScheduled);
      ev.resource = s.resource;
      ev.data = params;
      ev.has_data = true;
      if (*timeout) ev.timeout_s = **timeout;
      Emit(&f, history::EventType::kLambdaFunctionStarted);
      break;
    }
    case asl::TaskKind::kActivity: {
      auto& ev = Emit(&f, history::EventType::kActivityScheduled);
      ev.resource = s.resource;
      ev.data = params;
      ev.has_data = true;
      if (*timeout) ev.timeout_s = **timeout;
      if (*heartbeat) ev.heartbeat_s = **heartbeat;
      break;
    }
    default: {
      auto& ev = Emit(&f, history::EventType::kTaskScheduled);
      ev.resource_type = s.service;
      ev.resource = s.action + PatternSuffix(s.pattern);
      ev.extra = info.region;
      ev.data = params;
      ev.has_data = true;
      if (*timeout) ev.timeout_s = **timeout;
      if (*heartbeat) ev.heartbeat_s = **heartbeat;
      auto& st = Emit(&f, history::EventType::kTaskStarted);
      st.resource_type = s.service;
      st.resource = ev.resource;
      break;
    }
  }
  f.phase = Frame::Phase::kTask;
  f.task_started = false;
  f.effective = params;  // kept so the task can be dispatched again after a restart
  f.pending = req.id;
  tasks[req.id] = &f;
  if (*timeout) f.timeout_timer = AddTimer(&f, TimerKind::kTaskTimeout, now + **timeout * kMicrosPerSecond);
  if (*heartbeat) {
    f.heartbeat_seconds = **heartbeat;
    f.heartbeat_timer = AddTimer(&f, TimerKind::kHeartbeat, now + **heartbeat * kMicrosPerSecond);
  }
  fx->tasks.push_back(std::move(req));
}

void Execution::Impl::TaskResult(Frame& f, Json output) {
  const asl::State& s = *f.state;
  if (output.Dump().size() > kMaxPayloadBytes) {
    return TaskError(f, kErrDataLimitExceeded,
                     fmt::format("The state/task '{}' returned a result with a size exceeding the maximum number of "
                                 "bytes service limit.",
                                 s.service.empty() ? std::string("lambda") : s.service),
                     false);
  }
  CancelTimer(f.timeout_timer);
  CancelTimer(f.heartbeat_timer);
  f.token.clear();
  history::EventType type = s.task_kind == asl::TaskKind::kLambdaArn  ? history::EventType::kLambdaFunctionSucceeded
                            : s.task_kind == asl::TaskKind::kActivity ? history::EventType::kActivitySucceeded
                                                                      : history::EventType::kTaskSucceeded;
  auto& ev = Emit(&f, type);
  ev.data = output;
  ev.has_data = true;
  if (type == history::EventType::kTaskSucceeded) {
    ev.resource_type = s.service;
    ev.resource = s.action + PatternSuffix(s.pattern);
  }
  Json out;
  if (FinishWithResult(f, std::move(output), &out)) Transition(f, std::move(out));
}

void Execution::Impl::TaskError(Frame& f, std::string err, std::string cse, bool timed_out) {
  const asl::State& s = *f.state;
  CancelTimer(f.timeout_timer);
  CancelTimer(f.heartbeat_timer);
  f.token.clear();
  history::EventType type;
  switch (s.task_kind) {
    case asl::TaskKind::kLambdaArn:
      type = timed_out ? history::EventType::kLambdaFunctionTimedOut : history::EventType::kLambdaFunctionFailed;
      break;
    case asl::TaskKind::kActivity:
      type = timed_out ? history::EventType::kActivityTimedOut : history::EventType::kActivityFailed;
      break;
    default: type = timed_out ? history::EventType::kTaskTimedOut : history::EventType::kTaskFailed;
  }
  auto& ev = Emit(&f, type);
  ev.error = err;
  ev.has_error = true;
  ev.cause = cse;
  ev.has_cause = !cse.empty();
  if (type == history::EventType::kTaskFailed || type == history::EventType::kTaskTimedOut) {
    ev.resource_type = s.service;
    ev.resource = s.action + PatternSuffix(s.pattern);
  }
  HandleError(f, std::move(err), std::move(cse));
}

}  // namespace stepline::runtime

// TestState: runs one state on its own with the given input. Transitions stop
// at the state's boundary: the states it names become stubs, and the first one
// entered is the answer's nextState. Tasks answer from `mock` when given,
// otherwise from the configured local functions. Retries are not waited for:
// a matching retrier makes the answer RETRIABLE, as AWS does.
#include "asl/validate/validate.h"
#include "runtime/execution.h"
#include "service/ops.h"

namespace stepline::service::ops {

namespace {

constexpr const char* kTestStateName = "TestState";

void CollectTargets(const Json& state, std::set<std::string>& out) {
  if (const Json* n = state.find("Next"); n && n->is_string()) out.insert(n->str());
  if (const Json* d = state.find("Default"); d && d->is_string()) out.insert(d->str());
  for (const char* list : {"Choices", "Catch"})
    if (const Json* l = state.find(list); l && l->is_array())
      for (const auto& c : l->get_array())
        if (const Json* n = c.find("Next"); n && n->is_string()) out.insert(n->str());
}

}  // namespace

void TestState(Engine& e, const Json& req, Reply done) {
  auto state = Json::Parse(Str(req, "definition"));
  if (!state.ok() || !state->is_object())
    return done(Err("InvalidDefinition", "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: " +
                                             (state.ok() ? std::string("a state must be an object") : state.status().message()) + "'"));
  std::set<std::string> targets;
  CollectTargets(*state, targets);
  Json states = Json::EmptyObject();
  states.Set(kTestStateName, *state);
  for (const auto& t : targets) {
    if (t == kTestStateName) continue;
    Json stub = Json::EmptyObject();
    stub.Set("Type", "Succeed");
    states.Set(t, stub);
  }
  Json machine = Json::EmptyObject();
  machine.Set("StartAt", kTestStateName);
  machine.Set("States", states);
  std::string text = machine.Dump();
  auto diags = asl::ValidateDefinitionText(text);
  if (asl::HasErrors(diags)) return done(Err("InvalidDefinition", asl::InvalidDefinitionMessage(diags)));
  auto parsed = asl::Parse(machine);
  if (!parsed.ok()) return done(Err("InvalidDefinition", parsed.status().message()));
  auto input = Json::Parse(Has(req, "input") ? Str(req, "input") : "{}");
  if (!input.ok()) return done(Err("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + input.status().message() + "'"));

  runtime::ExecutionInfo info;
  info.name = "TestState";
  info.execution_arn = ExecutionArn(e.config().account, "TestState", "TestState");
  info.state_machine_arn = StateMachineArn(e.config().account, "TestState");
  info.state_machine_name = "TestState";
  info.role_arn = Str(req, "roleArn");
  runtime::Execution exec(*parsed, info);
  SeededRandom rnd(static_cast<uint64_t>(e.clock().Now()));
  runtime::Effects fx;
  exec.Start(*input, e.clock().Now(), rnd, fx);
  integrations::LocalDispatcher dispatcher(e.config().functions);
  const Json* mock = req.find("mock");
  std::optional<Json> task_result;  // for inspectionData.result
  bool retriable = false;
  std::string retry_error, retry_cause;
  for (int guard = 0; exec.status() == runtime::ExecStatus::kRunning && guard < 100; ++guard) {
    if (!fx.tasks.empty()) {
      runtime::TaskRequest t = fx.tasks.front();
      fx.Clear();
      if (mock && mock->is_object() && mock->find("result")) {
        auto r = Json::Parse(Str(*mock, "result"));
        if (!r.ok()) return done(Err("ValidationException", "The mock result is not valid JSON"));
        task_result = *r;
        exec.TaskSucceeded(t.id, *r, e.clock().Now(), rnd, fx);
      } else if (mock && mock->is_object() && mock->find("errorOutput")) {
        const Json& eo = *mock->find("errorOutput");
        exec.TaskFailed(t.id, Str(eo, "error"), Str(eo, "cause"), e.clock().Now(), rnd, fx);
      } else {
        integrations::InvokeOutcome o = dispatcher.Run(t);
        if (o.ok) {
          task_result = o.payload;
          exec.TaskSucceeded(t.id, o.payload, e.clock().Now(), rnd, fx);
        }
        else
          exec.TaskFailed(t.id, o.error, o.cause, e.clock().Now(), rnd, fx);
      }
      continue;
    }
    if (!fx.timers.empty()) {
      runtime::TimerRequest t = fx.timers.front();
      if (t.kind == runtime::TimerKind::kRetry) {
        retriable = true;
        break;
      }
      fx.Clear();
      exec.TimerFired(t.id, t.due, rnd, fx);
      continue;
    }
    break;
  }
  Json out = Json::EmptyObject();
  Json inspection = Json::EmptyObject();
  inspection.Set("input", input->Dump());
  // The data after each processing step (JSONPath states), as AWS reports at
  // DEBUG: recomputed from the compiled state; a step that fails ends the list.
  if (const asl::State* st = (*parsed)->root->Find(kTestStateName)) {
    expr::Scope sc;
    sc.input = *input;
    sc.random = &rnd;
    auto step = [&](const char* name, Result<Json> r) -> std::optional<Json> {
      if (!r.ok()) return std::nullopt;
      inspection.Set(name, r->Dump());
      return *r;
    };
    std::optional<Json> after_input;
    if (st->input_path.is_null) after_input = step("afterInputPath", Json::EmptyObject());
    else if (st->input_path.path) after_input = step("afterInputPath", st->input_path.path->Eval(sc));
    else after_input = step("afterInputPath", *input);
    bool has_result = st->type == asl::StateType::kPass || st->type == asl::StateType::kTask;
    if (after_input && has_result) {
      std::optional<Json> after_params = *after_input;
      if (st->parameters) {
        sc.input = *after_input;
        after_params = step("afterParameters", st->parameters->Eval(sc));
      } else {
        inspection.Set("afterParameters", after_input->Dump());
      }
      std::optional<Json> result;
      if (st->type == asl::StateType::kPass) result = st->result ? *st->result : after_params;
      else result = task_result;
      if (result) {
        inspection.Set("result", result->Dump());
        std::optional<Json> selected = result;
        if (st->result_selector) {
          sc.input = *result;
          selected = step("afterResultSelector", st->result_selector->Eval(sc));
        }
        if (selected) {
          if (st->result_path.is_null) step("afterResultPath", *input);
          else if (st->result_path.path) step("afterResultPath", st->result_path.path->Put(*input, *selected));
          else step("afterResultPath", *selected);
        }
      }
    }
  }
  std::string next;
  Json state_output;
  bool exited = false, caught = false;
  for (const auto& ev : exec.events()) {
    std::string type = history::EventTypeName(ev.type);
    if (ev.name == kTestStateName && type.size() > 6 && type.substr(type.size() - 6) == "Exited") {
      exited = true;
      state_output = ev.data;
    } else if (exited && next.empty() && !ev.name.empty() && type.find("StateEntered") != std::string::npos) {
      next = ev.name;
    }
    if ((ev.type == history::EventType::kTaskFailed || ev.type == history::EventType::kLambdaFunctionFailed ||
         ev.type == history::EventType::kTaskTimedOut || ev.type == history::EventType::kLambdaFunctionTimedOut)) {
      retry_error = ev.error;
      retry_cause = ev.cause;
      caught = true;
    }
  }
  if (retriable) {
    out.Set("status", "RETRIABLE");
    out.Set("error", retry_error);
    out.Set("cause", retry_cause);
  } else if (exec.status() == runtime::ExecStatus::kFailed) {
    out.Set("status", "FAILED");
    if (exec.has_error()) out.Set("error", exec.error());
    if (exec.has_cause()) out.Set("cause", exec.cause());
  } else {
    out.Set("status", caught && exited ? "CAUGHT_ERROR" : "SUCCEEDED");
    if (caught && exited) {
      out.Set("error", retry_error);
      out.Set("cause", retry_cause);
    }
    out.Set("output", (exited ? state_output : exec.output()).Dump());
    if (!next.empty()) out.Set("nextState", next);
  }
  // AWS returns inspectionData only for the DEBUG and TRACE levels.
  if (Str(req, "inspectionLevel", "INFO") != "INFO") out.Set("inspectionData", inspection);
  done(out);
}

}  // namespace stepline::service::ops

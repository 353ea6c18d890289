// Workflow variables (Assign) and the JSONata query language: the bindings of
// an evaluation, committing assignments, and the JSONata end of a state. Kept
// apart from execution.cc, whose JSONPath hot path stays small.
#include <fmt/format.h>

#include "expr/payload/jsonata_template.h"
#include "runtime/errors.h"
#include "runtime/internal.h"

namespace stepline::runtime {

using history::EventType;

const Json* StatesBindings::Find(std::string_view name) const {
  if (name != "states") return frame_.Find(name);
  if (!built_) {
    Json::Object o;
    o.reserve(4);
    o.push_back(Json::Member{"input", input_});
    if (has_result_) o.push_back(Json::Member{"result", result_});
    if (has_error_output_) o.push_back(Json::Member{"errorOutput", error_output_});
    o.push_back(Json::Member{"context", has_context_ ? context_ : impl_.ContextObject(frame_)});
    states_ = Json(std::move(o));
    built_ = true;
  }
  return &states_;
}

jsonata::EvalOptions Execution::Impl::JsonataOptions() const {
  jsonata::EvalOptions o;
  o.aws_functions = true;
  o.random = random;  // every step that evaluates has one
  o.now_millis = now / 1000;  // $now() / $millis(): the step's time, not the clock
  return o;
}

Status Execution::Impl::EvaluationFailed(Frame& f, const Status& st, std::string_view location) {
  Status full = StateError(f, st);
  // AWS records a failed JSONata evaluation before the state fails.
  if (st.name() == expr::kQueryEvaluationError) {
    auto& ev = Emit(&f, EventType::kEvaluationFailed);
    ev.error = st.name();
    ev.has_error = true;
    ev.cause = full.message();
    ev.has_cause = true;
    ev.name = f.state->name;
    ev.extra = std::string(location);
  }
  return full;
}

void Execution::Impl::StateFailed(Frame& f, const Status& st, std::string_view location) {
  Status full = EvaluationFailed(f, st, location);
  HandleError(f, st.name(), full.message());
}

Result<Json> Execution::Impl::EvalAssign(const Frame& f, const asl::AssignField& a, const Json& input,
                                         const jsonata::Bindings* b) const {
  if (a.jsonata) return a.jsonata->Eval(b, JsonataOptions());
  if (a.jsonpath) return a.jsonpath->Eval(ScopeFor(f, input));
  return Json();
}

Status Execution::Impl::CommitAssign(Frame& f, const Json& assigned) {
  if (!assigned.is_object()) return Status();
  const auto& members = assigned.get_object();
  Json::Object shown;  // assignedVariables: name -> the value's JSON text
  shown.reserve(members.size());
  size_t total = 0;
  for (const auto& m : members) {
    std::string text = m.value.Dump();
    if (text.size() > kMaxVariableBytes)
      return Status::Error(kErrDataLimitExceeded,
                           fmt::format("The variable '{}' exceeds the maximum size of {} bytes.", m.key,
                                       kMaxVariableBytes));
    total += text.size();
    shown.push_back(Json::Member{m.key, Json(std::move(text))});
  }
  if (total > kMaxAssignBytes)
    return Status::Error(kErrDataLimitExceeded,
                         fmt::format("The variables assigned by the state exceed the maximum size of {} bytes.",
                                     kMaxAssignBytes));
  size_t stored = 0;
  for (const Frame* p = &f; p; p = p->vars_root ? nullptr : p->parent) stored += p->vars ? p->vars->bytes : 0;
  if (!f.vars) f.vars = std::make_unique<Frame::Vars>();
  Frame::Vars& vars = *f.vars;
  size_t replaced = 0;
  for (const auto& m : members)
    if (auto it = vars.map.find(m.key); it != vars.map.end()) replaced += it->second.bytes;
  if (stored - replaced + total > kMaxExecutionVariableBytes)
    return Status::Error(kErrDataLimitExceeded,
                         fmt::format("The variables of the execution exceed the maximum size of {} bytes.",
                                     kMaxExecutionVariableBytes));
  for (size_t i = 0; i < members.size(); ++i) {
    Frame::Var& v = vars.map[members[i].key];
    vars.bytes -= v.bytes;
    v.value = members[i].value;
    v.bytes = shown[i].value.get_string().size();
    vars.bytes += v.bytes;
  }
  exit_assigned = Json(std::move(shown));
  exit_frame = &f;
  return Status();
}

bool Execution::Impl::JsonataFinish(Frame& f, const StatesBindings& b, const asl::AssignField& assign,
                                    const std::optional<expr::JsonataTemplate>& output, Json def_output,
                                    Json* out) {
  // Assign and Output both see the variables as they were before the state.
  Json assigned;
  if (assign.present()) {
    auto a = EvalAssign(f, assign, Json(), &b);
    if (!a.ok()) {
      StateFailed(f, a.status(), "Assign");
      return false;
    }
    assigned = std::move(a).value();
  }
  if (output) {
    auto o = output->Eval(&b, JsonataOptions());
    if (!o.ok()) {
      StateFailed(f, o.status(), "Output");
      return false;
    }
    *out = std::move(o).value();
  } else {
    *out = std::move(def_output);
  }
  if (Status st = CommitAssign(f, assigned); !st.ok()) {
    StateFailed(f, st, "Assign");
    return false;
  }
  return true;
}

bool Execution::Impl::JsonPathFinish(Frame& f, const asl::AssignField& assign, const Json& assign_input,
                                     bool result_path, Json result, Json* out) {
  const asl::State& s = *f.state;
  Json assigned;
  if (assign.present()) {
    auto a = EvalAssign(f, assign, assign_input, nullptr);
    if (!a.ok()) {
      StateFailed(f, a.status(), "Assign");
      return false;
    }
    assigned = std::move(a).value();
  }
  if (result_path) {
    auto merged = ResultPath(f, s.result_path, std::move(result));
    if (!merged.ok()) {
      HandleError(f, merged.status().name(), StateError(f, merged.status()).message());
      return false;
    }
    result = std::move(merged).value();
  }
  auto o = OutputPath(f, std::move(result));
  if (!o.ok()) {
    HandleError(f, o.status().name(), StateError(f, o.status()).message());
    return false;
  }
  if (Status st = CommitAssign(f, assigned); !st.ok()) {
    StateFailed(f, st, "Assign");
    return false;
  }
  *out = std::move(o).value();
  return true;
}

void Execution::Impl::ApplyCatcher(Frame& f, const asl::Catcher& c, Json info) {
  const asl::State& s = *f.state;
  // A catcher's own evaluation errors are not retried or caught again.
  auto fail_catch = [&](const Status& st, const char* location) {
    Status full = EvaluationFailed(f, st, location);
    if (st.name() == expr::kQueryEvaluationError) {
      FailFrame(f, st.name(), full.message());
    } else {
      FailExecution(st.name(), full.message());
    }
  };
  Json out, assigned;
  if (s.jsonata()) {
    StatesBindings b(*this, f, f.raw_input);
    b.SetErrorOutput(info);
    if (c.assign.present()) {
      auto a = EvalAssign(f, c.assign, Json(), &b);
      if (!a.ok()) return fail_catch(a.status(), "Assign");
      assigned = std::move(a).value();
    }
    if (c.output) {
      auto o = c.output->Eval(&b, JsonataOptions());
      if (!o.ok()) return fail_catch(o.status(), "Output");
      out = std::move(o).value();
    } else {
      out = info;  // JSONata: the error output is the default output
    }
  } else {
    // JSONPath: the catcher's Assign reads the error output as "$".
    if (c.assign.present()) {
      auto a = EvalAssign(f, c.assign, info, nullptr);
      if (!a.ok()) return fail_catch(a.status(), "Assign");
      assigned = std::move(a).value();
    }
    auto r = ResultPath(f, c.result_path, std::move(info));
    if (!r.ok()) return fail_catch(r.status(), "ResultPath");
    out = std::move(r).value();
  }
  if (Status st = CommitAssign(f, assigned); !st.ok()) return fail_catch(st, "Assign");
  TransitionTo(f, std::move(out), c.next_state);
}

}  // namespace stepline::runtime

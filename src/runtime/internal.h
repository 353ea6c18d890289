#pragma once
// Internals shared by the engine (execution.cc) and the state handlers
// (states/*.cc). Not part of the runtime's public surface.

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "expr/jsonata/jsonata.h"
#include "expr/scope.h"
#include "runtime/execution.h"

namespace stepline::runtime {

// A running scope: the top-level machine, one Parallel branch, or one Map
// iteration. A frame runs one state at a time. It is also the variable lookup
// of its states: its own variables, then its parents' (a parent is blocked
// while its children run, so they see its variables as of their start).
struct Frame final : expr::VariableLookup {
  enum class Phase : uint8_t {
    kReady,       // about to enter `state`
    kTask,        // waiting for task `pending`
    kWait,        // waiting for timer `pending` (Wait state)
    kRetry,       // waiting for retry timer `pending`
    kChildren,    // Parallel/Map running children
    kChildrenDone,
    kDone,        // finished: see failed/output
  };
  const asl::StateMachine* machine = nullptr;
  Frame* parent = nullptr;
  int64_t index = 0;  // branch index or map item index

  const asl::State* state = nullptr;
  Phase phase = Phase::kReady;
  Json raw_input;   // the state's input as entered
  Json effective;   // after InputPath / Parameters (Task, Parallel, Map)
  int64_t entered_id = 0;
  int64_t last_id = 0;  // previousEventId chain of this frame
  Micros entered_time = 0;
  std::vector<int64_t> attempts;  // per retrier
  int64_t retry_count = 0;
  uint64_t pending = 0;          // task or wait/retry timer id
  uint64_t timeout_timer = 0;    // task timeout
  uint64_t heartbeat_timer = 0;  // task heartbeat
  int64_t heartbeat_seconds = 0;
  std::string token;
  bool task_started = false;   // the activity task's ActivityStarted is recorded
  bool started_event = false;  // Map iteration: MapIterationStarted emitted
  // Inside a distributed Map: AWS records these events in the map run's child
  // executions, not in this execution's history.
  bool detached = false;

  // Children (Parallel branches, Map iterations).
  std::vector<std::unique_ptr<Frame>> children;
  std::vector<Json> results;
  Json items;                 // Map: the items array
  int64_t launched = 0, completed = 0, failures = 0, max_concurrency = 0;
  int64_t tolerated_count = -1;
  double tolerated_pct = -1;
  bool child_failed = false;
  std::string child_error, child_cause;

  // Outcome (phase kDone).
  bool failed = false;
  Json output;
  std::string error, cause;

  // Workflow variables assigned by this frame's states (allocated on the first
  // assignment: most frames, e.g. Map iterations, have none). A branch's or an
  // iteration's assignments stay here and never flow back to the parent.
  struct Var {
    Json value;
    size_t bytes = 0;  // serialized size, for the per-execution limit
  };
  struct Vars {
    std::map<std::string, Var, std::less<>> map;
    size_t bytes = 0;
  };
  std::unique_ptr<Vars> vars;
  // A distributed Map iteration runs as a child execution: it does not see
  // the parent's variables.
  bool vars_root = false;

  const Json* Find(std::string_view name) const override {
    for (const Frame* p = this; p; p = p->vars_root ? nullptr : p->parent) {
      if (!p->vars) continue;
      auto it = p->vars->map.find(name);
      if (it != p->vars->map.end()) return &it->second.value;
    }
    return nullptr;
  }
};

// JSONata bindings of one evaluation: $states (built on first use, so an
// expression that never reads it costs nothing) and the workflow variables,
// looked up in place.
class StatesBindings final : public jsonata::Bindings {
 public:
  StatesBindings(const Execution::Impl& impl, const Frame& f, Json input)
      : impl_(impl), frame_(f), input_(std::move(input)) {}
  void SetResult(Json r) {
    result_ = std::move(r);
    has_result_ = true;
    built_ = false;
  }
  void SetErrorOutput(Json e) {
    error_output_ = std::move(e);
    has_error_output_ = true;
    built_ = false;
  }
  void SetContext(Json c) {
    context_ = std::move(c);
    has_context_ = true;
    built_ = false;
  }
  const Json& input() const { return input_; }
  const Json* Find(std::string_view name) const override;

 private:
  const Execution::Impl& impl_;
  const Frame& frame_;
  Json input_, result_, error_output_, context_;
  bool has_result_ = false, has_error_output_ = false, has_context_ = false;
  mutable Json states_;
  mutable bool built_ = false;
};

// Where a pending timer or task lives.
struct Pending {
  Frame* frame = nullptr;
  TimerKind kind = TimerKind::kWait;
  Micros due = 0;
};

struct Execution::Impl {
  std::shared_ptr<const asl::Definition> def;
  ExecutionInfo info;
  const Environment* env = nullptr;  // not saved
  ExecStatus status = ExecStatus::kRunning;
  Json input, output;
  std::string error, cause;
  bool has_error = false, has_cause = false;
  Micros start_time = 0, stop_time = 0;
  history::EventLog events;
  int64_t event_base = 0;  // events drained before `events`
  history::Event scratch;  // sink for events of detached frames
  // Set when the step tried to record a non-final event as event 25,000; the
  // step stops and ends by failing the execution (HistoryLimitReached).
  bool history_full = false;
  std::unique_ptr<Frame> root;
  uint64_t next_id = 1;
  uint64_t execution_timer = 0;
  // assignedVariables for the next StateExited event of `exit_frame`: set by
  // CommitAssign, taken by the transition that always follows it in the same
  // call (never saved).
  Json exit_assigned;
  const Frame* exit_frame = nullptr;
  std::map<uint64_t, Frame*> tasks;     // task id -> frame
  std::map<uint64_t, Pending> timers;  // timer id -> frame and kind

  // Per step.
  Micros now = 0;
  Random* random = nullptr;
  Effects* fx = nullptr;
  std::deque<Frame*> ready;
  // Frames released while a call stack may still reference them; freed at the
  // end of Run().
  std::vector<std::unique_ptr<Frame>> graveyard;
  void ReleaseChildren(Frame& f) {
    for (auto& c : f.children)
      if (c) graveyard.push_back(std::move(c));
    f.children.clear();
  }

  // ---- engine (execution.cc) ----
  void Run();  // advances ready frames until all are blocked or done
  void Advance(Frame& f);
  history::Event& Emit(Frame* f, history::EventType type);
  void EnterState(Frame& f, const asl::State* s, Json input);
  // Emits XStateExited, then ends the frame (End) or moves to the next state.
  void Transition(Frame& f, Json output);
  void TransitionTo(Frame& f, Json output, const asl::State* next);  // next overrides Next/End
  void FinishFrame(Frame& f, Json output);
  void FailFrame(Frame& f, std::string error, std::string cause);
  // An error raised by the running state: retry, catch, or fail the frame.
  void HandleError(Frame& f, std::string error, std::string cause);
  // Follows a matching catcher: its Assign and ResultPath (JSONPath) or
  // Assign and Output (JSONata) over the error output `info`, then Next.
  void ApplyCatcher(Frame& f, const asl::Catcher& c, Json info);
  // A States.Runtime-class failure: the whole execution fails.
  void FailExecution(std::string error, std::string cause);
  // Ends a step that hit the history limit: whatever the step did after
  // event 24,999 is void; event 25,000 is ExecutionFailed.
  void HistoryLimitReached();
  void ChildDone(Frame& child);
  void AbortChildren(Frame& f);
  void CancelPending(Frame& f);
  uint64_t AddTimer(Frame* f, TimerKind kind, Micros due);
  void CancelTimer(uint64_t& id);
  Status StateError(const Frame& f, const Status& st) const;  // prefixes AWS's "An error occurred..."

  // Data flow.
  expr::Scope ScopeFor(const Frame& f, Json input) const;
  Json ContextObject(const Frame& f) const;
  Result<Json> InputPath(const Frame& f);
  Result<Json> ResultPath(const Frame& f, const asl::PathField& rp, Json result);
  Result<Json> OutputPath(const Frame& f, Json output);
  // ResultSelector → ResultPath → OutputPath; on error handles it and returns false.
  bool FinishWithResult(Frame& f, Json result, Json* out);
  Result<Json> DynamicNumberValue(const Frame& f, const asl::DynamicNumber& n, const Json& input) const;

  // Variables and JSONata.
  jsonata::EvalOptions JsonataOptions() const;
  // The state's error text for `st`; records EvaluationFailed (at `location`)
  // first when `st` is a JSONata evaluation error (AWS does).
  Status EvaluationFailed(Frame& f, const Status& st, std::string_view location);
  // An error raised by the running state: EvaluationFailed, then retry, catch or fail.
  void StateFailed(Frame& f, const Status& st, std::string_view location = {});
  // Evaluates an Assign block into an object of name -> value, against the
  // variables as they were before the state. JSONPath: `$` is `input`.
  Result<Json> EvalAssign(const Frame& f, const asl::AssignField& a, const Json& input,
                          const jsonata::Bindings* b) const;
  // Stores evaluated assignments in the frame and records them for the
  // StateExited event; fails (DataLimitExceeded) when they are too large.
  Status CommitAssign(Frame& f, const Json& assigned);
  // JSONPath end of a state: Assign over `assign_input` ("$"), ResultPath of
  // `result` (when `result_path`), OutputPath, then the variables are
  // committed (they take effect after OutputPath). On error handles it and
  // returns false.
  bool JsonPathFinish(Frame& f, const asl::AssignField& assign, const Json& assign_input, bool result_path,
                      Json result, Json* out);
  // JSONata end of a state: Assign and Output (default `def_output`) against
  // the same bindings; on error handles it and returns false.
  bool JsonataFinish(Frame& f, const StatesBindings& b, const asl::AssignField& assign,
                     const std::optional<expr::JsonataTemplate>& output, Json def_output, Json* out);

  // States (states/*.cc).
  void RunPass(Frame& f);
  void RunPassJsonata(Frame& f);
  void RunChoice(Frame& f);
  void RunChoiceJsonata(Frame& f);
  void RunWait(Frame& f);
  void WaitTimerFired(Frame& f);
  void RunSucceed(Frame& f);
  void RunFail(Frame& f);
  void RunTask(Frame& f);
  void TaskResult(Frame& f, Json output);
  void TaskError(Frame& f, std::string error, std::string cause, bool timed_out);
  void RunParallel(Frame& f);
  void ParallelDone(Frame& f);
  void RunMap(Frame& f);
  void MapLaunch(Frame& f);
  void MapDone(Frame& f);
  void MapChildDone(Frame& f, Frame& child);
  void ParallelChildDone(Frame& f, Frame& child);
  // (Re)starts the work of a Task/Parallel/Map after entry or a retry.
  void StartWork(Frame& f);

  // Snapshot (snapshot.cc).
  Json SaveFrame(const Frame& f) const;
  Status RestoreFrame(Frame& f, const Json& j, Frame* parent);
};

}  // namespace stepline::runtime

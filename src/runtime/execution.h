#pragma once
// The pure interpreter (DESIGN invariant 1): an Execution advances only when
// the caller feeds it an input (start, task result, timer fired, stop) along
// with the current time and a random source. It performs no I/O, reads no clock
// and never sleeps: waits and back-offs come back as timer requests, work for
// the outside world as task requests. Its whole state can be saved after any
// step and restored to continue to the same result.
//
// Thread-compatible: one Execution must be driven by one thread at a time.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "asl/model.h"
#include "base/json.h"
#include "base/random.h"
#include "base/status.h"
#include "base/time.h"
#include "history/event.h"

namespace stepline::runtime {

enum class ExecStatus { kRunning, kSucceeded, kFailed, kTimedOut, kAborted };
const char* ExecStatusName(ExecStatus s);  // "RUNNING", "SUCCEEDED", ...

struct ExecutionInfo {
  std::string execution_arn;
  std::string name;
  std::string state_machine_arn;
  std::string state_machine_name;
  std::string role_arn;
  std::string region = "us-east-1";
  std::string account = "123456789012";
  int64_t redrive_count = 0;
  bool express = false;  // Express executions' context object has no RedriveCount (AWS)
};

// Work for the outside world. The caller answers with TaskSucceeded/TaskFailed.
struct TaskRequest {
  uint64_t id = 0;
  std::string state_name;
  std::string resource;
  asl::TaskKind kind = asl::TaskKind::kService;
  asl::IntegrationPattern pattern = asl::IntegrationPattern::kRequestResponse;
  std::string service, action;
  Json input;         // the effective parameters
  std::string token;  // the task token ($$.Task.Token)
  std::optional<int64_t> timeout_seconds, heartbeat_seconds;
  bool started = false;  // PendingTasks: a worker's start was recorded (activities)
};

enum class TimerKind : uint8_t {
  kWait,              // a Wait state: scaled by a driver's --wait-scale
  kRetry,             // a retry back-off: scaled likewise
  kTaskTimeout,       // TimeoutSeconds of a task: real time
  kHeartbeat,         // HeartbeatSeconds: real time
  kExecutionTimeout,  // the machine's TimeoutSeconds: real time
};

struct TimerRequest {
  uint64_t id = 0;
  Micros due = 0;
  TimerKind kind = TimerKind::kWait;
};

// What one step asks of the caller.
struct Effects {
  std::vector<TaskRequest> tasks;
  std::vector<TimerRequest> timers;
  std::vector<uint64_t> cancelled_tasks;   // results for these will be ignored
  std::vector<uint64_t> cancelled_timers;  // firing these is a no-op
  void Clear() {
    tasks.clear();
    timers.clear();
    cancelled_tasks.clear();
    cancelled_timers.clear();
  }
};

// What the interpreter may ask the world it runs in while stepping; the
// answers are not saved (a restored execution asks again). Without one,
// every resource exists (the command line).
class Environment {
 public:
  virtual ~Environment() = default;
  // AWS fails the state (States.Runtime) before ActivityScheduled when the
  // activity was never created or was deleted.
  virtual bool ActivityExists(const std::string& arn) const = 0;
};

class Execution {
 public:
  Execution(std::shared_ptr<const asl::Definition> definition, ExecutionInfo info);
  ~Execution();
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  void Start(Json input, Micros now, Random& random, Effects& out);
  // An activity worker (or the dispatcher) picked the task up.
  void TaskStarted(uint64_t task_id, const std::string& worker, Micros now, Effects& out);
  void TaskSucceeded(uint64_t task_id, Json output, Micros now, Random& random, Effects& out);
  void TaskFailed(uint64_t task_id, std::string error, std::string cause, Micros now, Random& random,
                  Effects& out);
  // Resets the heartbeat timer; false when the task is not pending.
  bool TaskHeartbeat(uint64_t task_id, Micros now, Effects& out);
  void TimerFired(uint64_t timer_id, Micros now, Random& random, Effects& out);
  // StopExecution: aborts with optional error/cause.
  void Stop(std::optional<std::string> error, std::optional<std::string> cause, Micros now, Effects& out);

  // RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution runs again
  // from the top-level state that did not finish, with that state's input
  // (records ExecutionRedriven). Error "ExecutionNotRedrivable" otherwise.
  Status Redrive(Micros now, Random& random, Effects& out);

  // Not owned; must outlive every step. nullptr: no questions asked.
  void set_environment(const Environment* env);

  ExecStatus status() const;
  const Json& output() const;
  const std::string& error() const;
  const std::string& cause() const;
  bool has_error() const;
  bool has_cause() const;
  const ExecutionInfo& info() const;
  Micros start_time() const;
  Micros stop_time() const;
  // Events recorded since construction or the last DrainEvents().
  const history::EventLog& events() const;
  // Moves the buffered events out (a store keeps them); later ids continue.
  history::EventLog DrainEvents();
  // Events recorded so far, drained or not.
  int64_t event_count() const;
  // Tasks currently awaiting a result, for a driver that resumes after a restart.
  std::vector<TaskRequest> PendingTasks() const;
  std::vector<TimerRequest> PendingTimers() const;

  // The whole state as JSON, and back. Without events, only their count is
  // kept (the caller stores the history itself).
  Json Save(bool with_events = true) const;
  static Result<std::unique_ptr<Execution>> Restore(std::shared_ptr<const asl::Definition> definition,
                                                    const Json& saved);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace stepline::runtime

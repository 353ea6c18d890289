#pragma once
// The engine behind the API: the one transition path of DESIGN invariant 2.
// Every input to an execution (start, task result, timer fired, heartbeat,
// stop) is queued in the execution's mailbox; one worker at a time loads the
// execution (from a cache or the store), steps the pure interpreter, commits
// the new state, history events, timers and outgoing tasks in one store
// transaction, and only then dispatches the tasks and answers the callers.
//
// Thread-safe.

#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "asl/model.h"
#include "base/random.h"
#include "base/time.h"
#include "integrations/local_dispatch.h"
#include "runtime/execution.h"
#include "service/arn.h"
#include "service/execution_log.h"
#include "store/store.h"

namespace stepline::service {

struct EngineConfig {
  Account account;
  std::shared_ptr<const integrations::LocalFunctions> functions;
  int workers = 32;          // commits wait for fsync: many workers let the store batch them
  size_t cache_limit = 4096;  // executions kept in memory; the store holds the rest
  std::string log_dir;        // execution logs (loggingConfiguration); "": not written
};

// One input to an execution.
struct Input {
  enum class Kind { kTaskStarted, kTaskSucceeded, kTaskFailed, kHeartbeat, kTimer, kStop, kRedrive };
  Kind kind = Kind::kTimer;
  uint64_t id = 0;  // task or timer id
  Json output;
  std::string error, cause;
  bool has_error = false, has_cause = false;
  std::string worker;
  std::function<void(Status)> done;  // once the step is durable (or failed)
};

struct StartSpec {
  std::string state_machine_arn;  // unqualified
  std::string state_machine_name;
  std::string version_arn, alias_arn;
  std::string type = "STANDARD";
  std::string name;
  std::string input_text;
  Json input;
  std::string role_arn;
  std::string definition_id;
  std::string trace_header;
  int64_t redrive_count = 0;
  std::shared_ptr<const LogConfig> logging;  // null: logging OFF
};

class Engine {
 public:
  Engine(EngineConfig config, store::Store& durable, Clock& clock);
  ~Engine();
  void Start();     // recovers running executions and starts the workers and timer thread
  void Shutdown();  // stops threads; pending callbacks are dropped

  const EngineConfig& config() const { return config_; }
  store::Store& durable() { return durable_; }
  store::Store& express() { return *express_; }
  store::Store& StoreFor(const std::string& execution_arn);
  Clock& clock() { return clock_; }

  // Definitions are compiled once per distinct text and kept as "definition"
  // resources so executions can be resumed after their state machine changed.
  Result<std::string> RegisterDefinition(const std::string& text);
  Result<std::shared_ptr<const asl::Definition>> Definition(const std::string& id);

  // Starts an execution, applying AWS's idempotency rule for Standard names.
  // The first step runs on the calling thread only when it cannot wait for
  // anything: an Express execution of a straight-line definition
  // (asl::Definition::straight_line) that logs nothing, whose first step is
  // bounded and touches only memory. Otherwise it runs on a worker.
  void StartExecution(StartSpec spec, std::function<void(Result<store::ExecutionRow>)> done);
  void Deliver(const std::string& execution_arn, Input in);
  // Calls fn once the execution has ended (at once when it has).
  void WhenFinished(const std::string& execution_arn, std::function<void(const store::ExecutionRow&)> fn);
  // Counts tasks dispatched to an activity; a poller reads it before looking.
  uint64_t ActivityGeneration(const std::string& activity_arn);
  // Calls `wake` (once) when the activity may have a task, or at the deadline.
  // Returns false without registering when the generation moved past
  // `seen_generation` (a task arrived since the poller looked).
  bool WaitForActivity(const std::string& activity_arn, uint64_t seen_generation, Micros deadline,
                       std::function<void()> wake);
  // Runs a job on the worker pool.
  void Post(std::function<void()> job);

 private:
  struct Live {
    std::unique_ptr<runtime::Execution> exec;
    store::ExecutionRow row;
    std::shared_ptr<const LogConfig> logging;  // null: logging OFF
  };
  struct Mailbox {
    std::deque<Input> inputs;
    bool scheduled = false;
  };
  struct ActivityWaiter {
    Micros deadline;
    std::function<void()> wake;
  };

  void WorkerLoop();
  void TimerLoop();
  void Process(const std::string& arn);
  Result<std::shared_ptr<Live>> Load(const std::string& arn);
  void CacheLive(const std::string& arn, std::shared_ptr<Live> live);
  void Evict(const std::string& arn);
  void StartNow(StartSpec spec, std::shared_ptr<const asl::Definition> def,
                std::function<void(Result<store::ExecutionRow>)> done);
  // Builds the commit for a step (and drains the step's events).
  store::ExecutionCommit BuildCommit(Live& live, runtime::Effects& fx, const std::vector<uint64_t>& fired_timers,
                                     const std::vector<uint64_t>& finished_tasks, bool create);
  // After a successful commit: the live row takes the committed state.
  static void Committed(Live& live, store::ExecutionCommit& c);
  static void ApplyOutcome(store::ExecutionRow& row, const runtime::Execution& e);
  // Hands the mailbox back: schedules it again if inputs arrived meanwhile.
  void ReleaseMailbox(const std::string& arn);
  void Dispatch(const std::string& arn, const std::vector<runtime::TaskRequest>& tasks);
  void Finished(const store::ExecutionRow& row);
  void Recover();
  uint64_t NextSeed();

  // Answers the interpreter's questions about resources from the store.
  struct World final : runtime::Environment {
    explicit World(store::Store& s) : store(s) {}
    bool ActivityExists(const std::string& arn) const override;
    store::Store& store;
  };

  EngineConfig config_;
  store::Store& durable_;
  World world_{durable_};
  std::unique_ptr<store::Store> express_;
  Clock& clock_;
  integrations::LocalDispatcher dispatcher_;
  ExecutionLogs logs_{config_.log_dir};

  std::mutex defs_mu_;
  std::unordered_map<std::string, std::shared_ptr<const asl::Definition>> defs_;

  std::mutex mu_;  // mailboxes, jobs, waiters, cache
  std::condition_variable jobs_cv_;
  std::deque<std::function<void()>> jobs_;
  std::unordered_map<std::string, Mailbox> mailboxes_;
  std::unordered_map<std::string, std::pair<std::shared_ptr<Live>, std::list<std::string>::iterator>> cache_;
  std::list<std::string> lru_;
  std::unordered_map<std::string, std::vector<std::function<void(const store::ExecutionRow&)>>> finish_waiters_;
  std::map<std::string, std::deque<ActivityWaiter>> activity_waiters_;
  std::unordered_map<std::string, uint64_t> activity_generation_;
  std::set<std::pair<std::string, uint64_t>> timers_in_flight_;
  bool stopping_ = false;

  std::mutex timer_mu_;
  std::condition_variable timer_cv_;
  bool timer_wake_ = false;

  std::vector<std::thread> threads_;
  std::atomic<uint64_t> seed_{0};
};

// The execution's row fields as the API reports them.
const char* StatusOf(runtime::ExecStatus s);

}  // namespace stepline::service

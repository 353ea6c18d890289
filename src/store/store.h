#pragma once
// The store: everything Stepline keeps durably. One interface, several
// backends (memory, sqlite; postgres later), one test suite run against each.
//
// Records carry a few indexed columns plus a JSON document for the rest, so
// the service can grow attributes without schema changes. Implementations are
// thread-safe: any method may be called from any thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "base/time.h"
#include "history/event.h"

namespace stepline::store {

// Status names used by every backend.
inline constexpr const char* kNotFound = "NotFound";
inline constexpr const char* kAlreadyExists = "AlreadyExists";
inline constexpr const char* kConflict = "Conflict";          // optimistic concurrency lost
inline constexpr const char* kInvalidToken = "InvalidToken";  // a bad pagination token
inline constexpr const char* kStoreError = "StoreError";      // I/O or backend failure

// Page sizes for the List* calls: max 0 asks for kDefaultPageSize; larger
// requests are capped at kMaxPageSize.
inline constexpr size_t kDefaultPageSize = 100;
inline constexpr size_t kMaxPageSize = 1000;

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_token;  // empty: no more pages
};

// A state machine, a state machine version, an alias or an activity.
struct Resource {
  std::string arn;         // primary key
  std::string kind;        // "stateMachine" | "version" | "alias" | "activity"
  std::string parent_arn;  // versions and aliases: their state machine's ARN
  std::string name;
  Micros created = 0;
  Json doc;                // all other attributes, as the service defines them
};

struct ExecutionRow {
  std::string arn;                // primary key
  std::string state_machine_arn;  // unqualified state machine ARN (for listing)
  std::string version_arn;        // when started through a version
  std::string alias_arn;          // when started through an alias
  std::string map_run_arn;        // child executions of a distributed map
  std::string name;
  std::string type;    // "STANDARD" | "EXPRESS"
  std::string status;  // "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE"
  Micros start = 0;
  Micros stop = 0;     // 0 while running
  int64_t version = 0;       // bumped by every commit (optimistic concurrency)
  int64_t event_count = 0;   // events stored so far (ids are 1..event_count)
  Json doc;                  // input, output, error, cause, redrive data, ...
  Json snapshot;             // the interpreter's saved state
};


struct TimerRow {
  std::string execution_arn;
  uint64_t id = 0;  // unique within its execution
  Micros due = 0;
  Json data;        // e.g. {"kind": 2}
};

struct TaskRow {
  std::string execution_arn;
  uint64_t id = 0;           // unique within its execution
  std::string token;         // task token; unique across the store when set
  std::string activity_arn;  // set for activity tasks: workers poll by activity
  Micros created = 0;
  bool claimed = false;      // an activity worker took it (GetActivityTask)
  Json request;              // the runtime's TaskRequest, as JSON
};

// One step's worth of changes to one execution, applied atomically and
// durably: the new row, history events appended, timers and tasks added and
// removed (the outbox). `expected_version` is the row's version the step
// started from; 0 creates the execution (fails with AlreadyExists if present).
//
// Rules every backend applies (the store suite checks them):
// - an update changes status, stop, doc and snapshot (and the counters); the
//   identity columns (ARNs, name, type, start) keep their values from creation.
// - expected_version > 0 on an absent execution fails with NotFound; a version
//   mismatch fails with Conflict. A failed commit applies nothing.
// - new_events must carry ids event_count+1, event_count+2, ... of the stored
//   row (else StoreError); the store sets row.event_count itself.
// - timers and tasks belong to row.arn (their execution_arn is overwritten);
//   removals are applied before additions; adding an existing id replaces it;
//   removing an absent id is not an error.
// - a task token already used by another task fails with AlreadyExists.
struct ExecutionCommit {
  ExecutionRow row;  // row.version is ignored; the store sets expected_version + 1
  int64_t expected_version = 0;
  std::vector<history::Event> new_events;
  std::vector<TimerRow> add_timers;
  std::vector<uint64_t> remove_timers;
  std::vector<TaskRow> add_tasks;
  std::vector<uint64_t> remove_tasks;
};

struct ExecutionFilter {
  std::string state_machine_arn;  // required unless map_run_arn is set
  std::string version_or_alias_arn;
  std::string map_run_arn;
  std::string status;  // empty: any
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- resources ----
  // create_only: fails with AlreadyExists when the ARN exists; otherwise upserts.
  virtual Status PutResource(const Resource& r, bool create_only) = 0;
  virtual Result<Resource> GetResource(const std::string& arn) = 0;
  virtual Status DeleteResource(const std::string& arn) = 0;  // NotFound when absent
  // Lists one kind (and parent, when given) ordered by creation time, newest
  // first for versions, oldest first otherwise; `token` from a previous page.
  // Ties are broken by ARN in the same direction. A malformed token fails with
  // InvalidToken.
  virtual Result<Page<Resource>> ListResources(const std::string& kind, const std::string& parent_arn,
                                               const std::string& token, size_t max) = 0;

  // ---- executions ----
  // Durable when it returns OK. Backends group concurrent commits into one
  // transaction so throughput is not one fsync per commit.
  virtual Status Commit(const ExecutionCommit& c) = 0;
  // Commit without blocking the caller: `done` runs once the commit is durable
  // (OK) or has failed, on a store thread, so it must be quick and must not
  // call Commit itself. Lets a few threads keep many commits in flight, which
  // is what fills a group commit. May block while the backend's queue is
  // full (backpressure). The default implementation is synchronous.
  virtual void CommitAsync(ExecutionCommit c, std::function<void(Status)> done) { done(Commit(c)); }
  virtual Result<ExecutionRow> GetExecution(const std::string& arn) = 0;
  // Forgets an execution with its history, timers and tasks. The memory
  // store uses it for finished Express executions; durable backends keep
  // history and need not support it.
  virtual Status DeleteExecution(const std::string& arn) {
    return Status::Error(kStoreError, "DeleteExecution is not supported by this store");
  }
  // Newest first (by start time, then ARN, both descending).
  virtual Result<Page<ExecutionRow>> ListExecutions(const ExecutionFilter& f, const std::string& token,
                                                    size_t max) = 0;
  // Events with id > after_id (ascending), or id < before_id when reverse
  // (descending; before_id 0 means from the end). At most max (0: no limit).
  // NotFound when the execution does not exist.
  virtual Result<std::vector<history::Event>> ReadHistory(const std::string& arn, int64_t after_or_before_id,
                                                          size_t max, bool reverse) = 0;
  // ARNs of executions whose status is RUNNING (recovery after a restart).
  virtual Result<std::vector<std::string>> RunningExecutions() = 0;

  // ---- timers ----
  // Timers with due <= now, earliest first (then execution ARN, id); max 0: no
  // limit. Timers stay until a commit removes them.
  virtual Result<std::vector<TimerRow>> DueTimers(Micros now, size_t max) = 0;
  virtual Result<std::optional<Micros>> NextTimerDue() = 0;

  // ---- tasks (outbox, activity queue, task tokens) ----
  // By id; empty for an unknown execution.
  virtual Result<std::vector<TaskRow>> TasksOf(const std::string& execution_arn) = 0;
  virtual Result<TaskRow> TaskByToken(const std::string& token) = 0;  // NotFound
  // Atomically claims the oldest unclaimed task of an activity (by created,
  // then execution ARN, id); nullopt when none. The claim is durable.
  virtual Result<std::optional<TaskRow>> ClaimActivityTask(const std::string& activity_arn) = 0;
};

// Backends.
std::unique_ptr<Store> NewMemoryStore();
struct SqliteOptions {
  std::string path;            // database file; created when absent
  bool synchronous_full = true;  // fsync at every transaction commit
};
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

}  // namespace stepline::store

// The embedded durable backend. One writer thread owns the only writing
// connection and applies queued writes in group commits: many operations
// share one BEGIN IMMEDIATE ... COMMIT (at most kMaxBatch), each inside its
// own SAVEPOINT so one failing commit does not take the others down.
//
// Durability is pipelined: with synchronous_full the writer commits with
// synchronous=NORMAL (the WAL is written, not fsynced) and hands the
// transaction to a sync thread, which fdatasyncs the WAL and only then
// reports its operations done. While that fsync runs, the writer keeps its
// next transaction open and adds whatever arrives, committing it when the
// sync thread is free: one fsync per transaction, transactions as large as
// the load. A commit's OK still means it is on disk. Readers may see a
// commit up to one fsync before it is acknowledged; side effects follow the
// acknowledgement (outbox), never a read. A process crash loses nothing
// written to the WAL; a power loss loses only unacknowledged commits, and
// SQLite's WAL checksums keep the database consistent either way.
//
// Reads use a pool of separate connections (WAL lets them run while the
// writer commits). Checkpoints run on their own thread. Thread-safe.

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "history/codec.h"
#include "store/commit_rules.h"
#include "store/page_token.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_stats.h"
#include "store/store.h"

namespace stepline::store {
namespace {

using sqlite::Connection;
using sqlite::Stmt;

// Operations applied in one transaction. Large enough that the fsync is
// shared by many commits; small enough that one batch's latency stays low.
constexpr size_t kMaxBatch = 512;
// Writes waiting for the writer. Beyond this, Commit and CommitAsync block
// their caller (backpressure) instead of letting memory grow without bound.
constexpr size_t kMaxQueued = 16 * kMaxBatch;
// WAL size (in 4 KiB frames) that wakes the checkpointer. A large WAL lets a
// checkpoint copy each hot page once for many transactions.
constexpr int kCheckpointFrames = 8192;

constexpr char kResourceTag[] = "r";
constexpr char kExecutionTag[] = "e";

constexpr const char* kExecutionColumns =
    "arn, state_machine_arn, version_arn, alias_arn, map_run_arn, name, type, status, start, stop, version, "
    "event_count, doc, snapshot";

Result<Json> ParseStored(std::string_view text) {
  auto j = Json::Parse(text);
  if (!j.ok()) return Status::Error(kStoreError, "corrupt stored JSON: " + j.status().message());
  return std::move(j).value();
}

Result<ExecutionRow> ReadExecutionRow(const Stmt& s) {
  ExecutionRow r;
  r.arn = s.Str(0);
  r.state_machine_arn = s.Str(1);
  r.version_arn = s.Str(2);
  r.alias_arn = s.Str(3);
  r.map_run_arn = s.Str(4);
  r.name = s.Str(5);
  r.type = s.Str(6);
  r.status = s.Str(7);
  r.start = s.Int(8);
  r.stop = s.Int(9);
  r.version = s.Int(10);
  r.event_count = s.Int(11);
  SL_ASSIGN_OR_RETURN(r.doc, ParseStored(s.Text(12)));
  SL_ASSIGN_OR_RETURN(r.snapshot, ParseStored(s.Text(13)));
  return r;
}

Result<Resource> ReadResource(const Stmt& s) {
  Resource r;
  r.arn = s.Str(0);
  r.kind = s.Str(1);
  r.parent_arn = s.Str(2);
  r.name = s.Str(3);
  r.created = s.Int(4);
  SL_ASSIGN_OR_RETURN(r.doc, ParseStored(s.Text(5)));
  return r;
}

constexpr const char* kTaskColumns = "execution_arn, id, token, activity_arn, created, claimed, request";

Result<TaskRow> ReadTask(const Stmt& s) {
  TaskRow t;
  t.execution_arn = s.Str(0);
  t.id = uint64_t(s.Int(1));
  t.token = s.Str(2);
  t.activity_arn = s.Str(3);
  t.created = s.Int(4);
  t.claimed = s.Int(5) != 0;
  SL_ASSIGN_OR_RETURN(t.request, ParseStored(s.Text(6)));
  return t;
}

// A commit with its JSON already rendered to text. Encoding happens on the
// caller's thread so the single writer thread only runs SQL.
struct EncodedCommit {
  // The commit itself: borrowed from a Commit() caller, who waits until it
  // is applied; owned for CommitAsync.
  std::optional<ExecutionCommit> owned;
  const ExecutionCommit& c;
  std::string doc, snapshot;
  std::vector<std::string> event_rows;  // JSON arrays of up to kEventsPerRow events
  std::vector<std::string> timer_data;
  std::vector<std::string> task_requests;

  explicit EncodedCommit(const ExecutionCommit& borrowed) : c(borrowed) { Encode(); }
  explicit EncodedCommit(ExecutionCommit&& commit) : owned(std::move(commit)), c(*owned) { Encode(); }
  EncodedCommit(const EncodedCommit&) = delete;

 private:
  void Encode() {
    doc = c.row.doc.Dump();
    snapshot = c.row.snapshot.Dump();
    for (size_t i = 0; i < c.new_events.size(); ++i) {
      if (i % sqlite::kEventsPerRow == 0) event_rows.emplace_back("[");
      std::string& row = event_rows.back();
      if (row.size() > 1) row += ',';
      history::AppendEncodedEvent(row, c.new_events[i]);
      if (i + 1 == c.new_events.size() || (i + 1) % sqlite::kEventsPerRow == 0) row += ']';
    }
    for (const auto& t : c.add_timers) timer_data.push_back(t.data.Dump());
    for (const auto& t : c.add_tasks) task_requests.push_back(t.request.Dump());
  }
};

// Runs on the writer thread, inside the batch's transaction and the commit's savepoint.
Status ApplyCommit(Connection& db, const EncodedCommit& e) {
  const ExecutionCommit& c = e.c;
  bool exists = false;
  int64_t seq = 0, version = 0, event_count = 0;
  std::string status;
  {
    SL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("SELECT seq, version, event_count, status FROM executions WHERE arn = ?1"));
    s.Bind(1, c.row.arn);
    if (s.Step()) {
      exists = true;
      seq = s.Int(0);
      version = s.Int(1);
      event_count = s.Int(2);
      status = s.Str(3);
    }
    SL_RETURN_IF_ERROR(s.status());
  }
  SL_RETURN_IF_ERROR(CheckCommitAgainst(c, exists, version, event_count));
  const ExecutionRow& r = c.row;
  const int64_t new_count = event_count + int64_t(c.new_events.size());
  if (!exists) {
    SL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("INSERT INTO executions (arn, state_machine_arn, version_arn, alias_arn, "
                                           "map_run_arn, name, type, status, start, stop, version, event_count, doc, "
                                           "snapshot) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
    s.Bind(1, r.arn).Bind(2, r.state_machine_arn).Bind(3, r.version_arn).Bind(4, r.alias_arn);
    s.Bind(5, r.map_run_arn).Bind(6, r.name).Bind(7, r.type).Bind(8, r.status).Bind(9, r.start).Bind(10, r.stop);
    s.Bind(11, c.expected_version + 1).Bind(12, new_count).Bind(13, e.doc).Bind(14, e.snapshot);
    SL_RETURN_IF_ERROR(s.Run());
    seq = db.LastInsertRowid();
  } else {
    // Identity columns are fixed at creation (store.h), and status is left
    // out of the SET when unchanged: SQLite then skips every index on those
    // columns, which most transitions never touch.
    const bool status_changed = status != r.status;
    SL_ASSIGN_OR_RETURN(
        Stmt s, status_changed ? db.Prepare("UPDATE executions SET stop = ?2, version = ?3, event_count = ?4, "
                                            "doc = ?5, snapshot = ?6, status = ?7 WHERE arn = ?1")
                               : db.Prepare("UPDATE executions SET stop = ?2, version = ?3, event_count = ?4, "
                                            "doc = ?5, snapshot = ?6 WHERE arn = ?1"));
    s.Bind(1, r.arn).Bind(2, r.stop).Bind(3, c.expected_version + 1).Bind(4, new_count).Bind(5, e.doc);
    s.Bind(6, e.snapshot);
    if (status_changed) s.Bind(7, r.status);
    SL_RETURN_IF_ERROR(s.Run());
  }
  for (size_t k = 0; k < e.event_rows.size(); ++k) {
    SL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("INSERT INTO events (execution_seq, first_id, body) VALUES (?1, ?2, ?3)"));
    s.Bind(1, seq).Bind(2, c.new_events[k * sqlite::kEventsPerRow].id).Bind(3, e.event_rows[k]);
    SL_RETURN_IF_ERROR(s.Run());
  }
  for (uint64_t id : c.remove_timers) {
    SL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("DELETE FROM timers WHERE execution_arn = ?1 AND id = ?2"));
    s.Bind(1, r.arn).Bind(2, int64_t(id));
    SL_RETURN_IF_ERROR(s.Run());
  }
  for (size_t i = 0; i < c.add_timers.size(); ++i) {
    SL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("INSERT INTO timers (execution_arn, id, due, data) VALUES (?1, ?2, ?3, ?4) "
                                           "ON CONFLICT (execution_arn, id) DO UPDATE SET due = excluded.due, "
                                           "data = excluded.data"));
    s.Bind(1, r.arn).Bind(2, int64_t(c.add_timers[i].id)).Bind(3, c.add_timers[i].due).Bind(4, e.timer_data[i]);
    SL_RETURN_IF_ERROR(s.Run());
  }
  for (uint64_t id : c.remove_tasks) {
    SL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("DELETE FROM tasks WHERE execution_arn = ?1 AND id = ?2"));
    s.Bind(1, r.arn).Bind(2, int64_t(id));
    SL_RETURN_IF_ERROR(s.Run());
  }
  for (size_t i = 0; i < c.add_tasks.size(); ++i) {
    const TaskRow& t = c.add_tasks[i];
    // An upsert on the primary key only: INSERT OR REPLACE would also delete
    // another execution's task holding the same token.
    SL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("INSERT INTO tasks (execution_arn, id, token, activity_arn, created, claimed, "
                                           "request) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (execution_arn, id) "
                                           "DO UPDATE SET token = excluded.token, activity_arn = excluded.activity_arn, "
                                           "created = excluded.created, claimed = excluded.claimed, "
                                           "request = excluded.request"));
    s.Bind(1, r.arn).Bind(2, int64_t(t.id)).Bind(3, t.token).Bind(4, t.activity_arn).Bind(5, t.created);
    s.Bind(6, int64_t(t.claimed ? 1 : 0)).Bind(7, e.task_requests[i]);
    Status st = s.Run();
    if (!st.ok()) {
      if (db.ErrorCode() == SQLITE_CONSTRAINT_UNIQUE) return Status::Error(kAlreadyExists, "task token already in use");
      return st;
    }
  }
  return Status();
}

class SqliteStore final : public Store {
 public:
  ~SqliteStore() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    space_cv_.notify_all();
    if (writer_thread_.joinable()) writer_thread_.join();
    {
      std::lock_guard lock(mu_);
      sync_stopping_ = true;
    }
    sync_cv_.notify_all();
    if (sync_thread_.joinable()) sync_thread_.join();
    if (wal_fd_ >= 0) close(wal_fd_);
    {
      std::lock_guard lock(checkpoint_mu_);
      checkpoint_stop_ = true;
    }
    checkpoint_cv_.notify_all();
    if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
  }

  SqliteStats stats() const {
    return {stat_batches_.load(std::memory_order_relaxed), stat_ops_.load(std::memory_order_relaxed),
            stat_frames_.load(std::memory_order_relaxed), stat_syncs_.load(std::memory_order_relaxed)};
  }

  static Result<std::unique_ptr<Store>> Open(const SqliteOptions& options) {
    // SQLite's allocation statistics take a global mutex on every malloc;
    // Stepline does not read them. Only possible before SQLite initializes,
    // so a later call is a harmless no-op (SQLITE_MISUSE).
    static const int kNoMemStatus = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }();
    (void)kNoMemStatus;
    std::unique_ptr<SqliteStore> s(new SqliteStore(options));
    SL_ASSIGN_OR_RETURN(s->writer_, Connection::Open(options.path, false));
    Connection& db = *s->writer_;
    {
      SL_ASSIGN_OR_RETURN(Stmt m, db.Prepare("PRAGMA journal_mode = WAL"));
      if (!m.Step() || m.Text(0) != "wal")
        return Status::Error(kStoreError, "cannot use WAL mode for " + options.path + ": " + m.status().message());
    }
    // NORMAL: commits write the WAL without fsync; with synchronous_full the
    // sync thread makes them durable before anyone hears OK. NORMAL alone
    // survives a process crash, not a power loss.
    SL_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous = NORMAL"));
    SL_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384"));
    SL_RETURN_IF_ERROR(s->MigrateSchema());
    // Checkpoints run on their own thread and connection (PASSIVE: they never
    // block the writer), so the group commit does not stall behind copying
    // the WAL into the database. The hook replaces SQLite's autocheckpoint.
    SL_ASSIGN_OR_RETURN(s->checkpointer_, Connection::Open(options.path, false));
    // A checkpoint syncs the WAL before and the database after copying.
    SL_RETURN_IF_ERROR(s->checkpointer_->Exec("PRAGMA synchronous = NORMAL"));
    if (options.synchronous_full) {
      SL_RETURN_IF_ERROR(s->OpenWalForSync());
      s->sync_thread_ = std::thread([p = s.get()] {
        pthread_setname_np(pthread_self(), "sl-store-sync");
        p->SyncLoop();
      });
    }
    sqlite3_wal_hook(db.db(), &SqliteStore::WalHook, s.get());
    s->checkpoint_thread_ = std::thread([p = s.get()] {
      pthread_setname_np(pthread_self(), "sl-store-ckpt");
      p->CheckpointLoop();
    });
    s->writer_thread_ = std::thread([p = s.get()] {
      pthread_setname_np(pthread_self(), "sl-store-write");  // names show in top and perf
      p->WriterLoop();
    });
    return std::unique_ptr<Store>(std::move(s));
  }

  // ---- resources ----
  Status PutResource(const Resource& r, bool create_only) override {
    if (r.arn.empty()) return Status::Error(kStoreError, "resource without an ARN");
    std::string doc = r.doc.Dump();
    return Write([&](Connection& db) -> Status {
      SL_ASSIGN_OR_RETURN(
          Stmt s, create_only ? db.Prepare("INSERT INTO resources (arn, kind, parent_arn, name, created, doc) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                              : db.Prepare("INSERT INTO resources (arn, kind, parent_arn, name, created, doc) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (arn) DO UPDATE SET "
                                           "kind = excluded.kind, parent_arn = excluded.parent_arn, "
                                           "name = excluded.name, created = excluded.created, doc = excluded.doc"));
      s.Bind(1, r.arn).Bind(2, r.kind).Bind(3, r.parent_arn).Bind(4, r.name).Bind(5, r.created).Bind(6, doc);
      Status st = s.Run();
      if (!st.ok() && db.ErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY)
        return Status::Error(kAlreadyExists, "resource " + r.arn + " already exists");
      return st;
    });
  }

  Result<Resource> GetResource(const std::string& arn) override {
    auto db = AcquireReader();
    if (!db.ok()) return db.status();
    SL_ASSIGN_OR_RETURN(Stmt s, (*db)->Prepare("SELECT arn, kind, parent_arn, name, created, doc FROM resources "
                                                "WHERE arn = ?1"));
    s.Bind(1, arn);
    if (!s.Step()) {
      SL_RETURN_IF_ERROR(s.status());
      return NotFoundError("resource " + arn);
    }
    return ReadResource(s);
  }

  Status DeleteResource(const std::string& arn) override {
    return Write([&](Connection& db) -> Status {
      SL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("DELETE FROM resources WHERE arn = ?1"));
      s.Bind(1, arn);
      SL_RETURN_IF_ERROR(s.Run());
      if (db.Changes() == 0) return NotFoundError("resource " + arn);
      return Status();
    });
  }

  Result<Page<Resource>> ListResources(const std::string& kind, const std::string& parent_arn,
                                       const std::string& token, size_t max) override {
    std::optional<PageKey> after;
    if (!token.empty()) {
      after = DecodePageToken(kResourceTag, token);
      if (!after) return Status::Error(kInvalidToken, "invalid pagination token");
    }
    max = EffectivePageSize(max);
    const bool newest_first = kind == "version";
    std::string sql = "SELECT arn, kind, parent_arn, name, created, doc FROM resources WHERE kind = ?1";
    if (!parent_arn.empty()) sql += " AND parent_arn = ?2";
    if (after) sql += newest_first ? " AND (created, arn) < (?3, ?4)" : " AND (created, arn) > (?3, ?4)";
    sql += newest_first ? " ORDER BY created DESC, arn DESC LIMIT ?5" : " ORDER BY created, arn LIMIT ?5";
    auto db = AcquireReader();
    if (!db.ok()) return db.status();
    SL_ASSIGN_OR_RETURN(Stmt s, (*db)->Prepare(sql));
    s.Bind(1, kind).Bind(5, int64_t(max + 1));  // one more tells whether another page exists
    if (!parent_arn.empty()) s.Bind(2, parent_arn);
    if (after) s.Bind(3, after->number).Bind(4, after->arn);
    Page<Resource> page;
    while (s.Step()) {
      if (page.items.size() == max) {
        page.next_token = EncodePageToken(kResourceTag, {page.items.back().created, page.items.back().arn});
        break;
      }
      SL_ASSIGN_OR_RETURN(Resource r, ReadResource(s));
      page.items.push_back(std::move(r));
    }
    SL_RETURN_IF_ERROR(s.status());
    return page;
  }

  // ---- executions ----
  Status Commit(const ExecutionCommit& c) override {
    SL_RETURN_IF_ERROR(CheckCommitShape(c));
    auto e = std::make_shared<EncodedCommit>(c);
    return Write([e](Connection& db) { return ApplyCommit(db, *e); });
  }

  void CommitAsync(ExecutionCommit c, std::function<void(Status)> done) override {
    Status shape = CheckCommitShape(c);
    if (!shape.ok()) return done(shape);
    auto e = std::make_shared<EncodedCommit>(std::move(c));
    Enqueue([e](Connection& db) { return ApplyCommit(db, *e); }, std::move(done));
  }

  Result<ExecutionRow> GetExecution(const std::string& arn) override {
    auto db = AcquireReader();
    if (!db.ok()) return db.status();
    static const std::string sql = std::string("SELECT ") + kExecutionColumns + " FROM executions WHERE arn = ?1";
    SL_ASSIGN_OR_RETURN(Stmt s, (*db)->Prepare(sql));
    s.Bind(1, arn);
    if (!s.Step()) {
      SL_RETURN_IF_ERROR(s.status());
      return NotFoundError("execution " + arn);
    }
    return ReadExecutionRow(s);
  }

  Result<Page<ExecutionRow>> ListExecutions(const ExecutionFilter& f, const std::string& token,
                                            size_t max) override {
    std::optional<PageKey> after;
    if (!token.empty()) {
      after = DecodePageToken(kExecutionTag, token);
      if (!after) return Status::Error(kInvalidToken, "invalid pagination token");
    }
    max = EffectivePageSize(max);
    const bool by_map_run = !f.map_run_arn.empty();
    // Fixed parameter numbers; the SQL text (and so the cached statement)
    // varies with the filters present.
    std::string sql = std::string("SELECT ") + kExecutionColumns + " FROM executions WHERE ";
    // "<> ''" lets the planner use the partial index.
    sql += by_map_run ? "map_run_arn = ?1 AND map_run_arn <> ''" : "state_machine_arn = ?1";
    if (by_map_run && !f.state_machine_arn.empty()) sql += " AND state_machine_arn = ?2";
    if (!f.status.empty()) sql += " AND status = ?3";
    if (!f.version_or_alias_arn.empty()) sql += " AND (version_arn = ?4 OR alias_arn = ?4)";
    if (after) sql += " AND (start, arn) < (?5, ?6)";
    sql += " ORDER BY start DESC, arn DESC LIMIT ?7";
    auto db = AcquireReader();
    if (!db.ok()) return db.status();
    SL_ASSIGN_OR_RETURN(Stmt s, (*db)->Prepare(sql));
    s.Bind(1, by_map_run ? f.map_run_arn : f.state_machine_arn).Bind(7, int64_t(max + 1));
    if (by_map_run && !f.state_machine_arn.empty()) s.Bind(2, f.state_machine_arn);
    if (!f.status.empty()) s.Bind(3, f.status);
    if (!f.version_or_alias_arn.empty()) s.Bind(4, f.version_or_alias_arn);
    if (after) s.Bind(5, after->number).Bind(6, after->arn);
    Page<ExecutionRow> page;
    while (s.Step()) {
      if (page.items.size() == max) {
        page.next_token = EncodePageToken(kExecutionTag, {page.items.back().start, page.items.back().arn});
        break;
      }
      SL_ASSIGN_OR_RETURN(ExecutionRow r, ReadExecutionRow(s));
      page.items.push_back(std::move(r));
    }
    SL_RETURN_IF_ERROR(s.status());
    return page;
  }

  Result<std::vector<history::Event>> ReadHistory(const std::string& arn, int64_t after_or_before_id, size_t max,
                                                  bool reverse) override {
    auto db = AcquireReader();
    if (!db.ok()) return db.status();
    int64_t seq = 0;
    {
      SL_ASSIGN_OR_RETURN(Stmt x, (*db)->Prepare("SELECT seq FROM executions WHERE arn = ?1"));
      x.Bind(1, arn);
      if (!x.Step()) {
        SL_RETURN_IF_ERROR(x.status());
        return NotFoundError("execution " + arn);
      }
      seq = x.Int(0);
    }
    // Rows hold runs of events. Forward: from the row holding after + 1 on;
    // reverse: from the row holding before - 1 down.
    const int64_t before = after_or_before_id <= 0 ? INT64_MAX : after_or_before_id;
    SL_ASSIGN_OR_RETURN(
        Stmt s, reverse ? (*db)->Prepare("SELECT body FROM events WHERE execution_seq = ?1 AND first_id < ?2 "
                                         "ORDER BY first_id DESC")
                        : (*db)->Prepare("SELECT body FROM events WHERE execution_seq = ?1 AND first_id >= "
                                         "coalesce((SELECT first_id FROM events WHERE execution_seq = ?1 AND "
                                         "first_id <= ?2 ORDER BY first_id DESC LIMIT 1), 0) ORDER BY first_id"));
    s.Bind(1, seq).Bind(2, reverse ? before : after_or_before_id + 1);
    const size_t limit = max == 0 ? SIZE_MAX : max;
    std::vector<history::Event> out;
    while (out.size() < limit && s.Step()) {
      SL_ASSIGN_OR_RETURN(Json row, ParseStored(s.Text(0)));
      if (!row.is_array()) return Status::Error(kStoreError, "corrupt event row");
      const Json::Array& evs = row.get_array();
      for (size_t k = 0; k < evs.size() && out.size() < limit; ++k) {
        const Json& j = evs[reverse ? evs.size() - 1 - k : k];
        auto e = history::DecodeEvent(j);
        if (!e.ok()) return Status::Error(kStoreError, "corrupt event: " + e.status().message());
        if (reverse ? e->id >= before : e->id <= after_or_before_id) continue;
        out.push_back(std::move(e).value());
      }
    }
    SL_RETURN_IF_ERROR(s.status());
    return out;
  }

  Result<std::vector<std::string>> RunningExecutions() override {
    auto db = AcquireReader();
    if (!db.ok()) return db.status();
    SL_ASSIGN_OR_RETURN(Stmt s, (*db)->Prepare("SELECT arn FROM executions WHERE status = 'RUNNING' ORDER BY arn"));
    std::vector<std::string> out;
    while (s.Step()) out.push_back(s.Str(0));
    SL_RETURN_IF_ERROR(s.status());
    return out;
  }

  // ---- timers ----
  Result<std::vector<TimerRow>> DueTimers(Micros now, size_t max) override {
    auto db = AcquireReader();
    if (!db.ok()) return db.status();
    SL_ASSIGN_OR_RETURN(Stmt s, (*db)->Prepare("SELECT execution_arn, id, due, data FROM timers WHERE due <= ?1 "
                                                "ORDER BY due, execution_arn, id LIMIT ?2"));
    s.Bind(1, now).Bind(2, max == 0 ? int64_t(-1) : int64_t(max));
    std::vector<TimerRow> out;
    while (s.Step()) {
      TimerRow t;
      t.execution_arn = s.Str(0);
      t.id = uint64_t(s.Int(1));
      t.due = s.Int(2);
      SL_ASSIGN_OR_RETURN(t.data, ParseStored(s.Text(3)));
      out.push_back(std::move(t));
    }
    SL_RETURN_IF_ERROR(s.status());
    return out;
  }

  Result<std::optional<Micros>> NextTimerDue() override {
    auto db = AcquireReader();
    if (!db.ok()) return db.status();
    // ORDER BY + LIMIT rather than MIN() so an empty table yields no row.
    SL_ASSIGN_OR_RETURN(Stmt s, (*db)->Prepare("SELECT due FROM timers ORDER BY due LIMIT 1"));
    std::optional<Micros> out;
    if (s.Step()) out = s.Int(0);
    SL_RETURN_IF_ERROR(s.status());
    return out;
  }

  // ---- tasks ----
  Result<std::vector<TaskRow>> TasksOf(const std::string& execution_arn) override {
    auto db = AcquireReader();
    if (!db.ok()) return db.status();
    static const std::string sql = std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE execution_arn = ?1 ORDER BY id";
    SL_ASSIGN_OR_RETURN(Stmt s, (*db)->Prepare(sql));
    s.Bind(1, execution_arn);
    std::vector<TaskRow> out;
    while (s.Step()) {
      SL_ASSIGN_OR_RETURN(TaskRow t, ReadTask(s));
      out.push_back(std::move(t));
    }
    SL_RETURN_IF_ERROR(s.status());
    return out;
  }

  Result<TaskRow> TaskByToken(const std::string& token) override {
    if (token.empty()) return NotFoundError("task token");
    auto db = AcquireReader();
    if (!db.ok()) return db.status();
    // "token <> ''" lets the planner use the partial unique index.
    static const std::string sql = std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE token = ?1 AND token <> ''";
    SL_ASSIGN_OR_RETURN(Stmt s, (*db)->Prepare(sql));
    s.Bind(1, token);
    if (!s.Step()) {
      SL_RETURN_IF_ERROR(s.status());
      return NotFoundError("task token");
    }
    return ReadTask(s);
  }

  Result<std::optional<TaskRow>> ClaimActivityTask(const std::string& activity_arn) override {
    if (activity_arn.empty()) return std::optional<TaskRow>();
    // A write: the single writer serializes claims, so each task is claimed once.
    std::optional<TaskRow> claimed;
    Status st = Write([&](Connection& db) -> Status {
      static const std::string sql = std::string("SELECT ") + kTaskColumns +
                                     " FROM tasks WHERE activity_arn = ?1 AND activity_arn <> '' AND claimed = 0 "
                                     "ORDER BY created, execution_arn, id LIMIT 1";
      SL_ASSIGN_OR_RETURN(Stmt s, db.Prepare(sql));
      s.Bind(1, activity_arn);
      if (!s.Step()) return s.status();
      SL_ASSIGN_OR_RETURN(TaskRow t, ReadTask(s));
      SL_ASSIGN_OR_RETURN(Stmt u, db.Prepare("UPDATE tasks SET claimed = 1 WHERE execution_arn = ?1 AND id = ?2"));
      u.Bind(1, t.execution_arn).Bind(2, int64_t(t.id));
      SL_RETURN_IF_ERROR(u.Run());
      t.claimed = true;
      claimed = std::move(t);
      return Status();
    });
    if (!st.ok()) return st;
    return claimed;
  }

 private:
  using ApplyFn = std::function<Status(Connection&)>;
  struct Op {
    ApplyFn apply;
    std::function<void(Status)> done;
  };
  struct Completion {
    std::function<void(Status)> done;
    Status status;
    ApplyFn owned;  // keeps the operation's data until it is acknowledged
  };

  explicit SqliteStore(const SqliteOptions& options) : options_(options) {}

  Status MigrateSchema() {
    Connection& db = *writer_;
    int64_t version = 0;
    {
      SL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("PRAGMA user_version"));
      if (s.Step()) version = s.Int(0);
      SL_RETURN_IF_ERROR(s.status());
    }
    if (version > sqlite::kSchemaVersion)
      return Status::Error(kStoreError, options_.path + " has schema version " + std::to_string(version) +
                                            ", newer than this build's " + std::to_string(sqlite::kSchemaVersion));
    if (version == sqlite::kSchemaVersion) return Status();
    // Foreign keys and legacy renames can only change outside a transaction.
    const bool from1 = version == 1;
    if (from1) SL_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON"));
    SL_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    Status st = from1 ? db.Exec(sqlite::kMigrateFrom1) : Status();
    if (st.ok()) st = db.Exec(sqlite::kSchema);
    if (st.ok() && from1) st = db.Exec(sqlite::kMigrateFrom1Copy);
    if (st.ok() && from1) {
      // Every child row must still find its execution.
      SL_ASSIGN_OR_RETURN(Stmt check, db.Prepare("PRAGMA foreign_key_check"));
      if (check.Step()) st = Status::Error(kStoreError, "schema migration left rows without their execution");
    }
    if (st.ok()) st = db.Exec(("PRAGMA user_version = " + std::to_string(sqlite::kSchemaVersion)).c_str());
    if (st.ok()) st = db.Exec("COMMIT");
    if (!st.ok()) db.Exec("ROLLBACK");
    if (from1) {
      Status on = db.Exec("PRAGMA legacy_alter_table = OFF; PRAGMA foreign_keys = ON");
      if (st.ok()) st = on;
    }
    return st;
  }

  // Queues a write and waits until its batch has committed (or failed).
  Status Write(ApplyFn fn) {
    // Shared so the promise outlives set_value even after the caller returns.
    auto p = std::make_shared<std::promise<Status>>();
    auto f = p->get_future();
    Enqueue(std::move(fn), [p](Status st) { p->set_value(std::move(st)); });
    return f.get();
  }

  void Enqueue(ApplyFn fn, std::function<void(Status)> done) {
    if (broken_) return done(Status::Error(kStoreError, "an fsync failed earlier; reopen the store"));
    {
      std::unique_lock lock(mu_);
      space_cv_.wait(lock, [&] { return stopping_ || queue_.size() < kMaxQueued; });
      if (!stopping_) {
        queue_.push_back(Op{std::move(fn), std::move(done)});
        cv_.notify_one();
        return;
      }
    }
    done(Status::Error(kStoreError, "store is closed"));
  }

  // The writer keeps one transaction open while the sync thread is busy,
  // adding every operation that arrives meanwhile, and commits it when the
  // sync thread is free (or the transaction holds kMaxBatch operations). An
  // acknowledgement cannot come before the next fsync anyway, so waiting
  // costs no latency, and larger transactions write each shared page once.
  void WriterLoop() {
    std::vector<Op> txn;  // operations applied in the open transaction
    std::vector<Status> results;
    bool in_txn = false;
    for (;;) {
      std::vector<Op> fresh;
      bool commit_now = false;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] {
          return stopping_ || !queue_.empty() || (in_txn && (!options_.synchronous_full || SyncIdleLocked()));
        });
        if (!in_txn && queue_.empty()) return;  // stopping, and everything queued is done
        while (!queue_.empty() && txn.size() + fresh.size() < kMaxBatch) {
          fresh.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        commit_now = !options_.synchronous_full || SyncIdleLocked() || stopping_ ||
                     txn.size() + fresh.size() >= kMaxBatch;
      }
      space_cv_.notify_all();
      if (!fresh.empty()) {
        if (!in_txn) {
          Status begin = writer_->Run("BEGIN IMMEDIATE");
          if (!begin.ok()) {
            for (auto& op : fresh) op.done(begin);
            continue;
          }
          in_txn = true;
        }
        if (!ApplyOps(fresh, results)) {
          // SQLite rolled the transaction back: nothing in it was applied.
          Status lost = Status::Error(kStoreError, "transaction rolled back: " + writer_->Error("apply").message());
          for (auto& op : txn) op.done(lost);
          for (auto& op : fresh) op.done(lost);
          txn.clear();
          results.clear();
          in_txn = false;
          continue;
        }
        for (auto& op : fresh) txn.push_back(std::move(op));
      }
      if (in_txn && commit_now) {
        CommitTxn(txn, results);
        txn.clear();
        results.clear();
        in_txn = false;
      }
    }
  }

  // Applies operations inside the open transaction, each in its own
  // savepoint; appends their outcomes to `results`. False when SQLite rolled
  // the whole transaction back (I/O error, disk full).
  bool ApplyOps(std::vector<Op>& ops, std::vector<Status>& results) {
    Connection& db = *writer_;
    for (auto& op : ops) {
      Status st = db.Run("SAVEPOINT op");
      if (st.ok()) {
        st = op.apply(db);
        if (!st.ok() && !sqlite3_get_autocommit(db.db())) db.Run("ROLLBACK TO op");
      }
      if (sqlite3_get_autocommit(db.db())) return false;
      db.Run("RELEASE op");
      results.push_back(std::move(st));
    }
    return true;
  }

  // Commits the open transaction and hands its operations to the sync thread
  // (synchronous_full) or completes them.
  void CommitTxn(std::vector<Op>& txn, std::vector<Status>& results) {
    Status commit = writer_->Run("COMMIT");
    if (!commit.ok()) {
      writer_->Run("ROLLBACK");
      for (auto& st : results) st = commit;
    }
    stat_batches_.fetch_add(1, std::memory_order_relaxed);
    stat_ops_.fetch_add(int64_t(txn.size()), std::memory_order_relaxed);
    if (commit.ok() && options_.synchronous_full) {
      std::lock_guard lock(mu_);
      // The operations travel along so their (possibly large) commits are
      // freed on the sync thread, not on the writer's critical path.
      for (size_t i = 0; i < txn.size(); ++i)
        sync_pending_.push_back(Completion{std::move(txn[i].done), std::move(results[i]), std::move(txn[i].apply)});
      sync_cv_.notify_one();
      return;
    }
    for (size_t i = 0; i < txn.size(); ++i) txn[i].done(std::move(results[i]));
  }

  bool SyncIdleLocked() const { return !syncing_ && sync_pending_.empty(); }

  static int WalHook(void* self, sqlite3*, const char*, int frames) {
    auto* store = static_cast<SqliteStore*>(self);
    // `frames` is the WAL's size; it restarts from 0 after a checkpoint.
    int new_frames = frames > store->last_frames_ ? frames - store->last_frames_ : frames;
    store->last_frames_ = frames;
    store->stat_frames_.fetch_add(new_frames, std::memory_order_relaxed);
    if (frames >= kCheckpointFrames) {
      std::lock_guard lock(store->checkpoint_mu_);
      store->checkpoint_wanted_ = true;
      store->checkpoint_cv_.notify_one();
    }
    return SQLITE_OK;
  }

  void CheckpointLoop() {
    for (;;) {
      {
        std::unique_lock lock(checkpoint_mu_);
        checkpoint_cv_.wait(lock, [&] { return checkpoint_stop_ || checkpoint_wanted_; });
        if (checkpoint_stop_) return;
        checkpoint_wanted_ = false;
      }
      // Failure is harmless (BUSY with another checkpointer, say): the WAL
      // just grows until the next attempt.
      sqlite3_wal_checkpoint_v2(checkpointer_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
  }

  Status OpenWalForSync() {
    // The WAL exists once the writer has opened the database in WAL mode.
    // Our own descriptor: fdatasync flushes the file's data whichever
    // descriptor wrote it.
    const std::string wal = options_.path + "-wal";
    wal_fd_ = open(wal.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0) return Status::Error(kStoreError, "cannot open " + wal + " for syncing");
    // Make the WAL's directory entry durable too.
    std::string dir = std::filesystem::path(options_.path).parent_path().string();
    if (dir.empty()) dir = ".";
    int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
    return Status();
  }

  // Acknowledges committed transactions once an fdatasync that started after
  // their COMMIT has returned: one fsync for everything pending.
  void SyncLoop() {
    std::vector<Completion> ready;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        syncing_ = false;
        // The writer may be holding a transaction open until we are idle.
        if (sync_pending_.empty()) cv_.notify_one();
        sync_cv_.wait(lock, [&] { return sync_stopping_ || !sync_pending_.empty(); });
        if (sync_pending_.empty()) return;  // stopping, and all acknowledged
        ready.swap(sync_pending_);
        syncing_ = true;
      }
      stat_syncs_.fetch_add(1, std::memory_order_relaxed);
      if (fdatasync(wal_fd_) != 0) {
        // After a failed fsync the kernel may have dropped the dirty pages:
        // nothing written since can be trusted durable, so stop writing.
        broken_ = true;
        for (auto& c : ready) c.status = Status::Error(kStoreError, "fsync of the WAL failed");
      }
      for (auto& c : ready) c.done(std::move(c.status));
      ready.clear();
    }
  }

  // A read connection, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(SqliteStore* s, std::unique_ptr<Connection> c) : s_(s), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (c_) s_->ReleaseReader(std::move(c_));
    }
    Connection* operator->() { return c_.get(); }

   private:
    SqliteStore* s_;
    std::unique_ptr<Connection> c_;
  };

  Result<Lease> AcquireReader() {
    {
      std::lock_guard lock(readers_mu_);
      if (!readers_.empty()) {
        auto c = std::move(readers_.back());
        readers_.pop_back();
        return Lease(this, std::move(c));
      }
    }
    SL_ASSIGN_OR_RETURN(auto c, Connection::Open(options_.path, true));
    SL_RETURN_IF_ERROR(c->Exec("PRAGMA query_only = ON"));
    return Lease(this, std::move(c));
  }

  void ReleaseReader(std::unique_ptr<Connection> c) {
    std::lock_guard lock(readers_mu_);
    readers_.push_back(std::move(c));
  }

  const SqliteOptions options_;
  std::unique_ptr<Connection> writer_;  // used only by the writer thread after Open
  std::thread writer_thread_;
  int wal_fd_ = -1;  // synchronous_full: the WAL, for the sync thread's fdatasync
  std::thread sync_thread_;
  std::condition_variable sync_cv_;      // the sync thread waits for commits (under mu_)
  std::vector<Completion> sync_pending_;  // committed, not yet fsynced (under mu_)
  bool syncing_ = false;                  // an fdatasync is running (under mu_)
  bool sync_stopping_ = false;
  std::atomic<bool> broken_{false};
  int last_frames_ = 0;  // writer thread only (the WAL hook)
  std::atomic<int64_t> stat_batches_{0}, stat_ops_{0}, stat_frames_{0}, stat_syncs_{0};
  std::unique_ptr<Connection> checkpointer_;  // used only by the checkpoint thread
  std::thread checkpoint_thread_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;
  bool checkpoint_stop_ = false;
  std::mutex mu_;
  std::condition_variable cv_;        // the writer waits for work
  std::condition_variable space_cv_;  // producers wait for queue space
  std::deque<Op> queue_;
  bool stopping_ = false;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> readers_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) { return SqliteStore::Open(options); }

std::optional<SqliteStats> GetSqliteStats(const Store& store) {
  auto* s = dynamic_cast<const SqliteStore*>(&store);
  if (!s) return std::nullopt;
  return s->stats();
}

}  // namespace stepline::store

// What only the SQLite backend promises: the file format (WAL, schema
// version), indexes behind every query, and consistency after SIGKILL.
// Everything else is in ../store_suite_test.cc, which runs against it too.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "store/store.h"
#include "store/store_test_util.h"

namespace stepline::store {
namespace {

using namespace stepline::store::testing;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/stepline-sqlite-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/db.sqlite";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> Open() {
    auto s = OpenSqliteStore({path_, true});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // Runs SQL on a separate raw connection; returns the rows, columns joined by '|'.
  std::vector<std::string> Query(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    std::vector<std::string> rows;
    char* err = nullptr;
    sqlite3_exec(
        db, sql.c_str(),
        [](void* out, int n, char** vals, char**) {
          std::string row;
          for (int i = 0; i < n; ++i) row += (i ? "|" : "") + std::string(vals[i] ? vals[i] : "NULL");
          static_cast<std::vector<std::string>*>(out)->push_back(row);
          return 0;
        },
        &rows, &err);
    EXPECT_EQ(err, nullptr) << err;
    sqlite3_free(err);
    sqlite3_close(db);
    return rows;
  }

  std::string dir_, path_;
};

TEST_F(SqliteStoreTest, CreatesAWalDatabaseWithTheSchema) {
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Query("PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  EXPECT_EQ(Query("PRAGMA user_version"), std::vector<std::string>{"2"});
  EXPECT_EQ(Query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"),
            (std::vector<std::string>{"events", "executions", "resources", "tasks", "timers"}));
  EXPECT_EQ(Query("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

// The store's queries, as EXPLAIN QUERY PLAN sees them: each must search an
// index, never scan a table. (Texts mirror sqlite_store.cc.)
TEST_F(SqliteStoreTest, EveryQuerySearchesAnIndex) {
  ASSERT_NE(Open(), nullptr);
  const char* queries[] = {
      "SELECT * FROM resources WHERE kind = 'version' AND (created, arn) < (1, 'x') ORDER BY created DESC, arn "
      "DESC LIMIT 5",
      "SELECT * FROM resources WHERE kind = 'version' AND parent_arn = 'p' ORDER BY created DESC, arn DESC LIMIT 5",
      "SELECT * FROM executions WHERE state_machine_arn = 's' AND (start, arn) < (5, 'x') ORDER BY start DESC, "
      "arn DESC LIMIT 5",
      "SELECT * FROM executions WHERE state_machine_arn = 's' AND status = 'RUNNING' ORDER BY start DESC, arn "
      "DESC LIMIT 5",
      "SELECT * FROM executions WHERE map_run_arn = 'm' AND map_run_arn <> '' ORDER BY start DESC, arn DESC LIMIT 5",
      "SELECT arn FROM executions WHERE status = 'RUNNING' ORDER BY arn",
      "SELECT seq, version, event_count, status FROM executions WHERE arn = 'x'",
      "SELECT seq FROM executions WHERE arn = 'x'",
      "SELECT body FROM events WHERE execution_seq = 1 AND first_id < 9 ORDER BY first_id DESC",
      "SELECT body FROM events WHERE execution_seq = 1 AND first_id >= coalesce((SELECT first_id FROM events WHERE "
      "execution_seq = 1 AND first_id <= 5 ORDER BY first_id DESC LIMIT 1), 0) ORDER BY first_id",
      "SELECT * FROM timers WHERE due <= 5 ORDER BY due, execution_arn, id LIMIT 10",
      "SELECT due FROM timers ORDER BY due LIMIT 1",
      "SELECT * FROM tasks WHERE execution_arn = 'x' ORDER BY id",
      "SELECT * FROM tasks WHERE token = 't' AND token <> ''",
      "SELECT * FROM tasks WHERE activity_arn = 'a' AND activity_arn <> '' AND claimed = 0 ORDER BY created, "
      "execution_arn, id LIMIT 1",
  };
  for (const char* q : queries) {
    auto plan = Query(std::string("EXPLAIN QUERY PLAN ") + q);
    std::string all;
    for (auto& row : plan) all += row + "\n";
    ASSERT_FALSE(plan.empty());
    for (auto& row : plan) {
      // SEARCH uses an index; SCAN is fine only over an index (a partial one,
      // or an ordered walk stopped by LIMIT), never over a table.
      bool indexed = row.find("SEARCH ") != std::string::npos || row.find(" USING ") != std::string::npos ||
                     row.find("SCALAR SUBQUERY") != std::string::npos;  // a label; its own rows follow
      EXPECT_TRUE(indexed) << q << "\n" << all;
    }
    EXPECT_EQ(all.find("TEMP B-TREE"), std::string::npos) << q << "\n" << all;  // no sort step
  }
}

// A database written by schema version 1 (executions and events keyed by
// ARN) opens with everything in it: rows, history, timers, tasks.
TEST_F(SqliteStoreTest, MigratesVersion1) {
  Query(R"sql(
PRAGMA journal_mode = WAL;
CREATE TABLE resources (arn TEXT PRIMARY KEY, kind TEXT NOT NULL, parent_arn TEXT NOT NULL, name TEXT NOT NULL,
  created INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX resources_by_kind ON resources(kind, created, arn);
CREATE INDEX resources_by_parent ON resources(kind, parent_arn, created, arn);
CREATE TABLE executions (arn TEXT PRIMARY KEY, state_machine_arn TEXT NOT NULL, version_arn TEXT NOT NULL,
  alias_arn TEXT NOT NULL, map_run_arn TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL,
  start INTEGER NOT NULL, stop INTEGER NOT NULL, version INTEGER NOT NULL, event_count INTEGER NOT NULL,
  doc TEXT NOT NULL, snapshot TEXT NOT NULL);
CREATE INDEX executions_by_sm ON executions(state_machine_arn, start, arn);
CREATE INDEX executions_by_sm_status ON executions(state_machine_arn, status, start, arn);
CREATE INDEX executions_by_map_run ON executions(map_run_arn, start, arn);
CREATE INDEX executions_running ON executions(arn) WHERE status = 'RUNNING';
CREATE TABLE events (execution_arn TEXT NOT NULL REFERENCES executions(arn) ON DELETE CASCADE,
  id INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (execution_arn, id)) WITHOUT ROWID;
CREATE TABLE timers (execution_arn TEXT NOT NULL REFERENCES executions(arn) ON DELETE CASCADE,
  id INTEGER NOT NULL, due INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (execution_arn, id)) WITHOUT ROWID;
CREATE INDEX timers_by_due ON timers(due, execution_arn, id);
CREATE TABLE tasks (execution_arn TEXT NOT NULL REFERENCES executions(arn) ON DELETE CASCADE,
  id INTEGER NOT NULL, token TEXT NOT NULL, activity_arn TEXT NOT NULL, created INTEGER NOT NULL,
  claimed INTEGER NOT NULL, request TEXT NOT NULL, PRIMARY KEY (execution_arn, id)) WITHOUT ROWID;
CREATE UNIQUE INDEX tasks_by_token ON tasks(token) WHERE token <> '';
CREATE INDEX tasks_by_activity ON tasks(activity_arn, claimed, created, execution_arn, id) WHERE activity_arn <> '';
INSERT INTO executions VALUES ('arn:e:b', 'arn:sm', '', '', '', 'b', 'STANDARD', 'RUNNING', 20, 0, 2, 2,
  '{"input":"{}"}', '{"pc":1}');
INSERT INTO executions VALUES ('arn:e:a', 'arn:sm', '', '', '', 'a', 'STANDARD', 'SUCCEEDED', 10, 11, 1, 1,
  '{"output":"7"}', '{}');
INSERT INTO events VALUES ('arn:e:b', 1, '{"t":"ExecutionStarted","id":1,"p":0,"ts":20}');
INSERT INTO events VALUES ('arn:e:b', 2, '{"t":"PassStateEntered","id":2,"p":1,"ts":21,"n":"P"}');
INSERT INTO events VALUES ('arn:e:a', 1, '{"t":"ExecutionStarted","id":1,"p":0,"ts":10}');
INSERT INTO timers VALUES ('arn:e:b', 3, 99, '{"kind":0}');
INSERT INTO tasks VALUES ('arn:e:b', 4, 'tok', 'arn:act', 5, 0, '{}');
PRAGMA user_version = 1;
)sql");
  auto s = Open();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(Query("PRAGMA user_version"), std::vector<std::string>{"2"});
  auto b = s->GetExecution("arn:e:b");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->status, "RUNNING");
  EXPECT_EQ(b->version, 2);
  EXPECT_EQ(b->snapshot.Dump(), R"({"pc":1})");
  auto hb = s->ReadHistory("arn:e:b", 0, 0, false);
  ASSERT_TRUE(hb.ok()) << hb.status().ToString();
  ASSERT_EQ(hb->size(), 2u);
  EXPECT_EQ((*hb)[1].name, "P");
  auto ha = s->ReadHistory("arn:e:a", 0, 0, false);
  ASSERT_TRUE(ha.ok());
  EXPECT_EQ(ha->size(), 1u);
  auto timers = s->DueTimers(100, 0);
  ASSERT_TRUE(timers.ok());
  ASSERT_EQ(timers->size(), 1u);
  EXPECT_EQ((*timers)[0].execution_arn, "arn:e:b");
  auto task = s->TaskByToken("tok");
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->id, 4u);
  auto running = s->RunningExecutions();
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(*running, std::vector<std::string>{"arn:e:b"});
  // Older executions keep the lower numbers; later commits still work.
  EXPECT_EQ(Query("SELECT arn FROM executions ORDER BY seq"), (std::vector<std::string>{"arn:e:a", "arn:e:b"}));
  ExecutionCommit c;
  c.row = *b;
  c.expected_version = 2;
  c.new_events = {MakeEvent(3)};
  ASSERT_TRUE(s->Commit(c).ok());
  EXPECT_EQ(s->ReadHistory("arn:e:b", 0, 0, false)->size(), 3u);
  s.reset();
  EXPECT_EQ(Query("PRAGMA foreign_key_check"), std::vector<std::string>{});
  EXPECT_EQ(Query("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_EQ(Query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"),
            (std::vector<std::string>{"events", "executions", "resources", "tasks", "timers"}));
}

TEST_F(SqliteStoreTest, RefusesANewerSchema) {
  ASSERT_NE(Open(), nullptr);
  Query("PRAGMA user_version = 99");
  auto s = OpenSqliteStore({path_, true});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().name(), kStoreError);
  EXPECT_NE(s.status().message().find("99"), std::string::npos);
}

TEST_F(SqliteStoreTest, FailsCleanlyOnAFileThatIsNotADatabase) {
  std::ofstream(path_) << std::string(8192, 'x');
  auto s = OpenSqliteStore({path_, true});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().name(), kStoreError);
  auto missing = OpenSqliteStore({dir_ + "/no/such/dir/db", true});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().name(), kStoreError);
}

TEST_F(SqliteStoreTest, WorksWithoutFsyncToo) {
  auto s = OpenSqliteStore({path_, false});
  ASSERT_TRUE(s.ok());
  ExecutionCommit c;
  c.row = MakeRow("ex:1", "sm:A", 1);
  c.new_events = {MakeEvent(1)};
  ASSERT_TRUE((*s)->Commit(c).ok());
  s = Status();  // close
  auto again = Open();
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->GetExecution("ex:1")->event_count, 1);
}

// A child process commits from several threads and reports each
// acknowledged commit through a pipe; it is SIGKILLed mid-stream. Every
// acknowledged commit must be there afterwards, and every execution must be
// whole: row, events and timer from the same commits.
TEST_F(SqliteStoreTest, SigkillMidStreamLosesNoAcknowledgedCommit) {
  constexpr int kThreads = 4;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    auto s = OpenSqliteStore({path_, true});
    if (!s.ok()) _exit(3);
    Store* store = s->get();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([store, t, fd = fds[1]] {
        for (int e = 0;; ++e) {
          std::string arn = "ex:" + std::to_string(t) + "-" + std::to_string(e);
          for (int v = 0; v < 10; ++v) {
            ExecutionCommit c;
            c.row = MakeRow(arn, "sm:A", e);
            c.expected_version = v;
            c.new_events = {MakeEvent(2 * v + 1), MakeEvent(2 * v + 2)};
            c.add_timers = {MakeTimer(v + 1, 100 + v)};
            if (v > 0) c.remove_timers = {uint64_t(v)};
            if (!store->Commit(c).ok()) _exit(4);
            std::string line = arn + " " + std::to_string(v + 1) + "\n";
            if (write(fd, line.data(), line.size()) != ssize_t(line.size())) _exit(5);
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    _exit(0);
  }
  close(fds[1]);
  // Let it run, then kill it without warning.
  std::string acks;
  char buf[4096];
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  while (std::chrono::steady_clock::now() < until) {
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    acks.append(buf, size_t(n));
  }
  kill(pid, SIGKILL);
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) acks.append(buf, size_t(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);

  std::map<std::string, int64_t> acked;
  std::istringstream in(acks);
  for (std::string arn; in >> arn;) {
    int64_t v;
    in >> v;
    acked[arn] = std::max(acked[arn], v);
  }
  ASSERT_GT(acked.size(), 0u) << "nothing was committed before the kill";

  EXPECT_EQ(Query("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_EQ(Query("PRAGMA foreign_key_check"), std::vector<std::string>{});
  auto s = Open();
  ASSERT_NE(s, nullptr);
  for (const auto& [arn, v] : acked) {
    auto row = s->GetExecution(arn);
    ASSERT_TRUE(row.ok()) << arn;
    EXPECT_GE(row->version, v) << arn;
  }
  // Whole commits only: in every execution, events and timers match the version.
  auto rows = Query(
      "SELECT e.arn, e.version, e.event_count, (SELECT sum(json_array_length(body)) FROM events WHERE execution_seq = e.seq), "
      "(SELECT group_concat(id) FROM timers WHERE execution_arn = e.arn) FROM executions e");
  ASSERT_GE(rows.size(), acked.size());
  for (const auto& r : rows) {
    std::vector<std::string> f;
    std::stringstream ss(r);
    for (std::string x; std::getline(ss, x, '|');) f.push_back(x);
    ASSERT_EQ(f.size(), 5u) << r;
    int64_t version = std::stoll(f[1]);
    EXPECT_EQ(std::stoll(f[2]), 2 * version) << r;
    EXPECT_EQ(std::stoll(f[3]), 2 * version) << r;
    EXPECT_EQ(f[4], std::to_string(version)) << r;  // exactly the latest timer
  }
}

}  // namespace
}  // namespace stepline::store

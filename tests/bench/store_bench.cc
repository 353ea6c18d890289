// Store commit throughput: how many typical transition commits (execution row
// + 2 history events + 1 timer, replacing the previous timer) become durable
// per second, with concurrent committers sharing group commits.
//
//   build-store/tests/store_bench --benchmark_min_time=3
//
// sync_full:1 SQLite with an fsync before each acknowledgement; sync_full:0
// SQLite without fsync (survives a process crash, not a power loss);
// sync_full:-1 the memory store.
// BM_Commit/threads:N: N threads each blocking in Commit().
// BM_CommitAsync/window:W: one thread keeping W commits in flight through
// CommitAsync, which is how a service drives many executions with few threads.
// Counters: cpu_us/op is the whole process's CPU per commit; ops/txn and
// ops/fsync show how many commits shared a transaction and an fsync.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <algorithm>

#include "store/sqlite/sqlite_stats.h"
#include "store/store.h"
#include "store/store_test_util.h"

using namespace stepline;
using namespace stepline::store;

namespace {

constexpr int kStepsPerExecution = 100;  // then the lane starts a new execution

std::unique_ptr<Store> g_store;
std::string g_dir;
std::atomic<int64_t> g_execution_seq{0};

void OpenStore(const benchmark::State& state) {
  char tmpl[] = "/tmp/stepline-bench-XXXXXX";
  g_dir = mkdtemp(tmpl);
  if (state.range(0) < 0) {
    g_store = NewMemoryStore();
    return;
  }
  auto s = OpenSqliteStore({g_dir + "/bench.db", state.range(0) == 1});
  if (!s.ok()) abort();
  g_store = std::move(s).value();
}

void CloseStore(const benchmark::State&) {
  g_store.reset();
  std::filesystem::remove_all(g_dir);
}

// One execution's position: the next commit continues from here.
struct Lane {
  std::string arn;
  int64_t version = 0;
};

Json BigishDoc() {
  static const Json doc = [] {
    Json::Object o;
    o.push_back({"input", Json(std::string(160, 'i'))});
    o.push_back({"roleArn", Json("arn:aws:iam::123456789012:role/service-role/StepFunctions")});
    return Json(std::move(o));
  }();
  return doc;
}

Json Snapshot(int64_t step) {
  Json::Object o;
  o.push_back({"state", Json("Step" + std::to_string(step))});
  o.push_back({"input", Json(std::string(200, 's'))});
  o.push_back({"ctx", Json(Json::Object{{"attempt", Json(0)}, {"step", Json(step)}})});
  return Json(std::move(o));
}

// The commit of one Wait-state transition: exit + enter events, a new timer.
ExecutionCommit NextCommit(Lane& lane) {
  if (lane.arn.empty() || lane.version == kStepsPerExecution) {
    lane.arn = "arn:aws:states:us-east-1:123456789012:execution:bench:" + std::to_string(++g_execution_seq);
    lane.version = 0;
  }
  ExecutionCommit c;
  c.row = testing::MakeRow(lane.arn, "arn:aws:states:us-east-1:123456789012:stateMachine:bench", 1000);
  c.row.doc = BigishDoc();
  c.row.snapshot = Snapshot(lane.version);
  c.expected_version = lane.version;
  c.new_events = {testing::MakeEvent(2 * lane.version + 1, history::EventType::kWaitStateExited),
                  testing::MakeEvent(2 * lane.version + 2, history::EventType::kWaitStateEntered)};
  c.add_timers = {testing::MakeTimer(uint64_t(lane.version + 1), 5'000'000 + lane.version)};
  if (lane.version > 0) c.remove_timers = {uint64_t(lane.version)};
  return c;
}

// CPU seconds of the whole process (every thread: callers, writer, sync,
// checkpointer). Per commit, this is the figure that does not depend on what
// else runs on the machine.
double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Group-commit shape of the run so far: operations per transaction and per
// fsync, WAL pages written per operation; and process CPU per commit.
void ReportStats(benchmark::State& state, double cpu_start) {
  if (state.thread_index() != 0) return;
  const double commits = double(state.iterations()) * state.threads();
  if (commits > 0) state.counters["cpu_us/op"] = (ProcessCpuSeconds() - cpu_start) * 1e6 / commits;
  auto st = GetSqliteStats(*g_store);
  if (!st || st->operations == 0) return;
  state.counters["ops/txn"] = double(st->operations) / double(std::max<int64_t>(st->batches, 1));
  if (st->syncs > 0) state.counters["ops/fsync"] = double(st->operations) / double(st->syncs);
  state.counters["pages/op"] = double(st->wal_frames) / double(st->operations);
}

void BM_Commit(benchmark::State& state) {
  const double cpu_start = ProcessCpuSeconds();
  Lane lane;
  for (auto _ : state) {
    ExecutionCommit c = NextCommit(lane);
    Status st = g_store->Commit(c);
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      break;
    }
    ++lane.version;
  }
  state.SetItemsProcessed(state.iterations());
  ReportStats(state, cpu_start);
}

void BM_CommitAsync(benchmark::State& state) {
  const double cpu_start = ProcessCpuSeconds();
  const int64_t window = state.range(1);
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Lane> free_lanes(static_cast<size_t>(window));
  int64_t in_flight = 0;
  bool failed = false;
  for (auto _ : state) {
    Lane lane;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return !free_lanes.empty(); });
      lane = std::move(free_lanes.front());
      free_lanes.pop_front();
      ++in_flight;
    }
    ExecutionCommit c = NextCommit(lane);
    g_store->CommitAsync(std::move(c), [&, lane](Status st) mutable {
      ++lane.version;
      std::lock_guard lock(mu);
      if (!st.ok()) failed = true;
      free_lanes.push_back(std::move(lane));
      --in_flight;
      cv.notify_all();
    });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return in_flight == 0; });
  if (failed) state.SkipWithError("a commit failed");
  state.SetItemsProcessed(state.iterations());
  ReportStats(state, cpu_start);
}

}  // namespace

// range(0): 1 sqlite synchronous=FULL, 0 sqlite synchronous=NORMAL, -1 memory.
BENCHMARK(BM_Commit)
    ->ArgName("sync_full")
    ->Arg(1)
    ->Arg(0)
    ->Arg(-1)
    ->Threads(1)
    ->Threads(4)
    ->Threads(16)
    ->Threads(64)
    ->UseRealTime()
    ->Setup(OpenStore)
    ->Teardown(CloseStore);

BENCHMARK(BM_CommitAsync)
    ->ArgNames({"sync_full", "window"})
    ->Args({1, 64})
    ->Args({1, 256})
    ->Args({1, 1024})
    ->Args({0, 256})
    ->UseRealTime()
    ->Setup(OpenStore)
    ->Teardown(CloseStore);

BENCHMARK_MAIN();

// Benchmarks of the service on durable SQLite (fsync on), in-process through
// service::Operations::Call — the path every HTTP request takes after parsing.
//
//   build/tests/service_bench ../shared/bench/workloads [--only NAME] [--waiting N]
//
// Figures: durable transitions/s (a Pass chain in one commit per execution,
// and a chain of Wait states where every transition is its own durable
// commit through the timer path), W4 (executions/s, p50/p99 start → end), W6
// (tasks/s with echo activity workers) and the memory held by N executions
// waiting in a Wait state.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "service/service.h"
#include "store/store.h"

using namespace stepline;
using Clk = std::chrono::steady_clock;

namespace {

std::string ReadFile(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double RssMiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

// Calls an operation and waits for its reply.
Result<Json> Call(service::Operations& ops, const std::string& op, Json req) {
  std::promise<Result<Json>> p;
  auto f = p.get_future();
  ops.Call(op, std::move(req), [&p](Result<Json> r) { p.set_value(std::move(r)); });
  return f.get();
}

Json Obj(std::initializer_list<std::pair<const char*, Json>> kv) {
  Json o = Json::EmptyObject();
  for (auto& [k, v] : kv) o.Set(k, v);
  return o;
}

struct Env {
  std::string dir;
  std::unique_ptr<store::Store> store;
  SystemClock clock;
  std::unique_ptr<service::Service> svc;
  explicit Env(const std::string& name, size_t cache_limit = 4096) {
    dir = std::filesystem::temp_directory_path() / ("stepline-bench-" + name + "-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store::SqliteOptions o;
    o.path = dir + "/stepline.db";
    o.synchronous_full = true;
    auto s = store::OpenSqliteStore(o);
    if (!s.ok()) {
      std::fprintf(stderr, "open store: %s\n", s.status().ToString().c_str());
      std::exit(1);
    }
    store = std::move(s).value();
    service::ServiceConfig cfg;
    cfg.engine.cache_limit = cache_limit;
    svc = std::make_unique<service::Service>(cfg, *store, clock);
    svc->Start();
  }
  ~Env() {
    svc->Shutdown();
    svc.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  std::string Machine(const std::string& name, const std::string& definition, const char* type = "STANDARD") {
    auto r = Call(*svc, "CreateStateMachine",
                  Obj({{"name", Json(name)}, {"definition", Json(definition)},
                       {"roleArn", Json("arn:aws:iam::123456789012:role/bench")}, {"type", Json(type)}}));
    if (!r.ok()) {
      std::fprintf(stderr, "create %s: %s\n", name.c_str(), r.status().ToString().c_str());
      std::exit(1);
    }
    return r->find("stateMachineArn")->str();
  }
  // Waits until every execution is terminal; returns the row of each.
  std::vector<store::ExecutionRow> AwaitAll(const std::vector<std::string>& arns, double timeout_s = 60) {
    std::vector<store::ExecutionRow> rows(arns.size());
    auto deadline = Clk::now() + std::chrono::duration<double>(timeout_s);
    for (size_t i = 0; i < arns.size(); ++i) {
      for (;;) {
        auto r = store->GetExecution(arns[i]);
        if (r.ok() && r->status != "RUNNING") {
          rows[i] = *r;
          break;
        }
        if (Clk::now() > deadline) {
          std::fprintf(stderr, "timed out waiting for %s\n", arns[i].c_str());
          auto tasks = store->TasksOf(arns[i]);
          if (tasks.ok())
            for (const auto& t : *tasks)
              std::fprintf(stderr, "  pending task %llu claimed=%d activity=%s\n",
                           static_cast<unsigned long long>(t.id), t.claimed, t.activity_arn.c_str());
          auto hist = store->ReadHistory(arns[i], 0, 1000, false);
          if (hist.ok())
            for (const auto& e : *hist) std::fprintf(stderr, "  %lld %s\n", static_cast<long long>(e.id), history::EventTypeName(e.type));
          std::exit(1);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
    return rows;
  }
};

// Starts `n` executions from `threads` client threads; returns their ARNs.
std::vector<std::string> StartMany(service::Operations& ops, const std::string& sm, int n, int threads,
                                   const std::function<std::string(int)>& input,
                                   std::vector<double>* start_micros = nullptr, const std::string& prefix = "e") {
  std::vector<std::string> arns(n);
  if (start_micros) start_micros->assign(n, 0);
  std::atomic<int> next{0};
  std::vector<std::thread> ts;
  auto t0 = Clk::now();
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&] {
      for (int i; (i = next++) < n;) {
        if (start_micros)
          (*start_micros)[i] = std::chrono::duration<double, std::micro>(Clk::now() - t0).count();
        auto r = Call(ops, "StartExecution",
                      Obj({{"stateMachineArn", Json(sm)}, {"name", Json(prefix + std::to_string(i))},
                           {"input", Json(input(i))}}));
        if (!r.ok()) {
          std::fprintf(stderr, "start: %s\n", r.status().ToString().c_str());
          std::exit(1);
        }
        arns[i] = r->find("executionArn")->get_string();
      }
    });
  for (auto& t : ts) t.join();
  return arns;
}

bool Verify(const std::vector<store::ExecutionRow>& rows, const std::function<Json(int)>& expected) {
  for (size_t i = 0; i < rows.size(); ++i) {
    const Json* out = rows[i].doc.find("output");
    auto got = out && out->is_string() ? Json::Parse(out->get_string()) : Result<Json>(Status::Error("x", "no output"));
    if (rows[i].status != "SUCCEEDED" || !got.ok() || *got != expected(static_cast<int>(i))) {
      std::fprintf(stderr, "execution %zu: %s %s\n", i, rows[i].status.c_str(), out ? out->Dump().c_str() : "");
      return false;
    }
  }
  return true;
}

Json Substitute(const Json& j, const std::string& key, const Json& v) {
  if (j.is_array()) {
    Json::Array a;
    for (const auto& e : j.get_array()) a.push_back(Substitute(e, key, v));
    return Json(std::move(a));
  }
  if (j.is_object()) {
    Json::Object o;
    for (const auto& m : j.get_object()) o.push_back({m.key, m.key == key ? v : Substitute(m.value, key, v)});
    return Json(std::move(o));
  }
  return j;
}

double Pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

bool BenchDurable(const std::string& dir) {
  bool ok = true;
  {
    Env env("w1");
    std::string def = ReadFile(dir + "/W1-pass-chain/definition.json");
    Json input = *Json::Parse(ReadFile(dir + "/W1-pass-chain/input.json"));
    Json expected = *Json::Parse(ReadFile(dir + "/W1-pass-chain/expected.json"));
    std::string sm = env.Machine("w1", def);
    auto t0 = Clk::now();
    auto arns = StartMany(*env.svc, sm, 2000, 16, [&](int i) { return Substitute(input, "id", Json(i)).Dump(); });
    auto rows = env.AwaitAll(arns);
    double s = std::chrono::duration<double>(Clk::now() - t0).count();
    ok &= Verify(rows, [&](int i) { return Substitute(expected, "id", Json(i)); });
    std::printf("durable W1 pass-chain: 2000 executions x 100 transitions in %.2f s: %.0f transitions/s, %.0f "
                "executions/s (one commit each)\n",
                s, 200000 / s, 2000 / s);
  }
  {
    // Every Wait is a timer: each transition is its own durable commit.
    Env env("waits");
    Json::Object states;
    for (int i = 0; i < 20; ++i) {
      Json st = Json::EmptyObject();
      st.Set("Type", "Wait");
      st.Set("Seconds", 0);
      if (i == 19) st.Set("End", true); else st.Set("Next", "W" + std::to_string(i + 1));
      states.push_back({"W" + std::to_string(i), std::move(st)});
    }
    Json def = Json::EmptyObject();
    def.Set("StartAt", "W0");
    def.Set("States", Json(std::move(states)));
    std::string sm = env.Machine("waits", def.Dump());
    auto t0 = Clk::now();
    auto arns = StartMany(*env.svc, sm, 1000, 16, [](int i) { return "{\"i\":" + std::to_string(i) + "}"; });
    auto rows = env.AwaitAll(arns);
    double s = std::chrono::duration<double>(Clk::now() - t0).count();
    ok &= Verify(rows, [](int i) { return *Json::Parse("{\"i\":" + std::to_string(i) + "}"); });
    std::printf("durable Wait chain: 1000 executions x 20 Wait states (21 commits each) in %.2f s: %.0f "
                "transitions/s, %.0f commits/s\n",
                s, 20000 / s, 21000 / s);
  }
  return ok;
}

bool BenchW4(const std::string& dir) {
  Env env("w4");
  std::string def = ReadFile(dir + "/W4-many-executions/definition.json");
  Json expected = *Json::Parse(ReadFile(dir + "/W4-many-executions/expected.json"));
  std::string sm = env.Machine("w4", def);
  std::vector<double> starts;
  auto t0 = Clk::now();
  auto arns = StartMany(*env.svc, sm, 2000, 64, [](int i) { return "{\"id\":" + std::to_string(i) + "}"; }, &starts);
  auto rows = env.AwaitAll(arns);
  double s = std::chrono::duration<double>(Clk::now() - t0).count();
  bool ok = Verify(rows, [&](int i) { return Substitute(expected, "id", Json(i)); });
  // Latency: start request → stop time recorded by the execution.
  std::vector<double> lat;
  Micros base = SystemClock().Now() - static_cast<Micros>(std::chrono::duration<double, std::micro>(Clk::now() - t0).count());
  for (size_t i = 0; i < rows.size(); ++i) lat.push_back((rows[i].stop - base - starts[i]) / 1000.0);
  std::printf("W4 many-executions: 2000 executions in %.2f s: %.0f executions/s; start->end p50 %.1f ms, p99 %.1f ms\n",
              s, 2000 / s, Pct(lat, 0.5), Pct(lat, 0.99));
  return ok;
}

bool BenchW6(const std::string& dir) {
  Env env("w6");
  auto act = Call(*env.svc, "CreateActivity", Obj({{"name", Json("echo")}}));
  std::string activity = act->find("activityArn")->str();
  std::string def = ReadFile(dir + "/W6-task-echo/definition.json");
  for (size_t p; (p = def.find("${ACTIVITY_ARN}")) != std::string::npos;) def.replace(p, 15, activity);
  Json expected = *Json::Parse(ReadFile(dir + "/W6-task-echo/expected.json"));
  std::string sm = env.Machine("w6", def);
  std::atomic<bool> stop{false};
  std::atomic<int> tasks{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 16; ++w)
    workers.emplace_back([&] {
      while (!stop) {
        auto t = Call(*env.svc, "GetActivityTask", Obj({{"activityArn", Json(activity)}, {"workerName", Json("w")}}));
        if (!t.ok() || !t->find("taskToken")) continue;
        auto r = Call(*env.svc, "SendTaskSuccess",
                      Obj({{"taskToken", *t->find("taskToken")}, {"output", *t->find("input")}}));
        if (!r.ok()) std::fprintf(stderr, "SendTaskSuccess: %s\n", r.status().ToString().c_str());
        ++tasks;
      }
    });
  auto t0 = Clk::now();
  auto arns = StartMany(*env.svc, sm, 100, 16, [](int i) { return "{\"id\":" + std::to_string(i) + "}"; });
  auto rows = env.AwaitAll(arns);
  double s = std::chrono::duration<double>(Clk::now() - t0).count();
  stop = true;
  // Wake the pollers: each gets a task from one more execution or times out.
  auto extra = StartMany(
      *env.svc, sm, 16, 1, [](int i) { return "{\"id\":" + std::to_string(1000 + i) + "}"; }, nullptr, "wake");
  for (auto& w : workers) w.join();  // each takes at most one more task and stops
  bool ok = Verify(rows, [&](int i) { return Substitute(expected, "id", Json(i)); });
  std::printf("W6 task-echo: 100 executions x 10 activity tasks in %.2f s: %.0f tasks/s\n", s, 1000 / s);
  return ok;
}

bool BenchWaiting(int n) {
  Env env("waiting", 4096);
  std::string sm = env.Machine(
      "waiting", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}})");
  double before = RssMiB();
  auto t0 = Clk::now();
  auto arns = StartMany(*env.svc, sm, n, 16, [](int i) { return "{\"i\":" + std::to_string(i) + "}"; });
  double s = std::chrono::duration<double>(Clk::now() - t0).count();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  double after = RssMiB();
  auto running = env.store->RunningExecutions();
  size_t waiting = running.ok() ? running->size() : 0;
  std::printf("%d executions waiting in a Wait state (started in %.1f s, %.0f/s): RSS %.1f MiB (before %.1f MiB); "
              "running in the store: %zu\n",
              n, s, n / s, after, before, waiting);
  return waiting == static_cast<size_t>(n);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "../shared/bench/workloads";
  std::string only;
  int waiting = 100000;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--only") only = argv[i + 1];
    if (a == "--waiting") waiting = std::stoi(argv[i + 1]);
  }
  bool ok = true;
  if (only.empty() || only == "durable") ok &= BenchDurable(dir);
  if (only.empty() || only == "w4") ok &= BenchW4(dir);
  if (only.empty() || only == "w6") ok &= BenchW6(dir);
  if (only.empty() || only == "waiting") ok &= BenchWaiting(waiting);
  std::printf("%s\n", ok ? "all outputs verified" : "SOME OUTPUTS WRONG");
  return ok ? 0 : 1;
}

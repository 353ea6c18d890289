// In-process benchmark of the shared workloads (../shared/bench/workloads):
// W1 pass-chain, W2 choice-loop, W3 map-fanout, W5 parallel-wide, plus a
// payload-size check (1 KiB vs 200 KiB documents through a Pass chain).
// Every output is checked against expected.json; a wrong output fails the run.
//
//   build/tests/bench/bench_workloads ../shared/bench/workloads
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <vector>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "asl/model.h"
#include "base/json.h"
#include "base/random.h"
#include "runtime/execution.h"

using namespace stepline;

namespace {

Json LoadJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = Json::Parse(ss.str());
  if (!j.ok()) {
    std::fprintf(stderr, "cannot parse %s: %s\n", path.c_str(), j.status().ToString().c_str());
    std::exit(2);
  }
  return *j;
}

// Replaces the value of every member named `key` (at any depth) with v.
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

double PeakRssMiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

struct Outcome {
  bool ok = true;
  double seconds = 0;
  int64_t transitions = 0;
};

// Runs `executions` executions of a pure workflow one after another.
Outcome RunSequential(const std::shared_ptr<const asl::Definition>& def, const Json& input, const Json& expected,
                      const std::string& vary_key, int executions) {
  Outcome o;
  SeededRandom rnd(1);
  runtime::Effects fx;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < executions; ++i) {
    Json in = vary_key.empty() ? input : Substitute(input, vary_key, Json(i));
    runtime::ExecutionInfo info;
    info.name = "e" + std::to_string(i);
    info.execution_arn = "arn:aws:states:us-east-1:123456789012:execution:bench:" + info.name;
    runtime::Execution exec(def, info);
    exec.Start(std::move(in), 1'700'000'000'000'000 + i, rnd, fx);
    fx.Clear();
    if (exec.status() != runtime::ExecStatus::kSucceeded) {
      std::fprintf(stderr, "execution %d ended %s: %s %s\n", i, runtime::ExecStatusName(exec.status()),
                   exec.error().c_str(), exec.cause().c_str());
      o.ok = false;
      return o;
    }
    Json want = vary_key.empty() ? expected : Substitute(expected, vary_key, Json(i));
    if (exec.output() != want) {
      std::fprintf(stderr, "execution %d: wrong output %.200s\n", i, exec.output().Dump().c_str());
      o.ok = false;
      return o;
    }
    for (const auto& e : exec.events()) {
      auto n = std::string_view(history::EventTypeName(e.type));
      if (n.size() > 12 && n.substr(n.size() - 12) == "StateEntered") ++o.transitions;
    }
  }
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return o;
}

std::shared_ptr<const asl::Definition> Compile(const Json& j) {
  auto d = asl::Parse(j);
  if (!d.ok()) {
    std::fprintf(stderr, "definition: %s\n", d.status().ToString().c_str());
    std::exit(2);
  }
  return *d;
}

// A document of about `bytes` bytes.
Json Document(size_t bytes) {
  Json doc = Json::EmptyObject();
  Json::Array items;
  std::string filler(100, 'x');
  for (size_t n = 0; n * 130 < bytes; ++n) {
    Json it = Json::EmptyObject();
    it.Set("n", static_cast<int64_t>(n));
    it.Set("text", filler);
    items.push_back(std::move(it));
  }
  doc.Set("items", Json(std::move(items)));
  doc.Set("k", 0);
  return doc;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "../shared/bench/workloads";
  bool all_ok = true;
  std::printf("%-18s %12s %10s %14s %10s\n", "workload", "transitions", "seconds", "transitions/s", "peak MiB");
  for (const char* w : {"W1-pass-chain", "W2-choice-loop", "W3-map-fanout", "W5-parallel-wide"}) {
    std::string base = dir + "/" + w;
    Json wl = LoadJson(base + "/workload.json");
    auto def = Compile(LoadJson(base + "/definition.json"));
    Json input = LoadJson(base + "/input.json");
    Json expected = LoadJson(base + "/expected.json");
    int executions = static_cast<int>(wl.find("executions")->get_int());
    const Json* vk = wl.find("vary_key");
    std::string vary = vk && vk->is_string() ? vk->str() : "";
    // The median of repeated runs (at least 5, and at least 0.3 s in all):
    // a single run of a few milliseconds is noisy.
    std::vector<Outcome> runs;
    double spent = 0;
    while (runs.size() < 5 || spent < 0.3) {
      runs.push_back(RunSequential(def, input, expected, vary, executions));
      spent += runs.back().seconds;
      if (!runs.back().ok) break;
    }
    std::sort(runs.begin(), runs.end(), [](const Outcome& a, const Outcome& b) { return a.seconds < b.seconds; });
    Outcome o = runs[runs.size() / 2];
    for (const auto& r : runs) all_ok &= r.ok;
    o.ok = o.ok && all_ok;
    double rate = o.ok ? static_cast<double>(o.transitions) / o.seconds : 0;
    std::printf("%-18s %12lld %10.3f %14.0f %10.1f", w, static_cast<long long>(o.transitions), o.seconds, rate,
                PeakRssMiB());
    if (std::string(w) == "W3-map-fanout" && o.ok) {
      int64_t items = static_cast<int64_t>(input.find("items")->size());
      std::printf("   items/s %.0f", static_cast<double>(items) / o.seconds);
    }
    std::printf("%s\n", o.ok ? "" : "   WRONG OUTPUT");
  }

  // Payload size: the same 50-state chain with a 1 KiB and a 200 KiB document.
  Json::Object states;
  for (int i = 0; i < 50; ++i) {
    Json st = Json::EmptyObject();
    st.Set("Type", "Pass");
    st.Set("Result", i);
    st.Set("ResultPath", "$.k");
    if (i == 49)
      st.Set("End", true);
    else
      st.Set("Next", "S" + std::to_string(i + 1));
    states.push_back({"S" + std::to_string(i), std::move(st)});
  }
  Json chain = Json::EmptyObject();
  chain.Set("StartAt", "S0");
  chain.Set("States", Json(std::move(states)));
  auto chain_def = Compile(chain);
  double per[2] = {0, 0};
  size_t sizes[2] = {1024, 200 * 1024};
  for (int k = 0; k < 2; ++k) {
    Json doc = Document(sizes[k]);
    Json want = doc;
    want.Set("k", 49);
    Outcome o = RunSequential(chain_def, doc, want, "", 10000);
    all_ok &= o.ok;
    per[k] = o.seconds * 1e9 / static_cast<double>(o.transitions);
    std::printf("payload %6zu B    %12lld %10.3f %14.0f   ns/transition %.0f (document %zu bytes)\n", sizes[k],
                static_cast<long long>(o.transitions), o.seconds, o.transitions / o.seconds, per[k],
                doc.Dump().size());
  }
  std::printf("200 KiB / 1 KiB cost per transition: %.2f\n", per[1] / per[0]);
  std::printf("%s\n", all_ok ? "all outputs verified" : "SOME OUTPUTS WRONG");
  return all_ok ? 0 : 1;
}

// Stepline side of the JSONata benchmark (driver, methodology and the
// jsonata-js side: tests/bench/jsonata/run.sh and bench.js).
//
//   jsonata_bench CASES.json DATA_DIR OUT.json
//
// For every case: Expression::Compile once, then time Evaluate() (input and
// $states bindings as in the case, default EvalOptions). Warm-up, then N
// evaluations per measurement with N chosen so a measurement lasts at least
// BENCH_MIN_SECONDS (default 0.5), BENCH_REPS (default 5) measurements, the
// median reported. BENCH_ONLY=substring runs only the matching cases. Each case's result is written (JavaScript number text) so
// the driver can check it equals jsonata-js's result.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "expr/jsonata/jsonata.h"
#include "expr/jsonata/value.h"

using namespace stepline;
namespace js = stepline::jsonata;

namespace {

double EnvDouble(const char* name, double def) {
  const char* v = std::getenv(name);
  return v && *v ? std::atof(v) : def;
}

std::string ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Json ReadJson(const std::string& path) {
  auto r = Json::Parse(ReadText(path));
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), r.status().ToString().c_str());
    std::exit(2);
  }
  return std::move(r).value();
}

// BENCH_CLOCK=cpu measures the thread's CPU time instead of wall time: on a
// shared machine that leaves out the time other processes hold the core.
double Now() {
  static const bool cpu = [] {
    const char* v = std::getenv("BENCH_CLOCK");
    return v && std::string_view(v) == "cpu";
  }();
  if (cpu) {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void AppendQuoted(std::string& out, const std::string& s) { Json(s).DumpTo(out); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s CASES.json DATA_DIR OUT.json\n", argv[0]);
    return 2;
  }
  const double min_seconds = EnvDouble("BENCH_MIN_SECONDS", 0.5);
  const int reps = std::max(1, static_cast<int>(EnvDouble("BENCH_REPS", 5)));
  const double warmup_seconds = EnvDouble("BENCH_WARMUP_SECONDS", 0.2);
  const char* only = std::getenv("BENCH_ONLY");  // run only cases whose name contains this
  if (only && !*only) only = nullptr;

  Json cases = ReadJson(argv[1]);
  std::map<std::string, Json> docs;
  for (const auto& e : std::filesystem::directory_iterator(argv[2])) {
    if (e.path().extension() == ".json") docs[e.path().stem().string()] = ReadJson(e.path().string());
  }
  auto doc = [&](const Json& c, const char* field) -> const Json* {
    const Json* name = c.find(field);
    if (!name) return nullptr;
    auto it = docs.find(name->str());
    if (it == docs.end()) {
      std::fprintf(stderr, "no data file %s.json\n", name->str().c_str());
      std::exit(2);
    }
    return &it->second;
  };

  std::string out = "{\"results\":[";
  bool first_case = true;
  for (const Json& c : cases.get_array()) {
    std::string name = c.find("name")->str();
    std::string text = c.find("expr")->str();
    if (only && name.find(only) == std::string::npos) continue;
    std::optional<Json> input;
    if (const Json* d = doc(c, "input")) input = *d;
    js::MapBindings bindings;
    if (const Json* d = doc(c, "bindings")) {
      Json states = Json::EmptyObject();
      states.Set("input", *d);
      bindings.Set("states", std::move(states));
    }
    auto expr = js::Expression::Compile(text);
    if (!expr.ok()) {
      std::fprintf(stderr, "%s: compile error %s\n", name.c_str(), expr.status().ToString().c_str());
      return 1;
    }
    const js::EvalOptions options;
    auto eval = [&]() {
      auto r = expr->Evaluate(input, &bindings, options);
      if (!r.ok()) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), r.status().ToString().c_str());
        std::exit(1);
      }
      return std::move(r).value();
    };
    std::optional<Json> result = eval();
    size_t sink = 0;
    auto run = [&](int64_t n) {
      double t0 = Now();
      for (int64_t i = 0; i < n; ++i) {
        std::optional<Json> r = eval();
        sink += r.has_value() ? static_cast<size_t>(r->type()) + 1 : 0;
      }
      return Now() - t0;
    };
    for (double end = Now() + warmup_seconds; Now() < end;) run(1);
    // BENCH_N fixes the evaluations per measurement (for comparing counters
    // such as instructions between builds); otherwise N is calibrated.
    int64_t n = static_cast<int64_t>(EnvDouble("BENCH_N", 0));
    if (n <= 0) {
      n = 1;
      for (;;) {
        double t = run(n);
        if (t >= min_seconds) break;
        n = t <= 0 ? n * 10
                   : std::max<int64_t>(n + 1, static_cast<int64_t>(n * std::min(10.0, 1.15 * min_seconds / t)));
      }
    }
    std::vector<double> per;
    for (int r = 0; r < reps; ++r) per.push_back(run(n) / static_cast<double>(n) * 1e6);
    std::vector<double> sorted = per;
    std::sort(sorted.begin(), sorted.end());
    double median = sorted[sorted.size() / 2];
    std::fprintf(stderr, "  stepline    %-36s %10.3f us/eval (N=%lld)%s\n", name.c_str(), median,
                 static_cast<long long>(n), sink == 0 && result ? " !" : "");

    if (!first_case) out += ",";
    first_case = false;
    out += "{\"name\":";
    AppendQuoted(out, name);
    char buf[64];
    std::snprintf(buf, sizeof buf, ",\"us\":%.6f,\"n\":%lld,\"reps\":[", median, static_cast<long long>(n));
    out += buf;
    for (size_t i = 0; i < per.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%s%.6f", i ? "," : "", per[i]);
      out += buf;
    }
    out += "],";
    if (result) {
      out += "\"value\":";
      js::DumpJs(*result, out);
    } else {
      out += "\"undefined\":true";
    }
    out += "}";
  }
  out += "]}";
  std::ofstream(argv[3], std::ios::binary) << out;
  return 0;
}

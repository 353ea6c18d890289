// Runs the JSONata reference suite (groups/<group>/caseNNN.json) in-process
// against the native engine and reports pass/fail per case and per group.
//
//   jsonata_conformance SUITE_DIR [--min-pass-rate R] [--group NAME] [--quiet]
//
// Exit status 0 iff passed/total >= R (default 0.99).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "base/json.h"
#include "expr/jsonata/jsonata.h"

namespace fs = std::filesystem;
using stepline::Json;
namespace jsonata = stepline::jsonata;

namespace {

bool ReadFile(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// JSON equality with numbers by value; non-integral numbers may differ by a
// relative 1e-10 (the suite relies on float arithmetic in places).
bool Equal(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return a.get_int() == b.get_int();
    double x = a.get_double(), y = b.get_double();
    if (x == y) return true;
    double scale = std::max(std::fabs(x), std::fabs(y));
    return std::fabs(x - y) <= 1e-10 * scale;
  }
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!Equal(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& m : a.get_object()) {
      const Json* o = b.find(m.key);
      if (!o || !Equal(m.value, *o)) return false;
    }
    return true;
  }
  return a == b;
}

std::string Short(const std::string& s, size_t n = 160) {
  std::string r;
  for (char c : s) r += (c == '\n' || c == '\r') ? ' ' : c;
  if (r.size() > n) r = r.substr(0, n) + "...";
  return r;
}

struct Suite {
  fs::path dir;
  std::map<std::string, Json> datasets;
  const Json* Dataset(const std::string& name) {
    auto it = datasets.find(name);
    if (it != datasets.end()) return &it->second;
    std::string text;
    if (!ReadFile(dir / "datasets" / (name + ".json"), &text)) return nullptr;
    auto r = Json::Parse(text);
    if (!r.ok()) return nullptr;
    return &datasets.emplace(name, *r).first->second;
  }
};

// Returns "" when the case passes, else the reason.
std::string RunCase(Suite& suite, const Json& c, const fs::path& group_dir) {
  Json expr_holder;
  const Json* expr = c.find("expr");
  if (const Json* ef = c.find("expr-file"); ef && ef->is_string()) {
    std::string text;
    if (!ReadFile(group_dir / ef->str(), &text)) return "missing expr-file " + ef->str();
    expr_holder = Json(text);
    expr = &expr_holder;
  }
  if (!expr || !expr->is_string()) return "case has no expr";
  std::optional<Json> input;
  if (const Json* d = c.find("data")) {
    input = *d;
  } else if (const Json* ds = c.find("dataset"); ds && ds->is_string()) {
    const Json* d = suite.Dataset(ds->str());
    if (!d) return "missing dataset " + ds->str();
    input = *d;
  }
  jsonata::MapBindings bindings;
  if (const Json* b = c.find("bindings"); b && b->is_object())
    for (const auto& m : b->get_object()) bindings.Set(m.key, m.value);
  jsonata::EvalOptions opts;
  if (const Json* d = c.find("depth"); d && d->is_number()) opts.max_depth = static_cast<int>(d->get_int());
  if (const Json* t = c.find("timelimit"); t && t->is_number()) opts.time_limit_ms = t->get_int();
  const Json* code = c.find("code");
  if (const Json* e = c.find("error"); !code && e && e->is_object()) code = e->find("code");
  const Json* result = c.find("result");
  const Json* undef = c.find("undefinedResult");

  auto compiled = jsonata::Expression::Compile(expr->get_string());
  if (!compiled.ok()) {
    if (code && code->is_string()) {
      if (compiled.status().name() == code->get_string()) return "";
      return "expected error " + code->str() + ", compile failed with " + compiled.status().ToString();
    }
    return "compile error " + compiled.status().ToString();
  }
  auto r = compiled->Evaluate(input, &bindings, opts);
  if (!r.ok()) {
    if (code && code->is_string()) {
      if (r.status().name() == code->get_string()) return "";
      return "expected error " + code->str() + ", got " + r.status().ToString();
    }
    return "error " + r.status().ToString();
  }
  const std::optional<Json>& got = *r;
  std::string got_text = got ? got->Dump() : "undefined";
  if (code && code->is_string()) return "expected error " + code->str() + ", got " + Short(got_text);
  if (result) {
    if (got && Equal(*got, *result)) return "";
    return "expected " + Short(result->Dump()) + ", got " + Short(got_text);
  }
  if (undef) {
    if (!got) return "";
    return "expected undefined, got " + Short(got_text);
  }
  // No expectation recorded: the reference returned undefined.
  if (!got) return "";
  return "expected undefined (no result recorded), got " + Short(got_text);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  double min_rate = 0.99;
  std::string only_group;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--min-pass-rate" && i + 1 < argc) {
      min_rate = std::atof(argv[++i]);
    } else if (a == "--group" && i + 1 < argc) {
      only_group = argv[++i];
    } else if (a == "--quiet") {
      quiet = true;
    } else if (!a.empty() && a[0] != '-' && dir.empty()) {
      dir = a;
    } else {
      std::fprintf(stderr, "usage: %s SUITE_DIR [--min-pass-rate R] [--group NAME] [--quiet]\n", argv[0]);
      return 2;
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: %s SUITE_DIR [--min-pass-rate R] [--group NAME] [--quiet]\n", argv[0]);
    return 2;
  }
  Suite suite;
  suite.dir = dir;
  if (!fs::is_directory(suite.dir / "groups")) {
    std::fprintf(stderr, "%s: no groups/ directory\n", dir.c_str());
    return 2;
  }
  std::vector<fs::path> groups;
  for (const auto& e : fs::directory_iterator(suite.dir / "groups"))
    if (e.is_directory()) groups.push_back(e.path());
  std::sort(groups.begin(), groups.end());
  long passed = 0, failed = 0;
  std::vector<std::string> summary;
  for (const auto& g : groups) {
    std::string gname = g.filename().string();
    if (!only_group.empty() && gname != only_group) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(g))
      if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    long gp = 0, gf = 0;
    for (const auto& f : files) {
      std::string text;
      ReadFile(f, &text);
      auto parsed = Json::Parse(text);
      std::string fname = gname + "/" + f.filename().string();
      if (!parsed.ok()) {
        std::printf("FAIL %s: unreadable case file: %s\n", fname.c_str(), parsed.status().ToString().c_str());
        ++gf;
        continue;
      }
      std::vector<Json> cases;
      if (parsed->is_array()) cases = parsed->get_array();
      else cases.push_back(*parsed);
      for (size_t i = 0; i < cases.size(); ++i) {
        std::string reason = RunCase(suite, cases[i], g);
        if (reason.empty()) {
          ++gp;
        } else {
          ++gf;
          std::string id = parsed->is_array() ? fname + "[" + std::to_string(i) + "]" : fname;
          const Json* e = cases[i].find("expr");
          std::printf("FAIL %s: %s  (expr: %s)\n", id.c_str(), reason.c_str(),
                      e && e->is_string() ? Short(e->str(), 120).c_str() : "?");
        }
      }
    }
    passed += gp;
    failed += gf;
    char line[256];
    std::snprintf(line, sizeof line, "  %-36s %4ld/%-4ld%s", gname.c_str(), gp, gp + gf, gf ? "  <--" : "");
    summary.push_back(line);
  }
  if (!quiet) {
    std::printf("Per-group results:\n");
    for (const auto& s : summary) std::printf("%s\n", s.c_str());
  }
  std::printf("%ld passed, %ld failed\n", passed, failed);
  long total = passed + failed;
  double rate = total ? static_cast<double>(passed) / static_cast<double>(total) : 0;
  return rate >= min_rate ? 0 : 1;
}

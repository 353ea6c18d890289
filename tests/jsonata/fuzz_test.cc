// Fuzz-style robustness test for the JSONata engine: the reference suite's
// expressions, mutated (characters deleted, inserted, swapped, duplicated
// spans) plus pathological nesting, go through Compile and Evaluate with a
// small time limit. Passes when nothing crashes or hangs and every failure is
// a Status named by a JSONata-style code (S0xxx, T0xxx, D1xxx, U1001, ...).
//
//   jsonata_fuzz SUITE_DIR [--iterations N] [--seed S]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/random.h"
#include "expr/jsonata/jsonata.h"

namespace fs = std::filesystem;
using stepline::Json;
namespace jsonata = stepline::jsonata;

namespace {

bool ValidCode(const std::string& code) {
  if (code.size() != 5) return false;
  if (code[0] != 'S' && code[0] != 'T' && code[0] != 'D' && code[0] != 'U') return false;
  for (size_t i = 1; i < 5; ++i)
    if (code[i] < '0' || code[i] > '9') return false;
  return true;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Collect(const fs::path& suite, std::vector<std::string>* exprs) {
  for (const auto& g : fs::directory_iterator(suite / "groups")) {
    if (!g.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(g.path())) {
      if (f.path().extension() == ".jsonata") {
        exprs->push_back(ReadFile(f.path()));
        continue;
      }
      if (f.path().extension() != ".json") continue;
      auto parsed = Json::Parse(ReadFile(f.path()));
      if (!parsed.ok()) continue;
      std::vector<Json> cases = parsed->is_array() ? parsed->get_array() : std::vector<Json>{*parsed};
      for (const auto& c : cases)
        if (const Json* e = c.find("expr"); e && e->is_string()) exprs->push_back(e->str());
    }
  }
}

const char* kTokens[] = {"(", ")", "[", "]", "{", "}", ".", ",", ";", ":", "$", "$$", "%", "#", "@", "*", "**",
                         "?", "~>", ":=", "..", "&", "|", "^(", "<", ">", "=", "!=", "'", "\"", "`", "/", "\\",
                         "function($x){", "λ", "$map(", "$sort(", "$eval('", "[]", "1e308", "-", "0", "and", "or",
                         "in", "$string(", "/a*/", "$$.", "%.", "#$i", "@$v"};

std::string Mutate(std::string s, stepline::SeededRandom& r) {
  int edits = 1 + static_cast<int>(r.NextU64() % 4);
  for (int e = 0; e < edits; ++e) {
    size_t n = s.size();
    size_t pos = n ? r.NextU64() % (n + 1) : 0;
    switch (r.NextU64() % 6) {
      case 0:  // delete a character
        if (pos < n) s.erase(pos, 1);
        break;
      case 1:  // insert a random byte
        s.insert(pos, 1, static_cast<char>(32 + r.NextU64() % 95));
        break;
      case 2:  // swap two characters
        if (n > 1) std::swap(s[r.NextU64() % n], s[r.NextU64() % n]);
        break;
      case 3:  // insert a token
        s.insert(pos, kTokens[r.NextU64() % (sizeof kTokens / sizeof kTokens[0])]);
        break;
      case 4:  // duplicate a span
        if (pos < n) {
          size_t len = 1 + r.NextU64() % std::min<size_t>(16, n - pos);
          s.insert(pos, s.substr(pos, len));
        }
        break;
      case 5:  // truncate
        s.resize(pos);
        break;
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  long iterations = 4000;
  uint64_t seed = 20240611;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--iterations" && i + 1 < argc) iterations = std::atol(argv[++i]);
    else if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else dir = a;
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: %s SUITE_DIR [--iterations N] [--seed S]\n", argv[0]);
    return 2;
  }
  std::vector<std::string> exprs;
  Collect(dir, &exprs);
  if (exprs.empty()) {
    std::fprintf(stderr, "no expressions found under %s\n", dir.c_str());
    return 2;
  }
  // Pathological shapes first.
  std::vector<std::string> inputs;
  for (const char* open : {"(", "[", "{", "$f(", "-", "a.", "[1,", "{'a':"}) {
    std::string s;
    for (int i = 0; i < 10000; ++i) s += open;
    inputs.push_back(s);
  }
  inputs.push_back(std::string(10000, '(') + "1" + std::string(10000, ')'));
  inputs.push_back(std::string(5000, '[') + std::string(5000, ']'));
  inputs.push_back("($f := function($n){ $f($n + 1) + 1 }; $f(0))");
  inputs.push_back("($f := function($n){ $f($n + 1) }; $f(0))");
  inputs.push_back("**.**.**.**");
  inputs.push_back("$replace('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /(a+)+$/, 'x')");
  stepline::SeededRandom rng(seed);
  for (long i = 0; i < iterations; ++i) inputs.push_back(Mutate(exprs[rng.NextU64() % exprs.size()], rng));

  Json data = *Json::Parse(R"({"a":[{"b":1,"c":"x"},{"b":[2,3],"c":{"d":true}}],"s":"text","n":-1.5,"z":null})");
  jsonata::EvalOptions opts;
  opts.time_limit_ms = 100;
  opts.max_depth = 500;
  stepline::SeededRandom eval_rng(seed);
  opts.random = &eval_rng;
  long compiled = 0, evaluated = 0, errors = 0, bad = 0;
  double worst_ms = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string& text = inputs[i];
    auto start = std::chrono::steady_clock::now();
    auto e = jsonata::Expression::Compile(text);
    std::string code;
    if (!e.ok()) {
      code = e.status().name();
    } else {
      ++compiled;
      opts.aws_functions = (i % 3) == 0;
      auto r = e->Evaluate(data, nullptr, opts);
      if (r.ok()) ++evaluated;
      else code = r.status().name();
    }
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (ms > worst_ms) worst_ms = ms;
    if (!code.empty()) {
      ++errors;
      if (!ValidCode(code)) {
        ++bad;
        std::printf("BAD CODE %s for: %.200s\n", code.c_str(), text.c_str());
      }
    }
    if (ms > 3000) {
      ++bad;
      std::printf("SLOW (%.0f ms): %.200s\n", ms, text.c_str());
    }
  }
  std::printf("%zu inputs: %ld compiled, %ld evaluated, %ld errors, slowest %.1f ms\n", inputs.size(), compiled,
              evaluated, errors, worst_ms);
  std::printf("%ld passed, %ld failed\n", static_cast<long>(inputs.size()) - bad, bad);
  return bad == 0 ? 0 : 1;
}

// `stepline jsonata EXPRESSION [--input JSON | --input @FILE] [--bindings JSON]
//                   [--depth N] [--time-limit MS] [--aws]`
// Prints the result as compact JSON (exit 0), nothing for undefined (exit 0),
// "CODE: message" on stderr for a JSONata error (exit 1); usage errors exit 2.

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <fstream>
#include <sstream>
#include <string>

#include "base/json.h"
#include "base/random.h"
#include "cli/commands.h"
#include "expr/jsonata/jsonata.h"
#include "expr/jsonata/value.h"

namespace stepline::cli {
namespace {

struct JsonataArgs {
  std::string expression;
  std::string input;
  std::string bindings;
  int depth = 0;
  int64_t time_limit_ms = 0;
  bool aws = false;
};

// Reads --input: inline JSON, or @FILE ("@-" is stdin).
bool LoadText(const std::string& arg, std::string* out, std::string* err) {
  if (arg.empty() || arg[0] != '@') {
    *out = arg;
    return true;
  }
  std::string path = arg.substr(1);
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      *err = "cannot read " + path;
      return false;
    }
    ss << in.rdbuf();
  }
  *out = ss.str();
  return true;
}

int Run(const JsonataArgs& a) {
  std::optional<Json> input;
  if (!a.input.empty()) {
    std::string text, err;
    if (!LoadText(a.input, &text, &err)) {
      std::fprintf(stderr, "stepline jsonata: %s\n", err.c_str());
      return 2;
    }
    Json::ParseOptions po;
    po.max_depth = 10000;
    auto parsed = Json::Parse(text, po);
    if (!parsed.ok()) {
      std::fprintf(stderr, "stepline jsonata: --input: %s\n", parsed.status().message().c_str());
      return 2;
    }
    input = *parsed;
  }
  jsonata::MapBindings bindings;
  if (!a.bindings.empty()) {
    auto parsed = Json::Parse(a.bindings);
    if (!parsed.ok() || !parsed->is_object()) {
      std::fprintf(stderr, "stepline jsonata: --bindings must be a JSON object\n");
      return 2;
    }
    for (const auto& m : parsed->get_object()) bindings.Set(m.key, m.value);
  }
  auto expr = jsonata::Expression::Compile(a.expression);
  if (!expr.ok()) {
    std::fprintf(stderr, "%s: %s\n", expr.status().name().c_str(), expr.status().message().c_str());
    return 1;
  }
  SeededRandom random(static_cast<uint64_t>(std::random_device{}()));
  jsonata::EvalOptions opts;
  opts.max_depth = a.depth;
  opts.time_limit_ms = a.time_limit_ms;
  opts.aws_functions = a.aws;
  opts.random = &random;
  auto r = expr->Evaluate(input, &bindings, opts);
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", r.status().name().c_str(), r.status().message().c_str());
    return 1;
  }
  if (!r->has_value()) return 0;
  std::string out;
  jsonata::DumpJs(**r, out);
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void RegisterJsonata(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<JsonataArgs>();
  auto* sub = app.add_subcommand("jsonata", "Evaluate a JSONata expression");
  sub->add_option("expression", args->expression, "JSONata expression")->required();
  sub->add_option("--input", args->input, "Input document: JSON text, or @FILE (@- for stdin)");
  sub->add_option("--bindings", args->bindings, "JSON object of variable bindings ($name -> value)");
  sub->add_option("--depth", args->depth, "Maximum evaluation depth (0 = default)")->check(CLI::NonNegativeNumber);
  sub->add_option("--time-limit", args->time_limit_ms, "Time limit in milliseconds (0 = default)")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--aws", args->aws, "Use the AWS Step Functions dialect ($partition, $hash, ...)");
  sub->callback([args, &exit_code] { exit_code = Run(*args); });
}

}  // namespace stepline::cli

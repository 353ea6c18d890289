// `stepline run DEFINITION [--input JSON|@FILE] [--functions FILE] [--json]
//  [--wait-scale F]`: runs one execution to its end in this process.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "asl/model.h"
#include "asl/validate/validate.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "history/event.h"
#include "integrations/local_runner.h"

namespace stepline::cli {

namespace {

struct RunArgs {
  std::string definition;
  std::string input = "{}";
  std::string functions;
  bool json = false;
  double wait_scale = 1.0;
  bool snapshot_each_step = false;
  uint64_t seed = 0;
  std::string name;
};

int Run(const RunArgs& a) {
  auto def_text = ReadFileLimited(a.definition, kMaxDefinitionBytes);
  if (!def_text.ok()) return UsageError(def_text.status().message());
  auto diags = asl::ValidateDefinitionText(*def_text);
  if (asl::HasErrors(diags)) {
    std::fprintf(stderr, "stepline run: invalid definition %s\n", a.definition.c_str());
    for (const auto& d : diags)
      std::fprintf(stderr, "  %s %s at %s: %s\n", d.severity.c_str(), d.code.c_str(),
                   d.location.empty() ? "/" : d.location.c_str(), d.message.c_str());
    return 2;
  }
  auto def_json = Json::Parse(*def_text);
  if (!def_json.ok()) return UsageError("definition: " + def_json.status().message());
  auto def = asl::Parse(*def_json);
  if (!def.ok()) return UsageError("definition: " + def.status().message());

  auto input_text = ReadArgOrFile(a.input, kMaxPayloadBytes, "input");
  if (!input_text.ok()) return UsageError(input_text.status().message());
  auto input = Json::Parse(*input_text);
  if (!input.ok()) return UsageError("input is not valid JSON: " + input.status().message());

  integrations::LocalRunOptions opt;
  if (!a.functions.empty()) {
    auto fns = integrations::LocalFunctions::Load(a.functions);
    if (!fns.ok()) return UsageError(fns.status().message());
    opt.functions = std::make_shared<const integrations::LocalFunctions>(std::move(fns).value());
  }
  opt.wait_scale = a.wait_scale;
  opt.snapshot_each_step = a.snapshot_each_step;
  opt.seed = a.seed;
  opt.name = a.name;
  auto r = integrations::RunLocally(*def, *input, opt);
  if (!r.ok()) {
    std::fprintf(stderr, "stepline run: %s\n", r.status().ToString().c_str());
    return 1;
  }
  bool succeeded = r->status == runtime::ExecStatus::kSucceeded;
  if (a.json) {
    Json o = Json::EmptyObject();
    o.Set("status", runtime::ExecStatusName(r->status));
    o.Set("output", succeeded ? r->output : Json());
    o.Set("error", r->has_error ? Json(r->error) : Json());
    o.Set("cause", r->has_cause ? Json(r->cause) : Json());
    Json::Array evs;
    evs.reserve(r->events.size());
    for (const auto& e : r->events) evs.push_back(history::RenderEvent(e));
    o.Set("events", Json(std::move(evs)));
    o.Set("executionArn", r->execution_arn);
    std::string text = o.Dump();
    text.push_back('\n');
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else if (succeeded) {
    std::string text = r->output.DumpPretty();
    text.push_back('\n');
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    std::fprintf(stderr, "%s", runtime::ExecStatusName(r->status));
    if (r->has_error) std::fprintf(stderr, ": %s", r->error.c_str());
    if (r->has_cause) std::fprintf(stderr, ": %s", r->cause.c_str());
    std::fprintf(stderr, "\n");
  }
  return succeeded ? 0 : 1;
}

}  // namespace

void RegisterRun(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<RunArgs>();
  auto* sub = app.add_subcommand("run", "Run a state machine definition to its end");
  sub->add_option("definition", a->definition, "ASL definition file")->required();
  sub->add_option("--input", a->input, "Execution input: JSON text, or @FILE");
  sub->add_option("--functions", a->functions, "Local Lambda functions file");
  sub->add_flag("--json", a->json, "Print {status, output, error, cause, events} as one JSON object");
  sub->add_option("--wait-scale", a->wait_scale, "Multiply every Wait and retry delay (0 skips them)")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--snapshot-each-step", a->snapshot_each_step,
                "Save and restore the execution state after every step (tests resumability)");
  sub->add_option("--seed", a->seed, "Seed for random values (States.UUID, jitter)");
  sub->add_option("--name", a->name, "Execution name");
  sub->callback([a, &exit_code] { exit_code = Run(*a); });
}

}  // namespace stepline::cli

// `stepline validate DEFINITION_FILE`: static validation of a state machine
// definition, with AWS ValidateStateMachineDefinition diagnostics.
// Exit status: 0 valid, 1 errors found, 2 usage error or unreadable file.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "asl/validate/validate.h"
#include "base/json.h"
#include "cli/commands.h"

namespace stepline::cli {

namespace {

struct ValidateOptions {
  std::string file;
  bool json = false;
  std::string severity = "WARNING";
};

bool ReadAll(const std::string& file, std::string& out) {
  if (file == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return false;
  out = ss.str();
  return true;
}

int RunValidate(const ValidateOptions& opts) {
  std::string text;
  if (!ReadAll(opts.file, text)) {
    std::fprintf(stderr, "stepline validate: cannot read '%s'\n", opts.file.c_str());
    return 2;
  }
  std::vector<asl::Diagnostic> all = asl::ValidateDefinitionText(text);
  std::vector<asl::Diagnostic> shown;
  for (auto& d : all) {
    if (opts.severity == "ERROR" && d.severity != "ERROR") continue;  // AWS's severity filter
    shown.push_back(d);
  }
  bool failed = asl::HasErrors(all);

  if (opts.json) {
    // The shape of ValidateStateMachineDefinition's output; "location" is
    // omitted when a diagnostic has none, as AWS does.
    Json::Array diags;
    for (const auto& d : shown) {
      Json::Object o;
      o.push_back({"severity", Json(d.severity)});
      o.push_back({"code", Json(d.code)});
      o.push_back({"message", Json(d.message)});
      if (!d.location.empty()) o.push_back({"location", Json(d.location)});
      diags.push_back(Json(std::move(o)));
    }
    Json::Object out;
    out.push_back({"result", Json(failed ? "FAIL" : "OK")});
    out.push_back({"diagnostics", Json(std::move(diags))});
    std::printf("%s\n", Json(std::move(out)).Dump().c_str());
  } else {
    for (const auto& d : shown) {
      std::printf("%s %s: %s%s%s\n", d.severity.c_str(), d.code.c_str(), d.message.c_str(),
                  d.location.empty() ? "" : " at ", d.location.c_str());
    }
    if (failed) {
      std::printf("FAIL: %s\n", opts.file.c_str());
    } else {
      std::printf("OK: %s\n", opts.file.c_str());
    }
  }
  return failed ? 1 : 0;
}

}  // namespace

void RegisterValidate(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ValidateOptions>();
  auto* sub = app.add_subcommand(
      "validate", "Check a state machine definition (diagnostics as AWS ValidateStateMachineDefinition)");
  sub->add_option("DEFINITION_FILE", opts->file, "ASL definition file ('-' for standard input)")->required();
  sub->add_flag("--json", opts->json, "Print {\"result\":\"OK\"|\"FAIL\",\"diagnostics\":[...]} like the AWS API");
  sub->add_option("--severity", opts->severity,
                  "Minimum severity to print: ERROR or WARNING (default WARNING: everything)")
      ->check(CLI::IsMember({"ERROR", "WARNING"}));
  sub->callback([opts, &exit_code] { exit_code = RunValidate(*opts); });
}

}  // namespace stepline::cli

#pragma once
// Each subcommand of `stepline` registers itself on the CLI11 app; its callback
// stores the process exit status in `exit_code`.

#include <CLI/CLI.hpp>

namespace stepline::cli {
void RegisterRun(CLI::App& app, int& exit_code);
void RegisterValidate(CLI::App& app, int& exit_code);
void RegisterJsonata(CLI::App& app, int& exit_code);
void RegisterServe(CLI::App& app, int& exit_code);
}  // namespace stepline::cli

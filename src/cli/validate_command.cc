#include <cstdio>

#include "cli/commands.h"

namespace stepline::cli {
// Placeholder until the command is written; exits 2 so nothing mistakes it for success.
void RegisterValidate(CLI::App& app, int& exit_code) {
  auto* sub = app.add_subcommand("validate", "(not yet available)");
  sub->allow_extras();
  sub->callback([&exit_code] {
    std::fprintf(stderr, "stepline validate: not yet available\n");
    exit_code = 2;
  });
}
}  // namespace stepline::cli

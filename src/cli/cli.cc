#include "cli/cli.h"

#include "cli/commands.h"

namespace stepline::cli {

int Main(int argc, char** argv) {
  CLI::App app{"stepline: run AWS Step Functions state machines anywhere"};
  app.require_subcommand(1);
  int exit_code = 0;
  RegisterRun(app, exit_code);
  RegisterValidate(app, exit_code);
  RegisterJsonata(app, exit_code);
  RegisterServe(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;  // usage errors exit 2
  }
  return exit_code;
}

}  // namespace stepline::cli

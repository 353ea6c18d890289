// `stepline serve [--port 8083] [--bind 127.0.0.1] [--data DIR]`: the AWS Step
// Functions API on embedded SQLite.
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <thread>

#include "api/server.h"
#include "cli/commands.h"
#include "integrations/lambda/local_functions.h"
#include "service/service.h"
#include "store/store.h"

namespace stepline::cli {

namespace {

struct ServeArgs {
  std::string bind = "127.0.0.1";
  int port = 8083;
  std::string data = "stepline-data";
  std::string functions;
  std::string region = "us-east-1";
  std::string account = "123456789012";
  bool memory = false;
  bool no_fsync = false;
  int threads = 0;
};

int Serve(const ServeArgs& a) {
  // Block the stop signals in every thread; one thread waits for them.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<store::Store> store;
  if (a.memory) {
    store = store::NewMemoryStore();
  } else {
    mkdir(a.data.c_str(), 0755);
    store::SqliteOptions so;
    so.path = a.data + "/stepline.db";
    so.synchronous_full = !a.no_fsync;
    auto s = store::OpenSqliteStore(so);
    if (!s.ok()) {
      std::fprintf(stderr, "stepline serve: cannot open %s: %s\n", so.path.c_str(), s.status().message().c_str());
      return 1;
    }
    store = std::move(s).value();
  }
  service::ServiceConfig cfg;
  cfg.engine.account.region = a.region;
  cfg.engine.account.account = a.account;
  if (!a.memory) cfg.engine.log_dir = a.data + "/logs";  // execution logs (loggingConfiguration)
  if (!a.functions.empty()) {
    auto fns = integrations::LocalFunctions::Load(a.functions);
    if (!fns.ok()) {
      std::fprintf(stderr, "stepline serve: %s\n", fns.status().message().c_str());
      return 2;
    }
    cfg.engine.functions = std::make_shared<const integrations::LocalFunctions>(std::move(fns).value());
  }
  SystemClock clock;
  service::Service svc(std::move(cfg), *store, clock);
  svc.Start();
  api::ServerOptions so;
  so.bind = a.bind;
  so.port = static_cast<uint16_t>(a.port);
  so.threads = a.threads;
  auto server = api::Server::Start(so, svc);
  if (!server.ok()) {
    std::fprintf(stderr, "stepline serve: %s\n", server.status().message().c_str());
    return 1;
  }
  // Tests read this line to find the port.
  std::printf("Stepline listening on http://%s:%u (data: %s)\n", a.bind.c_str(), (*server)->port(),
              a.memory ? "memory" : a.data.c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&sigs, &sig);
  (*server)->Stop();
  (*server)->Wait();
  svc.Shutdown();
  return 0;
}

}  // namespace

void RegisterServe(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<ServeArgs>();
  auto* sub = app.add_subcommand("serve", "Serve the AWS Step Functions API");
  sub->add_option("--port", a->port, "TCP port (0: any free port)")->check(CLI::Range(0, 65535));
  sub->add_option("--bind", a->bind, "Address to listen on");
  sub->add_option("--data", a->data, "Directory of the SQLite database and the execution logs");
  sub->add_option("--functions", a->functions, "Local Lambda functions file");
  sub->add_option("--region", a->region, "Region in ARNs");
  sub->add_option("--account", a->account, "Account id in ARNs");
  sub->add_flag("--memory", a->memory, "Keep everything in memory (nothing survives a restart)");
  sub->add_flag("--no-fsync", a->no_fsync, "Do not fsync commits (faster, not crash-safe)");
  sub->add_option("--threads", a->threads, "HTTP I/O threads (0: one per core)");
  sub->callback([a, &exit_code] { exit_code = Serve(*a); });
}

}  // namespace stepline::cli

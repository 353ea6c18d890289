// Not a test: serves the API layer over a trivial fake service so that wrk can
// measure this layer alone (tests/bench/wrk/run_api_bench.sh). Disabled unless
// asked for:
//   STEPLINE_API_BENCH_PORT=8099 STEPLINE_API_BENCH_SECONDS=20 \
//     build/src/api_test --gtest_also_run_disabled_tests --gtest_filter='*ServeForBenchmark*'
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <gtest/gtest.h>

#include "api/server.h"

namespace stepline::api {
namespace {

// Answers StartExecution the way the service does, at once, on the I/O thread.
class TrivialOps : public service::Operations {
 public:
  void Call(const std::string& operation, Json request, service::Reply done) override {
    Json out = Json::EmptyObject();
    out.Set("executionArn", Json("arn:aws:states:us-east-1:123456789012:execution:bench:e"));
    out.Set("startDate", Json(1700000000.123));
    done(std::move(out));
  }
};

TEST(BenchServer, DISABLED_ServeForBenchmark) {
  const char* port = std::getenv("STEPLINE_API_BENCH_PORT");
  const char* seconds = std::getenv("STEPLINE_API_BENCH_SECONDS");
  const char* threads = std::getenv("STEPLINE_API_BENCH_THREADS");
  TrivialOps ops;
  ServerOptions o;
  o.port = static_cast<uint16_t>(port ? std::atoi(port) : 8099);
  o.threads = threads ? std::atoi(threads) : 0;
  auto s = Server::Start(o, ops);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  std::printf("serving on port %u\n", (*s)->port());
  std::fflush(stdout);
  std::this_thread::sleep_for(std::chrono::seconds(seconds ? std::atoi(seconds) : 30));
  (*s)->Stop();
}

}  // namespace
}  // namespace stepline::api

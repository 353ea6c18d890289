// Where a start runs (Engine::StartExecution): on the calling thread only for
// an Express execution of a straight-line definition that logs nothing; and
// such a start answers as a worker's would.

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "service/service.h"
#include "store/store.h"

namespace stepline::service {
namespace {

class StartThread : public ::testing::Test {
 protected:
  void SetUp() override {
    ServiceConfig cfg;
    cfg.engine.workers = 2;
    store_ = store::NewMemoryStore();
    svc_ = std::make_unique<Service>(std::move(cfg), *store_, clock_);
    svc_->Start();
  }
  void TearDown() override { svc_->Shutdown(); }

  Result<Json> Call(const std::string& op, Json req) {
    std::promise<Result<Json>> p;
    auto f = p.get_future();
    svc_->Call(op, std::move(req), [&p](Result<Json> r) { p.set_value(std::move(r)); });
    return f.get();
  }
  std::string Create(const std::string& name, const std::string& type, const char* definition,
                     bool logging = false) {
    auto req = *Json::Parse(R"({"roleArn":"arn:aws:iam::123456789012:role/r"})");
    req.Set("name", name);
    req.Set("type", type);
    req.Set("definition", definition);
    if (logging)
      req.Set("loggingConfiguration", *Json::Parse(R"({"level":"ALL","destinations":[{"cloudWatchLogsLogGroup":
          {"logGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:g:*"}}]})"));
    auto r = Call("CreateStateMachine", req);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->find("stateMachineArn")->str() : "";
  }
  // Whether the answer came on the calling thread, i.e. the start ran there.
  bool AnsweredOnCaller(const std::string& op, const std::string& arn) {
    Json req = Json::EmptyObject();
    req.Set("stateMachineArn", arn);
    std::promise<std::thread::id> p;
    auto f = p.get_future();
    svc_->Call(op, req, [&p](Result<Json> r) {
      EXPECT_TRUE(r.ok()) << r.status().message();
      p.set_value(std::this_thread::get_id());
    });
    return f.get() == std::this_thread::get_id();
  }

  SystemClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Service> svc_;
};

constexpr const char* kLine = R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}})";
constexpr const char* kLoop = R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
  "B":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"A"}],"Default":"C"},
  "C":{"Type":"Succeed"}}})";

TEST_F(StartThread, OnlyStraightLineExpressStartsWithoutLoggingRunOnTheCaller) {
  const std::string express = Create("e", "EXPRESS", kLine);
  EXPECT_TRUE(AnsweredOnCaller("StartExecution", express));
  EXPECT_TRUE(AnsweredOnCaller("StartSyncExecution", express));
  EXPECT_FALSE(AnsweredOnCaller("DescribeStateMachine", express));
  EXPECT_FALSE(AnsweredOnCaller("StartExecution", Create("s", "STANDARD", kLine)));  // durable commit
  EXPECT_FALSE(AnsweredOnCaller("StartExecution", Create("loop", "EXPRESS", kLoop)));
  EXPECT_FALSE(AnsweredOnCaller("StartExecution", Create("logged", "EXPRESS", kLine, true)));
}

TEST_F(StartThread, AStartOnTheCallerAnswersLikeAWorker) {
  const std::string express = Create("e", "EXPRESS", kLine);
  Json req = Json::EmptyObject();
  req.Set("stateMachineArn", express);
  req.Set("input", R"({"k":"v"})");
  auto r = Call("StartSyncExecution", req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->find("status")->get_string(), "SUCCEEDED");
  EXPECT_EQ(r->find("output")->get_string(), R"({"k":"v"})");
  auto a = Call("StartExecution", req);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_NE(a->find("executionArn")->get_string().find(":express:"), std::string::npos);
}

}  // namespace
}  // namespace stepline::service

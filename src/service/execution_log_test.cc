#include "service/execution_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "base/random.h"
#include "service/service.h"
#include "store/store.h"

namespace stepline::service {
namespace {

namespace fs = std::filesystem;
using history::EventType;

Json J(const char* text) { return *Json::Parse(text); }

std::string Message(const Result<Json>& r) { return r.ok() ? "" : r.status().message(); }

// ---- configuration checks ---------------------------------------------------------

TEST(LoggingConfiguration, LevelOtherThanOffNeedsExactlyOneDestination) {
  for (const char* level : {"ALL", "ERROR", "FATAL"}) {
    Json cfg = Json::EmptyObject();
    cfg.Set("level", level);
    auto r = NormalizeLoggingConfiguration(cfg);
    ASSERT_FALSE(r.ok()) << level;
    EXPECT_EQ(r.status().name(), "InvalidLoggingConfiguration");
    EXPECT_EQ(r.status().message(), "Invalid Logging Configuration: Must specify exactly one Log Destination.");
  }
  auto two = NormalizeLoggingConfiguration(J(R"({"level":"ALL","destinations":[
      {"cloudWatchLogsLogGroup":{"logGroupArn":"arn:aws:logs:us-east-1:1:log-group:a:*"}},
      {"cloudWatchLogsLogGroup":{"logGroupArn":"arn:aws:logs:us-east-1:1:log-group:b:*"}}]})"));
  EXPECT_EQ(Message(two), "Invalid Logging Configuration: Must specify exactly one Log Destination.");
}

TEST(LoggingConfiguration, GroupArnNeedsTheStarQualifier) {
  auto r = NormalizeLoggingConfiguration(J(R"({"level":"ALL","destinations":[
      {"cloudWatchLogsLogGroup":{"logGroupArn":"arn:aws:logs:us-east-1:1:log-group:a"}}]})"));
  EXPECT_EQ(Message(r), "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.");
}

TEST(LoggingConfiguration, DefaultsAreFilledAsDescribeShowsThem) {
  auto empty = NormalizeLoggingConfiguration(Json::EmptyObject());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, J(R"({"level":"OFF","includeExecutionData":false})"));
  auto no_dest = NormalizeLoggingConfiguration(J(R"({"level":"OFF","destinations":[]})"));
  ASSERT_TRUE(no_dest.ok());
  EXPECT_EQ(*no_dest, J(R"({"level":"OFF","destinations":[],"includeExecutionData":false})"));
}

TEST(LoggingConfiguration, ResolvesOnlyWhenLogging) {
  EXPECT_EQ(ResolveLogConfig(nullptr), nullptr);
  Json off = J(R"({"level":"OFF","includeExecutionData":true,"destinations":[
      {"cloudWatchLogsLogGroup":{"logGroupArn":"arn:aws:logs:us-east-1:1:log-group:/aws/x:*"}}]})");
  EXPECT_EQ(ResolveLogConfig(&off), nullptr);
  Json on = off;
  on.Set("level", "ERROR");
  auto c = ResolveLogConfig(&on);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->level, LogLevel::kError);
  EXPECT_TRUE(c->include_data);
  EXPECT_EQ(c->group, "/aws/x");
}

TEST(LogLevels, FollowAwsTable) {
  for (size_t i = 0; i < static_cast<size_t>(EventType::kCount); ++i) {
    auto t = static_cast<EventType>(i);
    EXPECT_TRUE(LevelLogs(LogLevel::kAll, t));
    EXPECT_FALSE(LevelLogs(LogLevel::kOff, t));
    bool fatal = t == EventType::kExecutionFailed || t == EventType::kExecutionAborted ||
                 t == EventType::kExecutionTimedOut;
    EXPECT_EQ(LevelLogs(LogLevel::kFatal, t), fatal) << history::EventTypeName(t);
    if (fatal) {
      EXPECT_TRUE(LevelLogs(LogLevel::kError, t));
    }
  }
  for (auto t : {EventType::kTaskFailed, EventType::kLambdaFunctionFailed, EventType::kFailStateEntered,
                 EventType::kTaskTimedOut, EventType::kMapStateFailed, EventType::kParallelStateAborted})
    EXPECT_TRUE(LevelLogs(LogLevel::kError, t)) << history::EventTypeName(t);
  for (auto t : {EventType::kExecutionStarted, EventType::kExecutionSucceeded, EventType::kTaskSucceeded,
                 EventType::kPassStateEntered, EventType::kTaskScheduled, EventType::kChoiceStateExited})
    EXPECT_FALSE(LevelLogs(LogLevel::kError, t)) << history::EventTypeName(t);
}

TEST(LogGroupPath, KeepsSlashesAsDirectoriesAndNeverEscapes) {
  EXPECT_EQ(LogGroupPath("/aws/vendedlogs/states/my-sm-Logs"), "aws/vendedlogs/states/my-sm-Logs.log");
  EXPECT_EQ(LogGroupPath("plain_name.v1#2"), "plain_name.v1#2.log");
  EXPECT_EQ(LogGroupPath("../../etc/x"), "%2E%2E/%2E%2E/etc/x.log");
  EXPECT_EQ(LogGroupPath("a//./b c%"), "a/%2E/b%20c%25.log");
}

TEST(LogRecord, HasAwsFieldsAsStrings) {
  history::Event e;
  e.type = EventType::kPassStateExited;
  e.id = 3;
  e.previous_id = 2;
  e.timestamp = 1'718'000'000'123'456;
  e.name = "P";
  e.data = J(R"({"r":1})");
  e.has_data = true;
  Json r = LogRecord(e, "arn:x", 1, true);
  EXPECT_EQ(r, J(R"({"id":"3","type":"PassStateExited","details":{"name":"P","output":"{\"r\":1}",
      "outputDetails":{"truncated":false}},"previous_event_id":"2","event_timestamp":"1718000000123",
      "execution_arn":"arn:x","redrive_count":"1"})"));
  Json lean = LogRecord(e, "arn:x", 1, false);
  EXPECT_EQ(*lean.find("details"), J(R"({"name":"P"})"));
}

// AWS truncates an input or output whose escaped text passes 248 KB and
// marks it in the details; smaller data is logged whole.
TEST(LogRecord, TruncatesDataWhoseEscapedTextPasses248KB) {
  const size_t limit = 248 * 1024;
  history::Event e;
  e.type = EventType::kPassStateExited;
  e.id = 3;
  e.name = "P";
  e.has_data = true;
  // Quotes, newlines and a 3-byte character: escaping makes the text longer.
  std::string unit = "ab\"cd\n\u00e9\u20ac";
  std::string big;
  while (big.size() < limit) big += unit;
  e.data = Json(big);
  Json d = *LogRecord(e, "arn:x", 0, true).find("details");
  EXPECT_EQ(*d.find("outputDetails"), J(R"({"truncated":true})"));
  std::string_view logged = d.find("output")->get_string();
  size_t escaped = Json(logged).Dump().size() - 2;
  EXPECT_LE(escaped, limit);
  EXPECT_GT(escaped, limit - 8);
  std::string full = e.data.Dump();
  EXPECT_EQ(full.compare(0, logged.size(), logged), 0);  // a prefix of the whole output
  EXPECT_TRUE(Json::Parse(Json(logged).Dump()).ok());    // still valid UTF-8

  e.data = Json(std::string(limit / 2, 'x'));
  Json small = *LogRecord(e, "arn:x", 0, true).find("details");
  EXPECT_EQ(*small.find("outputDetails"), J(R"({"truncated":false})"));
  EXPECT_EQ(small.find("output")->get_string().size(), limit / 2 + 2);
}

// ---- through the service: CreateStateMachine ... StartSyncExecution ----------------

class ServiceLogs : public ::testing::Test {
 protected:
  void SetUp() override {
    SeededRandom rnd(static_cast<uint64_t>(clock_.Now()));
    dir_ = fs::temp_directory_path() / ("stepline-logs-" + MakeUuid(rnd));
    ServiceConfig cfg;
    cfg.engine.workers = 4;
    cfg.engine.log_dir = dir_.string();
    store_ = store::NewMemoryStore();
    svc_ = std::make_unique<Service>(std::move(cfg), *store_, clock_);
    svc_->Start();
  }
  void TearDown() override {
    svc_->Shutdown();
    svc_.reset();
    fs::remove_all(dir_);
  }

  Result<Json> Call(const std::string& op, Json req) {
    std::promise<Result<Json>> p;
    auto f = p.get_future();
    svc_->Call(op, std::move(req), [&p](Result<Json> r) { p.set_value(std::move(r)); });
    return f.get();
  }

  static Json Logging(const char* level, bool data, const std::string& group) {
    Json cfg = Json::EmptyObject();
    Json g = Json::EmptyObject();
    g.Set("logGroupArn", "arn:aws:logs:us-east-1:123456789012:log-group:" + group + ":*");
    Json dest = Json::EmptyObject();
    dest.Set("cloudWatchLogsLogGroup", g);
    cfg.Set("destinations", Json(Json::Array{dest}));
    cfg.Set("level", level);
    cfg.Set("includeExecutionData", data);
    return cfg;
  }

  std::string Create(const std::string& name, const char* definition, const Json* logging) {
    Json req = Json::EmptyObject();
    req.Set("name", name);
    req.Set("definition", definition);
    req.Set("roleArn", "arn:aws:iam::123456789012:role/r");
    req.Set("type", "EXPRESS");
    if (logging) req.Set("loggingConfiguration", *logging);
    auto r = Call("CreateStateMachine", req);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->find("stateMachineArn")->str() : "";
  }

  Json RunSync(const std::string& sm_arn, const char* input = R"({"a":1})") {
    Json req = Json::EmptyObject();
    req.Set("stateMachineArn", sm_arn);
    req.Set("input", input);
    auto r = Call("StartSyncExecution", req);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : Json::EmptyObject();
  }

  // The records of a log group, one per line.
  std::vector<Json> Records(const std::string& group) {
    std::vector<Json> out;
    std::ifstream in(dir_ / LogGroupPath(group));
    std::string line;
    while (std::getline(in, line)) {
      auto j = Json::Parse(line);
      EXPECT_TRUE(j.ok()) << line;
      if (j.ok()) out.push_back(std::move(j).value());
    }
    return out;
  }
  static std::vector<std::string> Types(const std::vector<Json>& records) {
    std::vector<std::string> t;
    for (const auto& r : records) t.push_back(r.find("type")->str());
    return t;
  }

  SystemClock clock_;
  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Service> svc_;
};

constexpr const char* kPassSucceed =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"r":1},"Next":"S"},"S":{"Type":"Succeed"}}})";
constexpr const char* kPassFail =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","Next":"F"},"F":{"Type":"Fail","Error":"Bad","Cause":"why"}}})";
constexpr const char* kWait =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}})";

TEST_F(ServiceLogs, AllLogsEveryEventInOrderInAwsShape) {
  Json cfg = Logging("ALL", true, "/aws/vendedlogs/states/all-Logs");
  std::string sm = Create("all", kPassSucceed, &cfg);
  Json out = RunSync(sm);
  ASSERT_EQ(out.find("status")->get_string(), "SUCCEEDED");
  std::string exec_arn = out.find("executionArn")->str();
  ASSERT_TRUE(fs::exists(dir_ / "aws/vendedlogs/states/all-Logs.log"));
  auto recs = Records("/aws/vendedlogs/states/all-Logs");
  EXPECT_EQ(Types(recs), (std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited",
                                                   "SucceedStateEntered", "SucceedStateExited",
                                                   "ExecutionSucceeded"}));
  Micros start = 0;
  for (size_t i = 0; i < recs.size(); ++i) {
    const Json& r = recs[i];
    std::vector<std::string> keys;
    for (const auto& m : r.get_object()) keys.push_back(m.key);
    EXPECT_EQ(keys, (std::vector<std::string>{"id", "type", "details", "previous_event_id", "event_timestamp",
                                              "execution_arn", "redrive_count"}));
    EXPECT_EQ(r.find("id")->get_string(), std::to_string(i + 1));
    EXPECT_EQ(r.find("execution_arn")->get_string(), exec_arn);
    EXPECT_EQ(r.find("redrive_count")->get_string(), "0");
    std::string ts = r.find("event_timestamp")->str();
    ASSERT_FALSE(ts.empty());
    EXPECT_EQ(ts.find_first_not_of("0123456789"), std::string::npos) << ts;
    if (i == 0) start = std::stoll(ts);
    EXPECT_NEAR(static_cast<double>(std::stoll(ts)), static_cast<double>(clock_.Now() / 1000), 60'000.0);
    EXPECT_GE(std::stoll(ts), start);
  }
  EXPECT_NE(exec_arn.find(":express:all:"), std::string::npos);
  EXPECT_EQ(recs[0].find("previous_event_id")->get_string(), "0");
  EXPECT_EQ(recs[2].find("previous_event_id")->get_string(), "2");
  const Json& started = *recs[0].find("details");
  EXPECT_EQ(started.find("input")->get_string(), R"({"a":1})");
  EXPECT_EQ(*started.find("inputDetails"), J(R"({"truncated":false})"));
  EXPECT_EQ(started.find("roleArn")->get_string(), "arn:aws:iam::123456789012:role/r");
  EXPECT_EQ(recs[5].find("details")->find("output")->get_string(), R"({"r":1})");
}

TEST_F(ServiceLogs, ExcludingExecutionDataDropsInputsAndOutputs) {
  Json cfg = Logging("ALL", false, "lean");
  std::string sm = Create("lean", kPassSucceed, &cfg);
  RunSync(sm);
  auto recs = Records("lean");
  ASSERT_EQ(recs.size(), 6u);
  for (const auto& r : recs) {
    const Json& d = *r.find("details");
    for (const char* k : {"input", "inputDetails", "output", "outputDetails"})
      EXPECT_EQ(d.find(k), nullptr) << r.Dump();
  }
  EXPECT_EQ(recs[0].find("details")->find("roleArn")->get_string(), "arn:aws:iam::123456789012:role/r");
  EXPECT_EQ(*recs[1].find("details"), J(R"({"name":"P"})"));
  EXPECT_EQ(*recs[5].find("details"), Json::EmptyObject());
}

TEST_F(ServiceLogs, ErrorLogsOnlyErrorEventsAndFatalOnlyTheExecutionsEnd) {
  Json err = Logging("ERROR", true, "errors");
  Json fatal = Logging("FATAL", true, "fatal");
  RunSync(Create("err", kPassFail, &err));
  RunSync(Create("fatal", kPassFail, &fatal));
  RunSync(Create("err-ok", kPassSucceed, &err));  // nothing to log at ERROR
  auto recs = Records("errors");
  EXPECT_EQ(Types(recs), (std::vector<std::string>{"FailStateEntered", "ExecutionFailed"}));
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(*recs[1].find("details"), J(R"({"error":"Bad","cause":"why"})"));
  EXPECT_EQ(Types(Records("fatal")), (std::vector<std::string>{"ExecutionFailed"}));
}

TEST_F(ServiceLogs, OffAndNoConfigurationWriteNothing) {
  Json off = Logging("OFF", true, "off");
  RunSync(Create("off", kPassSucceed, &off));
  RunSync(Create("none", kPassFail, nullptr));
  EXPECT_FALSE(fs::exists(dir_));  // not even the directory
}

TEST_F(ServiceLogs, EventsAreAppendedAsTheExecutionRuns) {
  Json cfg = Logging("ALL", false, "steps");
  std::string sm = Create("steps", kWait, &cfg);
  Json req = Json::EmptyObject();
  req.Set("stateMachineArn", sm);
  auto started = Call("StartExecution", req);  // answered after its first step
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(Types(Records("steps")), (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered"}));
  for (int i = 0; i < 100 && Records("steps").size() < 4; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(Types(Records("steps")),
            (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"}));
}

TEST_F(ServiceLogs, UpdateChangesTheLevelForNewExecutions) {
  Json all = Logging("ALL", true, "upd");
  std::string sm = Create("upd", kPassSucceed, &all);
  RunSync(sm);
  ASSERT_EQ(Records("upd").size(), 6u);
  Json req = Json::EmptyObject();
  req.Set("stateMachineArn", sm);
  req.Set("loggingConfiguration", Logging("FATAL", true, "upd"));
  ASSERT_TRUE(Call("UpdateStateMachine", req).ok());
  RunSync(sm);
  EXPECT_EQ(Records("upd").size(), 6u);  // FATAL: a success logs nothing
  req.Set("loggingConfiguration", Logging("ALL", false, "upd2"));
  ASSERT_TRUE(Call("UpdateStateMachine", req).ok());
  RunSync(sm);
  EXPECT_EQ(Records("upd2").size(), 6u);
  EXPECT_EQ(Records("upd").size(), 6u);
}

TEST_F(ServiceLogs, CreateAndUpdateRejectAnInvalidConfiguration) {
  Json req = Json::EmptyObject();
  req.Set("name", "bad");
  req.Set("definition", kPassSucceed);
  req.Set("roleArn", "arn:aws:iam::123456789012:role/r");
  req.Set("loggingConfiguration", J(R"({"level":"ERROR"})"));
  auto r = Call("CreateStateMachine", req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().name(), "InvalidLoggingConfiguration");
  EXPECT_EQ(r.status().message(), "Invalid Logging Configuration: Must specify exactly one Log Destination.");

  std::string sm = Create("good", kPassSucceed, nullptr);
  Json upd = Json::EmptyObject();
  upd.Set("stateMachineArn", sm);
  upd.Set("loggingConfiguration", J(R"({"level":"ALL"})"));
  auto u = Call("UpdateStateMachine", upd);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().name(), "InvalidLoggingConfiguration");
  Json d = Json::EmptyObject();
  d.Set("stateMachineArn", sm);
  auto desc = Call("DescribeStateMachine", d);
  ASSERT_TRUE(desc.ok());
  EXPECT_EQ(*desc->find("loggingConfiguration"), J(R"({"level":"OFF","includeExecutionData":false})"));
}

}  // namespace
}  // namespace stepline::service

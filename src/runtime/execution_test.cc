#include "runtime/execution.h"
#include "runtime/test_util.h"

#include <gtest/gtest.h>

#include <functional>

#include "asl/model.h"
#include "base/json_shared.h"

namespace stepline::runtime {
namespace {

using testing::Def;
using testing::Info;
using testing::kT0;

std::vector<std::string> Types(const Execution& e) {
  std::vector<std::string> out;
  for (const auto& ev : e.events()) out.push_back(history::EventTypeName(ev.type));
  return out;
}

TEST(Execution, PassChainRunsToTheEndInOneStep) {
  auto def = Def(R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.a","Next":"B"},
    "B":{"Type":"Pass","Parameters":{"v.$":"$.a.x","k":2},"End":true}}})");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(*Json::Parse(R"({"in":true})"), kT0, rnd, fx);
  ASSERT_EQ(e.status(), ExecStatus::kSucceeded);
  EXPECT_EQ(e.output().Dump(), R"({"v":1,"k":2})");
  EXPECT_EQ(Types(e), (std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited",
                                                "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}));
  for (size_t i = 0; i < e.events().size(); ++i) {
    EXPECT_EQ(e.events()[i].id, static_cast<int64_t>(i + 1));
    EXPECT_EQ(e.events()[i].previous_id, static_cast<int64_t>(i));
  }
}

TEST(Execution, WaitBecomesATimerNotASleep) {
  auto def = Def(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"End":true}}})");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(Json::EmptyObject(), kT0, rnd, fx);
  EXPECT_EQ(e.status(), ExecStatus::kRunning);
  ASSERT_EQ(fx.timers.size(), 1u);
  EXPECT_EQ(fx.timers[0].due, kT0 + 30 * kMicrosPerSecond);
  EXPECT_EQ(fx.timers[0].kind, TimerKind::kWait);
  uint64_t id = fx.timers[0].id;
  fx.Clear();
  e.TimerFired(id + 999, kT0 + 30 * kMicrosPerSecond, rnd, fx);  // unknown timer: ignored
  EXPECT_EQ(e.status(), ExecStatus::kRunning);
  e.TimerFired(id, kT0 + 30 * kMicrosPerSecond, rnd, fx);
  EXPECT_EQ(e.status(), ExecStatus::kSucceeded);
  e.TimerFired(id, kT0 + 31 * kMicrosPerSecond, rnd, fx);  // duplicate: no effect
  EXPECT_EQ(e.events().back().type, history::EventType::kExecutionSucceeded);
}

TEST(Execution, RetryBacksOffThenCatchRoutesTheError) {
  auto def = Def(R"({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
         "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":2}],
         "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"H"}],"End":true},
    "H":{"Type":"Pass","End":true}}})");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(*Json::Parse(R"({"a":1})"), kT0, rnd, fx);
  ASSERT_EQ(fx.tasks.size(), 1u);
  Micros now = kT0;
  std::vector<Micros> delays;
  for (int attempt = 0; attempt < 3; ++attempt) {
    uint64_t task = fx.tasks.at(0).id;
    fx.Clear();
    e.TaskFailed(task, "Boom", "bad", now, rnd, fx);
    if (attempt == 2) break;
    ASSERT_EQ(fx.timers.size(), 1u);
    delays.push_back(fx.timers[0].due - now);
    now = fx.timers[0].due;
    uint64_t timer = fx.timers[0].id;
    fx.Clear();
    e.TimerFired(timer, now, rnd, fx);
  }
  EXPECT_EQ(delays, (std::vector<Micros>{2 * kMicrosPerSecond, 6 * kMicrosPerSecond}));
  ASSERT_EQ(e.status(), ExecStatus::kSucceeded);
  EXPECT_EQ(e.output().Dump(), R"({"a":1,"err":{"Error":"Boom","Cause":"bad"}})");
}

TEST(Execution, RuntimeErrorsAreNotCaughtByStatesAll) {
  auto def = Def(R"({"StartAt":"P","States":{
    "P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","OutputPath":"$.missing","End":true}}}],
         "Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"End":true},
    "H":{"Type":"Pass","End":true}}})");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(Json::EmptyObject(), kT0, rnd, fx);
  EXPECT_EQ(e.status(), ExecStatus::kFailed);
  EXPECT_EQ(e.error(), "States.Runtime");
  EXPECT_NE(e.cause().find("An error occurred while executing the state 'X' (entered at the event id #4)"),
            std::string::npos)
      << e.cause();
}

TEST(Execution, MissingActivityFailsTheStateBeforeScheduling) {
  struct NoActivities : Environment {
    bool ActivityExists(const std::string&) const override { return false; }
  } env;
  const std::string act = "arn:aws:states:us-east-1:123456789012:activity:gone";
  auto def = Def(R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":")" + act +
                 R"(","Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"End":true},"H":{"Type":"Pass","End":true}}})");
  Execution e(def, Info());
  e.set_environment(&env);
  SeededRandom rnd(1);
  Effects fx;
  e.Start(Json::EmptyObject(), kT0, rnd, fx);
  // States.Runtime is not caught by States.ALL, and nothing was scheduled.
  EXPECT_EQ(e.status(), ExecStatus::kFailed);
  EXPECT_EQ(e.error(), "States.Runtime");
  EXPECT_EQ(e.cause(), "An error occurred while executing the state 'A' (entered at the event id #2). The activity " +
                           act + " does not exist.");
  EXPECT_TRUE(fx.tasks.empty());
  std::vector<std::string> types;
  for (const auto& ev : e.events()) types.push_back(std::string(history::EventTypeName(ev.type)));
  EXPECT_EQ(types, (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "ExecutionFailed"}));
}

TEST(Execution, OneFailingBranchStopsTheOthersAndIsCaught) {
  auto def = Def(R"({"StartAt":"P","States":{
    "P":{"Type":"Parallel","Branches":[
        {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}},
        {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}],
      "Catch":[{"ErrorEquals":["E"],"Next":"H"}],"End":true},
    "H":{"Type":"Pass","End":true}}})");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(Json::EmptyObject(), kT0, rnd, fx);
  ASSERT_EQ(e.status(), ExecStatus::kSucceeded);
  EXPECT_EQ(e.output().Dump(), R"({"Error":"E","Cause":"C"})");
  ASSERT_EQ(fx.timers.size(), 1u);  // the Wait's timer was requested ...
  ASSERT_EQ(fx.cancelled_timers.size(), 1u);  // ... and cancelled
  EXPECT_EQ(fx.cancelled_timers[0], fx.timers[0].id);
  auto t = Types(e);
  EXPECT_NE(std::find(t.begin(), t.end(), "ParallelStateFailed"), t.end());
}

TEST(Execution, MapRespectsMaxConcurrencyAndKeepsItemOrder) {
  auto def = Def(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,
    "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
    "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}},"End":true}}})");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(*Json::Parse(R"(["a","b","c"])"), kT0, rnd, fx);
  ASSERT_EQ(fx.tasks.size(), 2u);  // at most two in flight
  auto first = fx.tasks;
  fx.Clear();
  e.TaskSucceeded(first[1].id, first[1].input, kT0, rnd, fx);  // answers out of order
  ASSERT_EQ(fx.tasks.size(), 1u);
  EXPECT_EQ(fx.tasks[0].input.Dump(), R"({"i":2,"v":"c"})");
  auto third = fx.tasks[0];
  fx.Clear();
  e.TaskSucceeded(third.id, Json("C"), kT0, rnd, fx);
  e.TaskSucceeded(first[0].id, Json("A"), kT0, rnd, fx);
  ASSERT_EQ(e.status(), ExecStatus::kSucceeded);
  EXPECT_EQ(e.output().Dump(), R"(["A",{"i":1,"v":"b"},"C"])");
}

// AWS runs at most 40 iterations of an inline Map at once, whatever
// MaxConcurrency says (0 or more than 40).
TEST(Execution, InlineMapRunsAtMostFortyIterationsAtOnce) {
  for (const char* mc : {"", R"("MaxConcurrency":100,)"}) {
    auto def = Def(std::string(R"({"StartAt":"M","States":{"M":{"Type":"Map",)") + mc +
                   R"("ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
          "Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}},"End":true}}})");
    Execution e(def, Info());
    SeededRandom rnd(1);
    Effects fx;
    Json::Array items;
    for (int i = 0; i < 45; ++i) items.push_back(Json(i));
    e.Start(Json(items), kT0, rnd, fx);
    ASSERT_EQ(fx.tasks.size(), 40u) << mc;
    auto pending = fx.tasks;
    size_t answered = 0;
    while (!pending.empty()) {
      auto t = pending.front();
      pending.erase(pending.begin());
      fx.Clear();
      e.TaskSucceeded(t.id, t.input, kT0, rnd, fx);
      ++answered;
      pending.insert(pending.end(), fx.tasks.begin(), fx.tasks.end());
      ASSERT_LE(pending.size(), 40u);
    }
    EXPECT_EQ(answered, 45u);
    ASSERT_EQ(e.status(), ExecStatus::kSucceeded);
    EXPECT_EQ(e.output(), Json(items));
  }
}

TEST(Execution, NoChoiceMatchedFailsWithAwsError) {
  auto def = Def(R"({"StartAt":"C","States":{"C":{"Type":"Choice",
    "Choices":[{"Variable":"$.x","NumericEquals":1,"Next":"D"}]},"D":{"Type":"Succeed"}}})");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(*Json::Parse(R"({"x":2})"), kT0, rnd, fx);
  EXPECT_EQ(e.status(), ExecStatus::kFailed);
  EXPECT_EQ(e.error(), "States.NoChoiceMatched");
}

TEST(Execution, ExecutionTimeoutEndsTimedOut) {
  auto def = Def(R"({"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}})");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(Json::EmptyObject(), kT0, rnd, fx);
  uint64_t exec_timer = 0;
  for (const auto& t : fx.timers)
    if (t.kind == TimerKind::kExecutionTimeout) exec_timer = t.id;
  ASSERT_NE(exec_timer, 0u);
  fx.Clear();
  e.TimerFired(exec_timer, kT0 + 5 * kMicrosPerSecond, rnd, fx);
  EXPECT_EQ(e.status(), ExecStatus::kTimedOut);
  EXPECT_EQ(e.error(), "States.Timeout");
  EXPECT_EQ(fx.cancelled_timers.size(), 1u);  // the Wait's timer
}

TEST(Execution, LargeDocumentsAreSharedNotCopied) {
  auto def = Def(R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Result":1,"ResultPath":"$.k","Next":"B"},
    "B":{"Type":"Pass","End":true}}})");
  Json big = Json::EmptyObject();
  Json::Array items(5000, Json("payload"));
  big.Set("items", Json(std::move(items)));
  const void* items_node = big.find("items")->node_identity();
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(big, kT0, rnd, fx);
  ASSERT_EQ(e.status(), ExecStatus::kSucceeded);
  EXPECT_EQ(e.output().find("items")->node_identity(), items_node);
}

// Drives an execution to its end, answering every task with its input and
// firing every timer, optionally saving and restoring after every step.
std::unique_ptr<Execution> Drive(std::shared_ptr<const asl::Definition> def, const Json& input, bool snapshot) {
  auto e = std::make_unique<Execution>(def, Info());
  SeededRandom rnd(7);
  Effects fx;
  Micros now = kT0;
  std::vector<TaskRequest> tasks;
  std::vector<TimerRequest> timers;
  auto absorb = [&] {
    for (auto& t : fx.tasks) tasks.push_back(t);
    for (auto& t : fx.timers) timers.push_back(t);
    fx.Clear();
    if (snapshot) {
      auto saved = Json::Parse(e->Save().Dump());
      EXPECT_TRUE(saved.ok());
      auto r = Execution::Restore(def, *saved);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      e = std::move(r).value();
    }
  };
  e->Start(input, now, rnd, fx);
  absorb();
  for (int guard = 0; e->status() == ExecStatus::kRunning && guard < 1000; ++guard) {
    now += kMicrosPerSecond;
    if (!tasks.empty()) {
      auto t = tasks.front();
      tasks.erase(tasks.begin());
      e->TaskSucceeded(t.id, t.input, now, rnd, fx);
    } else if (!timers.empty()) {
      auto t = timers.front();
      timers.erase(timers.begin());
      e->TimerFired(t.id, now, rnd, fx);
    }
    absorb();
  }
  return e;
}

TEST(Execution, SaveAndRestoreAfterEveryStepGivesTheSameRun) {
  auto def = Def(R"({"StartAt":"P","States":{
    "P":{"Type":"Parallel","Branches":[
      {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"ItemsPath":"$.xs",
        "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
          "Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Next":"W"},
          "W":{"Type":"Wait","Seconds":1,"End":true}}},"End":true}}},
      {"StartAt":"W2","States":{"W2":{"Type":"Wait","Seconds":3,"End":true}}}],
    "Next":"Done"},
    "Done":{"Type":"Pass","End":true}}})");
  Json input = *Json::Parse(R"({"xs":[1,2,3]})");
  auto plain = Drive(def, input, false);
  auto snap = Drive(def, input, true);
  ASSERT_EQ(plain->status(), ExecStatus::kSucceeded);
  ASSERT_EQ(snap->status(), ExecStatus::kSucceeded);
  EXPECT_EQ(plain->output(), snap->output());
  EXPECT_EQ(Types(*plain), Types(*snap));
  ASSERT_EQ(plain->events().size(), snap->events().size());
  for (size_t i = 0; i < plain->events().size(); ++i)
    EXPECT_EQ(history::RenderEvent(plain->events()[i]), history::RenderEvent(snap->events()[i])) << i;
}

TEST(Execution, RedriveRunsTheFailedStateAgainWithItsInput) {
  auto def = Def(R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Result":{"step":1},"ResultPath":"$.a","Next":"T"},
    "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}})");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  EXPECT_EQ(e.Redrive(kT0, rnd, fx).name(), "ExecutionNotRedrivable");  // not started
  e.Start(*Json::Parse(R"({"x":1})"), kT0, rnd, fx);
  ASSERT_EQ(fx.tasks.size(), 1u);
  EXPECT_EQ(e.Redrive(kT0, rnd, fx).name(), "ExecutionNotRedrivable");  // running
  uint64_t first = fx.tasks[0].id;
  fx.Clear();
  e.TaskFailed(first, "Boom", "c", kT0, rnd, fx);
  ASSERT_EQ(e.status(), ExecStatus::kFailed);
  ASSERT_TRUE(e.Redrive(kT0 + 1, rnd, fx).ok());
  EXPECT_EQ(e.status(), ExecStatus::kRunning);
  ASSERT_EQ(fx.tasks.size(), 1u);
  EXPECT_EQ(fx.tasks[0].input.Dump(), R"({"x":1,"a":{"step":1}})");  // the failed state's input
  auto types = Types(e);
  EXPECT_EQ(std::count(types.begin(), types.end(), "PassStateEntered"), 1);  // A is not run again
  EXPECT_NE(std::find(types.begin(), types.end(), "ExecutionRedriven"), types.end());
  e.TaskSucceeded(fx.tasks[0].id, Json("ok"), kT0 + 2, rnd, fx);
  EXPECT_EQ(e.status(), ExecStatus::kSucceeded);
  EXPECT_EQ(e.output(), Json("ok"));
  e.TaskSucceeded(first, Json("late"), kT0 + 3, rnd, fx);  // the first attempt's late answer is ignored
  EXPECT_EQ(e.output(), Json("ok"));
}

// A finished Map iteration is saved as null (its output is in the Map's
// results), so a snapshot holds only the iterations still running, and a
// restored execution finishes with every output in place.
TEST(Execution, SnapshotsOmitFinishedMapIterations) {
  auto def = Def(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}},"End":true}}})");
  auto e = std::make_unique<Execution>(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  Json::Array items;
  for (int i = 0; i < 30; ++i) items.push_back(Json(std::string(200, 'a' + i % 26)));
  e->Start(Json(items), kT0, rnd, fx);
  auto tasks = fx.tasks;
  ASSERT_EQ(tasks.size(), 30u);
  for (size_t i = 0; i < 20; ++i) e->TaskSucceeded(tasks[i].id, Json(int64_t(i)), kT0, rnd, fx);
  Json saved = e->Save(false);
  // The Map frame's children: 20 finished (null), 10 running (saved frames).
  std::function<const Json*(const Json&)> find_children = [&](const Json& j) -> const Json* {
    if (!j.is_object()) return nullptr;
    if (const Json* ch = j.find("ch"); ch && ch->is_array() && ch->size() == 30) return ch;
    for (const auto& m : j.get_object())
      if (const Json* r = find_children(m.value)) return r;
    return nullptr;
  };
  const Json* ch = find_children(saved);
  ASSERT_NE(ch, nullptr);
  int nulls = 0;
  for (const auto& c : ch->get_array()) nulls += c.is_null();
  EXPECT_EQ(nulls, 20);
  auto r = Execution::Restore(def, *Json::Parse(saved.Dump()));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  e = std::move(r).value();
  for (size_t i = 20; i < 30; ++i) e->TaskSucceeded(tasks[i].id, Json(int64_t(i)), kT0, rnd, fx);
  ASSERT_EQ(e->status(), ExecStatus::kSucceeded);
  Json::Array want;
  for (int i = 0; i < 30; ++i) want.push_back(Json(i));
  EXPECT_EQ(e->output(), Json(want));
}

TEST(Execution, RestoreRejectsGarbage) {
  auto def = Def(R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})");
  EXPECT_FALSE(Execution::Restore(def, Json(3)).ok());
  EXPECT_FALSE(Execution::Restore(def, *Json::Parse(R"({"v":1,"root":{"s":"Nope"}})")).ok());
}

// The input document sits in several places of a saved execution (its input,
// the Map's input and effective input, its items): it is written once.
// Version-1 snapshots (everything written in place) still restore.
TEST(Execution, SnapshotsWriteASharedInputOnceAndVersion1StillRestores) {
  auto def = Def(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs","ItemProcessor":{
    "StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
    "End":true}}},"End":true}}})");
  Json::Array xs;
  for (int i = 0; i < 200; ++i) xs.push_back(Json("item-" + std::to_string(i) + std::string(40, 'a' + i % 26)));
  Json input = Json::EmptyObject();
  input.Set("xs", Json(xs));
  const size_t input_bytes = input.Dump().size();
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(input, kT0, rnd, fx);
  auto tasks = fx.tasks;
  ASSERT_EQ(tasks.size(), 40u);  // AWS's inline Map concurrency
  Json saved = e.Save(false);
  EXPECT_EQ(saved.find("v")->get_int(), 2);
  // Item 199 is not running: it appears only inside the input document.
  auto count = [](const std::string& text) {
    const std::string item = "item-199" + std::string(40, 'a' + 199 % 26);
    size_t n = 0;
    for (size_t at = text.find(item); at != std::string::npos; at = text.find(item, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count(saved.Dump()), 1u);

  auto v1 = UnpackShared(*Json::Parse(saved.Dump()));
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->find("v")->get_int(), 1);
  EXPECT_GE(count(v1->Dump()), 3u);  // what version 1 wrote
  EXPECT_GT(v1->Dump().size(), saved.Dump().size() + 2 * input_bytes);
  for (const Json* version : {&saved, &*v1}) {
    auto r = Execution::Restore(def, *Json::Parse(version->Dump()));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    Execution& x = **r;
    Effects fx2;
    std::vector<TaskRequest> pending = tasks;
    while (!pending.empty() && x.status() == ExecStatus::kRunning) {
      auto t = pending.front();
      pending.erase(pending.begin());
      x.TaskSucceeded(t.id, t.input, kT0, rnd, fx2);
      for (auto& n : fx2.tasks) pending.push_back(n);
      fx2.Clear();
    }
    ASSERT_EQ(x.status(), ExecStatus::kSucceeded);
    EXPECT_EQ(x.output(), Json(xs));
  }
}

// AWS: event 25,000 of a Standard execution may only end it; anything else
// there is replaced by ExecutionFailed (States.Runtime).
TEST(Execution, HistoryLimitFailsAnEndlessLoopAtEvent25000) {
  auto def = Def(R"({"StartAt":"Spin","States":{"Spin":{"Type":"Choice",
    "Choices":[{"Variable":"$.stop","BooleanEquals":true,"Next":"Done"}],"Default":"Spin"},
    "Done":{"Type":"Succeed"}}})");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(*Json::Parse(R"({"stop":false})"), kT0, rnd, fx);
  ASSERT_EQ(e.status(), ExecStatus::kFailed);
  EXPECT_EQ(e.error(), "States.Runtime");
  EXPECT_EQ(e.cause(), "The execution reached the maximum number of history events (25000).");
  ASSERT_EQ(e.events().size(), 25000u);
  const auto& last = e.events().back();
  EXPECT_EQ(last.type, history::EventType::kExecutionFailed);
  EXPECT_EQ(last.id, 25000);
  EXPECT_EQ(last.previous_id, 24999);
  EXPECT_EQ(e.events()[24998].type, history::EventType::kChoiceStateExited);
  EXPECT_EQ(e.Redrive(kT0 + 1, rnd, fx).name(), "ExecutionNotRedrivable");
}

// A counting loop of K rounds records 4K + 4 events: K = 6249 ends exactly at
// event 25,000 with ExecutionSucceeded; one more round fails at 25,000.
std::shared_ptr<const asl::Definition> CountingLoop() {
  return Def(R"({"QueryLanguage":"JSONata","StartAt":"Inc","States":{
    "Inc":{"Type":"Pass","Output":{"i":"{% $states.input.i + 1 %}","k":"{% $states.input.k %}"},"Next":"Check"},
    "Check":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.i < $states.input.k %}","Next":"Inc"}],
             "Default":"Done"},
    "Done":{"Type":"Succeed"}}})");
}

TEST(Execution, HistoryLimitLetsEvent25000EndTheExecution) {
  Execution e(CountingLoop(), Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(*Json::Parse(R"({"i":0,"k":6249})"), kT0, rnd, fx);
  ASSERT_EQ(e.status(), ExecStatus::kSucceeded);
  EXPECT_EQ(e.output().Dump(), R"({"i":6249,"k":6249})");
  EXPECT_EQ(e.events().back().id, 25000);
  EXPECT_EQ(e.events().back().type, history::EventType::kExecutionSucceeded);
}

TEST(Execution, HistoryLimitVoidsWhatTheStepDidAfterIt) {
  Execution e(CountingLoop(), Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(*Json::Parse(R"({"i":0,"k":6250})"), kT0, rnd, fx);
  ASSERT_EQ(e.status(), ExecStatus::kFailed);
  EXPECT_TRUE(e.output().is_null());
  ASSERT_EQ(e.events().size(), 25000u);
  EXPECT_EQ(e.events()[24998].type, history::EventType::kPassStateExited);
  EXPECT_EQ(e.events().back().type, history::EventType::kExecutionFailed);
}

TEST(Execution, HistoryLimitCancelsWorkAskedForInTheSameStep) {
  // One branch asks for a task, the other spins until the limit, all in one step.
  auto def = Def(R"({"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
    {"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
      "Parameters":{"FunctionName":"f"},"End":true}}},
    {"StartAt":"Spin","States":{"Spin":{"Type":"Choice",
      "Choices":[{"Variable":"$.stop","BooleanEquals":true,"Next":"Out"}],"Default":"Spin"},
      "Out":{"Type":"Succeed"}}}]}}})");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(*Json::Parse(R"({"stop":false})"), kT0, rnd, fx);
  ASSERT_EQ(e.status(), ExecStatus::kFailed);
  EXPECT_EQ(e.events().back().id, 25000);
  EXPECT_EQ(fx.cancelled_tasks.size(), 1u);  // the task was asked for, then cancelled...
  EXPECT_TRUE(fx.tasks.empty());             // ...so it is not handed out at all
}

TEST(Execution, ExpressExecutionsHaveNoHistoryLimit) {
  auto def = Def(R"({"QueryLanguage":"JSONata","StartAt":"Inc","States":{
    "Inc":{"Type":"Pass","Output":{"i":"{% $states.input.i + 1 %}"},"Next":"Check"},
    "Check":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.i < 20000 %}","Next":"Inc"}],
             "Default":"Done"},
    "Done":{"Type":"Succeed"}}})");
  ExecutionInfo info = Info();
  info.express = true;
  Execution e(def, info);
  SeededRandom rnd(1);
  Effects fx;
  e.Start(*Json::Parse(R"({"i":0})"), kT0, rnd, fx);
  ASSERT_EQ(e.status(), ExecStatus::kSucceeded);
  EXPECT_GT(e.event_count(), 80000);
}

}  // namespace
}  // namespace stepline::runtime

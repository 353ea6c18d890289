// Workflow variables (Assign, $name) and the JSONata query language in the
// interpreter: scoping, evaluation order, errors and save/restore.
#include <gtest/gtest.h>

#include "asl/model.h"
#include "runtime/execution.h"
#include "runtime/test_util.h"

namespace stepline::runtime {
namespace {

using testing::Def;
using testing::Info;
using testing::kT0;

struct Run {
  std::unique_ptr<Execution> e;
  Effects fx;
  SeededRandom rnd{1};
};

std::unique_ptr<Run> Start(std::string_view def, std::string_view input = "{}") {
  auto r = std::make_unique<Run>();
  r->e = std::make_unique<Execution>(Def(def), Info());
  r->e->Start(*Json::Parse(input), kT0, r->rnd, r->fx);
  return r;
}

std::vector<std::string> Types(const Execution& e) {
  std::vector<std::string> out;
  for (const auto& ev : e.events()) out.push_back(history::EventTypeName(ev.type));
  return out;
}

const history::Event* Last(const Execution& e, history::EventType t) {
  const history::Event* found = nullptr;
  for (const auto& ev : e.events())
    if (ev.type == t) found = &ev;
  return found;
}

// ---- JSONPath ----------------------------------------------------------------

TEST(Variables, AssignTakesEffectAfterOutputPath) {
  // Recorded case test_state_assign_evaluation_order[BASE_EVALUATION_ORDER_PASS_STATE].
  auto r = Start(R"J({"StartAt":"S0","States":{
    "S0":{"Type":"Pass","Result":{"q":"?"},"Assign":{"question.$":"$.q","answer":42},"Next":"S1"},
    "S1":{"Type":"Pass","InputPath":"$answer","ResultPath":"$.theAnswer","OutputPath":"$answer",
          "Assign":{"answer":"<omitted>"},"End":true}}})J");
  ASSERT_EQ(r->e->status(), ExecStatus::kSucceeded);
  EXPECT_EQ(r->e->output().Dump(), "42");
}

TEST(Variables, AllAssignmentsOfAStateSeeTheValuesBeforeIt) {
  auto r = Start(R"J({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"x":1,"y":2},"Next":"B"},
    "B":{"Type":"Pass","Assign":{"x.$":"$y","y.$":"$x"},"Next":"C"},
    "C":{"Type":"Pass","Parameters":{"x.$":"$x","y.$":"$y"},"End":true}}})J");
  ASSERT_EQ(r->e->status(), ExecStatus::kSucceeded);
  EXPECT_EQ(r->e->output().Dump(), R"J({"x":2,"y":1})J");
}

TEST(Variables, StateExitedRecordsAssignedVariablesAsJsonText) {
  auto r = Start(R"J({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"n":1,"s":"t","o.$":"$"},"End":true}}})J",
                 R"J({"k":[1]})J");
  const history::Event* ex = Last(*r->e, history::EventType::kPassStateExited);
  ASSERT_NE(ex, nullptr);
  EXPECT_EQ(ex->assigned.Dump(), R"J({"n":"1","s":"\"t\"","o":"{\"k\":[1]}"})J");
  Json rendered = history::RenderEvent(*ex);
  EXPECT_EQ(rendered.find("stateExitedEventDetails")->find("assignedVariables")->Dump(), ex->assigned.Dump());
  // A state without Assign records none.
  auto r2 = Start(R"J({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})J");
  EXPECT_TRUE(Last(*r2->e, history::EventType::kPassStateExited)->assigned.is_null());
}

TEST(Variables, PathsReadVariablesInEveryJsonPathField) {
  auto r = Start(R"J({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"items":[1,2],"limit":1,"err":"E","cause":"C"},"Next":"M"},
    "M":{"Type":"Map","ItemsPath":"$items","MaxConcurrencyPath":"$limit",
         "ItemSelector":{"v.$":"$$.Map.Item.Value","l.$":"$limit"},
         "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"Next":"C"},
    "C":{"Type":"Choice","Choices":[{"Variable":"$limit","NumericEquals":1,"Next":"F"}]},
    "F":{"Type":"Fail","ErrorPath":"$err","CausePath":"States.Format('{}!', $cause)"}}})J");
  ASSERT_EQ(r->e->status(), ExecStatus::kFailed);
  EXPECT_EQ(r->e->error(), "E");
  EXPECT_EQ(r->e->cause(), "C!");
  const history::Event* mx = Last(*r->e, history::EventType::kMapStateExited);
  ASSERT_NE(mx, nullptr);
  EXPECT_EQ(mx->data.Dump(), R"J([{"v":1,"l":1},{"v":2,"l":1}])J");
}

TEST(Variables, ParallelBranchesReadOuterVariablesButTheirAssignmentsStayInside) {
  auto r = Start(R"J({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"x":1},"Next":"P"},
    "P":{"Type":"Parallel","Branches":[
       {"StartAt":"B1","States":{"B1":{"Type":"Pass","Assign":{"x":10,"mine":1},"Next":"B2"},
                                 "B2":{"Type":"Pass","Parameters":{"x.$":"$x"},"End":true}}},
       {"StartAt":"C1","States":{"C1":{"Type":"Pass","Parameters":{"x.$":"$x"},"End":true}}}],
     "ResultPath":"$.branches","Next":"Z"},
    "Z":{"Type":"Pass","Parameters":{"x.$":"$x","b.$":"$.branches"},"End":true}}})J");
  ASSERT_EQ(r->e->status(), ExecStatus::kSucceeded);
  // Branch 1 sees its own x, branch 2 the outer one; afterwards x is still 1.
  EXPECT_EQ(r->e->output().Dump(), R"J({"x":1,"b":[{"x":10},{"x":1}]})J");
  // "mine" never reached the outer scope.
  auto r2 = Start(R"J({"StartAt":"P","States":{
    "P":{"Type":"Parallel","Branches":[
       {"StartAt":"B1","States":{"B1":{"Type":"Pass","Assign":{"mine":1},"End":true}}}],"Next":"Z"},
    "Z":{"Type":"Pass","Parameters":{"m.$":"$mine"},"End":true}}})J");
  EXPECT_EQ(r2->e->status(), ExecStatus::kFailed);
}

TEST(Variables, MapIterationsAreIsolatedFromEachOther) {
  auto r2 = Start(R"J({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"sum":0},"Next":"M"},
    "M":{"Type":"Map","ItemsPath":"$.v","MaxConcurrency":1,"ItemProcessor":{"StartAt":"I","States":{
       "I":{"Type":"Pass","Assign":{"sum.$":"States.MathAdd($sum, $)"},"Next":"O"},
       "O":{"Type":"Pass","Parameters":{"s.$":"$sum"},"End":true}}},"ResultPath":"$.r","Next":"Z"},
    "Z":{"Type":"Pass","Parameters":{"r.$":"$.r","sum.$":"$sum"},"End":true}}})J",
                  R"J({"v":[1,2,3]})J");
  ASSERT_EQ(r2->e->status(), ExecStatus::kSucceeded) << r2->e->cause();
  // Each iteration starts from the outer sum (0), not from its sibling's.
  EXPECT_EQ(r2->e->output().Dump(), R"J({"r":[{"s":1},{"s":2},{"s":3}],"sum":0})J");
}

TEST(Variables, CatcherAssignReadsTheErrorOutput) {
  auto r = Start(R"J({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Assign":{"ok":true},
         "Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"err.$":"$.Error","ok":false},"ResultPath":null,"Next":"H"}],
         "End":true},
    "H":{"Type":"Pass","Parameters":{"err.$":"$err","ok.$":"$ok"},"End":true}}})J");
  ASSERT_EQ(r->fx.tasks.size(), 1u);
  uint64_t id = r->fx.tasks[0].id;
  r->fx.Clear();
  r->e->TaskFailed(id, "Boom", "bad", kT0 + 1, r->rnd, r->fx);
  ASSERT_EQ(r->e->status(), ExecStatus::kSucceeded);
  EXPECT_EQ(r->e->output().Dump(), R"J({"err":"Boom","ok":false})J");
  EXPECT_EQ(Last(*r->e, history::EventType::kTaskStateExited)->assigned.Dump(), R"J({"err":"\"Boom\"","ok":"false"})J");
}

TEST(Variables, OversizedVariableFailsWithDataLimitExceeded) {
  std::string big(300 * 1024, 'x');
  auto r = Start(R"J({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"v.$":"$.big"},"End":true}}})J",
                 R"J({"big":")J" + big + R"J("})J");
  ASSERT_EQ(r->e->status(), ExecStatus::kFailed);
  EXPECT_EQ(r->e->error(), "States.DataLimitExceeded");
}

// ---- JSONata -------------------------------------------------------------------

TEST(Jsonata, StatesInputResultAndVariables) {
  auto r = Start(R"J({"QueryLanguage":"JSONata","StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"k":"{% $states.input.k * 2 %}"},"Next":"T"},
    "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
         "Arguments":{"FunctionName":"f","Payload":{"k":"{% $k %}","in":"{% $states.input %}"}},
         "Assign":{"k":"{% $states.result.n %}","old":"{% $k %}"},
         "Output":{"res":"{% $states.result %}","k":"{% $k %}","name":"{% $states.context.State.Name %}"},
         "Next":"Z"},
    "Z":{"Type":"Pass","Output":{"k":"{% $k %}","old":"{% $old %}","prev":"{% $states.input.k %}"},"End":true}}})J",
                 R"J({"k":21})J");
  ASSERT_EQ(r->fx.tasks.size(), 1u);
  EXPECT_EQ(r->fx.tasks[0].input.Dump(), R"J({"FunctionName":"f","Payload":{"k":42,"in":{"k":21}}})J");
  uint64_t id = r->fx.tasks[0].id;
  r->fx.Clear();
  r->e->TaskSucceeded(id, *Json::Parse(R"J({"n":7})J"), kT0 + 1, r->rnd, r->fx);
  ASSERT_EQ(r->e->status(), ExecStatus::kSucceeded) << r->e->cause();
  // Output saw k before the Task's own Assign (42); the next state sees 7.
  EXPECT_EQ(r->e->output().Dump(), R"J({"k":7,"old":42,"prev":42})J");
  const history::Event* tx = Last(*r->e, history::EventType::kTaskStateExited);
  EXPECT_EQ(tx->data.Dump(), R"J({"res":{"n":7},"k":42,"name":"T"})J");
}

TEST(Jsonata, DefaultOutputsAreTheInputOrTheResult) {
  auto r = Start(R"J({"StartAt":"A","QueryLanguage":"JSONata","States":{
    "A":{"Type":"Pass","Next":"T"},
    "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}})J",
                 R"J({"in":1})J");
  ASSERT_EQ(r->fx.tasks.size(), 1u);
  EXPECT_EQ(r->fx.tasks[0].input.Dump(), R"J({"in":1})J");  // no Arguments: the input
  uint64_t id = r->fx.tasks[0].id;
  r->e->TaskSucceeded(id, Json("done"), kT0 + 1, r->rnd, r->fx);
  EXPECT_EQ(r->e->output().Dump(), R"J("done")J");  // not merged into the input
}

TEST(Jsonata, UndefinedOutputFailsWithEvaluationFailedEvent) {
  // Recorded case test_undefined_reference[BASE_UNDEFINED_OUTPUT_FIELD].
  auto r = Start(R"J({"QueryLanguage":"JSONata","StartAt":"State0","States":{
    "State0":{"Type":"Pass","Output":{"result":"{% $doesNotExist %}"},"End":true}}})J");
  ASSERT_EQ(r->e->status(), ExecStatus::kFailed);
  EXPECT_EQ(r->e->error(), "States.QueryEvaluationError");
  EXPECT_EQ(r->e->cause(),
            "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata "
            "expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).");
  EXPECT_EQ(Types(*r->e), (std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "EvaluationFailed",
                                                    "ExecutionFailed"}));
  const history::Event* ef = Last(*r->e, history::EventType::kEvaluationFailed);
  EXPECT_EQ(ef->name, "State0");
  EXPECT_EQ(ef->extra, "Output");
}

TEST(Jsonata, QueryErrorsCanBeCaught) {
  auto r = Start(R"J({"QueryLanguage":"JSONata","StartAt":"M","States":{
    "M":{"Type":"Map","Items":"{% $states.input.v %}","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
         "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Output":"{% $states.errorOutput.Error %}",
                   "Assign":{"why":"{% $states.errorOutput.Cause %}"},"Next":"Z"}],"End":true},
    "Z":{"Type":"Pass","Output":{"e":"{% $states.input %}","why":"{% $why %}"},"End":true}}})J",
                 R"J({"v":{"a":1}})J");
  ASSERT_EQ(r->e->status(), ExecStatus::kSucceeded) << r->e->cause();
  EXPECT_EQ(r->e->output().find("e")->get_string(), "States.QueryEvaluationError");
  EXPECT_NE(r->e->output().find("why")->get_string().find(
                "The JSONata expression '$states.input.v' specified for the field 'Items' returned an unexpected "
                "result type. Expected 'array', but was 'object' for value: {\"a\":1}"),
            std::string::npos);
  EXPECT_EQ(Types(*r->e)[2], "EvaluationFailed");
}

TEST(Jsonata, ChoiceRuleAssignAndOutput) {
  const char* def = R"J({"QueryLanguage":"JSONata","StartAt":"C","States":{
    "C":{"Type":"Choice","Assign":{"path":"default","seen":true},"Output":"default output",
         "Choices":[{"Condition":"{% $states.input.go %}","Assign":{"path":"rule"},"Output":"{% 'rule ' & $states.input.go %}","Next":"Z"}],
         "Default":"Z"},
    "Z":{"Type":"Pass","Output":{"in":"{% $states.input %}","path":"{% $path %}","seen":"{% $seen %}"},"End":true}}})J";
  auto yes = Start(def, R"J({"go":true})J");
  EXPECT_EQ(yes->e->output().Dump(), R"J({"in":"rule true","path":"rule","seen":true})J");
  auto no = Start(def, R"J({"go":false})J");
  EXPECT_EQ(no->e->output().Dump(), R"J({"in":"default output","path":"default","seen":true})J");
  auto bad = Start(def, R"J({"go":"yes"})J");
  EXPECT_EQ(bad->e->error(), "States.QueryEvaluationError");
}

TEST(Jsonata, WaitSecondsAndTimestampBecomeTimers) {
  auto r = Start(R"J({"QueryLanguage":"JSONata","StartAt":"W","States":{
    "W":{"Type":"Wait","Seconds":"{% $states.input.s %}","Next":"T"},
    "T":{"Type":"Wait","Timestamp":"{% $states.input.t %}","End":true}}})J",
                 R"J({"s":5,"t":"2030-01-01T00:00:00Z"})J");
  ASSERT_EQ(r->fx.timers.size(), 1u);
  EXPECT_EQ(r->fx.timers[0].due, kT0 + 5 * kMicrosPerSecond);
  auto bad = Start(R"J({"QueryLanguage":"JSONata","StartAt":"T","States":{
    "T":{"Type":"Wait","Timestamp":"{% $states.input.t %}","End":true}}})J",
                   R"J({"t":"2016-12-05 21:29:29Z"})J");
  EXPECT_EQ(bad->e->cause(),
            "An error occurred while executing the state 'T' (entered at the event id #2). The Timestamp field cannot "
            "be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05 21:29:29Z");
}

TEST(Jsonata, MapItemsSelectorAndInheritedLanguage) {
  // The processor's states inherit the top-level language, not the Map's.
  auto r = Start(R"J({"StartAt":"M","States":{
    "M":{"Type":"Map","QueryLanguage":"JSONata","Items":[1,"{% 1 + 1 %}"],
         "ItemSelector":{"v":"{% $states.context.Map.Item.Value %}","i":"{% $states.context.Map.Item.Index %}"},
         "MaxConcurrency":"{% 1 %}","ItemProcessor":{"StartAt":"P","States":{
           "P":{"Type":"Pass","Parameters":{"got.$":"$.v"},"End":true}}},"End":true}}})J");
  ASSERT_EQ(r->e->status(), ExecStatus::kSucceeded) << r->e->cause();
  EXPECT_EQ(r->e->output().Dump(), R"J([{"got":1},{"got":2}])J");
}

TEST(Jsonata, FailErrorAndCauseExpressions) {
  auto r = Start(R"J({"QueryLanguage":"JSONata","StartAt":"F","States":{
    "F":{"Type":"Fail","Cause":"{% $states.input.cause %}"}}})J",
                 R"J({"cause":"boom"})J");
  EXPECT_EQ(r->e->status(), ExecStatus::kFailed);
  EXPECT_FALSE(r->e->has_error());
  EXPECT_EQ(r->e->cause(), "boom");
}

TEST(Jsonata, NowAndRandomComeFromTheStep) {
  const char* def = R"J({"QueryLanguage":"JSONata","StartAt":"A","States":{
    "A":{"Type":"Pass","Output":{"t":"{% $millis() %}","u":"{% $uuid() %}"},"End":true}}})J";
  auto a = Start(def);
  auto b = Start(def);
  EXPECT_EQ(a->e->output().find("t")->get_int(), kT0 / 1000);
  EXPECT_EQ(a->e->output().Dump(), b->e->output().Dump());  // same seed, same uuid
}

TEST(Variables, PathValuesReadThroughTheirText) {
  // Recorded case test_reference_in_map_state[MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH]:
  // a variable holding the string "1" is a valid MaxConcurrencyPath.
  auto r = Start(R"J({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"mc":"1","tc":"0"},"Result":{"v":[1,2]},"Next":"M"},
    "M":{"Type":"Map","ItemsPath":"$.v","MaxConcurrencyPath":"$mc","ToleratedFailureCountPath":"$tc",
         "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})J");
  ASSERT_EQ(r->e->status(), ExecStatus::kSucceeded) << r->e->cause();
  auto bad = Start(R"J({"StartAt":"M","States":{
    "M":{"Type":"Map","ItemsPath":"$.v","MaxConcurrencyPath":"$.mc",
         "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})J",
                   R"J({"v":[1],"mc":"one"})J");
  EXPECT_EQ(bad->e->cause(),
            "An error occurred while executing the state 'M' (entered at the event id #2). The MaxConcurrencyPath "
            "field refers to value \"one\" which is not a valid integer: $.mc");
}

TEST(Jsonata, FailingTaskInABranchIsRecordedAsAborted) {
  // Recorded cases test_parallel_catch_error[*]: TaskFailed, TaskStateAborted,
  // then the Parallel fails and its catcher's Output reads $states.errorOutput.
  auto r = Start(R"J({"QueryLanguage":"JSONata","StartAt":"P","States":{
    "P":{"Type":"Parallel","Branches":[{"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}],
     "Catch":[{"ErrorEquals":["States.ALL"],"Output":{"in":"{% $states.input %}","err":"{% $states.errorOutput %}"},
               "Next":"Z"}],"End":true},
    "Z":{"Type":"Pass","End":true}}})J",
                 R"J({"i":1})J");
  ASSERT_EQ(r->fx.tasks.size(), 1u);
  r->e->TaskFailed(r->fx.tasks[0].id, "Boom", "why", kT0 + 1, r->rnd, r->fx);
  ASSERT_EQ(r->e->status(), ExecStatus::kSucceeded);
  EXPECT_EQ(r->e->output().Dump(), R"J({"in":{"i":1},"err":{"Error":"Boom","Cause":"why"}})J");
  EXPECT_EQ(Types(*r->e),
            (std::vector<std::string>{"ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted",
                                      "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
                                      "LambdaFunctionFailed", "TaskStateAborted", "ParallelStateFailed",
                                      "ParallelStateExited", "PassStateEntered", "PassStateExited",
                                      "ExecutionSucceeded"}));
}

// ---- save / restore -------------------------------------------------------------

TEST(Variables, SurviveSaveAndRestore) {
  auto def = Def(R"J({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"x":{"deep":[1,2]}},"Next":"P"},
    "P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{
        "B":{"Type":"Pass","Assign":{"inner":"i"},"Next":"W"},
        "W":{"Type":"Wait","Seconds":10,"Next":"R"},
        "R":{"Type":"Pass","QueryLanguage":"JSONata","Output":{"x":"{% $x %}","inner":"{% $inner %}"},"End":true}}}],
     "Assign":{"after":"{% $states.result %}"},"QueryLanguage":"JSONata","Next":"Z"},
    "Z":{"Type":"Pass","Parameters":{"x.$":"$x","after.$":"$after"},"End":true}}})J");
  Execution e(def, Info());
  SeededRandom rnd(1);
  Effects fx;
  e.Start(Json::EmptyObject(), kT0, rnd, fx);
  ASSERT_EQ(fx.timers.size(), 1u);
  Json saved = e.Save();
  auto restored = Execution::Restore(def, *Json::Parse(saved.Dump()));
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  Effects fx2;
  (*restored)->TimerFired(fx.timers[0].id, kT0 + 10 * kMicrosPerSecond, rnd, fx2);
  ASSERT_EQ((*restored)->status(), ExecStatus::kSucceeded) << (*restored)->cause();
  EXPECT_EQ((*restored)->output().Dump(),
            R"J({"x":{"deep":[1,2]},"after":[{"x":{"deep":[1,2]},"inner":"i"}]})J");
  // The restored run and an uninterrupted one record the same history.
  Execution e2(def, Info());
  Effects fx3;
  e2.Start(Json::EmptyObject(), kT0, rnd, fx3);
  e2.TimerFired(fx3.timers[0].id, kT0 + 10 * kMicrosPerSecond, rnd, fx3);
  ASSERT_EQ(e2.events().size(), (*restored)->events().size());
  for (size_t i = 0; i < e2.events().size(); ++i)
    EXPECT_EQ(history::RenderEvent(e2.events()[i]).Dump(), history::RenderEvent((*restored)->events()[i]).Dump());
}

}  // namespace
}  // namespace stepline::runtime

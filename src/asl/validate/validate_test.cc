#include "asl/validate/validate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stepline::asl {
namespace {

std::vector<Diagnostic> V(std::string_view text) { return ValidateDefinitionText(text); }

std::string Dump(const std::vector<Diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) out += d.severity + " " + d.code + ": " + d.message + " at " + d.location + "\n";
  return out;
}

// True when some diagnostic has this code and location (and message, when given).
bool Has(const std::vector<Diagnostic>& diags, std::string_view code, std::string_view location,
         std::string_view message = {}) {
  for (const auto& d : diags) {
    if (d.code == code && d.location == location && (message.empty() || d.message == message)) return true;
  }
  return false;
}

size_t Errors(const std::vector<Diagnostic>& diags) {
  size_t n = 0;
  for (const auto& d : diags) n += d.severity == "ERROR";
  return n;
}

TEST(Validate, MinimalMachineIsValid) {
  auto d = V(R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})");
  EXPECT_TRUE(d.empty()) << Dump(d);
  EXPECT_FALSE(HasErrors(d));
}

TEST(Validate, MalformedJson) {
  auto d = V(R"({"StartAt":"A",)");
  ASSERT_EQ(d.size(), 1u) << Dump(d);
  EXPECT_EQ(d[0].code, "INVALID_JSON_DESCRIPTION");
  EXPECT_TRUE(HasErrors(d));
}

TEST(Validate, EmptyText) {
  auto d = V("  \n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "MISSING_DESCRIPTION");
}

TEST(Validate, TooLargeDefinition) {
  std::string big = R"({"Comment":")" + std::string(1'048'577, 'x') +
                    R"(","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})";
  auto d = V(big);
  ASSERT_EQ(d.size(), 1u) << Dump(d);
  EXPECT_EQ(d[0].severity, "ERROR");
  EXPECT_NE(d[0].message.find("1048576"), std::string::npos) << d[0].message;
}

TEST(Validate, DeepJsonNestingIsRejectedNotCrashing) {
  std::string deep(100'000, '[');
  deep += std::string(100'000, ']');
  auto d = V(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":)" + deep + R"(,"End":true}}})");
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].code, "INVALID_JSON_DESCRIPTION");
}

TEST(Validate, DeeplyNestedParallelsAreBounded) {
  std::string def = R"({"Type":"Pass","End":true})";
  for (int i = 0; i < 60; ++i) {
    def = R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"S)" + std::to_string(i) +
          R"(","States":{"S)" + std::to_string(i) + R"(":)" + def + "}}]}";
  }
  auto d = V(R"({"StartAt":"Top","States":{"Top":)" + def + "}}");
  bool too_deep = false;
  for (const auto& x : d) too_deep = too_deep || x.code == "TOO_DEEPLY_NESTED";
  EXPECT_TRUE(too_deep) << Dump(d);
}

TEST(Validate, DeeplyNestedChoiceRulesAreBounded) {
  std::string rule = R"({"Variable":"$.a","IsPresent":true})";
  for (int i = 0; i < 200; ++i) rule = R"({"Not":)" + rule + "}";
  rule.insert(rule.size() - 1, R"(,"Next":"A")");
  auto d = V(R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[)" + rule +
             R"(],"Default":"A"},"A":{"Type":"Succeed"}}})");
  EXPECT_TRUE(Has(d, "TOO_DEEPLY_NESTED", d.empty() ? "" : d[0].location)) << Dump(d);
}

TEST(Validate, MissingStartAtAndStates) {
  auto d = V(R"({"Comment":"x"})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "", "These fields are required: [StartAt, States]")) << Dump(d);
}

TEST(Validate, UnknownTopLevelField) {
  auto d = V(R"({"Coment":"x","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "", "Field 'Coment' is not supported")) << Dump(d);
}

TEST(Validate, MissingAndBadType) {
  auto d = V(R"({"StartAt":"A","States":{"A":{"End":true},"B":{"Type":"Bogus","End":true}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/A", "These fields are required: [Type]")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/B/Type",
                  "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, "
                  "Choice, Parallel, Map]"))
      << Dump(d);
}

TEST(Validate, UnsupportedFieldPerType) {
  auto d = V(R"({"StartAt":"X","States":{"X":{"Type":"Pass","TimeoutSeconds":5,"End":true,
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"X"}]}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/X", "Field 'TimeoutSeconds' is not supported")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/X", "Field 'Catch' is not supported")) << Dump(d);
}

TEST(Validate, ResultPathNotAllowedOnWait) {
  auto d = V(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"ResultPath":null,"End":true}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/W", "Field 'ResultPath' is not supported")) << Dump(d);
}

TEST(Validate, MissingNextTargetAndUnreachable) {
  // AWS: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next,
  //       MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2'
  auto d = V(R"({"StartAt":"pass1","States":{"pass1":{"Type":"Pass","Next":"pass3"},
      "pass2":{"Type":"Pass","End":true}}})");
  ASSERT_EQ(d.size(), 2u) << Dump(d);
  EXPECT_EQ(InvalidDefinitionMessage(d),
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at "
            "/States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'");
}

TEST(Validate, NoTerminalStateSuppressesUnreachable) {
  auto d = V(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"},
      "Unused":{"Type":"Pass","Next":"A"}}})");
  ASSERT_EQ(d.size(), 1u) << Dump(d);
  EXPECT_EQ(d[0].code, "MISSING_END_STATE");
  EXPECT_EQ(d[0].message, "Workflow has no terminal state");
  EXPECT_EQ(InvalidDefinitionMessage(d),
            "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'");
}

TEST(Validate, UnreachableTerminalReportedInsteadOfMissingEnd) {
  auto d = V(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"},
      "C":{"Type":"Pass","End":true}}})");
  ASSERT_EQ(d.size(), 1u) << Dump(d);
  EXPECT_TRUE(Has(d, "MISSING_TRANSITION_TARGET", "/States/C", "State \"C\" is not reachable."));
}

TEST(Validate, NestedLoopWithoutTerminalIsAccepted) {
  auto d = V(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
      "ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}},
      "End":true}}})");
  EXPECT_FALSE(HasErrors(d)) << Dump(d);
}

TEST(Validate, DanglingTargetsEverywhere) {
  auto d = V(R"({"StartAt":"Nope","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"G1"}],"Default":"G2"},
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "Catch":[{"ErrorEquals":["States.ALL"],"Next":"G3"}]}}})");
  EXPECT_TRUE(Has(d, "MISSING_TRANSITION_TARGET", "/StartAt", "Missing 'Next' target: Nope")) << Dump(d);
  EXPECT_TRUE(Has(d, "MISSING_TRANSITION_TARGET", "/States/C/Choices[0]/Next", "Missing 'Next' target: G1"));
  EXPECT_TRUE(Has(d, "MISSING_TRANSITION_TARGET", "/States/C/Default", "Missing 'Next' target: G2"));
  EXPECT_TRUE(Has(d, "MISSING_TRANSITION_TARGET", "/States/T/Catch[0]/Next", "Missing 'Next' target: G3"));
  EXPECT_TRUE(Has(d, "MISSING_TRANSITION_TARGET", "/States/T", "State \"T\" is not reachable."));
}

TEST(Validate, UnreachableInsideBranchUsesStructuredPath) {
  auto d = V(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"W","States":{
      "W":{"Type":"Pass","End":true},"Ghost":{"Type":"Pass","End":true}}}],"End":true}}})");
  ASSERT_EQ(d.size(), 1u) << Dump(d);
  EXPECT_TRUE(Has(d, "MISSING_TRANSITION_TARGET", "/States/P/Branches[0]/States/Ghost"));
}

TEST(Validate, NextAndEndTogetherAndNeither) {
  auto d = V(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B","End":true},
      "B":{"Type":"Pass"}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/A")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/B")) << Dump(d);
}

TEST(Validate, DuplicateStateNamesAcrossBranches) {
  auto d = V(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
      {"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},
      {"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}],"Next":"M"},
      "M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}},"End":true}}})");
  EXPECT_TRUE(Has(d, "DUPLICATE_STATE_NAME", "/States/P/Branches[1]/States/X")) << Dump(d);
  EXPECT_TRUE(Has(d, "DUPLICATE_STATE_NAME", "/States/M/ItemProcessor/States/P")) << Dump(d);
}

TEST(Validate, StatesAllMustBeAloneAndLast) {
  auto d = V(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "Retry":[{"ErrorEquals":["States.ALL","X"]},{"ErrorEquals":["Y"]}],
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"E"},{"ErrorEquals":["Z"],"Next":"E"}],"End":true},
      "E":{"Type":"Succeed"}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/T/Retry[0]/ErrorEquals",
                  "States.ALL must appear alone in ErrorEquals")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/T/Retry[0]/ErrorEquals",
                  "States.ALL must appear only in the last retrier")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/T/Catch[0]/ErrorEquals",
                  "States.ALL must appear only in the last catcher")) << Dump(d);
}

TEST(Validate, ReservedErrorNames) {
  auto d = V(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "Retry":[{"ErrorEquals":["States.TaskFailed","States.Bogus","State.ALL","Custom"]}],"End":true}}})");
  ASSERT_EQ(Errors(d), 1u) << Dump(d);
  EXPECT_NE(d[0].message.find("States.Bogus"), std::string::npos);
}

TEST(Validate, RetryRanges) {
  auto d = V(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "Retry":[{"ErrorEquals":["E"],"MaxAttempts":-1,"BackoffRate":0.5,"IntervalSeconds":0,
                "MaxDelaySeconds":0,"JitterStrategy":"HALF"}],"End":true}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/T/Retry[0]/MaxAttempts", "Minimum value is 0")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/T/Retry[0]/BackoffRate", "Minimum value is 1.0")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/T/Retry[0]/IntervalSeconds", "Minimum value is 1"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/T/Retry[0]/MaxDelaySeconds", "Minimum value is 1"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/T/Retry[0]/JitterStrategy",
                  "Value should be one of the following: [FULL, NONE]"));
  auto ok = V(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "Retry":[{"ErrorEquals":["E"],"MaxAttempts":0,"BackoffRate":1,"IntervalSeconds":1,
                "MaxDelaySeconds":5,"JitterStrategy":"FULL"}],"End":true}}})");
  EXPECT_FALSE(HasErrors(ok)) << Dump(ok);
}

TEST(Validate, TaskTimeouts) {
  auto d = V(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "TimeoutSeconds":10,"HeartbeatSeconds":10,"End":true}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/T/HeartbeatSeconds")) << Dump(d);
  auto z = V(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "TimeoutSeconds":0,"TimeoutSecondsPath":"$.t","End":true}}})");
  EXPECT_TRUE(Has(z, "SCHEMA_VALIDATION_FAILED", "/States/T/TimeoutSeconds", "Minimum value is 1")) << Dump(z);
  EXPECT_TRUE(Has(z, "SCHEMA_VALIDATION_FAILED", "/States/T/TimeoutSeconds",
                  "Fields 'TimeoutSeconds' and 'TimeoutSecondsPath' are mutually exclusive"));
}

TEST(Validate, TaskResourceMustBeArn) {
  auto d = V(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"createToken","End":true}}})");
  EXPECT_TRUE(Has(d, "INVALID_RESOURCE", "/States/T/Resource")) << Dump(d);
  auto m = V(R"({"StartAt":"T","States":{"T":{"Type":"Task","End":true}}})");
  EXPECT_TRUE(Has(m, "SCHEMA_VALIDATION_FAILED", "/States/T", "These fields are required: [Resource]"));
}

TEST(Validate, WaitNeedsExactlyOneDuration) {
  auto two = V(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"TimestampPath":"$.t","End":true}}})");
  EXPECT_TRUE(Has(two, "SCHEMA_VALIDATION_FAILED", "/States/W")) << Dump(two);
  auto none = V(R"({"StartAt":"W","States":{"W":{"Type":"Wait","End":true}}})");
  EXPECT_TRUE(Has(none, "SCHEMA_VALIDATION_FAILED", "/States/W")) << Dump(none);
  auto bad_ts = V(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"yesterday","End":true}}})");
  EXPECT_TRUE(Has(bad_ts, "SCHEMA_VALIDATION_FAILED", "/States/W/Timestamp")) << Dump(bad_ts);
  auto ok = V(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00Z","End":true}}})");
  EXPECT_FALSE(HasErrors(ok)) << Dump(ok);
}

TEST(Validate, FailExclusivePairs) {
  auto d = V(R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","ErrorPath":"$.e",
      "Cause":"c","CausePath":"$.c"}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/F/Error")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/F/Cause")) << Dump(d);
  auto ok = V(R"J({"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e",
      "CausePath":"States.Format('x {}', $.c)"}}})J");
  EXPECT_FALSE(HasErrors(ok)) << Dump(ok);
}

TEST(Validate, ChoiceRules) {
  auto d = V(R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
      {"Variable":"$.a","StringEquals":"x"},
      {"Variable":"$.a","StringEquals":1,"Next":"A"},
      {"And":[],"Next":"A"},
      {"Not":{"Variable":"$.a","IsNull":true,"Next":"A"},"Next":"A"},
      {"Variable":"a","IsPresent":true,"Next":"A"},
      {"Variable":"$.a","NumericEquals":1,"NumericLessThan":2,"Next":"A"},
      {"Variable":"$.a","TimestampEquals":"not a time","Next":"A"},
      {"Variable":"$.a","StringEqualsPath":"$.b[*]","Next":"A"}
    ],"Default":"A"},"A":{"Type":"Succeed"}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/C/Choices[0]", "These fields are required: [Next]")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/C/Choices[1]/StringEquals", "Expected value of type [STRING]"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/C/Choices[2]/And"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/C/Choices[3]/Not", "Field 'Next' is not supported"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/C/Choices[4]/Variable"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/C/Choices[5]"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/C/Choices[6]/TimestampEquals"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/C/Choices[7]/StringEqualsPath"));
  auto empty = V(R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[],"Default":"A"},"A":{"Type":"Succeed"}}})");
  EXPECT_TRUE(Has(empty, "SCHEMA_VALIDATION_FAILED", "/States/C/Choices")) << Dump(empty);
  auto ok = V(R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
      {"And":[{"Variable":"$$.Execution.Id","IsPresent":true},{"Or":[{"Variable":"$v","IsString":true},
       {"Not":{"Variable":"$.x","NumericGreaterThanEqualsPath":"$.y"}}]}],"Next":"A","Assign":{"k":1}}],
      "Default":"A"},"A":{"Type":"Succeed"}}})");
  EXPECT_FALSE(HasErrors(ok)) << Dump(ok);
}

TEST(Validate, ChoiceFieldsNotOnState) {
  auto d = V(R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,
      "Next":"A"}],"Next":"A","End":true},"A":{"Type":"Succeed"}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/C", "Field 'Next' is not supported")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/C", "Field 'End' is not supported"));
}

TEST(Validate, InvalidPathsAndTemplates) {
  auto d = V(R"J({"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.a[","ResultPath":"$.x[*]",
      "Parameters":{"ok.$":"$.a","bad.$":"nope","call.$":"States.Format('{}', $.a)",
      "badcall.$":"States.NoSuchFunction(1)"},"End":true}}})J");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/A/InputPath",
                  "The value for the field 'InputPath' must be a valid JSONPath")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/A/ResultPath"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/A/Parameters",
                  "The value for the field 'bad.$' must be a valid JSONPath or a valid intrinsic function call"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/A/Parameters",
                  "The value for the field 'badcall.$' must be a valid JSONPath or a valid intrinsic function call"));
  EXPECT_EQ(Errors(d), 4u) << Dump(d);
}

TEST(Validate, PassResultWithDollarKeyIsOnlyAWarning) {
  auto d = V(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x.$":"$.y"},"End":true}}})");
  EXPECT_FALSE(HasErrors(d));
  EXPECT_TRUE(Has(d, "PASS_RESULT_IS_STATIC", "/States/A/Result")) << Dump(d);
}

TEST(Validate, MapFields) {
  auto d = V(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":-1,"MaxConcurrencyPath":"$.m",
      "ToleratedFailurePercentage":101,"ItemSelector":{},"Parameters":{},"End":true}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/M", "These fields are required: [ItemProcessor]")) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/M/MaxConcurrency", "Minimum value is 0"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/M/MaxConcurrency",
                  "Fields 'MaxConcurrency' and 'MaxConcurrencyPath' are mutually exclusive"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/M/ToleratedFailurePercentage"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/M/ItemSelector"));
}

TEST(Validate, DistributedMapObjects) {
  auto ok = V(R"({"StartAt":"M","States":{"M":{"Type":"Map","Label":"TestMap",
      "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItemsPath":"$n"},
                    "Parameters":{"Bucket.$":"$.b","Key":"k"}},
      "ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"x.$":"$.y"}},
      "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"p"},
                      "WriterConfig":{"Transformation":"FLATTEN","OutputType":"JSONL"}},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                       "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})");
  EXPECT_FALSE(HasErrors(ok)) << Dump(ok);
  auto bad = V(R"({"StartAt":"M","States":{"M":{"Type":"Map","Label":"bad label",
      "ItemReader":{"Resource":"arn:aws:states:::s3:unknownOperation","ReaderConfig":{"InputType":"XML"}},
      "ResultWriter":{},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"QueryLanguage":"JSONata",
                       "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})");
  EXPECT_TRUE(Has(bad, "INVALID_LABEL_NAME", "/States/M/Label")) << Dump(bad);
  EXPECT_TRUE(Has(bad, "SCHEMA_VALIDATION_FAILED", "/States/M/ItemReader/Resource"));
  EXPECT_TRUE(Has(bad, "SCHEMA_VALIDATION_FAILED", "/States/M/ItemReader/ReaderConfig/InputType"));
  EXPECT_TRUE(Has(bad, "SCHEMA_VALIDATION_FAILED", "/States/M/ResultWriter"));
  EXPECT_TRUE(Has(bad, "SCHEMA_VALIDATION_FAILED", "/States/M/ItemProcessor/ProcessorConfig",
                  "These fields are required: [ExecutionType]"));
  EXPECT_TRUE(Has(bad, "SCHEMA_VALIDATION_FAILED", "/States/M/ItemProcessor", "Field 'QueryLanguage' is not supported"));
}

TEST(Validate, ParallelNeedsBranches) {
  auto d = V(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[],"End":true}}})");
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/P/Branches")) << Dump(d);
  auto q = V(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"QueryLanguage":"JSONata",
      "StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}],"End":true}}})");
  EXPECT_TRUE(Has(q, "SCHEMA_VALIDATION_FAILED", "/States/P/Branches[0]", "Field 'QueryLanguage' is not supported"))
      << Dump(q);
}

// --- Query languages (messages measured against AWS) -------------------------

TEST(ValidateQueryLanguage, JsonataFieldOnJsonPathState) {
  auto d = V(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
      "Output":{"v":1},"Arguments":{"payload":"literal"},"End":true}}})");
  ASSERT_EQ(d.size(), 2u) << Dump(d);
  EXPECT_EQ(d[0].message, "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the "
                          "'JSONata' QueryLanguage");
  EXPECT_EQ(d[0].location, "/States/T");
  EXPECT_EQ(d[1].message, "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the "
                          "'JSONata' QueryLanguage");
}

TEST(ValidateQueryLanguage, JsonPathFieldsOnJsonataState) {
  auto d = V(R"({"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Pass","InputPath":"$.a",
      "OutputPath":"$.b","ResultPath":"$.c","End":true}}})");
  ASSERT_EQ(d.size(), 3u) << Dump(d);
  EXPECT_EQ(d[0].message, "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the "
                          "'JSONPath' QueryLanguage");
  EXPECT_EQ(d[2].location, "/States/X");
}

TEST(ValidateQueryLanguage, DowngradeIsTheWholeAnswer) {
  auto d = V(R"({"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Pass","QueryLanguage":"JSONPath",
      "Output":{"v":"{% 1 %}"},"End":true}}})");
  ASSERT_EQ(d.size(), 1u) << Dump(d);
  EXPECT_EQ(d[0].message, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
  EXPECT_EQ(d[0].location, "/States/X");
}

TEST(ValidateQueryLanguage, ValueOutsideEnum) {
  auto d = V(R"({"StartAt":"X","States":{"X":{"Type":"Pass","QueryLanguage":"jsonata","Output":{"v":"{% 1 %}"},
      "InputPath":"$.a","End":true}}})");
  ASSERT_EQ(d.size(), 2u) << Dump(d);
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/X",
                  "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the "
                  "'JSONPath' QueryLanguage"));
  EXPECT_TRUE(Has(d, "SCHEMA_VALIDATION_FAILED", "/States/X/QueryLanguage",
                  "Value should be one of the following: [JSONPath, JSONata]"));
  auto top = V(R"({"QueryLanguage":5,"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}})");
  EXPECT_TRUE(Has(top, "SCHEMA_VALIDATION_FAILED", "/QueryLanguage", "Expected value of type [STRING]")) << Dump(top);
}

TEST(ValidateQueryLanguage, NestedStatesInheritTheMachineNotTheMap) {
  auto d = V(R"({"StartAt":"M","States":{"M":{"Type":"Map","QueryLanguage":"JSONata","Items":"{% [1, 2] %}",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Output":{"v":"{% 1 %}"},"End":true}}},
      "End":true}}})");
  ASSERT_EQ(d.size(), 1u) << Dump(d);
  EXPECT_EQ(d[0].location, "/States/M/ItemProcessor/States/P");
}

TEST(ValidateQueryLanguage, JsonataMachineIsAccepted) {
  auto d = V(R"({"QueryLanguage":"JSONata","StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.ok %}","Next":"T","Output":"x",
            "Assign":{"a":"{% 1 %}"}}],"Default":"F"},
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"p":"{% $states.input %}"},
           "TimeoutSeconds":"{% 5 %}","Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput %}",
           "Next":"F"}],"Next":"W"},
      "W":{"Type":"Wait","Seconds":"{% 1 %}","Next":"M"},
      "M":{"Type":"Map","Items":[1,"{% 2 %}"],"MaxConcurrency":"{% 1 %}",
           "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true},
      "F":{"Type":"Fail","Error":"{% 'E' %}","Cause":"c"}}})");
  EXPECT_FALSE(HasErrors(d)) << Dump(d);
  auto bad = V(R"({"QueryLanguage":"JSONata","StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"P"}],"Default":"P"},
      "P":{"Type":"Pass","Output":"{% 1 + ","End":true}}})");
  EXPECT_TRUE(Has(bad, "SCHEMA_VALIDATION_FAILED", "/States/C/Choices[0]")) << Dump(bad);
  EXPECT_TRUE(Has(bad, "SCHEMA_VALIDATION_FAILED", "/States/P/Output",
                  "JSONata string must start with {% and end with %}")) << Dump(bad);
}

TEST(ValidateQueryLanguage, UnparsableJsonataExpression) {
  auto d = V(R"({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
      "Output":{"a":["{% 1 + %}"]},"End":true}}})");
  ASSERT_EQ(d.size(), 1u) << Dump(d);
  EXPECT_EQ(d[0].code, "INVALID_JSONATA_EXPRESSION");
  EXPECT_EQ(d[0].location, "/States/P/Output");
  EXPECT_FALSE(d[0].message.empty());
  // The same text in a JSONPath state is a literal string.
  auto lit = V(R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":"{% 1 + %}"},"End":true}}})");
  EXPECT_TRUE(lit.empty()) << Dump(lit);
}

TEST(ValidateQueryLanguage, AssignAllowedOnJsonPathState) {
  auto d = V(R"({"StartAt":"X","States":{"X":{"Type":"Pass","Assign":{"counter":1,"x.$":"$.a"},"End":true}}})");
  EXPECT_TRUE(d.empty()) << Dump(d);
  auto bad = V(R"({"StartAt":"X","States":{"X":{"Type":"Succeed","Assign":{"counter":1}}}})");
  EXPECT_TRUE(Has(bad, "SCHEMA_VALIDATION_FAILED", "/States/X", "Field 'Assign' is not supported")) << Dump(bad);
  auto name = V(R"({"StartAt":"X","States":{"X":{"Type":"Pass","Assign":{"1bad":1},"End":true}}})");
  EXPECT_TRUE(Has(name, "SCHEMA_VALIDATION_FAILED", "/States/X/Assign")) << Dump(name);
}

TEST(Validate, StateNameTooLong) {
  std::string name(81, 'n');
  auto d = V(R"({"StartAt":")" + name + R"(","States":{")" + name + R"(":{"Type":"Succeed"}}})");
  EXPECT_TRUE(Has(d, "INVALID_STATE_NAME", "/States/" + name)) << Dump(d);
}

TEST(Validate, InvalidDefinitionMessageSkipsWarnings) {
  std::vector<Diagnostic> d = {{"WARNING", "NO_PATH", "w", "/a"},
                               {"ERROR", "SCHEMA_VALIDATION_FAILED", "Field 'TimeoutSeconds' is not supported", "/States/P"}};
  EXPECT_EQ(InvalidDefinitionMessage(d),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'TimeoutSeconds' is not "
            "supported at /States/P'");
}

TEST(Validate, NonObjectsNeverCrash) {
  for (const char* text : {"[]", "1", "null", R"({"StartAt":1,"States":[]})", R"({"StartAt":"A","States":{"A":3}})",
                           R"({"StartAt":"A","States":{"A":{"Type":"Map","ItemProcessor":7,"End":true}}})",
                           R"({"StartAt":"A","States":{"A":{"Type":"Parallel","Branches":[1,null],"End":true}}})",
                           R"({"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[1,{"And":[2]}]}}})",
                           R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:a:b:c:d:e","Retry":{},"Catch":[1],"End":true}}})"}) {
    auto d = V(text);
    EXPECT_TRUE(HasErrors(d)) << text;
  }
}

}  // namespace
}  // namespace stepline::asl

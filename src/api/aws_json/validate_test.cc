#include "api/aws_json/validate.h"

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "api/aws_json/errors.h"
#include "api/aws_json/model.h"
#include "api/aws_json/model_data.h"

namespace stepline::api::aws_json {
namespace {

const ServiceModel& M() { return ServiceModel::Embedded(); }

Result<Json> Validate(const std::string& op, std::string_view body) {
  const Operation* o = M().FindOperation(op);
  EXPECT_NE(o, nullptr) << op;
  auto parsed = Json::Parse(body);
  EXPECT_TRUE(parsed.ok()) << body;
  return ValidateInput(M(), o->input, *parsed);
}

void ExpectError(const Result<Json>& r, const std::string& name, const std::string& message) {
  ASSERT_FALSE(r.ok()) << "expected " << name;
  EXPECT_EQ(r.status().name(), name);
  EXPECT_EQ(r.status().message(), message);
}

Json StripDocs(const Json& v) {
  if (v.is_object()) {
    Json::Object o;
    for (const auto& m : v.get_object())
      if (m.key != "documentation") o.push_back({m.key, StripDocs(m.value)});
    return Json(std::move(o));
  }
  if (v.is_array()) {
    Json::Array a;
    for (const auto& e : v.get_array()) a.push_back(StripDocs(e));
    return Json(std::move(a));
  }
  return v;
}

TEST(ModelTest, EmbeddedModelMatchesTheServiceModelFile) {
  // Fails when gen_model_data.py was not re-run after the model changed.
  std::string here = __FILE__;  // .../main/src/api/aws_json/validate_test.cc
  std::string root = here.substr(0, here.rfind("/src/api/"));
  std::ifstream f(root + "/../shared/aws-model/stepfunctions-service-2.json");
  if (!f) GTEST_SKIP() << "service model file not found next to the tree";
  std::stringstream ss;
  ss << f.rdbuf();
  auto file = Json::Parse(ss.str());
  ASSERT_TRUE(file.ok());
  auto embedded = Json::Parse(EmbeddedServiceModel());
  ASSERT_TRUE(embedded.ok());
  EXPECT_TRUE(StripDocs(*file) == *embedded);
}

TEST(ModelTest, HasAllOperationsWithInputShapes) {
  EXPECT_EQ(M().target_prefix(), "AWSStepFunctions");
  EXPECT_EQ(M().operations().size(), 37u);
  for (const auto& op : M().operations()) {
    ASSERT_GE(op.input, 0) << op.name;
    EXPECT_EQ(M().shape(op.input).type, ShapeType::kStructure) << op.name;
  }
  const Operation* start = M().FindOperation("StartExecution");
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(M().shape(start->input).name, "StartExecutionInput");
  EXPECT_EQ(M().FindOperation("StartExecutionX"), nullptr);
  EXPECT_TRUE(M().IsModeledError("StateMachineDoesNotExist"));
  EXPECT_FALSE(M().IsModeledError("StartExecutionInput"));
}

TEST(ModelTest, RejectsBrokenModels) {
  EXPECT_FALSE(ServiceModel::Parse("{").ok());
  EXPECT_FALSE(ServiceModel::Parse(R"({"metadata":{},"operations":{},"shapes":{"A":{"type":"list"}}})").ok());
  EXPECT_FALSE(ServiceModel::Parse(
                   R"({"metadata":{},"operations":{"X":{"input":{"shape":"Nope"}}},"shapes":{}})")
                   .ok());
}

TEST(ValidateTest, MissingRequiredMember) {
  ExpectError(Validate("StartExecution", "{}"), "ValidationException",
              "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: "
              "Member must not be null");
}

TEST(ValidateTest, NullCountsAsMissing) {
  ExpectError(Validate("StartExecution", R"({"stateMachineArn":null})"), "ValidationException",
              "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: "
              "Member must not be null");
}

TEST(ValidateTest, SeveralErrorsInModelOrder) {
  ExpectError(Validate("CreateStateMachine", "{}"), "ValidationException",
              "3 validation errors detected: "
              "Value null at 'name' failed to satisfy constraint: Member must not be null; "
              "Value null at 'definition' failed to satisfy constraint: Member must not be null; "
              "Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
}

TEST(ValidateTest, TooLongAndBadEnum) {
  std::string name(81, 'a');
  ExpectError(Validate("CreateStateMachine",
                       R"({"type":"FOO","roleArn":"arn:r","definition":"{}","name":")" + name + "\"}"),
              "ValidationException",
              "2 validation errors detected: Value '" + name +
                  "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80; "
                  "Value 'FOO' at 'type' failed to satisfy constraint: Member must satisfy enum value set: "
                  "[STANDARD, EXPRESS]");
}

TEST(ValidateTest, TooShort) {
  ExpectError(Validate("DescribeExecution", R"({"executionArn":""})"), "ValidationException",
              "1 validation error detected: Value '' at 'executionArn' failed to satisfy constraint: "
              "Member must have length greater than or equal to 1");
}

TEST(ValidateTest, SensitiveValuesAreNotEchoed) {
  std::string big(262145, 'x');
  ExpectError(Validate("StartExecution", R"({"stateMachineArn":"a","input":")" + big + "\"}"),
              "ValidationException",
              "1 validation error detected: Value at 'input' failed to satisfy constraint: "
              "Member must have length less than or equal to 262144");
}

TEST(ValidateTest, NumericRange) {
  ExpectError(Validate("ListExecutions", R"({"maxResults":1001})"), "ValidationException",
              "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
              "Member must have value less than or equal to 1000");
  ExpectError(Validate("ListExecutions", R"({"maxResults":-1})"), "ValidationException",
              "1 validation error detected: Value '-1' at 'maxResults' failed to satisfy constraint: "
              "Member must have value greater than or equal to 0");
  EXPECT_TRUE(Validate("ListExecutions", R"({"maxResults":1000})").ok());
}

TEST(ValidateTest, ListElementsAreNamedByPosition) {
  ExpectError(Validate("TagResource", R"({"resourceArn":"a","tags":[{"key":"k"},{"key":""}]})"),
              "ValidationException",
              "1 validation error detected: Value '' at 'tags.2.member.key' failed to satisfy constraint: "
              "Member must have length greater than or equal to 1");
  ExpectError(Validate("UntagResource", R"({"resourceArn":"a","tagKeys":["ok",""]})"), "ValidationException",
              "1 validation error detected: Value '' at 'tagKeys.2.member' failed to satisfy constraint: "
              "Member must have length greater than or equal to 1");
}

TEST(ValidateTest, ListLength) {
  ExpectError(Validate("CreateStateMachineAlias", R"({"name":"a","routingConfiguration":[]})"),
              "ValidationException",
              "1 validation error detected: Value '[]' at 'routingConfiguration' failed to satisfy constraint: "
              "Member must have length greater than or equal to 1");
}

TEST(ValidateTest, NestedStructureMembers) {
  ExpectError(Validate("CreateStateMachine",
                       R"({"name":"n","definition":"{}","roleArn":"r","loggingConfiguration":{"level":"LOUD"}})"),
              "ValidationException",
              "1 validation error detected: Value 'LOUD' at 'loggingConfiguration.level' failed to satisfy "
              "constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]");
}

TEST(ValidateTest, Pattern) {
  ExpectError(Validate("CreateStateMachineAlias",
                       R"({"name":"123","routingConfiguration":[{"stateMachineVersionArn":"v","weight":100}]})"),
              "ValidationException",
              "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: Member must "
              "satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$");
  EXPECT_TRUE(Validate("CreateStateMachineAlias",
                       R"({"name":"PROD-1","routingConfiguration":[{"stateMachineVersionArn":"v","weight":100}]})")
                  .ok());
}

TEST(ValidateTest, WrongJsonTypesAreSerializationErrors) {
  ExpectError(Validate("StartExecution", R"({"stateMachineArn":5})"), "SerializationException",
              "NUMBER_VALUE can not be converted to a String");
  ExpectError(Validate("StartExecution", R"({"stateMachineArn":true})"), "SerializationException",
              "TRUE_VALUE can not be converted to a String");
  ExpectError(Validate("StartExecution", R"({"stateMachineArn":["a"]})"), "SerializationException",
              "Start of list found where not expected");
  ExpectError(Validate("StartExecution", R"({"stateMachineArn":{}})"), "SerializationException",
              "Start of structure or map found where not expected.");
  ExpectError(Validate("ListExecutions", R"({"maxResults":"10"})"), "SerializationException",
              "STRING_VALUE can not be converted to an Integer");
  ExpectError(Validate("TagResource", R"({"resourceArn":"a","tags":"x"})"), "SerializationException",
              "Expected list or null");
  ExpectError(Validate("CreateStateMachine", R"({"loggingConfiguration":1})"), "SerializationException",
              "Expected null");
  ExpectError(Validate("GetExecutionHistory", R"({"executionArn":"a","reverseOrder":"yes"})"),
              "SerializationException", "STRING_VALUE can not be converted to a Boolean");
}

TEST(ValidateTest, SerializationErrorWinsOverConstraints) {
  // name is missing (a constraint), tags.1.key has the wrong type: AWS fails
  // while deserializing, before any constraint is checked.
  ExpectError(Validate("CreateStateMachine", R"({"tags":[{"key":1}]})"), "SerializationException",
              "NUMBER_VALUE can not be converted to a String");
}

TEST(ValidateTest, TopLevelMustBeAnObject) {
  ExpectError(Validate("ListActivities", "[]"), "SerializationException", "Start of list found where not expected");
  ExpectError(Validate("ListActivities", "3"), "SerializationException", "");
}

TEST(ValidateTest, UnknownMembersAreIgnoredAndKept) {
  auto r = Validate("StartExecution", R"({"stateMachineArn":"a","extra":{"deep":[1,2]}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(r->find("extra"), nullptr);
}

TEST(ValidateTest, NullsAreRemovedAndFractionsTruncated) {
  auto r = Validate("ListExecutions", R"({"stateMachineArn":"a","nextToken":null,"maxResults":10.7})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Dump(), R"({"stateMachineArn":"a","maxResults":10})");
  auto t = Validate("UntagResource", R"({"resourceArn":"a","tagKeys":["x",null,"y"]})");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Dump(), R"({"resourceArn":"a","tagKeys":["x","y"]})");
}

TEST(ValidateTest, ValidRequestIsNotCopied) {
  auto parsed = Json::Parse(R"({"stateMachineArn":"a","input":"{}","name":"n"})");
  ASSERT_TRUE(parsed.ok());
  const void* before = parsed->node_identity();
  auto r = ValidateInput(M(), M().FindOperation("StartExecution")->input, *parsed);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->node_identity(), before);
}

TEST(ValidateTest, Utf16Length) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("\xc3\xa9"), 1u);          // é
  EXPECT_EQ(Utf16Length("\xe2\x82\xac"), 1u);      // €
  EXPECT_EQ(Utf16Length("\xf0\x9f\x98\x80"), 2u);  // 😀, a surrogate pair
}

TEST(ErrorsTest, StatusCodes) {
  EXPECT_EQ(HttpStatusFor(M(), "StateMachineDoesNotExist"), 400u);
  EXPECT_EQ(HttpStatusFor(M(), "ValidationException"), 400u);
  EXPECT_EQ(HttpStatusFor(M(), "ThrottlingException"), 400u);
  EXPECT_EQ(HttpStatusFor(M(), "InternalFailure"), 500u);
  EXPECT_EQ(HttpStatusFor(M(), "SomethingElse"), 500u);
}

TEST(ErrorsTest, Bodies) {
  auto r = ErrorResponse(M(), Status::Error("ExecutionDoesNotExist", "Execution Does Not Exist: 'x'"));
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.body, R"({"__type":"ExecutionDoesNotExist","message":"Execution Does Not Exist: 'x'"})");
  auto i = ErrorResponse(M(), Status::Error("States.Runtime", "boom"));
  EXPECT_EQ(i.status, 500u);
  EXPECT_EQ(i.body, R"({"__type":"InternalFailure","message":"States.Runtime: boom"})");
  auto s = ErrorResponse(M(), Status::Error("SerializationException", ""));
  EXPECT_EQ(s.body, R"({"__type":"SerializationException"})");
}

}  // namespace
}  // namespace stepline::api::aws_json

#include "expr/payload/jsonata_template.h"

#include <gtest/gtest.h>

namespace stepline::expr {
namespace {

Json J(std::string_view text) {
  auto r = Json::Parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : Json();
}

jsonata::EvalOptions Opts() {
  jsonata::EvalOptions o;
  o.aws_functions = true;
  o.now_millis = 0;
  return o;
}

TEST(JsonataTemplate, EvaluatesEmbeddedExpressionsAndKeepsOtherStringsLiteral) {
  auto t = JsonataTemplate::Compile(
      J(R"({"a":"{% $states.input.x + 1 %}","lit":"$.x","not":"{% is only a prefix","arr":[1,"{% $v %}",{"k":"{%$v%}"}]})"),
      "Output");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_FALSE(t->is_constant());
  EXPECT_EQ(t->expression(), nullptr);  // not a single expression
  jsonata::MapBindings b;
  b.Set("states", J(R"({"input":{"x":41}})"));
  b.Set("v", Json("V"));
  auto r = t->Eval(&b, Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Dump(), R"({"a":42,"lit":"$.x","not":"{% is only a prefix","arr":[1,"V",{"k":"V"}]})");
}

TEST(JsonataTemplate, AWholeFieldExpressionMayYieldAnyType) {
  auto t = JsonataTemplate::Compile(Json("{%  [1, 2]  %}"), "Items");
  ASSERT_TRUE(t.ok());
  ASSERT_NE(t->expression(), nullptr);
  EXPECT_EQ(*t->expression(), "[1, 2]");  // trimmed, as AWS quotes it in messages
  EXPECT_EQ(t->Eval(nullptr, Opts())->Dump(), "[1,2]");
  EXPECT_EQ(JsonataTemplate::TypeMismatch("true", "Items", "array", Json(true)),
            "The JSONata expression 'true' specified for the field 'Items' returned an unexpected result type. "
            "Expected 'array', but was 'boolean' for value: true");
}

TEST(JsonataTemplate, ConstantTemplatesAreSharedNotCopied) {
  Json v = J(R"({"a":[1,{"b":"$.x"}],"s":"{%"})");
  auto t = JsonataTemplate::Compile(v, "Arguments");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->is_constant());
  EXPECT_EQ(t->Eval(nullptr, Opts())->node_identity(), v.node_identity());
}

TEST(JsonataTemplate, UndefinedIsAQueryEvaluationErrorNamingTheNestedField) {
  auto t = JsonataTemplate::Compile(J(R"({"result":"{% $doesNotExist %}"})"), "Output");
  ASSERT_TRUE(t.ok());
  auto r = t->Eval(nullptr, Opts());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().name(), kQueryEvaluationError);
  // AWS's words (recorded case test_undefined_reference[BASE_UNDEFINED_OUTPUT_FIELD]).
  EXPECT_EQ(r.status().message(),
            "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing "
            "(undefined).");
}

TEST(JsonataTemplate, EvaluationErrorsCarryTheJsonataCode) {
  auto t = JsonataTemplate::Compile(J(R"({"FunctionResult":"{% $randomSeeded(1) %}"})"), "Output");
  ASSERT_TRUE(t.ok());
  auto r = t->Eval(nullptr, Opts());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "The JSONata expression '$randomSeeded(1)' specified for the field 'Output/FunctionResult' threw an "
            "error during evaluation. T1006: Attempted to invoke a non-function");
}

TEST(JsonataTemplate, CompileErrorsAreReported) {
  auto t = JsonataTemplate::Compile(J(R"({"a":["{% 1 + %}"]})"), "Output");
  EXPECT_FALSE(t.ok());
}

TEST(JsonataTemplate, AwsFunctionsUseTheGivenRandomAndClock) {
  auto t = JsonataTemplate::Compile(J(R"(["{% $uuid() %}","{% $millis() %}"])"), "Output");
  ASSERT_TRUE(t.ok());
  SeededRandom r1(7), r2(7);
  auto o = Opts();
  o.now_millis = 1234;
  o.random = &r1;
  auto a = t->Eval(nullptr, o);
  o.random = &r2;
  auto b = t->Eval(nullptr, o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->Dump(), b->Dump());
  EXPECT_EQ((*a)[1].get_int(), 1234);
}

}  // namespace
}  // namespace stepline::expr

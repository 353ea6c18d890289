#include "expr/condition/condition.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>

namespace stepline::expr {
namespace {

Json J(std::string_view text) {
  auto r = Json::Parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : Json();
}

class Vars : public VariableLookup {
 public:
  std::unordered_map<std::string, Json> values;
  const Json* Find(std::string_view name) const override {
    auto it = values.find(std::string(name));
    return it == values.end() ? nullptr : &it->second;
  }
};

// Evaluates `rule` against `input`; returns "true", "false" or the error.
std::string Eval(std::string_view rule, std::string_view input, const VariableLookup* vars = nullptr) {
  auto c = Condition::Compile(J(rule));
  if (!c.ok()) return "compile " + c.status().ToString();
  Scope scope;
  scope.input = J(input);
  scope.context = J(R"({"Execution":{"Id":"arn:x","Name":"n"}})");
  scope.vars = vars;
  auto r = c->Eval(scope);
  if (!r.ok()) return r.status().ToString();
  return *r ? "true" : "false";
}

TEST(Condition, StringOperators) {
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringEquals":"a"})", R"({"v":"a"})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringEquals":"a"})", R"({"v":"b"})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringLessThan":"AB"})", R"({"v":"A"})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringGreaterThan":"A "})", R"({"v":"A"})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringGreaterThanEquals":""})", R"({"v":""})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringLessThanEquals":"b"})", R"({"v":"b"})"), "true");
  // A type mismatch compares false, it is not an error.
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringEquals":"1"})", R"({"v":1})"), "false");
}

TEST(Condition, StringOrderIsUtf16LikeJava) {
  // U+FF61 (3 UTF-8 bytes, one UTF-16 unit 0xFF61) sorts after U+1F600 (surrogates
  // 0xD83D...) in UTF-16, though before it in code point / UTF-8 byte order.
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringGreaterThan":"\ud83d\ude00"})", R"({"v":"\uff61"})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringLessThan":"b"})", R"({"v":"B"})"), "true");
}

TEST(Condition, StringMatches) {
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringMatches":"log-*.txt"})", R"({"v":"log-2024.txt"})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringMatches":"log-*.txt"})", R"({"v":"log-2024.csv"})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringMatches":"*"})", R"({"v":""})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringMatches":"a\\*b"})", R"({"v":"a*b"})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringMatches":"a\\*b"})", R"({"v":"axxb"})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringMatches":"*a*a*a*"})", R"({"v":"xaxxaxa"})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringMatches":"*a*a*a*b"})", R"({"v":"aaaaaaaaaaaaaaaaaaaaaaaa"})"), "false");
}

TEST(Condition, NumericOperatorsMixIntsAndDoubles) {
  EXPECT_EQ(Eval(R"({"Variable":"$.v","NumericEquals":1})", R"({"v":1.0})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","NumericEquals":1.5})", R"({"v":1})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","NumericLessThan":2})", R"({"v":1.999})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","NumericGreaterThanEquals":0})", R"({"v":-0.0})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","NumericLessThanEquals":9007199254740993})",
                R"({"v":9007199254740992})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","NumericEquals":0})", R"({"v":"0"})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","NumericEquals":0})", R"({"v":false})"), "false");
}

TEST(Condition, BooleanAndTypeTests) {
  EXPECT_EQ(Eval(R"({"Variable":"$.v","BooleanEquals":true})", R"({"v":true})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","BooleanEquals":true})", R"({"v":1})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","IsNull":true})", R"({"v":null})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","IsNull":false})", R"({"v":null})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","IsNumeric":true})", R"({"v":1.5})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","IsString":true})", R"({"v":[]})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","IsBoolean":false})", R"({"v":"true"})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","IsTimestamp":true})", R"({"v":"2016-03-14T01:59:00Z"})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","IsTimestamp":true})", R"({"v":"2016-03-14"})"), "false");
}

TEST(Condition, Timestamps) {
  EXPECT_EQ(Eval(R"({"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"})",
                R"({"v":"2012-10-09T21:00:55+02:00"})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","TimestampLessThan":"2012-10-09T19:00:56Z"})",
                R"({"v":"2012-10-09T19:00:55.999Z"})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","TimestampGreaterThan":"2012-10-09T19:00:55Z"})", R"({"v":"not a time"})"),
            "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","TimestampGreaterThanEquals":"2012-10-09T19:00:55Z"})", R"({"v":5})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","TimestampLessThanEqualsPath":"$.w"})",
                R"({"v":"2012-10-09T19:00:55Z","w":"2012-10-09T19:00:55Z"})"), "true");
}

TEST(Condition, PathTwins) {
  EXPECT_EQ(Eval(R"({"Variable":"$.v","NumericEqualsPath":"$.w"})", R"({"v":1,"w":1.0})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringEqualsPath":"$.w"})", R"({"v":"a","w":"b"})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","BooleanEqualsPath":"$.w"})", R"({"v":false,"w":false})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","StringLessThanPath":"$$.Execution.Name"})", R"({"v":"m"})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","NumericEqualsPath":"$.missing"})", R"({"v":1})"),
            "States.Runtime: Invalid path '$.missing': The choice state's condition path references an invalid "
            "value.");
}

TEST(Condition, MissingVariable) {
  EXPECT_EQ(Eval(R"({"Variable":"$.nope","StringEquals":"a"})", R"({"v":"a"})"),
            "States.Runtime: Invalid path '$.nope': The choice state's condition path references an invalid "
            "value.");
  EXPECT_EQ(Eval(R"({"Variable":"$.nope","IsPresent":true})", R"({})"), "false");
  EXPECT_EQ(Eval(R"({"Variable":"$.nope","IsPresent":false})", R"({})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","IsPresent":true})", R"({"v":null})"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.nope","IsNull":true})", R"({})").rfind("States.Runtime", 0), 0u);
}

TEST(Condition, ContextAndVariables) {
  Vars vars;
  vars.values["limit"] = Json(10);
  EXPECT_EQ(Eval(R"({"Variable":"$$.Execution.Id","StringEquals":"arn:x"})", "{}"), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$.v","NumericLessThanPath":"$limit"})", R"({"v":3})", &vars), "true");
  EXPECT_EQ(Eval(R"({"Variable":"$limit","NumericEquals":10})", "{}", &vars), "true");
}

TEST(Condition, Composites) {
  const char* rule = R"({"And":[{"Variable":"$.a","NumericGreaterThan":1},
      {"Or":[{"Variable":"$.b","StringEquals":"x"},{"Not":{"Variable":"$.c","IsPresent":true}}]}],
      "Next":"N","Comment":"c","Assign":{"k":1}})";
  EXPECT_EQ(Eval(rule, R"({"a":2,"b":"x","c":1})"), "true");
  EXPECT_EQ(Eval(rule, R"({"a":2,"b":"y","c":1})"), "false");
  EXPECT_EQ(Eval(rule, R"({"a":2,"b":"y"})"), "true");
  EXPECT_EQ(Eval(rule, R"({"a":1,"b":"x"})"), "false");
  // Short-circuit: the missing $.b is never read when the And already failed.
  EXPECT_EQ(Eval(R"({"And":[{"Variable":"$.a","IsNull":true},{"Variable":"$.b","IsNull":true}]})", R"({"a":1})"),
            "false");
}

TEST(Condition, DeepNestingCompilesWithinBound) {
  std::string rule = R"({"Variable":"$.a","IsPresent":true})";
  for (int i = 0; i < 60; ++i) rule = R"({"Not":)" + rule + "}";
  EXPECT_EQ(Eval(rule, R"({"a":1})"), "true");  // 60 Nots: even count
  for (int i = 0; i < 100; ++i) rule = R"({"Not":)" + rule + "}";
  EXPECT_EQ(Eval(rule, "{}").rfind("compile InvalidCondition", 0), 0u);
}

TEST(Condition, CompileErrors) {
  EXPECT_EQ(Eval(R"({"Variable":"$.a"})", "{}").rfind("compile InvalidCondition", 0), 0u);
  EXPECT_EQ(Eval(R"({"Variable":"$.a","StringEquals":1})", "{}").rfind("compile InvalidCondition", 0), 0u);
  EXPECT_EQ(Eval(R"({"Variable":"$.a","IsNull":true,"IsString":true})", "{}").rfind("compile InvalidCondition", 0), 0u);
  EXPECT_EQ(Eval(R"({"And":[]})", "{}").rfind("compile InvalidCondition", 0), 0u);
  EXPECT_EQ(Eval(R"({"Not":{"Variable":"$.a","IsNull":true,"Next":"X"}})", "{}").rfind("compile InvalidCondition", 0), 0u);
  EXPECT_EQ(Eval(R"({"Variable":"$.a","TimestampEquals":"nope"})", "{}").rfind("compile InvalidCondition", 0), 0u);
  EXPECT_EQ(Eval(R"({"Variable":"$.a[","IsNull":true})", "{}").rfind("compile InvalidPath", 0), 0u);
  EXPECT_EQ(Eval(R"({"Variable":"$.a","Bogus":true})", "{}").rfind("compile InvalidCondition", 0), 0u);
}

TEST(Condition, IsCopyableAndShared) {
  auto c = Condition::Compile(J(R"({"Variable":"$.v","NumericEquals":2})"));
  ASSERT_TRUE(c.ok());
  Condition copy = *c;
  Scope s;
  s.input = J(R"({"v":2})");
  auto r = copy.Eval(s);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
}

}  // namespace
}  // namespace stepline::expr

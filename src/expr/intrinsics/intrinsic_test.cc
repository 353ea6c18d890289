#include "expr/intrinsics/intrinsic.h"

#include <gtest/gtest.h>

#include <regex>

namespace stepline::expr {
namespace {

Json J(std::string_view text) {
  auto r = Json::Parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : Json();
}

struct Env {
  SeededRandom random{42};
  Scope scope;
  explicit Env(std::string_view input = "{}") {
    scope.input = J(input);
    scope.context = J(R"({"Execution":{"Name":"exec-1"}})");
    scope.random = &random;
  }
};

// Evaluates `call` on `input`; "ERR <name>: <message>" on failure.
std::string Call(std::string_view call, std::string_view input = "{}") {
  auto c = IntrinsicCall::Compile(call);
  if (!c.ok()) return "COMPILE " + c.status().name() + ": " + c.status().message();
  Env env(input);
  auto r = c->Eval(env.scope, "value.$");
  if (!r.ok()) return "ERR " + r.status().name() + ": " + r.status().message();
  return r->Dump();
}

TEST(Intrinsic, LooksLikeCall) {
  EXPECT_TRUE(IntrinsicCall::LooksLikeCall("States.Array(1)"));
  EXPECT_TRUE(IntrinsicCall::LooksLikeCall("  States.UUID()"));
  EXPECT_FALSE(IntrinsicCall::LooksLikeCall("$.States.Array"));
  EXPECT_FALSE(IntrinsicCall::LooksLikeCall("States.Array"));
}

TEST(Intrinsic, CompileErrors) {
  for (auto t : {"States.Nope(1)", "States.Array(", "States.Array(1,)", "States.ArrayLength()",
                 "States.ArrayRange(1, 5)", "States.UUID(1)", "States.Format('{')", "States.Format('}')",
                 "States.Format('Hello {{}}', $.a)", "States.Array('abc)", "States.Array(1) x", "States.Array($.a[)",
                 "States.MathRandom(1)", "States.JsonMerge($.a, $.b)"}) {
    auto r = IntrinsicCall::Compile(t);
    EXPECT_FALSE(r.ok()) << t;
  }
  EXPECT_EQ(IntrinsicCall::Compile("States.Nope(1)").status().name(), "InvalidIntrinsic");
}

TEST(Intrinsic, FormatAndEscapes) {
  EXPECT_EQ(Call("States.Format('Hello {}, welcome to {}!', $.n, $.p)", R"({"n":"John","p":"LocalStack"})"),
            R"("Hello John, welcome to LocalStack!")");
  EXPECT_EQ(Call(R"(States.Format('It\'s \{literal\} {} \\ done', 1))"), R"("It's {literal} 1 \\ done")");
  EXPECT_EQ(Call("States.Format('{}|{}|{}|{}|{}', $.a, $.b, $.c, $.d, $.e)",
                R"({"a":null,"b":false,"c":-1,"d":3.5,"e":"s"})"),
            R"("null|false|-1|3.5|s")");
  // Objects and arrays print as Java's Map/List toString (conformance test_format_2#exec7).
  EXPECT_EQ(Call("States.Format('x={}', $.o)", R"({"o":{"Arg1":1,"Arg2":[],"s":["a",{"b":null}]}})"),
            R"("x={Arg1=1, Arg2=[], s=[a, {b=null}]}")");
  EXPECT_EQ(Call("States.Format($.t, $.n)", R"({"t":"Hi {}","n":"Ada"})"), R"("Hi Ada")");
  EXPECT_EQ(Call("States.Format('no placeholders')"), R"("no placeholders")");
  EXPECT_EQ(Call("States.Format('{} {}', $.a)", R"({"a":1})"), "ERR States.Runtime: Invalid arguments in States.Format");
  EXPECT_EQ(Call("States.Format($.t)", R"({"t":"bad {"})"), "ERR States.Runtime: Invalid arguments in States.Format");
}

TEST(Intrinsic, JsonFunctions) {
  EXPECT_EQ(Call("States.StringToJson($.s)", R"({"s":"{\"key\":\"value\"}"})"), R"({"key":"value"})");
  EXPECT_EQ(Call("States.StringToJson($.s)", R"({"s":"{bad"})"),
            "ERR States.Runtime: Invalid arguments in States.StringToJson");
  EXPECT_EQ(Call("States.JsonToString($.o)", R"({"o":{"Arg1":1,"Arg2":[]}})"), R"("{\"Arg1\":1,\"Arg2\":[]}")");
  EXPECT_EQ(Call("States.JsonToString($.o)", R"({"o":"HelloWorld"})"), R"("\"HelloWorld\"")");
  EXPECT_EQ(Call("States.JsonMerge($.a, $.b, false)", R"({"a":{"x":{"p":1},"y":2},"b":{"x":{"q":1},"z":3}})"),
            R"({"x":{"q":1},"y":2,"z":3})");
  EXPECT_EQ(Call("States.JsonMerge($.a, $.b, true)", R"({"a":{},"b":{}})"),
            "ERR States.Runtime: Invalid arguments in States.JsonMerge");
  EXPECT_EQ(Call("States.JsonMerge(States.StringToJson('{\"c\": \"false\"}'), $.b, false)", R"({"b":{"d":1}})"),
            R"({"c":"false","d":1})");
}

TEST(Intrinsic, ArrayFunctions) {
  EXPECT_EQ(Call("States.Array('a', 1, true, null, $.x, States.Array())", R"({"x":{"k":[1]}})"),
            R"(["a",1,true,null,{"k":[1]},[]])");
  EXPECT_EQ(Call("States.ArrayPartition($.a, 2)", R"({"a":[1,2,3,4,5]})"), "[[1,2],[3,4],[5]]");
  EXPECT_EQ(Call("States.ArrayPartition($.a, 4)", R"({"a":[]})"), "[]");
  EXPECT_EQ(Call("States.ArrayPartition($.a, 0.49)", R"({"a":[1]})"),
            "ERR States.Runtime: Invalid arguments in States.ArrayPartition");
  EXPECT_EQ(Call("States.ArrayContains($.a, $.v)", R"({"a":[1,{"b":[2]}],"v":{"b":[2]}})"), "true");
  EXPECT_EQ(Call("States.ArrayContains($.a, 3)", R"({"a":[1,2]})"), "false");
  EXPECT_EQ(Call("States.ArrayRange(1, 9, 2)"), "[1,3,5,7,9]");
  EXPECT_EQ(Call("States.ArrayRange(5, 1, -2)"), "[5,3,1]");
  EXPECT_EQ(Call("States.ArrayRange(5, 1, 1)"), "[]");
  EXPECT_EQ(Call("States.ArrayRange(1.6, 1.4, 1)"), "[1]");  // AWS truncates fractional bounds (observed)
  {
    Json r = J(Call("States.ArrayRange(1, 1000, 1)"));  // exactly the 1000-item limit
    ASSERT_TRUE(r.is_array());
    EXPECT_EQ(r.size(), 1000u);
    EXPECT_EQ(r[999].get_int(), 1000);
  }
  EXPECT_EQ(Call("States.ArrayRange(1, 1001, 1)"), "ERR States.Runtime: Invalid arguments in States.ArrayRange");
  EXPECT_EQ(Call("States.ArrayRange(1, 10, 0)"), "ERR States.Runtime: Invalid arguments in States.ArrayRange");
  EXPECT_EQ(Call("States.ArrayGetItem($.a, 1)", R"({"a":["x","y"]})"), R"("y")");
  EXPECT_EQ(Call("States.ArrayGetItem($.a, 1.2)", R"({"a":[10,20,30]})"), "20");
  EXPECT_EQ(Call("States.ArrayGetItem($.a, 999)", R"({"a":[]})"), "null");  // observed on AWS
  EXPECT_EQ(Call("States.ArrayGetItem($.a, 3)", R"({"a":[1,2,3]})"),
            "ERR States.Runtime: Invalid arguments in States.ArrayGetItem");
  EXPECT_EQ(Call("States.ArrayLength($.a)", R"({"a":[1,2,3]})"), "3");
  EXPECT_EQ(Call("States.ArrayLength($.a)", R"({"a":"s"})"), "ERR States.Runtime: Invalid arguments in States.ArrayLength");
  EXPECT_EQ(Call("States.ArrayUnique($.a)", R"({"a":[1,2,2,3,{"a":1},{"a":1},1]})"), R"([1,2,3,{"a":1}])");
}

TEST(Intrinsic, EncodingAndHash) {
  EXPECT_EQ(Call("States.Base64Encode('Data to encode')"), R"("RGF0YSB0byBlbmNvZGU=")");
  EXPECT_EQ(Call("States.Base64Encode('')"), R"("")");
  EXPECT_EQ(Call("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')"), R"("Data to encode")");
  EXPECT_EQ(Call("States.Base64Decode('4pyT')"), "\"\xE2\x9C\x93\"");
  EXPECT_EQ(Call("States.Base64Decode(' YWJjZA== ')"), R"("abcd")");  // lenient, as AWS
  EXPECT_EQ(Call("States.Base64Decode('ab==cd')"), R"("i")");
  std::string big(10001, 'A');
  EXPECT_EQ(Call("States.Base64Decode($.s)", "{\"s\":\"" + big + "\"}"),
            "ERR States.Runtime: Invalid arguments in States.Base64Decode");
  EXPECT_EQ(Call("States.Base64Encode($.s)", "{\"s\":\"" + big + "\"}"),
            "ERR States.Runtime: Invalid arguments in States.Base64Encode");
  // 10,000 characters is still accepted: 4 * ceil(10000 / 3) output characters.
  EXPECT_EQ(J(Call("States.Base64Encode($.s)", "{\"s\":\"" + big.substr(1) + "\"}")).get_string().size(), 13336u);
  // Recorded AWS value (assign_test_assign_reference_variables BASE_REFERENCE_IN_INTRINSIC_FUNCTION).
  EXPECT_EQ(Call("States.Hash('Hash this string', 'SHA-256')"),
            R"("1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e")");
  EXPECT_EQ(Call("States.Hash('abc', 'MD5')"), R"("900150983cd24fb0d6963f7d28e17f72")");
  EXPECT_EQ(Call("States.Hash('abc', 'SHA-1')"), R"("a9993e364706816aba3e25717850c26c9cd0d89d")");
  EXPECT_EQ(Call("States.Hash('abc', 'SHA-384')").size(), 98u);
  EXPECT_EQ(Call("States.Hash('abc', 'SHA-512')").size(), 130u);
  EXPECT_EQ(Call("States.Hash('abc', 'SHA-999')"), "ERR States.Runtime: Invalid arguments in States.Hash");
}

TEST(Intrinsic, Math) {
  // Java Math.round on each operand (conformance test_math_add cases).
  EXPECT_EQ(Call("States.MathAdd($.a, $.b)", R"({"a":-1.5,"b":-1.51})"), "-3");
  EXPECT_EQ(Call("States.MathAdd($.a, $.b)", R"({"a":2.5,"b":0})"), "3");
  EXPECT_EQ(Call("States.MathAdd($.a, -1)", R"({"a":3})"), "2");
  EXPECT_EQ(Call("States.MathAdd($.a, 1)", R"({"a":"x"})"), "ERR States.Runtime: Invalid arguments in States.MathAdd");
  EXPECT_EQ(Call("States.MathAdd(States.MathAdd(1, 2), 3)"), "6");
  for (int i = 0; i < 50; ++i) {
    auto c = IntrinsicCall::Compile("States.MathRandom(1.6, 5.4)");
    Env env;
    env.random = SeededRandom(static_cast<uint64_t>(i));
    int64_t v = c->Eval(env.scope)->get_int();
    EXPECT_GE(v, 1);  // bounds truncate; the end is exclusive
    EXPECT_LT(v, 5);
  }
  EXPECT_EQ(Call("States.MathRandom(1, 100, 42)"), Call("States.MathRandom(1, 100, 42)"));
  EXPECT_EQ(Call("States.MathRandom(1.4, 1.6)"), "ERR States.Runtime: Invalid arguments in States.MathRandom");
  EXPECT_EQ(Call("States.MathRandom(1, 10, null)"), "ERR States.Runtime: Invalid arguments in States.MathRandom");
}

TEST(Intrinsic, StringSplitAndUuid) {
  // Conformance test_string_split: each delimiter character splits, empty parts dropped.
  EXPECT_EQ(Call("States.StringSplit($.s, ',')", R"({"s":"a,,b,\n,"})"), R"(["a","b","\n"])");
  EXPECT_EQ(Call("States.StringSplit('a-b.c', '.-')"), R"(["a","b","c"])");
  EXPECT_EQ(Call("States.StringSplit($$.Execution.Name, '-')"), R"(["exec","1"])");
  EXPECT_EQ(Call("States.ArrayGetItem(States.StringSplit($$.Execution.Name, '-'), 0)"), R"("exec")");
  std::string u = Call("States.UUID()");
  EXPECT_TRUE(std::regex_match(u, std::regex(R"("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")"))) << u;
}

TEST(Intrinsic, MissingPathMessage) {
  EXPECT_EQ(Call("States.Base64Decode($.missing)"),
            "ERR States.Runtime: The JSONPath '$.missing' specified for the field 'value.$' could not be found in the "
            "input '{}'");
}

}  // namespace
}  // namespace stepline::expr

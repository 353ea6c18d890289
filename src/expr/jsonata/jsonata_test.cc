#include "expr/jsonata/jsonata.h"

#include <gtest/gtest.h>

#include <thread>

#include "base/random.h"

namespace stepline::jsonata {
namespace {

Json J(std::string_view text) { return *Json::Parse(text); }

// Evaluates `expr` against `input` and returns the result as compact JSON
// text, "undefined", or "ERROR <code>".
std::string Eval(std::string_view expr, std::string_view input = "null", const EvalOptions& opts = {},
                 const Bindings* b = nullptr) {
  auto e = Expression::Compile(expr);
  if (!e.ok()) return "ERROR " + e.status().name();
  std::optional<Json> in;
  if (input != "undefined") in = J(input);
  auto r = e->Evaluate(in, b, opts);
  if (!r.ok()) return "ERROR " + r.status().name();
  if (!r->has_value()) return "undefined";
  return (*r)->Dump();
}

// '*' runs inside the plain-JSON path walker; these are jsonata-js 2.0.6's
// answers, including the reference's quirk that '*' over one object with an
// array member gives a plain array, which the path does not unwrap.
TEST(JsonataTest, WildcardInTheWalkerKeepsTheReferenceShapes) {
  EXPECT_EQ(Eval("a.*", R"({"a":{"x":[5]}})"), "[5]");
  EXPECT_EQ(Eval("a.*", R"({"a":{"x":5}})"), "5");
  EXPECT_EQ(Eval("a.*", R"({"a":[{"x":[5]},{"x":6}]})"), "[5,6]");
  EXPECT_EQ(Eval("a.*", R"({"a":{"x":[]}})"), "[]");
  EXPECT_EQ(Eval("a.*", R"({"a":{"x":[[1,[2]],3]}})"), "[1,2,3]");
  EXPECT_EQ(Eval("a.*.y", R"({"a":{"x":{"y":[1,2]},"z":{"y":3}}})"), "[1,2,3]");
  EXPECT_EQ(Eval("*", "[1,[2,3]]"), "[1,2,3]");
  EXPECT_EQ(Eval("a.*", R"({"a":{}})"), "undefined");
  EXPECT_EQ(Eval("$count(a.*)", R"({"a":{"x":[1,2],"y":3}})"), "3");
  EXPECT_EQ(Eval("[a.*]", R"({"a":{"x":[1]}})"), "[1]");
  // Results gathered as JSON at the path's end still behave as a sequence.
  EXPECT_EQ(Eval("(a.b)[1]", R"({"a":[{"b":1},{"b":2}]})"), "2");
  EXPECT_EQ(Eval("$reverse(a.b)", R"({"a":[{"b":1},{"b":2}]})"), "[2,1]");
  EXPECT_EQ(Eval("a.b.c", R"({"a":[{"b":{"c":"a string longer than 14"}},{"b":{"c":"s"}}]})"),
            R"(["a string longer than 14","s"])");
}

// The reference's last-step rule (a lone plain array among the step's
// results is the result) counts only items whose result is defined: a
// lookup over an array item, or '*' over an item, that yields an empty
// sequence yields undefined and does not count. Found by
// tests/jsonata/differential; answers are jsonata-js 2.0.6's.
TEST(JsonataTest, LastStepCountsOnlyDefinedResults) {
  EXPECT_EQ(Eval("$.a", R"([[{"x":1}],{"a":[5]}])"), "[5]");
  EXPECT_EQ(Eval("$.a", R"([[{"a":7}],{"a":[5]}])"), "[7,5]");
  EXPECT_EQ(Eval("$.a", R"([[{"a":[[1,2]]}]])"), "[1,2]");
  EXPECT_EQ(Eval("$.a[]", R"([[{"a":[[1,2]]}]])"), "[[1,2]]");
  EXPECT_EQ(Eval("$.*", R"([[],{"b":{"c":1},"a":[]}])"), R"([{"c":1}])");
  EXPECT_EQ(Eval("$.*", R"([{},{"b":1,"a":[]}])"), "[1]");
  EXPECT_EQ(Eval("$.*", R"([{"a":[]},{}])"), "[]");
  EXPECT_EQ(Eval("$.*", R"([{"b":2},{"a":[5]}])"), "[2,5]");
  // A lookup over an array item that finds one array: that array's items.
  EXPECT_EQ(Eval("$.a", R"([[{"a":[[1,2]]}], {"a":3}])"), "[1,2,3]");
  EXPECT_EQ(Eval("$.a", R"([[{"a":[[1,2],[4]]}], {"a":3}])"), "[[1,2],[4],3]");
  EXPECT_EQ(Eval("$.a.b", R"([[{"a":[[{"b":1},{"b":2}]]}], {"a":{"b":3}}])"), "[1,2,3]");
  // The same rules in the step-by-step path, which takes items the walker
  // cannot (objects holding a function).
  EXPECT_EQ(Eval(R"([[{"x":1}], {"a":[5], "f":function(){1}}].a)"), "[5]");
  EXPECT_EQ(Eval(R"([[{"a":7}], {"a":[5], "f":function(){1}}].a)"), "[7,5]");
  EXPECT_EQ(Eval(R"([[[{"a":[[1,2]]}]], {"a":3, "f":function(){1}}].a)"), "[1,2,3]");
  EXPECT_EQ(Eval(R"([{"a":[5], "f":function(){1}}, {"g":function(){1}}].a)"), "[5]");
  EXPECT_EQ(Eval(R"($count([[], {"a":[], "f":function(){1}}].*))"), "1");
  EXPECT_EQ(Eval(R"([{}, {"a":[], "f":function(){1}}].*.$type($))"), R"("function")");
  EXPECT_EQ(Eval(R"([{}, {"a":[2], "f":function(){1}}].*[0])"), "2");
}

// The engine's shortcuts, checked against jsonata-js 2.0.6's answers: a root
// path gathering scalars as JSON that meets a container and becomes Values;
// lambda frames reused only when no closure kept them; a chain of '&'
// appended into one string, with an inner '&' that has its own filter.
TEST(JsonataTest, ShortcutsKeepTheReferenceResults) {
  EXPECT_EQ(Eval("a.b", R"({"a":[{"b":1},{"b":{"x":1}},{"b":"a string longer than 14"},{"b":[2,3]}]})"),
            R"([1,{"x":1},"a string longer than 14",2,3])");
  EXPECT_EQ(Eval("($f := function($x){ function($y){ $x + $y } }; $a := $f(1); $b := $f(2); [$a(10), $b(10)])"),
            "[11,12]");
  EXPECT_EQ(Eval("$map([1,2,3], function($v){ function(){ $v } }) ~> $map(function($g){ $g() })"), "[1,2,3]");
  EXPECT_EQ(Eval(R"("a" & 1 & true & $nothing & {"k":[1]} & (s & "x"))", R"({"s":"S"})"),
            R"("a1true{\"k\":[1]}Sx")");
  EXPECT_EQ(Eval(R"(("a" & "b")[0] & "c")"), R"("abc")");
}

TEST(JsonataTest, PathsAndPredicates) {
  const char* doc = R"({"a":[{"b":1,"c":"x"},{"b":2,"c":"y"},{"b":3,"c":"x"}]})";
  EXPECT_EQ(Eval("a.b", doc), "[1,2,3]");
  EXPECT_EQ(Eval("a[c='x'].b", doc), "[1,3]");
  EXPECT_EQ(Eval("a[1].c", doc), "\"y\"");
  EXPECT_EQ(Eval("a[-1].b", doc), "3");
  EXPECT_EQ(Eval("a[0].b[]", doc), "[1]");
  EXPECT_EQ(Eval("a.nothing", doc), "undefined");
  EXPECT_EQ(Eval("$count(a)", doc), "3");
  EXPECT_EQ(Eval("a^(>b).b", doc), "[3,2,1]");
  EXPECT_EQ(Eval("a{c: $sum(b)}", doc), R"({"x":4,"y":2})");
}

TEST(JsonataTest, SingletonSequencesUnwrap) {
  EXPECT_EQ(Eval("a", R"({"a":[5]})"), "[5]");  // an array in the data stays an array
  EXPECT_EQ(Eval("a.b", R"({"a":[{"b":5}]})"), "5");
  EXPECT_EQ(Eval("a.b[]", R"({"a":[{"b":5}]})"), "[5]");
}

TEST(JsonataTest, ParentIndexAndFocusBindings) {
  const char* doc = R"({"o":[{"id":1,"items":[{"n":"a"},{"n":"b"}]},{"id":2,"items":[{"n":"c"}]}]})";
  EXPECT_EQ(Eval("o.items.{'n': n, 'id': %.id}", doc),
            R"([{"n":"a","id":1},{"n":"b","id":1},{"n":"c","id":2}])");
  EXPECT_EQ(Eval("o.items#$i.{'n': n, 'i': $i}", doc), R"([{"n":"a","i":0},{"n":"b","i":1},{"n":"c","i":0}])");
  EXPECT_EQ(Eval("o@$o.$o.items.(n & $string($o.id))", doc), R"(["a1","b1","c2"])");
}

TEST(JsonataTest, NumbersFollowJavaScript) {
  EXPECT_EQ(Eval("0.1 + 0.2"), "0.30000000000000004");
  EXPECT_EQ(Eval("2 * 3"), "6");
  EXPECT_EQ(Eval("$string(1e21)"), "\"1e+21\"");
  EXPECT_EQ(Eval("$string(0.1 + 0.2)"), "\"0.3\"");
  EXPECT_EQ(Eval("$string(1/3)"), "\"0.333333333333333\"");
  EXPECT_EQ(Eval("$string(100)"), "\"100\"");
  EXPECT_EQ(Eval("6 / 2"), "3");
  EXPECT_EQ(Eval("$round(2.5)"), "2");
  EXPECT_EQ(Eval("$round(3.5)"), "4");
  EXPECT_EQ(Eval("$round(1.255, 2)"), "1.26");
}

TEST(JsonataTest, IntegralResultsAreInts) {
  auto e = Expression::Compile("1.5 * 2");
  ASSERT_TRUE(e.ok());
  auto r = e->Evaluate(std::nullopt, nullptr, {});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_TRUE((*r)->is_int());
  EXPECT_EQ((*r)->get_int(), 3);
}

TEST(JsonataTest, FunctionsLambdasAndClosures) {
  EXPECT_EQ(Eval("($add := function($a, $b){ $a + $b }; $add(2, 3))"), "5");
  EXPECT_EQ(Eval("($mk := λ($n){ λ($x){ $x * $n } }; $mk(3)(4))"), "12");
  EXPECT_EQ(Eval("($f := $substring(?, 0, 2); $f('hello'))"), "\"he\"");
  EXPECT_EQ(Eval("[1,2,3] ~> $map(function($v){ $v * 10 })"), "[10,20,30]");
  EXPECT_EQ(Eval("($inc := function($x){$x+1}; $dbl := function($x){$x*2}; ($inc ~> $dbl)(3))"), "8");
  EXPECT_EQ(Eval("$reduce([1,2,3,4], function($a, $b){ $a + $b })"), "10");
  EXPECT_EQ(Eval("$filter([1,2,3,4], function($v){ $v % 2 = 0 })"), "[2,4]");
  EXPECT_EQ(Eval("$sort([3,1,2], function($a, $b){ $a < $b })"), "[3,2,1]");
}

TEST(JsonataTest, TailCallsDoNotGrowTheStack) {
  EXPECT_EQ(Eval("($loop := function($n, $acc){ $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; $loop(100000, 0))"),
            "100000");
}

TEST(JsonataTest, TransformsCopyAndUpdate) {
  const char* doc = R"({"a":{"x":1,"y":2},"b":[{"x":1},{"x":2}]})";
  EXPECT_EQ(Eval("$ ~> |a|{'z': 3}, ['y']|", doc), R"({"a":{"x":1,"z":3},"b":[{"x":1},{"x":2}]})");
  EXPECT_EQ(Eval("$ ~> |b[x=2]|{'x': 20}|", doc), R"({"a":{"x":1,"y":2},"b":[{"x":1},{"x":20}]})");
}

TEST(JsonataTest, RegexAndStringFunctions) {
  EXPECT_EQ(Eval("$match('ab12cd345', /[0-9]+/).match"), R"(["12","345"])");
  EXPECT_EQ(Eval("$replace('hello world', /(o)/, '[$1]')"), "\"hell[o] w[o]rld\"");
  EXPECT_EQ(Eval("$split('a,b,,c', ',')"), R"(["a","b","","c"])");
  EXPECT_EQ(Eval("$contains('Hello', /^h/i)"), "true");
  EXPECT_EQ(Eval("$length('𝄞💩')"), "2");
  EXPECT_EQ(Eval("$pad('x', -3, '#')"), "\"##x\"");
  EXPECT_EQ(Eval("$formatNumber(1234.5678, '#,##0.00')"), "\"1,234.57\"");
  EXPECT_EQ(Eval("$formatInteger(123, 'w')"), "\"one hundred and twenty-three\"");
  EXPECT_EQ(Eval("$fromMillis(0)"), "\"1970-01-01T00:00:00.000Z\"");
  EXPECT_EQ(Eval("$toMillis('1970-01-02T00:00:00Z')"), "86400000");
}

TEST(JsonataTest, ErrorsCarryReferenceCodes) {
  EXPECT_EQ(Eval("1 +"), "ERROR S0207");
  EXPECT_EQ(Eval("'a' + 1"), "ERROR T2001");
  EXPECT_EQ(Eval("[1,2,3"), "ERROR S0203");
  EXPECT_EQ(Eval("$substring('a', 'b')"), "ERROR T0410");
  EXPECT_EQ(Eval("$substring(1)"), "ERROR T0411");
  EXPECT_EQ(Eval("$foo()"), "ERROR T1006");
  EXPECT_EQ(Eval("/(/"), "ERROR S0302");
  auto e = Expression::Compile("'a' < 1");
  ASSERT_TRUE(e.ok());
  auto r = e->Evaluate(std::nullopt, nullptr, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().name(), "T2009");
  EXPECT_NE(r.status().message().find("must be of the same data type"), std::string::npos);
}

TEST(JsonataTest, DepthAndTimeLimitsGiveU1001) {
  EvalOptions depth;
  depth.max_depth = 50;
  EXPECT_EQ(Eval("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000))", "null", depth), "ERROR U1001");
  EvalOptions time;
  time.time_limit_ms = 50;
  EXPECT_EQ(Eval("($f := function(){ $f() }; $f())", "null", time), "ERROR U1001");
  // Deep nesting fails cleanly at compile time.
  std::string deep(10000, '(');
  EXPECT_EQ(Eval(deep + "1" + std::string(10000, ')')), "ERROR U1001");
  std::string deep_arr(10000, '[');
  EXPECT_EQ(Eval(deep_arr), "ERROR U1001");
}

TEST(JsonataTest, BindingsAndUndefinedInput) {
  MapBindings b;
  b.Set("x", J("{\"k\": 7}"));
  EXPECT_EQ(Eval("$x.k + 1", "undefined", {}, &b), "8");
  EXPECT_EQ(Eval("$exists(foo)", "undefined"), "false");
  EXPECT_EQ(Eval("$", "undefined"), "undefined");
}

TEST(JsonataTest, PassThroughDoesNotCopy) {
  Json big = J(R"({"payload":{"deep":[1,2,3,{"x":"y"}]}})");
  auto e = Expression::Compile("payload");
  ASSERT_TRUE(e.ok());
  auto r = e->Evaluate(big, nullptr, {});
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->node_identity(), big.find("payload")->node_identity());
}

TEST(JsonataTest, AwsDialect) {
  SeededRandom rnd(42);
  EvalOptions aws;
  aws.aws_functions = true;
  aws.random = &rnd;
  EXPECT_EQ(Eval("$partition([1,2,3,4,5], 2)", "null", aws), "[[1,2],[3,4],[5]]");
  EXPECT_EQ(Eval("$range(0, 10, 5)", "null", aws), "[0,5,10]");
  EXPECT_EQ(Eval("$range(3, 1, -1)", "null", aws), "[3,2,1]");
  EXPECT_EQ(Eval("$hash('abc', 'SHA-256')", "null", aws),
            "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"");
  EXPECT_EQ(Eval("$hash('abc', 'MD5')", "null", aws), "\"900150983cd24fb0d6963f7d28e17f72\"");
  EXPECT_EQ(Eval("$parse('{\"a\":[1,2]}').a[1]", "null", aws), "2");
  EXPECT_EQ(Eval("$random(7) = $random(7)", "null", aws), "true");
  EXPECT_EQ(Eval("$random() < 1 and $random() >= 0", "null", aws), "true");
  EXPECT_EQ(Eval("$length($uuid())", "null", aws), "36");
  EXPECT_EQ(Eval("$eval('1+1')", "null", aws), "ERROR T1006");
  EXPECT_EQ(Eval("$hash('abc', 'SHA-3')", "null", aws), "ERROR T0410");
  // Outside the dialect the AWS functions do not exist and $eval does.
  EXPECT_EQ(Eval("$partition([1], 1)"), "ERROR T1006");
  EXPECT_EQ(Eval("$eval('1+1')"), "2");
}

TEST(JsonataTest, CompiledExpressionIsSharedAcrossThreads) {
  auto e = Expression::Compile("$sum($map(items, function($v){ $v * 2 }))");
  ASSERT_TRUE(e.ok());
  Json doc = J(R"({"items":[1,2,3,4]})");
  std::vector<std::thread> ts;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto r = e->Evaluate(doc, nullptr, {});
        if (r.ok() && r->has_value() && (*r)->get_int() == 20) ++ok;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 800);
  EXPECT_EQ(e->text(), "$sum($map(items, function($v){ $v * 2 }))");
}

TEST(JsonataTest, NowIsAnArgument) {
  EvalOptions opts;
  opts.now_millis = 1521801216617;
  EXPECT_EQ(Eval("$now()", "null", opts), "\"2018-03-23T10:33:36.617Z\"");
  EXPECT_EQ(Eval("$millis()", "null", opts), "1521801216617");
}

}  // namespace
}  // namespace stepline::jsonata

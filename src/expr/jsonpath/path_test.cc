#include "expr/jsonpath/path.h"

#include <gtest/gtest.h>

namespace stepline::expr {
namespace {

Json J(std::string_view text) {
  auto r = Json::Parse(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString() << " in " << text;
  return r.ok() ? *r : Json();
}

Path P(std::string_view text) {
  auto r = Path::Compile(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return std::move(r).value();
}

std::string Sel(std::string_view path, std::string_view doc) {
  auto r = P(path).Select(J(doc));
  if (!r.ok()) return "ERR " + r.status().name() + ": " + r.status().message();
  return r->Dump();
}

const char* kStore = R"({"store":{"book":[
  {"category":"reference","author":"Nigel Rees","title":"Sayings","price":8.95},
  {"category":"fiction","author":"Evelyn Waugh","title":"Sword","price":12.99},
  {"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553","price":8.99},
  {"category":"fiction","author":"J. R. R. Tolkien","title":"LOTR","isbn":"0-395","price":22.99}],
  "bicycle":{"color":"red","price":19.95}},"expensive":10})";

TEST(PathCompile, RootsAndDefiniteness) {
  EXPECT_EQ(P("$").root(), Path::Root::kInput);
  EXPECT_EQ(P("$$.Execution.Id").root(), Path::Root::kContext);
  Path v = P("$x.a[0]");
  EXPECT_EQ(v.root(), Path::Root::kVariable);
  EXPECT_EQ(v.variable(), "x");
  EXPECT_TRUE(v.is_definite());
  EXPECT_TRUE(P("$.a.b[3]['c']").is_definite());
  for (auto p : {"$.a[*]", "$.a[1:3]", "$.a[0,2]", "$..a", "$.a[?(@.b > 1)]", "$.*", "$['a','b'].c"}) {
    EXPECT_FALSE(P(p).is_definite()) << p;
  }
  EXPECT_EQ(P("$.a").text(), "$.a");
}

TEST(PathCompile, Errors) {
  for (auto p : {"", "a.b", "$.", "$.a[", "$.a[x]", "$['a'", "$.a[?(@.b >)]", "$.a.foo()", "$x-y.a"}) {
    auto r = Path::Compile(p);
    EXPECT_FALSE(r.ok()) << p;
    if (!r.ok()) {
      EXPECT_EQ(r.status().name(), "InvalidPath") << p;
    }
  }
}

TEST(PathSelect, DefiniteValues) {
  EXPECT_EQ(Sel("$", R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(Sel("$.store.bicycle.color", kStore), R"("red")");
  EXPECT_EQ(Sel("$['store']['book'][0].title", kStore), R"("Sayings")");
  EXPECT_EQ(Sel("$[\"store\"].book[-1].title", kStore), R"("LOTR")");
  EXPECT_EQ(Sel("$.a-b", R"({"a-b":2})"), "2");
  EXPECT_EQ(Sel("$.store.book.length()", kStore), "4");
  EXPECT_EQ(Sel("$[1]", "[5,6]"), "6");
}

TEST(PathSelect, TrailingPropertyUnionMergesAsJayway) {
  // Jayway: a union of names as the last token yields one merged object.
  EXPECT_TRUE(P("$.store.bicycle['color','price']").is_definite());
  EXPECT_EQ(Sel("$.store.bicycle['color','price','nope']", kStore), R"({"color":"red","price":19.95})");
}

TEST(PathSelect, JaywayMessages) {
  EXPECT_EQ(Sel("$.NoSuchOutputPath", R"({"int-literal":0})"),
            "ERR PathNotFound: No results for path: $['NoSuchOutputPath']");
  EXPECT_EQ(Sel("$.no.such.result.path", "{}"), "ERR PathNotFound: Missing property in path $['no']");
  EXPECT_EQ(Sel("$.a.b", R"({"a":{}})"), "ERR PathNotFound: No results for path: $['a']['b']");
  EXPECT_EQ(Sel("$.a[5].b", R"({"a":[1]})"), "ERR PathNotFound: No results for path: $['a'][5]['b']");
  EXPECT_EQ(Sel("$.a[0]", R"({"a":null})"), "ERR PathNotFound: The path $['a'] is null");
  auto r = P("$.a.b").Select(J(R"({"a":3})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.Integer'", 0), 0u)
      << r.status().message();
}

TEST(PathSelect, Indefinite) {
  EXPECT_EQ(Sel("$.store.book[*].author", kStore),
            R"(["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"])");
  EXPECT_EQ(Sel("$..author", kStore), R"(["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"])");
  EXPECT_EQ(Sel("$.store.*", kStore).substr(0, 2), "[[");
  EXPECT_EQ(Sel("$..price", kStore), "[8.95,12.99,8.99,22.99,19.95]");
  EXPECT_EQ(Sel("$.store.book[2:].title", kStore), R"(["Moby Dick","LOTR"])");
  EXPECT_EQ(Sel("$.store.book[-2:].title", kStore), R"(["Moby Dick","LOTR"])");
  EXPECT_EQ(Sel("$.store.book[:2].title", kStore), R"(["Sayings","Sword"])");
  EXPECT_EQ(Sel("$.store.book[1:3].title", kStore), R"(["Sword","Moby Dick"])");
  EXPECT_EQ(Sel("$.store.book[0,3].title", kStore), R"(["Sayings","LOTR"])");
  EXPECT_EQ(Sel("$.store.book[0,9].title", kStore), R"(["Sayings"])");
  EXPECT_EQ(Sel("$.store.book[?(@.isbn)].title", kStore), R"(["Moby Dick","LOTR"])");
  EXPECT_EQ(Sel("$.store.book[?(@.price < 10)].title", kStore), R"(["Sayings","Moby Dick"])");
  EXPECT_EQ(Sel("$.store.book[?(@.price <= 8.99 && @.category == 'fiction')].title", kStore), R"(["Moby Dick"])");
  EXPECT_EQ(Sel("$.store.book[?(@.price > 20 || @.author == \"Evelyn Waugh\")].title", kStore),
            R"(["Sword","LOTR"])");
  EXPECT_EQ(Sel("$.store.book[?(@.price > $.expensive)].title", kStore), R"(["Sword","LOTR"])");
  EXPECT_EQ(Sel("$.store.book[?(@.isbn != '0-553')].title", kStore), R"(["Sayings","Sword","LOTR"])");
  EXPECT_EQ(Sel("$..book[?(@.price >= 22.99)].price", kStore), "[22.99]");
  EXPECT_EQ(Sel("$.a[?(@.b == true)].c", R"({"a":[{"b":true,"c":1},{"b":false,"c":2},{"b":null,"c":3}]})"), "[1]");
  EXPECT_EQ(Sel("$.a[?(@.b == null)].c", R"({"a":[{"b":true,"c":1},{"b":null,"c":3}]})"), "[3]");
  EXPECT_EQ(Sel("$.a[?(@.b.length() > 1)].c", R"({"a":[{"b":[1],"c":1},{"b":[1,2],"c":2}]})"), "[2]");
  EXPECT_EQ(Sel("$.a[?(!@.b)].c", R"({"a":[{"b":1,"c":1},{"c":2}]})"), "[2]");
  EXPECT_EQ(Sel("$.a[?((@.b == 1 || @.b == 2) && @.c)].c", R"({"a":[{"b":1,"c":1},{"b":2},{"b":2,"c":3}]})"),
            "[1,3]");
}

TEST(PathSelect, IndefiniteMissingIsEmpty) {
  // Conformance cases test_json_path_array_wildcard_or_slice_with_no_input.
  for (auto p : {"$.item.items[1:5].itemValue", "$.item.items[1:]", "$.items[*].itemValue", "$[*]",
                 "$.items[:1].itemValue"}) {
    EXPECT_EQ(Sel(p, "{}"), "[]") << p;
  }
  EXPECT_EQ(Sel("$.a[*]", R"({"a":7})"), "[]");
}

TEST(PathSelect, FilterOnObjectTestsTheObjectAsJayway) {
  EXPECT_EQ(Sel("$.o[?(@.a == 1)]", R"({"o":{"a":1}})"), R"([{"a":1}])");
  EXPECT_EQ(Sel("$.users[?(@.status == 0)]", R"({"users":[{"year":1997,"status":0},{"year":1998,"status":1}]})"),
            R"([{"year":1997,"status":0}])");
}

TEST(PathSelect, QuotedKeyKeepsBackslashAsAws) {
  // AWS departs from current Jayway (which unescapes): conformance case
  // test_escape_sequence_parsing[ESCAPE_SEQUENCES_JSONPATH].
  EXPECT_EQ(Sel(R"($['Test\""Name"'])", R"({"Test\\\"\"Name\"": "Value\"\\"})"), R"("Value\"\\")");
}

TEST(PathSelect, DefiniteSharesNode) {
  Json doc = J(R"({"a":{"b":[1,2,{"c":"x"}]}})");
  auto r = P("$.a.b").Select(doc);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->node_identity(), doc.find("a")->find("b")->node_identity());
}

class Vars : public VariableLookup {
 public:
  const Json* Find(std::string_view name) const override { return name == "x" ? &x : nullptr; }
  Json x = J(R"({"a":[10,20]})");
};

TEST(PathEval, Roots) {
  Vars vars;
  Scope scope{J(R"({"in":1})"), J(R"({"Execution":{"Id":"e1"}})"), &vars, nullptr};
  EXPECT_EQ(P("$.in").Eval(scope)->Dump(), "1");
  EXPECT_EQ(P("$$.Execution.Id").Eval(scope)->Dump(), R"("e1")");
  EXPECT_EQ(P("$$").Eval(scope)->Dump(), R"({"Execution":{"Id":"e1"}})");
  EXPECT_EQ(P("$x.a[1]").Eval(scope)->Dump(), "20");
  EXPECT_EQ(P("$x").Eval(scope)->Dump(), R"({"a":[10,20]})");
  EXPECT_FALSE(P("$y.a").Eval(scope).ok());
}

TEST(PathPut, ReplacesCreatesAndShares) {
  Json doc = J(R"({"keep":{"big":[1,2,3]},"a":{"b":1,"other":{"z":1}}})");
  std::string before = doc.Dump();
  auto r = P("$.a.b").Put(doc, Json("new"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Dump(), R"({"keep":{"big":[1,2,3]},"a":{"b":"new","other":{"z":1}}})");
  EXPECT_EQ(doc.Dump(), before);  // the input is untouched
  // Untouched subtrees are the same nodes: no deep copy.
  EXPECT_EQ(r->find("keep")->node_identity(), doc.find("keep")->node_identity());
  EXPECT_EQ(r->find("a")->find("other")->node_identity(), doc.find("a")->find("other")->node_identity());
  EXPECT_NE(r->find("a")->node_identity(), doc.find("a")->node_identity());

  auto c = P("$.x.y.z").Put(doc, Json(5));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->find("x")->Dump(), R"({"y":{"z":5}})");
  EXPECT_EQ(c->find("keep")->node_identity(), doc.find("keep")->node_identity());

  auto whole = P("$").Put(doc, Json(7));
  EXPECT_EQ(whole->Dump(), "7");

  auto arr = P("$.keep.big[1]").Put(doc, Json("two"));
  ASSERT_TRUE(arr.ok());
  EXPECT_EQ(arr->find("keep")->Dump(), R"({"big":[1,"two",3]})");
}

TEST(PathPut, Conflicts) {
  auto r = P("$.partitioned").Put(Json("s"), Json(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), R"(Unable to apply ReferencePath $.partitioned to input "s")");
  EXPECT_FALSE(P("$.a.b").Put(J(R"({"a":1})"), Json(1)).ok());
  EXPECT_FALSE(P("$.a[*]").Put(J(R"({"a":[1]})"), Json(1)).ok());
  EXPECT_FALSE(P("$$.a").Put(J("{}"), Json(1)).ok());
}

}  // namespace
}  // namespace stepline::expr

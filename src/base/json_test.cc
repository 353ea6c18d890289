#include "base/json.h"

#include <gtest/gtest.h>

namespace stepline {
namespace {

TEST(Json, ParsesAndDumpsCompactly) {
  auto r = Json::Parse(R"( {"a": [1, 2.5, "x\n", true, null], "b": {"c": -3}} )");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Dump(), R"({"a":[1,2.5,"x\n",true,null],"b":{"c":-3}})");
}

TEST(Json, KeepsInsertionOrderAndLastDuplicateWins) {
  auto r = Json::Parse(R"({"z":1,"a":2,"z":3})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Dump(), R"({"z":3,"a":2})");
}

TEST(Json, RejectsMalformedAndTrailingData) {
  EXPECT_FALSE(Json::Parse("{").ok());
  EXPECT_FALSE(Json::Parse("[1] 2").ok());
  EXPECT_FALSE(Json::Parse("").ok());
  EXPECT_EQ(Json::Parse("{").status().name(), "InvalidJson");
}

TEST(Json, RejectsNestingBeyondTheLimit) {
  std::string deep(600, '[');
  deep += std::string(600, ']');
  EXPECT_FALSE(Json::Parse(deep).ok());
  std::string ok(100, '[');
  ok += std::string(100, ']');
  EXPECT_TRUE(Json::Parse(ok).ok());
}

TEST(Json, NumbersCompareByValueAndDoublesKeepAFraction) {
  EXPECT_EQ(Json(1), Json(1.0));
  EXPECT_NE(Json(1), Json("1"));
  EXPECT_EQ(Json(2.0).Dump(), "2.0");
  EXPECT_EQ(Json(0.1).Dump(), "0.1");
  auto big = Json::Parse("18446744073709551615");
  ASSERT_TRUE(big.ok());
  EXPECT_TRUE(big->is_double());
}

TEST(Json, CopyOnWriteSharesUntouchedChildren) {
  auto doc = *Json::Parse(R"({"big":{"x":[1,2,3]},"small":1})");
  Json copy = doc;
  EXPECT_EQ(copy.node_identity(), doc.node_identity());
  copy.Set("small", 2);
  EXPECT_NE(copy.node_identity(), doc.node_identity());
  EXPECT_EQ(copy.find("big")->node_identity(), doc.find("big")->node_identity());
  EXPECT_EQ(doc.find("small")->get_int(), 1);
  EXPECT_EQ(copy.find("small")->get_int(), 2);
}

TEST(Json, EscapesControlCharactersButNotSlashOrUnicode) {
  Json s(std::string("a/\x01\"\xc3\xa9"));
  EXPECT_EQ(s.Dump(), "\"a/\\u0001\\\"\xc3\xa9\"");
}

TEST(Json, EraseAndSizes) {
  Json o = Json::EmptyObject();
  o.Set("a", 1);
  o.Set("b", 2);
  EXPECT_TRUE(o.Erase("a"));
  EXPECT_FALSE(o.Erase("a"));
  EXPECT_EQ(o.size(), 1u);
  EXPECT_EQ(Json(5).size(), 0u);
}

TEST(Json, ShortStringsLiveInsideTheValueLongOnesAreShared) {
  const std::string fourteen(Json::kShortStringMax, 'a');
  const std::string fifteen(Json::kShortStringMax + 1, 'b');
  Json s(fourteen), l(fifteen);
  EXPECT_TRUE(s.is_string());
  EXPECT_EQ(s.type(), Json::Type::kString);
  EXPECT_EQ(s.get_string(), fourteen);
  EXPECT_EQ(s.node_identity(), nullptr);  // no node: copied by value
  EXPECT_EQ(l.get_string(), fifteen);
  ASSERT_NE(l.node_identity(), nullptr);
  Json l2 = l;
  EXPECT_EQ(l2.node_identity(), l.node_identity());  // shared, not copied
  Json s2 = s;
  EXPECT_EQ(s2.get_string(), fourteen);
  EXPECT_NE(s2.get_string().data(), s.get_string().data());
}

TEST(Json, ShortStringsSurviveMovesSwapsAndEmbeddedZeros) {
  Json a(std::string_view("x\0y", 3));
  Json b("a much longer string than fourteen bytes");
  a.Swap(b);
  EXPECT_EQ(b.get_string(), std::string_view("x\0y", 3));
  EXPECT_EQ(a.get_string(), "a much longer string than fourteen bytes");
  Json c = std::move(b);
  EXPECT_TRUE(b.is_null());
  EXPECT_EQ(c.get_string().size(), 3u);
  EXPECT_EQ(c.Dump(), "\"x\\u0000y\"");
  Json empty("");
  EXPECT_TRUE(empty.is_string());
  EXPECT_EQ(empty.get_string(), "");
  EXPECT_EQ(empty, Json(std::string()));
  EXPECT_NE(empty, Json());
}

TEST(Json, ParsedStringsOfEveryLengthRoundTrip) {
  std::string text = "[";
  for (size_t n = 0; n <= 40; ++n) text += (n ? ",\"" : "\"") + std::string(n, 'k') + "\"";
  text += "]";
  auto j = Json::Parse(text);
  ASSERT_TRUE(j.ok());
  ASSERT_EQ(j->size(), 41u);
  for (size_t n = 0; n <= 40; ++n) {
    EXPECT_EQ((*j)[n].get_string(), std::string(n, 'k'));
    EXPECT_EQ((*j)[n].node_identity() == nullptr, n <= Json::kShortStringMax);
  }
  EXPECT_EQ(j->Dump(), text);
  Json copy = *j;
  EXPECT_EQ(copy, *j);
}

TEST(Json, ParsesDoublesCorrectlyRounded) {
  // Boost.JSON's fast path read this as 119.13500000000001.
  auto j = Json::Parse("[119.13499999999999,0.1,1e300,2.2250738585072014e-308,-0.0,123456789012345678901234567890]");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)[0].get_double(), 119.13499999999999);
  EXPECT_NE((*j)[0].get_double(), 119.135);
  EXPECT_EQ(j->Dump(), "[119.13499999999999,0.1,1e+300,2.2250738585072014e-308,-0.0,1.2345678901234568e+29]");
}

TEST(Json, DumpsInEveryLayout) {
  auto j = Json::Parse(R"({"a":[1,{"b":null}],"c":{},"d":[]})");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->Dump(), R"({"a":[1,{"b":null}],"c":{},"d":[]})");
  EXPECT_EQ(j->DumpSpaced(), R"({"a": [1, {"b": null}], "c": {}, "d": []})");
  EXPECT_EQ(j->DumpPretty(1), "{\n \"a\": [\n  1,\n  {\n   \"b\": null\n  }\n ],\n \"c\": {},\n \"d\": []\n}");
}

}  // namespace
}  // namespace stepline

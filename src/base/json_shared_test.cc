#include "base/json_shared.h"

#include <gtest/gtest.h>

#include <string>

namespace stepline {
namespace {

Json Doc(int n) {
  Json items = Json::EmptyArray();
  for (int i = 0; i < n; ++i) {
    Json it = Json::EmptyObject();
    it.Set("at", "2026-11-22T10:00:00.000Z-" + std::to_string(i));
    items.Push(std::move(it));
  }
  Json doc = Json::EmptyObject();
  doc.Set("items", items);
  return doc;
}

TEST(JsonShared, ASharedDocumentIsWrittenOnceAndSharedAgainAfterUnpacking) {
  Json doc = Doc(100);
  Json tree = Json::EmptyObject();
  tree.Set("input", doc);
  Json frame = Json::EmptyObject();
  frame.Set("ri", doc);
  frame.Set("ef", doc);
  frame.Set("it", *doc.find("items"));
  tree.Set("root", frame);

  Json packed = PackShared(tree);
  EXPECT_LT(packed.Dump().size(), tree.Dump().size() / 2);
  EXPECT_EQ(packed.find("shared")->size(), 2u);  // the document and its items

  // Through text, as a store keeps it.
  auto back = UnpackShared(*Json::Parse(packed.Dump()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, tree);
  const Json& r = *back->find("root");
  EXPECT_EQ(back->find("input")->node_identity(), r.find("ri")->node_identity());
  EXPECT_EQ(r.find("it")->node_identity(), back->find("input")->find("items")->node_identity());
}

TEST(JsonShared, SmallOrUnsharedValuesStayInPlace) {
  Json small = *Json::Parse(R"({"a":1})");
  Json tree = Json::EmptyObject();
  tree.Set("x", small);
  tree.Set("y", small);
  tree.Set("z", Doc(50));
  Json packed = PackShared(tree);
  EXPECT_EQ(packed.find("shared")->size(), 0u);
  EXPECT_EQ(*packed.find("tree"), tree);
}

TEST(JsonShared, UserValuesThatLookLikeATableRoundTrip) {
  Json odd = *Json::Parse(R"({"tree":null,"shared":[],"links":[[-1,["x"],0]],"v":2})");
  Json big = Doc(20);
  big.Set("odd", odd);
  Json tree = Json::EmptyObject();
  tree.Set("a", big);
  tree.Set("b", big);
  tree.Set("c", odd);
  auto back = UnpackShared(*Json::Parse(PackShared(tree).Dump()));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, tree);
}

TEST(JsonShared, DamagedTablesAreErrorsNotCrashes) {
  for (const char* text : {
           R"({"tree":{},"shared":[],"links":[[-1,["x"],0]]})",            // no entry 0
           R"({"tree":{"x":1},"shared":[{}],"links":[[-1,["x"],0]]})",     // not a null
           R"({"tree":{},"shared":[{}],"links":[[-1,["x"],0]]})",          // no such key
           R"({"tree":[],"shared":[{}],"links":[[-1,[3],0]]})",            // no such index
           R"({"tree":null,"shared":[{"a":null}],"links":[[0,["a"],0],[-1,[],0]]})",  // a cycle
           R"({"tree":{},"shared":{},"links":[]})",
       }) {
    auto r = UnpackShared(*Json::Parse(text));
    EXPECT_FALSE(r.ok()) << text;
  }
}

}  // namespace
}  // namespace stepline

// What Parse computes beyond the model itself.

#include <gtest/gtest.h>

#include "asl/model.h"

namespace stepline::asl {
namespace {

bool StraightLine(const char* text) {
  auto j = Json::Parse(text);
  EXPECT_TRUE(j.ok());
  auto d = Parse(*j);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() && (*d)->straight_line;
}

TEST(Parse, StraightLineMeansNoCycleNoMapNoParallel) {
  // W4's shape: Pass, Choice forward, Pass, Succeed.
  EXPECT_TRUE(StraightLine(R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Next":"B"},
    "B":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":1,"Next":"C"}],"Default":"D"},
    "C":{"Type":"Pass","Next":"D"},"D":{"Type":"Succeed"}}})"));
  // A Choice loop.
  EXPECT_FALSE(StraightLine(R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Next":"B"},
    "B":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":1,"Next":"A"}],"Default":"D"},
    "D":{"Type":"Succeed"}}})"));
  // A loop through a Catch.
  EXPECT_FALSE(StraightLine(R"({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
         "Catch":[{"ErrorEquals":["States.ALL"],"Next":"P"}],"End":true},
    "P":{"Type":"Pass","Next":"T"}}})"));
  // Map and Parallel can hold any amount of work.
  EXPECT_FALSE(StraightLine(R"({"StartAt":"M","States":{"M":{"Type":"Map",
    "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})"));
  EXPECT_FALSE(StraightLine(R"({"StartAt":"P","States":{"P":{"Type":"Parallel",
    "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}],"End":true}}})"));
}

}  // namespace
}  // namespace stepline::asl

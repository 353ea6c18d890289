#include "history/event.h"
#include "history/codec.h"

#include <gtest/gtest.h>

namespace stepline::history {
namespace {

TEST(Event, NamesRoundTripForEveryType) {
  for (size_t i = 0; i < static_cast<size_t>(EventType::kCount); ++i) {
    auto t = static_cast<EventType>(i);
    auto back = EventTypeFromName(EventTypeName(t));
    ASSERT_TRUE(back.has_value()) << EventTypeName(t);
    EXPECT_EQ(*back, t);
  }
  EXPECT_EQ(static_cast<size_t>(EventType::kCount), 62u);  // AWS's HistoryEventType has 62 values
  EXPECT_FALSE(EventTypeFromName("NoSuchEvent"));
}

TEST(Event, RendersStateEnteredWithInputAsText) {
  Event e;
  e.type = EventType::kPassStateEntered;
  e.id = 2;
  e.previous_id = 0;
  e.name = "A";
  e.data = *Json::Parse(R"({"x":1})");
  e.has_data = true;
  Json r = RenderEvent(e);
  EXPECT_EQ(r.find("type")->get_string(), "PassStateEntered");
  const Json* d = r.find("stateEnteredEventDetails");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->find("input")->get_string(), R"({"x":1})");
  EXPECT_EQ(d->find("name")->get_string(), "A");
  Json without = RenderEvent(e, false);
  EXPECT_EQ(without.find("stateEnteredEventDetails")->find("input"), nullptr);
}

// ExecutionStartedEventDetails has roleArn and, for a start through a version
// or alias, stateMachineVersionArn / stateMachineAliasArn; no stateMachineArn.
TEST(Event, ExecutionStartedNamesOnlyAVersionOrAlias) {
  auto details = [](const std::string& sm) {
    Event e;
    e.type = EventType::kExecutionStarted;
    e.extra = "arn:aws:iam::123456789012:role/r";
    e.extra2 = sm;
    return *RenderEvent(e).find("executionStartedEventDetails");
  };
  const std::string base = "arn:aws:states:us-east-1:123456789012:stateMachine:sm";
  Json plain = details(base);
  EXPECT_EQ(plain.find("roleArn")->get_string(), "arn:aws:iam::123456789012:role/r");
  EXPECT_EQ(plain.find("stateMachineArn"), nullptr);
  EXPECT_EQ(plain.find("stateMachineVersionArn"), nullptr);
  EXPECT_EQ(details(base + ":3").find("stateMachineVersionArn")->get_string(), base + ":3");
  EXPECT_EQ(details(base + ":prod").find("stateMachineAliasArn")->get_string(), base + ":prod");
}

TEST(Event, EventsWithoutDetailsHaveNoDetailsMember) {
  Event e;
  e.type = EventType::kParallelStateStarted;
  Json r = RenderEvent(e);
  EXPECT_EQ(r.size(), 4u);
}

}  // namespace
}  // namespace stepline::history

namespace stepline::history {
namespace {

// The store writes events with AppendEncodedEvent and reads them with
// DecodeEvent: the text must be EncodeEvent's, member for member.
TEST(Codec, AppendEncodedEventWritesEncodeEventsText) {
  Event full;
  full.type = EventType::kTaskFailed;
  full.id = 12;
  full.previous_id = 11;
  full.timestamp = 1700000000123456;
  full.name = "Say \"hi\"\n";
  full.data = Json(Json::Object{{"a", Json(1)}, {"b", Json("x\u00e9")}});
  full.has_data = true;
  full.error = "States.TaskFailed";
  full.has_error = true;
  full.cause = "";
  full.has_cause = true;
  full.index = 3;
  full.timeout_s = 30;
  full.heartbeat_s = 5;
  full.resource_type = "lambda";
  full.resource = "invoke";
  full.extra = "us-east-1";
  full.extra2 = "arn:x";
  full.assigned = Json(Json::Object{{"v", Json(2)}});
  Event minimal;
  minimal.type = EventType::kExecutionStarted;
  minimal.id = 1;
  for (const Event* e : {&full, &minimal}) {
    std::string text = "prefix";
    AppendEncodedEvent(text, *e);
    EXPECT_EQ(text, "prefix" + EncodeEvent(*e).Dump());
    auto back = DecodeEvent(*Json::Parse(text.substr(6)));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(EncodeEvent(*back).Dump(), EncodeEvent(*e).Dump());
  }
}

}  // namespace
}  // namespace stepline::history

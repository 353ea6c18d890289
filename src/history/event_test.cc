#include "history/event.h"

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

TEST(Event, EventsWithoutDetailsHaveNoDetailsMember) {
  Event e;
  e.type = EventType::kParallelStateStarted;
  Json r = RenderEvent(e);
  EXPECT_EQ(r.size(), 4u);
}

}  // namespace
}  // namespace stepline::history

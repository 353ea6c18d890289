#include "base/time.h"

#include <gtest/gtest.h>

#include "base/random.h"

namespace stepline {
namespace {

TEST(Time, FormatsMillisecondsUtc) {
  EXPECT_EQ(FormatIsoMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoMillis(1710381540123456), "2024-03-14T01:59:00.123Z");
}

TEST(Time, ParsesZuluFractionsAndOffsets) {
  EXPECT_EQ(ParseIsoTimestamp("2024-03-14T01:59:00Z"), 1710381540 * kMicrosPerSecond);
  EXPECT_EQ(ParseIsoTimestamp("2024-03-14T01:59:00.5Z"), 1710381540 * kMicrosPerSecond + 500000);
  EXPECT_EQ(ParseIsoTimestamp("2024-03-14T02:59:00+01:00"), 1710381540 * kMicrosPerSecond);
}

TEST(Time, RejectsWhatIsNotAnOffsetDateTime) {
  EXPECT_FALSE(ParseIsoTimestamp("2024-03-14"));
  EXPECT_FALSE(ParseIsoTimestamp("2024-03-14T01:59:00"));  // no offset
  EXPECT_FALSE(ParseIsoTimestamp("2024-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseIsoTimestamp("2024-03-14T25:00:00Z"));
  EXPECT_FALSE(ParseIsoTimestamp("2024-03-14T01:59:00Zjunk"));
}

TEST(Random, SeededIsDeterministicAndUuidsAreV4) {
  SeededRandom a(42), b(42);
  EXPECT_EQ(a.NextU64(), b.NextU64());
  std::string u = MakeUuid(a);
  ASSERT_EQ(u.size(), 36u);
  EXPECT_EQ(u[14], '4');
  EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
  for (int i = 0; i < 1000; ++i) {
    int64_t v = a.NextInRange(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
  }
}

}  // namespace
}  // namespace stepline

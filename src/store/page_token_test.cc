#include "store/page_token.h"

#include <gtest/gtest.h>

#include "store/store.h"

namespace stepline::store {
namespace {

TEST(PageToken, RoundTripsKeysWithColonsAndNegativeNumbers) {
  for (PageKey key : {PageKey{0, "a"}, PageKey{-5, "arn:aws:states:us-east-1:1:execution:sm:ü"},
                      PageKey{INT64_MAX, std::string(300, 'x')}, PageKey{INT64_MIN, "x:y"}}) {
    std::string token = EncodePageToken("e", key);
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);  // safe in JSON and URLs as it is
    auto back = DecodePageToken("e", token);
    ASSERT_TRUE(back.has_value()) << token;
    EXPECT_EQ(back->number, key.number);
    EXPECT_EQ(back->arn, key.arn);
  }
}

TEST(PageToken, RejectsOtherTagsAndDamage) {
  std::string token = EncodePageToken("r", {42, "arn:x"});
  EXPECT_FALSE(DecodePageToken("e", token).has_value());
  EXPECT_FALSE(DecodePageToken("r", "").has_value());
  EXPECT_FALSE(DecodePageToken("r", token.substr(0, token.size() - 1)).has_value());
  EXPECT_FALSE(DecodePageToken("r", token + "A").has_value());
  EXPECT_FALSE(DecodePageToken("r", "=" + token).has_value());
  for (size_t i = 0; i < token.size(); ++i) {
    std::string bad = token;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(DecodePageToken("r", bad).has_value()) << "changed position " << i;
  }
}

TEST(PageToken, EffectivePageSize) {
  EXPECT_EQ(EffectivePageSize(0), kDefaultPageSize);
  EXPECT_EQ(EffectivePageSize(1), 1u);
  EXPECT_EQ(EffectivePageSize(kMaxPageSize + 1), kMaxPageSize);
}

}  // namespace
}  // namespace stepline::store

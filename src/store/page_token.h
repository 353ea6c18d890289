#pragma once
// Opaque pagination tokens shared by the backends: base64url of
// "<tag>:<number>:<arn>" (the last key of the previous page) and a 4-byte
// checksum. The tag keeps a token from one listing being accepted by another.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepline::store {

struct PageKey {
  int64_t number = 0;  // creation or start time
  std::string arn;
};

std::string EncodePageToken(std::string_view tag, const PageKey& key);
// nullopt when the token is not one EncodePageToken made with this tag.
std::optional<PageKey> DecodePageToken(std::string_view tag, std::string_view token);

// max 0 → kDefaultPageSize; capped at kMaxPageSize.
size_t EffectivePageSize(size_t max);

}  // namespace stepline::store

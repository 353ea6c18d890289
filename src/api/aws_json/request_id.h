#pragma once
// x-amzn-RequestId values: random version-4 UUIDs, without allocating.
// Thread-safe (one generator per thread).

#include <array>

namespace stepline::api::aws_json {

std::array<char, 36> NewRequestId();

}  // namespace stepline::api::aws_json

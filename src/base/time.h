#pragma once
// Time is an argument, never read inside the interpreter (DESIGN invariant 1).
// All instants are microseconds since the Unix epoch, UTC.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepline {

using Micros = int64_t;
constexpr Micros kMicrosPerSecond = 1'000'000;

// The clock seen by code that does I/O (the CLI driver, the server); tests inject a fake.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Micros Now() = 0;
};
class SystemClock final : public Clock {
 public:
  Micros Now() override;
};

// "2024-01-02T03:04:05.678Z": the form AWS uses in the context object.
std::string FormatIsoMillis(Micros t);
// ISO-8601 extended offset date-time as Step Functions accepts it in Wait
// Timestamp fields: "2016-03-14T01:59:00Z", fractions, and +hh:mm offsets.
std::optional<Micros> ParseIsoTimestamp(std::string_view s);

}  // namespace stepline

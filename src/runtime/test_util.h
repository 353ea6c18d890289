#pragma once
// Helpers shared by the runtime's tests (not part of the library).

#include <gtest/gtest.h>

#include <memory>
#include <string_view>

#include "asl/model.h"
#include "runtime/execution.h"

namespace stepline::runtime::testing {

inline constexpr Micros kT0 = 1'700'000'000'000'000;

// Parses and compiles a definition; a failure fails the calling test.
inline std::shared_ptr<const asl::Definition> Def(std::string_view text) {
  auto j = Json::Parse(text);
  EXPECT_TRUE(j.ok()) << j.status().ToString();
  if (!j.ok()) return nullptr;
  auto d = asl::Parse(*j);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() ? *d : nullptr;
}

inline ExecutionInfo Info() {
  ExecutionInfo i;
  i.name = "e1";
  i.execution_arn = "arn:aws:states:us-east-1:123456789012:execution:sm:e1";
  i.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:sm";
  i.state_machine_name = "sm";
  return i;
}

}  // namespace stepline::runtime::testing

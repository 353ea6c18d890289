#pragma once
// The States.* error names and how Retry/Catch match them.

#include <string>
#include <string_view>
#include <vector>

namespace stepline::runtime {

inline constexpr const char* kErrAll = "States.ALL";
inline constexpr const char* kErrTaskFailed = "States.TaskFailed";
inline constexpr const char* kErrTimeout = "States.Timeout";
inline constexpr const char* kErrHeartbeatTimeout = "States.HeartbeatTimeout";
inline constexpr const char* kErrRuntime = "States.Runtime";
inline constexpr const char* kErrDataLimitExceeded = "States.DataLimitExceeded";
inline constexpr const char* kErrNoChoiceMatched = "States.NoChoiceMatched";
inline constexpr const char* kErrResultPathMatchFailure = "States.ResultPathMatchFailure";
inline constexpr const char* kErrParameterPathFailure = "States.ParameterPathFailure";
inline constexpr const char* kErrIntrinsicFailure = "States.IntrinsicFailure";
inline constexpr const char* kErrBranchFailed = "States.BranchFailed";
inline constexpr const char* kErrExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold";
inline constexpr const char* kErrItemReaderFailed = "States.ItemReaderFailed";
inline constexpr const char* kErrResultWriterFailed = "States.ResultWriterFailed";
inline constexpr const char* kErrQueryEvaluationError = "States.QueryEvaluationError";

// States.Runtime and States.DataLimitExceeded end the execution: no Retry or
// Catch sees them, not even States.ALL (AWS developer guide, "Error names").
inline bool IsCatchable(std::string_view error) {
  return error != kErrRuntime && error != kErrDataLimitExceeded;
}

// Whether a Retrier's or Catcher's ErrorEquals list matches `error`.
inline bool ErrorMatches(const std::vector<std::string>& names, std::string_view error) {
  for (const auto& n : names) {
    if (n == error) return true;
    if (n == kErrAll) return true;
    // States.TaskFailed matches any known error except States.Timeout.
    if (n == kErrTaskFailed && error != kErrTimeout) return true;
  }
  return false;
}

}  // namespace stepline::runtime

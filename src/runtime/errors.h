#pragma once
// The States.* error names and how Retry/Catch match them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stepline::runtime {

// AWS's limit on a state's input, output and a task's result.
inline constexpr size_t kMaxPayloadBytes = 256 * 1024;
// AWS's limits on workflow variables: one variable, all variables of one
// Assign, and all variables an execution stores (serialized JSON bytes).
inline constexpr size_t kMaxVariableBytes = 256 * 1024;
inline constexpr size_t kMaxAssignBytes = 256 * 1024;
inline constexpr size_t kMaxExecutionVariableBytes = 10 * 1024 * 1024;

// AWS's hard quota on a Standard execution's history: event 25,000 may only
// end the execution; any other event there fails it (States.Runtime).
inline constexpr int64_t kMaxHistoryEvents = 25000;
inline constexpr const char* kCauseHistoryLimit =
    "The execution reached the maximum number of history events (25000).";

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

// States.Runtime ends the execution: no Retry or Catch sees it, not even
// States.ALL. (The developer guide says the same of States.DataLimitExceeded,
// but AWS lets States.ALL catch an oversized task result: recorded case
// test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response.)
inline bool IsCatchable(std::string_view error) { return error != kErrRuntime; }

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

#pragma once
// History events as AWS Step Functions records them. Events are stored lean
// (payloads as shared Json, not text) and rendered to AWS's JSON shape only
// when someone reads the history.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/time.h"

namespace stepline::history {

// X(Name, detailsKey): AWS's HistoryEventType and the member holding its details
// ("" when the event has none).
#define STEPLINE_EVENT_TYPES(X)                                          \
  X(ActivityFailed, activityFailedEventDetails)                         \
  X(ActivityScheduled, activityScheduledEventDetails)                   \
  X(ActivityScheduleFailed, activityScheduleFailedEventDetails)         \
  X(ActivityStarted, activityStartedEventDetails)                       \
  X(ActivitySucceeded, activitySucceededEventDetails)                   \
  X(ActivityTimedOut, activityTimedOutEventDetails)                     \
  X(ChoiceStateEntered, stateEnteredEventDetails)                       \
  X(ChoiceStateExited, stateExitedEventDetails)                         \
  X(ExecutionAborted, executionAbortedEventDetails)                     \
  X(ExecutionFailed, executionFailedEventDetails)                       \
  X(ExecutionStarted, executionStartedEventDetails)                     \
  X(ExecutionSucceeded, executionSucceededEventDetails)                 \
  X(ExecutionTimedOut, executionTimedOutEventDetails)                   \
  X(FailStateEntered, stateEnteredEventDetails)                         \
  X(LambdaFunctionFailed, lambdaFunctionFailedEventDetails)             \
  X(LambdaFunctionScheduled, lambdaFunctionScheduledEventDetails)       \
  X(LambdaFunctionScheduleFailed, lambdaFunctionScheduleFailedEventDetails) \
  X(LambdaFunctionStarted, )                                            \
  X(LambdaFunctionStartFailed, lambdaFunctionStartFailedEventDetails)   \
  X(LambdaFunctionSucceeded, lambdaFunctionSucceededEventDetails)       \
  X(LambdaFunctionTimedOut, lambdaFunctionTimedOutEventDetails)         \
  X(MapIterationAborted, mapIterationAbortedEventDetails)               \
  X(MapIterationFailed, mapIterationFailedEventDetails)                 \
  X(MapIterationStarted, mapIterationStartedEventDetails)               \
  X(MapIterationSucceeded, mapIterationSucceededEventDetails)           \
  X(MapStateAborted, )                                                  \
  X(MapStateEntered, stateEnteredEventDetails)                          \
  X(MapStateExited, stateExitedEventDetails)                            \
  X(MapStateFailed, )                                                   \
  X(MapStateStarted, mapStateStartedEventDetails)                       \
  X(MapStateSucceeded, )                                                \
  X(ParallelStateAborted, )                                             \
  X(ParallelStateEntered, stateEnteredEventDetails)                     \
  X(ParallelStateExited, stateExitedEventDetails)                       \
  X(ParallelStateFailed, )                                              \
  X(ParallelStateStarted, )                                             \
  X(ParallelStateSucceeded, )                                           \
  X(PassStateEntered, stateEnteredEventDetails)                         \
  X(PassStateExited, stateExitedEventDetails)                           \
  X(SucceedStateEntered, stateEnteredEventDetails)                      \
  X(SucceedStateExited, stateExitedEventDetails)                        \
  X(TaskFailed, taskFailedEventDetails)                                 \
  X(TaskScheduled, taskScheduledEventDetails)                           \
  X(TaskStarted, taskStartedEventDetails)                               \
  X(TaskStartFailed, taskStartFailedEventDetails)                       \
  X(TaskStateAborted, )                                                 \
  X(TaskStateEntered, stateEnteredEventDetails)                         \
  X(TaskStateExited, stateExitedEventDetails)                           \
  X(TaskSubmitFailed, taskSubmitFailedEventDetails)                     \
  X(TaskSubmitted, taskSubmittedEventDetails)                           \
  X(TaskSucceeded, taskSucceededEventDetails)                           \
  X(TaskTimedOut, taskTimedOutEventDetails)                             \
  X(WaitStateAborted, )                                                 \
  X(WaitStateEntered, stateEnteredEventDetails)                         \
  X(WaitStateExited, stateExitedEventDetails)                           \
  X(MapRunAborted, )                                                    \
  X(MapRunFailed, mapRunFailedEventDetails)                             \
  X(MapRunStarted, mapRunStartedEventDetails)                           \
  X(MapRunSucceeded, )                                                  \
  X(ExecutionRedriven, executionRedrivenEventDetails)                   \
  X(MapRunRedriven, mapRunRedrivenEventDetails)                         \
  X(EvaluationFailed, evaluationFailedEventDetails)

enum class EventType : uint8_t {
#define STEPLINE_ENUM(name, details) k##name,
  STEPLINE_EVENT_TYPES(STEPLINE_ENUM)
#undef STEPLINE_ENUM
      kCount
};

const char* EventTypeName(EventType t);
// The HistoryEvent member holding the type's details ("" when it has none).
const char* EventDetailsKey(EventType t);
std::optional<EventType> EventTypeFromName(std::string_view name);

// One recorded event. Fields unused by a type stay empty.
struct Event {
  EventType type{};
  int64_t id = 0;
  int64_t previous_id = 0;
  Micros timestamp = 0;
  std::string name;        // state name (state events), map iteration name
  Json data;               // input or output payload, or task parameters
  bool has_data = false;
  std::string error, cause;
  bool has_error = false, has_cause = false;
  int64_t index = -1;      // map length / iteration index
  int64_t timeout_s = -1;  // timeoutInSeconds
  int64_t heartbeat_s = -1;
  std::string resource_type, resource;
  std::string extra;       // roleArn, region, workerName or mapRunArn, by type
  std::string extra2;      // stateMachineArn (ExecutionStarted)
  Json assigned;           // assignedVariables (StateExited), when set
};

// An execution's history. A deque: appending never moves recorded events, so
// a reference to the newest event stays valid while it is filled in.
using EventLog = std::deque<Event>;

// Renders an event in the shape of GetExecutionHistory's HistoryEvent.
// `include_data` false omits inputs/outputs as includeExecutionData=false does.
Json RenderEvent(const Event& e, bool include_data = true);

}  // namespace stepline::history

#include "history/event.h"

#include <algorithm>
#include <cstring>

namespace stepline::history {

namespace {
struct TypeInfo {
  const char* name;
  const char* details;
};
constexpr TypeInfo kTypes[] = {
#define STEPLINE_INFO(name, details) {#name, #details},
    STEPLINE_EVENT_TYPES(STEPLINE_INFO)
#undef STEPLINE_INFO
};
static_assert(sizeof(kTypes) / sizeof(kTypes[0]) == static_cast<size_t>(EventType::kCount));

Json PayloadDetails(bool truncated) {
  Json d = Json::EmptyObject();
  d.Set("truncated", truncated);
  return d;
}
}  // namespace

const char* EventTypeName(EventType t) { return kTypes[static_cast<size_t>(t)].name; }
const char* EventDetailsKey(EventType t) { return kTypes[static_cast<size_t>(t)].details; }

std::optional<EventType> EventTypeFromName(std::string_view name) {
  for (size_t i = 0; i < static_cast<size_t>(EventType::kCount); ++i)
    if (name == kTypes[i].name) return static_cast<EventType>(i);
  return std::nullopt;
}

Json RenderEvent(const Event& e, bool include_data) {
  using T = EventType;
  Json ev = Json::EmptyObject();
  ev.Set("timestamp", static_cast<double>(e.timestamp) / 1e6);
  ev.Set("type", EventTypeName(e.type));
  ev.Set("id", e.id);
  ev.Set("previousEventId", e.previous_id);
  const char* key = EventDetailsKey(e.type);
  if (!*key) return ev;

  Json d = Json::EmptyObject();
  auto put_payload = [&](const char* field, const char* details_field) {
    if (!e.has_data || !include_data) return;
    d.Set(field, e.data.Dump());
    d.Set(details_field, PayloadDetails(false));
  };
  auto put_error = [&] {
    if (e.has_error) d.Set("error", e.error);
    if (e.has_cause) d.Set("cause", e.cause);
  };
  auto put_resource = [&] {
    if (!e.resource_type.empty()) d.Set("resourceType", e.resource_type);
    if (!e.resource.empty()) d.Set("resource", e.resource);
  };
  switch (e.type) {
    case T::kExecutionStarted:
      put_payload("input", "inputDetails");
      if (!e.extra.empty()) d.Set("roleArn", e.extra);
      // AWS names the version (or alias) an execution was started through;
      // an unqualified state machine ARN is not part of the details.
      if (std::count(e.extra2.begin(), e.extra2.end(), ':') == 7) {
        const std::string_view q = std::string_view(e.extra2).substr(e.extra2.rfind(':') + 1);
        const bool version = !q.empty() && q.find_first_not_of("0123456789") == std::string_view::npos;
        d.Set(version ? "stateMachineVersionArn" : "stateMachineAliasArn", e.extra2);
      }
      break;
    case T::kExecutionSucceeded: put_payload("output", "outputDetails"); break;
    case T::kExecutionFailed:
    case T::kExecutionAborted:
    case T::kExecutionTimedOut:
    case T::kLambdaFunctionFailed:
    case T::kLambdaFunctionTimedOut:
    case T::kLambdaFunctionScheduleFailed:
    case T::kLambdaFunctionStartFailed:
    case T::kActivityFailed:
    case T::kActivityTimedOut:
    case T::kActivityScheduleFailed:
    case T::kMapRunFailed: put_error(); break;
    case T::kChoiceStateEntered:
    case T::kFailStateEntered:
    case T::kMapStateEntered:
    case T::kParallelStateEntered:
    case T::kPassStateEntered:
    case T::kSucceedStateEntered:
    case T::kTaskStateEntered:
    case T::kWaitStateEntered:
      d.Set("name", e.name);
      put_payload("input", "inputDetails");
      break;
    case T::kChoiceStateExited:
    case T::kMapStateExited:
    case T::kParallelStateExited:
    case T::kPassStateExited:
    case T::kSucceedStateExited:
    case T::kTaskStateExited:
    case T::kWaitStateExited:
      d.Set("name", e.name);
      put_payload("output", "outputDetails");
      if (e.assigned.is_object()) {
        d.Set("assignedVariables", e.assigned);
        d.Set("assignedVariablesDetails", PayloadDetails(false));
      }
      break;
    case T::kMapStateStarted: d.Set("length", e.index); break;
    case T::kMapIterationStarted:
    case T::kMapIterationSucceeded:
    case T::kMapIterationFailed:
    case T::kMapIterationAborted:
      d.Set("name", e.name);
      d.Set("index", e.index);
      break;
    case T::kLambdaFunctionScheduled:
      d.Set("resource", e.resource);
      put_payload("input", "inputDetails");
      if (e.timeout_s >= 0) d.Set("timeoutInSeconds", e.timeout_s);
      break;
    case T::kLambdaFunctionSucceeded:
    case T::kActivitySucceeded: put_payload("output", "outputDetails"); break;
    case T::kActivityScheduled:
      d.Set("resource", e.resource);
      put_payload("input", "inputDetails");
      if (e.timeout_s >= 0) d.Set("timeoutInSeconds", e.timeout_s);
      if (e.heartbeat_s >= 0) d.Set("heartbeatInSeconds", e.heartbeat_s);
      break;
    case T::kActivityStarted:
      if (!e.extra.empty()) d.Set("workerName", e.extra);
      break;
    case T::kTaskScheduled:
      put_resource();
      if (!e.extra.empty()) d.Set("region", e.extra);
      if (e.has_data) d.Set("parameters", include_data ? e.data.Dump() : std::string());
      if (e.timeout_s >= 0) d.Set("timeoutInSeconds", e.timeout_s);
      if (e.heartbeat_s >= 0) d.Set("heartbeatInSeconds", e.heartbeat_s);
      break;
    case T::kTaskStarted:
    case T::kTaskSubmitted:
      put_resource();
      put_payload("output", "outputDetails");
      break;
    case T::kTaskSucceeded:
      put_resource();
      put_payload("output", "outputDetails");
      break;
    case T::kTaskFailed:
    case T::kTaskTimedOut:
    case T::kTaskStartFailed:
    case T::kTaskSubmitFailed:
      put_resource();
      put_error();
      break;
    case T::kMapRunStarted: d.Set("mapRunArn", e.extra); break;
    case T::kExecutionRedriven:
    case T::kMapRunRedriven: d.Set("redriveCount", e.index); break;
    case T::kEvaluationFailed:
      put_error();
      if (!e.name.empty()) d.Set("state", e.name);
      if (!e.extra.empty()) d.Set("location", e.extra);
      break;
    default: break;
  }
  ev.Set(key, std::move(d));
  return ev;
}

}  // namespace stepline::history

#pragma once
// What the HTTP API calls: one entry point for the 37 operations of the AWS
// Step Functions JSON API. Implemented by the service; faked in API tests.

#include <functional>
#include <string>

#include "base/json.h"
#include "base/status.h"

namespace stepline::service {

// Called exactly once per request, possibly later and from another thread
// (GetActivityTask long-polls, StartSyncExecution waits for the end).
using Reply = std::function<void(Result<Json>)>;

class Operations {
 public:
  virtual ~Operations() = default;
  // `operation` is the name after "AWSStepFunctions." in X-Amz-Target; the
  // request has already been validated against the service model's shapes.
  // Errors: Status named by AWS's error code ("StateMachineDoesNotExist",
  // "ExecutionAlreadyExists", "ValidationException", ...) with its message.
  virtual void Call(const std::string& operation, Json request, Reply done) = 0;
};

}  // namespace stepline::service

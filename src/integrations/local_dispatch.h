#pragma once
// Serves task requests in-process for the command line: Lambda resources go
// to local functions; anything else fails the task with a clear error.
// Thread-safe.

#include <memory>

#include "integrations/lambda/local_functions.h"
#include "runtime/execution.h"

namespace stepline::integrations {

class LocalDispatcher {
 public:
  explicit LocalDispatcher(std::shared_ptr<const LocalFunctions> functions) : functions_(std::move(functions)) {}
  // Blocks while the work runs; call it from a worker thread.
  InvokeOutcome Run(const runtime::TaskRequest& task) const;

 private:
  std::shared_ptr<const LocalFunctions> functions_;
};

// Wraps a function's result the way arn:aws:states:::lambda:invoke returns it;
// `payload_bytes` is the raw payload's size (its Content-Length).
Json WrapLambdaInvokeResult(const Json& payload, size_t payload_bytes, const std::string& request_id,
                            const std::string& date);

}  // namespace stepline::integrations

#pragma once
// Lambda resources served by local programs, named in a functions file:
//   {"functions": {"NAME": {"command": ["prog", "arg"]}}}
// The event JSON goes to the program's stdin, and the invocation's Lambda
// request id (a random UUID, one per invocation) to its environment as
// STEPLINE_LAMBDA_REQUEST_ID. The program prints its result payload and exits
// 0, or exits non-zero and prints an error document
// {"errorMessage","errorType","requestId","stackTrace"} (errorType required).
// Thread-safe: Invoke may be called from several threads at once.

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/status.h"

namespace stepline::integrations {

// The environment variable carrying the invocation's request id.
inline constexpr const char* kRequestIdEnv = "STEPLINE_LAMBDA_REQUEST_ID";
// AWS's limit on a function's result payload, checked on the raw bytes.
inline constexpr size_t kMaxResultPayloadBytes = 256 * 1024;

// The Step Functions resource that invokes the function: AWS words errors differently for each.
enum class LambdaApi {
  kFunctionArn,   // "Resource": "arn:aws:lambda:REGION:ACCOUNT:function:NAME"
  kLambdaInvoke,  // "Resource": "arn:aws:states:::lambda:invoke"
};

struct InvokeOutcome {
  bool ok = false;
  Json payload;              // the function's result (ok)
  size_t payload_bytes = 0;  // the raw result's size in bytes, as Lambda's Content-Length counts it (ok)
  std::string request_id;    // the invocation's Lambda request id (empty if nothing was invoked)
  std::string error;         // AWS's error name (failure)
  std::string cause;         // AWS's cause text (failure)
};

class LocalFunctions {
 public:
  static Result<LocalFunctions> Load(const std::string& path);
  static Result<LocalFunctions> FromJson(const Json& config);

  bool Has(const std::string& name) const { return functions_.count(name) > 0; }
  // Runs the function named `name` with `event`. A function that is not
  // configured fails like AWS does for a missing function.
  InvokeOutcome Invoke(const std::string& name, const std::string& function_arn, const Json& event,
                       LambdaApi api = LambdaApi::kFunctionArn) const;

 private:
  std::map<std::string, std::vector<std::string>> functions_;
};

// The function name in a Lambda ARN or a bare name: "arn:aws:lambda:r:a:function:NAME[:QUAL]" → NAME.
std::string FunctionNameOf(const std::string& arn_or_name);

// A fresh Lambda request id: a random version-4 UUID. Thread-safe.
std::string NewLambdaRequestId();

// Runs a program with `input` on stdin; captures stdout. Not a shell: argv as given.
// `env` entries (NAME, VALUE) are added to the inherited environment, replacing
// any variable of the same name.
struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv, const std::string& input,
                                 const std::vector<std::pair<std::string, std::string>>& env = {});

}  // namespace stepline::integrations

#pragma once
// Lambda resources served by local programs, named in a functions file:
//   {"functions": {"NAME": {"command": ["prog", "arg"]}}}
// The event JSON goes to the program's stdin; it prints the result JSON and
// exits 0, or exits non-zero and prints {"errorType","errorMessage","stackTrace"}.
// Thread-safe: Invoke may be called from several threads at once.

#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/status.h"

namespace stepline::integrations {

struct InvokeOutcome {
  bool ok = false;
  Json payload;       // the function's result (ok)
  std::string error;  // AWS's error name (failure)
  std::string cause;  // AWS's cause text (failure)
};

class LocalFunctions {
 public:
  static Result<LocalFunctions> Load(const std::string& path);
  static Result<LocalFunctions> FromJson(const Json& config);

  bool Has(const std::string& name) const { return functions_.count(name) > 0; }
  // Runs the function named `name` with `event`. A function that is not
  // configured fails like AWS does for a missing function.
  InvokeOutcome Invoke(const std::string& name, const std::string& function_arn, const Json& event) const;

 private:
  std::map<std::string, std::vector<std::string>> functions_;
};

// The function name in a Lambda ARN or a bare name: "arn:aws:lambda:r:a:function:NAME[:QUAL]" → NAME.
std::string FunctionNameOf(const std::string& arn_or_name);

// Runs a program with `input` on stdin; captures stdout. Not a shell: argv as given.
struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv, const std::string& input);

}  // namespace stepline::integrations

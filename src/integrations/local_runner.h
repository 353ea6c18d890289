#pragma once
// Runs one execution to its end in this process: the driver behind
// `stepline run` and the in-process benchmarks. It owns the clock, the timers
// (real time, Wait and retry delays scaled by wait_scale) and a pool of
// threads for tasks; the interpreter itself stays pure.

#include <memory>
#include <string>
#include <vector>

#include "asl/model.h"
#include "integrations/local_dispatch.h"
#include "runtime/execution.h"

namespace stepline::integrations {

struct LocalRunOptions {
  std::shared_ptr<const LocalFunctions> functions;
  double wait_scale = 1.0;          // multiplies Wait and retry delays; 0 skips them
  bool snapshot_each_step = false;  // save and restore the execution after every step
  uint64_t seed = 0;                // 0: seeded from the clock
  std::string name;                 // execution name; generated when empty
  std::string state_machine_name = "stepline-local";
  size_t max_task_threads = 64;
};

struct LocalRunResult {
  runtime::ExecStatus status = runtime::ExecStatus::kRunning;
  Json output;
  std::string error, cause;
  bool has_error = false, has_cause = false;
  history::EventLog events;
  std::string execution_arn;
};

Result<LocalRunResult> RunLocally(std::shared_ptr<const asl::Definition> def, const Json& input,
                                  const LocalRunOptions& options);

}  // namespace stepline::integrations

#pragma once
// Fault injection for tests of the layers above the store (DESIGN: "fault
// injection wraps the store"). WrapFaulty forwards every call to the wrapped
// store except the ones the plan picks, which fail with StoreError without
// being applied (or, with fail_after_apply, are applied and still reported
// as failed: the "did my commit land?" case a timeout produces).
// Thread-safe when the wrapped store and the plan's predicates are.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "store/store.h"

namespace stepline::store {

// How many calls the wrapper saw and failed; shared so a test can read it
// after handing the plan over.
struct FaultCounters {
  std::atomic<int64_t> commits{0};         // Commit and CommitAsync calls seen
  std::atomic<int64_t> injected{0};        // calls failed on purpose (any operation)
};

struct FaultPlan {
  // Fails the Nth, 2Nth, ... commit (1-based); 0 never.
  int64_t fail_every_nth_commit = 0;
  // Fails a commit when it returns true (checked after fail_every_nth_commit).
  std::function<bool(const ExecutionCommit&)> fail_commit_if;
  // Fails any other operation when it returns true; `op` is the method name
  // ("PutResource", "GetExecution", "DueTimers", "ClaimActivityTask", ...).
  std::function<bool(const std::string& op)> fail_op_if;
  // Apply a failed commit anyway, then report StoreError.
  bool fail_after_apply = false;
  std::shared_ptr<FaultCounters> counters = std::make_shared<FaultCounters>();
};

std::unique_ptr<Store> WrapFaulty(std::unique_ptr<Store> inner, FaultPlan plan);

}  // namespace stepline::store

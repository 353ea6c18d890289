#include "store/faulty_store.h"

namespace stepline::store {
namespace {

Status Injected(const std::string& op) { return Status::Error(kStoreError, "injected fault in " + op); }

class FaultyStore final : public Store {
 public:
  FaultyStore(std::unique_ptr<Store> inner, FaultPlan plan) : inner_(std::move(inner)), plan_(std::move(plan)) {
    if (!plan_.counters) plan_.counters = std::make_shared<FaultCounters>();
  }

  Status PutResource(const Resource& r, bool create_only) override {
    if (Fail("PutResource")) return Injected("PutResource");
    return inner_->PutResource(r, create_only);
  }
  Result<Resource> GetResource(const std::string& arn) override {
    if (Fail("GetResource")) return Injected("GetResource");
    return inner_->GetResource(arn);
  }
  Status DeleteResource(const std::string& arn) override {
    if (Fail("DeleteResource")) return Injected("DeleteResource");
    return inner_->DeleteResource(arn);
  }
  Result<Page<Resource>> ListResources(const std::string& kind, const std::string& parent_arn,
                                       const std::string& token, size_t max) override {
    if (Fail("ListResources")) return Injected("ListResources");
    return inner_->ListResources(kind, parent_arn, token, max);
  }

  Status Commit(const ExecutionCommit& c) override {
    if (!FailCommit(c)) return inner_->Commit(c);
    if (plan_.fail_after_apply) inner_->Commit(c);
    return Injected("Commit");
  }
  void CommitAsync(ExecutionCommit c, std::function<void(Status)> done) override {
    if (!FailCommit(c)) return inner_->CommitAsync(std::move(c), std::move(done));
    if (!plan_.fail_after_apply) return done(Injected("CommitAsync"));
    inner_->CommitAsync(std::move(c), [done = std::move(done)](Status) { done(Injected("CommitAsync")); });
  }

  Result<ExecutionRow> GetExecution(const std::string& arn) override {
    if (Fail("GetExecution")) return Injected("GetExecution");
    return inner_->GetExecution(arn);
  }
  Result<Page<ExecutionRow>> ListExecutions(const ExecutionFilter& f, const std::string& token,
                                            size_t max) override {
    if (Fail("ListExecutions")) return Injected("ListExecutions");
    return inner_->ListExecutions(f, token, max);
  }
  Result<std::vector<history::Event>> ReadHistory(const std::string& arn, int64_t after_or_before_id, size_t max,
                                                  bool reverse) override {
    if (Fail("ReadHistory")) return Injected("ReadHistory");
    return inner_->ReadHistory(arn, after_or_before_id, max, reverse);
  }
  Result<std::vector<std::string>> RunningExecutions() override {
    if (Fail("RunningExecutions")) return Injected("RunningExecutions");
    return inner_->RunningExecutions();
  }
  Result<std::vector<TimerRow>> DueTimers(Micros now, size_t max) override {
    if (Fail("DueTimers")) return Injected("DueTimers");
    return inner_->DueTimers(now, max);
  }
  Result<std::optional<Micros>> NextTimerDue() override {
    if (Fail("NextTimerDue")) return Injected("NextTimerDue");
    return inner_->NextTimerDue();
  }
  Result<std::vector<TaskRow>> TasksOf(const std::string& execution_arn) override {
    if (Fail("TasksOf")) return Injected("TasksOf");
    return inner_->TasksOf(execution_arn);
  }
  Result<TaskRow> TaskByToken(const std::string& token) override {
    if (Fail("TaskByToken")) return Injected("TaskByToken");
    return inner_->TaskByToken(token);
  }
  Result<std::optional<TaskRow>> ClaimActivityTask(const std::string& activity_arn) override {
    if (Fail("ClaimActivityTask")) return Injected("ClaimActivityTask");
    return inner_->ClaimActivityTask(activity_arn);
  }

 private:
  bool Fail(const std::string& op) {
    if (!plan_.fail_op_if || !plan_.fail_op_if(op)) return false;
    ++plan_.counters->injected;
    return true;
  }
  bool FailCommit(const ExecutionCommit& c) {
    int64_t n = ++plan_.counters->commits;
    bool fail = (plan_.fail_every_nth_commit > 0 && n % plan_.fail_every_nth_commit == 0) ||
                (plan_.fail_commit_if && plan_.fail_commit_if(c));
    if (fail) ++plan_.counters->injected;
    return fail;
  }

  std::unique_ptr<Store> inner_;
  FaultPlan plan_;
};

}  // namespace

std::unique_ptr<Store> WrapFaulty(std::unique_ptr<Store> inner, FaultPlan plan) {
  return std::make_unique<FaultyStore>(std::move(inner), std::move(plan));
}

}  // namespace stepline::store

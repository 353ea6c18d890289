#pragma once
// A store decorator that keeps resources (state machines, versions, aliases,
// activities, definitions) in memory: every StartExecution reads its state
// machine, and a SQLite read per request costs more than the rest of an
// Express start. Writes go through to the store and update the cache, so the
// cache is coherent as long as this process is the store's only writer (true
// for the embedded SQLite store). Thread-safe.

#include <memory>
#include <mutex>
#include <unordered_map>

#include "store/store.h"

namespace stepline::service {

class ResourceCache final : public store::Store {
 public:
  explicit ResourceCache(store::Store& inner) : inner_(inner) {}

  Status PutResource(const store::Resource& r, bool create_only) override;
  Result<store::Resource> GetResource(const std::string& arn) override;
  Status DeleteResource(const std::string& arn) override;
  Result<store::Page<store::Resource>> ListResources(const std::string& kind, const std::string& parent_arn,
                                                     const std::string& token, size_t max) override {
    return inner_.ListResources(kind, parent_arn, token, max);
  }
  Status Commit(const store::ExecutionCommit& c) override { return inner_.Commit(c); }
  void CommitAsync(store::ExecutionCommit c, std::function<void(Status)> done) override {
    inner_.CommitAsync(std::move(c), std::move(done));
  }
  Result<store::ExecutionRow> GetExecution(const std::string& arn) override { return inner_.GetExecution(arn); }
  Status DeleteExecution(const std::string& arn) override { return inner_.DeleteExecution(arn); }
  Result<store::Page<store::ExecutionRow>> ListExecutions(const store::ExecutionFilter& f, const std::string& token,
                                                          size_t max) override {
    return inner_.ListExecutions(f, token, max);
  }
  Result<std::vector<history::Event>> ReadHistory(const std::string& arn, int64_t from, size_t max,
                                                  bool reverse) override {
    return inner_.ReadHistory(arn, from, max, reverse);
  }
  Result<std::vector<std::string>> RunningExecutions() override { return inner_.RunningExecutions(); }
  Result<std::vector<store::TimerRow>> DueTimers(Micros now, size_t max) override {
    return inner_.DueTimers(now, max);
  }
  Result<std::optional<Micros>> NextTimerDue() override { return inner_.NextTimerDue(); }
  Result<std::vector<store::TaskRow>> TasksOf(const std::string& arn) override { return inner_.TasksOf(arn); }
  Result<store::TaskRow> TaskByToken(const std::string& token) override { return inner_.TaskByToken(token); }
  Result<std::optional<store::TaskRow>> ClaimActivityTask(const std::string& activity_arn) override {
    return inner_.ClaimActivityTask(activity_arn);
  }

 private:
  store::Store& inner_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const store::Resource>> cache_;  // absent: not loaded
};

}  // namespace stepline::service

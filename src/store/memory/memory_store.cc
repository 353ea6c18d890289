// The in-memory backend: Express executions and tests. One reader/writer lock
// over plain maps, plus ordered indexes for every query the interface has so
// nothing scans the whole store. Thread-safe. Records share Json nodes with
// the caller (O(1) copies); nothing survives the process.

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <tuple>
#include <unordered_map>

#include "store/commit_rules.h"
#include "store/page_token.h"
#include "store/store.h"

namespace stepline::store {
namespace {

constexpr char kResourceTag[] = "r";
constexpr char kExecutionTag[] = "e";

// (due or created, execution ARN, id): the order timers fire and tasks are claimed in.
using TimeKey = std::tuple<Micros, std::string, uint64_t>;
// (listing key, start, ARN): executions of one state machine or map run.
using ListKey = std::tuple<std::string, Micros, std::string>;

struct ExecutionData {
  ExecutionRow row;
  std::vector<history::Event> events;  // events[i].id == i + 1
  std::map<uint64_t, TimerRow> timers;
  std::map<uint64_t, TaskRow> tasks;
};

class MemoryStore final : public Store {
 public:
  Status PutResource(const Resource& r, bool create_only) override {
    if (r.arn.empty()) return Status::Error(kStoreError, "resource without an ARN");
    std::unique_lock lock(mu_);
    auto [it, inserted] = resources_.try_emplace(r.arn, r);
    if (!inserted) {
      if (create_only) return Status::Error(kAlreadyExists, "resource " + r.arn + " already exists");
      it->second = r;
    }
    return Status();
  }

  Result<Resource> GetResource(const std::string& arn) override {
    std::shared_lock lock(mu_);
    auto it = resources_.find(arn);
    if (it == resources_.end()) return NotFoundError("resource " + arn);
    return it->second;
  }

  Status DeleteResource(const std::string& arn) override {
    std::unique_lock lock(mu_);
    if (resources_.erase(arn) == 0) return NotFoundError("resource " + arn);
    return Status();
  }

  Result<Page<Resource>> ListResources(const std::string& kind, const std::string& parent_arn,
                                       const std::string& token, size_t max) override {
    std::optional<PageKey> after;
    if (!token.empty()) {
      after = DecodePageToken(kResourceTag, token);
      if (!after) return Status::Error(kInvalidToken, "invalid pagination token");
    }
    const bool newest_first = kind == "version";
    max = EffectivePageSize(max);
    // Resources are few (state machines, versions, aliases, activities): a
    // filtered sort per page is cheaper than keeping another index.
    std::vector<const Resource*> match;
    std::shared_lock lock(mu_);
    for (const auto& [arn, r] : resources_) {
      if (r.kind != kind || (!parent_arn.empty() && r.parent_arn != parent_arn)) continue;
      if (after) {
        auto k = std::tie(r.created, r.arn);
        auto a = std::tie(after->number, after->arn);
        if (newest_first ? !(k < a) : !(a < k)) continue;
      }
      match.push_back(&r);
    }
    auto less = [](const Resource* x, const Resource* y) {
      return std::tie(x->created, x->arn) < std::tie(y->created, y->arn);
    };
    if (newest_first) {
      std::sort(match.begin(), match.end(), [&](auto* x, auto* y) { return less(y, x); });
    } else {
      std::sort(match.begin(), match.end(), less);
    }
    Page<Resource> page;
    for (size_t i = 0; i < match.size() && i < max; ++i) page.items.push_back(*match[i]);
    if (match.size() > max) page.next_token = EncodePageToken(kResourceTag, {match[max - 1]->created, match[max - 1]->arn});
    return page;
  }

  Status Commit(const ExecutionCommit& c) override {
    SL_RETURN_IF_ERROR(CheckCommitShape(c));
    std::unique_lock lock(mu_);
    auto it = executions_.find(c.row.arn);
    const bool exists = it != executions_.end();
    SL_RETURN_IF_ERROR(CheckCommitAgainst(c, exists, exists ? it->second.row.version : 0,
                                          exists ? it->second.row.event_count : 0));
    // Token uniqueness is the one check that depends on other executions;
    // done before any change so a failed commit leaves no trace.
    for (const auto& t : c.add_tasks) {
      if (t.token.empty()) continue;
      auto tok = tokens_.find(t.token);
      if (tok == tokens_.end()) continue;
      const bool same_slot = tok->second.first == c.row.arn && tok->second.second == t.id;
      const bool removed = same_slot || (tok->second.first == c.row.arn &&
                                         std::find(c.remove_tasks.begin(), c.remove_tasks.end(),
                                                   tok->second.second) != c.remove_tasks.end());
      if (!removed) return Status::Error(kAlreadyExists, "task token already in use");
    }
    for (size_t i = 0; i < c.add_tasks.size(); ++i) {
      for (size_t j = i + 1; j < c.add_tasks.size(); ++j) {
        const auto& a = c.add_tasks[i];
        const auto& b = c.add_tasks[j];
        if (!a.token.empty() && a.token == b.token && a.id != b.id)
          return Status::Error(kAlreadyExists, "task token used twice in one commit");
      }
    }

    if (!exists) it = executions_.try_emplace(c.row.arn).first;
    ExecutionData& d = it->second;
    if (exists) {
      // Identity columns stay as created (store.h); the rest is replaced.
      Unindex(d.row);
      d.row.status = c.row.status;
      d.row.stop = c.row.stop;
      d.row.doc = c.row.doc;
      d.row.snapshot = c.row.snapshot;
    } else {
      d.row = c.row;
      d.row.event_count = 0;
    }
    d.row.version = c.expected_version + 1;
    d.row.event_count += int64_t(c.new_events.size());
    Index(d.row);
    d.events.insert(d.events.end(), c.new_events.begin(), c.new_events.end());

    for (uint64_t id : c.remove_timers) {
      auto t = d.timers.find(id);
      if (t == d.timers.end()) continue;
      timers_by_due_.erase({t->second.due, c.row.arn, id});
      d.timers.erase(t);
    }
    for (const auto& t : c.add_timers) {
      auto old = d.timers.find(t.id);
      if (old != d.timers.end()) timers_by_due_.erase({old->second.due, c.row.arn, t.id});
      TimerRow& row = d.timers[t.id] = t;
      row.execution_arn = c.row.arn;
      timers_by_due_.insert({row.due, c.row.arn, row.id});
    }
    for (uint64_t id : c.remove_tasks) {
      auto t = d.tasks.find(id);
      if (t == d.tasks.end()) continue;
      UnindexTask(t->second);
      d.tasks.erase(t);
    }
    for (const auto& t : c.add_tasks) {
      auto old = d.tasks.find(t.id);
      if (old != d.tasks.end()) UnindexTask(old->second);
      TaskRow& row = d.tasks[t.id] = t;
      row.execution_arn = c.row.arn;
      IndexTask(row);
    }
    return Status();
  }

  Status DeleteExecution(const std::string& arn) override {
    std::unique_lock lock(mu_);
    auto it = executions_.find(arn);
    if (it == executions_.end()) return NotFoundError("execution " + arn);
    ExecutionData& d = it->second;
    Unindex(d.row);
    for (const auto& [id, t] : d.timers) timers_by_due_.erase({t.due, arn, id});
    for (const auto& [id, t] : d.tasks) UnindexTask(t);
    executions_.erase(it);
    return Status();
  }

  Result<ExecutionRow> GetExecution(const std::string& arn) override {
    std::shared_lock lock(mu_);
    auto it = executions_.find(arn);
    if (it == executions_.end()) return NotFoundError("execution " + arn);
    return it->second.row;
  }

  Result<Page<ExecutionRow>> ListExecutions(const ExecutionFilter& f, const std::string& token,
                                            size_t max) override {
    std::optional<PageKey> after;
    if (!token.empty()) {
      after = DecodePageToken(kExecutionTag, token);
      if (!after) return Status::Error(kInvalidToken, "invalid pagination token");
    }
    max = EffectivePageSize(max);
    const bool by_map_run = !f.map_run_arn.empty();
    const std::string& key = by_map_run ? f.map_run_arn : f.state_machine_arn;
    std::shared_lock lock(mu_);
    const auto& index = by_map_run ? by_map_run_ : by_state_machine_;
    // Walk the listing key's range backwards (newest first), from just before
    // the token's key.
    auto end = after ? index.lower_bound(ListKey{key, after->number, after->arn})
                     : index.lower_bound(ListKey{key + '\0', INT64_MIN, ""});
    auto begin = index.lower_bound(ListKey{key, INT64_MIN, ""});
    Page<ExecutionRow> page;
    for (auto it = end; it != begin;) {
      --it;
      const ExecutionRow& row = executions_.at(std::get<2>(*it)).row;
      if (by_map_run ? row.map_run_arn != key : row.state_machine_arn != key) break;
      if (!f.status.empty() && row.status != f.status) continue;
      if (by_map_run && !f.state_machine_arn.empty() && row.state_machine_arn != f.state_machine_arn) continue;
      if (!f.version_or_alias_arn.empty() && row.version_arn != f.version_or_alias_arn &&
          row.alias_arn != f.version_or_alias_arn)
        continue;
      if (page.items.size() == max) {
        const ExecutionRow& last = page.items.back();
        page.next_token = EncodePageToken(kExecutionTag, {last.start, last.arn});
        break;
      }
      page.items.push_back(row);
    }
    return page;
  }

  Result<std::vector<history::Event>> ReadHistory(const std::string& arn, int64_t after_or_before_id, size_t max,
                                                  bool reverse) override {
    std::shared_lock lock(mu_);
    auto it = executions_.find(arn);
    if (it == executions_.end()) return NotFoundError("execution " + arn);
    const auto& ev = it->second.events;
    const int64_t n = int64_t(ev.size());
    std::vector<history::Event> out;
    if (max == 0) max = SIZE_MAX;
    if (!reverse) {
      for (int64_t i = std::max<int64_t>(after_or_before_id, 0); i < n && out.size() < max; ++i) out.push_back(ev[i]);
    } else {
      int64_t from = after_or_before_id <= 0 ? n : std::min(after_or_before_id - 1, n);
      for (int64_t i = from - 1; i >= 0 && out.size() < max; --i) out.push_back(ev[i]);
    }
    return out;
  }

  Result<std::vector<std::string>> RunningExecutions() override {
    std::shared_lock lock(mu_);
    return std::vector<std::string>(running_.begin(), running_.end());
  }

  Result<std::vector<TimerRow>> DueTimers(Micros now, size_t max) override {
    std::shared_lock lock(mu_);
    std::vector<TimerRow> out;
    if (max == 0) max = SIZE_MAX;
    for (auto it = timers_by_due_.begin(); it != timers_by_due_.end() && out.size() < max; ++it) {
      if (std::get<0>(*it) > now) break;
      out.push_back(executions_.at(std::get<1>(*it)).timers.at(std::get<2>(*it)));
    }
    return out;
  }

  Result<std::optional<Micros>> NextTimerDue() override {
    std::shared_lock lock(mu_);
    if (timers_by_due_.empty()) return std::optional<Micros>();
    return std::optional<Micros>(std::get<0>(*timers_by_due_.begin()));
  }

  Result<std::vector<TaskRow>> TasksOf(const std::string& execution_arn) override {
    std::shared_lock lock(mu_);
    std::vector<TaskRow> out;
    auto it = executions_.find(execution_arn);
    if (it == executions_.end()) return out;
    for (const auto& [id, t] : it->second.tasks) out.push_back(t);
    return out;
  }

  Result<TaskRow> TaskByToken(const std::string& token) override {
    std::shared_lock lock(mu_);
    auto it = token.empty() ? tokens_.end() : tokens_.find(token);
    if (it == tokens_.end()) return NotFoundError("task token");
    return executions_.at(it->second.first).tasks.at(it->second.second);
  }

  Result<std::optional<TaskRow>> ClaimActivityTask(const std::string& activity_arn) override {
    std::unique_lock lock(mu_);
    auto q = unclaimed_.find(activity_arn);
    if (q == unclaimed_.end() || q->second.empty()) return std::optional<TaskRow>();
    auto [created, arn, id] = *q->second.begin();
    q->second.erase(q->second.begin());
    if (q->second.empty()) unclaimed_.erase(q);
    TaskRow& t = executions_.at(arn).tasks.at(id);
    t.claimed = true;
    return std::optional<TaskRow>(t);
  }

 private:
  void Index(const ExecutionRow& r) {
    by_state_machine_.insert({r.state_machine_arn, r.start, r.arn});
    if (!r.map_run_arn.empty()) by_map_run_.insert({r.map_run_arn, r.start, r.arn});
    if (r.status == "RUNNING") running_.insert(r.arn);
  }
  void Unindex(const ExecutionRow& r) {
    by_state_machine_.erase({r.state_machine_arn, r.start, r.arn});
    if (!r.map_run_arn.empty()) by_map_run_.erase({r.map_run_arn, r.start, r.arn});
    running_.erase(r.arn);
  }
  void IndexTask(const TaskRow& t) {
    if (!t.token.empty()) tokens_[t.token] = {t.execution_arn, t.id};
    if (!t.activity_arn.empty() && !t.claimed) unclaimed_[t.activity_arn].insert({t.created, t.execution_arn, t.id});
  }
  void UnindexTask(const TaskRow& t) {
    if (!t.token.empty()) {
      auto it = tokens_.find(t.token);
      if (it != tokens_.end() && it->second == std::make_pair(t.execution_arn, t.id)) tokens_.erase(it);
    }
    if (!t.activity_arn.empty() && !t.claimed) {
      auto q = unclaimed_.find(t.activity_arn);
      if (q != unclaimed_.end()) {
        q->second.erase({t.created, t.execution_arn, t.id});
        if (q->second.empty()) unclaimed_.erase(q);
      }
    }
  }

  std::shared_mutex mu_;
  std::unordered_map<std::string, Resource> resources_;
  std::unordered_map<std::string, ExecutionData> executions_;
  std::set<ListKey> by_state_machine_;
  std::set<ListKey> by_map_run_;
  std::set<std::string> running_;
  std::set<TimeKey> timers_by_due_;
  std::unordered_map<std::string, std::pair<std::string, uint64_t>> tokens_;
  std::unordered_map<std::string, std::set<TimeKey>> unclaimed_;
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace stepline::store

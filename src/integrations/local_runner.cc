#include "integrations/local_runner.h"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace stepline::integrations {

namespace {

struct Completion {
  uint64_t task_id;
  InvokeOutcome outcome;
};

// Runs tasks on a bounded set of threads and queues their outcomes. Threads
// share the pool's state, so a task still running when the execution ends (a
// timed-out function, say) is left to finish on its own instead of blocking.
class TaskPool {
 public:
  TaskPool(LocalDispatcher d, size_t max_threads) : s_(std::make_shared<Shared>(std::move(d))), max_(max_threads) {}
  ~TaskPool() {
    {
      std::lock_guard<std::mutex> l(s_->mu);
      s_->closing = true;
    }
    s_->work_cv.notify_all();
    for (auto& t : threads_) t.detach();
  }
  void Submit(runtime::TaskRequest t) {
    std::lock_guard<std::mutex> l(s_->mu);
    s_->queue.push_back(std::move(t));
    if (s_->idle == 0 && threads_.size() < max_) threads_.emplace_back([s = s_] { Work(*s); });
    s_->work_cv.notify_one();
  }
  // Waits until an outcome is available or `deadline`; returns what is queued.
  std::vector<Completion> Wait(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> l(s_->mu);
    s_->done_cv.wait_until(l, deadline, [&] { return !s_->done.empty(); });
    std::vector<Completion> out(std::make_move_iterator(s_->done.begin()), std::make_move_iterator(s_->done.end()));
    s_->done.clear();
    return out;
  }

 private:
  struct Shared {
    explicit Shared(LocalDispatcher d) : dispatcher(std::move(d)) {}
    LocalDispatcher dispatcher;
    std::mutex mu;
    std::condition_variable work_cv, done_cv;
    std::deque<runtime::TaskRequest> queue;
    std::deque<Completion> done;
    size_t idle = 0;
    bool closing = false;
  };
  static void Work(Shared& s) {
    std::unique_lock<std::mutex> l(s.mu);
    for (;;) {
      ++s.idle;
      s.work_cv.wait(l, [&] { return s.closing || !s.queue.empty(); });
      --s.idle;
      if (s.closing) return;
      runtime::TaskRequest t = std::move(s.queue.front());
      s.queue.pop_front();
      l.unlock();
      InvokeOutcome o = s.dispatcher.Run(t);
      l.lock();
      s.done.push_back(Completion{t.id, std::move(o)});
      s.done_cv.notify_one();
    }
  }
  std::shared_ptr<Shared> s_;
  size_t max_;
  std::vector<std::thread> threads_;
};

}  // namespace

Result<LocalRunResult> RunLocally(std::shared_ptr<const asl::Definition> def, const Json& input,
                                  const LocalRunOptions& opt) {
  SystemClock clock;
  using Steady = std::chrono::steady_clock;
  uint64_t seed = opt.seed ? opt.seed : static_cast<uint64_t>(clock.Now());
  SeededRandom rnd(seed);
  runtime::ExecutionInfo info;
  info.name = opt.name.empty() ? MakeUuid(rnd) : opt.name;
  info.state_machine_name = opt.state_machine_name;
  info.state_machine_arn =
      fmt::format("arn:aws:states:{}:{}:stateMachine:{}", info.region, info.account, info.state_machine_name);
  info.execution_arn =
      fmt::format("arn:aws:states:{}:{}:execution:{}:{}", info.region, info.account, info.state_machine_name, info.name);
  info.role_arn = fmt::format("arn:aws:iam::{}:role/stepline-local", info.account);

  auto exec = std::make_unique<runtime::Execution>(def, info);
  LocalDispatcher dispatcher(opt.functions);
  TaskPool pool(dispatcher, opt.max_task_threads);
  // Timers by steady-clock deadline; the execution's `due` is wall-clock.
  std::multimap<Steady::time_point, uint64_t> timers;
  std::set<uint64_t> live_timers, live_tasks;
  runtime::Effects fx;

  auto apply = [&](Micros now) -> Status {
    for (uint64_t id : fx.cancelled_timers) live_timers.erase(id);
    for (uint64_t id : fx.cancelled_tasks) live_tasks.erase(id);
    for (const auto& t : fx.timers) {
      Micros delay = std::max<Micros>(0, t.due - now);
      bool scaled = t.kind == runtime::TimerKind::kWait || t.kind == runtime::TimerKind::kRetry;
      if (scaled) delay = static_cast<Micros>(static_cast<double>(delay) * opt.wait_scale);
      timers.emplace(Steady::now() + std::chrono::microseconds(delay), t.id);
      live_timers.insert(t.id);
    }
    for (auto& t : fx.tasks) {
      live_tasks.insert(t.id);
      pool.Submit(std::move(t));
    }
    fx.Clear();
    if (opt.snapshot_each_step) {
      // Through text, as a store would keep it.
      auto saved = Json::Parse(exec->Save().Dump());
      if (!saved.ok()) return saved.status();
      SL_ASSIGN_OR_RETURN(exec, runtime::Execution::Restore(def, *saved));
    }
    return Status();
  };

  Micros now = clock.Now();
  exec->Start(input, now, rnd, fx);
  SL_RETURN_IF_ERROR(apply(now));
  while (exec->status() == runtime::ExecStatus::kRunning) {
    if (live_tasks.empty() && live_timers.empty())
      return Status::Error("Internal", "the execution is running but waits for nothing");
    Steady::time_point deadline = Steady::now() + std::chrono::hours(24);
    while (!timers.empty() && !live_timers.count(timers.begin()->second)) timers.erase(timers.begin());
    if (!timers.empty()) deadline = std::min(deadline, timers.begin()->first);
    std::vector<Completion> done;
    if (!live_tasks.empty())
      done = pool.Wait(deadline);
    else
      std::this_thread::sleep_until(deadline);
    for (auto& c : done) {
      if (!live_tasks.erase(c.task_id)) continue;  // cancelled meanwhile
      now = clock.Now();
      if (c.outcome.ok)
        exec->TaskSucceeded(c.task_id, std::move(c.outcome.payload), now, rnd, fx);
      else
        exec->TaskFailed(c.task_id, std::move(c.outcome.error), std::move(c.outcome.cause), now, rnd, fx);
      SL_RETURN_IF_ERROR(apply(now));
    }
    while (!timers.empty() && timers.begin()->first <= Steady::now() &&
           exec->status() == runtime::ExecStatus::kRunning) {
      uint64_t id = timers.begin()->second;
      timers.erase(timers.begin());
      if (!live_timers.erase(id)) continue;
      now = clock.Now();
      exec->TimerFired(id, now, rnd, fx);
      SL_RETURN_IF_ERROR(apply(now));
    }
  }
  LocalRunResult r;
  r.status = exec->status();
  r.output = exec->output();
  r.error = exec->error();
  r.cause = exec->cause();
  r.has_error = exec->has_error();
  r.has_cause = exec->has_cause();
  r.events = exec->events();
  r.execution_arn = info.execution_arn;
  return r;
}

}  // namespace stepline::integrations

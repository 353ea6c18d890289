#include "service/engine.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>

#include "asl/validate/validate.h"

namespace stepline::service {

namespace {

constexpr size_t kTimerBatch = 1000;
constexpr Micros kTimerPollMicros = 1'000'000;  // re-check the store at least this often

std::string Sha256Hex(const std::string& text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 15]);
  }
  return out;
}

Json TaskToJson(const runtime::TaskRequest& t) {
  Json j = Json::EmptyObject();
  j.Set("state", t.state_name);
  j.Set("resource", t.resource);
  j.Set("input", t.input);
  if (t.timeout_seconds) j.Set("timeoutSeconds", *t.timeout_seconds);
  if (t.heartbeat_seconds) j.Set("heartbeatSeconds", *t.heartbeat_seconds);
  return j;
}

}  // namespace

const char* StatusOf(runtime::ExecStatus s) { return runtime::ExecStatusName(s); }

Engine::Engine(EngineConfig config, store::Store& durable, Clock& clock)
    : config_(std::move(config)),
      durable_(durable),
      express_(store::NewMemoryStore()),
      clock_(clock),
      dispatcher_(config_.functions) {}

Engine::~Engine() { Shutdown(); }

store::Store& Engine::StoreFor(const std::string& arn) {
  auto ref = ParseExecutionArn(arn);
  return ref && ref->express ? *express_ : durable_;
}

uint64_t Engine::NextSeed() { return static_cast<uint64_t>(clock_.Now()) ^ (seed_.fetch_add(1) * 0x9e3779b97f4a7c15ULL); }

void Engine::Start() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = false;
  }
  for (int i = 0; i < std::max(1, config_.workers); ++i) threads_.emplace_back([this] { WorkerLoop(); });
  Recover();
  threads_.emplace_back([this] { TimerLoop(); });
}

void Engine::Shutdown() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  jobs_cv_.notify_all();
  {
    std::lock_guard<std::mutex> l(timer_mu_);
    timer_wake_ = true;
  }
  timer_cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void Engine::Post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> l(mu_);
    jobs_.push_back(std::move(job));
  }
  jobs_cv_.notify_one();
}

void Engine::WorkerLoop() {
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    jobs_cv_.wait(l, [&] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    l.unlock();
    job();
    l.lock();
  }
}

// ---- definitions -------------------------------------------------------------

Result<std::string> Engine::RegisterDefinition(const std::string& text) {
  std::string id = Sha256Hex(text);
  {
    std::lock_guard<std::mutex> l(defs_mu_);
    if (defs_.count(id)) return id;
  }
  auto j = Json::Parse(text);
  if (!j.ok()) return Status::Error("InvalidDefinition", j.status().message());
  auto def = asl::Parse(*j);
  if (!def.ok()) return Status::Error("InvalidDefinition", def.status().message());
  std::string arn = "definition:" + id;
  if (!durable_.GetResource(arn).ok()) {
    store::Resource r;
    r.arn = arn;
    r.kind = "definition";
    r.name = id;
    r.created = clock_.Now();
    r.doc = Json::EmptyObject();
    r.doc.Set("definition", text);
    Status st = durable_.PutResource(r, false);
    if (!st.ok()) return st;
  }
  std::lock_guard<std::mutex> l(defs_mu_);
  defs_[id] = *def;
  return id;
}

Result<std::shared_ptr<const asl::Definition>> Engine::Definition(const std::string& id) {
  {
    std::lock_guard<std::mutex> l(defs_mu_);
    auto it = defs_.find(id);
    if (it != defs_.end()) return it->second;
  }
  auto r = durable_.GetResource("definition:" + id);
  if (!r.ok()) return r.status();
  const Json* text = r->doc.find("definition");
  if (!text || !text->is_string()) return Status::Error("Internal", "definition record without text");
  auto j = Json::Parse(text->get_string());
  if (!j.ok()) return j.status();
  auto def = asl::Parse(*j);
  if (!def.ok()) return def.status();
  std::lock_guard<std::mutex> l(defs_mu_);
  defs_[id] = *def;
  return *def;
}

// ---- cache -------------------------------------------------------------------

void Engine::CacheLive(const std::string& arn, std::shared_ptr<Live> live) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = cache_.find(arn);
  if (it != cache_.end()) {
    lru_.erase(it->second.second);
    cache_.erase(it);
  }
  lru_.push_front(arn);
  cache_[arn] = {std::move(live), lru_.begin()};
  while (cache_.size() > config_.cache_limit) {
    const std::string& victim = lru_.back();
    // Executions with queued inputs stay; their worker holds them anyway.
    cache_.erase(victim);
    lru_.pop_back();
  }
}

void Engine::Evict(const std::string& arn) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = cache_.find(arn);
  if (it == cache_.end()) return;
  lru_.erase(it->second.second);
  cache_.erase(it);
}

bool Engine::World::ActivityExists(const std::string& arn) const {
  auto r = store.GetResource(arn);
  return r.ok() && r->kind == "activity";
}

Result<std::shared_ptr<Engine::Live>> Engine::Load(const std::string& arn) {
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = cache_.find(arn);
    if (it != cache_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.second);
      return it->second.first;
    }
  }
  auto row = StoreFor(arn).GetExecution(arn);
  if (!row.ok()) return row.status();
  const Json* def_id = row->doc.find("definitionId");
  if (!def_id || !def_id->is_string()) return Status::Error("Internal", "execution without definition");
  auto def = Definition(def_id->str());
  if (!def.ok()) return def.status();
  auto exec = runtime::Execution::Restore(*def, row->snapshot);
  if (!exec.ok()) return exec.status();
  auto live = std::make_shared<Live>();
  live->exec = std::move(exec).value();
  live->exec->set_environment(&world_);
  live->row = std::move(row).value();
  live->row.snapshot = Json();  // the live execution is the truth now
  live->logging = ResolveLogConfig(live->row.doc.find("loggingConfiguration"));  // kept from its start
  CacheLive(arn, live);
  return live;
}

// ---- the transition path -----------------------------------------------------

// The execution's outcome as the row records it (status, stop, output, error, cause).
void Engine::ApplyOutcome(store::ExecutionRow& row, const runtime::Execution& e) {
  row.status = StatusOf(e.status());
  row.stop = e.status() == runtime::ExecStatus::kRunning ? 0 : e.stop_time();
  if (!row.doc.is_object()) row.doc = Json::EmptyObject();
  if (e.status() == runtime::ExecStatus::kSucceeded) row.doc.Set("output", e.output().Dump());
  if (e.has_error()) row.doc.Set("error", e.error());
  if (e.has_cause()) row.doc.Set("cause", e.cause());
}

store::ExecutionCommit Engine::BuildCommit(Live& live, runtime::Effects& fx, const std::vector<uint64_t>& fired_timers,
                                           const std::vector<uint64_t>& finished_tasks, bool create) {
  runtime::Execution& e = *live.exec;
  store::ExecutionCommit c;
  c.expected_version = create ? 0 : live.row.version;
  c.row = live.row;
  ApplyOutcome(c.row, e);
  c.row.snapshot = e.Save(false);
  c.row.event_count = e.event_count();
  auto events = e.DrainEvents();
  c.new_events.assign(std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
  for (const auto& t : fx.timers) {
    store::TimerRow tr;
    tr.execution_arn = live.row.arn;
    tr.id = t.id;
    tr.due = t.due;
    tr.data = Json::EmptyObject();
    tr.data.Set("kind", static_cast<int64_t>(t.kind));
    c.add_timers.push_back(std::move(tr));
  }
  c.remove_timers = fx.cancelled_timers;
  c.remove_timers.insert(c.remove_timers.end(), fired_timers.begin(), fired_timers.end());
  for (const auto& t : fx.tasks) {
    store::TaskRow tr;
    tr.execution_arn = live.row.arn;
    tr.id = t.id;
    tr.token = t.token;
    if (t.kind == asl::TaskKind::kActivity) tr.activity_arn = t.resource;
    tr.created = clock_.Now();
    tr.request = TaskToJson(t);
    c.add_tasks.push_back(std::move(tr));
  }
  c.remove_tasks = fx.cancelled_tasks;
  c.remove_tasks.insert(c.remove_tasks.end(), finished_tasks.begin(), finished_tasks.end());
  return c;
}

void Engine::Committed(Live& live, store::ExecutionCommit& c) {
  live.row = std::move(c.row);
  live.row.version = c.expected_version + 1;
  live.row.snapshot = Json();
}

void Engine::ReleaseMailbox(const std::string& arn) {
  std::lock_guard<std::mutex> l(mu_);
  Mailbox& mb = mailboxes_[arn];
  if (mb.inputs.empty()) {
    mailboxes_.erase(arn);
  } else {
    jobs_.push_back([this, arn] { Process(arn); });
    jobs_cv_.notify_one();
  }
}

void Engine::Dispatch(const std::string& arn, const std::vector<runtime::TaskRequest>& tasks) {
  for (const auto& t : tasks) {
    if (t.kind == asl::TaskKind::kActivity) {
      // Activity tasks wait in the store for a worker's GetActivityTask.
      std::vector<std::function<void()>> wake;
      {
        std::lock_guard<std::mutex> l(mu_);
        ++activity_generation_[t.resource];
        auto it = activity_waiters_.find(t.resource);
        if (it != activity_waiters_.end() && !it->second.empty()) {
          wake.push_back(std::move(it->second.front().wake));
          it->second.pop_front();
        }
      }
      for (auto& w : wake) Post(std::move(w));
      continue;
    }
    bool callback = t.pattern == asl::IntegrationPattern::kWaitForTaskToken;
    runtime::TaskRequest req = t;
    if (callback) req.pattern = asl::IntegrationPattern::kRequestResponse;  // invoke now, answer later
    Post([this, arn, req, callback] {
      integrations::InvokeOutcome o = dispatcher_.Run(req);
      if (callback && o.ok) return;  // SendTaskSuccess/Failure will answer
      Input in;
      in.kind = o.ok ? Input::Kind::kTaskSucceeded : Input::Kind::kTaskFailed;
      in.id = req.id;
      in.output = std::move(o.payload);
      in.error = std::move(o.error);
      in.cause = std::move(o.cause);
      in.has_error = in.has_cause = !o.ok;
      Deliver(arn, std::move(in));
    });
  }
}

void Engine::Deliver(const std::string& arn, Input in) {
  std::lock_guard<std::mutex> l(mu_);
  Mailbox& mb = mailboxes_[arn];
  mb.inputs.push_back(std::move(in));
  if (!mb.scheduled) {
    mb.scheduled = true;
    jobs_.push_back([this, arn] { Process(arn); });
    jobs_cv_.notify_one();
  }
}

void Engine::Process(const std::string& arn) {
  std::deque<Input> inputs;
  {
    std::lock_guard<std::mutex> l(mu_);
    inputs.swap(mailboxes_[arn].inputs);
  }
  auto dones = std::make_shared<std::vector<std::function<void(Status)>>>();
  for (auto& in : inputs)
    if (in.done) dones->push_back(std::move(in.done));
  auto live = Load(arn);
  if (!live.ok()) {
    for (auto& d : *dones) d(live.status());
    return ReleaseMailbox(arn);
  }
  std::shared_ptr<Live> lv = *live;
  auto fx = std::make_shared<runtime::Effects>();
  SeededRandom rnd(NextSeed());
  std::vector<uint64_t> fired, finished;
  Micros now = clock_.Now();
  for (auto& in : inputs) {
    switch (in.kind) {
      case Input::Kind::kTaskStarted: lv->exec->TaskStarted(in.id, in.worker, now, *fx); break;
      case Input::Kind::kTaskSucceeded:
        lv->exec->TaskSucceeded(in.id, std::move(in.output), now, rnd, *fx);
        finished.push_back(in.id);
        break;
      case Input::Kind::kTaskFailed:
        lv->exec->TaskFailed(in.id, std::move(in.error), std::move(in.cause), now, rnd, *fx);
        finished.push_back(in.id);
        break;
      case Input::Kind::kHeartbeat: lv->exec->TaskHeartbeat(in.id, now, *fx); break;
      case Input::Kind::kTimer:
        lv->exec->TimerFired(in.id, now, rnd, *fx);
        fired.push_back(in.id);
        break;
      case Input::Kind::kStop:
        lv->exec->Stop(in.has_error ? std::optional<std::string>(in.error) : std::nullopt,
                       in.has_cause ? std::optional<std::string>(in.cause) : std::nullopt, now, *fx);
        break;
      case Input::Kind::kRedrive: {
        Status st = lv->exec->Redrive(now, rnd, *fx);
        if (st.ok()) {
          lv->row.doc.Set("redriveCount", lv->exec->info().redrive_count);
          lv->row.doc.Set("redriveDate", now);
          lv->row.doc.Erase("error");
          lv->row.doc.Erase("cause");
          lv->row.doc.Erase("output");
        }
        break;
      }
    }
  }
  if (lv->exec->status() != runtime::ExecStatus::kRunning) {
    // Whatever is still pending will never be answered: drop it from the store.
    for (const auto& t : lv->exec->PendingTasks()) finished.push_back(t.id);
  }
  auto commit = std::make_shared<store::ExecutionCommit>(BuildCommit(*lv, *fx, fired, finished, false));
  // The mailbox stays claimed until the commit is durable, so no other worker
  // touches this execution meanwhile; this worker moves on to other work and
  // many commits stay in flight for the store to group.
  StoreFor(arn).CommitAsync(*commit, [this, arn, lv, fx, commit, fired, dones](Status st) {
    Post([this, arn, lv, fx, commit, fired, dones, st] {
      if (st.ok()) {
        Committed(*lv, *commit);
        logs_.Append(lv->logging.get(), arn, lv->exec->info().redrive_count, commit->new_events);
        Dispatch(arn, fx->tasks);
        if (!fx->timers.empty()) {
          std::lock_guard<std::mutex> l(timer_mu_);
          timer_wake_ = true;
          timer_cv_.notify_one();
        }
      } else {
        Evict(arn);  // reload from the store next time
      }
      {
        std::lock_guard<std::mutex> l(mu_);
        for (uint64_t id : fired) timers_in_flight_.erase({arn, id});
      }
      for (auto& d : *dones) d(st);
      if (st.ok() && lv->row.status != "RUNNING") {
        Finished(lv->row);
        Evict(arn);
        // Finished Express executions are not kept (AWS keeps them only in logs).
        if (lv->row.type == "EXPRESS") (void)express_->DeleteExecution(arn);
      }
      ReleaseMailbox(arn);
    });
  });
}

void Engine::StartExecution(StartSpec spec, std::function<void(Result<store::ExecutionRow>)> done) {
  auto def = Definition(spec.definition_id);
  if (!def.ok()) return done(def.status());
  if (spec.type == "EXPRESS" && !spec.logging && (*def)->straight_line)
    return StartNow(std::move(spec), std::move(def).value(), std::move(done));
  Post([this, spec = std::move(spec), def = std::move(def).value(), done = std::move(done)]() mutable {
    StartNow(std::move(spec), std::move(def), std::move(done));
  });
}

void Engine::StartNow(StartSpec spec, std::shared_ptr<const asl::Definition> def,
                      std::function<void(Result<store::ExecutionRow>)> done) {
  bool express = spec.type == "EXPRESS";
  SeededRandom rnd(NextSeed());
  std::string arn = express ? ExpressExecutionArn(config_.account, spec.state_machine_name, spec.name, MakeUuid(rnd))
                            : ExecutionArn(config_.account, spec.state_machine_name, spec.name);
  store::Store& st = express ? *express_ : durable_;
  // AWS: the same name and input while running returns the running execution;
  // any other use of the name is ExecutionAlreadyExists. By value: it also
  // runs after this function returned (a commit that lost the race).
  auto existing = [stp = &st, arn, input = spec.input_text]() -> std::optional<Result<store::ExecutionRow>> {
    auto row = stp->GetExecution(arn);
    if (!row.ok()) return std::nullopt;
    const Json* in = row->doc.find("input");
    if (row->status == "RUNNING" && in && in->is_string() && in->get_string() == input)
      return Result<store::ExecutionRow>(std::move(row).value());
    return Result<store::ExecutionRow>(
        Status::Error("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'"));
  };
  // No read before the start: the create-only commit below fails with
  // kAlreadyExists when the name is taken, and `existing` answers then. Most
  // starts use a new name, and a read per start cost 6% of its CPU.
  runtime::ExecutionInfo info;
  info.execution_arn = arn;
  info.name = spec.name;
  info.state_machine_arn = spec.version_arn.empty() ? spec.state_machine_arn : spec.version_arn;
  info.state_machine_name = spec.state_machine_name;
  info.role_arn = spec.role_arn;
  info.region = config_.account.region;
  info.account = config_.account.account;
  info.redrive_count = spec.redrive_count;
  info.express = express;
  auto live = std::make_shared<Live>();
  live->exec = std::make_unique<runtime::Execution>(std::move(def), info);
  live->exec->set_environment(&world_);
  runtime::Effects fx;
  Micros now = clock_.Now();
  live->exec->Start(spec.input, now, rnd, fx);
  store::ExecutionRow& row = live->row;
  row.arn = arn;
  row.state_machine_arn = spec.state_machine_arn;
  row.version_arn = spec.version_arn;
  row.alias_arn = spec.alias_arn;
  row.name = spec.name;
  row.type = spec.type;
  row.start = now;
  row.doc = Json::EmptyObject();
  row.doc.Set("input", spec.input_text);
  row.doc.Set("definitionId", spec.definition_id);
  row.doc.Set("roleArn", spec.role_arn);
  if (!spec.trace_header.empty()) row.doc.Set("traceHeader", spec.trace_header);
  row.doc.Set("redriveCount", spec.redrive_count);
  // The logging configuration at the start stays with the execution.
  live->logging = spec.logging;
  if (live->logging) row.doc.Set("loggingConfiguration", live->logging->source);
  std::vector<uint64_t> finished;
  if (live->exec->status() != runtime::ExecStatus::kRunning)
    for (const auto& t : live->exec->PendingTasks()) finished.push_back(t.id);
  // Hold the execution's mailbox while starting: an input that arrives as
  // soon as the commit is visible (a worker claiming the first activity task)
  // must wait until the started execution is cached, not load a copy of its own.
  bool owner;
  {
    std::lock_guard<std::mutex> l(mu_);
    Mailbox& mb = mailboxes_[arn];
    owner = !mb.scheduled;
    mb.scheduled = true;
  }
  auto release = [&] {
    if (owner) ReleaseMailbox(arn);
  };
  if (express && live->exec->status() != runtime::ExecStatus::kRunning) {
    // An Express execution that ended within its first step is never read
    // back (not listed, not described): answer without storing it.
    release();
    store::ExecutionRow result = std::move(live->row);
    ApplyOutcome(result, *live->exec);
    logs_.Append(live->logging.get(), arn, spec.redrive_count, live->exec->events());
    done(result);
    Finished(result);
    return;
  }
  // Commit without blocking this worker: with many starts in flight the
  // store groups their commits into one fsync. The rest runs once durable.
  auto commit = std::make_shared<store::ExecutionCommit>(BuildCommit(*live, fx, {}, finished, true));
  auto tasks = std::make_shared<std::vector<runtime::TaskRequest>>(std::move(fx.tasks));
  bool timers = !fx.timers.empty();
  auto shared_done = std::make_shared<std::function<void(Result<store::ExecutionRow>)>>(std::move(done));
  st.CommitAsync(*commit, [this, arn, live, commit, tasks, timers, owner, express, shared_done,
                           existing](Status cs) {
    Post([this, arn, live, commit, tasks, timers, owner, express, shared_done, existing, cs] {
      auto release = [&] {
        if (owner) ReleaseMailbox(arn);
      };
      if (!cs.ok()) {
        release();
        if (cs.name() == store::kAlreadyExists && !express) {
          if (auto e = existing()) return (*shared_done)(std::move(*e));
        }
        return (*shared_done)(cs);
      }
      Committed(*live, *commit);
      logs_.Append(live->logging.get(), arn, live->exec->info().redrive_count, commit->new_events);
      bool ended = live->row.status != "RUNNING";
      if (!ended && owner) CacheLive(arn, live);
      // Answer while the mailbox is still held: a waiter the caller registers
      // (StartSyncExecution) is in place before any input can finish the execution.
      store::ExecutionRow result = live->row;
      (*shared_done)(result);
      release();
      Dispatch(arn, *tasks);
      if (timers) {
        std::lock_guard<std::mutex> l(timer_mu_);
        timer_wake_ = true;
        timer_cv_.notify_one();
      }
      if (ended) {
        Finished(result);
        if (express) (void)express_->DeleteExecution(arn);
      }
    });
  });
}

void Engine::WhenFinished(const std::string& arn, std::function<void(const store::ExecutionRow&)> fn) {
  {
    std::lock_guard<std::mutex> l(mu_);
    finish_waiters_[arn].push_back(std::move(fn));
  }
  // It may have ended before the waiter was registered.
  auto row = StoreFor(arn).GetExecution(arn);
  if (row.ok() && row->status != "RUNNING") Finished(*row);
}

void Engine::Finished(const store::ExecutionRow& row) {
  std::vector<std::function<void(const store::ExecutionRow&)>> fns;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = finish_waiters_.find(row.arn);
    if (it == finish_waiters_.end()) return;
    fns = std::move(it->second);
    finish_waiters_.erase(it);
  }
  for (auto& f : fns) f(row);
}

uint64_t Engine::ActivityGeneration(const std::string& activity_arn) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = activity_generation_.find(activity_arn);
  return it == activity_generation_.end() ? 0 : it->second;
}

bool Engine::WaitForActivity(const std::string& activity_arn, uint64_t seen_generation, Micros deadline,
                             std::function<void()> wake) {
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = activity_generation_.find(activity_arn);
    if ((it == activity_generation_.end() ? 0 : it->second) != seen_generation) return false;
    activity_waiters_[activity_arn].push_back(ActivityWaiter{deadline, std::move(wake)});
  }
  std::lock_guard<std::mutex> l(timer_mu_);
  timer_wake_ = true;
  timer_cv_.notify_one();
  return true;
}

// ---- timers and recovery -----------------------------------------------------

void Engine::TimerLoop() {
  for (;;) {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (stopping_) return;
    }
    Micros now = clock_.Now();
    for (store::Store* st : {&durable_, express_.get()}) {
      auto due = st->DueTimers(now, kTimerBatch);
      if (!due.ok()) continue;
      for (auto& t : *due) {
        {
          std::lock_guard<std::mutex> l(mu_);
          if (!timers_in_flight_.insert({t.execution_arn, t.id}).second) continue;
        }
        Input in;
        in.kind = Input::Kind::kTimer;
        in.id = t.id;
        Deliver(t.execution_arn, std::move(in));
      }
    }
    // Expire activity polls whose 60 seconds are over.
    std::vector<std::function<void()>> expired;
    Micros next_deadline = now + kTimerPollMicros;
    {
      std::lock_guard<std::mutex> l(mu_);
      for (auto& [arn, q] : activity_waiters_) {
        for (auto it = q.begin(); it != q.end();) {
          if (it->deadline <= now) {
            expired.push_back(std::move(it->wake));
            it = q.erase(it);
          } else {
            next_deadline = std::min(next_deadline, it->deadline);
            ++it;
          }
        }
      }
    }
    for (auto& w : expired) Post(std::move(w));
    for (store::Store* st : {&durable_, express_.get()}) {
      auto next = st->NextTimerDue();
      if (next.ok() && *next) next_deadline = std::min(next_deadline, **next);
    }
    std::unique_lock<std::mutex> l(timer_mu_);
    Micros wait = std::max<Micros>(0, next_deadline - clock_.Now());
    timer_cv_.wait_for(l, std::chrono::microseconds(std::min<Micros>(wait, kTimerPollMicros)),
                       [&] { return timer_wake_; });
    timer_wake_ = false;
  }
}

void Engine::Recover() {
  auto running = durable_.RunningExecutions();
  if (!running.ok()) return;
  for (const auto& arn : *running) {
    auto live = Load(arn);
    if (!live.ok()) continue;
    // Tasks dispatched before the stop may never have been answered: dispatch
    // them again (at-least-once for tasks, as AWS promises).
    std::vector<runtime::TaskRequest> redo;
    std::set<uint64_t> unstarted;
    for (auto& t : (*live)->exec->PendingTasks()) {
      if (t.kind != asl::TaskKind::kActivity)
        redo.push_back(std::move(t));
      else if (!t.started)
        unstarted.insert(t.id);
    }
    // An activity task claimed by a worker whose ActivityStarted never became
    // durable was never handed out (the answer waits for that commit): put it
    // back in the queue.
    auto rows = durable_.TasksOf(arn);
    if (rows.ok()) {
      store::ExecutionCommit c;
      for (const auto& r : *rows) {
        if (!r.claimed || !unstarted.count(r.id)) continue;
        store::TaskRow back = r;
        back.claimed = false;
        c.remove_tasks.push_back(r.id);
        c.add_tasks.push_back(std::move(back));
      }
      if (!c.add_tasks.empty()) {
        Live& lv = **live;
        c.row = lv.row;
        c.row.snapshot = lv.exec->Save(false);
        c.expected_version = lv.row.version;
        if (durable_.Commit(c).ok()) Committed(lv, c);
      }
    }
    Dispatch(arn, redo);
  }
}

}  // namespace stepline::service

// Save and restore an execution's whole state (frames, pending tasks and
// timers, history) as JSON, so that a driver can stop after any step and
// resume to the same result.
#include <functional>

#include "base/json_shared.h"
#include "history/codec.h"
#include "runtime/internal.h"

namespace stepline::runtime {

namespace {
Status Bad(std::string m) { return Status::Error("InvalidSnapshot", std::move(m)); }

int64_t Int(const Json& j, const char* k, int64_t def = 0) {
  const Json* v = j.find(k);
  return v && v->is_number() ? v->get_int() : def;
}
std::string Str(const Json& j, const char* k) {
  const Json* v = j.find(k);
  return v && v->is_string() ? v->str() : std::string();
}
Json Get(const Json& j, const char* k) {
  const Json* v = j.find(k);
  return v ? *v : Json();
}

// Index path of a frame from the root (positions in children vectors).
Json FramePath(const Frame* f) {
  std::vector<int64_t> rev;
  for (; f && f->parent; f = f->parent) rev.push_back(f->index);
  Json::Array a;
  for (auto it = rev.rbegin(); it != rev.rend(); ++it) a.emplace_back(*it);
  return Json(std::move(a));
}
}  // namespace

Json Execution::Impl::SaveFrame(const Frame& f) const {
  // Fields at their default are left out (RestoreFrame reads a missing field
  // as its default): a Map with 40 running iterations saves 40 frames.
  Json j = Json::EmptyObject();
  auto num = [&](const char* k, int64_t v, int64_t def = 0) {
    if (v != def) j.Set(k, v);
  };
  auto flag = [&](const char* k, bool v) {
    if (v) j.Set(k, true);
  };
  auto str = [&](const char* k, const std::string& v) {
    if (!v.empty()) j.Set(k, v);
  };
  auto val = [&](const char* k, const Json& v) {
    if (!v.is_null()) j.Set(k, v);
  };
  if (f.state) j.Set("s", f.state->name);
  num("ph", static_cast<int64_t>(f.phase));
  num("ix", f.index);
  val("ri", f.raw_input);
  val("ef", f.effective);
  num("eid", f.entered_id);
  num("lid", f.last_id);
  num("et", f.entered_time);
  bool any_attempt = false;
  for (auto a : f.attempts) any_attempt |= a != 0;
  if (any_attempt) {
    Json::Array at;
    for (auto a : f.attempts) at.emplace_back(a);
    j.Set("at", Json(std::move(at)));
  }
  num("rc", f.retry_count);
  num("pd", static_cast<int64_t>(f.pending));
  num("tt", static_cast<int64_t>(f.timeout_timer));
  num("ht", static_cast<int64_t>(f.heartbeat_timer));
  num("hs", f.heartbeat_seconds);
  str("tk", f.token);
  flag("tst", f.task_started);
  flag("se", f.started_event);
  flag("dt", f.detached);
  if (!f.children.empty()) {
    Json::Array ch;
    for (const auto& c : f.children) ch.push_back(c ? SaveFrame(*c) : Json());
    j.Set("ch", Json(std::move(ch)));
  }
  if (!f.results.empty()) j.Set("rs", Json(Json::Array(f.results)));
  val("it", f.items);
  num("la", f.launched);
  num("co", f.completed);
  num("fa", f.failures);
  num("mc", f.max_concurrency);
  num("tc", f.tolerated_count, -1);
  if (f.tolerated_pct != -1) j.Set("tp", f.tolerated_pct);
  flag("fd", f.failed);
  val("out", f.output);
  str("er", f.error);
  str("ca", f.cause);
  if (f.vars && !f.vars->map.empty()) {
    Json::Object vars;
    vars.reserve(f.vars->map.size());
    for (const auto& [name, v] : f.vars->map) vars.push_back(Json::Member{name, v.value});
    j.Set("vr", Json(std::move(vars)));
  }
  flag("vt", f.vars_root);
  return j;
}

Status Execution::Impl::RestoreFrame(Frame& f, const Json& j, Frame* parent) {
  f.parent = parent;
  f.index = Int(j, "ix");
  if (!parent) {
    f.machine = def->root.get();
  } else if (parent->state->type == asl::StateType::kParallel) {
    if (f.index < 0 || static_cast<size_t>(f.index) >= parent->state->branches.size()) return Bad("branch index");
    f.machine = parent->state->branches[static_cast<size_t>(f.index)].get();
  } else {
    f.machine = parent->state->processor.get();
  }
  std::string name = Str(j, "s");
  if (!name.empty()) {
    f.state = f.machine->Find(name);
    if (!f.state) return Bad("unknown state " + name);
  }
  int64_t ph = Int(j, "ph");
  if (ph < 0 || ph > static_cast<int64_t>(Frame::Phase::kDone)) return Bad("phase");
  f.phase = static_cast<Frame::Phase>(ph);
  f.raw_input = Get(j, "ri");
  f.effective = Get(j, "ef");
  f.entered_id = Int(j, "eid");
  f.last_id = Int(j, "lid");
  f.entered_time = Int(j, "et");
  f.attempts.clear();
  if (const Json* at = j.find("at"); at && at->is_array())
    for (const auto& a : at->get_array()) f.attempts.push_back(a.is_number() ? a.get_int() : 0);
  // Attempts all zero are not saved; HandleError indexes them by retrier.
  if (f.state && f.attempts.size() < f.state->retry.size()) f.attempts.resize(f.state->retry.size(), 0);
  f.retry_count = Int(j, "rc");
  f.pending = static_cast<uint64_t>(Int(j, "pd"));
  f.timeout_timer = static_cast<uint64_t>(Int(j, "tt"));
  f.heartbeat_timer = static_cast<uint64_t>(Int(j, "ht"));
  f.heartbeat_seconds = Int(j, "hs");
  f.token = Str(j, "tk");
  const Json* tst = j.find("tst");
  f.task_started = tst && tst->is_bool() && tst->get_bool();
  const Json* se = j.find("se");
  f.started_event = se && se->is_bool() && se->get_bool();
  const Json* dt = j.find("dt");
  f.detached = dt && dt->is_bool() && dt->get_bool();
  f.children.clear();
  if (const Json* ch = j.find("ch"); ch && ch->is_array()) {
    for (const auto& cj : ch->get_array()) {
      if (cj.is_null()) {
        f.children.emplace_back();
        continue;
      }
      auto c = std::make_unique<Frame>();
      SL_RETURN_IF_ERROR(RestoreFrame(*c, cj, &f));
      f.children.push_back(std::move(c));
    }
  }
  f.results.clear();
  if (const Json* rs = j.find("rs"); rs && rs->is_array()) f.results = rs->get_array();
  f.items = Get(j, "it");
  f.launched = Int(j, "la");
  f.completed = Int(j, "co");
  f.failures = Int(j, "fa");
  f.max_concurrency = Int(j, "mc");
  f.tolerated_count = Int(j, "tc", -1);
  const Json* tp = j.find("tp");
  f.tolerated_pct = tp && tp->is_number() ? tp->get_double() : -1;
  const Json* fd = j.find("fd");
  f.failed = fd && fd->is_bool() && fd->get_bool();
  f.output = Get(j, "out");
  f.error = Str(j, "er");
  f.cause = Str(j, "ca");
  f.vars.reset();
  if (const Json* vr = j.find("vr"); vr && vr->is_object()) {
    f.vars = std::make_unique<Frame::Vars>();
    for (const auto& m : vr->get_object()) {
      Frame::Var& v = f.vars->map[m.key];
      v.value = m.value;
      v.bytes = m.value.Dump().size();
      f.vars->bytes += v.bytes;
    }
  }
  const Json* vt = j.find("vt");
  f.vars_root = vt && vt->is_bool() && vt->get_bool();
  if (f.phase == Frame::Phase::kTask && f.pending) tasks[f.pending] = &f;
  return Status();
}

Json Execution::Save(bool with_events) const {
  const Impl& m = *impl_;
  Json j = Json::EmptyObject();
  j.Set("v", 1);
  const ExecutionInfo& i = m.info;
  Json info = Json::EmptyObject();
  info.Set("arn", i.execution_arn);
  info.Set("name", i.name);
  info.Set("sm", i.state_machine_arn);
  info.Set("smn", i.state_machine_name);
  info.Set("role", i.role_arn);
  info.Set("region", i.region);
  info.Set("account", i.account);
  info.Set("redrive", i.redrive_count);
  info.Set("express", i.express);
  j.Set("info", std::move(info));
  j.Set("status", static_cast<int64_t>(m.status));
  j.Set("input", m.input);
  j.Set("output", m.output);
  j.Set("error", m.error);
  j.Set("cause", m.cause);
  j.Set("he", m.has_error);
  j.Set("hc", m.has_cause);
  j.Set("start", m.start_time);
  j.Set("stop", m.stop_time);
  j.Set("next", static_cast<int64_t>(m.next_id));
  j.Set("xt", static_cast<int64_t>(m.execution_timer));
  if (m.root) j.Set("root", m.SaveFrame(*m.root));
  Json::Array timers;
  for (const auto& [id, p] : m.timers) {
    Json t = Json::EmptyObject();
    t.Set("id", static_cast<int64_t>(id));
    t.Set("k", static_cast<int64_t>(p.kind));
    t.Set("due", p.due);
    t.Set("f", p.frame ? FramePath(p.frame) : Json());
    timers.push_back(std::move(t));
  }
  j.Set("timers", Json(std::move(timers)));
  j.Set("event_base", m.event_base);
  j.Set("event_count", m.event_base + static_cast<int64_t>(m.events.size()));
  if (with_events) {
    Json::Array evs;
    for (const auto& e : m.events) evs.push_back(history::EncodeEvent(e));
    j.Set("events", Json(std::move(evs)));
  }
  // Version 2: the version-1 document with each value shared by several places
  // (the input, a state's input, a Map's items...) written once.
  Json packed = PackShared(j);
  packed.Set("v", 2);
  return packed;
}

Result<std::unique_ptr<Execution>> Execution::Restore(std::shared_ptr<const asl::Definition> definition,
                                                      const Json& saved) {
  if (saved.is_object() && Int(saved, "v") == 2) {
    auto tree = UnpackShared(saved);
    if (!tree.ok()) return tree.status();
    return Restore(std::move(definition), *tree);
  }
  const Json& j = saved;
  if (!j.is_object() || Int(j, "v") != 1) return Bad("not an execution snapshot");
  ExecutionInfo info;
  Json ij = Get(j, "info");
  info.execution_arn = Str(ij, "arn");
  info.name = Str(ij, "name");
  info.state_machine_arn = Str(ij, "sm");
  info.state_machine_name = Str(ij, "smn");
  info.role_arn = Str(ij, "role");
  info.region = Str(ij, "region");
  info.account = Str(ij, "account");
  info.redrive_count = Int(ij, "redrive");
  const Json* ex = ij.find("express");
  info.express = ex && ex->is_bool() && ex->get_bool();
  auto e = std::make_unique<Execution>(std::move(definition), std::move(info));
  Impl& m = *e->impl_;
  int64_t st = Int(j, "status");
  if (st < 0 || st > static_cast<int64_t>(ExecStatus::kAborted)) return Bad("status");
  m.status = static_cast<ExecStatus>(st);
  m.input = Get(j, "input");
  m.output = Get(j, "output");
  m.error = Str(j, "error");
  m.cause = Str(j, "cause");
  const Json* he = j.find("he");
  const Json* hc = j.find("hc");
  m.has_error = he && he->is_bool() && he->get_bool();
  m.has_cause = hc && hc->is_bool() && hc->get_bool();
  m.start_time = Int(j, "start");
  m.stop_time = Int(j, "stop");
  m.next_id = static_cast<uint64_t>(Int(j, "next", 1));
  m.execution_timer = static_cast<uint64_t>(Int(j, "xt"));
  if (const Json* r = j.find("root"); r && r->is_object()) {
    m.root = std::make_unique<Frame>();
    SL_RETURN_IF_ERROR(m.RestoreFrame(*m.root, *r, nullptr));
  }
  if (const Json* ts = j.find("timers"); ts && ts->is_array()) {
    for (const auto& t : ts->get_array()) {
      Pending p;
      p.kind = static_cast<TimerKind>(Int(t, "k"));
      p.due = Int(t, "due");
      const Json* path = t.find("f");
      if (path && path->is_array()) {
        Frame* f = m.root.get();
        for (const auto& idx : path->get_array()) {
          if (!f || !idx.is_number()) return Bad("timer frame path");
          auto k = static_cast<size_t>(idx.get_int());
          if (k >= f->children.size() || !f->children[k]) return Bad("timer frame path");
          f = f->children[k].get();
        }
        p.frame = f;
      }
      m.timers[static_cast<uint64_t>(Int(t, "id"))] = p;
    }
  }
  m.event_base = Int(j, "event_base");
  if (!j.find("events")) m.event_base = Int(j, "event_count");  // saved without events
  if (const Json* evs = j.find("events"); evs && evs->is_array()) {
    for (const auto& ej : evs->get_array()) {
      SL_ASSIGN_OR_RETURN(auto ev, history::DecodeEvent(ej));
      m.events.push_back(std::move(ev));
    }
  }
  return e;
}

std::vector<TaskRequest> Execution::PendingTasks() const {
  std::vector<TaskRequest> out;
  for (const auto& [id, f] : impl_->tasks) {
    const asl::State& s = *f->state;
    TaskRequest r;
    r.id = id;
    r.state_name = s.name;
    r.resource = s.resource;
    r.kind = s.task_kind;
    r.pattern = s.pattern;
    r.service = s.service;
    r.action = s.action;
    r.input = f->effective;
    r.token = f->token;
    r.started = f->task_started;
    if (f->heartbeat_seconds) r.heartbeat_seconds = f->heartbeat_seconds;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<TimerRequest> Execution::PendingTimers() const {
  std::vector<TimerRequest> out;
  for (const auto& [id, p] : impl_->timers) out.push_back(TimerRequest{id, p.due, p.kind});
  return out;
}

}  // namespace stepline::runtime

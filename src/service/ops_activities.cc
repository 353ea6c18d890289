// Activities, activity workers (GetActivityTask long polls) and task tokens
// (SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat).
#include "service/ops.h"

namespace stepline::service::ops {

namespace {

constexpr Micros kActivityPollMicros = 60 * kMicrosPerSecond;  // AWS's long-poll length

void CreateActivity(Engine& e, const Json& req, Reply done) {
  std::string name = Str(req, "name");
  if (!IsValidName(name)) return done(Err("InvalidName", "Invalid Name: '" + name + "'"));
  store::Resource a;
  a.arn = ActivityArn(e.config().account, name);
  a.kind = "activity";
  a.name = name;
  a.created = e.clock().Now();
  a.doc = Json::EmptyObject();
  Json tags = Json::EmptyObject();
  if (const Json* t = req.find("tags"); t && t->is_array())
    for (const auto& tag : t->get_array()) tags.Set(Str(tag, "key"), Str(tag, "value"));
  a.doc.Set("tags", tags);
  Status st = e.durable().PutResource(a, true);
  if (st.name() == store::kAlreadyExists) {
    auto old = e.durable().GetResource(a.arn);  // idempotent: the existing activity
    if (old.ok()) a.created = old->created;
  } else if (!st.ok()) {
    return done(FromStore(st, "ActivityDoesNotExist", a.arn));
  }
  Json out = Json::EmptyObject();
  out.Set("activityArn", a.arn);
  out.Set("creationDate", Epoch(a.created));
  done(out);
}

Result<store::Resource> GetActivity(Engine& e, const std::string& arn) {
  if (!IsActivityArn(arn)) return BadArn(arn);
  auto r = e.durable().GetResource(arn);
  if (!r.ok() || r->kind != "activity") return Err("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
  return r;
}

void DeleteActivity(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "activityArn");
  if (!IsActivityArn(arn)) return done(BadArn(arn));
  (void)e.durable().DeleteResource(arn);
  done(Json::EmptyObject());
}

void DescribeActivity(Engine& e, const Json& req, Reply done) {
  auto a = GetActivity(e, Str(req, "activityArn"));
  if (!a.ok()) return done(a.status());
  Json out = Json::EmptyObject();
  out.Set("activityArn", a->arn);
  out.Set("name", a->name);
  out.Set("creationDate", Epoch(a->created));
  done(out);
}

void ListActivities(Engine& e, const Json& req, Reply done) {
  auto page = e.durable().ListResources("activity", "", Str(req, "nextToken"), MaxResults(req));
  if (!page.ok()) return done(FromStore(page.status(), "InvalidToken", ""));
  Json::Array items;
  for (const auto& r : page->items) {
    Json i = Json::EmptyObject();
    i.Set("activityArn", r.arn);
    i.Set("name", r.name);
    i.Set("creationDate", Epoch(r.created));
    items.push_back(std::move(i));
  }
  Json out = Json::EmptyObject();
  out.Set("activities", Json(std::move(items)));
  if (!page->next_token.empty()) out.Set("nextToken", page->next_token);
  done(out);
}

// Claims the oldest task of the activity for the worker; false when none.
bool TryClaim(Engine* e, const std::string& arn, const std::string& worker, const Reply& done) {
  auto claimed = e->durable().ClaimActivityTask(arn);
  if (!claimed.ok() || !*claimed) return false;
  const store::TaskRow& t = **claimed;
  Json out = Json::EmptyObject();
  out.Set("taskToken", t.token);
  const Json* input = t.request.find("input");
  out.Set("input", input ? input->Dump() : std::string("{}"));
  // The worker gets the token only once ActivityStarted is durable; a crash
  // before that leaves the claim to be undone at recovery (Engine::Recover).
  Input in;
  in.kind = Input::Kind::kTaskStarted;
  in.id = t.id;
  in.worker = worker;
  in.done = [done, out](Status st) {
    if (!st.ok()) return done(Err("InternalFailure", st.message()));
    done(out);
  };
  e->Deliver(t.execution_arn, std::move(in));
  return true;
}

// Claims a task for the worker, or waits for one until the deadline.
void Poll(Engine* e, std::string arn, std::string worker, Micros deadline, Reply done) {
  for (;;) {
    // Read the activity's generation before looking: if a task arrives after
    // the look, the generation moves and the wait below is refused.
    uint64_t gen = e->ActivityGeneration(arn);
    if (TryClaim(e, arn, worker, done)) return;
    if (e->clock().Now() >= deadline) return done(Json::EmptyObject());  // no task: no token (AWS)
    if (e->WaitForActivity(arn, gen, deadline,
                           [e, arn, worker, deadline, done] { Poll(e, arn, worker, deadline, done); }))
      return;
  }
}

void GetActivityTask(Engine& e, const Json& req, Reply done) {
  auto a = GetActivity(e, Str(req, "activityArn"));
  if (!a.ok()) return done(a.status());
  Poll(&e, a->arn, Str(req, "workerName"), e.clock().Now() + kActivityPollMicros, std::move(done));
}

// Finds the pending task a token names.
Result<store::TaskRow> TaskFor(Engine& e, const std::string& token) {
  // Tokens are "<execution ARN>#<task id>#<nonce>" (runtime/states/task.cc).
  auto hash = token.find('#');
  if (hash == std::string::npos || !ParseExecutionArn(token.substr(0, hash)))
    return Err("InvalidToken", "Invalid Token: 'Invalid token'");
  std::string arn = token.substr(0, hash);
  auto t = e.StoreFor(arn).TaskByToken(token);
  if (!t.ok()) {
    auto row = e.StoreFor(arn).GetExecution(arn);
    if (row.ok() && row->status != "RUNNING")
      return Err("TaskTimedOut", "Task Timed Out: '" + token + "'");
    return Err("TaskDoesNotExist", "Task Does Not Exist: '" + token + "'");
  }
  return t;
}

void Answer(Engine& e, const std::string& token, Input in, Reply done) {
  auto t = TaskFor(e, token);
  if (!t.ok()) return done(t.status());
  in.id = t->id;
  in.done = [done](Status st) {
    if (!st.ok()) return done(Err("InternalFailure", st.message()));
    done(Json::EmptyObject());
  };
  e.Deliver(t->execution_arn, std::move(in));
}

void SendTaskSuccess(Engine& e, const Json& req, Reply done) {
  auto out = Json::Parse(Str(req, "output"));
  if (!out.ok()) return done(Err("InvalidOutput", "Invalid Output: '" + out.status().message() + "'"));
  Input in;
  in.kind = Input::Kind::kTaskSucceeded;
  in.output = std::move(out).value();
  Answer(e, Str(req, "taskToken"), std::move(in), std::move(done));
}

void SendTaskFailure(Engine& e, const Json& req, Reply done) {
  Input in;
  in.kind = Input::Kind::kTaskFailed;
  in.error = Str(req, "error");
  in.cause = Str(req, "cause");
  in.has_error = Has(req, "error");
  in.has_cause = Has(req, "cause");
  Answer(e, Str(req, "taskToken"), std::move(in), std::move(done));
}

void SendTaskHeartbeat(Engine& e, const Json& req, Reply done) {
  Input in;
  in.kind = Input::Kind::kHeartbeat;
  Answer(e, Str(req, "taskToken"), std::move(in), std::move(done));
}

}  // namespace

void RegisterActivityOps(std::map<std::string, Handler>& t) {
  t["CreateActivity"] = CreateActivity;
  t["DeleteActivity"] = DeleteActivity;
  t["DescribeActivity"] = DescribeActivity;
  t["ListActivities"] = ListActivities;
  t["GetActivityTask"] = GetActivityTask;
  t["SendTaskSuccess"] = SendTaskSuccess;
  t["SendTaskFailure"] = SendTaskFailure;
  t["SendTaskHeartbeat"] = SendTaskHeartbeat;
}

}  // namespace stepline::service::ops

// Executions: start (async and sync), stop, describe, list, history.
#include "history/event.h"
#include "service/ops.h"
#include "runtime/errors.h"

namespace stepline::service::ops {

namespace {

constexpr size_t kMaxInputBytes = 256 * 1024;

// AWS's answer when an Express execution ARN is given where only Standard
// executions are recorded.
Status ExpressArn() { return Err("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'"); }

Status NoExecution(const std::string& arn) {
  return Err("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
}

// The recorded (Standard) execution an operation names, or AWS's error for
// a malformed ARN, an Express ARN or an unknown execution.
Result<store::ExecutionRow> RecordedExecution(Engine& e, const std::string& arn) {
  auto ref = ParseExecutionArn(arn);
  if (!ref) return BadArn(arn);
  if (ref->express) return ExpressArn();
  auto row = e.durable().GetExecution(arn);
  if (!row.ok()) return NoExecution(arn);
  return row;
}

// What StartExecution runs: the state machine, a version, or a version an alias picked.
struct Target {
  store::Resource record;  // the state machine or version record
  std::string sm_arn, sm_name, version_arn, alias_arn;
};

Result<Target> ResolveTarget(Engine& e, const std::string& arn, uint64_t seed) {
  auto ref = ParseStateMachineArn(arn);
  if (!ref) return BadArn(arn);
  Target t;
  t.sm_arn = ref->unqualified;
  t.sm_name = ref->name;
  std::string record_arn = arn;
  if (!ref->qualifier.empty() && !ref->is_version()) {
    auto alias = e.durable().GetResource(arn);
    if (!alias.ok() || alias->kind != "alias")
      return Err("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
    t.alias_arn = arn;
    // Weighted routing between (at most) two versions.
    const Json* rc = alias->doc.find("routingConfiguration");
    int64_t pick = static_cast<int64_t>(seed % 100), acc = 0;
    for (const auto& r : rc->get_array()) {
      acc += Int(r, "weight", 0);
      record_arn = Str(r, "stateMachineVersionArn");
      if (pick < acc) break;
    }
  }
  auto rec = e.durable().GetResource(record_arn);
  if (!rec.ok() || (rec->kind != "stateMachine" && rec->kind != "version"))
    return Err("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  if (rec->kind == "version") t.version_arn = record_arn;
  t.record = std::move(rec).value();
  return t;
}

Result<StartSpec> BuildSpec(Engine& e, const Json& req, std::string* type_out) {
  SeededRandom rnd(static_cast<uint64_t>(e.clock().Now()) ^ reinterpret_cast<uintptr_t>(&req));
  auto target = ResolveTarget(e, Str(req, "stateMachineArn"), rnd.NextU64());
  if (!target.ok()) return target.status();
  StartSpec s;
  s.state_machine_arn = target->sm_arn;
  s.state_machine_name = target->sm_name;
  s.version_arn = target->version_arn;
  s.alias_arn = target->alias_arn;
  s.type = Str(target->record.doc, "type", "STANDARD");
  *type_out = s.type;
  s.name = Has(req, "name") ? Str(req, "name") : MakeUuid(rnd);
  if (!IsValidName(s.name)) return Err("InvalidName", "Invalid Name: '" + s.name + "'");
  s.input_text = Has(req, "input") ? Str(req, "input") : "{}";
  if (s.input_text.size() > kMaxInputBytes)
    return Err("InvalidExecutionInput", "Invalid State Machine Execution Input: 'Input size exceeds the maximum of "
                                        "262144 bytes'");
  auto in = Json::Parse(s.input_text);
  if (!in.ok())
    return Err("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + in.status().message() + "'");
  s.input = std::move(in).value();
  s.role_arn = Str(target->record.doc, "roleArn");
  s.definition_id = Str(target->record.doc, "definitionId");
  s.trace_header = Str(req, "traceHeader");
  // The record that runs (state machine or version) decides the logging.
  s.logging = ResolveLogConfig(target->record.doc.find("loggingConfiguration"));
  return s;
}

// The fields DescribeExecution and ListExecutions' items share.
Json Summary(const store::ExecutionRow& r) {
  Json out = Json::EmptyObject();
  out.Set("executionArn", r.arn);
  out.Set("stateMachineArn", r.version_arn.empty() ? r.state_machine_arn : r.version_arn);
  out.Set("name", r.name);
  out.Set("status", r.status);
  out.Set("startDate", Epoch(r.start));
  if (r.stop) out.Set("stopDate", Epoch(r.stop));
  if (!r.version_arn.empty()) out.Set("stateMachineVersionArn", r.version_arn);
  if (!r.alias_arn.empty()) out.Set("stateMachineAliasArn", r.alias_arn);
  return out;
}

Json DescribeRow(const store::ExecutionRow& r, bool include_data = true) {
  Json out = Summary(r);
  Json details = Json::EmptyObject();
  details.Set("included", include_data);
  if (include_data) out.Set("input", Str(r.doc, "input"));
  out.Set("inputDetails", details);
  if (r.status == "SUCCEEDED") {
    if (include_data) out.Set("output", Str(r.doc, "output"));
    out.Set("outputDetails", details);
  }
  if (const Json* v = r.doc.find("error")) out.Set("error", *v);
  if (const Json* v = r.doc.find("cause")) out.Set("cause", *v);
  if (const Json* v = r.doc.find("traceHeader")) out.Set("traceHeader", *v);
  if (!r.map_run_arn.empty()) out.Set("mapRunArn", r.map_run_arn);
  return out;
}

void StartExecution(Engine& e, const Json& req, Reply done) {
  std::string type;
  auto spec = BuildSpec(e, req, &type);
  if (!spec.ok()) return done(spec.status());
  e.StartExecution(std::move(spec).value(), [done](Result<store::ExecutionRow> row) {
    if (!row.ok()) return done(row.status());
    Json out = Json::EmptyObject();
    out.Set("executionArn", row->arn);
    out.Set("startDate", Epoch(row->start));
    done(out);
  });
}

void StartSyncExecution(Engine& e, const Json& req, Reply done) {
  std::string type;
  auto spec = BuildSpec(e, req, &type);
  if (!spec.ok()) return done(spec.status());
  if (type != "EXPRESS")
    return done(Err("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine"));
  Engine* eng = &e;
  bool data = Str(req, "includedData", "ALL_DATA") != "METADATA_ONLY";
  e.StartExecution(std::move(spec).value(), [eng, done, data](Result<store::ExecutionRow> row) {
    if (!row.ok()) return done(row.status());
    eng->WhenFinished(row->arn, [done, data](const store::ExecutionRow& r) {
      Json out = DescribeRow(r, data);
      Micros billed = std::max<Micros>(100, (r.stop - r.start + 99'999) / 100'000 * 100);  // 100 ms steps
      Json billing = Json::EmptyObject();
      billing.Set("billedMemoryUsedInMB", 64);
      billing.Set("billedDurationInMilliseconds", billed);
      out.Set("billingDetails", billing);
      done(out);
    });
  });
}

void StopExecution(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "executionArn");
  auto row = RecordedExecution(e, arn);
  if (!row.ok()) return done(row.status());
  if (row->status != "RUNNING") {
    Json out = Json::EmptyObject();
    out.Set("stopDate", Epoch(row->stop));
    return done(out);
  }
  Input in;
  in.kind = Input::Kind::kStop;
  in.has_error = Has(req, "error");
  in.has_cause = Has(req, "cause");
  in.error = Str(req, "error");
  in.cause = Str(req, "cause");
  Engine* eng = &e;
  in.done = [eng, arn, done](Status st) {
    if (!st.ok()) return done(Err("InternalFailure", st.message()));
    auto r = eng->StoreFor(arn).GetExecution(arn);
    Json out = Json::EmptyObject();
    out.Set("stopDate", Epoch(r.ok() && r->stop ? r->stop : eng->clock().Now()));
    done(out);
  };
  e.Deliver(arn, std::move(in));
}

void DescribeExecution(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "executionArn");
  auto row = RecordedExecution(e, arn);
  if (!row.ok()) return done(row.status());
  Json out = DescribeRow(*row, Str(req, "includedData", "ALL_DATA") != "METADATA_ONLY");
  out.Set("redriveCount", Int(row->doc, "redriveCount", 0));
  if (row->doc.find("redriveDate")) out.Set("redriveDate", Epoch(Int(row->doc, "redriveDate", 0)));
  bool ended_unsuccessfully = row->status == "FAILED" || row->status == "TIMED_OUT" || row->status == "ABORTED";
  bool history_full = row->event_count >= runtime::kMaxHistoryEvents - 1;
  out.Set("redriveStatus", ended_unsuccessfully && !history_full ? "REDRIVABLE" : "NOT_REDRIVABLE");
  if (!ended_unsuccessfully)
    out.Set("redriveStatusReason", row->status == "RUNNING" ? "Execution is RUNNING and cannot be redriven"
                                                            : "Execution is SUCCEEDED and cannot be redriven");
  else if (history_full)
    out.Set("redriveStatusReason", "Execution history event limit exceeded");
  done(out);
}

void ListExecutions(Engine& e, const Json& req, Reply done) {
  store::ExecutionFilter f;
  if (Has(req, "mapRunArn")) {
    f.map_run_arn = Str(req, "mapRunArn");
  } else {
    std::string arn = Str(req, "stateMachineArn");
    if (arn.empty()) return done(Err("ValidationException", "Must provide a StateMachine ARN or MapRun ARN"));
    auto ref = ParseStateMachineArn(arn);
    if (!ref) return done(BadArn(arn));
    auto sm = e.durable().GetResource(ref->unqualified);
    if (!sm.ok()) return done(Err("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'"));
    if (Str(sm->doc, "type") == "EXPRESS")
      return done(Err("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine"));
    f.state_machine_arn = ref->unqualified;
    if (!ref->qualifier.empty()) f.version_or_alias_arn = arn;
  }
  f.status = Str(req, "statusFilter");
  auto page = e.durable().ListExecutions(f, Str(req, "nextToken"), MaxResults(req));
  if (!page.ok()) return done(FromStore(page.status(), "InvalidToken", ""));
  Json::Array items;
  for (const auto& r : page->items) {
    Json i = Summary(r);
    i.Set("redriveCount", Int(r.doc, "redriveCount", 0));
    items.push_back(std::move(i));
  }
  Json out = Json::EmptyObject();
  out.Set("executions", Json(std::move(items)));
  if (!page->next_token.empty()) out.Set("nextToken", page->next_token);
  done(out);
}

void GetExecutionHistory(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "executionArn");
  auto row = RecordedExecution(e, arn);
  if (!row.ok()) return done(row.status());
  bool reverse = Bool(req, "reverseOrder", false);
  size_t max = MaxResults(req);
  int64_t from = reverse ? 0 : 0;
  std::string token = Str(req, "nextToken");
  if (!token.empty()) {
    // The token names the last event id returned.
    char* end = nullptr;
    long long v = std::strtoll(token.c_str(), &end, 10);
    if (!end || *end || v < 0) return done(Err("InvalidToken", "Invalid Token: '" + token + "'"));
    from = v;
  }
  auto events = e.StoreFor(arn).ReadHistory(arn, from, max, reverse);
  if (!events.ok()) return done(FromStore(events.status(), "ExecutionDoesNotExist", arn));
  bool data = Bool(req, "includeExecutionData", true);
  Json::Array items;
  for (const auto& ev : *events) items.push_back(history::RenderEvent(ev, data));
  Json out = Json::EmptyObject();
  out.Set("events", Json(std::move(items)));
  if (events->size() == max && !events->empty()) {
    int64_t last = events->back().id;
    bool more = reverse ? last > 1 : last < row->event_count;
    if (more) out.Set("nextToken", std::to_string(last));
  }
  done(out);
}

void RedriveExecution(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "executionArn");
  auto ref = ParseExecutionArn(arn);
  if (!ref || ref->express)
    return done(BadArn(arn));
  auto row = e.durable().GetExecution(arn);
  if (!row.ok()) return done(NoExecution(arn));
  if (row->status == "RUNNING" || row->status == "SUCCEEDED")
    return done(Err("ExecutionNotRedrivable",
                    "Execution with status " + row->status + " cannot be redriven: '" + arn + "'"));
  if (row->event_count >= runtime::kMaxHistoryEvents - 1)
    return done(Err("ExecutionNotRedrivable", "Execution history event limit exceeded: '" + arn + "'"));
  Input in;
  in.kind = Input::Kind::kRedrive;
  Engine* eng = &e;
  in.done = [eng, arn, done](Status st) {
    if (!st.ok()) return done(Err("InternalFailure", st.message()));
    auto r = eng->durable().GetExecution(arn);
    if (!r.ok() || r->status != "RUNNING")
      return done(Err("ExecutionNotRedrivable", "Execution cannot be redriven: '" + arn + "'"));
    Json out = Json::EmptyObject();
    out.Set("redriveDate", Epoch(Int(r->doc, "redriveDate", eng->clock().Now())));
    done(out);
  };
  e.Deliver(arn, std::move(in));
}

}  // namespace

void RegisterExecutionOps(std::map<std::string, Handler>& t) {
  // Starts resolve their target on the caller; the engine decides where the
  // execution's first step runs.
  t["StartExecution"] = {StartExecution, true};
  t["StartSyncExecution"] = {StartSyncExecution, true};
  t["StopExecution"] = StopExecution;
  t["DescribeExecution"] = DescribeExecution;
  t["ListExecutions"] = ListExecutions;
  t["GetExecutionHistory"] = GetExecutionHistory;
  t["RedriveExecution"] = RedriveExecution;
}

}  // namespace stepline::service::ops

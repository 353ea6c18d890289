// State machines, their versions and aliases.
#include <mutex>

#include "asl/validate/validate.h"
#include "service/execution_log.h"
#include "service/ops.h"

namespace stepline::service::ops {

namespace {

std::mutex g_mu;  // read-modify-write of state machine records (version counters, aliases)

Json DefaultLogging() {
  Json l = Json::EmptyObject();
  l.Set("level", "OFF");
  l.Set("includeExecutionData", false);
  return l;
}
Json DefaultTracing() {
  Json t = Json::EmptyObject();
  t.Set("enabled", false);
  return t;
}

Status NoStateMachine(const std::string& arn) {
  return Err("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
}

Result<StateMachineRef> ParseSm(const std::string& arn) {
  auto ref = ParseStateMachineArn(arn);
  if (!ref) return BadArn(arn);
  return *ref;
}

// Validates a definition; InvalidDefinition with AWS's message otherwise.
Result<std::string> CheckDefinition(Engine& e, const std::string& text) {
  auto diags = asl::ValidateDefinitionText(text);
  if (asl::HasErrors(diags)) return Err("InvalidDefinition", asl::InvalidDefinitionMessage(diags));
  auto id = e.RegisterDefinition(text);
  if (!id.ok()) return Err("InvalidDefinition", "Invalid State Machine Definition: '" + id.status().message() + "'");
  return id;
}

Status CheckRole(const std::string& role) {
  if (role.rfind("arn:", 0) != 0) return Err("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + role + "'");
  return Status();
}

// Publishes the current revision as a new version (the caller holds g_mu).
Result<store::Resource> Publish(Engine& e, store::Resource& sm, const std::string& description) {
  // Publishing an unchanged revision again returns the latest version (AWS).
  auto versions = e.durable().ListResources("version", sm.arn, "", 1);
  if (versions.ok() && !versions->items.empty()) {
    const auto& latest = versions->items.front();
    const Json* rev = latest.doc.find("revision");
    if (rev && *rev == *sm.doc.find("revision")) return latest;
  }
  int64_t n = Int(sm.doc, "nextVersion", 1);
  store::Resource v;
  v.arn = sm.arn + ":" + std::to_string(n);
  v.kind = "version";
  v.parent_arn = sm.arn;
  v.name = sm.name;
  v.created = e.clock().Now();
  v.doc = sm.doc;
  v.doc.Erase("nextVersion");
  v.doc.Erase("tags");
  v.doc.Erase("description");
  if (!description.empty()) v.doc.Set("description", description);
  Status st = e.durable().PutResource(v, true);
  if (!st.ok()) return FromStore(st, "StateMachineDoesNotExist", sm.arn);
  sm.doc.Set("nextVersion", n + 1);
  st = e.durable().PutResource(sm, false);
  if (!st.ok()) return FromStore(st, "StateMachineDoesNotExist", sm.arn);
  return v;
}

// Express machines cannot wait on activities, callbacks or .sync jobs (AWS).
Status CheckExpress(const Json& machine, const std::string& where) {
  const Json* states = machine.find("States");
  if (!states || !states->is_object()) return Status();
  for (const auto& m : states->get_object()) {
    std::string loc = where + "/States/" + m.key;
    const Json& st = m.value;
    if (const Json* r = st.find("Resource"); r && r->is_string()) {
      std::string_view res = r->get_string();
      if (IsActivityArn(res))
        return Err("InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state "
                                        "machine does not support Activity ARN at " + loc + "/Resource'");
      if (res.find(".waitForTaskToken") != std::string::npos || res.find(".sync") != std::string::npos)
        return Err("InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state "
                                        "machine does not support '.sync' or '.waitForTaskToken' service integration "
                                        "at " + loc + "/Resource'");
    }
    if (const Json* bs = st.find("Branches"); bs && bs->is_array())
      for (size_t i = 0; i < bs->size(); ++i)
        if (auto s2 = CheckExpress((*bs)[i], loc + "/Branches[" + std::to_string(i) + "]"); !s2.ok()) return s2;
    for (const char* k : {"ItemProcessor", "Iterator"})
      if (const Json* p = st.find(k))
        if (auto s2 = CheckExpress(*p, loc + "/" + k); !s2.ok()) return s2;
  }
  return Status();
}

void CreateStateMachine(Engine& e, const Json& req, Reply done) {
  std::string name = Str(req, "name");
  if (!IsValidName(name)) return done(Err("InvalidName", "Invalid Name: '" + name + "'"));
  std::string type = Str(req, "type", "STANDARD");
  if (type == "EXPRESS") {
    auto parsed = Json::Parse(Str(req, "definition"));
    if (parsed.ok())
      if (auto st = CheckExpress(*parsed, ""); !st.ok()) return done(st);
  }
  std::string role = Str(req, "roleArn");
  if (auto st = CheckRole(role); !st.ok()) return done(st);
  Json logging = DefaultLogging();
  if (Has(req, "loggingConfiguration")) {
    auto l = NormalizeLoggingConfiguration(*req.find("loggingConfiguration"));
    if (!l.ok()) return done(l.status());
    logging = std::move(l).value();
  }
  auto def_id = CheckDefinition(e, Str(req, "definition"));
  if (!def_id.ok()) return done(def_id.status());
  std::string arn = StateMachineArn(e.config().account, name);
  std::lock_guard<std::mutex> l(g_mu);
  SeededRandom rnd(static_cast<uint64_t>(e.clock().Now()));
  store::Resource sm;
  sm.arn = arn;
  sm.kind = "stateMachine";
  sm.name = name;
  sm.created = e.clock().Now();
  sm.doc = Json::EmptyObject();
  sm.doc.Set("definition", Str(req, "definition"));
  sm.doc.Set("definitionId", *def_id);
  sm.doc.Set("roleArn", role);
  sm.doc.Set("type", type);
  sm.doc.Set("loggingConfiguration", logging);
  sm.doc.Set("tracingConfiguration", Has(req, "tracingConfiguration") ? *req.find("tracingConfiguration") : DefaultTracing());
  if (Has(req, "encryptionConfiguration")) sm.doc.Set("encryptionConfiguration", *req.find("encryptionConfiguration"));
  // Internal revision for publishing; AWS shows revisionId only after an update.
  sm.doc.Set("revision", MakeUuid(rnd));
  sm.doc.Set("nextVersion", 1);
  Json tags = Json::EmptyObject();
  if (const Json* t = req.find("tags"); t && t->is_array())
    for (const auto& tag : t->get_array()) tags.Set(Str(tag, "key"), Str(tag, "value"));
  sm.doc.Set("tags", tags);
  Status st = e.durable().PutResource(sm, true);
  if (st.name() == store::kAlreadyExists) {
    // Idempotent: the same definition, role and type return the existing machine.
    auto old = e.durable().GetResource(arn);
    // AWS: the check covers definition, type, logging, tracing and encryption;
    // a different roleArn or tags are ignored (and not updated).
    auto same = [&](const char* key, const Json& def) {
      const Json* a = old->doc.find(key);
      const Json* b = req.find(key);
      return (a ? *a : def) == (b && !b->is_null() ? *b : def);
    };
    const Json* old_logging = old.ok() ? old->doc.find("loggingConfiguration") : nullptr;
    if (old.ok() && Str(old->doc, "definitionId") == *def_id && Str(old->doc, "type") == type &&
        (old_logging ? *old_logging : DefaultLogging()) == logging && same("tracingConfiguration", DefaultTracing()) &&
        same("encryptionConfiguration", Json()) && !Bool(req, "publish", false)) {
      Json out = Json::EmptyObject();
      out.Set("stateMachineArn", arn);
      out.Set("creationDate", Epoch(old->created));
      return done(out);
    }
    return done(Err("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'"));
  }
  if (!st.ok()) return done(FromStore(st, "StateMachineDoesNotExist", arn));
  Json out = Json::EmptyObject();
  out.Set("stateMachineArn", arn);
  out.Set("creationDate", Epoch(sm.created));
  if (Bool(req, "publish", false)) {
    auto v = Publish(e, sm, Str(req, "versionDescription"));
    if (!v.ok()) return done(v.status());
    out.Set("stateMachineVersionArn", v->arn);
  }
  done(out);
}

// Fills DescribeStateMachine's fields from a state machine or version record.
Json DescribeRecord(const store::Resource& r, const std::string& arn) {
  Json out = Json::EmptyObject();
  out.Set("stateMachineArn", arn);
  out.Set("name", r.name);
  out.Set("status", "ACTIVE");
  out.Set("definition", Str(r.doc, "definition"));
  out.Set("roleArn", Str(r.doc, "roleArn"));
  out.Set("type", Str(r.doc, "type", "STANDARD"));
  out.Set("creationDate", Epoch(r.created));
  if (const Json* l = r.doc.find("loggingConfiguration")) out.Set("loggingConfiguration", *l);
  if (const Json* t = r.doc.find("tracingConfiguration")) out.Set("tracingConfiguration", *t);
  if (const Json* c = r.doc.find("encryptionConfiguration")) out.Set("encryptionConfiguration", *c);
  if (const Json* v = r.doc.find("revisionId")) out.Set("revisionId", *v);
  if (const Json* d = r.doc.find("description")) out.Set("description", *d);
  return out;
}

void DescribeStateMachine(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "stateMachineArn");
  auto ref = ParseSm(arn);
  if (!ref.ok()) return done(ref.status());
  if (!ref->qualifier.empty() && !ref->is_version())
    return done(BadArn(arn));
  auto r = e.durable().GetResource(arn);
  if (!r.ok() || (r->kind != "stateMachine" && r->kind != "version")) return done(NoStateMachine(arn));
  done(DescribeRecord(*r, arn));
}

void UpdateStateMachine(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "stateMachineArn");
  auto ref = ParseSm(arn);
  if (!ref.ok()) return done(ref.status());
  if (!Has(req, "definition") && !Has(req, "roleArn") && !Has(req, "loggingConfiguration") &&
      !Has(req, "tracingConfiguration") && !Has(req, "encryptionConfiguration") && !Bool(req, "publish", false))
    return done(Err("MissingRequiredParameter",
                    "Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or "
                    "the TracingConfiguration must be specified"));
  std::string def_id;
  if (Has(req, "definition")) {
    auto id = CheckDefinition(e, Str(req, "definition"));
    if (!id.ok()) return done(id.status());
    def_id = *id;
  }
  if (Has(req, "roleArn"))
    if (auto st = CheckRole(Str(req, "roleArn")); !st.ok()) return done(st);
  Json logging;
  if (Has(req, "loggingConfiguration")) {
    auto lc = NormalizeLoggingConfiguration(*req.find("loggingConfiguration"));
    if (!lc.ok()) return done(lc.status());
    logging = std::move(lc).value();
  }
  std::lock_guard<std::mutex> l(g_mu);
  auto r = e.durable().GetResource(ref->unqualified);
  if (!r.ok() || r->kind != "stateMachine") return done(NoStateMachine(arn));
  store::Resource sm = *r;
  bool changed = false;
  auto set = [&](const char* key, const Json& v) {
    const Json* old = sm.doc.find(key);
    if (!old || *old != v) changed = true;
    sm.doc.Set(key, v);
  };
  if (Has(req, "definition")) {
    set("definition", Json(Str(req, "definition")));
    set("definitionId", Json(def_id));
  }
  if (Has(req, "roleArn")) set("roleArn", Json(Str(req, "roleArn")));
  if (Has(req, "loggingConfiguration")) set("loggingConfiguration", logging);
  if (Has(req, "tracingConfiguration")) set("tracingConfiguration", *req.find("tracingConfiguration"));
  if (Has(req, "encryptionConfiguration")) set("encryptionConfiguration", *req.find("encryptionConfiguration"));
  Micros now = e.clock().Now();
  if (changed || !sm.doc.find("revisionId")) {
    SeededRandom rnd(static_cast<uint64_t>(now));
    std::string rev = MakeUuid(rnd);
    if (changed) sm.doc.Set("revision", rev);
    sm.doc.Set("revisionId", Str(sm.doc, "revision"));
  }
  sm.doc.Set("updateDate", now);
  Status st = e.durable().PutResource(sm, false);
  if (!st.ok()) return done(FromStore(st, "StateMachineDoesNotExist", arn));
  Json out = Json::EmptyObject();
  out.Set("updateDate", Epoch(now));
  out.Set("revisionId", Str(sm.doc, "revisionId"));
  if (Bool(req, "publish", false)) {
    auto v = Publish(e, sm, Str(req, "versionDescription"));
    if (!v.ok()) return done(v.status());
    out.Set("stateMachineVersionArn", v->arn);
  }
  done(out);
}

void DeleteStateMachine(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "stateMachineArn");
  auto ref = ParseSm(arn);
  if (!ref.ok()) return done(ref.status());
  if (!ref->qualifier.empty())
    return done(Err("ValidationException", "Invalid Arn: qualified state machine ARNs cannot be deleted here"));
  std::lock_guard<std::mutex> l(g_mu);
  for (const char* kind : {"version", "alias"}) {
    std::string token;
    do {
      auto page = e.durable().ListResources(kind, arn, token, 100);
      if (!page.ok()) break;
      for (const auto& r : page->items) (void)e.durable().DeleteResource(r.arn);
      token = page->next_token;
    } while (!token.empty());
  }
  (void)e.durable().DeleteResource(arn);  // deleting what is gone is not an error (AWS)
  done(Json::EmptyObject());
}

void ListStateMachines(Engine& e, const Json& req, Reply done) {
  auto page = e.durable().ListResources("stateMachine", "", Str(req, "nextToken"), MaxResults(req));
  if (!page.ok()) return done(FromStore(page.status(), "InvalidToken", ""));
  Json::Array items;
  for (const auto& r : page->items) {
    Json i = Json::EmptyObject();
    i.Set("stateMachineArn", r.arn);
    i.Set("name", r.name);
    i.Set("type", Str(r.doc, "type", "STANDARD"));
    i.Set("creationDate", Epoch(r.created));
    items.push_back(std::move(i));
  }
  Json out = Json::EmptyObject();
  out.Set("stateMachines", Json(std::move(items)));
  if (!page->next_token.empty()) out.Set("nextToken", page->next_token);
  done(out);
}

void DescribeStateMachineForExecution(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "executionArn");
  auto ref = ParseExecutionArn(arn);
  if (!ref) return done(BadArn(arn));
  auto row = e.StoreFor(arn).GetExecution(arn);
  if (!row.ok()) return done(Err("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'"));
  auto def = e.durable().GetResource("definition:" + Str(row->doc, "definitionId"));
  auto sm = e.durable().GetResource(row->version_arn.empty() ? row->state_machine_arn : row->version_arn);
  Json out = Json::EmptyObject();
  out.Set("stateMachineArn", row->version_arn.empty() ? row->state_machine_arn : row->version_arn);
  out.Set("name", ref->state_machine_name);
  out.Set("definition", def.ok() ? Str(def->doc, "definition") : std::string());
  out.Set("roleArn", Str(row->doc, "roleArn"));
  out.Set("updateDate", Epoch(sm.ok() ? Int(sm->doc, "updateDate", sm->created) : row->start));
  out.Set("loggingConfiguration", sm.ok() && sm->doc.find("loggingConfiguration") ? *sm->doc.find("loggingConfiguration") : DefaultLogging());
  out.Set("tracingConfiguration", sm.ok() && sm->doc.find("tracingConfiguration") ? *sm->doc.find("tracingConfiguration") : DefaultTracing());
  if (sm.ok() && sm->doc.find("revisionId")) out.Set("revisionId", *sm->doc.find("revisionId"));
  done(out);
}

// ---- versions ------------------------------------------------------------------

void PublishStateMachineVersion(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "stateMachineArn");
  auto ref = ParseSm(arn);
  if (!ref.ok()) return done(ref.status());
  std::lock_guard<std::mutex> l(g_mu);
  auto r = e.durable().GetResource(ref->unqualified);
  if (!r.ok() || r->kind != "stateMachine") return done(NoStateMachine(arn));
  store::Resource sm = *r;
  if (Has(req, "revisionId") && Str(req, "revisionId") != Str(sm.doc, "revision"))
    return done(Err("ConflictException",
                    "Failed to publish the State Machine version for revision " + Str(req, "revisionId") +
                        ". The current State Machine revision is " + Str(sm.doc, "revision") + "."));
  auto v = Publish(e, sm, Str(req, "description"));
  if (!v.ok()) return done(v.status());
  Json out = Json::EmptyObject();
  out.Set("creationDate", Epoch(v->created));
  out.Set("stateMachineVersionArn", v->arn);
  done(out);
}

void ListStateMachineVersions(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "stateMachineArn");
  auto ref = ParseSm(arn);
  if (!ref.ok()) return done(ref.status());
  auto page = e.durable().ListResources("version", ref->unqualified, Str(req, "nextToken"), MaxResults(req));
  if (!page.ok()) return done(FromStore(page.status(), "InvalidToken", ""));
  Json::Array items;
  for (const auto& r : page->items) {
    Json i = Json::EmptyObject();
    i.Set("stateMachineVersionArn", r.arn);
    i.Set("creationDate", Epoch(r.created));
    items.push_back(std::move(i));
  }
  Json out = Json::EmptyObject();
  out.Set("stateMachineVersions", Json(std::move(items)));
  if (!page->next_token.empty()) out.Set("nextToken", page->next_token);
  done(out);
}

// Names of the aliases routing to `version_arn`.
std::vector<std::string> AliasesRouting(Engine& e, const std::string& sm_arn, const std::string& version_arn) {
  std::vector<std::string> names;
  std::string token;
  do {
    auto page = e.durable().ListResources("alias", sm_arn, token, 100);
    if (!page.ok()) break;
    for (const auto& a : page->items)
      if (const Json* rc = a.doc.find("routingConfiguration"); rc && rc->is_array())
        for (const auto& route : rc->get_array())
          if (Str(route, "stateMachineVersionArn") == version_arn) names.push_back(a.name);
    token = page->next_token;
  } while (!token.empty());
  return names;
}
bool VersionIsRouted(Engine& e, const std::string& sm_arn, const std::string& version_arn) {
  return !AliasesRouting(e, sm_arn, version_arn).empty();
}

void DeleteStateMachineVersion(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "stateMachineVersionArn");
  auto ref = ParseSm(arn);
  if (!ref.ok() || !ref->is_version())
    return done(BadArn(arn));
  std::lock_guard<std::mutex> l(g_mu);
  auto names = AliasesRouting(e, ref->unqualified, arn);
  if (!names.empty()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    return done(Err("ConflictException", "Version to be deleted must not be referenced by an alias. Current list of "
                                         "aliases referencing this version: [" + list + "]"));
  }
  (void)e.durable().DeleteResource(arn);
  done(Json::EmptyObject());
}

// ---- aliases ---------------------------------------------------------------------

Status CheckRouting(Engine& e, const std::string& sm_arn, const Json& routing) {
  if (!routing.is_array() || routing.size() < 1 || routing.size() > 2)
    return Err("ValidationException", "Routing configuration must contain one or two versions");
  int64_t total = 0;
  std::set<std::string> seen;
  for (const auto& r : routing.get_array()) {
    std::string v = Str(r, "stateMachineVersionArn");
    auto ref = ParseStateMachineArn(v);
    if (!ref || !ref->is_version() || ref->unqualified != sm_arn)
      return Err("ValidationException", "Routing configuration must contain state machine version ARNs of " + sm_arn);
    if (!seen.insert(v).second) return Err("ValidationException", "Routing configuration must not contain duplicate versions");
    if (!e.durable().GetResource(v).ok())
      return Err("ResourceNotFound", "Resource not found: '" + v + "'");
    total += Int(r, "weight", -1);
  }
  if (total != 100) return Err("ValidationException", "Sum of routing configuration weights must be equal to 100");
  return Status();
}

void CreateStateMachineAlias(Engine& e, const Json& req, Reply done) {
  std::string name = Str(req, "name");
  if (!IsValidName(name) || name.find_first_not_of("0123456789") == std::string::npos)
    return done(Err("ValidationException", "Invalid alias name: '" + name + "'"));
  const Json* routing = req.find("routingConfiguration");
  if (!routing || routing->size() == 0) return done(Err("ValidationException", "Routing configuration is required"));
  auto first = ParseStateMachineArn(Str((*routing)[0], "stateMachineVersionArn"));
  if (!first) return done(Err("ValidationException", "Invalid state machine version ARN"));
  std::string sm_arn = first->unqualified;
  std::lock_guard<std::mutex> l(g_mu);
  if (auto st = CheckRouting(e, sm_arn, *routing); !st.ok()) return done(st);
  store::Resource a;
  a.arn = sm_arn + ":" + name;
  a.kind = "alias";
  a.parent_arn = sm_arn;
  a.name = name;
  a.created = e.clock().Now();
  a.doc = Json::EmptyObject();
  a.doc.Set("routingConfiguration", *routing);
  if (Has(req, "description")) a.doc.Set("description", Str(req, "description"));
  a.doc.Set("updateDate", a.created);
  Status st = e.durable().PutResource(a, true);
  if (st.name() == store::kAlreadyExists) {
    auto old = e.durable().GetResource(a.arn);
    if (old.ok() && *old->doc.find("routingConfiguration") == *routing &&
        Str(old->doc, "description") == Str(req, "description")) {
      Json out = Json::EmptyObject();
      out.Set("stateMachineAliasArn", a.arn);
      out.Set("creationDate", Epoch(old->created));
      return done(out);
    }
    return done(Err("ConflictException", "Failed to create alias because an alias with the same name and a different "
                                         "routing configuration already exists."));
  }
  if (!st.ok()) return done(FromStore(st, "ResourceNotFound", a.arn));
  Json out = Json::EmptyObject();
  out.Set("stateMachineAliasArn", a.arn);
  out.Set("creationDate", Epoch(a.created));
  done(out);
}

Result<store::Resource> GetAlias(Engine& e, const std::string& arn) {
  auto ref = ParseStateMachineArn(arn);
  if (!ref || ref->qualifier.empty() || ref->is_version())
    return BadArn(arn);
  auto r = e.durable().GetResource(arn);
  if (!r.ok() || r->kind != "alias") return Err("ResourceNotFound", "Resource not found: '" + arn + "'");
  return r;
}

void DescribeStateMachineAlias(Engine& e, const Json& req, Reply done) {
  auto a = GetAlias(e, Str(req, "stateMachineAliasArn"));
  if (!a.ok()) return done(a.status());
  Json out = Json::EmptyObject();
  out.Set("stateMachineAliasArn", a->arn);
  out.Set("name", a->name);
  if (const Json* d = a->doc.find("description")) out.Set("description", *d);
  out.Set("routingConfiguration", *a->doc.find("routingConfiguration"));
  out.Set("creationDate", Epoch(a->created));
  out.Set("updateDate", Epoch(Int(a->doc, "updateDate", a->created)));
  done(out);
}

void UpdateStateMachineAlias(Engine& e, const Json& req, Reply done) {
  std::lock_guard<std::mutex> l(g_mu);
  auto a = GetAlias(e, Str(req, "stateMachineAliasArn"));
  if (!a.ok()) return done(a.status());
  if (!Has(req, "description") && !Has(req, "routingConfiguration"))
    return done(Err("ValidationException", "Either the description or the RoutingConfiguration must be specified"));
  store::Resource r = *a;
  if (const Json* rc = req.find("routingConfiguration"); rc && !rc->is_null()) {
    if (auto st = CheckRouting(e, r.parent_arn, *rc); !st.ok()) return done(st);
    r.doc.Set("routingConfiguration", *rc);
  }
  if (Has(req, "description")) r.doc.Set("description", Str(req, "description"));
  Micros now = e.clock().Now();
  r.doc.Set("updateDate", now);
  Status st = e.durable().PutResource(r, false);
  if (!st.ok()) return done(FromStore(st, "ResourceNotFound", r.arn));
  Json out = Json::EmptyObject();
  out.Set("updateDate", Epoch(now));
  done(out);
}

void DeleteStateMachineAlias(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "stateMachineAliasArn");
  auto ref = ParseStateMachineArn(arn);
  if (!ref || ref->qualifier.empty() || ref->is_version())
    return done(BadArn(arn));
  std::lock_guard<std::mutex> l(g_mu);
  Status st = e.durable().DeleteResource(arn);
  if (!st.ok() && st.name() != store::kNotFound) return done(FromStore(st, "ResourceNotFound", arn));
  done(Json::EmptyObject());
}

void ListStateMachineAliases(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "stateMachineArn");
  auto ref = ParseSm(arn);
  if (!ref.ok()) return done(ref.status());
  auto sm = e.durable().GetResource(ref->unqualified);
  if (!sm.ok()) return done(NoStateMachine(arn));
  auto page = e.durable().ListResources("alias", ref->unqualified, Str(req, "nextToken"), MaxResults(req));
  if (!page.ok()) return done(FromStore(page.status(), "InvalidToken", ""));
  Json::Array items;
  for (const auto& r : page->items) {
    if (ref->is_version() && !VersionIsRouted(e, ref->unqualified, arn)) continue;
    Json i = Json::EmptyObject();
    i.Set("stateMachineAliasArn", r.arn);
    i.Set("creationDate", Epoch(r.created));
    items.push_back(std::move(i));
  }
  Json out = Json::EmptyObject();
  out.Set("stateMachineAliases", Json(std::move(items)));
  if (!page->next_token.empty()) out.Set("nextToken", page->next_token);
  done(out);
}

}  // namespace

void RegisterStateMachineOps(std::map<std::string, Handler>& t) {
  t["CreateStateMachine"] = CreateStateMachine;
  t["DescribeStateMachine"] = DescribeStateMachine;
  t["UpdateStateMachine"] = UpdateStateMachine;
  t["DeleteStateMachine"] = DeleteStateMachine;
  t["ListStateMachines"] = ListStateMachines;
  t["DescribeStateMachineForExecution"] = DescribeStateMachineForExecution;
  t["PublishStateMachineVersion"] = PublishStateMachineVersion;
  t["ListStateMachineVersions"] = ListStateMachineVersions;
  t["DeleteStateMachineVersion"] = DeleteStateMachineVersion;
  t["CreateStateMachineAlias"] = CreateStateMachineAlias;
  t["DescribeStateMachineAlias"] = DescribeStateMachineAlias;
  t["UpdateStateMachineAlias"] = UpdateStateMachineAlias;
  t["DeleteStateMachineAlias"] = DeleteStateMachineAlias;
  t["ListStateMachineAliases"] = ListStateMachineAliases;
}

}  // namespace stepline::service::ops

// ValidateStateMachineDefinition, TestState, and the map-run operations
// (which answer as AWS does when no map run exists: distributed map runs are
// not recorded as separate resources yet).
#include "asl/validate/validate.h"
#include "service/ops.h"

namespace stepline::service::ops {

namespace {

void ValidateStateMachineDefinition(Engine& e, const Json& req, Reply done) {
  auto diags = asl::ValidateDefinitionText(Str(req, "definition"));
  std::string min_severity = Str(req, "severity", "ERROR");
  size_t max = MaxResults(req, 100);
  Json::Array items;
  bool truncated = false;
  for (const auto& d : diags) {
    if (min_severity == "ERROR" && d.severity != "ERROR") continue;
    if (items.size() >= max) {
      truncated = true;
      break;
    }
    Json j = Json::EmptyObject();
    j.Set("severity", d.severity);
    j.Set("code", d.code);
    j.Set("message", d.message);
    if (!d.location.empty()) j.Set("location", d.location);
    items.push_back(std::move(j));
  }
  Json out = Json::EmptyObject();
  out.Set("result", asl::HasErrors(diags) ? "FAIL" : "OK");
  out.Set("diagnostics", Json(std::move(items)));
  out.Set("truncated", truncated);
  done(out);
}

// A map run ARN: arn:PARTITION:states:REGION:ACCOUNT:mapRun:SM/LABEL:ID.
Status NoMapRun(const std::string& arn) {
  if (arn.rfind("arn:", 0) != 0 || arn.find(":states:") == std::string::npos || arn.find(":mapRun:") == std::string::npos)
    return BadArn(arn);
  return Err("ResourceNotFound", "Resource not found: '" + arn + "'");
}

void DescribeMapRun(Engine& e, const Json& req, Reply done) { done(NoMapRun(Str(req, "mapRunArn"))); }

void UpdateMapRun(Engine& e, const Json& req, Reply done) { done(NoMapRun(Str(req, "mapRunArn"))); }

void ListMapRuns(Engine& e, const Json& req, Reply done) {
  std::string arn = Str(req, "executionArn");
  auto ref = ParseExecutionArn(arn);
  if (!ref) return done(BadArn(arn));
  if (!e.StoreFor(arn).GetExecution(arn).ok())
    return done(Err("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'"));
  Json out = Json::EmptyObject();
  out.Set("mapRuns", Json::EmptyArray());
  done(out);
}

}  // namespace

void TestState(Engine& e, const Json& req, Reply done);  // ops_test_state.cc

void RegisterMiscOps(std::map<std::string, Handler>& t) {
  t["ValidateStateMachineDefinition"] = ValidateStateMachineDefinition;
  t["DescribeMapRun"] = DescribeMapRun;
  t["UpdateMapRun"] = UpdateMapRun;
  t["ListMapRuns"] = ListMapRuns;
  t["TestState"] = TestState;
}

}  // namespace stepline::service::ops

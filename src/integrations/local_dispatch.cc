#include "integrations/local_dispatch.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/time.h"

namespace stepline::integrations {

Json WrapLambdaInvokeResult(const Json& payload, size_t payload_bytes, const std::string& request_id,
                            const std::string& date) {
  std::string length = std::to_string(payload_bytes);
  auto list = [](std::string v) { return Json(Json::Array{Json(std::move(v))}); };
  Json all = Json::EmptyObject();
  all.Set("X-Amz-Executed-Version", list("$LATEST"));
  all.Set("x-amzn-Remapped-Content-Length", list("0"));
  all.Set("Connection", list("keep-alive"));
  all.Set("x-amzn-RequestId", list(request_id));
  all.Set("Content-Length", list(length));
  all.Set("Date", list(date));
  all.Set("X-Amzn-Trace-Id", list("Root=1-00000000-" + request_id.substr(0, 8) + "0000000000000000;Sampled=0"));
  all.Set("Content-Type", list("application/json"));
  Json headers = Json::EmptyObject();
  headers.Set("Connection", "keep-alive");
  headers.Set("Content-Length", length);
  headers.Set("Content-Type", "application/json");
  headers.Set("Date", date);
  headers.Set("X-Amz-Executed-Version", "$LATEST");
  headers.Set("x-amzn-Remapped-Content-Length", "0");
  headers.Set("x-amzn-RequestId", request_id);
  headers.Set("X-Amzn-Trace-Id", "Root=1-00000000-" + request_id.substr(0, 8) + "0000000000000000;Sampled=0");
  Json http = Json::EmptyObject();
  http.Set("AllHttpHeaders", std::move(all));
  http.Set("HttpHeaders", std::move(headers));
  http.Set("HttpStatusCode", 200);
  Json meta = Json::EmptyObject();
  meta.Set("RequestId", request_id);
  Json out = Json::EmptyObject();
  out.Set("ExecutedVersion", "$LATEST");
  out.Set("Payload", payload);
  out.Set("SdkHttpMetadata", std::move(http));
  out.Set("SdkResponseMetadata", std::move(meta));
  out.Set("StatusCode", 200);
  return out;
}

InvokeOutcome LocalDispatcher::Run(const runtime::TaskRequest& task) const {
  static const LocalFunctions kNone;
  const LocalFunctions& fns = functions_ ? *functions_ : kNone;
  switch (task.kind) {
    case asl::TaskKind::kLambdaArn:
      if (task.pattern == asl::IntegrationPattern::kRequestResponse)
        return fns.Invoke(FunctionNameOf(task.resource), task.resource, task.input, LambdaApi::kFunctionArn);
      break;
    case asl::TaskKind::kLambdaInvoke: {
      if (task.pattern != asl::IntegrationPattern::kRequestResponse) break;
      const Json* fn = task.input.find("FunctionName");
      if (!fn || !fn->is_string()) {
        InvokeOutcome o;
        o.error = "States.Runtime";
        o.cause = "The FunctionName parameter is required for arn:aws:states:::lambda:invoke";
        return o;
      }
      // A string Payload is the request body itself (JSON text); no Payload sends {}.
      const Json* payload = task.input.find("Payload");
      Json event = Json::EmptyObject();
      if (payload && payload->is_string()) {
        auto parsed = Json::Parse(payload->get_string());
        event = parsed.ok() ? std::move(parsed).value() : *payload;
      } else if (payload && !payload->is_null()) {
        event = *payload;
      }
      std::string name = FunctionNameOf(fn->str());
      std::string arn = fn->get_string().rfind("arn:", 0) == 0
                            ? fn->str()
                            : fmt::format("arn:aws:lambda:us-east-1:123456789012:function:{}", name);
      // An unqualified function name resolves to $LATEST, which AWS's error names.
      if (std::count(arn.begin(), arn.end(), ':') == 6) arn += ":$LATEST";
      InvokeOutcome o = fns.Invoke(name, arn, event, LambdaApi::kLambdaInvoke);
      if (o.ok)
        o.payload = WrapLambdaInvokeResult(o.payload, o.payload_bytes, o.request_id,
                                           FormatIsoMillis(SystemClock().Now()));
      return o;
    }
    default: break;
  }
  InvokeOutcome o;
  o.error = "States.TaskFailed";
  o.cause = fmt::format(
      "No integration serves the resource '{}' in this run (the command line serves Lambda functions from "
      "--functions; activities, callbacks and AWS services need the server)",
      task.resource);
  return o;
}

}  // namespace stepline::integrations

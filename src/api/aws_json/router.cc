#include "api/aws_json/router.h"

#include <boost/beast/http/verb.hpp>

#include "api/aws_json/errors.h"
#include "api/aws_json/request_id.h"
#include "api/aws_json/validate.h"

namespace stepline::api::aws_json {
namespace {

using boost::beast::http::verb;

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// SDKs send application/x-amz-json-1.0; hand-written clients send
// application/json or nothing. Parameters (charset) are ignored.
bool AcceptedContentType(const http::RequestView& r) {
  if (!r.has_content_type) return true;
  std::string_view media = Trim(r.content_type.substr(0, r.content_type.find(';')));
  return media.empty() || IEquals(media, "application/x-amz-json-1.0") ||
         IEquals(media, "application/x-amz-json-1.1") || IEquals(media, "application/json");
}

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

http::Response WithId(http::Response r, const std::array<char, 36>& id) {
  r.request_id = id;
  return r;
}

}  // namespace

Decoded DecodeRequest(const ServiceModel& model, const http::RequestView& request) {
  Decoded d;
  // AWS answers an unsupported content type as an operation it cannot find
  // (the body is not read as JSON 1.0 at all). Not verified against AWS: the
  // exact code may differ, the 400 does not.
  if (!AcceptedContentType(request)) {
    d.error = Status::Error("UnknownOperationException", "");
    return d;
  }
  std::string_view target = request.amz_target;
  const std::string& prefix = model.target_prefix();
  if (target.size() <= prefix.size() + 1 || target.substr(0, prefix.size()) != prefix ||
      target[prefix.size()] != '.') {
    d.error = Status::Error("UnknownOperationException", "");
    return d;
  }
  d.op = model.FindOperation(target.substr(prefix.size() + 1));
  if (!d.op) {
    d.error = Status::Error("UnknownOperationException", "");
    return d;
  }
  // An empty body is an empty request (some clients send none for {}).
  std::string_view body = Trim(request.body);
  Json parsed;
  if (body.empty()) {
    parsed = Json::EmptyObject();
  } else {
    auto r = Json::Parse(body);
    // AWS gives malformed JSON a SerializationException with no message.
    if (!r.ok()) {
      d.error = Status::Error("SerializationException", "");
      return d;
    }
    parsed = std::move(r).value();
  }
  auto v = ValidateInput(model, d.op->input, std::move(parsed));
  if (!v.ok()) {
    d.error = v.status();
    return d;
  }
  d.request = std::move(v).value();
  return d;
}

void Router::Handle(const http::RequestView& request, http::Responder respond) {
  const auto id = NewRequestId();
  if (request.method == verb::get) {
    std::string_view path = PathOf(request.target);
    if (path == "/") {
      http::Response r;
      r.content_type = "application/json";
      r.body = R"({"status":"ok","service":"stepline","protocol":"awsJson1_0","targetPrefix":")" +
               model_.target_prefix() + "\"}";
      return respond(WithId(std::move(r), id));
    }
    if (static_files_) {
      if (auto r = static_files_(path)) return respond(WithId(std::move(*r), id));
    }
    http::Response r;
    r.status = 404;
    r.content_type = "application/json";
    r.body = R"({"message":"Not Found"})";
    return respond(WithId(std::move(r), id));
  }
  if (request.method != verb::post) {
    http::Response r = ErrorResponse(model_, Status::Error("UnknownOperationException", ""));
    r.status = 405;
    return respond(WithId(std::move(r), id));
  }
  Decoded d = DecodeRequest(model_, request);
  if (!d.error.ok()) return respond(WithId(ErrorResponse(model_, d.error), id));
  // The reply may come later from a service thread; it only touches the
  // Responder (thread-safe) and the immutable model.
  const ServiceModel* model = &model_;
  ops_.Call(d.op->name, std::move(d.request), [respond = std::move(respond), id, model](Result<Json> result) {
    if (!result.ok()) return respond(WithId(ErrorResponse(*model, result.status()), id));
    http::Response r;
    r.content_type = kJsonContentType;
    const Json& value = *result;
    if (value.is_null()) r.body = "{}";  // an operation with no output
    else value.DumpTo(r.body);
    respond(WithId(std::move(r), id));
  });
}

http::Response Router::Reject(unsigned status, std::string_view reason) {
  // 413: AWS's own answer to an oversized request is not documented for Step
  // Functions; we answer 413 with an AWS-shaped JSON error body instead.
  std::string code = status == 413 ? "RequestEntityTooLargeException" : "SerializationException";
  http::Response r = ErrorResponse(model_, Status::Error(code, std::string(reason)));
  r.status = status;
  r.close = true;
  r.request_id = NewRequestId();
  return r;
}

}  // namespace stepline::api::aws_json

#include "api/aws_json/errors.h"

#include <array>

#include "base/json.h"

namespace stepline::api::aws_json {
namespace {

struct FrontEndError {
  std::string_view code;
  unsigned status;
};

// Errors raised by AWS's request handling rather than by the service's own
// model (the "common errors" of every AWS JSON API).
constexpr std::array<FrontEndError, 17> kFrontEndErrors{{
    {"AccessDeniedException", 400},
    {"IncompleteSignature", 400},
    {"InvalidAction", 400},
    {"InvalidClientTokenId", 403},
    {"InvalidParameterCombination", 400},
    {"InvalidParameterValue", 400},
    {"InvalidQueryParameter", 400},
    {"MissingAction", 400},
    {"MissingAuthenticationToken", 403},
    {"RequestEntityTooLargeException", 413},
    {"SerializationException", 400},
    {"ThrottlingException", 400},
    {"UnknownOperationException", 400},
    {"UnrecognizedClientException", 400},
    {"ValidationException", 400},
    {"InternalFailure", 500},
    {"ServiceUnavailable", 503},
}};

const FrontEndError* FindFrontEnd(std::string_view code) {
  for (const auto& e : kFrontEndErrors)
    if (e.code == code) return &e;
  return nullptr;
}

}  // namespace

unsigned HttpStatusFor(const ServiceModel& model, std::string_view code) {
  if (const FrontEndError* e = FindFrontEnd(code)) return e->status;
  if (model.IsModeledError(code)) return 400;
  return 500;
}

http::Response ErrorResponse(const ServiceModel& model, const Status& status) {
  http::Response r;
  r.content_type = kJsonContentType;
  std::string_view code = status.name();
  std::string message = status.message();
  const FrontEndError* fe = FindFrontEnd(code);
  if (fe) {
    r.status = fe->status;
  } else if (model.IsModeledError(code)) {
    r.status = 400;
  } else {
    // Not an AWS error name: an internal failure of ours. Keep what happened
    // in the message; the code must be one SDKs know.
    r.status = 500;
    message = status.ToString();
    code = "InternalFailure";
  }
  r.body.reserve(32 + code.size() + message.size());
  r.body = "{\"__type\":";
  AppendJsonString(r.body, code);
  if (!message.empty()) {
    r.body += ",\"message\":";
    AppendJsonString(r.body, message);
  }
  r.body += '}';
  return r;
}

}  // namespace stepline::api::aws_json

#pragma once
// AWS JSON 1.0 error responses: {"__type": "<Code>", "message": "..."} with the
// HTTP status AWS uses for the code. Pure functions; thread-safe.

#include <string_view>

#include "api/aws_json/model.h"
#include "api/http/http_server.h"
#include "base/status.h"

namespace stepline::api::aws_json {

inline constexpr std::string_view kJsonContentType = "application/x-amz-json-1.0";

// HTTP status for an error code: every error shape of the Step Functions model
// is a client error (400; the model carries no "error" trait with another
// code), as are the front end's own codes (ValidationException,
// SerializationException, UnknownOperationException, ThrottlingException, ...).
// Anything else is a server fault (500).
unsigned HttpStatusFor(const ServiceModel& model, std::string_view code);

// The error response for `status`. A name that is neither modeled nor a known
// front-end code becomes 500 "InternalFailure" (its name kept in the message).
// An empty message is left out, as AWS does (e.g. for malformed JSON).
http::Response ErrorResponse(const ServiceModel& model, const Status& status);

}  // namespace stepline::api::aws_json

#pragma once
// Checks a request body against an operation's input shape the way AWS's
// front end does: first deserialization (a JSON type that cannot become the
// member's type is a SerializationException, and wins over every constraint),
// then the model's constraints, all reported in one ValidationException:
//   "2 validation errors detected: Value null at 'stateMachineArn' failed to
//    satisfy constraint: Member must not be null; Value '...' at 'name' ..."
// Unknown members are ignored, as AWS does. Pure function; thread-safe.

#include "api/aws_json/model.h"
#include "base/json.h"
#include "base/status.h"

namespace stepline::api::aws_json {

// Returns the request to hand to the service: the input with null members and
// null list elements removed (AWS treats them as absent) and fractional numbers
// in integer members truncated (AWS truncates). Unchanged input is returned
// without a copy. `shape` < 0 means the operation has no input shape.
Result<Json> ValidateInput(const ServiceModel& model, int shape, Json request);

// Java's String.length(): UTF-16 code units of a UTF-8 string (AWS's
// length constraints count these).
size_t Utf16Length(std::string_view s);

}  // namespace stepline::api::aws_json

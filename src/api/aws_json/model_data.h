#pragma once
// The Step Functions service model (documentation stripped), embedded at
// generation time by gen_model_data.py. Thread-safe (immutable).

#include <string_view>

namespace stepline::api::aws_json {

std::string_view EmbeddedServiceModel();

}  // namespace stepline::api::aws_json

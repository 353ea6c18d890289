#pragma once
// Which fields each state type accepts, and which fields belong to one query
// language only (data, shared by the state-fields and query-language rules).

#include <string_view>

namespace stepline::asl::validate_internal {

// True when `field` is a field of states of `type` in either query language.
bool IsFieldOfType(std::string_view type, std::string_view field);
// Fields only the JSONPath language has (InputPath, Parameters, *Path ...), in
// the order diagnostics list them.
bool IsJsonPathOnlyField(std::string_view field);
// Fields only the JSONata language has (Output, Arguments, Items).
bool IsJsonataOnlyField(std::string_view field);

}  // namespace stepline::asl::validate_internal

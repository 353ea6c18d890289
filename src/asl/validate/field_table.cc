#include "asl/validate/field_table.h"

#include <initializer_list>

namespace stepline::asl::validate_internal {

namespace {

bool In(std::string_view f, std::initializer_list<std::string_view> list) {
  for (auto x : list) {
    if (x == f) return true;
  }
  return false;
}

}  // namespace

bool IsJsonPathOnlyField(std::string_view f) {
  return In(f, {"InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Result",
                "ItemsPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath",
                "TimestampPath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath",
                "ToleratedFailureCountPath", "ErrorPath", "CausePath"});
}

bool IsJsonataOnlyField(std::string_view f) { return In(f, {"Output", "Arguments", "Items"}); }

bool IsFieldOfType(std::string_view type, std::string_view f) {
  if (In(f, {"Type", "Comment", "QueryLanguage"})) return true;
  if (type == "Pass") {
    return In(f, {"Next", "End", "InputPath", "OutputPath", "Parameters", "Result", "ResultPath",
                  "Assign", "Output"});
  }
  if (type == "Task") {
    return In(f, {"Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector",
                  "ResultPath", "Retry", "Catch", "Resource", "TimeoutSeconds",
                  "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials",
                  "Assign", "Arguments", "Output"});
  }
  if (type == "Choice") {
    return In(f, {"InputPath", "OutputPath", "Choices", "Default", "Assign", "Output"});
  }
  if (type == "Wait") {
    return In(f, {"Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp",
                  "TimestampPath", "Assign", "Output"});
  }
  if (type == "Succeed") return In(f, {"InputPath", "OutputPath", "Output"});
  if (type == "Fail") return In(f, {"Error", "ErrorPath", "Cause", "CausePath"});
  if (type == "Parallel") {
    return In(f, {"Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector",
                  "ResultPath", "Retry", "Catch", "Branches", "Assign", "Arguments", "Output"});
  }
  if (type == "Map") {
    return In(f, {"Next", "End", "InputPath", "OutputPath", "ItemsPath", "Items", "ItemReader",
                  "ItemSelector", "Parameters", "ItemProcessor", "Iterator", "ItemBatcher",
                  "ResultWriter", "ResultPath", "ResultSelector", "Retry", "Catch",
                  "MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailurePercentage",
                  "ToleratedFailurePercentagePath", "ToleratedFailureCount",
                  "ToleratedFailureCountPath", "Label", "Assign", "Output"});
  }
  return false;
}

}  // namespace stepline::asl::validate_internal

#pragma once
// The service model compiled into an index-based table: shapes, their
// constraints and the operations' input shapes. Built once from the embedded
// model (model_data.h); immutable afterwards, so thread-safe to share.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace stepline::api::aws_json {

enum class ShapeType : uint8_t {
  kStructure, kString, kInteger, kLong, kBoolean, kFloat, kDouble, kTimestamp, kList, kMap, kBlob
};

struct Shape {
  struct Member {
    std::string name;
    int shape = -1;
    bool required = false;
  };
  std::string name;
  ShapeType type = ShapeType::kString;
  bool sensitive = false;
  bool exception = false;
  // Length for strings, lists and maps; value for numbers.
  std::optional<double> min;
  std::optional<double> max;
  std::vector<std::string> enum_values;
  std::string pattern;
  std::vector<Member> members;  // structures, in model order
  int member = -1;              // list element
  int key = -1, value = -1;     // map
};

struct Operation {
  std::string name;
  int input = -1;  // -1: the operation takes no input
};

class ServiceModel {
 public:
  // Errors: "InvalidModel" when the text is not a usable service model.
  static Result<ServiceModel> Parse(std::string_view text);
  // The embedded Step Functions model, compiled on first use.
  static const ServiceModel& Embedded();

  const std::string& target_prefix() const { return target_prefix_; }
  const std::vector<Operation>& operations() const { return operations_; }
  const Operation* FindOperation(std::string_view name) const;  // nullptr if unknown
  const Shape& shape(int index) const { return shapes_[static_cast<size_t>(index)]; }
  int FindShape(std::string_view name) const;  // -1 if unknown
  // True when `code` names one of the model's error shapes.
  bool IsModeledError(std::string_view code) const;

 private:
  std::string target_prefix_;
  std::vector<Operation> operations_;  // sorted by name
  std::vector<Shape> shapes_;          // sorted by name
};

}  // namespace stepline::api::aws_json

#pragma once
// The object and array nodes of a compiled template, built from their
// children's values. Shared by the JSONPath and JSONata templates, whose
// trees differ only in how a leaf is evaluated.

#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/status.h"

namespace stepline::expr {

// eval(i) gives child i's value; the first error is the result.
template <typename EvalChild>
Result<Json> BuildObject(const std::vector<std::string>& keys, EvalChild&& eval) {
  Json::Object obj;
  obj.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    auto v = eval(i);
    if (!v.ok()) return v;
    obj.push_back(Json::Member{keys[i], std::move(v).value()});
  }
  return Json(std::move(obj));
}

template <typename EvalChild>
Result<Json> BuildArray(size_t n, EvalChild&& eval) {
  Json::Array arr;
  arr.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto v = eval(i);
    if (!v.ok()) return v;
    arr.push_back(std::move(v).value());
  }
  return Json(std::move(arr));
}

}  // namespace stepline::expr

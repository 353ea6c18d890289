// Array built-ins: $count $append $sort $reverse $shuffle $distinct $zip.

#include <algorithm>
#include <random>
#include <unordered_set>

#include "expr/jsonata/errors.h"
#include "expr/jsonata/evaluator.h"
#include "expr/jsonata/functions.h"

namespace stepline::jsonata {
namespace {

Value FnCount(CallCtx& c) {
  if (c.arg(0).undefined()) return Value(Json(0));
  return Value(Json(static_cast<int64_t>(c.arg(0).size())));
}

Value FnAppend(CallCtx& c) { return Append(c.arg(0), c.arg(1)); }

Value FnReverse(CallCtx& c) {
  const Value& a = c.arg(0);
  if (a.undefined()) return Value();
  if (a.size() <= 1) return a;
  std::vector<Value> items;
  ToItems(a, items);
  std::reverse(items.begin(), items.end());
  return MakeArray(std::move(items));
}

Value FnShuffle(CallCtx& c) {
  const Value& a = c.arg(0);
  if (a.undefined()) return Value();
  if (a.size() <= 1) return a;
  std::vector<Value> items;
  ToItems(a, items);
  Random* r = c.ev.options().random;
  thread_local std::mt19937_64 gen{std::random_device{}()};
  for (size_t i = items.size() - 1; i > 0; --i) {
    uint64_t x = r ? r->NextU64() : gen();
    std::swap(items[i], items[x % (i + 1)]);
  }
  return MakeArray(std::move(items));
}

Value FnDistinct(CallCtx& c) {
  const Value& a = c.arg(0);
  if (a.undefined()) return Value();
  if (!a.is_array() || a.size() <= 1) return a;
  std::vector<Value> items, out;
  ToItems(a, items);
  // Strings and numbers are hashed; other values use deep equality.
  std::unordered_set<std::string> seen;
  std::vector<Value> complex;
  for (const Value& v : items) {
    if (v.is_string() || v.is_number() || v.is_bool() || v.is_null()) {
      std::string key = v.is_string() ? "s" + std::string(v.str()) : v.is_number() ? "n" + JsNumber(v.num()) : v.json().Dump();
      if (seen.insert(std::move(key)).second) out.push_back(v);
      continue;
    }
    bool dup = false;
    for (const Value& x : complex)
      if (DeepEqual(x, v)) {
        dup = true;
        break;
      }
    if (!dup) {
      complex.push_back(v);
      out.push_back(v);
    }
  }
  if (a.is_sequence()) return Value::Sequence(std::move(out));
  return MakeArray(std::move(out));
}

Value FnZip(CallCtx& c) {
  size_t len = c.args.empty() ? 0 : SIZE_MAX;
  for (const Value& a : c.args) len = std::min(len, a.is_array() ? a.size() : size_t{0});
  std::vector<Value> result;
  for (size_t i = 0; i < len; ++i) {
    std::vector<Value> tuple;
    for (const Value& a : c.args) tuple.push_back(a.at(i));
    result.push_back(MakeArray(std::move(tuple)));
  }
  return MakeArray(std::move(result));
}

bool AllNumbers(const std::vector<Value>& v) {
  for (const auto& x : v)
    if (!x.is_number()) return false;
  return true;
}
bool AllStrings(const std::vector<Value>& v) {
  for (const auto& x : v)
    if (!x.is_string()) return false;
  return true;
}

Value FnSort(CallCtx& c) {
  const Value& a = c.arg(0);
  if (a.undefined()) return Value();
  if (a.size() <= 1) return a;
  std::vector<Value> items;
  ToItems(a, items);
  const Value& comparator = c.arg(1);
  if (comparator.undefined()) {
    if (AllNumbers(items)) {
      std::stable_sort(items.begin(), items.end(), [](const Value& x, const Value& y) { return x.num() < y.num(); });
    } else if (AllStrings(items)) {
      std::stable_sort(items.begin(), items.end(), [](const Value& x, const Value& y) { return x.str() < y.str(); });
    } else {
      Throw("D3070", {.index = 1});
    }
    return MakeArray(std::move(items));
  }
  // Merge sort with the reference's "swap when comparator returns true" rule.
  std::vector<Value> tmp(items.size());
  auto swap_needed = [&](const Value& l, const Value& r) {
    std::vector<Value> args{l, r};
    Value res = c.ev.Apply(comparator, args, c.input, c.env, c.name);
    return BooleanOf(res) == 1;
  };
  for (size_t width = 1; width < items.size(); width *= 2) {
    // Bottom-up merging gives the same result as the reference's top-down
    // sort for any consistent comparator.
    for (size_t lo = 0; lo < items.size(); lo += 2 * width) {
      size_t mid = std::min(lo + width, items.size()), hi = std::min(lo + 2 * width, items.size());
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (swap_needed(items[i], items[j])) tmp[k++] = items[j++];
        else tmp[k++] = items[i++];
      }
      while (i < mid) tmp[k++] = items[i++];
      while (j < hi) tmp[k++] = items[j++];
    }
    items.swap(tmp);
  }
  return MakeArray(std::move(items));
}

}  // namespace

void RegisterArrayFunctions(std::vector<BuiltinDef>& out) {
  out.push_back({"count", "<a:n>", FnCount, 1});
  out.push_back({"append", "<xx:a>", FnAppend, 2});
  out.push_back({"sort", "<af?:a>", FnSort, 2});
  out.push_back({"reverse", "<a:a>", FnReverse, 1});
  out.push_back({"shuffle", "<a:a>", FnShuffle, 1});
  out.push_back({"distinct", "<x:x>", FnDistinct, 1});
  out.push_back({"zip", "<a+>", FnZip, 0});
}

}  // namespace stepline::jsonata

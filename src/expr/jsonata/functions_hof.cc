// Higher-order built-ins: $map $filter $single $reduce $sift $each. A callee
// gets as many of (value, index/key, whole) as its arity asks for, as in the
// reference's hofFuncArgs.

#include "expr/jsonata/errors.h"
#include "expr/jsonata/evaluator.h"
#include "expr/jsonata/functions.h"

namespace stepline::jsonata {
namespace {

// The arguments a callback takes of (item, index, whole), into `args`, which
// a loop reuses from call to call (no allocation per item).
void HofArgsInto(std::vector<Value>& args, const Value& fn, const Value& a1, const Value& a2, const Value& a3) {
  if (!fn.is_function()) Throw("T1006");
  args.clear();
  args.push_back(a1);
  int arity = fn.fn().Arity();
  if (arity >= 2) args.push_back(a2);
  if (arity >= 3) args.push_back(a3);
}

Value Index(size_t i) { return Value(Json(static_cast<int64_t>(i))); }

Value FnMap(CallCtx& c) {
  const Value& arr = c.arg(0);
  if (arr.undefined()) return Value();
  const Value& fn = c.arg(1);
  std::vector<Value> result;
  std::vector<Value> args;
  size_t n = arr.size();
  for (size_t i = 0; i < n; ++i) {
    c.ev.Tick();
    HofArgsInto(args, fn, arr.at(i), Index(i), arr);
    Value r = c.ev.Apply(fn, args, c.input, c.env, c.name);
    if (r.defined()) result.push_back(std::move(r));
  }
  return Value::Sequence(std::move(result));
}

Value FnFilter(CallCtx& c) {
  const Value& arr = c.arg(0);
  if (arr.undefined()) return Value();
  const Value& fn = c.arg(1);
  std::vector<Value> result;
  std::vector<Value> args;
  size_t n = arr.size();
  for (size_t i = 0; i < n; ++i) {
    c.ev.Tick();
    Value item = arr.at(i);
    HofArgsInto(args, fn, item, Index(i), arr);
    if (BooleanOf(c.ev.Apply(fn, args, c.input, c.env, c.name)) == 1) result.push_back(std::move(item));
  }
  return Value::Sequence(std::move(result));
}

Value FnSingle(CallCtx& c) {
  const Value& arr = c.arg(0);
  if (arr.undefined()) return Value();
  const Value& fn = c.arg(1);
  bool found = false;
  Value result;
  std::vector<Value> args;
  size_t n = arr.size();
  for (size_t i = 0; i < n; ++i) {
    c.ev.Tick();
    Value item = arr.at(i);
    bool ok = true;
    if (fn.defined()) {
      HofArgsInto(args, fn, item, Index(i), arr);
      ok = BooleanOf(c.ev.Apply(fn, args, c.input, c.env, c.name)) == 1;
    }
    if (ok) {
      if (found) Throw("D3138");
      result = item;
      found = true;
    }
  }
  if (!found) Throw("D3139");
  return result;
}

Value FnReduce(CallCtx& c) {
  const Value& seq = c.arg(0);
  if (seq.undefined()) return Value();
  const Value& fn = c.arg(1);
  if (!fn.is_function()) Throw("T1006");
  int arity = fn.fn().Arity();
  if (arity < 2) Throw("D3050", {.index = 2});
  Value result;
  size_t index;
  size_t n = seq.size();
  if (c.arg(2).undefined() && n > 0) {
    result = seq.at(0);
    index = 1;
  } else {
    result = c.arg(2);
    index = 0;
  }
  std::vector<Value> args;
  for (; index < n; ++index) {
    c.ev.Tick();
    args.clear();
    args.push_back(result);
    args.push_back(seq.at(index));
    if (arity >= 3) args.push_back(Index(index));
    if (arity >= 4) args.push_back(seq);
    result = c.ev.Apply(fn, args, c.input, c.env, c.name);
  }
  return result;
}

Value FnSift(CallCtx& c) {
  const Value& obj = c.arg(0);
  const Value& fn = c.arg(1);
  auto node = std::make_shared<ObjNode>();
  bool plain = true;
  std::vector<std::pair<std::string, Value>> members;
  ForEachMember(obj, [&](const std::string& k, const Value& v) { members.emplace_back(k, v); });
  std::vector<Value> args;
  for (auto& [k, v] : members) {
    HofArgsInto(args, fn, v, Value(Json(k)), obj);
    if (BooleanOf(c.ev.Apply(fn, args, c.input, c.env, c.name)) == 1) {
      if (!v.is_json()) plain = false;
      node->members.emplace_back(k, v);
    }
  }
  if (node->members.empty()) return Value();
  if (plain) {
    Json::Object o;
    for (auto& [k, v] : node->members) o.push_back(Json::Member{k, v.json()});
    return Value(Json(std::move(o)));
  }
  return Value::Object(std::move(node));
}

Value FnEach(CallCtx& c) {
  const Value& obj = c.arg(0);
  const Value& fn = c.arg(1);
  std::vector<std::pair<std::string, Value>> members;
  ForEachMember(obj, [&](const std::string& k, const Value& v) { members.emplace_back(k, v); });
  std::vector<Value> result;
  std::vector<Value> args;
  for (auto& [k, v] : members) {
    HofArgsInto(args, fn, v, Value(Json(k)), obj);
    Value r = c.ev.Apply(fn, args, c.input, c.env, c.name);
    if (r.defined()) result.push_back(std::move(r));
  }
  return Value::Sequence(std::move(result));
}

}  // namespace

void RegisterHigherOrderFunctions(std::vector<BuiltinDef>& out) {
  out.push_back({"map", "<af>", FnMap, 2});
  out.push_back({"filter", "<af>", FnFilter, 2});
  out.push_back({"single", "<af?>", FnSingle, 2});
  out.push_back({"reduce", "<afj?:j>", FnReduce, 3});
  out.push_back({"sift", "<o-f?:o>", FnSift, 2});
  out.push_back({"each", "<o-f:a>", FnEach, 2});
}

}  // namespace stepline::jsonata

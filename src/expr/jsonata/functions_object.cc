// Object, boolean and type built-ins: $keys $lookup $spread $merge $error
// $assert $type $boolean $not $exists.

#include <unordered_map>
#include <unordered_set>

#include "expr/jsonata/errors.h"
#include "expr/jsonata/evaluator.h"
#include "expr/jsonata/functions.h"

namespace stepline::jsonata {

Value LookupName(const Value& input, const std::string& key);

namespace {

Value FnKeys(CallCtx& c) {
  const Value& a = c.arg(0);
  std::vector<Value> keys;
  if (a.is_array()) {
    std::unordered_set<std::string> seen;
    ForEachItem(a, [&](const Value& item) {
      ForEachMember(item, [&](const std::string& k, const Value&) {
        if (seen.insert(k).second) keys.emplace_back(Json(k));
      });
    });
  } else {
    ForEachMember(a, [&](const std::string& k, const Value&) { keys.emplace_back(Json(k)); });
  }
  return Value::Sequence(std::move(keys));
}

Value FnLookup(CallCtx& c) {
  if (!c.arg(1).is_string()) return Value();
  return LookupName(c.arg(0), std::string(c.arg(1).str()));
}

Value Spread(const Value& a) {
  if (a.is_array()) {
    Value result = Value::Sequence({});
    ForEachItem(a, [&](const Value& item) { result = Append(result, Spread(item)); });
    return result;
  }
  if (a.is_object()) {
    std::vector<Value> out;
    ForEachMember(a, [&](const std::string& k, const Value& v) {
      if (v.is_json()) {
        Json::Object o;
        o.push_back(Json::Member{k, v.json()});
        out.emplace_back(Json(std::move(o)));
      } else {
        auto node = std::make_shared<ObjNode>();
        node->members.emplace_back(k, v);
        out.push_back(Value::Object(std::move(node)));
      }
    });
    return Value::Sequence(std::move(out));
  }
  return a;
}

Value FnSpread(CallCtx& c) { return Spread(c.arg(0)); }

Value FnMerge(CallCtx& c) {
  const Value& a = c.arg(0);
  if (a.undefined()) return Value();
  auto node = std::make_shared<ObjNode>();
  bool plain = true;
  std::unordered_map<std::string, size_t> index;
  ForEachItem(a, [&](const Value& obj) {
    ForEachMember(obj, [&](const std::string& k, const Value& v) {
      if (!v.is_json()) plain = false;
      auto it = index.find(k);
      if (it != index.end()) {
        node->members[it->second].second = v;
      } else {
        index.emplace(k, node->members.size());
        node->members.emplace_back(k, v);
      }
    });
  });
  if (plain) {
    Json::Object o;
    o.reserve(node->members.size());
    for (auto& [k, v] : node->members) o.push_back(Json::Member{k, v.json()});
    return Value(Json(std::move(o)));
  }
  return Value::Object(std::move(node));
}

Value FnError(CallCtx& c) {
  std::string msg = c.arg(0).is_string() ? std::string(c.arg(0).str()) : "$error() function evaluated";
  Throw("D3137", {.message = msg});
}

Value FnAssert(CallCtx& c) {
  if (BooleanOf(c.arg(0)) != 1) {
    std::string msg = c.arg(1).is_string() ? std::string(c.arg(1).str()) : "$assert() statement failed";
    Throw("D3141", {.message = msg});
  }
  return Value();
}

Value FnType(CallCtx& c) {
  const Value& v = c.arg(0);
  if (v.undefined()) return Value();
  return Value(Json(TypeOf(v)));
}

Value FnBoolean(CallCtx& c) {
  int b = BooleanOf(c.arg(0));
  if (b < 0) return Value();
  return Value(Json(b == 1));
}

Value FnNot(CallCtx& c) {
  int b = BooleanOf(c.arg(0));
  if (b < 0) return Value();
  return Value(Json(b != 1));
}

Value FnExists(CallCtx& c) { return Value(Json(c.arg(0).defined())); }

}  // namespace

void RegisterObjectFunctions(std::vector<BuiltinDef>& out) {
  out.push_back({"keys", "<x-:a<s>>", FnKeys, 1});
  out.push_back({"lookup", "<x-s:x>", FnLookup, 2});
  out.push_back({"spread", "<x-:a<o>>", FnSpread, 1});
  out.push_back({"merge", "<a<o>:o>", FnMerge, 1});
  out.push_back({"error", "<s?:x>", FnError, 1});
  out.push_back({"assert", "<bs?:x>", FnAssert, 2});
  out.push_back({"type", "<x:s>", FnType, 1});
  out.push_back({"boolean", "<x-:b>", FnBoolean, 1});
  out.push_back({"not", "<x-:b>", FnNot, 1});
  out.push_back({"exists", "<x:b>", FnExists, 1});
}

}  // namespace stepline::jsonata

// The built-in function registry and the helpers the built-ins share with the
// evaluator (the reference's fn.boolean, fn.string, fn.append, isNumeric).

#include "expr/jsonata/functions.h"

#include <cmath>
#include <unordered_map>

#include "expr/jsonata/errors.h"
#include "expr/jsonata/function.h"

namespace stepline::jsonata {
namespace {

struct Registry {
  std::vector<std::unique_ptr<Builtin>> all;
  std::unordered_map<std::string, const Builtin*> by_name;  // standard (or only) variant

  Registry() {
    std::vector<BuiltinDef> defs;
    RegisterStringFunctions(defs);
    RegisterNumericFunctions(defs);
    RegisterArrayFunctions(defs);
    RegisterObjectFunctions(defs);
    RegisterHigherOrderFunctions(defs);
    RegisterDateTimeFunctions(defs);
    RegisterAwsFunctions(defs);
    for (const BuiltinDef& d : defs) {
      auto b = std::make_unique<Builtin>();
      b->name = d.name;
      if (d.signature) {
        b->sig = ParseSignature(d.signature);
        b->has_sig = true;
      }
      b->impl = d.impl;
      b->arity = d.arity;
      b->dialect = d.dialect;
      auto f = std::make_shared<Function>();
      f->kind = Function::kBuiltin;
      f->builtin = b.get();
      b->value = f;
      all.push_back(std::move(b));
    }
    for (auto& b : all) {
      auto it = by_name.find(b->name);
      if (it == by_name.end()) {
        by_name.emplace(b->name, b.get());
      } else if (b->dialect == Dialect::kAwsOnly) {
        const_cast<Builtin*>(it->second)->aws_variant = b.get();
      } else {
        // A standard variant registered after its AWS twin.
        b->aws_variant = it->second;
        it->second = b.get();
      }
    }
  }
};

const Registry& Reg() {
  static const Registry* r = new Registry();
  return *r;
}

}  // namespace

const Builtin* FindBuiltin(const std::string& name) {
  const auto& r = Reg();
  auto it = r.by_name.find(name);
  return it == r.by_name.end() ? nullptr : it->second;
}

int BooleanOf(const Value& v) {
  switch (v.kind()) {
    case Value::kUndefined: return -1;
    case Value::kFunction: return 0;
    case Value::kObject: return v.obj().members.empty() ? 0 : 1;
    case Value::kArray: {
      const auto& items = v.items();
      if (items.size() == 1) return BooleanOf(items[0]) == 1 ? 1 : 0;
      for (const auto& it : items)
        if (BooleanOf(it) == 1) return 1;
      return 0;
    }
    case Value::kJson: break;
  }
  const Json& j = v.json();
  switch (j.type()) {
    case Json::Type::kNull: return 0;
    case Json::Type::kBool: return j.get_bool() ? 1 : 0;
    case Json::Type::kInt: return j.get_int() != 0 ? 1 : 0;
    case Json::Type::kDouble: {
      double d = j.get_double();
      return (d != 0 && !std::isnan(d)) ? 1 : 0;
    }
    case Json::Type::kString: return j.get_string().empty() ? 0 : 1;
    case Json::Type::kObject: return j.size() > 0 ? 1 : 0;
    case Json::Type::kArray: {
      const auto& a = j.get_array();
      if (a.size() == 1) return BooleanOf(Value(a[0])) == 1 ? 1 : 0;
      for (const auto& it : a)
        if (BooleanOf(Value(it)) == 1) return 1;
      return 0;
    }
  }
  return 0;
}

bool StringOf(const Value& v, bool pretty, std::string* out) {
  if (v.undefined()) return false;
  if (v.is_string()) {
    *out += v.str();
    return true;
  }
  if (v.is_function()) return true;
  if (v.is_number() && !std::isfinite(v.num())) Throw("D3001", {.value = RenderValue(v)});
  Stringify(v.has(Value::kOuterWrapper) && v.size() > 0 ? v.at(0) : v, pretty, *out);
  return true;
}

bool IsNumeric(const Value& v) {
  if (!v.is_number()) return false;
  if (v.json().is_int()) return true;
  double d = v.num();
  if (std::isnan(d)) return false;
  if (!std::isfinite(d)) Throw("D1001", {.value = JsNumber(d)});
  return true;
}

Value Append(const Value& a, const Value& b) {
  if (a.undefined()) return b;
  if (b.undefined()) return a;
  std::vector<Value> items;
  items.reserve(a.size() + b.size() + 2);
  if (a.is_array()) ToItems(a, items);
  else items.push_back(a);
  if (b.is_array()) ToItems(b, items);
  else items.push_back(b);
  return MakeArray(std::move(items));
}

void ToItems(const Value& v, std::vector<Value>& out) {
  if (v.kind() == Value::kArray) {
    out.insert(out.end(), v.items().begin(), v.items().end());
  } else if (v.is_json() && v.json().is_array()) {
    const auto& a = v.json().get_array();
    out.reserve(out.size() + a.size());
    for (const auto& j : a) out.push_back(v.Child(j));
  } else if (v.defined()) {
    out.push_back(v);
  }
}

std::string TypeOf(const Value& v) {
  if (v.undefined()) return "undefined";
  if (v.is_function()) return "function";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  return v.json().TypeName();
}

}  // namespace stepline::jsonata

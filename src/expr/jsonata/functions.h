#pragma once
// The built-in function table. Each functions_*.cc file contributes its
// functions through a registration hook; the table is built once.

#include <memory>
#include <string>
#include <vector>

#include "expr/jsonata/signature.h"
#include "expr/jsonata/value.h"

namespace stepline::jsonata {

class Evaluator;
struct Function;
struct Frame;

// A missing argument (a namespace-scope constant, not a function-local
// static, so arg() needs no initialisation guard and inlines).
inline const Value kMissingArg;

// What a built-in sees of its call.
struct CallCtx {
  Evaluator& ev;
  const Value& input;  // the context value (focus)
  const std::shared_ptr<Frame>& env;
  std::vector<Value>& args;  // validated against the signature; trailing optional ones may be absent
  const std::string& name;
  const Value& arg(size_t i) const { return i < args.size() ? args[i] : kMissingArg; }
};

using BuiltinImpl = Value (*)(CallCtx& c);

enum class Dialect : uint8_t { kBoth, kStandardOnly, kAwsOnly };

struct BuiltinDef {
  const char* name;
  const char* signature;  // nullptr: no validation
  BuiltinImpl impl;
  int arity;  // parameter count of the reference implementation (for HOF argument passing)
  Dialect dialect = Dialect::kBoth;
};

struct Builtin {
  std::string name;
  Signature sig;
  bool has_sig = false;
  BuiltinImpl impl = nullptr;
  int arity = 1;
  Dialect dialect = Dialect::kBoth;
  std::shared_ptr<const Function> value;  // the function value, shared by every reference
  const Builtin* aws_variant = nullptr;   // same name, AWS dialect
};

// The built-in named `name` (standard variant), or nullptr.
const Builtin* FindBuiltin(const std::string& name);

// Registration hooks (one per functions_*.cc file).
void RegisterStringFunctions(std::vector<BuiltinDef>& out);
void RegisterNumericFunctions(std::vector<BuiltinDef>& out);
void RegisterArrayFunctions(std::vector<BuiltinDef>& out);
void RegisterObjectFunctions(std::vector<BuiltinDef>& out);
void RegisterHigherOrderFunctions(std::vector<BuiltinDef>& out);
void RegisterDateTimeFunctions(std::vector<BuiltinDef>& out);
void RegisterAwsFunctions(std::vector<BuiltinDef>& out);

// Shared helpers used by several built-ins and by the evaluator.
// fn.boolean: -1 for undefined, else 0/1.
int BooleanOf(const Value& v);
// fn.string: undefined stays undefined (returns false).
bool StringOf(const Value& v, bool pretty, std::string* out);
// True for a number; throws D1001 for an infinite one (isNumeric).
bool IsNumeric(const Value& v);
// fn.append.
Value Append(const Value& a, const Value& b);
// Copies the items of an array-like value (or the value itself) into out.
void ToItems(const Value& v, std::vector<Value>& out);
// JavaScript `typeof x === 'string'` etc. for messages.
std::string TypeOf(const Value& v);

}  // namespace stepline::jsonata

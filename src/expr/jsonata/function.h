#pragma once
// Callable values: built-ins, lambdas (closures over a frame), partial
// applications, regex matchers, transforms, '~>' chains, and the tail-call
// thunks the evaluator trampolines.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "expr/jsonata/value.h"

namespace stepline::jsonata {

struct Node;
struct Builtin;
struct Program;
class Regex;

// A scope: variable bindings plus the enclosing scope. Frames are shared by
// closures, so a binding made after a lambda is created is visible to it.
struct Frame {
  std::shared_ptr<Frame> parent;
  std::vector<std::pair<std::string, Value>> vars;
  void Bind(std::string_view name, Value v) {
    for (auto& [k, val] : vars)
      if (k == name) {
        val = std::move(v);
        return;
      }
    vars.emplace_back(std::string(name), std::move(v));
  }
};
using EnvPtr = std::shared_ptr<Frame>;

struct Function {
  enum Kind : uint8_t { kBuiltin, kLambda, kPartial, kRegex, kTransform, kChain, kThunk };
  Kind kind = kBuiltin;
  const Builtin* builtin = nullptr;
  const Node* node = nullptr;  // lambda / transform / thunk call
  EnvPtr env;
  Value input;
  std::shared_ptr<const Function> target;  // partial target, chain first
  std::shared_ptr<const Function> second;  // chain second
  std::vector<Value> bound;                // partial: argument values
  std::vector<bool> hole;                  // partial: which arguments are '?'
  std::shared_ptr<Regex> regex;
  std::shared_ptr<const Program> keep;     // keeps an $eval'd program alive

  int Arity() const;
};

}  // namespace stepline::jsonata

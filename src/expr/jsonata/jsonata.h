#pragma once
// A native JSONata 2.0.6 engine. An Expression is compiled once and evaluated
// many times; a compiled Expression is immutable and safe to share across
// threads (each evaluation keeps its own state).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/random.h"
#include "base/status.h"
#include "base/string_map.h"

namespace stepline::jsonata {

// Values bound to $names for one evaluation (e.g. $states and workflow
// variables in ASL). Lookup-based so a caller need not copy its variables.
class Bindings {
 public:
  virtual ~Bindings() = default;
  // The bound value, or nullptr when `name` (without "$") is not bound here.
  // The pointee must stay valid and unchanged until the evaluation returns:
  // the evaluator refers into it without copying.
  virtual const Json* Find(std::string_view name) const = 0;
};

class MapBindings final : public Bindings {
 public:
  void Set(std::string name, Json value) { values_[std::move(name)] = std::move(value); }
  const Json* Find(std::string_view name) const override {
    auto it = values_.find(name);  // no std::string built per lookup
    return it == values_.end() ? nullptr : &it->second;
  }

 private:
  StringMap<Json> values_;
};

struct EvalOptions {
  // Bounds that make a hostile expression fail with U1001 instead of hanging
  // or overflowing the stack. 0 = the engine's safe defaults.
  int max_depth = 0;
  int64_t time_limit_ms = 0;
  // AWS Step Functions' dialect: adds $partition, $range, $hash, $random,
  // $uuid, $parse and removes $eval.
  bool aws_functions = false;
  Random* random = nullptr;  // $random / $uuid; required when aws_functions
  // The instant $now() and $millis() report (milliseconds since the epoch).
  // Unset: read the system clock once per evaluation.
  std::optional<int64_t> now_millis;
};

class Expression {
 public:
  // Error: Status whose name is the JSONata error code (e.g. "S0201") and
  // whose message is the reference implementation's message.
  static Result<Expression> Compile(std::string_view text);

  // `input` nullopt means undefined input. Result nullopt means undefined.
  // Error: Status named by the JSONata code ("T2001", "D3030", "U1001", ...).
  Result<std::optional<Json>> Evaluate(const std::optional<Json>& input, const Bindings* bindings,
                                       const EvalOptions& options) const;

  const std::string& text() const;

  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  Expression(const Expression&);
  Expression& operator=(const Expression&);
  ~Expression();

  struct Impl;

 private:
  explicit Expression(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace stepline::jsonata

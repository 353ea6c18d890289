#pragma once
// Tree-walking evaluator following the reference's evaluate() semantics
// (sequences, singleton unwrapping, tuple streams for '@' '#' '%'). One
// Evaluator per evaluation; not thread-safe. Errors are thrown as JError.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "expr/jsonata/ast.h"
#include "expr/jsonata/function.h"
#include "expr/jsonata/functions.h"
#include "expr/jsonata/jsonata.h"

namespace stepline::jsonata {

// Safe defaults when EvalOptions leaves a bound at 0.
constexpr int kDefaultMaxDepth = 5000;
constexpr int64_t kDefaultTimeLimitMs = 10000;

class Evaluator {
 public:
  Evaluator(const EvalOptions& opts, const Bindings* bindings);

  // Evaluates a whole program against the input (wrapping array input as the
  // reference does) and returns the raw result.
  Value Run(const Program& prog, const std::optional<Json>& input);

  Value Eval(const Node* n, const Value& input, const EnvPtr& env);
  // Invokes a function value, resolving tail calls.
  Value Apply(const Value& fn, std::vector<Value>& args, const Value& input, const EnvPtr& env,
              const std::string& name);
  Value Apply(const Value& fn, std::vector<Value>& args) {
    static const std::string kAnon;
    return Apply(fn, args, Value(), root_, kAnon);
  }

  const EvalOptions& options() const { return opts_; }
  bool aws() const { return opts_.aws_functions; }
  // Read from the clock on first use (most evaluations never ask), then fixed
  // for the rest of the evaluation.
  int64_t now_millis() const {
    if (!now_set_) {
      now_millis_ = ReadClockMillis();
      now_set_ = true;
    }
    return now_millis_;
  }
  const EnvPtr& root() const { return root_; }
  // Keeps an $eval'd program alive for the rest of the evaluation.
  void Keep(std::shared_ptr<const Program> p) { kept_.push_back(std::move(p)); }
  // Periodic time-limit check for long loops inside built-ins.
  void Tick() {
    if ((++ticks_ & 1023) == 0) CheckTime();
  }

 private:
  struct DepthGuard;
  void Enter();
  void CheckTime();

  Value EvalPath(const Node* n, const Value& input, const EnvPtr& env);
  bool WalkSteps(const Node* path, size_t& i, const Value& in, Value* result);
  Value EvalStep(const Node* step, const Value& in, const EnvPtr& env, bool last);
  Value EvalTupleStep(const Node* step, const Value& in, const Value& tuples, const EnvPtr& env);
  Value EvalStages(const std::vector<Stage>& stages, Value input, const EnvPtr& env);
  Value EvalFilter(const Node* pred, const Value& input, const EnvPtr& env);
  Value EvalSort(const Node* sort, const Value& input, const EnvPtr& env);
  Value EvalGroup(const std::vector<std::pair<Node*, Node*>>& pairs, const Value& input,
                  const EnvPtr& env);
  Value EvalObject(const std::vector<std::pair<Node*, Node*>>& pairs, const Value& input,
                   const EnvPtr& env);
  Value EvalConcat(const Node* n, const Value& input, const EnvPtr& env);
  Value EvalBinary(const Node* n, const Value& input, const EnvPtr& env);
  Value EvalArray(const Node* n, const Value& input, const EnvPtr& env);
  Value EvalCall(const Node* n, const Value& input, const EnvPtr& env, const Value* applyto);
  Value EvalPartial(const Node* n, const Value& input, const EnvPtr& env);
  Value EvalApplyOp(const Node* n, const Value& input, const EnvPtr& env);
  Value EvalVariable(const Node* n, const Value& input, const EnvPtr& env);
  Value ApplyInner(const Value& fn, std::vector<Value>& args, const Value& input,
                   const EnvPtr& env, const std::string& name);
  Value ApplyTransform(const Function& f, const Value& obj);
  const Value* LookupVar(const EnvPtr& env, std::string_view name) const;
  EnvPtr FrameFromTuple(const EnvPtr& env, const Value& tuple);
  bool NameIsBound(const EnvPtr& env, const std::string& name) const;

  EvalOptions opts_;
  const Bindings* bindings_;
  EnvPtr root_;
  int depth_ = 0;
  int max_depth_;
  std::vector<std::vector<Value>> arg_pool_;  // EvalCall's argument vectors, for reuse
  std::vector<std::shared_ptr<Frame>> frame_pool_;  // lambda frames no closure kept
  // The program's root: its result is turned into JSON as soon as it returns.
  const Node* root_node_ = nullptr;
  uint64_t ticks_ = 0;
  static int64_t ReadClockMillis();
  int64_t deadline_ns_ = 0;  // CLOCK_MONOTONIC_COARSE: ample resolution for a limit, far cheaper to read
  const char* stack_limit_ = nullptr;
  mutable int64_t now_millis_ = 0;
  mutable bool now_set_ = false;
  std::vector<std::shared_ptr<const Program>> kept_;
};

}  // namespace stepline::jsonata

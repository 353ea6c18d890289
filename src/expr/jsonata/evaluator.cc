#include "expr/jsonata/evaluator.h"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <cmath>

#include "expr/jsonata/errors.h"
#include "expr/jsonata/regex.h"

namespace stepline::jsonata {
namespace {

// Keep this much C stack free below the guard, for built-ins and libraries.
constexpr size_t kStackReserve = 256 * 1024;

// Lowest usable stack address of the calling thread (cached per thread:
// pthread_getattr_np is slow on the main thread).
const char* StackLimit() {
  thread_local const char* limit = [] {
    pthread_attr_t attr;
    void* addr = nullptr;
    size_t size = 0;
    const char* here = reinterpret_cast<const char*>(__builtin_frame_address(0));
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstack(&attr, &addr, &size);
      pthread_attr_destroy(&attr);
    }
    if (addr == nullptr || size <= kStackReserve * 2) return here - 512 * 1024;
    const char* low = static_cast<const char*>(addr) + kStackReserve;
    // Never assume more than 64 MiB below the current frame.
    if (here - low > (64 << 20)) low = here - (64 << 20);
    return low;
  }();
  return limit;
}

Value TupleAt(const Value& tuple) {
  if (tuple.kind() != Value::kObject) return Value();
  const Value* v = tuple.obj().Find("@");
  return v ? *v : Value();
}

Value MakeTuple(std::vector<std::pair<std::string, Value>> members) {
  auto node = std::make_shared<ObjNode>();
  node->members = std::move(members);
  return Value::Object(std::move(node));
}

Value UnwrapOuter(const Value& v) {
  if (v.has(Value::kOuterWrapper) && v.size() > 0) return v.at(0);
  return v;
}

// A sequence of items as a Value.
Value Seq(std::vector<Value> items) { return Value::Sequence(std::move(items)); }

// Deep copy into rich nodes, so a transform can mutate matches in place.
Value CloneMutable(const Value& v) {
  if (v.is_array()) {
    std::vector<Value> items;
    items.reserve(v.size());
    ForEachItem(v, [&](const Value& it) { items.push_back(CloneMutable(it)); });
    return Value::Array(std::move(items), 0);
  }
  if (v.is_object()) {
    auto node = std::make_shared<ObjNode>();
    ForEachMember(v, [&](const std::string& k, const Value& val) {
      node->members.emplace_back(k, CloneMutable(val));
    });
    return Value::Object(std::move(node));
  }
  return v;
}

void Flatten(const Value& v, std::vector<Value>& out) {
  if (v.is_array()) ForEachItem(v, [&](const Value& it) { Flatten(it, out); });
  else out.push_back(v);
}

Value EvalWildcard(const Value& in0) {
  Value in = UnwrapOuter(in0);
  std::vector<Value> results;
  bool plain = false;  // the reference's fn.append turns the sequence into a plain array
  auto visit = [&](const Value& v) {
    if (v.is_array()) {
      Flatten(v, results);
      plain = true;
    } else {
      results.push_back(v);
    }
  };
  if (in.is_object()) ForEachMember(in, [&](const std::string&, const Value& v) { visit(v); });
  else if (in.is_array()) ForEachItem(in, visit);
  if (plain) return Value::Array(std::move(results), 0);
  return Seq(std::move(results));
}

void RecurseDescendants(const Value& v, std::vector<Value>& out, int depth) {
  if (depth > 10000) Throw("U1001");
  if (!v.is_array()) out.push_back(v);
  if (v.is_array()) ForEachItem(v, [&](const Value& it) { RecurseDescendants(it, out, depth + 1); });
  else if (v.is_object())
    ForEachMember(v, [&](const std::string&, const Value& x) { RecurseDescendants(x, out, depth + 1); });
}

// When `v` is an array of numbers only, calls f(number) for each item and
// returns true (IsArrayOfNumbers, without a Value per item).
template <typename F>
bool ForEachNumber(const Value& v, F&& f) {
  if (v.kind() == Value::kJson) {
    if (!v.json().is_array()) return false;
    const auto& a = v.json().get_array();
    for (const Json& j : a)
      if (!j.is_number()) return false;
    for (const Json& j : a) f(j.get_double());
    return true;
  }
  if (v.kind() == Value::kArray) {
    for (const Value& x : v.items())
      if (!x.is_number()) return false;
    for (const Value& x : v.items()) f(x.num());
    return true;
  }
  return false;
}

bool IsArrayOfNumbers(const Value& v) {
  if (!v.is_array()) return false;
  bool ok = true;
  ForEachItem(v, [&](const Value& it) {
    if (!it.is_number()) ok = false;
  });
  return ok;
}

Value ReduceTupleStream(const Value& stream) {
  if (!stream.is_array()) return stream;
  std::vector<std::pair<std::string, Value>> result;
  size_t n = stream.size();
  if (n == 0) return MakeTuple({});
  Value first = stream.at(0);
  if (first.kind() == Value::kObject) result = first.obj().members;
  for (size_t i = 1; i < n; ++i) {
    Value t = stream.at(i);
    if (t.kind() != Value::kObject) continue;
    for (const auto& [k, v] : t.obj().members) {
      bool found = false;
      for (auto& [rk, rv] : result)
        if (rk == k) {
          rv = Append(rv, v);
          found = true;
          break;
        }
      if (!found) result.emplace_back(k, Append(Value(), v));
    }
  }
  return MakeTuple(std::move(result));
}

// A step the plain-JSON walker below can take: an unadorned field name, '*' or '**'.
bool Walkable(const Node* step) { return step->plain_name || step->plain_step; }

// Runs a stretch of walkable steps over plain JSON, one step at a time: the
// items entering a step are a list of pointers into the JSON, and the step
// maps the list to the next one. Each step maps every item of its input
// sequence to zero or more items, in order, so the last list holds the same
// items in the same order as step-by-step evaluation, with no Value made
// until the end. A step is then a tight loop over a flat list, which also
// lets it prefetch the records a few items ahead (an array of records is
// bound by memory latency: each record is a node, its members a second
// block). Values inside borrowed JSON stay borrowed.
class PlainWalk {
 public:
  using List = std::vector<const Json*>;

  // The lists are the thread's, kept between walks so that a walk does not
  // allocate once they have grown: a walk calls no evaluation, so no other
  // walk on this thread can start before this one's result is made.
  PlainWalk(const std::vector<Node*>& steps, size_t first, size_t last, bool path_end)
      : steps_(steps), first_(first), last_(last), path_end_(path_end), lists_(Lists()) {
    lists_[0].clear();
  }
  ~PlainWalk() {
    // A huge walk's lists are not kept.
    for (int i = 0; i < 2; ++i)
      if (lists_[i].capacity() > kKeep) List().swap(lists_[i]);
  }
  PlainWalk(const PlainWalk&) = delete;
  PlainWalk& operator=(const PlainWalk&) = delete;

  // The items entering the first step.
  List& input() { return lists_[0]; }

  void Run() {
    for (size_t k = first_; k <= last_; ++k) {
      in_ = &lists_[(k - first_) & 1];
      out_ = &lists_[(k - first_ + 1) & 1];
      out_->clear();
      const Node* step = steps_[k];
      if (step->type == NodeType::kDescendant) {
        for (const Json* v : *in_) Descend(*v, 0);
      } else if (step->type == NodeType::kWildcard) {
        for (const Json* v : *in_) Wildcard(*v, k == last_);
      } else {
        Names(step->value, path_end_ && k == last_);
      }
    }
    in_ = out_;
  }

  // The step-by-step result of the stretch: a lone array matched by the path's
  // final field step is returned as that array (EvalStep's rule). With
  // `unwrap`, zero or one item is returned as undefined or the item itself:
  // what Eval makes of such a sequence. With `json_out` (the path is the
  // whole expression, whose result becomes JSON right away), scalar results
  // are gathered as a JSON array, which is what the caller converts them to.
  Value Result(bool unwrap, bool json_out, bool borrowed) {
    if (path_end_ && found_ == 1 && single_) return Value(*single_, borrowed);
    // EvalWildcard's rule: '*' over a single item with an array member gives a
    // plain array (the reference's fn.append drops the sequence flag), which
    // the path's last step then returns as it is.
    const bool plain = path_end_ && wild_items_ == 1 && wild_plain_;
    const List& items = *in_;
    const uint8_t flags = plain ? 0 : Value::kSequence;
    if (items.size() <= 1 && unwrap && !plain) return items.empty() ? Value() : Value(*items[0], borrowed);
    if (json_out && std::none_of(items.begin(), items.end(),
                                 [](const Json* j) { return j->is_array() || j->is_object(); })) {
      Json::Array a;
      a.reserve(items.size());
      for (const Json* j : items) a.push_back(*j);
      Value r(Json(std::move(a)));
      r.set(static_cast<Value::Flag>(flags));
      return r;
    }
    std::vector<Value> out;
    out.reserve(items.size());
    for (const Json* j : items) out.emplace_back(*j, borrowed);
    return Value::Array(std::move(out), flags);
  }

 private:
  void Add(const Json& v) { out_->push_back(&v); }
  void AddAll(const Json::Array& a) {
    for (const Json& x : a) out_->push_back(&x);
  }

  // A field name step over every item of in_. `counted`: the path's last
  // step, whose matches decide whether a lone array is the result.
  void Names(std::string_view key, bool counted) {
    const List& in = *in_;
    const size_t n = in.size();
    uint32_t hint = 0;
    for (size_t i = 0; i < n; ++i) {
      // The node of a record four items ahead, and the members of one two
      // ahead (whose node is loaded by then).
      if (i + 4 < n) __builtin_prefetch(in[i + 4]->node_identity());
      if (i + 2 < n && in[i + 2]->is_object()) __builtin_prefetch(in[i + 2]->get_object().data());
      const Json& v = *in[i];
      if (v.is_object()) {
        const Json* f = FindFieldHinted(v, key, hint);
        if (!f) continue;
        if (counted && ++found_ == 1 && f->is_array()) single_ = f;
        if (f->is_array()) AddAll(f->get_array());
        else Add(*f);
      } else if (v.is_array()) {
        // The lookup over an array item is a sequence, which Eval makes
        // undefined when empty and its item when it has one: a lone array
        // is then this step's result for the item, flattened like a field's.
        const size_t before = out_->size();
        Lookup(v, key, hint, 1);
        const size_t added = out_->size() - before;
        if (added == 0) continue;
        const Json* lone = added == 1 && (*out_)[before]->is_array() ? (*out_)[before] : nullptr;
        if (lone) {
          out_->pop_back();
          AddAll(lone->get_array());
        }
        if (counted && ++found_ == 1) single_ = lone;
      }
    }
  }

  // LookupName over an array: the field of each object inside it (arrays
  // flattened one level), at any array nesting.
  void Lookup(const Json& arr, std::string_view key, uint32_t& hint, int depth) {
    if (depth > 10000) Throw("U1001");
    for (const Json& e : arr.get_array()) {
      if (e.is_object()) {
        const Json* f = FindFieldHinted(e, key, hint);
        if (!f) continue;
        if (f->is_array()) AddAll(f->get_array());
        else Add(*f);
      } else if (e.is_array()) {
        Lookup(e, key, hint, depth + 1);
      }
    }
  }

  // '*' (EvalWildcard): every member value of an object, or item of an
  // array, with arrays among them flattened.
  void Wildcard(const Json& v, bool last) {
    const size_t before = out_->size();
    bool plain = false;
    auto each = [&](const Json& x) {
      if (x.is_array()) {
        plain = true;
        Flatten(x, 1);
      } else {
        Add(x);
      }
    };
    if (v.is_object()) {
      for (const auto& m : v.get_object()) each(m.value);
    } else if (v.is_array()) {
      for (const Json& x : v.get_array()) each(x);
    }
    // An item's result counts when defined: a plain array (even empty), or a
    // sequence with items (an empty one is undefined).
    if (last && (plain || out_->size() > before)) {
      ++wild_items_;
      wild_plain_ = plain;
    }
  }
  void Flatten(const Json& arr, int depth) {
    if (depth > 10000) Throw("U1001");
    for (const Json& x : arr.get_array()) {
      if (x.is_array()) Flatten(x, depth + 1);
      else Add(x);
    }
  }

  // '**': every non-array value at or below `v`, in document order.
  void Descend(const Json& v, int depth) {
    if (depth > 10000) Throw("U1001");
    if (v.is_array()) {
      for (const Json& x : v.get_array()) Descend(x, depth + 1);
      return;
    }
    Add(v);
    if (v.is_object())
      for (const auto& m : v.get_object()) Descend(m.value, depth + 1);
  }

  static constexpr size_t kKeep = 1 << 16;
  static List* Lists() {
    thread_local List lists[2];
    return lists;
  }

  const std::vector<Node*>& steps_;
  size_t first_, last_;
  bool path_end_;
  List* lists_;
  List* in_ = &lists_[0];
  List* out_ = &lists_[1];
  size_t found_ = 0;
  const Json* single_ = nullptr;  // the first array the last step matched
  size_t wild_items_ = 0;         // items with a defined result at a last '*' step
  bool wild_plain_ = false;       // whether the latest one was a plain array
};

}  // namespace

Value LookupName(const Value& input, const std::string& key) {
  if (input.is_array()) {
    std::vector<Value> result;
    ForEachItem(input, [&](const Value& it) {
      Value r = LookupName(it, key);
      if (r.undefined()) return;
      if (r.is_array()) ForEachItem(r, [&](const Value& x) { result.push_back(x); });
      else result.push_back(std::move(r));
    });
    return Seq(std::move(result));
  }
  if (input.kind() == Value::kObject) {
    const Value* f = input.obj().Find(key);
    return f ? *f : Value();
  }
  if (input.is_json() && input.json().is_object()) {
    const Json* f = FindField(input.json(), key);
    if (f) return input.Child(*f);
  }
  return Value();
}

int Function::Arity() const {
  switch (kind) {
    case kBuiltin: return builtin->arity;
    case kLambda: return static_cast<int>(node->params.size());
    case kPartial: {
      int n = 0;
      for (bool h : hole) n += h;
      return n;
    }
    default: return 1;
  }
}

struct Evaluator::DepthGuard {
  explicit DepthGuard(Evaluator& e) : ev(e) { ev.Enter(); }
  ~DepthGuard() { --ev.depth_; }
  Evaluator& ev;
};

namespace {
int64_t CoarseNowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}
}  // namespace

Evaluator::Evaluator(const EvalOptions& opts, const Bindings* bindings)
    : opts_(opts), bindings_(bindings) {
  max_depth_ = opts.max_depth > 0 ? opts.max_depth : kDefaultMaxDepth;
  int64_t ms = opts.time_limit_ms > 0 ? opts.time_limit_ms : kDefaultTimeLimitMs;
  ms = std::min<int64_t>(ms, int64_t{1} << 40);  // no overflow in nanoseconds
  deadline_ns_ = CoarseNowNs() + ms * 1000000;
  stack_limit_ = StackLimit();
  if (opts.now_millis) {
    now_millis_ = *opts.now_millis;
    now_set_ = true;
  }
  root_ = std::make_shared<Frame>();
}

int64_t Evaluator::ReadClockMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Evaluator::CheckTime() {
  if (CoarseNowNs() > deadline_ns_)
    throw JError{"U1001", "Expression evaluation timeout: Check for infinite loop", -1};
}

void Evaluator::Enter() {
  ++depth_;
  const char* here = reinterpret_cast<const char*>(__builtin_frame_address(0));
  if (depth_ > max_depth_ || here < stack_limit_) Throw("U1001");
  if ((++ticks_ & 255) == 0) CheckTime();
}

Value Evaluator::Run(const Program& prog, const std::optional<Json>& input) {
  Value in;
  // The input outlives the evaluation: values inside it are borrowed, not
  // reference-counted.
  if (input) in = Value::Borrow(*input);
  root_->Bind("$", in);
  if (in.is_array()) {
    std::vector<Value> one{in};
    in = Value::Array(std::move(one), Value::kSequence | Value::kOuterWrapper);
  }
  root_node_ = prog.root;
  return Eval(prog.root, in, root_);
}

const Value* Evaluator::LookupVar(const EnvPtr& env, std::string_view name) const {
  for (const Frame* f = env.get(); f; f = f->parent.get())
    for (const auto& [k, v] : f->vars)
      if (k == name) return &v;
  return nullptr;
}

// Whether `name` would resolve as a variable (for the "did you mean $name" errors).
bool Evaluator::NameIsBound(const EnvPtr& env, const std::string& name) const {
  if (LookupVar(env, name)) return true;
  if (bindings_ && bindings_->Find(name)) return true;
  return FindBuiltin(name) != nullptr;
}

EnvPtr Evaluator::FrameFromTuple(const EnvPtr& env, const Value& tuple) {
  auto f = std::make_shared<Frame>();
  f->parent = env;
  if (tuple.kind() == Value::kObject) f->vars = tuple.obj().members;
  return f;
}

Value Evaluator::Eval(const Node* n, const Value& input, const EnvPtr& env) {
  DepthGuard guard(*this);
  Value r;
  switch (n->type) {
    case NodeType::kPath: r = EvalPath(n, input, env); break;
    case NodeType::kBinary: r = EvalBinary(n, input, env); break;
    case NodeType::kNegate: {
      Value v = Eval(n->expr, input, env);
      if (v.undefined()) break;
      if (!IsNumeric(v)) Throw("D1002", {.token = "-", .value = RenderValue(v)}, n->position);
      r = Value(MakeNumber(-v.num()));
      break;
    }
    case NodeType::kArray: r = EvalArray(n, input, env); break;
    case NodeType::kObject: r = EvalGroup(n->pairs, input, env); break;
    case NodeType::kName: r = LookupName(input, n->value); break;
    case NodeType::kString:
    case NodeType::kNumber:
    case NodeType::kValue: r = Value(n->literal); break;
    case NodeType::kWildcard: r = EvalWildcard(input); break;
    case NodeType::kDescendant: {
      if (input.undefined()) break;
      std::vector<Value> out;
      RecurseDescendants(input, out, 0);
      if (out.size() == 1) r = out[0];
      else r = Seq(std::move(out));
      break;
    }
    case NodeType::kParent: {
      const Value* v = LookupVar(env, n->slot->label);
      if (v) r = *v;
      break;
    }
    case NodeType::kCondition: {
      Value c = Eval(n->condition, input, env);
      if (BooleanOf(c) == 1) r = Eval(n->then, input, env);
      else if (n->otherwise) r = Eval(n->otherwise, input, env);
      break;
    }
    case NodeType::kBlock: {
      if (!n->needs_frame) {
        for (const Node* e : n->items) r = Eval(e, input, env);
        break;
      }
      auto frame = std::make_shared<Frame>();
      frame->parent = env;
      for (const Node* e : n->items) r = Eval(e, input, frame);
      break;
    }
    case NodeType::kBind: {
      r = Eval(n->rhs, input, env);
      env->Bind(n->lhs->value, r);
      break;
    }
    case NodeType::kRegex: {
      auto f = std::make_shared<Function>();
      f->kind = Function::kRegex;
      f->regex = n->regex;
      r = Value::Func(std::move(f));
      break;
    }
    case NodeType::kCall:
      if (n->tail_call) {
        auto f = std::make_shared<Function>();
        f->kind = Function::kThunk;
        f->node = n;
        f->env = env;
        f->input = input;
        r = Value::Func(std::move(f));
      } else {
        r = EvalCall(n, input, env, nullptr);
      }
      break;
    case NodeType::kPartial: r = EvalPartial(n, input, env); break;
    case NodeType::kVariable: r = EvalVariable(n, input, env); break;
    case NodeType::kLambda: {
      auto f = std::make_shared<Function>();
      f->kind = Function::kLambda;
      f->node = n;
      f->env = env;
      f->input = input;
      r = Value::Func(std::move(f));
      break;
    }
    case NodeType::kApply: r = EvalApplyOp(n, input, env); break;
    case NodeType::kTransform: {
      auto f = std::make_shared<Function>();
      f->kind = Function::kTransform;
      f->node = n;
      f->env = env;
      r = Value::Func(std::move(f));
      break;
    }
    case NodeType::kSort: r = EvalSort(n, input, env); break;
    default: break;
  }
  for (const Stage& st : n->predicates) r = EvalFilter(st.expr, r, env);
  if (n->type != NodeType::kPath && n->group) r = EvalGroup(n->group->pairs, r, env);
  if (r.is_sequence() && !r.has(Value::kTupleStream)) {
    if (n->keep_array) r.set(Value::kKeepSingleton);
    size_t sz = r.size();
    if (sz == 0) {
      r = Value();
    } else if (sz == 1 && !r.has(Value::kKeepSingleton)) {
      Value one = r.at(0);
      r = std::move(one);
    }
  }
  return r;
}

Value Evaluator::EvalVariable(const Node* n, const Value& input, const EnvPtr& env) {
  if (n->value.empty()) return UnwrapOuter(input);
  if (const Value* v = LookupVar(env, n->value)) return *v;
  if (bindings_) {
    if (const Json* j = bindings_->Find(n->value)) return Value::Borrow(*j);
  }
  const Builtin* b = static_cast<const Builtin*>(n->builtin);
  if (b) {
    if (opts_.aws_functions) {
      if (b->aws_variant) b = b->aws_variant;
      if (b->dialect == Dialect::kStandardOnly) return Value();
    } else if (b->dialect == Dialect::kAwsOnly) {
      return Value();
    }
    return Value::Func(b->value);
  }
  return Value();
}

// ---- Paths ----

Value Evaluator::EvalPath(const Node* n, const Value& input, const EnvPtr& env) {
  // Fast path: a lone field name applied to a non-array is just a lookup.
  if (n->steps.size() == 1 && n->steps[0]->plain_name && !n->keep_singleton_array && !n->group &&
      !input.is_array()) {
    if (depth_ + 1 > max_depth_) Throw("U1001");
    return LookupName(input, n->steps[0]->value);
  }
  Value in;
  Value result;
  size_t first = 0;
  if (n->steps.size() >= 2 && n->steps[0]->plain_var && Walkable(n->steps[1])) {
    // `$var.name...`: the variable's items feed the walk directly (what
    // EvalStep computes for a first step, without its sequences).
    Value v = Eval(n->steps[0], input, env);
    if (n->steps.size() == 2 && n->steps[1]->plain_name && v.is_json() && v.json().is_object() &&
        !n->keep_singleton_array && !n->keep_array && !n->group && n->predicates.empty()) {
      // `$var.name` on one object (a lambda's record, mostly): the lookup the
      // walk below would make, without setting one up.
      if (depth_ + 1 > max_depth_) Throw("U1001");
      const Json* f = FindField(v.json(), n->steps[1]->value);
      return f ? v.Child(*f) : Value();
    }
    if (v.is_json() && !v.has(Value::kCons)) {
      in = std::move(v);  // a non-array is a one-item sequence to WalkSteps
    } else {
      std::vector<Value> out;
      if (v.defined()) {
        if (!v.is_array() || v.has(Value::kCons)) out.push_back(std::move(v));
        else ForEachItem(v, [&](const Value& x) { out.push_back(x); });
      }
      in = Seq(std::move(out));
      if (in.size() == 0) result = in;
    }
    first = result.defined() ? n->steps.size() : 1;
  } else if (input.is_json() && Walkable(n->steps[0]) && !n->steps[0]->cons_array) {
    in = input;  // WalkSteps below takes a non-array as a one-item sequence
  } else if (input.is_array() && n->steps[0]->type != NodeType::kVariable) {
    in = input;
  } else {
    std::vector<Value> one{input};
    in = Seq(std::move(one));
  }
  Value tuples;  // undefined until the first tuple step
  bool tuple_mode = false;
  const size_t nsteps = n->steps.size();
  for (size_t i = first; i < nsteps; ++i) {
    const Node* step = n->steps[i];
    if (step->tuple) tuple_mode = true;
    if (i == 0 && step->cons_array) {
      result = Eval(step, in, env);
    } else if (!tuple_mode && Walkable(step) && WalkSteps(n, i, in, &result)) {
      // i now indexes the stretch's last step.
    } else if (tuple_mode) {
      tuples = EvalTupleStep(step, in, tuples, env);
    } else {
      result = EvalStep(step, in, env, i == nsteps - 1);
    }
    if (!tuple_mode && (result.undefined() || (result.is_array() && result.size() == 0))) break;
    if (!n->steps[i]->has_focus) in = result;
  }
  if (tuple_mode) {
    if (n->tuple) {
      result = tuples;
    } else {
      std::vector<Value> out;
      out.reserve(tuples.size());
      ForEachItem(tuples, [&](const Value& t) { out.push_back(TupleAt(t)); });
      result = Seq(std::move(out));
    }
  }
  if (n->keep_singleton_array && result.defined()) {
    if (result.is_array() && result.has(Value::kCons) && !result.is_sequence()) {
      std::vector<Value> one{result};
      result = Seq(std::move(one));
    }
    if (!result.is_array()) {
      std::vector<Value> one{result};
      result = Seq(std::move(one));
    }
    result.set(Value::kKeepSingleton);
  }
  if (n->group) result = EvalGroup(n->group->pairs, tuple_mode ? tuples : result, env);
  return result;
}

// Evaluates the longest stretch of walkable steps starting at *i in one walk,
// when every item of `in` is plain JSON; advances *i to the stretch's last
// step. Returns false (nothing evaluated) otherwise.
bool Evaluator::WalkSteps(const Node* path, size_t& i, const Value& in, Value* result) {
  const auto& steps = path->steps;
  size_t j = i;
  while (j + 1 < steps.size() && Walkable(steps[j + 1])) ++j;
  const bool path_end = j == steps.size() - 1;
  PlainWalk walk(steps, i, j, path_end);
  // Items are borrowed when all of them are; copying one out is always safe.
  bool borrowed = in.borrowed();
  auto& items = walk.input();
  if (in.is_json()) {
    if (in.json().is_array()) {
      for (const Json& x : in.json().get_array()) items.push_back(&x);
    } else {
      items.push_back(&in.json());
    }
  } else if (in.kind() == Value::kArray) {
    borrowed = true;
    for (const Value& it : in.items()) {
      if (!it.is_json()) return false;
      borrowed = borrowed && it.borrowed();
      items.push_back(&it.json());
    }
  } else {
    return false;
  }
  if (depth_ + 1 > max_depth_) Throw("U1001");
  walk.Run();
  // Whatever follows the path in Eval treats a one-item sequence as its item.
  const bool unwrap = path_end && path->predicates.empty() && !path->group && !path->keep_array &&
                      !path->keep_singleton_array;
  // The whole expression is this path, whose result becomes JSON right away.
  // (A path feeding a function, filter or grouping keeps borrowed Values,
  // which those read without copying.)
  const bool json_out = path_end && path == root_node_ && path->predicates.empty() && !path->group;
  *result = walk.Result(unwrap, json_out, borrowed);
  i = j;
  return true;
}

Value Evaluator::EvalStep(const Node* step, const Value& in, const EnvPtr& env, bool last) {
  if (step->type == NodeType::kSort) {
    Value r = EvalSort(step, in, env);
    if (!step->stages.empty()) r = EvalStages(step->stages, std::move(r), env);
    return r;
  }
  const size_t n = in.size();
  if (step->plain_name) {
    // Field lookup over every item without materialising per-item values.
    if (depth_ + 1 > max_depth_) Throw("U1001");
    const std::string& key = step->value;
    std::vector<Value> out;
    out.reserve(n);
    auto visit = [&](const Value& res) {
      if (res.undefined()) return;
      if (!res.is_array() || res.has(Value::kCons)) out.push_back(res);
      else ForEachItem(res, [&](const Value& v) { out.push_back(v); });
    };
    size_t found = 0;
    Value single;
    // A field of a plain JSON object: appended straight from the parent's JSON.
    uint32_t hint = 0;
    auto from_json = [&](const Value& parent, const Json& item) {
      const Json* f = FindFieldHinted(item, key, hint);
      if (!f) return;
      ++found;
      if (found == 1 && f->is_array()) single = parent.Child(*f);
      if (f->is_array()) {
        for (const Json& x : f->get_array()) out.push_back(parent.Child(x));
      } else {
        out.push_back(parent.Child(*f));
      }
    };
    // Any other item: its lookup as Eval would return it (a sequence is
    // undefined when empty and its item when it has one).
    auto from_lookup = [&](const Value& item) {
      Value res = LookupName(item, key);
      if (res.is_sequence() && res.size() <= 1) res = res.size() == 1 ? res.at(0) : Value();
      if (res.undefined()) return;
      ++found;
      if (found == 1 && res.is_array() && !res.is_sequence()) single = res;
      visit(res);
    };
    if (in.is_json()) {
      for (const Json& item : in.json().get_array()) {
        if (item.is_array()) from_lookup(in.Child(item));
        else if (item.is_object()) from_json(in, item);
      }
    } else {
      for (const Value& item : in.items()) {
        if (item.is_json() && item.json().is_object()) from_json(item, item.json());
        else from_lookup(item);
      }
    }
    if (last && found == 1 && single.defined()) return single;
    return Seq(std::move(out));
  }
  if (step->plain_step && (step->type == NodeType::kDescendant || n > 1)) {
    // '*' or '**' over every item, appended straight into the result (what
    // the generic loop below computes, without a sequence per item).
    if (depth_ + 1 > max_depth_) Throw("U1001");
    std::vector<Value> out;
    out.reserve(n * 4);
    // Plain JSON items: members appended straight from the JSON.
    auto flatten_json = [&](auto& self, const Json& j, bool borrowed) -> void {
      if (j.is_array()) {
        for (const Json& x : j.get_array()) self(self, x, borrowed);
      } else {
        out.push_back(borrowed ? Value::Borrow(j) : Value(j));
      }
    };
    const bool wildcard = step->type == NodeType::kWildcard;
    // The last-step rule for '*': one item with a defined result (a plain
    // array when it had an array member, else a sequence that is not empty)
    // whose result is plain is returned as that plain array.
    size_t defined = 0;
    bool plain = false;
    for (size_t i = 0; i < n; ++i) {
      const size_t before = out.size();
      bool had_array = false;
      if (wildcard && in.kind() == Value::kArray && in.items()[i].is_json()) {
        const Value& it = in.items()[i];
        const Json& j = it.json();
        auto member = [&](const Json& x) {
          had_array = had_array || x.is_array();
          flatten_json(flatten_json, x, it.borrowed());
        };
        if (j.is_object()) {
          for (const auto& m : j.get_object()) member(m.value);
        } else if (j.is_array()) {
          for (const Json& x : j.get_array()) member(x);
        }
      } else {
        Value item = UnwrapOuter(in.at(i));
        auto member = [&](const Value& v) {
          had_array = had_array || v.is_array();
          Flatten(v, out);
        };
        if (step->type == NodeType::kDescendant) {
          if (item.defined()) RecurseDescendants(item, out, 0);
        } else if (item.is_object()) {
          ForEachMember(item, [&](const std::string&, const Value& v) { member(v); });
        } else if (item.is_array()) {
          ForEachItem(item, member);
        }
      }
      if (had_array || out.size() > before) {
        ++defined;
        plain = had_array;
      }
    }
    if (wildcard && last && defined == 1 && plain) return Value::Array(std::move(out), 0);
    return Seq(std::move(out));
  }
  std::vector<Value> results;
  results.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Value res = Eval(step, in.at(i), env);
    for (const Stage& st : step->stages) res = EvalFilter(st.expr, res, env);
    if (res.defined()) results.push_back(std::move(res));
  }
  if (last && results.size() == 1 && results[0].is_array() && !results[0].is_sequence())
    return results[0];
  std::vector<Value> out;
  out.reserve(results.size());
  for (auto& res : results) {
    if (!res.is_array() || res.has(Value::kCons)) {
      out.push_back(std::move(res));
    } else {
      ForEachItem(res, [&](const Value& v) { out.push_back(v); });
    }
  }
  return Seq(std::move(out));
}

Value Evaluator::EvalStages(const std::vector<Stage>& stages, Value input, const EnvPtr& env) {
  for (const Stage& st : stages) {
    if (!st.is_index) {
      input = EvalFilter(st.expr, input, env);
    } else {
      size_t n = input.size();
      for (size_t i = 0; i < n; ++i) {
        Value t = input.at(i);
        if (t.kind() == Value::kObject) t.obj_mut().Set(st.var, Value(Json(static_cast<int64_t>(i))));
      }
    }
  }
  return input;
}

Value Evaluator::EvalTupleStep(const Node* step, const Value& in, const Value& tuples,
                               const EnvPtr& env) {
  if (step->type == NodeType::kSort) {
    Value result;
    if (tuples.defined()) {
      result = EvalSort(step, tuples, env);
    } else {
      Value sorted = EvalSort(step, in, env);
      std::vector<Value> out;
      size_t n = sorted.size();
      for (size_t i = 0; i < n; ++i) {
        std::vector<std::pair<std::string, Value>> m;
        m.emplace_back("@", sorted.at(i));
        if (step->has_index) m.emplace_back(step->index, Value(Json(static_cast<int64_t>(i))));
        out.push_back(MakeTuple(std::move(m)));
      }
      result = Value::Array(std::move(out), Value::kSequence | Value::kTupleStream);
    }
    if (!step->stages.empty()) result = EvalStages(step->stages, std::move(result), env);
    return result;
  }
  std::vector<Value> bindings;
  if (tuples.defined()) {
    ToItems(tuples, bindings);
  } else {
    size_t n = in.size();
    bindings.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      std::vector<std::pair<std::string, Value>> m;
      m.emplace_back("@", in.at(i));
      bindings.push_back(MakeTuple(std::move(m)));
    }
  }
  std::vector<Value> result;
  for (const Value& tb : bindings) {
    EnvPtr step_env = FrameFromTuple(env, tb);
    Value at = TupleAt(tb);
    Value res = Eval(step, at, step_env);
    if (res.undefined()) continue;
    bool res_tuples = res.has(Value::kTupleStream);
    std::vector<Value> items;
    if (!res.is_array()) items.push_back(res);
    else ToItems(res, items);
    for (size_t bb = 0; bb < items.size(); ++bb) {
      std::vector<std::pair<std::string, Value>> m = tb.obj().members;
      auto set = [&](const std::string& k, Value v) {
        for (auto& [mk, mv] : m)
          if (mk == k) {
            mv = std::move(v);
            return;
          }
        m.emplace_back(k, std::move(v));
      };
      if (res_tuples) {
        if (items[bb].kind() == Value::kObject)
          for (const auto& [k, v] : items[bb].obj().members) set(k, v);
      } else {
        if (step->has_focus) {
          set(step->focus, items[bb]);
          set("@", at);
        } else {
          set("@", items[bb]);
        }
        if (step->has_index) set(step->index, Value(Json(static_cast<int64_t>(bb))));
        if (step->ancestor) set(step->ancestor->label, at);
      }
      result.push_back(MakeTuple(std::move(m)));
    }
  }
  Value out = Value::Array(std::move(result), Value::kSequence | Value::kTupleStream);
  if (!step->stages.empty()) out = EvalStages(step->stages, std::move(out), env);
  return out;
}

Value Evaluator::EvalFilter(const Node* pred, const Value& input, const EnvPtr& env) {
  bool tuple_stream = input.has(Value::kTupleStream);
  std::vector<Value> items;
  if (input.is_array()) ToItems(input, items);
  else items.push_back(input);
  std::vector<Value> results;
  if (pred->type == NodeType::kNumber) {
    double d = pred->literal.get_double();
    int64_t idx = ToInt64(std::floor(d));
    if (idx < 0) idx += static_cast<int64_t>(items.size());
    if (idx >= 0 && idx < static_cast<int64_t>(items.size())) {
      const Value& item = items[idx];
      if (item.defined()) {
        if (item.is_array()) return item;
        results.push_back(item);
      }
    }
  } else if (pred->constant) {
    // The predicate is the same for every item: evaluate it once (when there
    // is an item, as the loop below would) and select by index directly.
    const int64_t n = static_cast<int64_t>(items.size());
    if (n > 0) {
      Value res = Eval(pred, items[0], env);
      auto index_of = [&](double d) {
        int64_t ii = ToInt64(std::floor(d));
        return ii < 0 ? ii + n : ii;
      };
      std::vector<uint32_t> hits;
      if (res.is_number()) {
        IsNumeric(res);
        int64_t ii = index_of(res.num());
        if (ii >= 0 && ii < n) results.push_back(items[ii]);
      } else if (ForEachNumber(res, [&](double d) {
                   if (hits.empty()) hits.assign(static_cast<size_t>(n), 0);
                   int64_t ii = index_of(d);
                   if (ii >= 0 && ii < n) ++hits[ii];
                 })) {
        // An item listed k times is selected k times, in item order.
        for (int64_t index = 0; index < n && !hits.empty(); ++index)
          for (uint32_t k = 0; k < hits[index]; ++k) results.push_back(items[index]);
      } else if (BooleanOf(res) == 1) {
        results = std::move(items);
      }
    }
  } else {
    const int64_t n = static_cast<int64_t>(items.size());
    for (int64_t index = 0; index < n; ++index) {
      const Value& item = items[index];
      Value context = item;
      EnvPtr e = env;
      if (tuple_stream) {
        context = TupleAt(item);
        e = FrameFromTuple(env, item);
      }
      Value res = Eval(pred, context, e);
      if (res.is_number()) {
        IsNumeric(res);
        int64_t ii = ToInt64(std::floor(res.num()));
        if (ii < 0) ii += n;
        if (ii == index) results.push_back(item);
      } else if (ForEachNumber(res, [&](double d) {
                   int64_t ii = ToInt64(std::floor(d));
                   if (ii < 0) ii += n;
                   if (ii == index) results.push_back(item);
                 })) {
      } else if (BooleanOf(res) == 1) {
        results.push_back(item);
      }
    }
  }
  Value out = Seq(std::move(results));
  if (tuple_stream) out.set(Value::kTupleStream);
  return out;
}

Value Evaluator::EvalSort(const Node* sort, const Value& input, const EnvPtr& env) {
  bool tuple_sort = input.has(Value::kTupleStream);
  std::vector<Value> items;
  if (input.is_array()) ToItems(input, items);
  else if (input.defined()) items.push_back(input);
  if (items.size() <= 1) {
    if (input.is_array()) return input;
    return Seq(std::move(items));
  }
  const size_t nterms = sort->terms.size();
  std::vector<Value> keys(items.size() * nterms);
  for (size_t i = 0; i < items.size(); ++i) {
    Value context = items[i];
    EnvPtr e = env;
    if (tuple_sort) {
      context = TupleAt(items[i]);
      e = FrameFromTuple(env, items[i]);
    }
    for (size_t t = 0; t < nterms; ++t) keys[i * nterms + t] = Eval(sort->terms[t].expr, context, e);
  }
  auto cmp = [&](size_t a, size_t b) -> int {
    for (size_t t = 0; t < nterms; ++t) {
      const Value& aa = keys[a * nterms + t];
      const Value& bb = keys[b * nterms + t];
      if (aa.undefined()) {
        if (bb.undefined()) continue;
        return 1;
      }
      if (bb.undefined()) return -1;
      bool an = aa.is_number(), as = aa.is_string();
      bool bn = bb.is_number(), bs = bb.is_string();
      if (!(an || as) || !(bn || bs))
        Throw("T2008", {.value = RenderValue(!(an || as) ? aa : bb)}, sort->position);
      if (an != bn)
        Throw("T2007", {.value = RenderValue(aa), .value2 = RenderValue(bb)}, sort->position);
      int c = 0;
      if (an) {
        double x = aa.num(), y = bb.num();
        c = x < y ? -1 : (x > y ? 1 : 0);
      } else {
        int k = aa.str().compare(bb.str());
        c = k < 0 ? -1 : (k > 0 ? 1 : 0);
      }
      if (c == 0) continue;
      return sort->terms[t].descending ? -c : c;
    }
    return 0;
  };
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return cmp(a, b) < 0; });
  std::vector<Value> out;
  out.reserve(items.size());
  for (size_t i : order) out.push_back(std::move(items[i]));
  Value r = Seq(std::move(out));
  if (tuple_sort) r.set(Value::kTupleStream);
  return r;
}

Value Evaluator::EvalGroup(const std::vector<std::pair<Node*, Node*>>& pairs, const Value& input,
                           const EnvPtr& env) {
  bool reduce = input.has(Value::kTupleStream);
  if (!reduce && !(input.is_array() && input.size() > 1)) return EvalObject(pairs, input, env);
  std::vector<Value> items;
  if (input.is_array()) ToItems(input, items);
  else items.push_back(input);
  if (items.empty()) items.emplace_back();
  struct Entry {
    std::string key;
    std::vector<Value> parts;  // items grouped under the key, appended at the end
    size_t expr_index;
  };
  std::vector<Entry> groups;
  // Small groupings (object constructors) search linearly; large ones index.
  // Lookups take the key as a view: a key is copied only for a new group.
  StringMap<size_t> index;
  auto find = [&](std::string_view k) -> Entry* {
    if (groups.size() < 16) {
      for (auto& g : groups)
        if (g.key == k) return &g;
      return nullptr;
    }
    if (index.empty())
      for (size_t i = 0; i < groups.size(); ++i) index.emplace(groups[i].key, i);
    auto it = index.find(k);
    return it == index.end() ? nullptr : &groups[it->second];
  };
  for (const Value& item : items) {
    EnvPtr e = reduce ? FrameFromTuple(env, item) : env;
    Value ctx = reduce ? TupleAt(item) : item;
    for (size_t p = 0; p < pairs.size(); ++p) {
      Value key = Eval(pairs[p].first, ctx, e);
      if (key.undefined()) continue;
      if (!key.is_string()) Throw("T1003", {.value = RenderValue(key)}, pairs[p].first->position);
      std::string_view k = key.str();
      if (Entry* g = find(k)) {
        if (g->expr_index != p) Throw("D1009", {.value = std::string(k)}, pairs[p].first->position);
        g->parts.push_back(item);
      } else {
        if (groups.size() >= 16) index.emplace(k, groups.size());
        groups.push_back(Entry{std::string(k), {item}, p});
      }
    }
  }
  std::vector<std::pair<std::string, Value>> members;
  members.reserve(groups.size());
  bool plain = true;
  for (Entry& g : groups) {
    // fn.append of the grouped items: one item stays as it is.
    Value data;
    if (g.parts.size() == 1) {
      data = std::move(g.parts[0]);
    } else {
      std::vector<Value> flat;
      for (const Value& part : g.parts) ToItems(part, flat);
      // A rich array keeps borrowed records borrowed (MakeArray would copy
      // each into a JSON array only for the group's expression to read it).
      data = Value::Array(std::move(flat), 0);
    }
    Value ctx = data;
    EnvPtr e = env;
    if (reduce) {
      Value tuple = ReduceTupleStream(data);
      if (tuple.kind() == Value::kObject) {
        ctx = TupleAt(tuple);
        auto copy = std::make_shared<ObjNode>(tuple.obj());
        copy->Erase("@");
        e = FrameFromTuple(env, Value::Object(std::move(copy)));
      } else {
        ctx = tuple;
      }
    }
    Value v = Eval(pairs[g.expr_index].second, ctx, e);
    if (v.undefined()) continue;
    if (!v.is_json()) plain = false;
    members.emplace_back(std::move(g.key), std::move(v));
  }
  if (plain) {
    Json::Object o;
    o.reserve(members.size());
    for (auto& [k, v] : members) o.push_back(Json::Member{std::move(k), v.json()});
    return Value(Json(std::move(o)));
  }
  auto node = std::make_shared<ObjNode>();
  node->members = std::move(members);
  return Value::Object(std::move(node));
}

// EvalGroup over a single item (an object constructor, mostly): every key
// is evaluated first, then every value with the item as context, in the
// order EvalGroup would, without its grouping tables.
Value Evaluator::EvalObject(const std::vector<std::pair<Node*, Node*>>& pairs, const Value& input,
                            const EnvPtr& env) {
  Value ctx;
  if (input.is_array()) {
    if (input.size() == 1) ctx = input.at(0);
  } else {
    ctx = input;
  }
  struct Key {
    Value key;
    size_t pair;
  };
  std::vector<Key> keys;
  keys.reserve(pairs.size());
  for (size_t p = 0; p < pairs.size(); ++p) {
    Value key = Eval(pairs[p].first, ctx, env);
    if (key.undefined()) continue;
    if (!key.is_string()) Throw("T1003", {.value = RenderValue(key)}, pairs[p].first->position);
    for (const Key& k : keys)
      if (k.key.str() == key.str()) Throw("D1009", {.value = std::string(key.str())}, pairs[p].first->position);
    keys.push_back(Key{std::move(key), p});
  }
  std::vector<std::pair<Value, Value>> members;
  members.reserve(keys.size());
  bool plain = true;
  for (Key& k : keys) {
    Value v = Eval(pairs[k.pair].second, ctx, env);
    if (v.undefined()) continue;
    if (!v.is_json()) plain = false;
    members.emplace_back(std::move(k.key), std::move(v));
  }
  if (plain) {
    Json::Object o;
    o.reserve(members.size());
    for (auto& [k, v] : members) {
      o.push_back(Json::Member{std::string(k.str()), v.owns_json() ? v.take_json() : v.json()});
    }
    return Value(Json(std::move(o)));
  }
  auto node = std::make_shared<ObjNode>();
  node->members.reserve(members.size());
  for (auto& [k, v] : members) node->members.emplace_back(k.str(), std::move(v));
  return Value::Object(std::move(node));
}

// ---- Operators ----

Value Evaluator::EvalArray(const Node* n, const Value& input, const EnvPtr& env) {
  std::vector<Value> result;
  for (const Node* item : n->items) {
    Value v = Eval(item, input, env);
    if (v.undefined()) continue;
    if (item->type == NodeType::kArray) {
      result.push_back(std::move(v));
    } else if (v.is_array()) {
      if (result.empty() && n->items.size() == 1 && v.is_json()) {
        // A lone range or array: reuse its storage instead of copying items.
        Value r(v.json());
        if (n->cons_array) r.set(Value::kCons);
        return r;
      }
      if (result.empty() && v.unique_node()) {
        result = std::move(v.mutable_items());  // a sequence no one else holds: take its items
      } else {
        result.reserve(result.size() + v.size());
        ForEachItem(v, [&](const Value& x) { result.push_back(x); });
      }
    } else {
      result.push_back(std::move(v));
    }
  }
  Value r = MakeArray(std::move(result));
  if (n->cons_array) r.set(Value::kCons);
  return r;
}

// `a & b & c ...` parses as ((a & b) & c): the operands of the whole chain
// are evaluated left to right, as nested evaluation would, and appended to
// one string instead of building a string per '&'. An inner '&' with a
// filter or grouping of its own is evaluated as a whole.
Value Evaluator::EvalConcat(const Node* n, const Value& input, const EnvPtr& env) {
  const Node* rights[32];
  size_t k = 0;
  const Node* x = n;
  do {
    rights[k++] = x->rhs;
    x = x->lhs;
  } while (k < std::size(rights) && x->type == NodeType::kBinary && x->op == kOpConcat &&
           x->predicates.empty() && !x->group);
  std::string s;
  if (Value v = Eval(x, input, env); v.defined()) StringOf(v, false, &s);
  while (k > 0) {
    if (Value v = Eval(rights[--k], input, env); v.defined()) StringOf(v, false, &s);
  }
  return Value(Json(std::move(s)));
}

Value Evaluator::EvalBinary(const Node* n, const Value& input, const EnvPtr& env) {
  const std::string& op = n->value;
  const uint8_t code = n->op;
  if (code == kOpConcat) return EvalConcat(n, input, env);
  Value lhs = Eval(n->lhs, input, env);
  if (code == kOpAnd) {
    if (BooleanOf(lhs) != 1) return Value(Json(false));
    return Value(Json(BooleanOf(Eval(n->rhs, input, env)) == 1));
  }
  if (code == kOpOr) {
    if (BooleanOf(lhs) == 1) return Value(Json(true));
    return Value(Json(BooleanOf(Eval(n->rhs, input, env)) == 1));
  }
  Value rhs = Eval(n->rhs, input, env);
  const char c = op[0];
  if (code >= kOpAdd && code <= kOpMod) {
    if (lhs.defined() && !IsNumeric(lhs)) Throw("T2001", {.token = op, .value = RenderValue(lhs)}, n->position);
    if (rhs.defined() && !IsNumeric(rhs)) Throw("T2002", {.token = op, .value = RenderValue(rhs)}, n->position);
    if (lhs.undefined() || rhs.undefined()) return Value();
    if (lhs.json().is_int() && rhs.json().is_int() && c != '/') {
      int64_t a = lhs.json().get_int(), b = rhs.json().get_int();
      int64_t r;
      // Exact int64 arithmetic when it cannot overflow beyond 2^53.
      if (c == '+' && !__builtin_add_overflow(a, b, &r)) return Value(MakeNumber(static_cast<double>(r)));
      if (c == '-' && !__builtin_sub_overflow(a, b, &r)) return Value(MakeNumber(static_cast<double>(r)));
    }
    double a = lhs.num(), b = rhs.num(), r = 0;
    switch (c) {
      case '+': r = a + b; break;
      case '-': r = a - b; break;
      case '*': r = a * b; break;
      case '/': r = a / b; break;
      case '%': r = std::fmod(a, b); break;
    }
    return Value(MakeNumber(r));
  }
  if (code == kOpEq || code == kOpNe) {
    if (lhs.undefined() || rhs.undefined()) return Value(Json(false));
    bool eq = DeepEqual(lhs, rhs);
    return Value(Json(code == kOpEq ? eq : !eq));
  }
  if (code >= kOpLt && code <= kOpGe) {
    bool lc = lhs.undefined() || lhs.is_string() || lhs.is_number();
    bool rc = rhs.undefined() || rhs.is_string() || rhs.is_number();
    if (!lc || !rc) Throw("T2010", {.token = op, .value = RenderValue(!lc ? lhs : rhs)}, n->position);
    if (lhs.undefined() || rhs.undefined()) return Value();
    if (lhs.is_number() != rhs.is_number())
      Throw("T2009", {.token = op, .value = RenderValue(lhs), .value2 = RenderValue(rhs)}, n->position);
    int k;
    if (lhs.is_number()) {
      double a = lhs.num(), b = rhs.num();
      if (std::isnan(a) || std::isnan(b)) return Value(Json(false));
      k = a < b ? -1 : (a > b ? 1 : 0);
    } else {
      k = lhs.str().compare(rhs.str());
    }
    bool r = code == kOpLt ? k < 0 : code == kOpLe ? k <= 0 : code == kOpGt ? k > 0 : k >= 0;
    return Value(Json(r));
  }
  if (code == kOpRange) {
    auto is_int = [](const Value& v) { return v.is_number() && std::isfinite(v.num()) && std::floor(v.num()) == v.num(); };
    if (lhs.defined() && !is_int(lhs)) Throw("T2003", {.token = op, .value = RenderValue(lhs)}, n->position);
    if (rhs.defined() && !is_int(rhs)) Throw("T2004", {.token = op, .value = RenderValue(rhs)}, n->position);
    if (lhs.undefined() || rhs.undefined()) return Value();
    double a = lhs.num(), b = rhs.num();
    if (a > b) return Value();
    double size = b - a + 1;
    if (size > 1e7) Throw("D2014", {.value = JsNumber(size)}, n->position);
    Json::Array arr;
    arr.reserve(static_cast<size_t>(size));
    for (int64_t i = static_cast<int64_t>(a); i <= static_cast<int64_t>(b); ++i) arr.emplace_back(i);
    Value r(Json(std::move(arr)));
    r.set(Value::kSequence);
    return r;
  }
  if (code == kOpIn) {
    if (lhs.undefined() || rhs.undefined()) return Value(Json(false));
    bool found = false;
    auto test = [&](const Value& x) {
      if (found) return;
      if (lhs.is_json() && x.is_json() && !lhs.json().is_array() && !lhs.json().is_object())
        found = lhs.json() == x.json();
      else if (lhs.identity() && lhs.identity() == x.identity())
        found = true;
    };
    if (rhs.is_array()) ForEachItem(rhs, test);
    else test(rhs);
    return Value(Json(found));
  }
  Throw("S0201", {.token = op}, n->position);
}

// ---- Functions ----

Value Evaluator::EvalCall(const Node* n, const Value& input, const EnvPtr& env, const Value* applyto) {
  Value proc = Eval(n->procedure, input, env);
  const Node* pn = n->procedure;
  if (proc.undefined() && pn->type == NodeType::kPath && pn->steps[0]->type == NodeType::kName &&
      NameIsBound(env, pn->steps[0]->value))
    Throw("T1005", {.token = pn->steps[0]->value}, n->position);
  // Argument vectors are reused from call to call (calls nest, hence a pool):
  // most calls then allocate nothing for their arguments.
  std::vector<Value> args;
  if (!arg_pool_.empty()) {
    args = std::move(arg_pool_.back());
    arg_pool_.pop_back();
  }
  args.reserve(n->items.size() + (applyto ? 1 : 0));
  if (applyto) args.push_back(*applyto);
  for (const Node* a : n->items) args.push_back(Eval(a, input, env));
  const std::string& name = pn->type == NodeType::kPath ? pn->steps[0]->value : pn->value;
  Value r = Apply(proc, args, input, env, name);
  args.clear();
  if (arg_pool_.size() < 32) arg_pool_.push_back(std::move(args));
  return r;
}

Value Evaluator::EvalPartial(const Node* n, const Value& input, const EnvPtr& env) {
  auto f = std::make_shared<Function>();
  f->kind = Function::kPartial;
  for (const Node* a : n->items) {
    if (a->type == NodeType::kPlaceholder) {
      f->bound.emplace_back();
      f->hole.push_back(true);
    } else {
      f->bound.push_back(Eval(a, input, env));
      f->hole.push_back(false);
    }
  }
  Value proc = Eval(n->procedure, input, env);
  const Node* pn = n->procedure;
  if (proc.undefined() && pn->type == NodeType::kPath && pn->steps[0]->type == NodeType::kName &&
      NameIsBound(env, pn->steps[0]->value))
    Throw("T1007", {.token = pn->steps[0]->value}, n->position);
  if (!proc.is_function()) Throw("T1008", {.token = pn->value}, n->position);
  f->target = proc.fn_ptr();
  return Value::Func(std::move(f));
}

Value Evaluator::EvalApplyOp(const Node* n, const Value& input, const EnvPtr& env) {
  Value lhs = Eval(n->lhs, input, env);
  if (n->rhs->type == NodeType::kCall) return EvalCall(n->rhs, input, env, &lhs);
  Value func = Eval(n->rhs, input, env);
  if (!func.is_function()) Throw("T2006", {.value = RenderValue(func)}, n->position);
  if (lhs.is_function()) {
    auto f = std::make_shared<Function>();
    f->kind = Function::kChain;
    f->target = lhs.fn_ptr();
    f->second = func.fn_ptr();
    return Value::Func(std::move(f));
  }
  std::vector<Value> args{lhs};
  static const std::string kName = "~>";
  return Apply(func, args, Value(), env, kName);
}

Value Evaluator::Apply(const Value& fn, std::vector<Value>& args, const Value& input,
                       const EnvPtr& env, const std::string& name) {
  Value result = ApplyInner(fn, args, input, env, name);
  while (result.is_function() && result.fn().kind == Function::kThunk) {
    CheckTime();
    auto th = result.fn_ptr();
    const Node* call = th->node;
    Value next = Eval(call->procedure, th->input, th->env);
    std::vector<Value> a;
    a.reserve(call->items.size());
    for (const Node* x : call->items) a.push_back(Eval(x, th->input, th->env));
    const Node* pn = call->procedure;
    const std::string& nm = pn->type == NodeType::kPath ? pn->steps[0]->value : pn->value;
    result = ApplyInner(next, a, input, env, nm);
  }
  return result;
}

Value Evaluator::ApplyInner(const Value& fnv, std::vector<Value>& args, const Value& input,
                            const EnvPtr& env, const std::string& name) {
  if (!fnv.is_function()) Throw("T1006", {.token = name});
  const Function& f = fnv.fn();
  switch (f.kind) {
    case Function::kBuiltin: {
      const Builtin* b = f.builtin;
      if (b->has_sig) ValidateArgs(b->sig, args, input, b->name);
      CallCtx ctx{*this, input, env, args, b->name};
      return b->impl(ctx);
    }
    case Function::kLambda: {
      const Node* ln = f.node;
      if (ln->signature) ValidateArgs(*ln->signature, args, input, name);
      // A lambda's frame is reused for the next call when nothing kept it (no
      // closure made in the body): a call then allocates nothing for it.
      std::shared_ptr<Frame> frame;
      if (!frame_pool_.empty()) {
        frame = std::move(frame_pool_.back());
        frame_pool_.pop_back();
      } else {
        frame = std::make_shared<Frame>();
      }
      frame->parent = f.env;
      frame->vars.reserve(ln->params.size());
      for (size_t i = 0; i < ln->params.size(); ++i)
        frame->vars.emplace_back(ln->params[i], i < args.size() ? args[i] : Value());
      Value r = Eval(ln->body, f.input, frame);
      if (frame.use_count() == 1 && frame_pool_.size() < 32) {
        frame->vars.clear();
        frame->parent.reset();
        frame_pool_.push_back(std::move(frame));
      }
      return r;
    }
    case Function::kPartial: {
      std::vector<Value> full;
      full.reserve(f.bound.size());
      size_t k = 0;
      for (size_t i = 0; i < f.bound.size(); ++i) {
        if (f.hole[i]) full.push_back(k < args.size() ? args[k++] : Value());
        else full.push_back(f.bound[i]);
      }
      return Apply(Value::Func(f.target), full, input, env, name);
    }
    case Function::kChain: {
      Value r = Apply(Value::Func(f.target), args, input, env, name);
      std::vector<Value> a{r};
      return Apply(Value::Func(f.second), a, input, env, name);
    }
    case Function::kTransform:
      return ApplyTransform(f, args.empty() ? Value() : args[0]);
    case Function::kRegex: {
      // Calling a regex returns the reference's match object for the first match.
      if (args.empty() || !args[0].is_string()) return Value();
      std::string s(args[0].str());
      RegexMatch m;
      if (!f.regex->Search(s, 0, &m)) return Value();
      Json::Object o;
      o.push_back({"match", Json(s.substr(m.start, m.end - m.start))});
      o.push_back({"start", Json(static_cast<int64_t>(CodePointCount(std::string_view(s).substr(0, m.start))))});
      o.push_back({"end", Json(static_cast<int64_t>(CodePointCount(std::string_view(s).substr(0, m.end))))});
      Json::Array g;
      for (auto& x : m.groups) g.emplace_back(x);
      o.push_back({"groups", Json(std::move(g))});
      return Value(Json(std::move(o)));
    }
    case Function::kThunk:
      return fnv;
  }
  return Value();
}

Value Evaluator::ApplyTransform(const Function& f, const Value& obj) {
  if (obj.undefined()) return Value();
  const Node* n = f.node;
  if (!obj.is_object() && !obj.is_array()) Throw("T0410", {.token = "transform", .index = 1});
  Value result = CloneMutable(obj);
  Value matches = Eval(n->pattern, result, f.env);
  if (matches.undefined()) return result;
  std::vector<Value> ms;
  if (matches.is_array()) ToItems(matches, ms);
  else ms.push_back(matches);
  for (const Value& match : ms) {
    Value update = Eval(n->update, match, f.env);
    if (update.defined()) {
      if (!update.is_object()) Throw("T2011", {.value = RenderValue(update)}, n->position);
      if (match.kind() == Value::kObject) {
        ForEachMember(update, [&](const std::string& k, const Value& v) { match.obj_mut().Set(k, v); });
      }
    }
    if (n->del) {
      Value dels = Eval(n->del, match, f.env);
      if (dels.defined()) {
        std::vector<Value> ds;
        if (dels.is_array()) ToItems(dels, ds);
        else ds.push_back(dels);
        for (const Value& d : ds)
          if (!d.is_string()) Throw("T2012", {.value = RenderValue(dels)}, n->position);
        if (match.kind() == Value::kObject)
          for (const Value& d : ds) match.obj_mut().Erase(d.str());
      }
    }
  }
  return result;
}

}  // namespace stepline::jsonata

#pragma once
// Runtime values of the JSONata evaluator. Plain JSON travels as a Json (O(1)
// copies); only what JSON cannot hold gets a node of its own: sequences (with
// the reference's flags), arrays/objects holding functions or mutated by a
// transform, and functions. Not thread-safe; one evaluation owns its values.

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.h"

namespace stepline::jsonata {

struct Function;
class Value;

struct ArrNode {
  std::vector<Value> items;
};
struct ObjNode {
  std::vector<std::pair<std::string, Value>> members;
  const Value* Find(std::string_view key) const;
  void Set(std::string_view key, Value v);
  bool Erase(std::string_view key);
};

// Zero-initialised storage is already a valid null Json, so this is usable
// even during static initialisation.
inline const Json kNullJson;

class Value {
 public:
  enum Kind : uint8_t { kUndefined, kJson, kArray, kObject, kFunction };
  // Flags the reference keeps on its arrays (sequence, keepSingleton, ...).
  enum Flag : uint8_t {
    kSequence = 1,
    kKeepSingleton = 2,
    kOuterWrapper = 4,
    kCons = 8,
    kTupleStream = 16,
  };

  Value() noexcept {}
  Value(Json j) noexcept : kind_(kJson) { new (&json_) Json(std::move(j)); }  // NOLINT: implicit by design
  Value(const Value& o) noexcept { CopyFrom(o); }
  Value(Value&& o) noexcept { MoveFrom(o); }
  // When this value holds a rich node, `o` may live inside it: take `o` first.
  Value& operator=(const Value& o) noexcept {
    if (this == &o) return *this;
    if (rich()) {
      Value tmp(o);
      Reset();
      MoveFrom(tmp);
    } else {
      Reset();
      CopyFrom(o);
    }
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this == &o) return *this;
    if (rich()) {
      Value tmp(std::move(o));
      Reset();
      MoveFrom(tmp);
    } else {
      Reset();
      MoveFrom(o);
    }
    return *this;
  }
  ~Value() { Reset(); }

  // A value that refers to `j` without owning it (no reference-count traffic
  // when copied). Only for JSON that outlives the evaluation: the input
  // document, the bindings, and (via Child) anything inside a borrowed value.
  static Value Borrow(const Json& j) {
    Value v;
    v.kind_ = kJson;
    v.borrowed_ = true;
    v.jp_ = &j;
    return v;
  }
  // Borrow(j) when `borrowed`, else a copy of j: built in place, for
  // vectors of path results (emplace_back(j, borrowed)).
  Value(const Json& j, bool borrowed) noexcept : kind_(kJson), borrowed_(borrowed) {
    if (borrowed) jp_ = &j;
    else new (&json_) Json(j);
  }
  // `j`, a node inside this value's JSON: borrowed when this value is.
  Value Child(const Json& j) const { return borrowed_ ? Borrow(j) : Value(j); }
  bool borrowed() const { return borrowed_; }
  static Value Array(std::vector<Value> items, uint8_t flags = 0) {
    return Rich(kArray, std::make_shared<ArrNode>(ArrNode{std::move(items)}), flags);
  }
  static Value Sequence(std::vector<Value> items) { return Array(std::move(items), kSequence); }
  static Value Object(std::shared_ptr<ObjNode> node) { return Rich(kObject, std::move(node), 0); }
  static Value Func(std::shared_ptr<const Function> f) {
    return Rich(kFunction, std::const_pointer_cast<Function>(std::move(f)), 0);
  }

  Kind kind() const { return kind_; }
  uint8_t flags() const { return flags_; }
  bool has(Flag f) const { return (flags_ & f) != 0; }
  void set(Flag f) { flags_ |= f; }
  void clear(Flag f) { flags_ &= static_cast<uint8_t>(~f); }

  bool undefined() const { return kind_ == kUndefined; }
  bool defined() const { return kind_ != kUndefined; }
  bool is_json() const { return kind_ == kJson; }
  bool is_function() const { return kind_ == kFunction; }
  bool is_sequence() const { return (flags_ & kSequence) && is_array(); }
  bool is_array() const { return kind_ == kArray || (kind_ == kJson && json().is_array()); }
  bool is_object() const { return kind_ == kObject || (kind_ == kJson && json().is_object()); }
  bool is_string() const { return kind_ == kJson && json().is_string(); }
  bool is_number() const { return kind_ == kJson && json().is_number(); }
  bool is_bool() const { return kind_ == kJson && json().is_bool(); }
  bool is_null() const { return kind_ == kJson && json().is_null(); }

  // A null Json for values that are not JSON (as a plain null member was).
  const Json& json() const {
    if (kind_ != kJson) return kNullJson;
    return borrowed_ ? *jp_ : json_;
  }
  // Safe on any value (empty string / NaN when the type differs), so a
  // built-in handed an unexpected undefined can never crash.
  std::string_view str() const { return is_string() ? json().get_string() : std::string_view(); }
  double num() const { return is_number() ? json().get_double() : std::numeric_limits<double>::quiet_NaN(); }

  // Rich nodes (kind kArray / kObject / kFunction).
  const std::vector<Value>& items() const { return static_cast<ArrNode*>(ptr_.get())->items; }
  std::vector<Value>& mutable_items();  // clones a shared node first
  const ObjNode& obj() const { return *static_cast<ObjNode*>(ptr_.get()); }
  ObjNode& obj_mut() const { return *static_cast<ObjNode*>(ptr_.get()); }  // identity semantics
  const Function& fn() const { return *static_cast<const Function*>(ptr_.get()); }
  std::shared_ptr<const Function> fn_ptr() const {
    return std::static_pointer_cast<const Function>(ptr_);
  }
  const void* identity() const { return rich() ? ptr_.get() : kind_ == kJson ? json().node_identity() : nullptr; }
  // True when this value is the only owner of its rich node (so its items may
  // be moved out instead of copied).
  bool unique_node() const { return rich() && ptr_.use_count() == 1; }
  // Owned JSON (not borrowed, not rich): can be moved out with take_json().
  bool owns_json() const { return kind_ == kJson && !borrowed_; }
  Json take_json() { return std::move(json_); }

  // Array access over both representations.
  size_t size() const {
    if (kind_ == kArray) return items().size();
    return kind_ == kJson && json().is_array() ? json().get_array().size() : 0;
  }
  Value at(size_t i) const { return kind_ == kArray ? items()[i] : Child(json().get_array()[i]); }

 private:
  static Value Rich(Kind k, std::shared_ptr<void> p, uint8_t flags) {
    Value v;
    v.kind_ = k;
    v.flags_ = flags;
    new (&v.ptr_) std::shared_ptr<void>(std::move(p));
    return v;
  }
  bool rich() const { return kind_ >= kArray; }
  __attribute__((always_inline)) void Reset() noexcept {
    if (kind_ == kJson) {
      if (!borrowed_) json_.~Json();
    } else if (rich()) {
      ptr_.~shared_ptr();
    }
    kind_ = kUndefined;
    flags_ = 0;
    borrowed_ = false;
  }
  __attribute__((always_inline)) void CopyFrom(const Value& o) noexcept {
    kind_ = o.kind_;
    flags_ = o.flags_;
    borrowed_ = o.borrowed_;
    if (kind_ == kJson) {
      if (borrowed_) jp_ = o.jp_;
      else new (&json_) Json(o.json_);
    } else if (rich()) {
      new (&ptr_) std::shared_ptr<void>(o.ptr_);
    }
  }
  __attribute__((always_inline)) void MoveFrom(Value& o) noexcept {
    kind_ = o.kind_;
    flags_ = o.flags_;
    borrowed_ = o.borrowed_;
    if (kind_ == kJson) {
      if (borrowed_) jp_ = o.jp_;
      else new (&json_) Json(std::move(o.json_));
    } else if (rich()) {
      new (&ptr_) std::shared_ptr<void>(std::move(o.ptr_));
    }
    o.Reset();
  }

  // 24 bytes: which union member is live follows from kind_ and borrowed_.
  Kind kind_ = kUndefined;
  uint8_t flags_ = 0;
  bool borrowed_ = false;
  union {
    Json json_;             // kJson, owned
    const Json* jp_;        // kJson, borrowed
    std::shared_ptr<void> ptr_;  // kArray / kObject / kFunction
  };
};

// Numbers: JavaScript doubles; integral results become ints so they print
// without ".0".
inline Json MakeNumber(double d) {
  if (d == static_cast<double>(static_cast<int64_t>(d)) && d >= -9007199254740992.0 &&
      d <= 9007199254740992.0)
    return Json(static_cast<int64_t>(d));
  return Json(d);
}

// Saturating double -> int64 (NaN -> 0), for indexes and counts.
inline int64_t ToInt64(double d) {
  if (!(d == d)) return 0;
  if (d >= 9.2e18) return INT64_MAX;
  if (d <= -9.2e18) return INT64_MIN;
  return static_cast<int64_t>(d);
}

// Key equality for the lookups below. Keys are short (a few bytes), where a
// byte loop beats a call to memcmp.
inline bool SameKey(const std::string& a, const char* b, size_t n) {
  if (a.size() != n) return false;
  const char* p = a.data();
  if (n > 16) return std::memcmp(p, b, n) == 0;
  for (size_t i = 0; i < n; ++i)
    if (p[i] != b[i]) return false;
  return true;
}

// Json::find for the evaluator's hot paths. `obj` must be a JSON object; the
// first member with the key wins, as in Json::find.
inline const Json::Member* FindMember(const Json& obj, std::string_view key) {
  for (const auto& m : obj.get_object())
    if (SameKey(m.key, key.data(), key.size())) return &m;
  return nullptr;
}
inline const Json* FindField(const Json& obj, std::string_view key) {
  const Json::Member* m = FindMember(obj, key);
  return m ? &m->value : nullptr;
}

// FindField for a walk over many objects of one shape (an array of records):
// `hint` is where the key was found last time, tried before the scan, so a
// field deep in each record costs one comparison instead of a scan through
// the members before it. Objects have no duplicate keys (Json::Parse and
// Json::Set keep one), so a hit at the hint is the field FindField finds.
__attribute__((always_inline)) inline const Json* FindFieldHinted(const Json& obj, std::string_view key,
                                                                   uint32_t& hint) {
  const auto& members = obj.get_object();
  if (hint < members.size()) {
    const auto& m = members[hint];
    if (SameKey(m.key, key.data(), key.size())) return &m.value;
  }
  const Json::Member* m = FindMember(obj, key);
  if (!m) return nullptr;
  hint = static_cast<uint32_t>(m - members.data());
  return &m->value;
}

// Visits every member of an object value (Json or rich) as (key, Value).
template <typename F>
void ForEachMember(const Value& v, F&& f) {
  if (v.kind() == Value::kObject) {
    for (const auto& [k, val] : v.obj().members) f(k, val);
  } else if (v.is_json() && v.json().is_object()) {
    for (const auto& m : v.json().get_object()) f(m.key, v.Child(m.value));
  }
}
// Visits every item of an array value (Json or rich).
template <typename F>
void ForEachItem(const Value& v, F&& f) {
  if (v.kind() == Value::kArray) {
    for (const auto& it : v.items()) f(it);
  } else if (v.is_json() && v.json().is_array()) {
    for (const auto& j : v.json().get_array()) f(v.Child(j));
  }
}

// The member `key` of an object value, undefined when absent.
Value GetMember(const Value& obj, std::string_view key);
size_t MemberCount(const Value& v);

// Converts to plain JSON: functions inside objects are dropped, inside arrays
// become null (as JSON.stringify does). Undefined stays undefined.
bool ToJson(const Value& v, Json* out);
// Same, consuming `v`: JSON it owns alone is moved rather than re-counted.
bool ToJson(Value&& v, Json* out);
// Builds the value of an array constructor / sequence result: a Json array
// when every item is plain JSON, a rich array otherwise.
Value MakeArray(std::vector<Value> items, uint8_t flags = 0);

// Deep equality with numbers compared by value (the reference's isDeepEqual).
bool DeepEqual(const Value& a, const Value& b);

// JavaScript Number.prototype.toString.
void AppendJsNumber(std::string& out, double d);
std::string JsNumber(double d);
// Number(d.toPrecision(p)).
double ToPrecision(double d, int p);
// JSON.stringify as $string does it (numbers via toPrecision(15), functions as "").
void Stringify(const Value& v, bool pretty, std::string& out);
// JSON text with JavaScript number formatting (for CLI output).
void DumpJs(const Json& j, std::string& out);

// UTF-8 helpers: JSONata counts characters as code points.
std::u32string ToU32(std::string_view s);
std::string FromU32(std::u32string_view s);
void AppendUtf8(std::string& out, char32_t c);
size_t CodePointCount(std::string_view s);

}  // namespace stepline::jsonata

#pragma once
// Json: an immutable-by-default JSON value with shared, reference-counted nodes.
//
// Copying a Json is O(1) (a reference count increment); mutation goes through
// copy-on-write helpers that clone only the nodes on the path being changed, so
// a 200 KiB document flows through a chain of states without deep copies
// (DESIGN invariant 6). Reference counts are atomic: a Json may be shared across
// threads, but one Json object must not be mutated concurrently.
//
// Objects keep insertion order (AWS echoes documents in the order it read them).
// Numbers are int64 when the text is an integer that fits, double otherwise.
// Strings of up to 14 bytes live inside the Json itself: most keys' values in
// real documents (ids, names, states, dates' parts) are short, and copying one
// is then a 16-byte copy with no shared node to touch or count.

#include <atomic>
#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace stepline {

namespace json_detail {
// Shared header of every heap node; defined here so that copying a Json
// (a reference count increment) inlines.
struct Node {
  std::atomic<uint32_t> rc{1};
};
struct StringNode : Node {
  explicit StringNode(std::string v) : s(std::move(v)) {}
  std::string s;
};
struct ArrayNode;
struct ObjectNode;
}  // namespace json_detail

class Json {
 public:
  enum class Type : uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  struct Member;
  using Array = std::vector<Json>;
  using Object = std::vector<Member>;

  Json() noexcept { Init(Tag::kNull).i = 0; }
  Json(std::nullptr_t) noexcept : Json() {}                // NOLINT
  Json(bool b) noexcept { Init(Tag::kBool).b = b; }        // NOLINT
  Json(int i) noexcept { Init(Tag::kInt).i = i; }          // NOLINT
  Json(long i) noexcept { Init(Tag::kInt).i = i; }         // NOLINT
  Json(long long i) noexcept { Init(Tag::kInt).i = i; }    // NOLINT
  Json(unsigned i) noexcept { Init(Tag::kInt).i = i; }     // NOLINT
  Json(unsigned long i) noexcept;                          // NOLINT: double if > INT64_MAX
  Json(unsigned long long i) noexcept;                     // NOLINT
  Json(double d) noexcept { Init(Tag::kDouble).d = d; }    // NOLINT
  Json(std::string s);                                          // NOLINT
  Json(std::string_view s);                                     // NOLINT
  Json(const char* s) : Json(std::string_view(s)) {}            // NOLINT
  Json(Array a);                                                // NOLINT
  Json(Object o);                                               // NOLINT
  template <typename T>
  Json(const T*) = delete;  // no accidental pointer-to-bool conversions

  Json(const Json& o) noexcept : rep_(o.rep_) { Ref(); }
  Json(Json&& o) noexcept : rep_(o.rep_) { o.Init(Tag::kNull).i = 0; }
  Json& operator=(const Json& o) noexcept {
    Json tmp(o);
    Swap(tmp);
    return *this;
  }
  Json& operator=(Json&& o) noexcept {
    Json tmp(std::move(o));
    Swap(tmp);
    return *this;
  }
  ~Json() { Unref(); }
  void Swap(Json& o) noexcept { std::swap(rep_, o.rep_); }

  static Json EmptyArray() { return Json(Array{}); }
  static Json EmptyObject() { return Json(Object{}); }

  Type type() const { return tag() == Tag::kShortString ? Type::kString : static_cast<Type>(tag()); }
  bool is_null() const { return tag() == Tag::kNull; }
  bool is_bool() const { return tag() == Tag::kBool; }
  bool is_int() const { return tag() == Tag::kInt; }
  bool is_double() const { return tag() == Tag::kDouble; }
  bool is_number() const { return tag() == Tag::kInt || tag() == Tag::kDouble; }
  bool is_string() const { return tag() == Tag::kString || tag() == Tag::kShortString; }
  bool is_array() const { return tag() == Tag::kArray; }
  bool is_object() const { return tag() == Tag::kObject; }
  // True for an int, or a double with no fractional part within int64 range.
  bool is_integral() const;

  // Accessors; calling one on the wrong type is a programmer error (asserts).
  bool get_bool() const;
  int64_t get_int() const;   // a double is truncated
  double get_double() const; // any number
  // The view is valid while this Json (not a copy of it) is alive and unchanged.
  std::string_view get_string() const {
    assert(is_string());
    if (tag() == Tag::kShortString) return {rep_.s.chars, rep_.s.len};
    return static_cast<const json_detail::StringNode*>(rep_.h.u.n)->s;
  }
  std::string str() const { return std::string(get_string()); }  // a copy of the string
  const Array& get_array() const;
  const Object& get_object() const;

  // Copy-on-write access: clones this node first if it is shared.
  Array& mutable_array();
  Object& mutable_object();

  // Object helpers. find returns nullptr when absent or not an object.
  const Json* find(std::string_view key) const;
  void Set(std::string_view key, Json value);  // replaces in place or appends
  bool Erase(std::string_view key);
  // Array helpers.
  void Push(Json value);
  // Element count of an array or object, 0 otherwise.
  size_t size() const;
  const Json& operator[](size_t i) const { return get_array()[i]; }

  // Deep equality; numbers compare by value (1 == 1.0).
  bool operator==(const Json& o) const;
  bool operator!=(const Json& o) const { return !(*this == o); }

  // Compact JSON text, AWS-style (no spaces; "/" not escaped; non-ASCII kept as UTF-8).
  std::string Dump() const;
  void DumpTo(std::string& out) const;
  std::string DumpPretty(int indent = 2) const;
  // One line with ", " and ": " between items: Python's json.dumps layout,
  // which the AWS Lambda Python runtime's error documents have.
  std::string DumpSpaced() const;

  struct ParseOptions {
    size_t max_depth = 512;
    bool allow_comments = false;
    bool allow_trailing_commas = false;
  };
  // Parses exactly one JSON text (whitespace around it allowed).
  // Errors: Status name "InvalidJson" with a message naming the offset.
  static Result<Json> Parse(std::string_view text, const ParseOptions& opts);
  static Result<Json> Parse(std::string_view text) { return Parse(text, ParseOptions{}); }

  // Type name as JSON speaks of it: "null", "boolean", "number", "string", "array", "object".
  const char* TypeName() const;
  // Pointer identity of the shared node (for tests proving no deep copy); null
  // for scalars and short strings, which are copied by value.
  const void* node_identity() const { return counted() ? rep_.h.u.n : nullptr; }

  static constexpr size_t kShortStringMax = 14;

 private:
  // Type's values, plus one for strings stored inline.
  enum class Tag : uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject, kShortString };
  union U {
    bool b;
    int64_t i;
    double d;
    json_detail::Node* n;
  };
  // Both layouts start with the tag (a common initial sequence, so reading
  // rep_.h.tag is valid whichever is active).
  struct Heap {
    Tag tag;
    U u;
  };
  struct Short {
    Tag tag;
    uint8_t len;
    char chars[kShortStringMax];
  };
  union Rep {
    Heap h;
    Short s;
  };

  Tag tag() const { return rep_.h.tag; }
  U& Init(Tag t) {
    rep_.h.tag = t;
    return rep_.h.u;
  }
  void InitString(std::string_view s);
  // kString, kArray and kObject own a counted node.
  bool counted() const { return static_cast<unsigned>(tag()) - 4u < 3u; }
  void Ref() const noexcept {
    if (counted()) rep_.h.u.n->rc.fetch_add(1, std::memory_order_relaxed);
  }
  void Unref() noexcept {
    if (counted() && rep_.h.u.n->rc.fetch_sub(1, std::memory_order_acq_rel) == 1) Destroy();
  }
  void Destroy() noexcept;  // frees the node once its last reference is gone
  Rep rep_;
};
static_assert(sizeof(Json) == 16);

struct Json::Member {
  std::string key;
  Json value;
};

namespace json_detail {
struct ArrayNode : Node {
  explicit ArrayNode(Json::Array v) : items(std::move(v)) {}
  Json::Array items;
};
struct ObjectNode : Node {
  explicit ObjectNode(Json::Object v) : members(std::move(v)) {}
  Json::Object members;
};
}  // namespace json_detail

// Inline: walkers over large documents call these once per item.
inline const Json::Array& Json::get_array() const {
  assert(tag() == Tag::kArray);
  return static_cast<const json_detail::ArrayNode*>(rep_.h.u.n)->items;
}
inline const Json::Object& Json::get_object() const {
  assert(tag() == Tag::kObject);
  return static_cast<const json_detail::ObjectNode*>(rep_.h.u.n)->members;
}

// Appends a JSON string literal for s (with quotes) to out.
void AppendJsonString(std::string& out, std::string_view s);
// Formats a double the way Stepline prints numbers (shortest round-trip; integral
// values keep a ".0" like Java's Jackson does for doubles).
void AppendJsonDouble(std::string& out, double d);

}  // namespace stepline

#include "expr/condition/condition.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "expr/jsonpath/path.h"

namespace stepline::expr {

namespace {

constexpr int kMaxRuleDepth = 64;  // And/Or/Not nesting; the validator uses the same bound

enum class Op {
  kStringEquals, kStringLessThan, kStringGreaterThan, kStringLessThanEquals, kStringGreaterThanEquals,
  kStringMatches,
  kNumericEquals, kNumericLessThan, kNumericGreaterThan, kNumericLessThanEquals, kNumericGreaterThanEquals,
  kBooleanEquals,
  kTimestampEquals, kTimestampLessThan, kTimestampGreaterThan, kTimestampLessThanEquals,
  kTimestampGreaterThanEquals,
  kIsNull, kIsPresent, kIsNumeric, kIsString, kIsBoolean, kIsTimestamp,
};

enum class Family { kString, kMatches, kNumeric, kBoolean, kTimestamp, kType };

struct OpInfo {
  std::string_view name;
  Op op;
  Family family;
  bool has_path_twin;
};

constexpr OpInfo kOps[] = {
    {"StringEquals", Op::kStringEquals, Family::kString, true},
    {"StringLessThan", Op::kStringLessThan, Family::kString, true},
    {"StringGreaterThan", Op::kStringGreaterThan, Family::kString, true},
    {"StringLessThanEquals", Op::kStringLessThanEquals, Family::kString, true},
    {"StringGreaterThanEquals", Op::kStringGreaterThanEquals, Family::kString, true},
    {"StringMatches", Op::kStringMatches, Family::kMatches, false},
    {"NumericEquals", Op::kNumericEquals, Family::kNumeric, true},
    {"NumericLessThan", Op::kNumericLessThan, Family::kNumeric, true},
    {"NumericGreaterThan", Op::kNumericGreaterThan, Family::kNumeric, true},
    {"NumericLessThanEquals", Op::kNumericLessThanEquals, Family::kNumeric, true},
    {"NumericGreaterThanEquals", Op::kNumericGreaterThanEquals, Family::kNumeric, true},
    {"BooleanEquals", Op::kBooleanEquals, Family::kBoolean, true},
    {"TimestampEquals", Op::kTimestampEquals, Family::kTimestamp, true},
    {"TimestampLessThan", Op::kTimestampLessThan, Family::kTimestamp, true},
    {"TimestampGreaterThan", Op::kTimestampGreaterThan, Family::kTimestamp, true},
    {"TimestampLessThanEquals", Op::kTimestampLessThanEquals, Family::kTimestamp, true},
    {"TimestampGreaterThanEquals", Op::kTimestampGreaterThanEquals, Family::kTimestamp, true},
    {"IsNull", Op::kIsNull, Family::kType, false},
    {"IsPresent", Op::kIsPresent, Family::kType, false},
    {"IsNumeric", Op::kIsNumeric, Family::kType, false},
    {"IsString", Op::kIsString, Family::kType, false},
    {"IsBoolean", Op::kIsBoolean, Family::kType, false},
    {"IsTimestamp", Op::kIsTimestamp, Family::kType, false},
};

// Finds "StringEquals" or its twin "StringEqualsPath" (sets *is_path).
const OpInfo* FindOp(std::string_view key, bool* is_path) {
  *is_path = false;
  std::string_view base = key;
  if (base.size() > 4 && base.substr(base.size() - 4) == "Path") {
    for (const OpInfo& o : kOps) {
      if (o.has_path_twin && o.name == base.substr(0, base.size() - 4)) {
        *is_path = true;
        return &o;
      }
    }
  }
  for (const OpInfo& o : kOps) {
    if (o.name == key) return &o;
  }
  return nullptr;
}

Status Invalid(std::string message) { return Status::Error("InvalidCondition", std::move(message)); }

// Java's String.compareTo orders by UTF-16 code units; AWS compares strings
// that way. Decodes UTF-8 lazily and compares unit by unit.
class Utf16Cursor {
 public:
  explicit Utf16Cursor(std::string_view s) : s_(s) {}
  // Next UTF-16 code unit, or -1 at the end.
  int Next() {
    if (pending_ >= 0) {
      int u = pending_;
      pending_ = -1;
      return u;
    }
    if (i_ >= s_.size()) return -1;
    uint32_t cp = Decode();
    if (cp >= 0x10000) {
      cp -= 0x10000;
      pending_ = static_cast<int>(0xDC00 + (cp & 0x3FF));
      return static_cast<int>(0xD800 + (cp >> 10));
    }
    return static_cast<int>(cp);
  }

 private:
  uint32_t Decode() {
    unsigned char c = static_cast<unsigned char>(s_[i_++]);
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    uint32_t cp = extra == 3 ? (c & 0x07) : extra == 2 ? (c & 0x0F) : extra == 1 ? (c & 0x1F) : c;
    for (int k = 0; k < extra && i_ < s_.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s_[i_++]) & 0x3F);
    }
    return cp;
  }
  std::string_view s_;
  size_t i_ = 0;
  int pending_ = -1;
};

int CompareUtf16(std::string_view a, std::string_view b) {
  Utf16Cursor x(a), y(b);
  while (true) {
    int u = x.Next();
    int v = y.Next();
    if (u != v) return u < v ? -1 : 1;  // -1 (end) sorts first: a prefix is smaller
    if (u < 0) return 0;
  }
}

// StringMatches: '*' matches any run of characters; "\*" is a literal '*' and
// "\\" a literal backslash. Iterative with backtracking to the last star.
bool WildcardMatch(std::string_view text, std::string_view pattern) {
  struct Tok {
    bool star;
    char c;
  };
  std::vector<Tok> toks;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() && (pattern[i + 1] == '*' || pattern[i + 1] == '\\')) {
      toks.push_back({false, pattern[++i]});
    } else if (c == '*') {
      if (toks.empty() || !toks.back().star) toks.push_back({true, 0});
    } else {
      toks.push_back({false, c});
    }
  }
  size_t t = 0, p = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < toks.size() && !toks[p].star && toks[p].c == text[t]) {
      ++t;
      ++p;
    } else if (p < toks.size() && toks[p].star) {
      star_p = p++;
      star_t = t;
    } else if (star_p != std::string_view::npos) {
      p = star_p + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < toks.size() && toks[p].star) ++p;
  return p == toks.size();
}

// Numeric comparison: ints exactly, otherwise as doubles (1 == 1.0).
int CompareNumbers(const Json& a, const Json& b) {
  if (a.is_int() && b.is_int()) {
    int64_t x = a.get_int(), y = b.get_int();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  long double x = a.is_int() ? static_cast<long double>(a.get_int()) : a.get_double();
  long double y = b.is_int() ? static_cast<long double>(b.get_int()) : b.get_double();
  return x < y ? -1 : x > y ? 1 : 0;
}

bool Ordered(Op op, int cmp) {
  switch (op) {
    case Op::kStringEquals: case Op::kNumericEquals: case Op::kTimestampEquals:
      return cmp == 0;
    case Op::kStringLessThan: case Op::kNumericLessThan: case Op::kTimestampLessThan:
      return cmp < 0;
    case Op::kStringGreaterThan: case Op::kNumericGreaterThan: case Op::kTimestampGreaterThan:
      return cmp > 0;
    case Op::kStringLessThanEquals: case Op::kNumericLessThanEquals: case Op::kTimestampLessThanEquals:
      return cmp <= 0;
    case Op::kStringGreaterThanEquals: case Op::kNumericGreaterThanEquals:
    case Op::kTimestampGreaterThanEquals:
      return cmp >= 0;
    default:
      return false;
  }
}

Status MissingPath(const std::string& path) {
  // AWS's words (the runtime prefixes "An error occurred while executing the state ...").
  return Status::Error("States.Runtime", "Invalid path '" + path +
                                             "': The choice state's condition path references an invalid value.");
}

}  // namespace

struct Condition::Impl {
  enum class Kind { kAnd, kOr, kNot, kCompare } kind = Kind::kCompare;
  std::vector<std::shared_ptr<const Impl>> children;
  // kCompare:
  std::optional<Path> variable;
  const OpInfo* op = nullptr;
  Json literal;                     // operand when not a path
  std::optional<Path> operand_path;  // operand of a ...Path twin

  static Result<std::shared_ptr<const Impl>> Compile(const Json& rule, bool top, int depth);
  Result<bool> Eval(const Scope& scope) const;
  bool Compare(const Json& value, const Json& operand) const;
};

Result<std::shared_ptr<const Condition::Impl>> Condition::Impl::Compile(const Json& rule, bool top, int depth) {
  if (depth > kMaxRuleDepth) return Invalid("Choice rule is nested too deeply");
  if (!rule.is_object()) return Invalid("A choice rule must be an object");
  auto impl = std::make_shared<Impl>();
  int operators = 0;
  const Json* variable = nullptr;
  for (const auto& m : rule.get_object()) {
    const std::string& k = m.key;
    if (k == "Comment") continue;
    if (top && (k == "Next" || k == "Assign")) continue;
    if (k == "Variable") {
      variable = &m.value;
      continue;
    }
    ++operators;
    if (k == "And" || k == "Or") {
      impl->kind = k == "And" ? Kind::kAnd : Kind::kOr;
      if (!m.value.is_array() || m.value.size() == 0) {
        return Invalid("'" + k + "' must be a non-empty array of choice rules");
      }
      for (const Json& child : m.value.get_array()) {
        SL_ASSIGN_OR_RETURN(auto c, Compile(child, false, depth + 1));
        impl->children.push_back(std::move(c));
      }
      continue;
    }
    if (k == "Not") {
      impl->kind = Kind::kNot;
      SL_ASSIGN_OR_RETURN(auto c, Compile(m.value, false, depth + 1));
      impl->children.push_back(std::move(c));
      continue;
    }
    bool is_path = false;
    const OpInfo* op = FindOp(k, &is_path);
    if (op == nullptr) return Invalid("Unknown field '" + k + "' in a choice rule");
    impl->kind = Kind::kCompare;
    impl->op = op;
    if (is_path) {
      if (!m.value.is_string()) return Invalid("Operator '" + k + "' requires a path string");
      SL_ASSIGN_OR_RETURN(Path p, Path::Compile(m.value.get_string()));
      impl->operand_path = std::move(p);
      continue;
    }
    const Json& v = m.value;
    bool ok = false;
    switch (op->family) {
      case Family::kString: case Family::kMatches: ok = v.is_string(); break;
      case Family::kNumeric: ok = v.is_number(); break;
      case Family::kBoolean: case Family::kType: ok = v.is_bool(); break;
      case Family::kTimestamp: ok = v.is_string() && ParseIsoTimestamp(v.get_string()).has_value(); break;
    }
    if (!ok) return Invalid("Invalid operand for '" + k + "'");
    impl->literal = v;
  }
  if (operators != 1) {
    return Invalid("A choice rule must have exactly one comparison operator, or one of And, Or, Not");
  }
  if (impl->kind == Kind::kCompare) {
    if (variable == nullptr) return Invalid("A comparison needs a 'Variable'");
    if (!variable->is_string()) return Invalid("'Variable' must be a path string");
    SL_ASSIGN_OR_RETURN(Path p, Path::Compile(variable->get_string()));
    impl->variable = std::move(p);
  } else if (variable != nullptr) {
    return Invalid("'Variable' is not allowed with And, Or, Not");
  }
  return std::shared_ptr<const Impl>(std::move(impl));
}

bool Condition::Impl::Compare(const Json& value, const Json& operand) const {
  switch (op->family) {
    case Family::kString:
      if (!value.is_string() || !operand.is_string()) return false;
      return Ordered(op->op, CompareUtf16(value.get_string(), operand.get_string()));
    case Family::kMatches:
      return value.is_string() && operand.is_string() && WildcardMatch(value.get_string(), operand.get_string());
    case Family::kNumeric:
      if (!value.is_number() || !operand.is_number()) return false;
      return Ordered(op->op, CompareNumbers(value, operand));
    case Family::kBoolean:
      return value.is_bool() && operand.is_bool() && value.get_bool() == operand.get_bool();
    case Family::kTimestamp: {
      if (!value.is_string() || !operand.is_string()) return false;
      auto a = ParseIsoTimestamp(value.get_string());
      auto b = ParseIsoTimestamp(operand.get_string());
      if (!a || !b) return false;
      return Ordered(op->op, *a < *b ? -1 : *a > *b ? 1 : 0);
    }
    case Family::kType: {
      bool want = operand.get_bool();
      switch (op->op) {
        case Op::kIsNull: return value.is_null() == want;
        case Op::kIsNumeric: return value.is_number() == want;
        case Op::kIsString: return value.is_string() == want;
        case Op::kIsBoolean: return value.is_bool() == want;
        case Op::kIsTimestamp:
          return (value.is_string() && ParseIsoTimestamp(value.get_string()).has_value()) == want;
        default: return false;
      }
    }
  }
  return false;
}

Result<bool> Condition::Impl::Eval(const Scope& scope) const {
  switch (kind) {
    case Kind::kAnd:
      for (const auto& c : children) {
        SL_ASSIGN_OR_RETURN(bool v, c->Eval(scope));
        if (!v) return false;
      }
      return true;
    case Kind::kOr:
      for (const auto& c : children) {
        SL_ASSIGN_OR_RETURN(bool v, c->Eval(scope));
        if (v) return true;
      }
      return false;
    case Kind::kNot: {
      SL_ASSIGN_OR_RETURN(bool v, children[0]->Eval(scope));
      return !v;
    }
    case Kind::kCompare:
      break;
  }
  auto value = variable->Eval(scope);
  if (op->op == Op::kIsPresent) return value.ok() == literal.get_bool();
  // Every other operator needs the value: AWS fails the state (States.Runtime)
  // rather than comparing false.
  if (!value.ok()) return MissingPath(variable->text());
  if (operand_path) {
    auto operand = operand_path->Eval(scope);
    if (!operand.ok()) return MissingPath(operand_path->text());
    return Compare(*value, *operand);
  }
  return Compare(*value, literal);
}

Result<Condition> Condition::Compile(const Json& rule) {
  SL_ASSIGN_OR_RETURN(auto impl, Impl::Compile(rule, true, 0));
  return Condition(std::move(impl));
}

Result<bool> Condition::Eval(const Scope& scope) const { return impl_->Eval(scope); }

Condition::Condition(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Condition::Condition(Condition&&) noexcept = default;
Condition& Condition::operator=(Condition&&) noexcept = default;
Condition::Condition(const Condition&) = default;
Condition& Condition::operator=(const Condition&) = default;
Condition::~Condition() = default;

}  // namespace stepline::expr

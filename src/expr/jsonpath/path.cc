#include "expr/jsonpath/path.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

namespace stepline::expr {

namespace {

struct FilterExpr;

// One compiled JSONPath token, the same tokens Jayway builds.
struct Step {
  enum class Kind : uint8_t {
    kProperty,   // ['a'] or .a; several names: a union (merge when last, as Jayway)
    kIndex,      // [0], [-1], [0,2]
    kSlice,      // [1:3], [:2], [-2:]
    kWildcard,   // [*] or .*
    kScan,       // ..
    kFilter,     // [?(...)]
    kLength,     // .length()
  };
  Kind kind;
  std::vector<std::string> names;
  std::vector<int64_t> indexes;
  std::optional<int64_t> from, to;
  std::shared_ptr<const FilterExpr> filter;
  std::string filter_text;
  bool definite = true;           // this token alone selects at most one value
  bool upstream_definite = true;  // every token before it is definite
};

// Filter expression tree ([?(...)]).
struct Operand {
  enum class Kind : uint8_t { kLiteral, kPath };
  Kind kind = Kind::kLiteral;
  Json literal;
  bool root_doc = false;  // "$..." inside a filter rather than "@..."
  std::vector<Step> steps;
  bool definite = true;
};

struct FilterExpr {
  enum class Kind : uint8_t { kOr, kAnd, kNot, kCompare, kExists };
  enum class Op : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
  Kind kind;
  Op op = Op::kEq;
  std::unique_ptr<FilterExpr> a, b;
  Operand l, r;
};

// Appends Jayway's normalized text for one token.
void AppendToken(std::string& out, const Step& s) {
  switch (s.kind) {
    case Step::Kind::kProperty:
      out += '[';
      for (size_t i = 0; i < s.names.size(); ++i) {
        if (i) out += ',';
        out += '\'';
        out += s.names[i];
        out += '\'';
      }
      out += ']';
      break;
    case Step::Kind::kIndex:
      out += '[';
      for (size_t i = 0; i < s.indexes.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(s.indexes[i]);
      }
      out += ']';
      break;
    case Step::Kind::kSlice:
      out += '[';
      if (s.from) out += std::to_string(*s.from);
      out += ':';
      if (s.to) out += std::to_string(*s.to);
      out += ']';
      break;
    case Step::Kind::kWildcard: out += "[*]"; break;
    case Step::Kind::kScan: out += ".."; break;
    case Step::Kind::kFilter: out += "[?(" + s.filter_text + ")]"; break;
    case Step::Kind::kLength: out += ".length()"; break;
  }
}

// ---------------------------------------------------------------- parsing

class Parser {
 public:
  Parser(std::string_view text, bool in_filter) : t_(text), in_filter_(in_filter) {}

  size_t pos() const { return p_; }
  Status error() const { return err_; }

  // Parses tokens until the end (or, inside a filter, until a character that
  // cannot continue a path).
  bool ParseSteps(std::vector<Step>& steps) {
    while (p_ < t_.size()) {
      char c = t_[p_];
      if (c == '.') {
        if (p_ + 1 < t_.size() && t_[p_ + 1] == '.') {
          p_ += 2;
          Step s;
          s.kind = Step::Kind::kScan;
          s.definite = false;
          steps.push_back(std::move(s));
          if (p_ >= t_.size()) return Fail("Path must not end with a '.' or '..'");
          if (t_[p_] == '[') continue;  // $..['a'] / $..[0]
          if (!ParseDotMember(steps)) return false;
          continue;
        }
        ++p_;
        if (p_ >= t_.size()) return Fail("Path must not end with a '.' or '..'");
        if (!ParseDotMember(steps)) return false;
      } else if (c == '[') {
        if (!ParseBracket(steps)) return false;
      } else if (in_filter_) {
        return true;
      } else {
        return Fail(std::string("Unexpected character '") + c + "' at position " + std::to_string(p_));
      }
    }
    return true;
  }

  bool Fail(std::string msg) {
    if (err_.ok()) err_ = Status::Error("InvalidPath", std::move(msg));
    return false;
  }

 private:
  static bool EndsDotName(char c, bool in_filter) {
    if (c == '.' || c == '[' || c == ' ' || c == '(') return true;
    if (in_filter) {
      return c == ')' || c == '=' || c == '!' || c == '<' || c == '>' || c == '&' || c == '|' ||
             c == ']' || c == ',' || c == '\t';
    }
    return false;
  }

  bool ParseDotMember(std::vector<Step>& steps) {
    if (t_[p_] == '*') {
      ++p_;
      Step s;
      s.kind = Step::Kind::kWildcard;
      s.definite = false;
      steps.push_back(std::move(s));
      return true;
    }
    size_t start = p_;
    while (p_ < t_.size() && !EndsDotName(t_[p_], in_filter_)) ++p_;
    if (p_ == start) return Fail("Empty property name at position " + std::to_string(start));
    std::string name(t_.substr(start, p_ - start));
    if (p_ < t_.size() && t_[p_] == '(') {
      if (name != "length" || p_ + 1 >= t_.size() || t_[p_ + 1] != ')') {
        return Fail("Function of name: " + name + " cannot be created");
      }
      p_ += 2;
      Step s;
      s.kind = Step::Kind::kLength;
      steps.push_back(std::move(s));
      return true;
    }
    Step s;
    s.kind = Step::Kind::kProperty;
    s.names.push_back(std::move(name));
    steps.push_back(std::move(s));
    return true;
  }

  void SkipSpaces() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t')) ++p_;
  }

  bool ParseBracket(std::vector<Step>& steps) {
    size_t open = p_;
    ++p_;  // '['
    SkipSpaces();
    if (p_ >= t_.size()) return Fail("Unclosed '[' at position " + std::to_string(open));
    char c = t_[p_];
    if (c == '*') {
      ++p_;
      SkipSpaces();
      if (p_ >= t_.size() || t_[p_] != ']') return Fail("Expected ']' after '[*' at position " + std::to_string(p_));
      ++p_;
      Step s;
      s.kind = Step::Kind::kWildcard;
      s.definite = false;
      steps.push_back(std::move(s));
      return true;
    }
    if (c == '?') return ParseFilter(steps, open);
    if (c == '\'' || c == '"') return ParseQuotedNames(steps);
    return ParseIndexes(steps, open);
  }

  bool ParseQuotedNames(std::vector<Step>& steps) {
    Step s;
    s.kind = Step::Kind::kProperty;
    while (true) {
      SkipSpaces();
      if (p_ >= t_.size()) return Fail("Unclosed property name");
      char q = t_[p_];
      if (q != '\'' && q != '"') return Fail("Expected a quoted property name at position " + std::to_string(p_));
      size_t start = ++p_;
      bool esc = false;
      while (p_ < t_.size()) {
        char ch = t_[p_];
        if (esc) {
          esc = false;
        } else if (ch == '\\') {
          esc = true;
        } else if (ch == q) {
          break;
        }
        ++p_;
      }
      if (p_ >= t_.size()) return Fail("Property has no closing quote");
      // AWS departs from current Jayway: a backslash escape only protects the
      // quote while scanning; the name keeps the backslash verbatim (the
      // conformance case ESCAPE_SEQUENCES_JSONPATH reads key `Test\""Name"`).
      s.names.emplace_back(t_.substr(start, p_ - start));
      ++p_;
      SkipSpaces();
      if (p_ >= t_.size()) return Fail("Unclosed '['");
      if (t_[p_] == ',') {
        ++p_;
        continue;
      }
      if (t_[p_] == ']') {
        ++p_;
        break;
      }
      return Fail("Property must be separated by comma or Property must be terminated close square bracket at index " +
                  std::to_string(p_));
    }
    steps.push_back(std::move(s));
    return true;
  }

  bool ParseInt(int64_t& v) {
    SkipSpaces();
    size_t start = p_;
    if (p_ < t_.size() && t_[p_] == '-') ++p_;
    size_t digits = p_;
    while (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9') ++p_;
    if (p_ == digits || p_ - digits > 10) {
      p_ = start;
      return false;
    }
    v = std::strtoll(std::string(t_.substr(start, p_ - start)).c_str(), nullptr, 10);
    if (v > INT32_MAX || v < INT32_MIN) return Fail("Index out of range");
    SkipSpaces();
    return true;
  }

  bool ParseIndexes(std::vector<Step>& steps, size_t open) {
    size_t close = t_.find(']', p_);
    if (close == std::string_view::npos) return Fail("Unclosed '[' at position " + std::to_string(open));
    std::string_view body = t_.substr(p_, close - p_);
    Step s;
    if (body.find(':') != std::string_view::npos) {
      s.kind = Step::Kind::kSlice;
      s.definite = false;
      int64_t v;
      if (ParseInt(v)) s.from = v;
      if (!err_.ok()) return false;
      if (p_ >= t_.size() || t_[p_] != ':') return Fail("Failed to parse SliceOperation: " + std::string(body));
      ++p_;
      if (ParseInt(v)) s.to = v;
      if (!err_.ok()) return false;
      if (p_ != close) return Fail("Failed to parse SliceOperation: " + std::string(body));
    } else {
      s.kind = Step::Kind::kIndex;
      while (true) {
        int64_t v;
        if (!ParseInt(v)) {
          if (!err_.ok()) return false;
          return Fail("Failed to parse array index: " + std::string(body));
        }
        s.indexes.push_back(v);
        if (p_ == close) break;
        if (t_[p_] != ',') return Fail("Failed to parse array index: " + std::string(body));
        ++p_;
      }
      s.definite = s.indexes.size() == 1;
    }
    p_ = close + 1;
    steps.push_back(std::move(s));
    return true;
  }

  bool ParseFilter(std::vector<Step>& steps, size_t open);

  std::string_view t_;
  size_t p_ = 0;
  bool in_filter_;
  Status err_;

  friend class FilterParser;

 public:
  void set_pos(size_t p) { p_ = p; }
};

// Parses the text between "[?(" and ")]".
class FilterParser {
 public:
  explicit FilterParser(std::string_view t) : t_(t) {}

  Result<std::unique_ptr<FilterExpr>> Parse() {
    auto e = ParseOr();
    if (!e) return err_;
    Skip();
    if (p_ != t_.size()) return Error("Unexpected text in filter at position " + std::to_string(p_));
    return e;
  }

 private:
  Status Error(std::string m) {
    if (err_.ok()) err_ = Status::Error("InvalidPath", std::move(m));
    return err_;
  }
  void Skip() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\n')) ++p_;
  }
  bool Eat(std::string_view s) {
    Skip();
    if (t_.substr(p_, s.size()) == s) {
      p_ += s.size();
      return true;
    }
    return false;
  }

  std::unique_ptr<FilterExpr> ParseOr() {
    auto l = ParseAnd();
    while (l && Eat("||")) {
      auto r = ParseAnd();
      if (!r) return nullptr;
      auto e = std::make_unique<FilterExpr>();
      e->kind = FilterExpr::Kind::kOr;
      e->a = std::move(l);
      e->b = std::move(r);
      l = std::move(e);
    }
    return l;
  }
  std::unique_ptr<FilterExpr> ParseAnd() {
    auto l = ParseUnary();
    while (l && Eat("&&")) {
      auto r = ParseUnary();
      if (!r) return nullptr;
      auto e = std::make_unique<FilterExpr>();
      e->kind = FilterExpr::Kind::kAnd;
      e->a = std::move(l);
      e->b = std::move(r);
      l = std::move(e);
    }
    return l;
  }
  std::unique_ptr<FilterExpr> ParseUnary() {
    Skip();
    if (p_ < t_.size() && t_[p_] == '!' && (p_ + 1 >= t_.size() || t_[p_ + 1] != '=')) {
      ++p_;
      auto inner = ParseUnary();
      if (!inner) return nullptr;
      auto e = std::make_unique<FilterExpr>();
      e->kind = FilterExpr::Kind::kNot;
      e->a = std::move(inner);
      return e;
    }
    if (p_ < t_.size() && t_[p_] == '(') {
      ++p_;
      auto inner = ParseOr();
      if (!inner) return nullptr;
      if (!Eat(")")) {
        Error("Expected ')' in filter at position " + std::to_string(p_));
        return nullptr;
      }
      return inner;
    }
    auto e = std::make_unique<FilterExpr>();
    if (!ParseOperand(e->l)) return nullptr;
    Skip();
    static const std::pair<std::string_view, FilterExpr::Op> kOps[] = {
        {"==", FilterExpr::Op::kEq}, {"!=", FilterExpr::Op::kNe}, {"<=", FilterExpr::Op::kLe},
        {">=", FilterExpr::Op::kGe}, {"<", FilterExpr::Op::kLt},  {">", FilterExpr::Op::kGt}};
    for (const auto& [text, op] : kOps) {
      if (t_.substr(p_, text.size()) == text) {
        p_ += text.size();
        e->kind = FilterExpr::Kind::kCompare;
        e->op = op;
        if (!ParseOperand(e->r)) return nullptr;
        return e;
      }
    }
    e->kind = FilterExpr::Kind::kExists;
    return e;
  }

  bool ParseOperand(Operand& o) {
    Skip();
    if (p_ >= t_.size()) {
      Error("Unexpected end of filter");
      return false;
    }
    char c = t_[p_];
    if (c == '@' || c == '$') {
      o.kind = Operand::Kind::kPath;
      o.root_doc = c == '$';
      Parser sub(t_, /*in_filter=*/true);
      sub.set_pos(p_ + 1);
      if (!sub.ParseSteps(o.steps)) {
        Error(sub.error().message());
        return false;
      }
      p_ = sub.pos();
      for (const auto& s : o.steps) o.definite = o.definite && s.definite;
      return true;
    }
    o.kind = Operand::Kind::kLiteral;
    if (c == '\'' || c == '"') {
      std::string s;
      ++p_;
      while (p_ < t_.size() && t_[p_] != c) {
        if (t_[p_] == '\\' && p_ + 1 < t_.size()) ++p_;
        s += t_[p_++];
      }
      if (p_ >= t_.size()) {
        Error("Unterminated string in filter");
        return false;
      }
      ++p_;
      o.literal = Json(std::move(s));
      return true;
    }
    for (std::string_view kw : {"true", "false", "null"}) {
      if (t_.substr(p_, kw.size()) == kw) {
        p_ += kw.size();
        o.literal = kw == "null" ? Json() : Json(kw == "true");
        return true;
      }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t start = p_;
      ++p_;
      while (p_ < t_.size() && (std::isdigit(static_cast<unsigned char>(t_[p_])) || t_[p_] == '.' ||
                                t_[p_] == 'e' || t_[p_] == 'E' || t_[p_] == '+' || t_[p_] == '-')) {
        ++p_;
      }
      auto r = Json::Parse(t_.substr(start, p_ - start));
      if (!r.ok()) {
        Error("Invalid number in filter: " + std::string(t_.substr(start, p_ - start)));
        return false;
      }
      o.literal = *r;
      return true;
    }
    Error(std::string("Unexpected character '") + c + "' in filter at position " + std::to_string(p_));
    return false;
  }

  std::string_view t_;
  size_t p_ = 0;
  Status err_;
};

bool Parser::ParseFilter(std::vector<Step>& steps, size_t open) {
  // p_ at '?'; expect '(' then find the matching ')' followed by ']'.
  ++p_;
  SkipSpaces();
  if (p_ >= t_.size() || t_[p_] != '(') return Fail("Expected '(' after '[?' at position " + std::to_string(p_));
  size_t body_start = p_ + 1;
  int depth = 0;
  char quote = 0;
  size_t i = p_;
  for (; i < t_.size(); ++i) {
    char ch = t_[i];
    if (quote) {
      if (ch == '\\') {
        ++i;
      } else if (ch == quote) {
        quote = 0;
      }
      continue;
    }
    if (ch == '\'' || ch == '"') {
      quote = ch;
    } else if (ch == '(') {
      ++depth;
    } else if (ch == ')') {
      if (--depth == 0) break;
    }
  }
  if (i >= t_.size()) return Fail("Unclosed filter at position " + std::to_string(open));
  size_t body_end = i;
  ++i;
  while (i < t_.size() && t_[i] == ' ') ++i;
  if (i >= t_.size() || t_[i] != ']') return Fail("Expected ']' after filter at position " + std::to_string(i));
  std::string_view body = t_.substr(body_start, body_end - body_start);
  auto f = FilterParser(body).Parse();
  if (!f.ok()) return Fail(f.status().message());
  Step s;
  s.kind = Step::Kind::kFilter;
  s.definite = false;
  s.filter = std::shared_ptr<const FilterExpr>(std::move(f).value().release());
  s.filter_text = std::string(body);
  steps.push_back(std::move(s));
  p_ = i + 1;
  return true;
}

void FinishSteps(std::vector<Step>& steps) {
  bool up = true;
  for (size_t i = 0; i < steps.size(); ++i) {
    Step& s = steps[i];
    if (s.kind == Step::Kind::kProperty) {
      // Jayway: a union of properties as the last token merges into one object
      // (definite); anywhere else it iterates (indefinite).
      s.definite = s.names.size() == 1 || i + 1 == steps.size();
    }
    s.upstream_definite = up;
    up = up && s.definite;
  }
}

// ------------------------------------------------------------- evaluation

// Jayway (JacksonJsonProvider) names the Java class of a non-object it met.
const char* JavaClassName(const Json& v) {
  switch (v.type()) {
    case Json::Type::kNull: return "null";
    case Json::Type::kBool: return "java.lang.Boolean";
    case Json::Type::kInt:
      return v.get_int() >= INT32_MIN && v.get_int() <= INT32_MAX ? "java.lang.Integer" : "java.lang.Long";
    case Json::Type::kDouble: return "java.lang.Double";
    case Json::Type::kString: return "java.lang.String";
    case Json::Type::kArray: return "java.util.ArrayList";
    case Json::Type::kObject: return "java.util.LinkedHashMap";
  }
  return "null";
}

struct EvalCtx {
  const Json* root;
  std::vector<Json>* out;
  bool aborted = false;  // a Jayway exception in the definite prefix
};

bool FilterAccept(const FilterExpr& f, const Json& item, const Json& root);

void EvalFrom(const std::vector<Step>& steps, size_t i, const Json& model, EvalCtx& ctx);

// handleArrayIndex: negative indexes count from the end; out of range is skipped.
void ArrayIndex(const std::vector<Step>& steps, size_t i, int64_t index, const Json& model, EvalCtx& ctx) {
  int64_t n = static_cast<int64_t>(model.size());
  int64_t eff = index < 0 ? n + index : index;
  if (eff < 0 || eff >= n) return;
  EvalFrom(steps, i + 1, model[static_cast<size_t>(eff)], ctx);
}

bool IsLeaf(const std::vector<Step>& steps, size_t i) { return i + 1 == steps.size(); }

void Walk(const std::vector<Step>& steps, size_t pt, const Json& model, EvalCtx& ctx);

bool ScanMatches(const Step& pt, const Json& model, const Json& root) {
  switch (pt.kind) {
    case Step::Kind::kProperty:
      if (!model.is_object()) return false;
      if (!pt.definite) return true;
      for (const auto& n : pt.names) {
        if (!model.find(n)) return false;
      }
      return true;
    case Step::Kind::kIndex:
    case Step::Kind::kSlice: return model.is_array();
    case Step::Kind::kWildcard: return true;
    case Step::Kind::kFilter: return FilterAccept(*pt.filter, model, root);
    default: return false;
  }
}

// Jayway's ScanPathToken.walk, including its quirk of applying the token after
// a matched array's next token to each element directly.
void Walk(const std::vector<Step>& steps, size_t pt, const Json& model, EvalCtx& ctx) {
  if (ctx.aborted) return;
  if (model.is_object()) {
    if (ScanMatches(steps[pt], model, *ctx.root)) EvalFrom(steps, pt, model, ctx);
    for (const auto& m : model.get_object()) Walk(steps, pt, m.value, ctx);
  } else if (model.is_array()) {
    if (ScanMatches(steps[pt], model, *ctx.root)) {
      if (IsLeaf(steps, pt)) {
        EvalFrom(steps, pt, model, ctx);
      } else {
        for (const auto& e : model.get_array()) EvalFrom(steps, pt + 1, e, ctx);
      }
    }
    for (const auto& e : model.get_array()) Walk(steps, pt, e, ctx);
  }
}

// Evaluates tokens [i, end) on `model`, collecting matches. Exceptions Jayway
// would throw in a definite prefix set ctx.aborted (the caller reports []).
void EvalFrom(const std::vector<Step>& steps, size_t i, const Json& model, EvalCtx& ctx) {
  if (ctx.aborted) return;
  if (i == steps.size()) {
    ctx.out->push_back(model);
    return;
  }
  const Step& s = steps[i];
  switch (s.kind) {
    case Step::Kind::kProperty: {
      if (!model.is_object()) {
        if (s.upstream_definite) ctx.aborted = true;
        return;
      }
      if (s.names.size() > 1 && IsLeaf(steps, i)) {
        Json merged = Json::EmptyObject();
        for (const auto& n : s.names) {
          if (const Json* v = model.find(n)) merged.Set(n, *v);
        }
        ctx.out->push_back(std::move(merged));
        return;
      }
      for (const auto& n : s.names) {
        const Json* v = model.find(n);
        if (!v) {
          if (!IsLeaf(steps, i) && s.upstream_definite && s.definite) {
            ctx.aborted = true;
            return;
          }
          continue;
        }
        EvalFrom(steps, i + 1, *v, ctx);
      }
      return;
    }
    case Step::Kind::kIndex:
    case Step::Kind::kSlice: {
      if (!model.is_array()) {
        if (s.upstream_definite) ctx.aborted = true;
        return;
      }
      if (s.kind == Step::Kind::kIndex) {
        for (int64_t idx : s.indexes) ArrayIndex(steps, i, idx, model, ctx);
        return;
      }
      int64_t n = static_cast<int64_t>(model.size());
      if (s.from && !s.to) {
        int64_t from = *s.from;
        if (from < 0) from = std::max<int64_t>(0, n + from);
        if (n == 0 || from >= n) return;
        for (int64_t k = from; k < n; ++k) ArrayIndex(steps, i, k, model, ctx);
      } else if (!s.from && s.to) {
        if (n == 0) return;
        int64_t to = *s.to;
        if (to < 0) to = n + to;
        to = std::min(n, to);
        for (int64_t k = 0; k < to; ++k) ArrayIndex(steps, i, k, model, ctx);
      } else {
        int64_t from = s.from.value_or(0);
        int64_t to = std::min(n, s.to.value_or(n));
        if (from >= to || n == 0) return;
        for (int64_t k = from; k < to; ++k) ArrayIndex(steps, i, k, model, ctx);
      }
      return;
    }
    case Step::Kind::kWildcard:
      if (model.is_object()) {
        for (const auto& m : model.get_object()) EvalFrom(steps, i + 1, m.value, ctx);
      } else if (model.is_array()) {
        for (const auto& e : model.get_array()) EvalFrom(steps, i + 1, e, ctx);
      }
      return;
    case Step::Kind::kScan:
      if (i + 1 < steps.size()) Walk(steps, i + 1, model, ctx);
      return;
    case Step::Kind::kFilter:
      // Jayway applies a filter to an object itself, and to each element of an array.
      if (model.is_object()) {
        if (FilterAccept(*s.filter, model, *ctx.root)) EvalFrom(steps, i + 1, model, ctx);
      } else if (model.is_array()) {
        for (const auto& e : model.get_array()) {
          if (FilterAccept(*s.filter, e, *ctx.root)) EvalFrom(steps, i + 1, e, ctx);
        }
      } else if (s.upstream_definite) {
        ctx.aborted = true;
      }
      return;
    case Step::Kind::kLength:
      if (model.is_array() || model.is_object()) {
        EvalFrom(steps, i + 1, Json(static_cast<int64_t>(model.size())), ctx);
      } else {
        EvalFrom(steps, i + 1, Json(), ctx);
      }
      return;
  }
}

// Definite evaluation without allocation: walks pointers and returns the node
// or Jayway's exception text.
Status DefiniteSelect(const std::vector<Step>& steps, const Json& doc, const Json** out, Json* scratch) {
  const Json* cur = &doc;
  auto path_upto = [&](size_t n) {
    std::string p = "$";
    for (size_t k = 0; k < n; ++k) AppendToken(p, steps[k]);
    return p;
  };
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    switch (s.kind) {
      case Step::Kind::kProperty: {
        if (!cur->is_object()) {
          std::string frag;
          AppendToken(frag, s);
          return Status::Error(
              "PathNotFound",
              "Expected to find an object with property " + frag + " in path " + path_upto(i) + " but found '" +
                  JavaClassName(*cur) +
                  "'. This is not a json object according to the JsonProvider: "
                  "'com.jayway.jsonpath.spi.json.JacksonJsonProvider'.");
        }
        if (s.names.size() > 1) {  // trailing union: merged object
          Json merged = Json::EmptyObject();
          for (const auto& n : s.names) {
            if (const Json* v = cur->find(n)) merged.Set(n, *v);
          }
          *scratch = std::move(merged);
          cur = scratch;
          break;
        }
        const Json* v = cur->find(s.names[0]);
        if (!v) {
          if (i + 1 == steps.size()) {
            return Status::Error("PathNotFound", "No results for path: " + path_upto(steps.size()));
          }
          return Status::Error("PathNotFound", "Missing property in path " + path_upto(i + 1));
        }
        cur = v;
        break;
      }
      case Step::Kind::kIndex: {
        if (cur->is_null()) return Status::Error("PathNotFound", "The path " + path_upto(i) + " is null");
        if (!cur->is_array()) {
          std::string frag;
          AppendToken(frag, s);
          return Status::Error("PathNotFound", "Filter: " + frag + " can only be applied to arrays. Current context is: " +
                                                   cur->Dump());
        }
        int64_t n = static_cast<int64_t>(cur->size());
        int64_t idx = s.indexes[0];
        int64_t eff = idx < 0 ? n + idx : idx;
        if (eff < 0 || eff >= n) {
          return Status::Error("PathNotFound", "No results for path: " + path_upto(steps.size()));
        }
        cur = &(*cur)[static_cast<size_t>(eff)];
        break;
      }
      case Step::Kind::kLength:
        *scratch = (cur->is_array() || cur->is_object()) ? Json(static_cast<int64_t>(cur->size())) : Json();
        cur = scratch;
        break;
      default:
        return Status::Error("InvalidPath", "not a definite path");
    }
  }
  *out = cur;
  return Status();
}

// A filter operand's value; nullopt is Jayway's UNDEFINED.
std::optional<Json> OperandValue(const Operand& o, const Json& item, const Json& root) {
  if (o.kind == Operand::Kind::kLiteral) return o.literal;
  const Json& doc = o.root_doc ? root : item;
  if (o.definite) {
    const Json* v = nullptr;
    Json scratch;
    if (!DefiniteSelect(o.steps, doc, &v, &scratch).ok()) return std::nullopt;
    return *v;
  }
  std::vector<Json> out;
  EvalCtx ctx{&root, &out};
  EvalFrom(o.steps, 0, doc, ctx);
  if (ctx.aborted) return std::nullopt;
  return Json(std::move(out));
}

bool ParseNumber(const std::string& s, double* d) {
  if (s.empty()) return false;
  char* end = nullptr;
  *d = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(*d);
}

int CompareNumbers(const Json& a, const Json& b) {
  if (a.is_int() && b.is_int()) {
    return a.get_int() < b.get_int() ? -1 : (a.get_int() > b.get_int() ? 1 : 0);
  }
  double x = a.get_double(), y = b.get_double();
  return x < y ? -1 : (x > y ? 1 : 0);
}

// Jayway's EqualsEvaluator: numbers by value, a number equals a string holding
// the same number, JSON nodes deeply, UNDEFINED equals nothing.
bool JaywayEquals(const std::optional<Json>& l, const std::optional<Json>& r) {
  if (!l || !r) return false;
  const Json& a = *l;
  const Json& b = *r;
  if (a.is_number() && b.is_number()) return CompareNumbers(a, b) == 0;
  if (a.is_number() && b.is_string()) {
    double d;
    return ParseNumber(b.str(), &d) && d == a.get_double();
  }
  if (a.is_string() && b.is_number()) return a.get_string() == Json(b).Dump();
  return a == b;
}

bool FilterAccept(const FilterExpr& f, const Json& item, const Json& root) {
  switch (f.kind) {
    case FilterExpr::Kind::kOr: return FilterAccept(*f.a, item, root) || FilterAccept(*f.b, item, root);
    case FilterExpr::Kind::kAnd: return FilterAccept(*f.a, item, root) && FilterAccept(*f.b, item, root);
    case FilterExpr::Kind::kNot: return !FilterAccept(*f.a, item, root);
    case FilterExpr::Kind::kExists: {
      if (f.l.kind == Operand::Kind::kLiteral) return f.l.literal.is_bool() && f.l.literal.get_bool();
      auto v = OperandValue(f.l, item, root);
      if (!v) return false;
      if (!f.l.definite) return v->size() > 0;
      return true;
    }
    case FilterExpr::Kind::kCompare: {
      auto l = OperandValue(f.l, item, root);
      auto r = OperandValue(f.r, item, root);
      switch (f.op) {
        case FilterExpr::Op::kEq: return JaywayEquals(l, r);
        case FilterExpr::Op::kNe: return !JaywayEquals(l, r);
        default: break;
      }
      if (!l || !r) return false;
      int c;
      if (l->is_number() && r->is_number()) {
        c = CompareNumbers(*l, *r);
      } else if (l->is_string() && r->is_string()) {
        c = l->get_string().compare(r->get_string());
      } else {
        return false;
      }
      switch (f.op) {
        case FilterExpr::Op::kLt: return c < 0;
        case FilterExpr::Op::kLe: return c <= 0;
        case FilterExpr::Op::kGt: return c > 0;
        case FilterExpr::Op::kGe: return c >= 0;
        default: return false;
      }
    }
  }
  return false;
}

}  // namespace

struct Path::Impl {
  std::string text;
  Root root = Root::kInput;
  std::string variable;
  std::vector<Step> steps;
  bool definite = true;
};

Path::Path(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Path::Path(Path&&) noexcept = default;
Path& Path::operator=(Path&&) noexcept = default;
Path::Path(const Path&) = default;
Path& Path::operator=(const Path&) = default;
Path::~Path() = default;

Result<Path> Path::Compile(std::string_view text) {
  auto impl = std::make_shared<Impl>();
  impl->text = std::string(text);
  if (text.empty() || text[0] != '$') {
    return Status::Error("InvalidPath", "The path '" + impl->text + "' must start with '$'");
  }
  size_t p = 1;
  if (p < text.size() && text[p] == '$') {
    impl->root = Root::kContext;
    ++p;
  } else if (p < text.size() && text[p] != '.' && text[p] != '[') {
    size_t start = p;
    while (p < text.size() && text[p] != '.' && text[p] != '[') {
      char c = text[p];
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80)) {
        return Status::Error("InvalidPath",
                             "The path '" + impl->text + "' has an invalid variable name at position " +
                                 std::to_string(p));
      }
      ++p;
    }
    impl->root = Root::kVariable;
    impl->variable = std::string(text.substr(start, p - start));
  }
  Parser parser(text, /*in_filter=*/false);
  parser.set_pos(p);
  if (!parser.ParseSteps(impl->steps)) {
    return Status::Error("InvalidPath", "The path '" + impl->text + "' is invalid: " + parser.error().message());
  }
  FinishSteps(impl->steps);
  for (const auto& s : impl->steps) impl->definite = impl->definite && s.definite;
  return Path(std::move(impl));
}

const std::string& Path::text() const { return impl_->text; }
Path::Root Path::root() const { return impl_->root; }
const std::string& Path::variable() const { return impl_->variable; }
bool Path::is_definite() const { return impl_->definite; }

Result<Json> Path::Select(const Json& doc) const {
  const auto& steps = impl_->steps;
  if (impl_->definite) {
    const Json* v = nullptr;
    Json scratch;
    Status st = DefiniteSelect(steps, doc, &v, &scratch);
    if (!st.ok()) return st;
    return *v;
  }
  std::vector<Json> out;
  EvalCtx ctx{&doc, &out};
  EvalFrom(steps, 0, doc, ctx);
  // AWS answers [] when Jayway throws inside the definite prefix of an
  // indefinite path (e.g. "$.items[*].x" on {}).
  if (ctx.aborted) out.clear();
  return Json(std::move(out));
}

Result<Json> Path::Eval(const Scope& scope) const {
  switch (impl_->root) {
    case Root::kInput: return Select(scope.input);
    case Root::kContext: return Select(scope.context);
    case Root::kVariable: {
      const Json* v = scope.vars ? scope.vars->Find(impl_->variable) : nullptr;
      if (!v) {
        return Status::Error("PathNotFound", "The variable '$" + impl_->variable + "' is not defined");
      }
      return Select(*v);
    }
  }
  return Status::Error("InvalidPath", "unknown root");
}

Result<Json> Path::Put(const Json& doc, Json value) const {
  const auto& steps = impl_->steps;
  if (impl_->root != Root::kInput) {
    return Status::Error("InvalidPath", "The path '" + impl_->text + "' must start with '$.' or be '$'");
  }
  if (!impl_->definite) {
    return Status::Error("InvalidPath", "The path '" + impl_->text + "' must be a definite (reference) path");
  }
  if (steps.empty()) return value;
  auto conflict = [&]() {
    return Status::Error("InvalidPath", "Unable to apply ReferencePath " + impl_->text + " to input " + doc.Dump());
  };
  Json out = doc;  // O(1); nodes along the path are cloned shallowly below
  Json* cur = &out;
  for (const Step& s : steps) {
    if (s.kind == Step::Kind::kProperty && s.names.size() == 1) {
      if (!cur->is_object()) return conflict();
      Json::Object& obj = cur->mutable_object();
      Json* next = nullptr;
      for (auto& m : obj) {
        if (m.key == s.names[0]) {
          next = &m.value;
          break;
        }
      }
      if (!next) {
        obj.push_back(Json::Member{s.names[0], Json::EmptyObject()});
        next = &obj.back().value;
      }
      cur = next;
    } else if (s.kind == Step::Kind::kIndex) {
      if (!cur->is_array()) return conflict();
      int64_t n = static_cast<int64_t>(cur->size());
      int64_t idx = s.indexes[0] < 0 ? n + s.indexes[0] : s.indexes[0];
      if (idx < 0 || idx >= n) return conflict();
      cur = &cur->mutable_array()[static_cast<size_t>(idx)];
    } else {
      return Status::Error("InvalidPath", "The path '" + impl_->text + "' cannot be used as a ResultPath");
    }
  }
  *cur = std::move(value);
  return out;
}

}  // namespace stepline::expr

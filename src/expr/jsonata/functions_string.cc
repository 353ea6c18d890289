// String built-ins: $string $length $substring $substringBefore $substringAfter
// $uppercase $lowercase $trim $pad $contains $split $join $match $replace
// $eval $base64encode $base64decode and the URL encoders.

#include <algorithm>
#include <cmath>
#include <cstring>

#include "expr/jsonata/ast.h"
#include "expr/jsonata/errors.h"
#include "expr/jsonata/evaluator.h"
#include "expr/jsonata/functions.h"
#include "expr/jsonata/regex.h"

namespace stepline::jsonata {
namespace {

Value Str(std::string s) { return Value(Json(std::move(s))); }

// In ASCII text code points are bytes: the common case needs no decoding.
bool IsAscii(std::string_view s) {
  for (unsigned char ch : s)
    if (ch >= 0x80) return false;
  return true;
}

// Code-point offset of a byte offset (the reference reports string positions
// in characters).
int64_t CharIndex(const std::string& s, size_t byte) {
  return static_cast<int64_t>(CodePointCount(std::string_view(s).substr(0, byte)));
}

// Successive matches of a matcher (a regex value or a user function that
// returns the reference's match objects), with the reference's rule that a
// zero-length match after the first one is an error (D1004).
class Matcher {
 public:
  Matcher(CallCtx& c, const Value& pattern, const std::string& s) : c_(c), pattern_(pattern), s_(s) {}

  bool First() {
    if (!pattern_.is_function()) return false;
    if (pattern_.fn().kind == Function::kRegex) {
      re_ = pattern_.fn().regex.get();
      has_ = re_->Search(s_, 0, &m_);
      return has_;
    }
    std::vector<Value> args{Str(s_)};
    return Custom(c_.ev.Apply(pattern_, args, c_.input, c_.env, c_.name));
  }
  bool Next() {
    if (re_) {
      if (m_.end >= s_.size()) return has_ = false;
      size_t from = m_.end;
      has_ = re_->Search(s_, from, &m_);
      if (has_ && m_.start == m_.end) Throw("D1004", {.value = re_->pattern()});
      return has_;
    }
    if (next_.undefined()) return has_ = false;
    std::vector<Value> args;
    Value fn = next_;
    return Custom(c_.ev.Apply(fn, args, c_.input, c_.env, c_.name));
  }
  const RegexMatch& match() const { return m_; }
  std::string text() const { return s_.substr(m_.start, m_.end - m_.start); }

 private:
  bool Custom(const Value& r) {
    if (r.undefined()) return has_ = false;
    Value match = GetMember(r, "match"), start = GetMember(r, "start"), end = GetMember(r, "end"),
          groups = GetMember(r, "groups");
    if (!match.is_string() || !start.is_number() || !end.is_number() || !groups.is_array())
      Throw("T1010", {.token = c_.name});
    // Custom matchers report character offsets; convert to bytes.
    auto to_byte = [&](double ch) {
      size_t b = 0, n = 0;
      while (b < s_.size() && n < ch) {
        ++b;
        while (b < s_.size() && (static_cast<unsigned char>(s_[b]) & 0xc0) == 0x80) ++b;
        ++n;
      }
      return b;
    };
    m_.start = to_byte(start.num());
    m_.end = m_.start + match.str().size();
    m_.groups.clear();
    ForEachItem(groups, [&](const Value& g) { m_.groups.push_back(g.is_string() ? std::string(g.str()) : ""); });
    next_ = GetMember(r, "next");
    if (!next_.is_function()) next_ = Value();
    return has_ = true;
  }

  CallCtx& c_;
  const Value& pattern_;  // an argument of the call: outlives the matcher
  const std::string& s_;
  const Regex* re_ = nullptr;
  RegexMatch m_;
  bool has_ = false;
  Value next_;
};

Value FnString(CallCtx& c) {
  const Value& v = c.arg(0);
  if (v.undefined()) return Value();
  std::string s;
  StringOf(v, BooleanOf(c.arg(1)) == 1, &s);
  return Str(std::move(s));
}

Value FnLength(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  return Value(Json(static_cast<int64_t>(CodePointCount(c.arg(0).str()))));
}

// JavaScript Array.prototype.slice index normalisation.
int64_t SliceIndex(double v, int64_t len) {
  if (std::isnan(v)) return 0;
  double t = std::trunc(v);  // first: -0.5 is index 0, not len
  if (t < 0) {
    double r = t + static_cast<double>(len);
    return r < 0 ? 0 : static_cast<int64_t>(r);
  }
  return t > static_cast<double>(len) ? len : static_cast<int64_t>(t);
}

Value FnSubstring(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string_view text = c.arg(0).str();
  bool ascii = IsAscii(text);
  std::u32string s;
  if (!ascii) s = ToU32(text);
  int64_t len = static_cast<int64_t>(ascii ? text.size() : s.size());
  // Characters [a, b): the whole string is shared rather than copied.
  auto slice = [&](int64_t a, int64_t b) {
    if (a == 0 && b == len) return c.arg(0);
    if (ascii) return Value(Json(std::string_view(text).substr(static_cast<size_t>(a), static_cast<size_t>(b - a))));
    return Str(FromU32(std::u32string_view(s).substr(a, b - a)));
  };
  double start = c.arg(1).num();
  if (len + start < 0) start = 0;
  if (c.arg(2).defined()) {
    double length = c.arg(2).num();
    if (length <= 0) return Str("");
    double end = start >= 0 ? start + length : len + start + length;
    int64_t a = SliceIndex(start, len), b = SliceIndex(end, len);
    if (b <= a) return Str("");
    return slice(a, b);
  }
  int64_t a = SliceIndex(start, len);
  return slice(a, len);
}

Value FnSubstringBefore(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string s(c.arg(0).str());
  if (c.arg(1).undefined()) return c.arg(0);
  size_t p = s.find(c.arg(1).str());
  return p == std::string::npos ? c.arg(0) : Str(s.substr(0, p));
}

Value FnSubstringAfter(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string s(c.arg(0).str());
  if (c.arg(1).undefined()) return c.arg(0);
  std::string t(c.arg(1).str());
  size_t p = s.find(t);
  return p == std::string::npos ? c.arg(0) : Str(s.substr(p + t.size()));
}

char32_t Upper(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if ((c >= 0xe0 && c <= 0xfe && c != 0xf7)) return c - 32;
  if (c == 0xff) return 0x178;
  if (c >= 0x100 && c <= 0x17f && (c & 1) && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17f)
    return (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e) ? c : c - 1;
  if (c == 0x3c2) return 0x3a3;  // final sigma
  if (c >= 0x3b1 && c <= 0x3c9) return c - 32;
  if (c >= 0x430 && c <= 0x44f) return c - 32;
  if (c >= 0x450 && c <= 0x45f) return c - 80;
  return c;
}
char32_t Lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c == 0x178) return 0xff;  // Ÿ -> ÿ, outside the Latin Extended-A pairing
  if (c >= 0xc0 && c <= 0xde && c != 0xd7) return c + 32;
  if (c >= 0x100 && c <= 0x17f && !(c & 1) && c != 0x130 && c != 0x138)
    return (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e) ? c : c + 1;
  if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2) return c + 32;
  if (c >= 0x410 && c <= 0x42f) return c + 32;
  if (c >= 0x400 && c <= 0x40f) return c + 80;
  return c;
}

// ASCII text is case-mapped byte by byte, and shared when nothing changes.
Value MapCase(CallCtx& c, bool upper) {
  if (c.arg(0).undefined()) return Value();
  std::string_view text = c.arg(0).str();
  const char from = upper ? 'a' : 'A';
  size_t i = 0;
  for (; i < text.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(text[i]);
    if (ch >= 0x80 || (ch >= from && ch <= from + 25)) break;
  }
  if (i == text.size()) return c.arg(0);
  if (IsAscii(std::string_view(text).substr(i))) {
    std::string r(text);
    for (; i < r.size(); ++i)
      if (r[i] >= from && r[i] <= from + 25) r[i] = static_cast<char>(r[i] ^ 0x20);
    return Str(std::move(r));
  }
  std::u32string s = ToU32(text);
  std::string r;
  r.reserve(text.size());
  for (char32_t ch : s) {
    if (upper && ch == 0xdf) r += "SS";  // ß has no single upper-case letter
    else AppendUtf8(r, upper ? Upper(ch) : Lower(ch));
  }
  return Str(std::move(r));
}
Value FnUppercase(CallCtx& c) { return MapCase(c, true); }
Value FnLowercase(CallCtx& c) { return MapCase(c, false); }

Value FnTrim(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string_view s = c.arg(0).str();
  std::string r;
  bool ws = false;
  for (char ch : s) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      if (!ws) r += ' ';
      ws = true;
    } else {
      r += ch;
      ws = false;
    }
  }
  if (!r.empty() && r.front() == ' ') r.erase(0, 1);
  if (!r.empty() && r.back() == ' ') r.pop_back();
  return Str(std::move(r));
}

Value FnPad(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string s(c.arg(0).str());
  std::string ch = c.arg(2).is_string() && !c.arg(2).str().empty() ? std::string(c.arg(2).str()) : " ";
  double width = std::trunc(c.arg(1).num());
  if (std::isnan(width)) width = 0;
  int64_t pad = static_cast<int64_t>(std::fabs(width)) - static_cast<int64_t>(CodePointCount(s));
  if (pad <= 0) return c.arg(0);
  if (pad > 100000000) Throw("D3137", {.message = "$pad width too large"});
  std::u32string unit = ToU32(ch), padding;
  while (static_cast<int64_t>(padding.size()) < pad) padding += unit;
  padding.resize(static_cast<size_t>(pad));
  std::string p = FromU32(padding);
  return Str(width > 0 ? s + p : p + s);
}

Value FnContains(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string s(c.arg(0).str());
  const Value& tok = c.arg(1);
  if (tok.is_string()) return Value(Json(s.find(tok.str()) != std::string::npos));
  Matcher m(c, tok, s);
  return Value(Json(m.First()));
}

Value FnSplit(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string s(c.arg(0).str());
  const Value& sep = c.arg(1);
  const Value& lim = c.arg(2);
  if (lim.defined() && lim.num() < 0) Throw("D3020", {.value = RenderValue(lim)});
  Json::Array out;
  double limit = lim.defined() ? std::floor(lim.num()) : -1;
  auto room = [&] { return limit < 0 || static_cast<double>(out.size()) < limit; };
  if (limit == 0) return Value(Json(std::move(out)));
  if (sep.is_string()) {
    std::string_view t = sep.str();
    if (t.empty()) {
      for (char32_t ch : ToU32(s)) {
        if (!room()) break;
        std::string one;
        AppendUtf8(one, ch);
        out.emplace_back(std::move(one));
      }
    } else {
      size_t pieces = 1;
      for (size_t p = s.find(t); p != std::string::npos; p = s.find(t, p + t.size())) ++pieces;
      out.reserve(limit < 0 || limit >= static_cast<double>(pieces) ? pieces : static_cast<size_t>(limit));
      size_t pos = 0;
      for (;;) {
        if (!room()) break;
        size_t p = s.find(t, pos);
        if (p == std::string::npos) {
          out.emplace_back(std::string_view(s).substr(pos));
          break;
        }
        out.emplace_back(std::string_view(s).substr(pos, p - pos));
        pos = p + t.size();
      }
    }
    return Value(Json(std::move(out)));
  }
  Matcher m(c, sep, s);
  if (!m.First()) {
    out.emplace_back(s);
    return Value(Json(std::move(out)));
  }
  size_t start = 0;
  bool more = true;
  int64_t count = 0;
  while (more && (limit < 0 || count < limit)) {
    out.emplace_back(s.substr(start, m.match().start - start));
    start = m.match().end;
    more = m.Next();
    ++count;
  }
  if (limit < 0 || count < limit) out.emplace_back(s.substr(start));
  return Value(Json(std::move(out)));
}

Value FnJoin(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string_view sep = c.arg(1).str();  // "" when absent
  const Value& arr = c.arg(0);
  std::string r;
  bool first = true;
  auto add = [&](const Json& j) {
    if (!first) r += sep;
    first = false;
    if (j.is_string()) r += j.get_string();
  };
  if (arr.kind() == Value::kArray) {
    for (const Value& v : arr.items()) add(v.json());
  } else if (arr.is_json() && arr.json().is_array()) {
    // Read the JSON in place: no Value (and no reference count) per item.
    const auto& items = arr.json().get_array();
    size_t n = 0;
    for (const Json& j : items) n += j.is_string() ? j.get_string().size() : 0;
    r.reserve(n + sep.size() * items.size());
    for (const Json& j : items) add(j);
  }
  return Str(std::move(r));
}

Value FnMatch(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string s(c.arg(0).str());
  const Value& lim = c.arg(2);
  if (lim.defined() && lim.num() < 0) Throw("D3040", {.value = RenderValue(lim)});
  std::vector<Value> result;
  double limit = lim.defined() ? lim.num() : -1;
  if (limit != 0) {
    Matcher m(c, c.arg(1), s);
    bool more = m.First();
    int64_t count = 0;
    while (more && (limit < 0 || count < limit)) {
      Json::Object o;
      o.push_back({"match", Json(m.text())});
      o.push_back({"index", Json(CharIndex(s, m.match().start))});
      Json::Array g;
      for (const auto& x : m.match().groups) g.emplace_back(x);
      o.push_back({"groups", Json(std::move(g))});
      result.emplace_back(Json(std::move(o)));
      more = m.Next();
      ++count;
    }
  }
  return Value::Sequence(std::move(result));
}

// Appends the replacement string with $0, $1.. expanded as the reference does.
void Substitute(std::string& out, std::string_view rep, std::string_view matched, const RegexGroups& groups) {
  size_t pos = 0;
  size_t idx = rep.find('$', pos);
  while (idx != std::string::npos && pos < rep.size()) {
    out.append(rep, pos, idx - pos);
    pos = idx + 1;
    char d = pos < rep.size() ? rep[pos] : '\0';
    if (d == '$') {
      out += '$';
      ++pos;
    } else if (d == '0') {
      out += matched;
      ++pos;
    } else {
      size_t max_digits = 1;  // digits of groups.size()
      for (size_t g = groups.size(); g >= 10; g /= 10) ++max_digits;
      auto parse = [&](size_t nd) -> long {
        size_t k = pos;
        long v = 0;
        bool any = false;
        while (k < rep.size() && k < pos + nd && rep[k] >= '0' && rep[k] <= '9') {
          v = v * 10 + (rep[k] - '0');
          ++k;
          any = true;
        }
        return any ? v : -1;
      };
      long index = parse(max_digits);
      if (max_digits > 1 && index > static_cast<long>(groups.size())) index = parse(max_digits - 1);
      if (index >= 0) {
        if (!groups.empty() && index >= 1 && static_cast<size_t>(index) <= groups.size())
          out += groups[index - 1];
        for (long v = index;; v /= 10) {  // the digits of index
          ++pos;
          if (v < 10) break;
        }
      } else {
        out += '$';
      }
    }
    idx = rep.find('$', pos);
  }
  if (pos < rep.size()) out.append(rep, pos, std::string::npos);
}

Value FnReplace(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string s(c.arg(0).str());
  const Value& pattern = c.arg(1);
  const Value& rep = c.arg(2);
  const Value& lim = c.arg(3);
  if (pattern.is_string() && pattern.str().empty()) Throw("D3010", {.value = "", .index = 2});
  if (lim.defined() && lim.num() < 0) Throw("D3011", {.value = RenderValue(lim), .index = 4});
  double limit = lim.defined() ? lim.num() : -1;
  if (limit == 0) return c.arg(0);
  std::string out;
  int64_t count = 0;
  if (pattern.is_string()) {
    std::string p(pattern.str());
    size_t pos = 0;
    size_t idx = s.find(p, pos);
    std::string r = rep.is_string() ? std::string(rep.str()) : "";
    while (idx != std::string::npos && (limit < 0 || count < limit)) {
      out.append(s, pos, idx - pos);
      if (rep.is_string()) {
        out += r;
      } else {
        Json::Object o;
        o.push_back({"match", Json(p)});
        o.push_back({"start", Json(CharIndex(s, idx))});
        o.push_back({"end", Json(CharIndex(s, idx + p.size()))});
        o.push_back({"groups", Json::EmptyArray()});
        std::vector<Value> args{Value(Json(std::move(o)))};
        Value v = c.ev.Apply(rep, args, c.input, c.env, c.name);
        if (!v.is_string()) Throw("D3012", {.value = RenderValue(v)});
        out += v.str();
      }
      pos = idx + p.size();
      ++count;
      idx = s.find(p, pos);
    }
    out.append(s, pos, std::string::npos);
    return Str(std::move(out));
  }
  Matcher m(c, pattern, s);
  if (!m.First()) return c.arg(0);
  size_t pos = 0;
  bool more = true;
  while (more && (limit < 0 || count < limit)) {
    const RegexMatch& rm = m.match();
    out.append(s, pos, rm.start - pos);
    if (rep.is_string()) {
      Substitute(out, rep.str(), std::string_view(s).substr(rm.start, rm.end - rm.start), rm.groups);
    } else {
      Json::Object o;
      o.push_back({"match", Json(m.text())});
      o.push_back({"start", Json(CharIndex(s, rm.start))});
      o.push_back({"end", Json(CharIndex(s, rm.end))});
      Json::Array g;
      for (const auto& x : rm.groups) g.emplace_back(x);
      o.push_back({"groups", Json(std::move(g))});
      std::vector<Value> args{Value(Json(std::move(o)))};
      Value v = c.ev.Apply(rep, args, c.input, c.env, c.name);
      if (!v.is_string()) Throw("D3012", {.value = RenderValue(v)});
      out += v.str();
    }
    pos = rm.end;
    ++count;
    more = m.Next();
  }
  out.append(s, pos, std::string::npos);
  return Str(std::move(out));
}

Value FnEval(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  Value input = c.input;
  if (c.arg(1).defined()) {
    input = c.arg(1);
    if (input.is_array() && !input.is_sequence()) {
      std::vector<Value> one{input};
      input = Value::Array(std::move(one), Value::kSequence | Value::kOuterWrapper);
    }
  }
  std::shared_ptr<Program> prog;
  try {
    prog = Parse(c.arg(0).str());
  } catch (const JError& e) {
    Throw("D3120", {.value = e.message});
  }
  c.ev.Keep(prog);
  try {
    return c.ev.Eval(prog->root, input, c.env);
  } catch (const JError& e) {
    if (e.code == "U1001") throw;
    Throw("D3121", {.value = e.message});
  }
}

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// btoa()/Buffer 'binary': each character becomes one byte; characters beyond
// Latin-1 fall back to their UTF-8 bytes.
Value FnBase64Encode(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::u32string u = ToU32(c.arg(0).str());
  std::string bytes;
  bool latin1 = true;
  for (char32_t ch : u)
    if (ch > 0xff) latin1 = false;
  if (latin1) {
    for (char32_t ch : u) bytes += static_cast<char>(ch);
  } else {
    bytes = c.arg(0).str();
  }
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return Str(std::move(out));
}

Value FnBase64Decode(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string_view s = c.arg(0).str();
  std::string bytes;
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : s) {
    const char* p = std::strchr(kB64, ch);
    if (ch == '\0' || p == nullptr) {
      if (ch == '-') p = kB64 + 62;
      else if (ch == '_') p = kB64 + 63;
      else continue;
    }
    acc = (acc << 6) | static_cast<uint32_t>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  // Buffer 'binary': one character per byte; valid UTF-8 text is kept as is.
  std::u32string u = ToU32(bytes);
  bool valid = true;
  for (char32_t ch : u)
    if (ch == 0xfffd) valid = false;
  if (valid) return Str(std::move(bytes));
  std::string out;
  for (unsigned char b : bytes) AppendUtf8(out, b);
  return Str(std::move(out));
}

bool Unreserved(unsigned char ch, bool component) {
  if (std::isalnum(ch)) return true;
  if (std::strchr("-_.!~*'()", ch) && ch) return true;
  if (!component && std::strchr(";,/?:@&=+$#", ch) && ch) return true;
  return false;
}

Value Encode(CallCtx& c, bool component) {
  if (c.arg(0).undefined()) return Value();
  std::string s(c.arg(0).str());
  for (char32_t ch : ToU32(s))
    if (ch >= 0xd800 && ch <= 0xdfff)
      Throw("D3140", {.value = s, .function_name = component ? "encodeUrlComponent" : "encodeUrl"});
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (Unreserved(ch, component)) {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return Str(std::move(out));
}

int HexVal(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

Value Decode(CallCtx& c, bool component) {
  if (c.arg(0).undefined()) return Value();
  std::string s(c.arg(0).str());
  const char* fname = component ? "decodeUrlComponent" : "decodeUrl";
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '%') {
      out += s[i++];
      continue;
    }
    if (i + 2 >= s.size()) Throw("D3140", {.value = s, .function_name = fname});
    int h = HexVal(s[i + 1]), l = HexVal(s[i + 2]);
    if (h < 0 || l < 0) Throw("D3140", {.value = s, .function_name = fname});
    unsigned char b = static_cast<unsigned char>(h * 16 + l);
    if (!component && b < 0x80 && std::strchr(";/?:@&=+$,#", b) && b) {
      out.append(s, i, 3);
    } else {
      out += static_cast<char>(b);
    }
    i += 3;
  }
  for (char32_t ch : ToU32(out))
    if (ch == 0xfffd) Throw("D3140", {.value = s, .function_name = fname});
  return Str(std::move(out));
}

Value FnEncodeUrlComponent(CallCtx& c) { return Encode(c, true); }
Value FnEncodeUrl(CallCtx& c) { return Encode(c, false); }
Value FnDecodeUrlComponent(CallCtx& c) { return Decode(c, true); }
Value FnDecodeUrl(CallCtx& c) { return Decode(c, false); }

}  // namespace

Value FnFormatNumber(CallCtx& c);
Value FnFormatBase(CallCtx& c);
Value FnFormatInteger(CallCtx& c);
Value FnParseInteger(CallCtx& c);

void RegisterStringFunctions(std::vector<BuiltinDef>& out) {
  out.push_back({"string", "<x-b?:s>", FnString, 1});  // JS length ignores the defaulted parameter
  out.push_back({"length", "<s-:n>", FnLength, 1});
  out.push_back({"substring", "<s-nn?:s>", FnSubstring, 3});
  out.push_back({"substringBefore", "<s-s:s>", FnSubstringBefore, 2});
  out.push_back({"substringAfter", "<s-s:s>", FnSubstringAfter, 2});
  out.push_back({"uppercase", "<s-:s>", FnUppercase, 1});
  out.push_back({"lowercase", "<s-:s>", FnLowercase, 1});
  out.push_back({"trim", "<s-:s>", FnTrim, 1});
  out.push_back({"pad", "<s-ns?:s>", FnPad, 3});
  out.push_back({"contains", "<s-(sf):b>", FnContains, 2});
  out.push_back({"split", "<s-(sf)n?:a<s>>", FnSplit, 3});
  out.push_back({"join", "<a<s>s?:s>", FnJoin, 2});
  out.push_back({"match", "<s-f<s:o>n?:a<o>>", FnMatch, 3});
  out.push_back({"replace", "<s-(sf)(sf)n?:s>", FnReplace, 4});
  out.push_back({"eval", "<sx?:x>", FnEval, 2, Dialect::kStandardOnly});
  out.push_back({"base64encode", "<s-:s>", FnBase64Encode, 1});
  out.push_back({"base64decode", "<s-:s>", FnBase64Decode, 1});
  out.push_back({"encodeUrlComponent", "<s-:s>", FnEncodeUrlComponent, 1});
  out.push_back({"encodeUrl", "<s-:s>", FnEncodeUrl, 1});
  out.push_back({"decodeUrlComponent", "<s-:s>", FnDecodeUrlComponent, 1});
  out.push_back({"decodeUrl", "<s-:s>", FnDecodeUrl, 1});
  out.push_back({"formatNumber", "<n-so?:s>", FnFormatNumber, 3});
  out.push_back({"formatBase", "<n-n?:s>", FnFormatBase, 2});
  out.push_back({"formatInteger", "<n-s:s>", FnFormatInteger, 2});
  out.push_back({"parseInteger", "<s-s:n>", FnParseInteger, 2});
}

}  // namespace stepline::jsonata

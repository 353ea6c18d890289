#include "expr/jsonata/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include "expr/jsonata/errors.h"
#include "expr/jsonata/function.h"

namespace stepline::jsonata {

const Value* ObjNode::Find(std::string_view key) const {
  for (const auto& [k, v] : members)
    if (k == key) return &v;
  return nullptr;
}
void ObjNode::Set(std::string_view key, Value v) {
  for (auto& [k, val] : members)
    if (k == key) {
      val = std::move(v);
      return;
    }
  members.emplace_back(std::string(key), std::move(v));
}
bool ObjNode::Erase(std::string_view key) {
  for (auto it = members.begin(); it != members.end(); ++it)
    if (it->first == key) {
      members.erase(it);
      return true;
    }
  return false;
}

std::vector<Value>& Value::mutable_items() {
  if (ptr_.use_count() > 1) ptr_ = std::make_shared<ArrNode>(*static_cast<ArrNode*>(ptr_.get()));
  return static_cast<ArrNode*>(ptr_.get())->items;
}

Value GetMember(const Value& v, std::string_view key) {
  if (v.kind() == Value::kObject) {
    const Value* f = v.obj().Find(key);
    return f ? *f : Value();
  }
  if (v.is_json() && v.json().is_object()) {
    const Json* f = FindField(v.json(), key);
    if (f) return v.Child(*f);
  }
  return Value();
}

size_t MemberCount(const Value& v) {
  if (v.kind() == Value::kObject) return v.obj().members.size();
  if (v.is_json() && v.json().is_object()) return v.json().size();
  return 0;
}

namespace {
// Copying a Json into a result bumps its node's atomic count, usually a cache
// miss into the input document; fetching a few items ahead overlaps the misses.
constexpr size_t kPrefetchAhead = 8;
inline void PrefetchNode(const Value& v) {
  if (v.kind() == Value::kJson) __builtin_prefetch(v.json().node_identity(), 1, 3);
}

template <typename V>
bool ToJsonImpl(V&& v, Json* out) {
  constexpr bool kConsume = !std::is_const_v<std::remove_reference_t<V>>;
  switch (v.kind()) {
    case Value::kUndefined:
    case Value::kFunction:
      return false;
    case Value::kJson:
      if constexpr (kConsume) {
        if (v.owns_json()) {
          *out = v.take_json();
          return true;
        }
      }
      *out = v.json();
      return true;
    case Value::kArray: {
      const auto& items = v.items();
      const size_t n = items.size();
      Json::Array a;
      a.reserve(n);
      bool move = false;
      if constexpr (kConsume) move = v.unique_node();
      for (size_t i = 0; i < n; ++i) {
        if (i + kPrefetchAhead < n) PrefetchNode(items[i + kPrefetchAhead]);
        const Value& it = items[i];
        if (it.is_json()) {
          if (move && it.owns_json()) a.push_back(const_cast<Value&>(it).take_json());
          else a.push_back(it.json());
          continue;
        }
        Json j;
        bool ok = move ? ToJsonImpl(std::move(const_cast<Value&>(it)), &j) : ToJsonImpl(it, &j);
        if (ok) a.push_back(std::move(j));
        else if (it.is_function()) a.push_back(Json());
      }
      *out = Json(std::move(a));
      return true;
    }
    case Value::kObject: {
      const auto& members = v.obj().members;
      Json::Object o;
      o.reserve(members.size());
      bool move = false;
      if constexpr (kConsume) move = v.unique_node();
      for (const auto& [k, val] : members) {
        Json j;
        bool ok = move ? ToJsonImpl(std::move(const_cast<Value&>(val)), &j) : ToJsonImpl(val, &j);
        if (ok) o.push_back(Json::Member{move ? std::move(const_cast<std::string&>(k)) : k, std::move(j)});
      }
      *out = Json(std::move(o));
      return true;
    }
  }
  return false;
}
}  // namespace

bool ToJson(const Value& v, Json* out) { return ToJsonImpl(v, out); }
bool ToJson(Value&& v, Json* out) { return ToJsonImpl(std::move(v), out); }

Value MakeArray(std::vector<Value> items, uint8_t flags) {
  bool plain = true;
  for (const auto& it : items)
    if (!it.is_json()) {
      plain = false;
      break;
    }
  if (plain && flags == 0) {
    Json::Array a;
    a.reserve(items.size());
    const size_t n = items.size();
    for (size_t i = 0; i < n; ++i) {
      if (i + kPrefetchAhead < n) PrefetchNode(items[i + kPrefetchAhead]);
      if (items[i].owns_json()) a.push_back(items[i].take_json());
      else a.push_back(items[i].json());
    }
    return Value(Json(std::move(a)));
  }
  return Value::Array(std::move(items), flags);
}

bool DeepEqual(const Value& a, const Value& b) {
  if (a.is_json() && b.is_json()) return a.json() == b.json();
  if (a.undefined() || b.undefined()) return a.undefined() && b.undefined();
  if (a.is_function() || b.is_function()) return a.identity() == b.identity();
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!DeepEqual(a.at(i), b.at(i))) return false;
    return true;
  }
  if (a.is_object() && b.is_object()) {
    if (MemberCount(a) != MemberCount(b)) return false;
    bool eq = true;
    ForEachMember(a, [&](const std::string& k, const Value& v) {
      if (eq && !DeepEqual(v, GetMember(b, k))) eq = false;
    });
    return eq;
  }
  return false;
}

void AppendJsNumber(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "NaN";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-Infinity" : "Infinity";
    return;
  }
  if (d == 0) {
    out += '0';
    return;
  }
  if (std::fabs(d) < 9007199254740992.0 && d == std::trunc(d)) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(d));
    out.append(buf, r.ptr);
    return;
  }
  // Shortest round-trip digits, then JavaScript's placement rules.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view s(buf, r.ptr - buf);
  bool neg = s[0] == '-';
  if (neg) s.remove_prefix(1);
  size_t e = s.find('e');
  std::string digits;
  for (char c : s.substr(0, e))
    if (c != '.') digits += c;
  int exp = std::atoi(std::string(s.substr(e + 1)).c_str());
  int k = static_cast<int>(digits.size());
  int n = exp + 1;  // position of the decimal point
  if (neg) out += '-';
  if (k <= n && n <= 21) {
    out += digits;
    out.append(n - k, '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, n);
    out += '.';
    out.append(digits, n);
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(-n, '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
}

std::string JsNumber(double d) {
  std::string s;
  AppendJsNumber(s, d);
  return s;
}

double ToPrecision(double d, int p) {
  if (!std::isfinite(d) || d == 0) return d;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", p - 1, d);
  return std::strtod(buf, nullptr);
}

namespace {
void Indent(std::string& out, bool pretty, int level) {
  if (!pretty) return;
  out += '\n';
  out.append(static_cast<size_t>(level) * 2, ' ');
}
void StringifyImpl(const Value& v, bool pretty, int level, std::string& out, bool top);
void StringifyJson(const Json& j, bool pretty, int level, std::string& out) {
  switch (j.type()) {
    case Json::Type::kNull: out += "null"; break;
    case Json::Type::kBool: out += j.get_bool() ? "true" : "false"; break;
    case Json::Type::kInt: {
      int64_t i = j.get_int();
      if (i > 999999999999999 || i < -999999999999999) AppendJsNumber(out, ToPrecision(static_cast<double>(i), 15));
      else out += std::to_string(i);
      break;
    }
    case Json::Type::kDouble: {
      double d = j.get_double();
      if (!std::isfinite(d)) Throw("D1001", {.value = JsNumber(d)});
      AppendJsNumber(out, ToPrecision(d, 15));
      break;
    }
    case Json::Type::kString: AppendJsonString(out, j.get_string()); break;
    case Json::Type::kArray: {
      const auto& a = j.get_array();
      out += '[';
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) out += ',';
        Indent(out, pretty, level + 1);
        StringifyJson(a[i], pretty, level + 1, out);
      }
      if (!a.empty()) Indent(out, pretty, level);
      out += ']';
      break;
    }
    case Json::Type::kObject: {
      const auto& o = j.get_object();
      out += '{';
      for (size_t i = 0; i < o.size(); ++i) {
        if (i) out += ',';
        Indent(out, pretty, level + 1);
        AppendJsonString(out, o[i].key);
        out += pretty ? ": " : ":";
        StringifyJson(o[i].value, pretty, level + 1, out);
      }
      if (!o.empty()) Indent(out, pretty, level);
      out += '}';
      break;
    }
  }
}
void StringifyImpl(const Value& v, bool pretty, int level, std::string& out, bool top) {
  switch (v.kind()) {
    case Value::kUndefined: out += "null"; break;
    case Value::kFunction: out += "\"\""; break;
    case Value::kJson: StringifyJson(v.json(), pretty, level, out); break;
    case Value::kArray: {
      out += '[';
      const auto& a = v.items();
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) out += ',';
        Indent(out, pretty, level + 1);
        StringifyImpl(a[i], pretty, level + 1, out, false);
      }
      if (!a.empty()) Indent(out, pretty, level);
      out += ']';
      break;
    }
    case Value::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [k, val] : v.obj().members) {
        if (val.undefined()) continue;
        if (!first) out += ',';
        first = false;
        Indent(out, pretty, level + 1);
        AppendJsonString(out, k);
        out += pretty ? ": " : ":";
        StringifyImpl(val, pretty, level + 1, out, false);
      }
      if (!first) Indent(out, pretty, level);
      out += '}';
      break;
    }
  }
}
}  // namespace

void Stringify(const Value& v, bool pretty, std::string& out) {
  StringifyImpl(v, pretty, 0, out, true);
}

void DumpJs(const Json& j, std::string& out) {
  switch (j.type()) {
    case Json::Type::kDouble: {
      double d = j.get_double();
      if (!std::isfinite(d)) out += "null";
      else AppendJsNumber(out, d);
      break;
    }
    case Json::Type::kArray: {
      out += '[';
      bool first = true;
      for (const auto& it : j.get_array()) {
        if (!first) out += ',';
        first = false;
        DumpJs(it, out);
      }
      out += ']';
      break;
    }
    case Json::Type::kObject: {
      out += '{';
      bool first = true;
      for (const auto& m : j.get_object()) {
        if (!first) out += ',';
        first = false;
        AppendJsonString(out, m.key);
        out += ':';
        DumpJs(m.value, out);
      }
      out += '}';
      break;
    }
    default: j.DumpTo(out);
  }
}

std::u32string ToU32(std::string_view s) {
  std::u32string r;
  r.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    int len;
    if (c < 0x80) cp = c, len = 1;
    else if ((c >> 5) == 6) cp = c & 0x1f, len = 2;
    else if ((c >> 4) == 14) cp = c & 0x0f, len = 3;
    else if ((c >> 3) == 30) cp = c & 0x07, len = 4;
    else cp = 0xfffd, len = 1;
    if (i + len > s.size()) {
      cp = 0xfffd;
      len = 1;
    }
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    r.push_back(cp);
    i += len;
  }
  return r;
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

std::string FromU32(std::u32string_view s) {
  std::string r;
  r.reserve(s.size());
  for (char32_t c : s) AppendUtf8(r, c);
  return r;
}

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xc0) != 0x80) ++n;
  return n;
}

}  // namespace stepline::jsonata

#include "base/json.h"

#include <boost/json/basic_parser_impl.hpp>

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_set>

namespace stepline {

using json_detail::ArrayNode;
using json_detail::ObjectNode;
using json_detail::StringNode;

Json::Json(unsigned long i) noexcept : Json(static_cast<unsigned long long>(i)) {}
Json::Json(unsigned long long i) noexcept {
  if (i <= static_cast<unsigned long long>(std::numeric_limits<int64_t>::max())) {
    Init(Tag::kInt).i = static_cast<int64_t>(i);
  } else {
    Init(Tag::kDouble).d = static_cast<double>(i);
  }
}
void Json::InitString(std::string_view s) {
  rep_.s.tag = Tag::kShortString;
  rep_.s.len = static_cast<uint8_t>(s.size());
  std::memcpy(rep_.s.chars, s.data(), s.size());
}
Json::Json(std::string s) {
  if (s.size() <= kShortStringMax) {
    InitString(s);
  } else {
    Init(Tag::kString).n = new StringNode(std::move(s));
  }
}
Json::Json(std::string_view s) {
  if (s.size() <= kShortStringMax) {
    InitString(s);
  } else {
    Init(Tag::kString).n = new StringNode(std::string(s));
  }
}
Json::Json(Array a) { Init(Tag::kArray).n = new ArrayNode(std::move(a)); }
Json::Json(Object o) { Init(Tag::kObject).n = new ObjectNode(std::move(o)); }

void Json::Destroy() noexcept {
  switch (tag()) {
    case Tag::kString: delete static_cast<StringNode*>(rep_.h.u.n); break;
    case Tag::kArray: delete static_cast<ArrayNode*>(rep_.h.u.n); break;
    case Tag::kObject: delete static_cast<ObjectNode*>(rep_.h.u.n); break;
    default: break;
  }
}

bool Json::is_integral() const {
  if (tag() == Tag::kInt) return true;
  if (tag() != Tag::kDouble) return false;
  double d = rep_.h.u.d;
  return std::isfinite(d) && std::floor(d) == d && d >= -9.2e18 && d <= 9.2e18;
}

bool Json::get_bool() const {
  assert(tag() == Tag::kBool);
  return rep_.h.u.b;
}
int64_t Json::get_int() const {
  assert(is_number());
  return tag() == Tag::kInt ? rep_.h.u.i : static_cast<int64_t>(rep_.h.u.d);
}
double Json::get_double() const {
  assert(is_number());
  return tag() == Tag::kInt ? static_cast<double>(rep_.h.u.i) : rep_.h.u.d;
}

Json::Array& Json::mutable_array() {
  assert(tag() == Tag::kArray);
  auto* node = static_cast<ArrayNode*>(rep_.h.u.n);
  if (node->rc.load(std::memory_order_acquire) != 1) {
    auto* copy = new ArrayNode(node->items);  // shallow: children are shared
    Unref();
    rep_.h.u.n = copy;
    node = copy;
  }
  return node->items;
}

Json::Object& Json::mutable_object() {
  assert(tag() == Tag::kObject);
  auto* node = static_cast<ObjectNode*>(rep_.h.u.n);
  if (node->rc.load(std::memory_order_acquire) != 1) {
    auto* copy = new ObjectNode(node->members);
    Unref();
    rep_.h.u.n = copy;
    node = copy;
  }
  return node->members;
}

const Json* Json::find(std::string_view key) const {
  if (tag() != Tag::kObject) return nullptr;
  for (const auto& m : get_object())
    if (m.key == key) return &m.value;
  return nullptr;
}

void Json::Set(std::string_view key, Json value) {
  if (tag() != Tag::kObject) *this = EmptyObject();
  auto& obj = mutable_object();
  for (auto& m : obj) {
    if (m.key == key) {
      m.value = std::move(value);
      return;
    }
  }
  obj.push_back(Member{std::string(key), std::move(value)});
}

bool Json::Erase(std::string_view key) {
  if (!find(key)) return false;
  auto& obj = mutable_object();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (it->key == key) {
      obj.erase(it);
      return true;
    }
  }
  return false;
}

void Json::Push(Json value) {
  if (tag() != Tag::kArray) *this = EmptyArray();
  mutable_array().push_back(std::move(value));
}

size_t Json::size() const {
  if (tag() == Tag::kArray) return get_array().size();
  if (tag() == Tag::kObject) return get_object().size();
  return 0;
}

bool Json::operator==(const Json& o) const {
  if (is_number() && o.is_number()) {
    if (is_int() && o.is_int()) return rep_.h.u.i == o.rep_.h.u.i;
    return get_double() == o.get_double();
  }
  if (type() != o.type()) return false;
  switch (type()) {
    case Type::kNull: return true;
    case Type::kBool: return rep_.h.u.b == o.rep_.h.u.b;
    case Type::kString: return get_string() == o.get_string();
    case Type::kArray: {
      if (rep_.h.u.n == o.rep_.h.u.n) return true;
      const auto& a = get_array();
      const auto& b = o.get_array();
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) return false;
      return true;
    }
    case Type::kObject: {
      if (rep_.h.u.n == o.rep_.h.u.n) return true;
      const auto& a = get_object();
      const auto& b = o.get_object();
      if (a.size() != b.size()) return false;
      for (const auto& m : a) {
        const Json* v = o.find(m.key);
        if (!v || *v != m.value) return false;
      }
      return true;
    }
    default: return false;
  }
}

const char* Json::TypeName() const {
  switch (type()) {
    case Type::kNull: return "null";
    case Type::kBool: return "boolean";
    case Type::kInt:
    case Type::kDouble: return "number";
    case Type::kString: return "string";
    case Type::kArray: return "array";
    case Type::kObject: return "object";
  }
  return "?";
}


// ---- serialization -------------------------------------------------------

void AppendJsonString(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void AppendJsonDouble(std::string& out, double d) {
  if (!std::isfinite(d)) {  // not representable in JSON
    out += "null";
    return;
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  std::string_view sv(buf, r.ptr - buf);
  out.append(sv);
  if (sv.find_first_of(".e") == std::string_view::npos) out += ".0";
}

namespace {

// indent < 0: one line; `spaced` then puts a space after ',' and ':'.
void DumpValue(const Json& v, std::string& out, int indent, bool spaced, int level) {
  auto newline = [&](int lvl) {
    if (indent < 0) {
      if (spaced) out.push_back(' ');
      return;
    }
    out.push_back('\n');
    out.append(static_cast<size_t>(indent * lvl), ' ');
  };
  switch (v.type()) {
    case Json::Type::kNull: out += "null"; break;
    case Json::Type::kBool: out += v.get_bool() ? "true" : "false"; break;
    case Json::Type::kInt: {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, v.get_int());
      out.append(buf, r.ptr);
      break;
    }
    case Json::Type::kDouble: AppendJsonDouble(out, v.get_double()); break;
    case Json::Type::kString: AppendJsonString(out, v.get_string()); break;
    case Json::Type::kArray: {
      const auto& a = v.get_array();
      out.push_back('[');
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) {
          out.push_back(',');
          newline(level + 1);
        } else if (indent >= 0) {
          newline(level + 1);
        }
        DumpValue(a[i], out, indent, spaced, level + 1);
      }
      if (!a.empty() && indent >= 0) newline(level);
      out.push_back(']');
      break;
    }
    case Json::Type::kObject: {
      const auto& o = v.get_object();
      out.push_back('{');
      for (size_t i = 0; i < o.size(); ++i) {
        if (i) {
          out.push_back(',');
          newline(level + 1);
        } else if (indent >= 0) {
          newline(level + 1);
        }
        AppendJsonString(out, o[i].key);
        out.push_back(':');
        if (indent >= 0 || spaced) out.push_back(' ');
        DumpValue(o[i].value, out, indent, spaced, level + 1);
      }
      if (!o.empty() && indent >= 0) newline(level);
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

void Json::DumpTo(std::string& out) const { DumpValue(*this, out, -1, false, 0); }
std::string Json::DumpSpaced() const {
  std::string s;
  DumpValue(*this, s, -1, true, 0);
  return s;
}
std::string Json::Dump() const {
  std::string s;
  DumpTo(s);
  return s;
}
std::string Json::DumpPretty(int indent) const {
  std::string s;
  DumpValue(*this, s, indent, false, 0);
  return s;
}

// ---- parsing ---------------------------------------------------------------

namespace {

// SAX handler for boost::json::basic_parser building Json values on a stack.
struct Builder {
  constexpr static std::size_t max_object_size = std::size_t(-1);
  constexpr static std::size_t max_array_size = std::size_t(-1);
  constexpr static std::size_t max_key_size = std::size_t(-1);
  constexpr static std::size_t max_string_size = std::size_t(-1);

  std::vector<Json> values;
  std::vector<std::string> keys;
  std::string buf;
  std::string num;  // a number's text when it arrives in parts

  using ec_t = boost::json::error_code;
  using sv_t = boost::json::string_view;

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t n, ec_t&) {
    Json::Array a;
    a.reserve(n);
    auto first = values.end() - static_cast<std::ptrdiff_t>(n);
    for (auto it = first; it != values.end(); ++it) a.push_back(std::move(*it));
    values.erase(first, values.end());
    values.emplace_back(std::move(a));
    return true;
  }
  bool on_object_begin(ec_t&) { return true; }
  bool on_object_end(std::size_t n, ec_t&) {
    Json::Object o;
    o.reserve(n);
    auto vfirst = values.end() - static_cast<std::ptrdiff_t>(n);
    auto kfirst = keys.end() - static_cast<std::ptrdiff_t>(n);
    bool dup = false;
    if (n > 1) {
      if (n <= 16) {
        for (size_t i = 0; i < n && !dup; ++i)
          for (size_t j = i + 1; j < n; ++j)
            if (kfirst[i] == kfirst[j]) {
              dup = true;
              break;
            }
      } else {
        std::unordered_set<std::string_view> seen;
        for (size_t i = 0; i < n; ++i)
          if (!seen.insert(kfirst[i]).second) dup = true;
      }
    }
    for (size_t i = 0; i < n; ++i) o.push_back(Json::Member{std::move(kfirst[i]), std::move(vfirst[i])});
    values.erase(vfirst, values.end());
    keys.erase(kfirst, keys.end());
    if (dup) {  // the last duplicate wins, at the position of the first
      Json::Object d;
      for (auto& m : o) {
        bool found = false;
        for (auto& e : d)
          if (e.key == m.key) {
            e.value = std::move(m.value);
            found = true;
          }
        if (!found) d.push_back(std::move(m));
      }
      o = std::move(d);
    }
    values.emplace_back(std::move(o));
    return true;
  }
  bool on_string_part(sv_t s, std::size_t, ec_t&) {
    buf.append(s.data(), s.size());
    return true;
  }
  bool on_string(sv_t s, std::size_t, ec_t&) {
    buf.append(s.data(), s.size());
    // A short string is copied into the Json, so buf keeps its capacity.
    if (buf.size() <= Json::kShortStringMax) {
      values.emplace_back(std::string_view(buf));
    } else {
      values.emplace_back(std::move(buf));
    }
    buf.clear();
    return true;
  }
  bool on_key_part(sv_t s, std::size_t, ec_t&) {
    buf.append(s.data(), s.size());
    return true;
  }
  bool on_key(sv_t s, std::size_t, ec_t&) {
    buf.append(s.data(), s.size());
    keys.push_back(std::move(buf));
    buf.clear();
    return true;
  }
  bool on_number_part(sv_t s, ec_t&) {
    num.append(s.data(), s.size());
    return true;
  }
  bool on_int64(int64_t i, sv_t, ec_t&) {
    num.clear();
    values.emplace_back(i);
    return true;
  }
  bool on_uint64(uint64_t u, sv_t, ec_t&) {
    num.clear();
    values.emplace_back(static_cast<unsigned long long>(u));
    return true;
  }
  bool on_double(double d, sv_t s, ec_t&) {
    // Boost.JSON 1.81 reads doubles with a fast algorithm that is not always
    // correctly rounded (119.13499999999999 became 119.13500000000001); AWS
    // (Jackson) rounds correctly, so the text is read again with from_chars.
    std::string_view text(s.data(), s.size());
    if (!num.empty()) {
      num.append(s.data(), s.size());
      text = num;
    }
    double exact = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), exact);
    if (r.ec == std::errc() && r.ptr == text.data() + text.size()) d = exact;
    num.clear();
    values.emplace_back(d);
    return true;
  }
  bool on_bool(bool b, ec_t&) {
    values.emplace_back(b);
    return true;
  }
  bool on_null(ec_t&) {
    values.emplace_back(nullptr);
    return true;
  }
  bool on_comment_part(sv_t, ec_t&) { return true; }
  bool on_comment(sv_t, ec_t&) { return true; }
};

}  // namespace

Result<Json> Json::Parse(std::string_view text, const ParseOptions& opts) {
  boost::json::parse_options po;
  po.max_depth = opts.max_depth;
  po.allow_comments = opts.allow_comments;
  po.allow_trailing_commas = opts.allow_trailing_commas;
  boost::json::basic_parser<Builder> p(po);
  boost::json::error_code ec;
  size_t n = p.write_some(false, text.data(), text.size(), ec);
  if (!ec && n < text.size()) ec = boost::json::error::extra_data;
  if (ec) {
    return Status::Error("InvalidJson", "Invalid JSON at offset " + std::to_string(n) + ": " + ec.message());
  }
  auto& vals = p.handler().values;
  if (vals.size() != 1) return Status::Error("InvalidJson", "Invalid JSON: no value");
  return std::move(vals.back());
}

}  // namespace stepline

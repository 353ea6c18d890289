#include "expr/intrinsics/functions.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

namespace stepline::expr::intrinsics {

namespace {

constexpr size_t kMaxStringChars = 10000;  // Base64Encode/Decode, Hash inputs
constexpr int64_t kMaxRangeItems = 1000;   // States.ArrayRange

// Java's Math.round: floor(x + 0.5).
int64_t JavaRound(double d) { return static_cast<int64_t>(std::floor(d + 0.5)); }

bool TruncatedInt(const Json& v, int64_t* out) {
  if (!v.is_number()) return false;
  if (v.is_int()) {
    *out = v.get_int();
    return true;
  }
  double d = v.get_double();
  if (!std::isfinite(d) || d > 9.2e18 || d < -9.2e18) return false;
  *out = static_cast<int64_t>(d);  // truncation toward zero, as AWS does here
  return true;
}

bool InInt32(int64_t v) { return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max(); }

Result<Json> Format(const CallContext& ctx, std::vector<Json>& args) {
  FormatTemplate parsed;
  const FormatTemplate* tmpl = ctx.literal_template;
  if (!tmpl) {
    if (!args[0].is_string()) return InvalidArguments("States.Format");
    auto t = SplitFormat(args[0].get_string(), {});
    if (!t) return InvalidArguments("States.Format");
    parsed = std::move(*t);
    tmpl = &parsed;
  }
  if (tmpl->pieces.size() - 1 != args.size() - 1) return InvalidArguments("States.Format");
  std::string out = tmpl->pieces[0];
  for (size_t i = 1; i < tmpl->pieces.size(); ++i) {
    AppendJavaString(out, args[i]);
    out += tmpl->pieces[i];
  }
  return Json(std::move(out));
}

Result<Json> StringToJson(const CallContext&, std::vector<Json>& args) {
  if (!args[0].is_string()) return InvalidArguments("States.StringToJson");
  auto r = Json::Parse(args[0].get_string());
  if (!r.ok()) return InvalidArguments("States.StringToJson");
  return std::move(r).value();
}

Result<Json> JsonToString(const CallContext&, std::vector<Json>& args) { return Json(args[0].Dump()); }

Result<Json> Array(const CallContext&, std::vector<Json>& args) { return Json(Json::Array(args.begin(), args.end())); }

Result<Json> ArrayPartition(const CallContext&, std::vector<Json>& args) {
  int64_t size;
  if (!args[0].is_array() || !TruncatedInt(args[1], &size) || size <= 0) {
    return InvalidArguments("States.ArrayPartition");
  }
  const auto& a = args[0].get_array();
  Json::Array out;
  for (size_t i = 0; i < a.size(); i += static_cast<size_t>(size)) {
    size_t end = std::min(a.size(), i + static_cast<size_t>(size));
    out.emplace_back(Json::Array(a.begin() + static_cast<ptrdiff_t>(i), a.begin() + static_cast<ptrdiff_t>(end)));
  }
  return Json(std::move(out));
}

Result<Json> ArrayContains(const CallContext&, std::vector<Json>& args) {
  if (!args[0].is_array()) return InvalidArguments("States.ArrayContains");
  for (const auto& e : args[0].get_array()) {
    if (e == args[1]) return Json(true);
  }
  return Json(false);
}

Result<Json> ArrayRange(const CallContext&, std::vector<Json>& args) {
  int64_t start, end, step;
  if (!TruncatedInt(args[0], &start) || !TruncatedInt(args[1], &end) || !TruncatedInt(args[2], &step) || step == 0) {
    return InvalidArguments("States.ArrayRange");
  }
  int64_t count = 0;
  if ((step > 0 && start <= end) || (step < 0 && start >= end)) {
    count = (end - start) / step + 1;
  }
  if (count > kMaxRangeItems) return InvalidArguments("States.ArrayRange");
  Json::Array out;
  out.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) out.emplace_back(start + i * step);
  return Json(std::move(out));
}

Result<Json> ArrayGetItem(const CallContext&, std::vector<Json>& args) {
  int64_t idx;
  if (!args[0].is_array() || !TruncatedInt(args[1], &idx)) return InvalidArguments("States.ArrayGetItem");
  const auto& a = args[0].get_array();
  // AWS answers null for any index into an empty array (observed), but fails
  // for an index outside a non-empty one.
  if (a.empty()) return Json();
  if (idx < 0 || idx >= static_cast<int64_t>(a.size())) return InvalidArguments("States.ArrayGetItem");
  return a[static_cast<size_t>(idx)];
}

Result<Json> ArrayLength(const CallContext&, std::vector<Json>& args) {
  if (!args[0].is_array()) return InvalidArguments("States.ArrayLength");
  return Json(static_cast<int64_t>(args[0].size()));
}

Result<Json> ArrayUnique(const CallContext&, std::vector<Json>& args) {
  if (!args[0].is_array()) return InvalidArguments("States.ArrayUnique");
  Json::Array out;
  std::unordered_set<std::string> seen;
  for (const auto& e : args[0].get_array()) {
    std::string key = e.is_int() ? Json(static_cast<double>(e.get_int())).Dump() : e.Dump();  // 1 == 1.0
    if (seen.insert(std::move(key)).second) out.push_back(e);
  }
  return Json(std::move(out));
}

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Result<Json> Base64Encode(const CallContext&, std::vector<Json>& args) {
  if (!args[0].is_string() || Utf16Length(args[0].get_string()) > kMaxStringChars) {
    return InvalidArguments("States.Base64Encode");
  }
  std::string_view s = args[0].get_string();
  std::string out;
  out.reserve((s.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    uint32_t n = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8) | uint8_t(s[i + 2]);
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += kB64[n & 63];
  }
  if (i + 1 == s.size()) {
    uint32_t n = uint8_t(s[i]) << 16;
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == s.size()) {
    uint32_t n = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8);
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += '=';
  }
  return Json(std::move(out));
}

// Replaces invalid UTF-8 with U+FFFD, as Java's new String(bytes, UTF_8) does.
std::string SanitizeUtf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    unsigned char c = in[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= in.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (uint8_t(in[i + k]) & 0xC0) == 0x80;
    if (ok && len == 2) ok = c >= 0xC2;
    if (ok && len == 3) {
      uint32_t cp = ((c & 15) << 12) | ((uint8_t(in[i + 1]) & 63) << 6) | (uint8_t(in[i + 2]) & 63);
      ok = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
    }
    if (ok && len == 4) {
      uint32_t cp = ((c & 7) << 18) | ((uint8_t(in[i + 1]) & 63) << 12) | ((uint8_t(in[i + 2]) & 63) << 6) |
                    (uint8_t(in[i + 3]) & 63);
      ok = cp >= 0x10000 && cp <= 0x10FFFF;
    }
    if (ok) {
      out.append(in.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

Result<Json> Base64Decode(const CallContext&, std::vector<Json>& args) {
  if (!args[0].is_string() || Utf16Length(args[0].get_string()) > kMaxStringChars) {
    return InvalidArguments("States.Base64Decode");
  }
  // AWS decodes leniently (observed: "abc", "ab==cd", " YWJjZA== " and
  // "!!!invalid!!!" all decode): characters outside the alphabet are skipped,
  // decoding stops at the first '=', and a trailing partial group is kept.
  std::string bytes;
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : args[0].get_string()) {
    int v;
    if (ch >= 'A' && ch <= 'Z') v = ch - 'A';
    else if (ch >= 'a' && ch <= 'z') v = ch - 'a' + 26;
    else if (ch >= '0' && ch <= '9') v = ch - '0' + 52;
    else if (ch == '+' || ch == '-') v = 62;
    else if (ch == '/' || ch == '_') v = 63;
    else if (ch == '=') break;
    else continue;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return Json(SanitizeUtf8(bytes));
}

Result<Json> Hash(const CallContext&, std::vector<Json>& args) {
  if (!args[0].is_string() || !args[1].is_string() || Utf16Length(args[0].get_string()) > kMaxStringChars) {
    return InvalidArguments("States.Hash");
  }
  std::string_view alg = args[1].get_string();
  const EVP_MD* md = alg == "MD5"       ? EVP_md5()
                     : alg == "SHA-1"   ? EVP_sha1()
                     : alg == "SHA-256" ? EVP_sha256()
                     : alg == "SHA-384" ? EVP_sha384()
                     : alg == "SHA-512" ? EVP_sha512()
                                        : nullptr;
  if (!md) return InvalidArguments("States.Hash");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::string_view data = args[0].get_string();
  if (EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr) != 1) return InvalidArguments("States.Hash");
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return Json(std::move(out));
}

Result<Json> JsonMerge(const CallContext&, std::vector<Json>& args) {
  // Only shallow merge exists: the third argument must be false.
  if (!args[0].is_object() || !args[1].is_object() || !args[2].is_bool() || args[2].get_bool()) {
    return InvalidArguments("States.JsonMerge");
  }
  Json out = args[0];  // shares members; Set clones the top node only
  for (const auto& m : args[1].get_object()) out.Set(m.key, m.value);
  return out;
}

Result<Json> MathRandom(const CallContext& ctx, std::vector<Json>& args) {
  int64_t start, end;
  // AWS truncates fractional bounds (observed: MathRandom(1.6, 5.4) yields 1).
  if (!TruncatedInt(args[0], &start) || !TruncatedInt(args[1], &end) || start >= end || !InInt32(start) ||
      !InInt32(end)) {
    return InvalidArguments("States.MathRandom");
  }
  if (args.size() == 3) {
    int64_t seed;
    if (!TruncatedInt(args[2], &seed)) return InvalidArguments("States.MathRandom");
    SeededRandom r(static_cast<uint64_t>(seed));
    return Json(r.NextInRange(start, end - 1));
  }
  if (!ctx.scope->random) return Status::Error(std::string(kIntrinsicErrorName), "No random source for States.MathRandom");
  return Json(ctx.scope->random->NextInRange(start, end - 1));
}

Result<Json> MathAdd(const CallContext&, std::vector<Json>& args) {
  if (!args[0].is_number() || !args[1].is_number()) return InvalidArguments("States.MathAdd");
  // Each operand is rounded half up (Java Math.round; conformance cases: 2.5 -> 3, -2.5 -> -2).
  int64_t a = args[0].is_int() ? args[0].get_int() : JavaRound(args[0].get_double());
  int64_t b = args[1].is_int() ? args[1].get_int() : JavaRound(args[1].get_double());
  if (!InInt32(a) || !InInt32(b)) return InvalidArguments("States.MathAdd");
  return Json(a + b);
}

// Decodes one UTF-8 code point starting at s[i]; advances i.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  unsigned char c = s[i];
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + len > s.size()) len = 1;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 31) : len == 3 ? (c & 15) : (c & 7);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (uint8_t(s[i + k]) & 63);
  i += len;
  return cp;
}

Result<Json> StringSplit(const CallContext&, std::vector<Json>& args) {
  if (!args[0].is_string() || !args[1].is_string()) return InvalidArguments("States.StringSplit");
  // Java StringTokenizer: every character of the 2nd argument is a delimiter
  // and empty tokens are dropped (conformance: ",,," yields no empty strings).
  std::vector<uint32_t> delims;
  std::string_view d = args[1].get_string();
  for (size_t i = 0; i < d.size();) delims.push_back(NextCodePoint(d, i));
  std::string_view s = args[0].get_string();
  Json::Array out;
  size_t tok = 0;
  for (size_t i = 0; i < s.size();) {
    size_t at = i;
    uint32_t cp = NextCodePoint(s, i);
    if (std::find(delims.begin(), delims.end(), cp) != delims.end()) {
      if (at > tok) out.emplace_back(std::string_view(s).substr(tok, at - tok));
      tok = i;
    }
  }
  if (s.size() > tok) out.emplace_back(std::string_view(s).substr(tok));
  return Json(std::move(out));
}

Result<Json> Uuid(const CallContext& ctx, std::vector<Json>&) {
  if (!ctx.scope->random) return Status::Error(std::string(kIntrinsicErrorName), "No random source for States.UUID");
  return Json(MakeUuid(*ctx.scope->random));
}

const FunctionSpec kFunctions[] = {
    {"States.Format", 1, -1, Format},
    {"States.StringToJson", 1, 1, StringToJson},
    {"States.JsonToString", 1, 1, JsonToString},
    {"States.Array", 0, -1, Array},
    {"States.ArrayPartition", 2, 2, ArrayPartition},
    {"States.ArrayContains", 2, 2, ArrayContains},
    {"States.ArrayRange", 3, 3, ArrayRange},
    {"States.ArrayGetItem", 2, 2, ArrayGetItem},
    {"States.ArrayLength", 1, 1, ArrayLength},
    {"States.ArrayUnique", 1, 1, ArrayUnique},
    {"States.Base64Encode", 1, 1, Base64Encode},
    {"States.Base64Decode", 1, 1, Base64Decode},
    {"States.Hash", 2, 2, Hash},
    {"States.JsonMerge", 3, 3, JsonMerge},
    {"States.MathRandom", 2, 3, MathRandom},
    {"States.MathAdd", 2, 2, MathAdd},
    {"States.StringSplit", 2, 2, StringSplit},
    {"States.UUID", 0, 0, Uuid},
};

}  // namespace

const FunctionSpec* FindFunction(std::string_view name) {
  for (const auto& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Status InvalidArguments(std::string_view function) {
  return Status::Error(std::string(kIntrinsicErrorName), "Invalid arguments in " + std::string(function));
}

std::optional<FormatTemplate> SplitFormat(std::string_view text, const std::vector<bool>& escapes) {
  FormatTemplate t;
  t.pieces.emplace_back();
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool escaped = i < escapes.size() && escapes[i];
    if (!escaped && c == '{') {
      if (i + 1 < text.size() && text[i + 1] == '}' && !(i + 1 < escapes.size() && escapes[i + 1])) {
        t.pieces.emplace_back();
        ++i;
        continue;
      }
      return std::nullopt;
    }
    if (!escaped && c == '}') return std::nullopt;
    t.pieces.back() += c;
  }
  return t;
}

void AppendJavaString(std::string& out, const Json& v) {
  switch (v.type()) {
    case Json::Type::kString: out += v.get_string(); break;
    case Json::Type::kArray: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ", ";
        first = false;
        AppendJavaString(out, e);
      }
      out += ']';
      break;
    }
    case Json::Type::kObject: {
      out += '{';
      bool first = true;
      for (const auto& m : v.get_object()) {
        if (!first) out += ", ";
        first = false;
        out += m.key;
        out += '=';
        AppendJavaString(out, m.value);
      }
      out += '}';
      break;
    }
    default: v.DumpTo(out); break;
  }
}

size_t Utf16Length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if ((c & 0xC0) == 0x80) continue;
    n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

}  // namespace stepline::expr::intrinsics

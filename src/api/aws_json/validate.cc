#include "api/aws_json/validate.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace stepline::api::aws_json {
namespace {

// Messages AWS's deserializer gives for a JSON value of the wrong type
// (recorded from AWS JSON-protocol services; SerializationException).
constexpr std::string_view kListNotExpected = "Start of list found where not expected";
constexpr std::string_view kMapNotExpected = "Start of structure or map found where not expected.";

Status Serialization(std::string message) {
  return Status::Error("SerializationException", std::move(message));
}

const char* ScalarKind(const Json& v) {
  switch (v.type()) {
    case Json::Type::kString: return "STRING_VALUE";
    case Json::Type::kBool: return v.get_bool() ? "TRUE_VALUE" : "FALSE_VALUE";
    default: return "NUMBER_VALUE";
  }
}

// "NUMBER_VALUE can not be converted to a String", or the list/map wording.
Status ConversionError(const Json& v, const char* target) {
  if (v.is_array()) return Serialization(std::string(kListNotExpected));
  if (v.is_object()) return Serialization(std::string(kMapNotExpected));
  return Serialization(std::string(ScalarKind(v)) + " can not be converted to " + target);
}

// Java's Double.toString for the values constraints use (0.0, 100.0, 12.5).
std::string FormatDouble(double d) {
  std::string out;
  AppendJsonDouble(out, d);
  return out;
}

std::string FormatBound(const Shape& s, double bound) {
  if (s.type == ShapeType::kFloat || s.type == ShapeType::kDouble) return FormatDouble(bound);
  return std::to_string(static_cast<int64_t>(bound));
}

// The three patterns the Step Functions model uses, checked by hand (std::regex
// lacks \p{ASCII}); an unknown pattern is not enforced.
bool MatchesPattern(const std::string& pattern, std::string_view s) {
  if (pattern == "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$") {
    if (s.empty()) return false;
    bool has_non_digit = false;
    for (char c : s) {
      bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.';
      if (!alpha && !(c >= '0' && c <= '9')) return false;
      has_non_digit |= alpha;
    }
    return has_non_digit;
  }
  if (pattern == "[!-~]+") {
    if (s.empty()) return false;
    for (char c : s)
      if (c < '!' || c > '~') return false;
    return true;
  }
  if (pattern == "\\p{ASCII}*") {
    for (char c : s)
      if (static_cast<unsigned char>(c) > 0x7f) return false;
    return true;
  }
  return true;
}

class Checker {
 public:
  explicit Checker(const ServiceModel& m) : m_(m) {}

  // Checks `v` (never null) against shape `si`. On a type mismatch sets
  // serialization_ and returns false. When the value must change, sets *out.
  bool Check(int si, const Json& v, std::string& path, Json* out) {
    const Shape& s = m_.shape(si);
    switch (s.type) {
      case ShapeType::kStructure: return CheckStructure(s, v, path, out);
      case ShapeType::kList: return CheckList(s, v, path, out);
      case ShapeType::kMap: return CheckMap(s, v, path, out);
      case ShapeType::kString:
      case ShapeType::kBlob: {
        if (!v.is_string()) return Fail(ConversionError(v, "a String"));
        std::string_view str = v.get_string();
        if (!s.enum_values.empty()) {
          bool found = false;
          for (const auto& e : s.enum_values) found |= e == str;
          if (!found) {
            std::string c = "Member must satisfy enum value set: [";
            for (size_t i = 0; i < s.enum_values.size(); ++i) {
              if (i) c += ", ";
              c += s.enum_values[i];
            }
            c += ']';
            Error(s, &str, path, c);
          }
        }
        if (!s.pattern.empty() && !MatchesPattern(s.pattern, str))
          Error(s, &str, path, "Member must satisfy regular expression pattern: " + s.pattern);
        CheckLength(s, Utf16Length(str), &str, path);
        return true;
      }
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        const bool is_long = s.type == ShapeType::kLong;
        const char* target = is_long ? "a Long" : "an Integer";
        if (!v.is_number()) return Fail(ConversionError(v, target));
        const double lo = is_long ? -9.2233720368547758e18 : std::numeric_limits<int32_t>::min();
        const double hi = is_long ? 9.2233720368547758e18 : std::numeric_limits<int32_t>::max();
        double d = v.get_double();
        if (!(d >= lo && d <= hi)) return Fail(Serialization(std::string("NUMBER_VALUE can not be converted to ") + target));
        int64_t n = v.is_int() ? v.get_int() : static_cast<int64_t>(std::trunc(d));
        if (!v.is_int()) *out = Json(static_cast<long long>(n));  // AWS truncates 1.9 to 1
        CheckRange(s, static_cast<double>(n), std::to_string(n), path);
        return true;
      }
      case ShapeType::kFloat:
      case ShapeType::kDouble: {
        if (!v.is_number()) return Fail(ConversionError(v, s.type == ShapeType::kFloat ? "a Float" : "a Double"));
        double d = v.get_double();
        CheckRange(s, d, v.is_int() ? FormatDouble(d) : v.Dump(), path);
        return true;
      }
      case ShapeType::kBoolean:
        if (!v.is_bool()) return Fail(ConversionError(v, "a Boolean"));
        return true;
      case ShapeType::kTimestamp:  // epoch seconds in the JSON protocol
        if (!v.is_number()) return Fail(ConversionError(v, "a Date"));
        return true;
    }
    return true;
  }

  std::vector<std::string>& errors() { return errors_; }
  Status& serialization() { return serialization_; }

 private:
  bool Fail(Status s) {
    serialization_ = std::move(s);
    return false;
  }

  // value == nullptr: the value is not shown ("Value at 'x'"); AWS hides
  // sensitive members and values it cannot print.
  void Error(const Shape& s, const std::string_view* value, const std::string& path, const std::string& constraint) {
    std::string e = "Value ";
    if (value && !s.sensitive) {
      e += '\'';
      e += *value;
      e += "' ";
    }
    e += "at '";
    e += path;
    e += "' failed to satisfy constraint: ";
    e += constraint;
    errors_.push_back(std::move(e));
  }

  void CheckLength(const Shape& s, size_t len, const std::string_view* shown, const std::string& path) {
    if (s.min && static_cast<double>(len) < *s.min)
      Error(s, shown, path, "Member must have length greater than or equal to " + FormatBound(s, *s.min));
    if (s.max && static_cast<double>(len) > *s.max)
      Error(s, shown, path, "Member must have length less than or equal to " + FormatBound(s, *s.max));
  }

  void CheckRange(const Shape& s, double d, std::string_view shown, const std::string& path) {
    if (s.min && d < *s.min)
      Error(s, &shown, path, "Member must have value greater than or equal to " + FormatBound(s, *s.min));
    if (s.max && d > *s.max)
      Error(s, &shown, path, "Member must have value less than or equal to " + FormatBound(s, *s.max));
  }

  bool CheckStructure(const Shape& s, const Json& v, std::string& path, Json* out) {
    if (v.is_array()) return Fail(Serialization(std::string(kListNotExpected)));
    if (!v.is_object()) return Fail(Serialization("Expected null"));
    const size_t base = path.size();
    const auto& obj = v.get_object();
    // Members in model order, so the messages come in the model's order.
    // Replacements are rare; collected by key and applied below.
    std::vector<std::pair<const std::string*, Json>> replaced_members;
    for (const auto& m : s.members) {
      const Json* value = v.find(m.name);
      if (!value || value->is_null()) {  // null == absent
        if (m.required) {
          AppendPath(path, base, m.name);
          errors_.push_back("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
          path.resize(base);
        }
        continue;
      }
      AppendPath(path, base, m.name);
      Json child_out;
      bool replaced = false;
      bool ok = CheckChild(m.shape, *value, path, &child_out, &replaced);
      path.resize(base);
      if (!ok) return false;
      if (replaced) replaced_members.emplace_back(&m.name, std::move(child_out));
    }
    bool has_null = false;
    for (const auto& mem : obj) has_null |= mem.value.is_null();
    if (!has_null && replaced_members.empty()) return true;
    Json::Object rebuilt;  // document order kept; nulls dropped
    rebuilt.reserve(obj.size());
    for (const auto& mem : obj) {
      if (mem.value.is_null()) continue;
      const Json* value = &mem.value;
      for (auto& [name, repl] : replaced_members)
        if (*name == mem.key) value = &repl;
      rebuilt.push_back(Json::Member{mem.key, *value});
    }
    *out = Json(std::move(rebuilt));
    return true;
  }

  bool CheckList(const Shape& s, const Json& v, std::string& path, Json* out) {
    if (v.is_object()) return Fail(Serialization(std::string(kMapNotExpected)));
    if (!v.is_array()) return Fail(Serialization("Expected list or null"));
    const size_t base = path.size();
    const auto& arr = v.get_array();
    Json::Array rebuilt;
    bool changed = false;
    size_t index = 0;  // 1-based position among non-null elements, as AWS names them
    for (size_t i = 0; i < arr.size(); ++i) {
      const Json& e = arr[i];
      bool drop = e.is_null();  // AWS drops null elements
      Json child_out;
      bool replaced = false;
      if (!drop) {
        ++index;
        path += '.';
        path += std::to_string(index);
        path += ".member";
        bool ok = CheckChild(s.member, e, path, &child_out, &replaced);
        path.resize(base);
        if (!ok) return false;
      }
      if ((drop || replaced) && !changed) {
        changed = true;
        rebuilt.assign(arr.begin(), arr.begin() + static_cast<std::ptrdiff_t>(i));
      }
      if (changed && !drop) rebuilt.push_back(replaced ? std::move(child_out) : e);
    }
    const size_t count = changed ? rebuilt.size() : arr.size();
    std::string shown = ListText(changed ? rebuilt : arr);
    std::string_view shown_view = shown;
    CheckLength(s, count, shown.empty() ? nullptr : &shown_view, path);
    if (changed) *out = Json(std::move(rebuilt));
    return true;
  }

  bool CheckMap(const Shape& s, const Json& v, std::string& path, Json* out) {
    if (v.is_array()) return Fail(Serialization(std::string(kListNotExpected)));
    if (!v.is_object()) return Fail(Serialization("Expected null"));
    const size_t base = path.size();
    for (const auto& [key, value] : v.get_object()) {
      AppendPath(path, base, key);
      Json key_json(key);
      Json ignored;
      bool replaced = false;
      bool ok = Check(s.key, key_json, path, &ignored);
      if (ok && !value.is_null()) ok = CheckChild(s.value, value, path, &ignored, &replaced);
      path.resize(base);
      if (!ok) return false;
    }
    CheckLength(s, v.size(), nullptr, path);
    (void)out;  // request maps are not normalized (none in the Step Functions inputs)
    return true;
  }

  // `out` starts null; a checker that changes the value assigns it (a null is
  // never a valid replacement, so it means "unchanged").
  bool CheckChild(int si, const Json& v, std::string& path, Json* out, bool* replaced) {
    *out = Json();
    bool ok = Check(si, v, path, out);
    *replaced = ok && !out->is_null();
    return ok;
  }

  static void AppendPath(std::string& path, size_t base, std::string_view key) {
    path.resize(base);
    if (base) path += '.';
    path += key;
  }

  // Java's List.toString for lists of strings and numbers ("[a, b]"); empty
  // when an element has no short text form (structures).
  static std::string ListText(const Json::Array& arr) {
    std::string t = "[";
    for (size_t i = 0; i < arr.size(); ++i) {
      if (i) t += ", ";
      const Json& e = arr[i];
      if (e.is_string()) t += e.get_string();
      else if (e.is_number() || e.is_bool()) t += e.Dump();
      else return {};
    }
    t += ']';
    return t;
  }

  const ServiceModel& m_;
  std::vector<std::string> errors_;
  Status serialization_;
};

}  // namespace

size_t Utf16Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    n += c >= 0xF0 ? 2 : 1;            // 4-byte sequences are surrogate pairs
  }
  return n;
}

Result<Json> ValidateInput(const ServiceModel& model, int shape, Json request) {
  // Top level: AWS wants an object; other values fail to deserialize.
  if (request.is_array()) return Serialization(std::string(kListNotExpected));
  if (!request.is_object()) return Status::Error("SerializationException", "");
  if (shape < 0) return request;
  Checker c(model);
  std::string path;
  path.reserve(64);
  Json out;
  if (!c.Check(shape, request, path, &out)) return c.serialization();
  auto& errors = c.errors();
  if (!errors.empty()) {
    std::string msg = std::to_string(errors.size());
    msg += errors.size() == 1 ? " validation error detected: " : " validation errors detected: ";
    for (size_t i = 0; i < errors.size(); ++i) {
      if (i) msg += "; ";
      msg += errors[i];
    }
    return Status::Error("ValidationException", std::move(msg));
  }
  if (!out.is_null()) return out;
  return request;
}

}  // namespace stepline::api::aws_json

// Shared checks used by several validation rules.

#include <cmath>
#include <string>

#include "asl/validate/rules.h"
#include "expr/intrinsics/intrinsic.h"
#include "expr/jsonata/jsonata.h"
#include "expr/jsonpath/path.h"

namespace stepline::asl::validate_internal {

namespace {
constexpr int kMaxValueDepth = 512;  // nesting inside one field value

const char* TypeWord(Json::Type t) {
  switch (t) {
    case Json::Type::kString: return "STRING";
    case Json::Type::kBool: return "BOOLEAN";
    case Json::Type::kInt: return "INTEGER";
    case Json::Type::kDouble: return "NUMBER";
    case Json::Type::kArray: return "ARRAY";
    case Json::Type::kObject: return "OBJECT";
    case Json::Type::kNull: return "NULL";
  }
  return "UNKNOWN";
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

std::string Join(std::string_view location, std::string_view field) {
  std::string out(location);
  out += '/';
  out += field;
  return out;
}

std::string Index(std::string_view location, std::string_view field, size_t i) {
  std::string out = Join(location, field);
  out += '[';
  out += std::to_string(i);
  out += ']';
  return out;
}

bool IsJsonataString(const Json& v) {
  if (!v.is_string()) return false;
  std::string_view s = v.get_string();
  return s.size() >= 4 && s.compare(0, 2, "{%") == 0 && EndsWith(s, "%}");
}

void ExpectType(const Json& value, Json::Type want, const std::string& location, Sink& sink) {
  bool ok = value.type() == want ||
            (want == Json::Type::kDouble && value.is_number()) ||
            (want == Json::Type::kInt && value.is_double() && value.is_integral());
  if (!ok) sink.Schema(std::string("Expected value of type [") + TypeWord(want) + "]", location);
}

bool CheckString(const Json& obj, std::string_view field, const std::string& loc, Sink& sink) {
  const Json* v = obj.find(field);
  if (v == nullptr) return false;
  if (!v->is_string()) {
    sink.Schema("Expected value of type [STRING]", Join(loc, field));
    return false;
  }
  return true;
}

void CheckInteger(const Json& obj, std::string_view field, int64_t min, int64_t max,
                  const std::string& loc, bool allow_jsonata, Sink& sink) {
  const Json* v = obj.find(field);
  if (v == nullptr) return;
  std::string at = Join(loc, field);
  if (allow_jsonata && v->is_string()) {
    if (IsJsonataString(*v)) {
      CheckJsonataValue(*v, at, sink);
    } else {
      sink.Schema("JSONata string must start with {% and end with %}", at);
    }
    return;
  }
  if (!v->is_number() || !v->is_integral()) {
    sink.Schema("Expected value of type [INTEGER]", at);
    return;
  }
  double d = v->get_double();
  if (d < static_cast<double>(min)) {
    sink.Schema("Minimum value is " + std::to_string(min), at);
  } else if (d > static_cast<double>(max)) {
    sink.Schema("Maximum value is " + std::to_string(max), at);
  }
}

void CheckNumber(const Json& obj, std::string_view field, double min, double max,
                 const std::string& loc, bool allow_jsonata, Sink& sink) {
  const Json* v = obj.find(field);
  if (v == nullptr) return;
  std::string at = Join(loc, field);
  if (allow_jsonata && v->is_string()) {
    if (IsJsonataString(*v)) {
      CheckJsonataValue(*v, at, sink);
    } else {
      sink.Schema("JSONata string must start with {% and end with %}", at);
    }
    return;
  }
  if (!v->is_number()) {
    sink.Schema("Expected value of type [NUMBER]", at);
    return;
  }
  double d = v->get_double();
  auto fmt = [](double x) {
    std::string s;
    AppendJsonDouble(s, x);
    return s;
  };
  if (d < min) {
    sink.Schema("Minimum value is " + fmt(min), at);
  } else if (d > max) {
    sink.Schema("Maximum value is " + fmt(max), at);
  }
}

bool CheckPath(const Json& value, std::string_view field, const std::string& location,
               bool reference, bool allow_context_and_vars, Sink& sink) {
  if (!value.is_string()) {
    sink.Schema("Expected value of type [STRING]", location);
    return false;
  }
  auto path = expr::Path::Compile(value.get_string());
  if (!path.ok()) {
    if (reference) {
      sink.Schema("Value is not a Reference Path: " + path.status().message(), location);
    } else {
      sink.Schema("The value for the field '" + std::string(field) + "' must be a valid JSONPath",
                  location);
    }
    return false;
  }
  if (reference && !path->is_definite()) {
    sink.Schema("Value is not a Reference Path: Reference paths must select a single value "
                "(no wildcards, filters, slices, unions or '..')",
                location);
    return false;
  }
  if (!allow_context_and_vars && path->root() != expr::Path::Root::kInput) {
    sink.Schema("The value for the field '" + std::string(field) + "' must be a valid JSONPath",
                location);
    return false;
  }
  return true;
}

void CheckPayloadTemplate(const Json& tmpl, const std::string& location, Sink& sink, int depth) {
  if (depth > kMaxValueDepth) return;
  if (tmpl.is_array()) {
    for (const Json& e : tmpl.get_array()) CheckPayloadTemplate(e, location, sink, depth + 1);
    return;
  }
  if (!tmpl.is_object()) return;
  for (const auto& m : tmpl.get_object()) {
    if (EndsWith(m.key, ".$")) {
      bool ok = false;
      if (m.value.is_string()) {
        std::string_view text = m.value.get_string();
        if (expr::IntrinsicCall::LooksLikeCall(text)) {
          ok = expr::IntrinsicCall::Compile(text).ok();
        } else {
          ok = expr::Path::Compile(text).ok();
        }
      }
      if (!ok) {
        sink.Schema("The value for the field '" + m.key +
                        "' must be a valid JSONPath or a valid intrinsic function call",
                    location);
      }
    } else {
      CheckPayloadTemplate(m.value, location, sink, depth + 1);
    }
  }
}

void CheckJsonataValue(const Json& value, const std::string& location, Sink& sink, int depth) {
  if (depth > kMaxValueDepth) return;
  if (value.is_array()) {
    for (const Json& e : value.get_array()) CheckJsonataValue(e, location, sink, depth + 1);
    return;
  }
  if (value.is_object()) {
    for (const auto& m : value.get_object()) CheckJsonataValue(m.value, location, sink, depth + 1);
    return;
  }
  if (!value.is_string()) return;
  std::string_view s = value.get_string();
  if (s.compare(0, 2, "{%") != 0) return;  // a literal string
  if (!IsJsonataString(value)) {
    sink.Schema("JSONata string must start with {% and end with %}", location);
    return;
  }
  std::string_view body(s);
  body = body.substr(2, body.size() - 4);
  auto expr = jsonata::Expression::Compile(body);
  if (!expr.ok()) {
    sink.Error("INVALID_JSONATA_EXPRESSION", expr.status().message(), location);
  }
}

void CheckExclusive(const Json& obj, std::initializer_list<std::string_view> fields,
                    const std::string& loc, Sink& sink) {
  // Reported at the first field present, as AWS locates MaxConcurrency +
  // MaxConcurrencyPath at /States/M/MaxConcurrency.
  std::string_view first;
  for (std::string_view f : fields) {
    if (obj.find(f) == nullptr) continue;
    if (first.empty()) {
      first = f;
    } else {
      sink.Schema("Fields '" + std::string(first) + "' and '" + std::string(f) +
                      "' are mutually exclusive",
                  Join(loc, first));
    }
  }
}

}  // namespace stepline::asl::validate_internal

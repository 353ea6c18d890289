#include "history/codec.h"

#include <string_view>
#include <type_traits>

namespace stepline::history {

namespace {

// The encoding's members, in order, written once for both encoders below:
// put(key, v) with v a std::string_view, an int64_t or a const Json&.
template <typename Put>
void ForEachMember(const Event& e, Put&& put) {
  put("t", std::string_view(EventTypeName(e.type)));
  put("id", e.id);
  put("p", e.previous_id);
  put("ts", e.timestamp);
  if (!e.name.empty()) put("n", std::string_view(e.name));
  if (e.has_data) put("d", e.data);
  if (e.has_error) put("e", std::string_view(e.error));
  if (e.has_cause) put("c", std::string_view(e.cause));
  if (e.index >= 0) put("i", e.index);
  if (e.timeout_s >= 0) put("to", e.timeout_s);
  if (e.heartbeat_s >= 0) put("hb", e.heartbeat_s);
  if (!e.resource_type.empty()) put("rt", std::string_view(e.resource_type));
  if (!e.resource.empty()) put("r", std::string_view(e.resource));
  if (!e.extra.empty()) put("x", std::string_view(e.extra));
  if (!e.extra2.empty()) put("x2", std::string_view(e.extra2));
  if (!e.assigned.is_null()) put("av", e.assigned);
}

}  // namespace

Json EncodeEvent(const Event& e) {
  Json j = Json::EmptyObject();
  ForEachMember(e, [&](const char* key, const auto& v) { j.Set(key, Json(v)); });
  return j;
}

void AppendEncodedEvent(std::string& out, const Event& e) {
  char sep = '{';
  ForEachMember(e, [&](const char* key, const auto& v) {
    out += sep;
    sep = ',';
    AppendJsonString(out, key);
    out += ':';
    using V = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<V, std::string_view>) {
      AppendJsonString(out, v);
    } else if constexpr (std::is_same_v<V, Json>) {
      v.DumpTo(out);
    } else {
      out += std::to_string(v);
    }
  });
  out += '}';
}

Result<Event> DecodeEvent(const Json& j) {
  Event e;
  const Json* t = j.find("t");
  if (!t || !t->is_string()) return Status::Error("InvalidSnapshot", "event without type");
  auto type = EventTypeFromName(t->get_string());
  if (!type) return Status::Error("InvalidSnapshot", "unknown event type " + t->str());
  e.type = *type;
  auto num = [&](const char* k, int64_t def) {
    const Json* v = j.find(k);
    return v && v->is_number() ? v->get_int() : def;
  };
  auto str = [&](const char* k, std::string& out) {
    const Json* v = j.find(k);
    if (v && v->is_string()) {
      out = v->get_string();
      return true;
    }
    return false;
  };
  e.id = num("id", 0);
  e.previous_id = num("p", 0);
  e.timestamp = num("ts", 0);
  str("n", e.name);
  if (const Json* d = j.find("d")) {
    e.data = *d;
    e.has_data = true;
  }
  e.has_error = str("e", e.error);
  e.has_cause = str("c", e.cause);
  e.index = num("i", -1);
  e.timeout_s = num("to", -1);
  e.heartbeat_s = num("hb", -1);
  str("rt", e.resource_type);
  str("r", e.resource);
  str("x", e.extra);
  str("x2", e.extra2);
  if (const Json* a = j.find("av")) e.assigned = *a;
  return e;
}

}  // namespace stepline::history

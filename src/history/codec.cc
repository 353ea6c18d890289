#include "history/codec.h"

namespace stepline::history {

Json EncodeEvent(const Event& e) {
  Json j = Json::EmptyObject();
  j.Set("t", EventTypeName(e.type));
  j.Set("id", e.id);
  j.Set("p", e.previous_id);
  j.Set("ts", e.timestamp);
  if (!e.name.empty()) j.Set("n", e.name);
  if (e.has_data) j.Set("d", e.data);
  if (e.has_error) j.Set("e", e.error);
  if (e.has_cause) j.Set("c", e.cause);
  if (e.index >= 0) j.Set("i", e.index);
  if (e.timeout_s >= 0) j.Set("to", e.timeout_s);
  if (e.heartbeat_s >= 0) j.Set("hb", e.heartbeat_s);
  if (!e.resource_type.empty()) j.Set("rt", e.resource_type);
  if (!e.resource.empty()) j.Set("r", e.resource);
  if (!e.extra.empty()) j.Set("x", e.extra);
  if (!e.extra2.empty()) j.Set("x2", e.extra2);
  if (!e.assigned.is_null()) j.Set("av", e.assigned);
  return j;
}

void AppendEncodedEvent(std::string& out, const Event& e) {
  // Same members in the same order as EncodeEvent (a test compares them).
  auto key = [&](const char* k) {
    out += ",\"";
    out += k;
    out += "\":";
  };
  auto str = [&](const char* k, std::string_view v) {
    key(k);
    AppendJsonString(out, v);
  };
  auto num = [&](const char* k, int64_t v) {
    key(k);
    out += std::to_string(v);
  };
  out += "{\"t\":";
  AppendJsonString(out, EventTypeName(e.type));
  num("id", e.id);
  num("p", e.previous_id);
  num("ts", e.timestamp);
  if (!e.name.empty()) str("n", e.name);
  if (e.has_data) {
    key("d");
    e.data.DumpTo(out);
  }
  if (e.has_error) str("e", e.error);
  if (e.has_cause) str("c", e.cause);
  if (e.index >= 0) num("i", e.index);
  if (e.timeout_s >= 0) num("to", e.timeout_s);
  if (e.heartbeat_s >= 0) num("hb", e.heartbeat_s);
  if (!e.resource_type.empty()) str("rt", e.resource_type);
  if (!e.resource.empty()) str("r", e.resource);
  if (!e.extra.empty()) str("x", e.extra);
  if (!e.extra2.empty()) str("x2", e.extra2);
  if (!e.assigned.is_null()) {
    key("av");
    e.assigned.DumpTo(out);
  }
  out += '}';
}

Result<Event> DecodeEvent(const Json& j) {
  Event e;
  const Json* t = j.find("t");
  if (!t || !t->is_string()) return Status::Error("InvalidSnapshot", "event without type");
  auto type = EventTypeFromName(t->get_string());
  if (!type) return Status::Error("InvalidSnapshot", "unknown event type " + t->get_string());
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

#pragma once
// Builders shared by the store tests and the store benchmark.

#include <string>

#include "history/event.h"
#include "store/store.h"

namespace stepline::store::testing {

inline history::Event MakeEvent(int64_t id, history::EventType type = history::EventType::kPassStateEntered) {
  history::Event e;
  e.type = type;
  e.id = id;
  e.previous_id = id - 1;
  e.timestamp = 1000 + id;
  e.name = "State" + std::to_string(id);
  e.data = Json(Json::Object{{"step", Json(id)}});
  e.has_data = true;
  return e;
}

inline ExecutionRow MakeRow(const std::string& arn, const std::string& sm, Micros start,
                            const std::string& status = "RUNNING") {
  ExecutionRow r;
  r.arn = arn;
  r.state_machine_arn = sm;
  r.name = arn.substr(arn.rfind(':') + 1);
  r.type = "STANDARD";
  r.status = status;
  r.start = start;
  r.doc = Json(Json::Object{{"input", Json("{\"k\":1}")}});
  r.snapshot = Json(Json::Object{{"pc", Json(0)}});
  return r;
}

inline TimerRow MakeTimer(uint64_t id, Micros due) {
  TimerRow t;
  t.id = id;
  t.due = due;
  t.data = Json(Json::Object{{"kind", Json(2)}});
  return t;
}

inline TaskRow MakeTask(uint64_t id, const std::string& token, const std::string& activity = "", Micros created = 0) {
  TaskRow t;
  t.id = id;
  t.token = token;
  t.activity_arn = activity;
  t.created = created;
  t.request = Json(Json::Object{{"resource", Json("arn:aws:states:::activity")}, {"id", Json(id)}});
  return t;
}

}  // namespace stepline::store::testing

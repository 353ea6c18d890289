#pragma once
// Shared helpers of the operation handlers (ops_*.cc).

#include <fmt/format.h>

#include <map>
#include <string>

#include "service/engine.h"
#include "service/operations.h"

namespace stepline::service::ops {

using HandlerFn = void (*)(Engine& engine, const Json& req, Reply done);
// An operation's handler. It runs on an engine worker: an HTTP I/O thread must
// never wait for a durable write. An `on_caller` handler runs on the calling
// thread instead and hands to a worker itself whatever may wait (starts: see
// Engine::StartExecution), saving two thread hand-offs per request.
struct Handler {
  Handler() = default;
  Handler(HandlerFn f, bool caller = false) : fn(f), on_caller(caller) {}  // NOLINT: a function is a worker handler
  HandlerFn fn = nullptr;
  bool on_caller = false;
};
// Registers every handler of one resource family into `table`.
void RegisterStateMachineOps(std::map<std::string, Handler>& table);
void RegisterExecutionOps(std::map<std::string, Handler>& table);
void RegisterActivityOps(std::map<std::string, Handler>& table);
void RegisterTagOps(std::map<std::string, Handler>& table);
void RegisterMiscOps(std::map<std::string, Handler>& table);

inline Status Err(const char* code, std::string message) { return Status::Error(code, std::move(message)); }

// Request accessors: the API layer has validated types against the model.
inline std::string Str(const Json& req, const char* key, std::string def = "") {
  const Json* v = req.find(key);
  return v && v->is_string() ? v->str() : def;
}
inline bool Has(const Json& req, const char* key) {
  const Json* v = req.find(key);
  return v && !v->is_null();
}
inline int64_t Int(const Json& req, const char* key, int64_t def) {
  const Json* v = req.find(key);
  return v && v->is_number() ? v->get_int() : def;
}
inline bool Bool(const Json& req, const char* key, bool def) {
  const Json* v = req.find(key);
  return v && v->is_bool() ? v->get_bool() : def;
}
// AWS JSON timestamps: epoch seconds with a fraction.
inline Json Epoch(Micros t) { return Json(static_cast<double>(t / 1000) / 1000.0); }

// Opaque pagination tokens, as the store returns them, passed through.
inline size_t MaxResults(const Json& req, size_t def = 100) {
  int64_t m = Int(req, "maxResults", 0);
  return m <= 0 ? def : static_cast<size_t>(std::min<int64_t>(m, 1000));
}

// Maps store errors onto AWS's.
Status FromStore(const Status& st, const char* not_found_code, const std::string& what);
// AWS's answer for an ARN of the wrong shape or resource type.
inline Status BadArn(const std::string& arn) {
  return Err("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + arn + "'");
}

}  // namespace stepline::service::ops

// Rule: the JSONPath data-flow paths of a JSONPath state compile.
// InputPath/OutputPath: any path (or null). ResultPath: a reference path into
// the input (or null). ItemsPath and the *Path value fields: reference paths,
// which may start at $, $$ or a $variable. ErrorPath/CausePath may also be an
// intrinsic function call.

#include "asl/validate/rules.h"
#include "expr/intrinsics/intrinsic.h"

namespace stepline::asl::validate_internal {

void CheckDataPaths(const StateCtx& s, Sink& sink) {
  if (s.ql != QueryLanguage::kJsonPath) return;  // those fields are reported by the language rule
  const Json& st = *s.state;
  for (const char* f : {"InputPath", "OutputPath"}) {
    const Json* v = st.find(f);
    if (v != nullptr && !v->is_null()) CheckPath(*v, f, Join(s.location, f), false, true, sink);
  }
  if (const Json* v = st.find("ResultPath"); v != nullptr && !v->is_null()) {
    CheckPath(*v, "ResultPath", Join(s.location, "ResultPath"), true, false, sink);
  }
  for (const char* f : {"ItemsPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath",
                        "TimestampPath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath",
                        "ToleratedFailureCountPath"}) {
    const Json* v = st.find(f);
    if (v != nullptr) CheckPath(*v, f, Join(s.location, f), true, true, sink);
  }
  for (const char* f : {"ErrorPath", "CausePath"}) {
    const Json* v = st.find(f);
    if (v == nullptr) continue;
    if (v->is_string() && expr::IntrinsicCall::LooksLikeCall(v->get_string())) {
      auto call = expr::IntrinsicCall::Compile(v->get_string());
      if (!call.ok()) {
        sink.Schema("The value for the field '" + std::string(f) +
                        "' must be a valid JSONPath or a valid intrinsic function call",
                    Join(s.location, f));
      }
    } else {
      CheckPath(*v, f, Join(s.location, f), true, true, sink);
    }
  }
}

}  // namespace stepline::asl::validate_internal

// Rule: Retry is an array of retriers with AWS's field ranges:
// IntervalSeconds >= 1, MaxAttempts >= 0, BackoffRate >= 1.0,
// MaxDelaySeconds >= 1, JitterStrategy FULL|NONE. ErrorEquals is the
// error-names rule's business.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckRetry(const StateCtx& s, Sink& sink) {
  const Json* retry = s.state->find("Retry");
  if (retry == nullptr) return;
  std::string loc = Join(s.location, "Retry");
  if (!retry->is_array()) {
    sink.Schema("Expected value of type [ARRAY]", loc);
    return;
  }
  for (size_t i = 0; i < retry->size(); ++i) {
    const Json& r = (*retry)[i];
    std::string at = Index(s.location, "Retry", i);
    if (!r.is_object()) {
      sink.Schema("Expected value of type [OBJECT]", at);
      continue;
    }
    for (const auto& m : r.get_object()) {
      const std::string& k = m.key;
      if (k == "ErrorEquals" || k == "IntervalSeconds" || k == "MaxAttempts" || k == "BackoffRate" ||
          k == "MaxDelaySeconds" || k == "JitterStrategy") {
        continue;
      }
      if (k == "Comment") {
        if (!m.value.is_string()) sink.Schema("Expected value of type [STRING]", Join(at, k));
        continue;
      }
      sink.Schema("Field '" + k + "' is not supported", at);
    }
    if (r.find("ErrorEquals") == nullptr) sink.Schema("These fields are required: [ErrorEquals]", at);
    CheckInteger(r, "IntervalSeconds", 1, kMaxSeconds, at, false, sink);
    CheckInteger(r, "MaxAttempts", 0, kMaxSeconds, at, false, sink);
    CheckInteger(r, "MaxDelaySeconds", 1, 31'622'400, at, false, sink);
    CheckNumber(r, "BackoffRate", 1.0, 1e9, at, false, sink);
    if (const Json* j = r.find("JitterStrategy"); j != nullptr) {
      if (!j->is_string()) {
        sink.Schema("Expected value of type [STRING]", Join(at, "JitterStrategy"));
      } else if (j->get_string() != "FULL" && j->get_string() != "NONE") {
        sink.Schema("Value should be one of the following: [FULL, NONE]", Join(at, "JitterStrategy"));
      }
    }
  }
}

}  // namespace stepline::asl::validate_internal

// Rule: a Wait state has exactly one of Seconds, SecondsPath, Timestamp and
// TimestampPath; Seconds is a non-negative integer and Timestamp an ISO-8601
// date-time (or a "{% %}" expression in JSONata).

#include "asl/validate/rules.h"
#include "base/time.h"

namespace stepline::asl::validate_internal {

void CheckWait(const StateCtx& s, Sink& sink) {
  const Json& st = *s.state;
  bool jsonata = s.ql == QueryLanguage::kJsonata;
  int count = 0;
  for (const char* f : {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"}) count += st.find(f) != nullptr;
  if (count == 0) {
    sink.Schema("Exactly one of the fields [Seconds, SecondsPath, Timestamp, TimestampPath] is required",
                s.location);
  } else if (count > 1) {
    sink.Schema("Only one of the fields [Seconds, SecondsPath, Timestamp, TimestampPath] may be set",
                s.location);
  }
  CheckInteger(st, "Seconds", 0, kMaxSeconds, s.location, jsonata, sink);
  if (const Json* ts = st.find("Timestamp"); ts != nullptr) {
    std::string at = Join(s.location, "Timestamp");
    if (!ts->is_string()) {
      sink.Schema("Expected value of type [STRING]", at);
    } else if (jsonata && ts->get_string().rfind("{%", 0) == 0) {
      CheckJsonataValue(*ts, at, sink);
    } else if (!ParseIsoTimestamp(ts->get_string())) {
      sink.Schema("The value for the field 'Timestamp' must be a valid ISO-8601 timestamp", at);
    }
  }
}

}  // namespace stepline::asl::validate_internal

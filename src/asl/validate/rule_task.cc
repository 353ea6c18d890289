// Rule: Task fields. Resource is a required ARN; TimeoutSeconds and
// HeartbeatSeconds are positive (a "{% %}" expression in JSONata), exclusive
// with their *Path twins, and a literal heartbeat is below a literal timeout.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

namespace {

bool LooksLikeArn(const std::string& s) {
  if (s.rfind("arn:", 0) != 0) return false;
  int colons = 0;
  for (char c : s) colons += c == ':';
  return colons >= 5;
}

}  // namespace

void CheckTask(const StateCtx& s, Sink& sink) {
  const Json& st = *s.state;
  bool jsonata = s.ql == QueryLanguage::kJsonata;
  const Json* res = st.find("Resource");
  if (res == nullptr) {
    sink.Schema("These fields are required: [Resource]", s.location);
  } else if (!res->is_string()) {
    sink.Schema("Expected value of type [STRING]", Join(s.location, "Resource"));
  } else if (!LooksLikeArn(res->str())) {
    sink.Error("INVALID_RESOURCE", "Resource must be a valid ARN: '" + res->str() + "'",
               Join(s.location, "Resource"));
  }
  CheckExclusive(st, {"TimeoutSeconds", "TimeoutSecondsPath"}, s.location, sink);
  CheckExclusive(st, {"HeartbeatSeconds", "HeartbeatSecondsPath"}, s.location, sink);
  CheckInteger(st, "TimeoutSeconds", 1, kMaxSeconds, s.location, jsonata, sink);
  CheckInteger(st, "HeartbeatSeconds", 1, kMaxSeconds, s.location, jsonata, sink);
  const Json* t = st.find("TimeoutSeconds");
  const Json* h = st.find("HeartbeatSeconds");
  if (t != nullptr && h != nullptr && t->is_number() && h->is_number() &&
      h->get_double() >= t->get_double()) {
    sink.Schema("HeartbeatSeconds must be smaller than TimeoutSeconds", Join(s.location, "HeartbeatSeconds"));
  }
  if (const Json* c = st.find("Credentials"); c != nullptr) {
    std::string at = Join(s.location, "Credentials");
    if (!c->is_object() && !(jsonata && IsJsonataString(*c))) {
      sink.Schema("Expected value of type [OBJECT]", at);
    } else if (jsonata) {
      CheckJsonataValue(*c, at, sink);
    } else {
      CheckPayloadTemplate(*c, at, sink);
    }
  }
}

}  // namespace stepline::asl::validate_internal

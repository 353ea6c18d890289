// Rule: a Fail state's Error/ErrorPath and Cause/CausePath are exclusive pairs
// of strings (JSONata: the strings may be "{% %}" expressions).

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckFail(const StateCtx& s, Sink& sink) {
  const Json& st = *s.state;
  CheckExclusive(st, {"Error", "ErrorPath"}, s.location, sink);
  CheckExclusive(st, {"Cause", "CausePath"}, s.location, sink);
  for (const char* f : {"Error", "Cause"}) {
    const Json* v = st.find(f);
    if (v == nullptr) continue;
    if (!v->is_string()) {
      sink.Schema("Expected value of type [STRING]", Join(s.location, f));
    } else if (s.ql == QueryLanguage::kJsonata) {
      CheckJsonataValue(*v, Join(s.location, f), sink);
    }
  }
}

}  // namespace stepline::asl::validate_internal

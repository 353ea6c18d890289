// Rule: a Pass state's Result is static JSON. A key ending in ".$" inside it
// is not evaluated (AWS keeps it verbatim, as the recorded choice cases show),
// which AWS flags with the PASS_RESULT_IS_STATIC warning.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

namespace {

bool HasDollarKey(const Json& v, int depth) {
  if (depth > 512) return false;
  if (v.is_array()) {
    for (const Json& e : v.get_array()) {
      if (HasDollarKey(e, depth + 1)) return true;
    }
  } else if (v.is_object()) {
    for (const auto& m : v.get_object()) {
      if (m.key.size() >= 2 && m.key.compare(m.key.size() - 2, 2, ".$") == 0) return true;
      if (HasDollarKey(m.value, depth + 1)) return true;
    }
  }
  return false;
}

}  // namespace

void CheckPass(const StateCtx& s, Sink& sink) {
  if (s.ql != QueryLanguage::kJsonPath) return;
  const Json* r = s.state->find("Result");
  if (r != nullptr && HasDollarKey(*r, 0)) {
    sink.Warning("PASS_RESULT_IS_STATIC",
                 "Attempt to use a path in the result of a pass state: keys ending in '.$' are "
                 "not evaluated in Result",
                 Join(s.location, "Result"));
  }
}

}  // namespace stepline::asl::validate_internal

// Rule: JSONPath payload templates (Parameters, ResultSelector, ItemSelector):
// each "key.$" value is a path or an intrinsic call.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckTemplates(const StateCtx& s, Sink& sink) {
  const Json& st = *s.state;
  if (s.ql == QueryLanguage::kJsonPath) {
    for (const char* f : {"Parameters", "ResultSelector"}) {
      const Json* v = st.find(f);
      if (v == nullptr) continue;
      if (s.type != "Pass" && !v->is_object()) {
        sink.Schema("Expected value of type [OBJECT]", Join(s.location, f));
        continue;
      }
      CheckPayloadTemplate(*v, Join(s.location, f), sink);
    }
    if (const Json* v = st.find("ItemSelector"); v != nullptr) {
      if (!v->is_object()) {
        sink.Schema("Expected value of type [OBJECT]", Join(s.location, "ItemSelector"));
      } else {
        CheckPayloadTemplate(*v, Join(s.location, "ItemSelector"), sink);
      }
    }
  }
}

}  // namespace stepline::asl::validate_internal

// Rule: Assign (workflow variables) is an object of variable names. In a
// JSONPath state "name.$" values are paths or intrinsic calls; in a JSONata
// state values may hold "{% %}" expressions. Choice rules and catchers carry
// their own Assign, checked with CheckAssignObject by those rules.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

namespace {

bool ValidVariableName(std::string_view name) {
  if (name.empty() || name.size() > 80) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
    bool digit = c >= '0' && c <= '9';
    if (!(letter || (i > 0 && digit))) return false;
  }
  return true;
}

}  // namespace

void CheckAssignObject(const Json& assign, QueryLanguage ql, const std::string& loc, Sink& sink) {
  if (!assign.is_object()) {
    sink.Schema("Expected value of type [OBJECT]", loc);
    return;
  }
  for (const auto& m : assign.get_object()) {
    std::string_view name = m.key;
    if (ql == QueryLanguage::kJsonPath && name.size() >= 2 && name.substr(name.size() - 2) == ".$") {
      name.remove_suffix(2);
    }
    if (!ValidVariableName(name)) {
      sink.Schema("Invalid variable name '" + m.key + "'", loc);
    }
  }
  if (ql == QueryLanguage::kJsonPath) {
    CheckPayloadTemplate(assign, loc, sink);
  } else {
    CheckJsonataValue(assign, loc, sink);
  }
}

void CheckAssign(const StateCtx& s, Sink& sink) {
  const Json* a = s.state->find("Assign");
  if (a == nullptr) return;
  CheckAssignObject(*a, s.ql, Join(s.location, "Assign"), sink);
}

}  // namespace stepline::asl::validate_internal

// Rule: every transition names a state of the same container. AWS reports all
// of them (StartAt, Next, Default, Choices[].Next, Catch[].Next) with the word
// 'Next': "Missing 'Next' target: X" at the field's location.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

namespace {

void Target(const Json& states, const Json* v, const std::string& loc, Sink& sink) {
  if (v == nullptr || !v->is_string()) return;  // type errors are other rules' business
  if (states.find(v->get_string()) == nullptr) {
    sink.Error("MISSING_TRANSITION_TARGET", "Missing 'Next' target: " + v->str(), loc);
  }
}

}  // namespace

void CheckTransitions(const ContainerCtx& c, Sink& sink) {
  const Json* states = c.container->find("States");
  if (states == nullptr || !states->is_object()) return;
  Target(*states, c.container->find("StartAt"), Join(c.location, "StartAt"), sink);
  for (const auto& m : states->get_object()) {
    const Json& s = m.value;
    if (!s.is_object()) continue;
    std::string loc = Join(Join(c.location, "States"), m.key);
    Target(*states, s.find("Next"), Join(loc, "Next"), sink);
    Target(*states, s.find("Default"), Join(loc, "Default"), sink);
    if (const Json* choices = s.find("Choices"); choices != nullptr && choices->is_array()) {
      for (size_t i = 0; i < choices->size(); ++i) {
        const Json& rule = (*choices)[i];
        if (rule.is_object()) Target(*states, rule.find("Next"), Join(Index(loc, "Choices", i), "Next"), sink);
      }
    }
    if (const Json* catches = s.find("Catch"); catches != nullptr && catches->is_array()) {
      for (size_t i = 0; i < catches->size(); ++i) {
        const Json& catcher = (*catches)[i];
        if (catcher.is_object()) Target(*states, catcher.find("Next"), Join(Index(loc, "Catch", i), "Next"), sink);
      }
    }
  }
}

}  // namespace stepline::asl::validate_internal

// Rule: every state of a container is reachable from its StartAt, and the
// machine has a terminal state. Measured on AWS: MISSING_END_STATE ("Workflow
// has no terminal state", no location) is checked on the top-level container
// only, is about the presence of a terminal state (reachable or not), and when
// it fires the unreachable-state walk of that container is not reported.

#include <string>
#include <unordered_set>
#include <vector>

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

namespace {

bool IsTerminal(const Json& s) {
  if (!s.is_object()) return false;
  const Json* t = s.find("Type");
  if (t != nullptr && t->is_string() && (t->get_string() == "Succeed" || t->get_string() == "Fail")) {
    return true;
  }
  const Json* end = s.find("End");
  return end != nullptr && end->is_bool() && end->get_bool();
}

void Successors(const Json& s, std::vector<std::string>& out) {
  if (!s.is_object()) return;
  auto add = [&out](const Json* v) {
    if (v != nullptr && v->is_string()) out.push_back(v->str());
  };
  add(s.find("Next"));
  add(s.find("Default"));
  for (const char* list : {"Choices", "Catch"}) {
    const Json* arr = s.find(list);
    if (arr == nullptr || !arr->is_array()) continue;
    for (const Json& e : arr->get_array()) {
      if (e.is_object()) add(e.find("Next"));
    }
  }
}

}  // namespace

void CheckReachability(const ContainerCtx& c, Sink& sink) {
  const Json* states = c.container->find("States");
  if (states == nullptr || !states->is_object() || states->size() == 0) return;

  if (c.kind == ContainerCtx::Kind::kMachine) {
    bool any_terminal = false;
    for (const auto& m : states->get_object()) any_terminal = any_terminal || IsTerminal(m.value);
    if (!any_terminal) {
      sink.Error("MISSING_END_STATE", "Workflow has no terminal state", "");
      return;
    }
  }

  const Json* start = c.container->find("StartAt");
  if (start == nullptr || !start->is_string()) return;  // reported by the container rule
  std::unordered_set<std::string> seen;
  std::vector<std::string> work;
  if (states->find(start->str()) != nullptr) work.push_back(start->str());
  while (!work.empty()) {
    std::string name = std::move(work.back());
    work.pop_back();
    if (!seen.insert(name).second) continue;
    const Json* s = states->find(name);
    if (s == nullptr) continue;
    std::vector<std::string> next;
    Successors(*s, next);
    for (auto& n : next) {
      if (!seen.count(n) && states->find(n) != nullptr) work.push_back(std::move(n));
    }
  }
  for (const auto& m : states->get_object()) {
    if (seen.count(m.key)) continue;
    sink.Error("MISSING_TRANSITION_TARGET", "State \"" + m.key + "\" is not reachable.",
               Join(Join(c.location, "States"), m.key));
  }
}

}  // namespace stepline::asl::validate_internal

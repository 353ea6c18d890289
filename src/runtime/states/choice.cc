// Choice: the first rule that matches names the next state, else Default,
// else States.NoChoiceMatched. JSONPath rules are Conditions over "$";
// JSONata rules are "Condition" expressions, and a rule may carry its own
// Assign and Output.
#include <fmt/format.h>

#include "expr/payload/jsonata_template.h"
#include "runtime/errors.h"
#include "runtime/internal.h"

namespace stepline::runtime {

namespace {
// The state's Assign applies whichever rule matched (developer guide, Choice
// Rules); the matched rule's own Assign is the more specific and wins a name
// both set. Both were evaluated against the variables before the state.
Json MergeAssigned(Json state_level, const Json& rule_level) {
  if (!rule_level.is_object()) return state_level;
  if (!state_level.is_object()) return rule_level;
  for (const auto& m : rule_level.get_object()) state_level.Set(m.key, m.value);
  return state_level;
}
}  // namespace

void Execution::Impl::RunChoiceJsonata(Frame& f) {
  const asl::State& s = *f.state;
  const asl::State* next = s.default_state;
  const asl::ChoiceRule* matched = nullptr;
  StatesBindings b(*this, f, f.raw_input);
  for (const auto& rule : s.choices) {
    auto m = rule.jsonata_condition->Eval(&b, JsonataOptions());
    if (!m.ok()) return StateFailed(f, m.status(), "Condition");
    if (!m->is_bool()) {
      const std::string* text = rule.jsonata_condition->expression();
      return StateFailed(f,
                         Status::Error(expr::kQueryEvaluationError,
                                       expr::JsonataTemplate::TypeMismatch(text ? *text : "", "Condition",
                                                                           "boolean", *m)),
                         "Condition");
    }
    if (m->get_bool()) {
      matched = &rule;
      next = rule.next_state;
      break;
    }
  }
  if (!next) return FailFrame(f, kErrNoChoiceMatched, fmt::format("No Matches! at state \"{}\"", s.name));
  Json assigned;
  if (s.assign.present()) {
    auto a = EvalAssign(f, s.assign, Json(), &b);
    if (!a.ok()) return StateFailed(f, a.status(), "Assign");
    assigned = std::move(a).value();
  }
  if (matched && matched->assign.present()) {
    auto a = EvalAssign(f, matched->assign, Json(), &b);
    if (!a.ok()) return StateFailed(f, a.status(), "Assign");
    assigned = MergeAssigned(std::move(assigned), *a);
  }
  // The matched rule's Output replaces the state's (recorded case
  // test_output_in_choice[CONDITION_TRUE]).
  const auto& output = matched && matched->output ? matched->output : s.output;
  Json out = f.raw_input;
  if (output) {
    auto o = output->Eval(&b, JsonataOptions());
    if (!o.ok()) return StateFailed(f, o.status(), "Output");
    out = std::move(o).value();
  }
  if (Status st = CommitAssign(f, assigned); !st.ok()) return StateFailed(f, st, "Assign");
  return TransitionTo(f, std::move(out), next);
}

void Execution::Impl::RunChoice(Frame& f) {
  const asl::State& s = *f.state;
  const asl::State* next = s.default_state;
  const asl::ChoiceRule* matched = nullptr;

  if (s.jsonata()) return RunChoiceJsonata(f);  // kept apart: the JSONPath path is the hot one

  auto eff = InputPath(f);
  if (!eff.ok()) return HandleError(f, eff.status().name(), StateError(f, eff.status()).message());
  expr::Scope scope = ScopeFor(f, std::move(eff).value());
  for (const auto& rule : s.choices) {
    auto m = rule.condition->Eval(scope);
    if (!m.ok()) return HandleError(f, m.status().name(), StateError(f, m.status()).message());
    if (*m) {
      matched = &rule;
      next = rule.next_state;
      break;
    }
  }
  if (!next) {
    return FailFrame(f, kErrNoChoiceMatched,
                     fmt::format("No Matches! at state \"{}\"", s.name));
  }
  // Assign reads the effective input ("$"); OutputPath still sees the old values.
  Json assigned;
  if (s.assign.present()) {
    auto a = EvalAssign(f, s.assign, scope.input, nullptr);
    if (!a.ok()) return StateFailed(f, a.status(), "Assign");
    assigned = std::move(a).value();
  }
  if (matched && matched->assign.present()) {
    auto a = EvalAssign(f, matched->assign, scope.input, nullptr);
    if (!a.ok()) return StateFailed(f, a.status(), "Assign");
    assigned = MergeAssigned(std::move(assigned), *a);
  }
  auto out = OutputPath(f, std::move(scope.input));
  if (!out.ok()) return HandleError(f, out.status().name(), StateError(f, out.status()).message());
  if (!assigned.is_null())
    if (Status st = CommitAssign(f, assigned); !st.ok()) return StateFailed(f, st, "Assign");
  TransitionTo(f, std::move(out).value(), next);
}

}  // namespace stepline::runtime

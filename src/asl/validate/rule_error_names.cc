// Rule: ErrorEquals of retriers and catchers. A non-empty array of strings;
// "States.ALL" must appear alone in its ErrorEquals and only in the last
// retrier/catcher; a name in the reserved "States." namespace must be one of
// AWS's predefined error names.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

namespace {

bool IsPredefined(std::string_view name) {
  static const char* const kNames[] = {
      "States.ALL",          "States.DataLimitExceeded",   "States.ExceedToleratedFailureThreshold",
      "States.HeartbeatTimeout", "States.Http.Socket",     "States.IntrinsicFailure",
      "States.ItemReaderFailed", "States.NoChoiceMatched", "States.ParameterPathFailure",
      "States.Permissions",  "States.ResultPathMatchFailure", "States.ResultWriterFailed",
      "States.Runtime",      "States.TaskFailed",          "States.Timeout",
      "States.QueryEvaluationError", "States.BranchFailed",
  };
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

void CheckList(const Json& list, const char* field, const std::string& state_loc, Sink& sink) {
  if (!list.is_array()) return;  // reported by the retry/catch rules
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& entry = list[i];
    if (!entry.is_object()) continue;
    const Json* eq = entry.find("ErrorEquals");
    if (eq == nullptr) continue;
    std::string at = Join(Index(state_loc, field, i), "ErrorEquals");
    if (!eq->is_array()) {
      sink.Schema("Expected value of type [ARRAY]", at);
      continue;
    }
    if (eq->size() == 0) {
      sink.Schema("ErrorEquals must contain at least one error name", at);
      continue;
    }
    bool has_all = false;
    for (size_t j = 0; j < eq->size(); ++j) {
      const Json& name = (*eq)[j];
      if (!name.is_string()) {
        sink.Schema("Expected value of type [STRING]", at + "[" + std::to_string(j) + "]");
        continue;
      }
      std::string_view n = name.get_string();
      if (n == "States.ALL") has_all = true;
      if (n.rfind("States.", 0) == 0 && !IsPredefined(n)) {
        sink.Schema("Error name '" + std::string(n) + "' is not a predefined error: the 'States.' prefix is reserved", at);
      }
    }
    if (has_all && eq->size() > 1) {
      sink.Schema("States.ALL must appear alone in ErrorEquals", at);
    }
    if (has_all && i + 1 != list.size()) {
      sink.Schema("States.ALL must appear only in the last " +
                      std::string(std::string_view(field) == "Retry" ? "retrier" : "catcher"),
                  at);
    }
  }
}

}  // namespace

void CheckErrorNames(const StateCtx& s, Sink& sink) {
  for (const char* f : {"Retry", "Catch"}) {
    if (const Json* v = s.state->find(f); v != nullptr) CheckList(*v, f, s.location, sink);
  }
}

}  // namespace stepline::asl::validate_internal

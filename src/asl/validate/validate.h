#pragma once
// Static validation of a state machine definition, with diagnostics in the
// shape of AWS's ValidateStateMachineDefinition. Works on the raw JSON so it
// can report everything wrong at once; the model parser runs only on a
// definition that has no ERROR diagnostics.

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"

namespace stepline::asl {

struct Diagnostic {
  std::string severity;  // "ERROR" or "WARNING"
  std::string code;      // e.g. "SCHEMA_VALIDATION_FAILED", "MISSING_TRANSITION_TARGET"
  std::string message;
  std::string location;  // e.g. "/States/MyState/Next"
};

// Validates a definition's text (JSON syntax, size, then the definition).
std::vector<Diagnostic> ValidateDefinitionText(std::string_view text);
// Validates a parsed definition.
std::vector<Diagnostic> ValidateDefinition(const Json& definition);
// True when any diagnostic is an ERROR.
bool HasErrors(const std::vector<Diagnostic>& diags);
// The message AWS returns with InvalidDefinition from CreateStateMachine for
// these diagnostics ("Invalid State Machine Definition: '...'").
std::string InvalidDefinitionMessage(const std::vector<Diagnostic>& diags);

}  // namespace stepline::asl

// Rule: a Choice state has a non-empty Choices array of rules.
// JSONPath rules: exactly one comparison operator with a Variable (a reference
// path into $, $$ or a $variable), or one of And/Or (non-empty arrays of rules)
// and Not (one rule), nested to any depth (bounded here); operand types follow
// the operator; top-level rules need Next and may Assign, nested rules may not.
// JSONata rules: Condition and Next, with Assign/Output/Comment.

#include <string_view>

#include "asl/validate/rules.h"
#include "base/time.h"

namespace stepline::asl::validate_internal {

namespace {

enum class Operand { kString, kNumber, kBool, kTimestamp, kPath };

struct Operator {
  std::string_view name;
  Operand operand;
};

constexpr Operator kOperators[] = {
    {"StringEquals", Operand::kString},
    {"StringEqualsPath", Operand::kPath},
    {"StringLessThan", Operand::kString},
    {"StringLessThanPath", Operand::kPath},
    {"StringGreaterThan", Operand::kString},
    {"StringGreaterThanPath", Operand::kPath},
    {"StringLessThanEquals", Operand::kString},
    {"StringLessThanEqualsPath", Operand::kPath},
    {"StringGreaterThanEquals", Operand::kString},
    {"StringGreaterThanEqualsPath", Operand::kPath},
    {"StringMatches", Operand::kString},
    {"NumericEquals", Operand::kNumber},
    {"NumericEqualsPath", Operand::kPath},
    {"NumericLessThan", Operand::kNumber},
    {"NumericLessThanPath", Operand::kPath},
    {"NumericGreaterThan", Operand::kNumber},
    {"NumericGreaterThanPath", Operand::kPath},
    {"NumericLessThanEquals", Operand::kNumber},
    {"NumericLessThanEqualsPath", Operand::kPath},
    {"NumericGreaterThanEquals", Operand::kNumber},
    {"NumericGreaterThanEqualsPath", Operand::kPath},
    {"BooleanEquals", Operand::kBool},
    {"BooleanEqualsPath", Operand::kPath},
    {"TimestampEquals", Operand::kTimestamp},
    {"TimestampEqualsPath", Operand::kPath},
    {"TimestampLessThan", Operand::kTimestamp},
    {"TimestampLessThanPath", Operand::kPath},
    {"TimestampGreaterThan", Operand::kTimestamp},
    {"TimestampGreaterThanPath", Operand::kPath},
    {"TimestampLessThanEquals", Operand::kTimestamp},
    {"TimestampLessThanEqualsPath", Operand::kPath},
    {"TimestampGreaterThanEquals", Operand::kTimestamp},
    {"TimestampGreaterThanEqualsPath", Operand::kPath},
    {"IsNull", Operand::kBool},
    {"IsPresent", Operand::kBool},
    {"IsNumeric", Operand::kBool},
    {"IsString", Operand::kBool},
    {"IsBoolean", Operand::kBool},
    {"IsTimestamp", Operand::kBool},
};

const Operator* FindOperator(std::string_view name) {
  for (const Operator& op : kOperators) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

void CheckOperand(const Operator& op, const Json& v, const std::string& at, Sink& sink) {
  switch (op.operand) {
    case Operand::kString:
      if (!v.is_string()) sink.Schema("Expected value of type [STRING]", at);
      break;
    case Operand::kNumber:
      if (!v.is_number()) sink.Schema("Expected value of type [NUMBER]", at);
      break;
    case Operand::kBool:
      if (!v.is_bool()) sink.Schema("Expected value of type [BOOLEAN]", at);
      break;
    case Operand::kTimestamp:
      if (!v.is_string()) {
        sink.Schema("Expected value of type [STRING]", at);
      } else if (!ParseIsoTimestamp(v.get_string())) {
        sink.Schema("The value for the field '" + std::string(op.name) + "' must be a valid timestamp", at);
      }
      break;
    case Operand::kPath:
      CheckPath(v, op.name, at, true, true, sink);
      break;
  }
}

void CheckJsonPathRule(const Json& rule, const std::string& at, bool top, int depth, Sink& sink) {
  if (!rule.is_object()) {
    sink.Schema("Expected value of type [OBJECT]", at);
    return;
  }
  if (depth > kMaxChoiceRuleDepth) {
    sink.Error("TOO_DEEPLY_NESTED", "The choice rule is too deeply nested", at);
    return;
  }
  int operators = 0;
  const Operator* comparison = nullptr;
  for (const auto& m : rule.get_object()) {
    const std::string& k = m.key;
    if (const Operator* op = FindOperator(k); op != nullptr) {
      ++operators;
      comparison = op;
      CheckOperand(*op, m.value, Join(at, k), sink);
    } else if (k == "And" || k == "Or") {
      ++operators;
      if (!m.value.is_array()) {
        sink.Schema("Expected value of type [ARRAY]", Join(at, k));
      } else if (m.value.size() == 0) {
        sink.Schema("'" + k + "' must contain at least one choice rule", Join(at, k));
      } else {
        for (size_t i = 0; i < m.value.size(); ++i) {
          CheckJsonPathRule(m.value[i], Index(at, k, i), false, depth + 1, sink);
        }
      }
    } else if (k == "Not") {
      ++operators;
      CheckJsonPathRule(m.value, Join(at, k), false, depth + 1, sink);
    } else if (k == "Variable") {
      CheckPath(m.value, "Variable", Join(at, k), true, true, sink);
    } else if (k == "Comment") {
      if (!m.value.is_string()) sink.Schema("Expected value of type [STRING]", Join(at, k));
    } else if (top && k == "Next") {
      if (!m.value.is_string()) sink.Schema("Expected value of type [STRING]", Join(at, k));
    } else if (top && k == "Assign") {
      CheckAssignObject(m.value, QueryLanguage::kJsonPath, Join(at, k), sink);
    } else if (top && (k == "Condition" || k == "Output")) {
      sink.Schema("The QueryLanguage is set to 'JSONPath', but field '" + k +
                      "' is only supported for the 'JSONata' QueryLanguage",
                  at);
    } else {
      sink.Schema("Field '" + k + "' is not supported", at);
    }
  }
  if (operators == 0) {
    sink.Schema("A choice rule must have one comparison operator, or one of And, Or, Not", at);
  } else if (operators > 1) {
    sink.Schema("A choice rule must have only one comparison operator, or one of And, Or, Not", at);
  }
  if (comparison != nullptr && operators == 1 && rule.find("Variable") == nullptr) {
    sink.Schema("These fields are required: [Variable]", at);
  }
  if (comparison == nullptr && operators >= 1 && rule.find("Variable") != nullptr) {
    sink.Schema("Field 'Variable' is not supported", at);
  }
  if (top && rule.find("Next") == nullptr) sink.Schema("These fields are required: [Next]", at);
}

void CheckJsonataRule(const Json& rule, const std::string& at, Sink& sink) {
  if (!rule.is_object()) {
    sink.Schema("Expected value of type [OBJECT]", at);
    return;
  }
  for (const auto& m : rule.get_object()) {
    const std::string& k = m.key;
    if (k == "Condition") {
      if (m.value.is_bool()) continue;
      if (!m.value.is_string() || !IsJsonataString(m.value)) {
        sink.Schema("The field 'Condition' must be a JSONata expression or a boolean", Join(at, k));
      } else {
        CheckJsonataValue(m.value, Join(at, k), sink);
      }
    } else if (k == "Next" || k == "Comment") {
      if (!m.value.is_string()) sink.Schema("Expected value of type [STRING]", Join(at, k));
    } else if (k == "Assign") {
      CheckAssignObject(m.value, QueryLanguage::kJsonata, Join(at, k), sink);
    } else if (k == "Output") {
      CheckJsonataValue(m.value, Join(at, k), sink);
    } else if (k == "Variable" || k == "And" || k == "Or" || k == "Not" || FindOperator(k) != nullptr) {
      sink.Schema("The QueryLanguage is set to 'JSONata', but field '" + k +
                      "' is only supported for the 'JSONPath' QueryLanguage",
                  at);
    } else {
      sink.Schema("Field '" + k + "' is not supported", at);
    }
  }
  std::string missing;
  for (const char* f : {"Condition", "Next"}) {
    if (rule.find(f) == nullptr) missing += missing.empty() ? f : std::string(", ") + f;
  }
  if (!missing.empty()) sink.Schema("These fields are required: [" + missing + "]", at);
}

}  // namespace

void CheckChoice(const StateCtx& s, Sink& sink) {
  const Json* choices = s.state->find("Choices");
  if (choices == nullptr) {
    sink.Schema("These fields are required: [Choices]", s.location);
  } else if (!choices->is_array()) {
    sink.Schema("Expected value of type [ARRAY]", Join(s.location, "Choices"));
  } else if (choices->size() == 0) {
    sink.Schema("Choices must contain at least one choice rule", Join(s.location, "Choices"));
  } else {
    for (size_t i = 0; i < choices->size(); ++i) {
      std::string at = Index(s.location, "Choices", i);
      if (s.ql == QueryLanguage::kJsonata) {
        CheckJsonataRule((*choices)[i], at, sink);
      } else {
        CheckJsonPathRule((*choices)[i], at, true, 0, sink);
      }
    }
  }
  if (const Json* d = s.state->find("Default"); d != nullptr && !d->is_string()) {
    sink.Schema("Expected value of type [STRING]", Join(s.location, "Default"));
  }
}

}  // namespace stepline::asl::validate_internal

#pragma once
// Internals of the definition validator: the walk context every rule sees and
// the rule entry points (one rule per file, DESIGN). Not part of the public API.
//
// The walk (validate.cc) visits every state container (the machine itself,
// each Parallel branch, each Map ItemProcessor/Iterator) and every state in
// it, depth first in document order, and hands each to the rules below. Rules
// only append diagnostics; they never throw and never assert on user input.
// Everything here is a pure function of the definition: thread-safe.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "asl/validate/validate.h"
#include "base/json.h"

namespace stepline::asl::validate_internal {

enum class QueryLanguage { kJsonPath, kJsonata };

// Named limits (DESIGN: limits are named constants).
constexpr size_t kMaxDefinitionBytes = 1'048'576;  // AWS definition size quota
constexpr int kMaxNestingDepth = 40;       // containers inside containers (Parallel/Map)
constexpr int kMaxChoiceRuleDepth = 64;    // And/Or/Not nesting inside one Choice rule
constexpr size_t kMaxStateNameLength = 80;
constexpr size_t kMaxLabelLength = 40;
constexpr int64_t kMaxSeconds = 99'999'999;

class Sink {
 public:
  explicit Sink(std::vector<Diagnostic>* out) : out_(out) {}
  void Error(std::string code, std::string message, std::string location) {
    out_->push_back({"ERROR", std::move(code), std::move(message), std::move(location)});
  }
  void Warning(std::string code, std::string message, std::string location) {
    out_->push_back({"WARNING", std::move(code), std::move(message), std::move(location)});
  }
  // SCHEMA_VALIDATION_FAILED, the code of most rules.
  void Schema(std::string message, std::string location) {
    Error("SCHEMA_VALIDATION_FAILED", std::move(message), std::move(location));
  }

 private:
  std::vector<Diagnostic>* out_;
};

// A state container: the top-level machine, a Parallel branch or a Map
// ItemProcessor/Iterator.
struct ContainerCtx {
  const Json* container = nullptr;  // the object with StartAt/States
  std::string location;             // "" for the machine, "/States/P/Branches[0]" ...
  enum class Kind { kMachine, kBranch, kItemProcessor, kIterator } kind = Kind::kMachine;
  int depth = 0;                    // 0 for the machine
};

struct StateCtx {
  std::string name;
  const Json* state = nullptr;      // the state object (may be a non-object: rules check)
  std::string location;             // "/States/Name" (prefixed for nested containers)
  QueryLanguage ql = QueryLanguage::kJsonPath;          // effective language of the state
  QueryLanguage machine_ql = QueryLanguage::kJsonPath;  // the machine's language
  // True when the state downgrades a JSONata machine to JSONPath: AWS reports
  // only that, not the fields of the other language.
  bool ql_downgrade = false;
  const ContainerCtx* container = nullptr;
  // Type as a string ("" when missing or not a string).
  std::string type;
};

// Helpers shared by the rules (helpers.cc).
std::string Join(std::string_view location, std::string_view field);
std::string Index(std::string_view location, std::string_view field, size_t i);
bool IsJsonataString(const Json& v);  // "{% ... %}"
// Type-check messages as AWS words them: "Expected value of type [STRING]".
void ExpectType(const Json& value, Json::Type want, const std::string& location, Sink& sink);
bool CheckString(const Json& obj, std::string_view field, const std::string& loc, Sink& sink);
// Integer field in [min, max]. In a JSONata state a "{% %}" string is accepted too.
void CheckInteger(const Json& obj, std::string_view field, int64_t min, int64_t max,
                  const std::string& loc, bool allow_jsonata, Sink& sink);
void CheckNumber(const Json& obj, std::string_view field, double min, double max,
                 const std::string& loc, bool allow_jsonata, Sink& sink);
// Path checks. A reference path selects one value (no wildcards, filters...).
// `allow_context_and_vars` false means only "$..." input paths (ResultPath).
bool CheckPath(const Json& value, std::string_view field, const std::string& location,
               bool reference, bool allow_context_and_vars, Sink& sink);
// Payload template (Parameters, ResultSelector, ItemSelector, Assign in
// JSONPath): every "key.$" value must be a path or an intrinsic call.
void CheckPayloadTemplate(const Json& tmpl, const std::string& location, Sink& sink, int depth = 0);
// JSONata: every "{% %}" string inside `value` must compile.
void CheckJsonataValue(const Json& value, const std::string& location, Sink& sink, int depth = 0);
// An Assign object (state, choice rule or catcher) in the given language (rule_assign.cc).
void CheckAssignObject(const Json& assign, QueryLanguage ql, const std::string& loc, Sink& sink);
// Mutually exclusive fields: reports the second and later ones present.
void CheckExclusive(const Json& obj, std::initializer_list<std::string_view> fields,
                    const std::string& loc, Sink& sink);

// --- Rules on the whole definition ------------------------------------------
void CheckTopLevel(const Json& def, Sink& sink);                          // rule_top_level.cc
void CheckDuplicateStateNames(const std::vector<StateCtx>& states, Sink& sink);  // rule_duplicate_names.cc

// --- Rules on one container -------------------------------------------------
void CheckContainerShape(const ContainerCtx& c, Sink& sink);              // rule_container.cc
void CheckTransitions(const ContainerCtx& c, Sink& sink);                 // rule_transitions.cc
void CheckReachability(const ContainerCtx& c, Sink& sink);                // rule_reachability.cc

// --- Rules on one state -----------------------------------------------------
void CheckStateType(const StateCtx& s, Sink& sink);        // rule_state_type.cc
void CheckStateName(const StateCtx& s, Sink& sink);        // rule_state_name.cc
void CheckStateFields(const StateCtx& s, Sink& sink);      // rule_state_fields.cc
void CheckQueryLanguage(const StateCtx& s, Sink& sink);    // rule_query_language.cc
void CheckNextEnd(const StateCtx& s, Sink& sink);          // rule_next_end.cc
void CheckDataPaths(const StateCtx& s, Sink& sink);        // rule_data_paths.cc
void CheckTemplates(const StateCtx& s, Sink& sink);        // rule_templates.cc
void CheckJsonataFields(const StateCtx& s, Sink& sink);    // rule_jsonata_fields.cc
void CheckAssign(const StateCtx& s, Sink& sink);           // rule_assign.cc
void CheckRetry(const StateCtx& s, Sink& sink);            // rule_retry.cc
void CheckCatch(const StateCtx& s, Sink& sink);            // rule_catch.cc
void CheckErrorNames(const StateCtx& s, Sink& sink);       // rule_error_names.cc
void CheckTask(const StateCtx& s, Sink& sink);             // rule_task.cc
void CheckChoice(const StateCtx& s, Sink& sink);           // rule_choice.cc
void CheckWait(const StateCtx& s, Sink& sink);             // rule_wait.cc
void CheckFail(const StateCtx& s, Sink& sink);             // rule_fail.cc
void CheckPass(const StateCtx& s, Sink& sink);             // rule_pass.cc
void CheckParallel(const StateCtx& s, Sink& sink);         // rule_parallel.cc
void CheckMap(const StateCtx& s, Sink& sink);              // rule_map.cc

}  // namespace stepline::asl::validate_internal

#pragma once
// The typed model of a state machine definition. Built once by Parse(); every
// path, template and condition in it is compiled. Immutable after parsing and
// safe to share across threads and executions.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/json.h"
#include "expr/condition/condition.h"
#include "expr/intrinsics/intrinsic.h"
#include "expr/jsonpath/path.h"
#include "expr/payload/jsonata_template.h"
#include "expr/payload/template.h"

namespace stepline::asl {

enum class StateType : uint8_t { kPass, kTask, kChoice, kWait, kSucceed, kFail, kParallel, kMap };
// A state's QueryLanguage: its own field, else the top-level one (a state in a
// branch or ItemProcessor inherits the top level, not its Parallel/Map).
enum class QueryLanguage : uint8_t { kJsonPath, kJsonata };
// "Pass", "Task", ... as used in event type names ("PassStateEntered").
const char* StateTypeName(StateType t);

// InputPath / OutputPath / ResultPath: absent means "$", JSON null is its own case.
struct PathField {
  bool is_null = false;
  std::optional<expr::Path> path;  // nullopt and !is_null: the default "$"
  bool is_default() const { return !is_null && !path; }
};

struct Retrier {
  std::vector<std::string> errors;
  double interval_seconds = 1;
  int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<int64_t> max_delay_seconds;
  bool jitter_full = false;
};

struct State;

// Assign (workflow variables): evaluates to an object of name -> value. A
// JSONPath state's ".$" keys are paths or intrinsic calls (the key without
// ".$" names the variable); a JSONata state's values may embed "{% %}".
struct AssignField {
  std::optional<expr::Template> jsonpath;
  std::optional<expr::JsonataTemplate> jsonata;
  bool present() const { return jsonpath || jsonata; }
};

struct Catcher {
  std::vector<std::string> errors;
  std::string next;
  const State* next_state = nullptr;
  PathField result_path;                       // JSONPath
  AssignField assign;
  std::optional<expr::JsonataTemplate> output;  // JSONata
};

struct ChoiceRule {
  std::optional<expr::Condition> condition;               // JSONPath
  std::optional<expr::JsonataTemplate> jsonata_condition;  // JSONata "Condition"
  std::string next;
  const State* next_state = nullptr;
  AssignField assign;
  std::optional<expr::JsonataTemplate> output;  // JSONata
};

// A string field given literally, by a path / intrinsic (Fail's ErrorPath /
// CausePath), or by a JSONata expression.
struct DynamicString {
  std::optional<std::string> literal;
  std::optional<expr::Path> path;
  std::optional<expr::IntrinsicCall> call;
  std::optional<expr::JsonataTemplate> jsonata;
  bool present() const { return literal || path || call || jsonata; }
};

// A numeric field given literally, by a reference path (TimeoutSecondsPath...)
// or by a JSONata expression ("TimeoutSeconds": "{% ... %}").
struct DynamicNumber {
  std::optional<Json> literal;
  std::optional<expr::Path> path;
  std::optional<expr::JsonataTemplate> jsonata;
  bool present() const { return literal || path || jsonata; }
};

struct StateMachine;

enum class TaskKind : uint8_t {
  kLambdaArn,     // arn:aws:lambda:...:function:NAME
  kLambdaInvoke,  // arn:aws:states:::lambda:invoke
  kActivity,      // arn:aws:states:...:activity:NAME
  kService,       // arn:aws:states:::SERVICE:ACTION[.sync|.waitForTaskToken]
};
enum class IntegrationPattern : uint8_t { kRequestResponse, kSync, kWaitForTaskToken };

struct State {
  std::string name;
  StateType type = StateType::kPass;
  const StateMachine* owner = nullptr;
  std::string next;
  const State* next_state = nullptr;
  bool end = false;
  bool needs_context = false;  // the state reads "$$" somewhere
  QueryLanguage query_language = QueryLanguage::kJsonPath;
  bool jsonata() const { return query_language == QueryLanguage::kJsonata; }

  AssignField assign;
  std::optional<expr::JsonataTemplate> output;     // JSONata Output (all but Fail)
  std::optional<expr::JsonataTemplate> arguments;  // JSONata Arguments (Task, Parallel)

  PathField input_path, output_path, result_path;
  std::optional<expr::Template> parameters;
  std::optional<expr::Template> result_selector;
  std::optional<Json> result;  // Pass

  // Task
  std::string resource;
  TaskKind task_kind = TaskKind::kService;
  IntegrationPattern pattern = IntegrationPattern::kRequestResponse;
  std::string service;  // "lambda", "sqs", ... for kService / kLambdaInvoke
  std::string action;   // "invoke", "sendMessage", ...
  DynamicNumber timeout_seconds, heartbeat_seconds;
  std::vector<Retrier> retry;
  std::vector<Catcher> catchers;

  // Choice
  std::vector<ChoiceRule> choices;
  std::string default_next;
  const State* default_state = nullptr;

  // Wait
  DynamicNumber wait_seconds;
  std::optional<std::string> wait_timestamp;
  std::optional<expr::JsonataTemplate> wait_timestamp_jsonata;
  std::optional<expr::Path> wait_timestamp_path;

  // Fail
  DynamicString error, cause;

  // Parallel
  std::vector<std::unique_ptr<StateMachine>> branches;

  // Map
  std::unique_ptr<StateMachine> processor;
  bool distributed = false;
  PathField items_path;
  std::optional<expr::Template> item_selector;  // ItemSelector, or legacy Parameters
  std::optional<expr::JsonataTemplate> items;                  // JSONata Items
  std::optional<expr::JsonataTemplate> item_selector_jsonata;  // JSONata ItemSelector
  DynamicNumber max_concurrency;
  DynamicNumber tolerated_failure_count, tolerated_failure_percentage;
  std::optional<Json> item_reader;  // distributed map sources (kept raw)
  std::optional<Json> item_batcher;
  std::optional<Json> result_writer;
  std::string label;
};

struct StateMachine {
  std::string start_at;
  const State* start = nullptr;
  std::vector<std::unique_ptr<State>> states;
  std::optional<int64_t> timeout_seconds;
  const State* Find(std::string_view name) const;
};

struct Definition {
  Json source;
  std::unique_ptr<StateMachine> root;
  // State names are unique across the whole definition (branches included).
  std::unordered_map<std::string, const State*> all_states;
  // No Map or Parallel and no cycle through Next, Default, Choices or Catch:
  // a run visits each state at most once before it ends or waits, so its
  // first step's work is bounded by the definition's size.
  bool straight_line = false;
};

// Parses and compiles a definition. Expects ValidateDefinition to have passed,
// but still fails cleanly (Status "InvalidDefinition") on anything it cannot
// model; never asserts on user input.
Result<std::shared_ptr<const Definition>> Parse(const Json& definition);

}  // namespace stepline::asl

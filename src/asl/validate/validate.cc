// The definition validator: parses the text, walks every container and state,
// and runs the rules declared in rules.h over them.

#include "asl/validate/validate.h"

#include <deque>
#include <memory>
#include <string>

#include "asl/validate/rules.h"

namespace stepline::asl {

using validate_internal::ContainerCtx;
using validate_internal::QueryLanguage;
using validate_internal::Sink;
using validate_internal::StateCtx;

namespace {

QueryLanguage ResolveLanguage(const Json* field, QueryLanguage inherited) {
  // Measured against AWS: absent inherits; exactly "JSONPath" is JSONPath;
  // any other value (wrong case, unknown, non-string) behaves as JSONata and is
  // reported separately against the enum.
  if (field == nullptr) return inherited;
  if (field->is_string() && field->get_string() == "JSONPath") return QueryLanguage::kJsonPath;
  return QueryLanguage::kJsonata;
}

class Walker {
 public:
  explicit Walker(Sink& sink) : sink_(sink) {}

  void Run(const Json& def) {
    validate_internal::CheckTopLevel(def, sink_);
    if (!def.is_object()) return;
    machine_ql_ = ResolveLanguage(def.find("QueryLanguage"), QueryLanguage::kJsonPath);
    WalkContainer(def, "", ContainerCtx::Kind::kMachine, 0);
    validate_internal::CheckDuplicateStateNames(all_states_, sink_);
  }

 private:
  void WalkContainer(const Json& c, std::string location, ContainerCtx::Kind kind, int depth) {
    if (depth > validate_internal::kMaxNestingDepth) {
      sink_.Error("TOO_DEEPLY_NESTED", "The states are too deeply nested", location);
      return;
    }
    containers_.push_back(std::make_unique<ContainerCtx>());
    ContainerCtx* ctx = containers_.back().get();
    ctx->container = &c;
    ctx->location = std::move(location);
    ctx->kind = kind;
    ctx->depth = depth;
    validate_internal::CheckContainerShape(*ctx, sink_);
    if (!c.is_object()) return;
    const Json* states = c.find("States");
    if (states != nullptr && states->is_object()) {
      for (const auto& m : states->get_object()) VisitState(*ctx, m.key, m.value);
    }
    validate_internal::CheckTransitions(*ctx, sink_);
    validate_internal::CheckReachability(*ctx, sink_);
  }

  void VisitState(const ContainerCtx& c, const std::string& name, const Json& state) {
    StateCtx s;
    s.name = name;
    s.state = &state;
    s.location = validate_internal::Join(validate_internal::Join(c.location, "States"), name);
    s.container = &c;
    s.machine_ql = machine_ql_;
    const Json* ql = state.is_object() ? state.find("QueryLanguage") : nullptr;
    s.ql = ResolveLanguage(ql, machine_ql_);
    s.ql_downgrade = machine_ql_ == QueryLanguage::kJsonata && ql != nullptr && ql->is_string() &&
                     ql->get_string() == "JSONPath";
    if (state.is_object()) {
      const Json* t = state.find("Type");
      if (t != nullptr && t->is_string()) s.type = t->get_string();
    }
    all_states_.push_back(s);

    validate_internal::CheckStateType(s, sink_);
    validate_internal::CheckStateName(s, sink_);
    if (state.is_object()) {
      validate_internal::CheckQueryLanguage(s, sink_);
      validate_internal::CheckStateFields(s, sink_);
      validate_internal::CheckNextEnd(s, sink_);
      validate_internal::CheckDataPaths(s, sink_);
      validate_internal::CheckTemplates(s, sink_);
      validate_internal::CheckJsonataFields(s, sink_);
      validate_internal::CheckAssign(s, sink_);
      validate_internal::CheckRetry(s, sink_);
      validate_internal::CheckCatch(s, sink_);
      validate_internal::CheckErrorNames(s, sink_);
      if (s.type == "Task") validate_internal::CheckTask(s, sink_);
      if (s.type == "Choice") validate_internal::CheckChoice(s, sink_);
      if (s.type == "Wait") validate_internal::CheckWait(s, sink_);
      if (s.type == "Fail") validate_internal::CheckFail(s, sink_);
      if (s.type == "Pass") validate_internal::CheckPass(s, sink_);
      if (s.type == "Parallel") validate_internal::CheckParallel(s, sink_);
      if (s.type == "Map") validate_internal::CheckMap(s, sink_);
    }

    // Nested containers: names stay global (duplicate-name rule), language
    // comes from the machine, not from the enclosing state (measured on AWS).
    if (s.type == "Parallel") {
      const Json* branches = state.find("Branches");
      if (branches != nullptr && branches->is_array()) {
        for (size_t i = 0; i < branches->size(); ++i) {
          WalkContainer((*branches)[i], validate_internal::Index(s.location, "Branches", i),
                        ContainerCtx::Kind::kBranch, c.depth + 1);
        }
      }
    } else if (s.type == "Map") {
      if (const Json* p = state.find("ItemProcessor"); p != nullptr) {
        WalkContainer(*p, validate_internal::Join(s.location, "ItemProcessor"),
                      ContainerCtx::Kind::kItemProcessor, c.depth + 1);
      }
      if (const Json* p = state.find("Iterator"); p != nullptr) {
        WalkContainer(*p, validate_internal::Join(s.location, "Iterator"),
                      ContainerCtx::Kind::kIterator, c.depth + 1);
      }
    }
  }

  Sink& sink_;
  QueryLanguage machine_ql_ = QueryLanguage::kJsonPath;
  std::deque<std::unique_ptr<ContainerCtx>> containers_;
  std::vector<StateCtx> all_states_;
};

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

}  // namespace

std::vector<Diagnostic> ValidateDefinitionText(std::string_view text) {
  std::vector<Diagnostic> out;
  Sink sink(&out);
  if (IsBlank(text)) {
    sink.Error("MISSING_DESCRIPTION", "Received a null or empty workflow input", "");
    return out;
  }
  if (text.size() > validate_internal::kMaxDefinitionBytes) {
    sink.Schema("The definition is " + std::to_string(text.size()) +
                    " bytes long; the maximum is " +
                    std::to_string(validate_internal::kMaxDefinitionBytes) + " bytes",
                "");
    return out;
  }
  Json::ParseOptions opts;  // default max_depth bounds the parser's recursion
  auto parsed = Json::Parse(text, opts);
  if (!parsed.ok()) {
    sink.Error("INVALID_JSON_DESCRIPTION", parsed.status().message(), "");
    return out;
  }
  return ValidateDefinition(*parsed);
}

std::vector<Diagnostic> ValidateDefinition(const Json& definition) {
  std::vector<Diagnostic> out;
  Sink sink(&out);
  Walker(sink).Run(definition);
  return out;
}

bool HasErrors(const std::vector<Diagnostic>& diags) {
  for (const auto& d : diags) {
    if (d.severity == "ERROR") return true;
  }
  return false;
}

std::string InvalidDefinitionMessage(const std::vector<Diagnostic>& diags) {
  // AWS: "Invalid State Machine Definition: 'CODE: message at /loc, CODE: ...'",
  // with "at null" when a diagnostic has no location.
  std::string out = "Invalid State Machine Definition: '";
  bool first = true;
  for (const auto& d : diags) {
    if (d.severity != "ERROR") continue;
    if (!first) out += ", ";
    first = false;
    out += d.code;
    out += ": ";
    out += d.message;
    out += " at ";
    out += d.location.empty() ? std::string("null") : d.location;
  }
  out += "'";
  return out;
}

}  // namespace stepline::asl

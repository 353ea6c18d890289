// Data-driven AWS conformance: every recorded case whose definition is a chain
// of JSONPath Pass states is replayed through Path and Template (InputPath ->
// Parameters/Result -> ResultPath -> OutputPath, Assign for variables) and
// compared with what AWS answered. Cases needing values we cannot reproduce
// (random numbers, UUIDs, execution ids and times) are left out.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "base/random.h"
#include "expr/jsonpath/path.h"
#include "expr/payload/template.h"

namespace stepline::expr {
namespace {

namespace fs = std::filesystem;

fs::path CasesDir() {
  if (const char* env = std::getenv("STEPLINE_SFN_CASES")) return env;
  // <repo>/src/expr/payload/this_file -> <repo>/../shared/conformance/sfn/cases
  fs::path here = fs::path(__FILE__).parent_path();
  return here / "../../../../shared/conformance/sfn/cases";
}

class MapVars : public VariableLookup {
 public:
  const Json* Find(std::string_view name) const override {
    auto it = vars.find(std::string(name));
    return it == vars.end() ? nullptr : &it->second;
  }
  std::map<std::string, Json> vars;
};

struct Outcome {
  bool ok = true;
  Json output;
  std::string error, cause;
};

Outcome Fail(const std::string& state, int event_id, const std::string& error, const std::string& msg) {
  Outcome o;
  o.ok = false;
  o.error = error;
  o.cause = "An error occurred while executing the state '" + state + "' (entered at the event id #" +
            std::to_string(event_id) + "). " + msg;
  return o;
}

// Applies an InputPath/OutputPath field: absent = "$", null = {}.
Result<Json> ApplyPath(const Json* field, const Json& doc, const Scope& scope) {
  if (!field) return doc;
  if (field->is_null()) return Json::EmptyObject();
  auto p = Path::Compile(field->get_string());
  if (!p.ok()) return p.status();
  Scope s = scope;
  s.input = doc;
  auto r = p->Eval(s);
  if (!r.ok()) return Status::Error("States.Runtime", "Invalid path '" + p->text() + "' : " + r.status().message());
  return r;
}

Outcome RunPassChain(const Json& def, const Json& input) {
  MapVars vars;
  SeededRandom random(7);
  Json context = Json::EmptyObject();
  Json exec = Json::EmptyObject();
  exec.Set("Input", input);
  context.Set("Execution", exec);
  Json cur = input;
  std::string name = def.find("StartAt")->str();
  int event_id = 2;
  while (true) {
    const Json& st = *def.find("States")->find(name);
    Json state_ctx = Json::EmptyObject();
    state_ctx.Set("Name", Json(name));
    context.Set("State", state_ctx);
    Scope scope{cur, context, &vars, &random};
    std::string type = st.find("Type")->str();
    auto in = ApplyPath(st.find("InputPath"), cur, scope);
    if (!in.ok()) return Fail(name, event_id, in.status().name(), in.status().message());
    Json result = *in;
    if (const Json* params = st.find("Parameters")) {
      auto t = Template::Compile(*params, "Parameters");
      if (!t.ok()) return Fail(name, event_id, "Compile", t.status().ToString());
      Scope ps = scope;
      ps.input = *in;
      auto r = t->Eval(ps);
      if (!r.ok()) return Fail(name, event_id, r.status().name(), r.status().message());
      result = *r;
    }
    if (const Json* res = st.find("Result")) result = *res;
    Json assigned;  // variables take their new values only after OutputPath (case BASE_EVALUATION_ORDER_PASS_STATE)
    if (const Json* assign = st.find("Assign")) {
      auto t = Template::Compile(*assign, "Assign");
      if (!t.ok()) return Fail(name, event_id, "Compile", t.status().ToString());
      Scope as = scope;
      as.input = result;
      auto r = t->Eval(as);
      if (!r.ok()) return Fail(name, event_id, r.status().name(), r.status().message());
      assigned = *r;
    }
    Json out = result;
    if (type == "Pass") {
      const Json* rp = st.find("ResultPath");
      if (rp && rp->is_null()) {
        out = cur;
      } else if (rp) {
        auto p = Path::Compile(rp->get_string());
        if (!p.ok()) return Fail(name, event_id, "Compile", p.status().ToString());
        auto r = p->Put(cur, result);
        if (!r.ok()) return Fail(name, event_id, "States.Runtime", r.status().message());
        out = *r;
      }
    }
    auto o = ApplyPath(st.find("OutputPath"), out, scope);
    if (!o.ok()) return Fail(name, event_id, o.status().name(), o.status().message());
    cur = *o;
    if (assigned.is_object()) {
      for (const auto& m : assigned.get_object()) vars.vars[m.key] = m.value;
    }
    const Json* end = st.find("End");
    if (type == "Succeed" || (end && end->is_bool() && end->get_bool())) break;
    name = st.find("Next")->get_string();
    event_id += 2;
  }
  Outcome ok;
  ok.output = cur;
  return ok;
}

// True when `actual` matches `pattern`, where "<json-input:N>" stands for any text.
bool CauseMatches(const std::string& pattern, const std::string& actual) {
  size_t ph = pattern.find("<json-input:");
  if (ph == std::string::npos) return pattern == actual;
  size_t ph_end = pattern.find('>', ph) + 1;
  std::string pre = pattern.substr(0, ph), post = pattern.substr(ph_end);
  return actual.size() >= pre.size() + post.size() && actual.compare(0, pre.size(), pre) == 0 &&
         actual.compare(actual.size() - post.size(), post.size(), post) == 0;
}

bool Eligible(const Json& c, std::string* why) {
  const Json& def = *c.find("definition");
  if (const Json* ql = def.find("QueryLanguage"); ql && ql->get_string() == "JSONata") return *why = "jsonata", false;
  const Json* states = def.find("States");
  if (!states || !states->is_object()) return *why = "no states", false;
  for (const auto& m : states->get_object()) {
    std::string t = m.value.find("Type")->str();
    if (t != "Pass" && t != "Succeed") return *why = "state " + t, false;
    if (const Json* ql = m.value.find("QueryLanguage"); ql && ql->get_string() == "JSONata") {
      return *why = "jsonata", false;
    }
  }
  std::string text = def.Dump();
  for (const char* needle : {"$$.Execution.Id", "$$.Execution.Name", "$$.Execution.StartTime", "$$.Execution.RoleArn",
                             "$$.StateMachine", "$$.State.EnteredTime", "$$.State.RetryCount", "$$.Task",
                             "States.UUID", "States.MathRandom", "{%"}) {
    if (text.find(needle) != std::string::npos) return *why = std::string("uses ") + needle, false;
  }
  if (text.find("\"$$\"") != std::string::npos || text.find("\"$$.Execution\"") != std::string::npos ||
      text.find("\"$$.State\"") != std::string::npos) {
    return *why = "whole context object", false;
  }
  const Json& exp = *c.find("expected");
  const Json* status = exp.find("status");
  if (!status || (status->get_string() != "SUCCEEDED" && status->get_string() != "FAILED")) {
    return *why = "status", false;
  }
  return true;
}

TEST(AwsConformance, PassChainsWithPathsIntrinsicsAndTemplates) {
  fs::path dir = CasesDir();
  if (!fs::exists(dir)) GTEST_SKIP() << "no conformance cases at " << dir;
  int run = 0, passed = 0;
  std::vector<std::string> failures;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream f(entry.path());
    std::stringstream ss;
    ss << f.rdbuf();
    auto c = Json::Parse(ss.str());
    ASSERT_TRUE(c.ok()) << entry.path();
    std::string why;
    if (!Eligible(*c, &why)) continue;
    const Json& exp = *c->find("expected");
    const Json* input_text = c->find("input_text");
    auto input = input_text && input_text->is_string() ? Json::Parse(input_text->get_string()) : Result<Json>(Json::EmptyObject());
    if (!input.ok()) continue;
    ++run;
    Outcome o = RunPassChain(*c->find("definition"), *input);
    std::string id = c->find("id")->str();
    bool good;
    if (exp.find("status")->get_string() == "SUCCEEDED") {
      const Json* want = exp.find("output");
      good = o.ok && want && *want == o.output;
      if (!good) {
        failures.push_back(id + "\n   want " + (want ? want->Dump() : "?") + "\n   got  " +
                           (o.ok ? o.output.Dump() : o.error + ": " + o.cause));
      }
    } else {
      const Json* err = exp.find("error");
      const Json* cause = exp.find("cause");
      good = !o.ok && err && err->is_string() && err->get_string() == o.error && cause && cause->is_string() &&
             CauseMatches(cause->str(), o.cause);
      if (!good) {
        failures.push_back(id + "\n   want " + (err ? err->Dump() : "?") + " " + (cause ? cause->Dump() : "?") +
                           "\n   got  " + (o.ok ? "output " + o.output.Dump() : o.error + ": " + o.cause));
      }
    }
    if (good) ++passed;
  }
  std::string report;
  for (const auto& f : failures) report += "  " + f + "\n";
  std::printf("[conformance] Pass-chain cases: %d run, %d passed\n", run, passed);
  EXPECT_GT(run, 50);
  EXPECT_EQ(passed, run) << report;
}

}  // namespace
}  // namespace stepline::expr

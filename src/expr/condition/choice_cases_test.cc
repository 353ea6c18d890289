// Measures AWS conformance of Condition directly: for every recorded case
// whose machine is "a Choice state selecting a terminal Pass/Succeed/Fail",
// evaluates the Choice rules on the case input and checks that the branch taken
// is the one AWS's recorded result implies.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/json.h"
#include "expr/condition/condition.h"

namespace stepline::expr {
namespace {

namespace fs = std::filesystem;

fs::path CasesDir() {
  if (const char* env = std::getenv("STEPLINE_SFN_CASES")) return env;
  return fs::path(__FILE__).parent_path() / "../../../../shared/conformance/sfn/cases";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool OnlyKeys(const Json& obj, std::initializer_list<std::string_view> keys) {
  for (const auto& m : obj.get_object()) {
    bool ok = false;
    for (auto k : keys) ok = ok || m.key == k;
    if (!ok) return false;
  }
  return true;
}

// What a terminal target state produces: an output, or an error name.
struct Outcome {
  bool failed = false;
  std::string error;
  Json output;
};

// The outcome of entering `name` with `input`, when the state is simple
// enough to predict without an interpreter; nullopt otherwise.
std::optional<Outcome> Terminal(const Json& states, const std::string& name, const Json& input) {
  const Json* s = states.find(name);
  if (s == nullptr || !s->is_object()) return std::nullopt;
  const Json* type = s->find("Type");
  if (type == nullptr || !type->is_string()) return std::nullopt;
  std::string_view t = type->get_string();
  if (t == "Pass" && OnlyKeys(*s, {"Type", "Result", "End", "Comment"}) && s->find("End")) {
    const Json* r = s->find("Result");
    return Outcome{false, "", r ? *r : input};
  }
  if (t == "Succeed" && OnlyKeys(*s, {"Type", "Comment"})) return Outcome{false, "", input};
  if (t == "Fail" && OnlyKeys(*s, {"Type", "Error", "Cause", "Comment"})) {
    const Json* e = s->find("Error");
    return Outcome{true, e && e->is_string() ? e->str() : "", Json()};
  }
  return std::nullopt;
}

TEST(ChoiceCases, RecordedAwsBranchesMatch) {
  fs::path dir = CasesDir();
  ASSERT_TRUE(fs::is_directory(dir)) << "conformance cases not found at " << dir;
  int checked = 0, passed = 0, choice_operator_cases = 0;
  std::string failures;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    auto doc = Json::Parse(ReadFile(entry.path()));
    ASSERT_TRUE(doc.ok()) << entry.path();
    const Json* def = doc->find("definition");
    const Json* expected = doc->find("expected");
    const Json* input = doc->find("input");
    if (!def || !expected || !input || !def->is_object()) continue;
    if (const Json* ql = def->find("QueryLanguage"); ql && !(ql->is_string() && ql->get_string() == "JSONPath")) {
      continue;
    }
    const Json* states = def->find("States");
    const Json* start = def->find("StartAt");
    if (!states || !start || !start->is_string() || !states->is_object()) continue;
    const Json* choice = states->find(start->get_string());
    if (!choice || !choice->is_object() || !OnlyKeys(*choice, {"Type", "Choices", "Default", "Comment"})) continue;
    const Json* type = choice->find("Type");
    if (!type || !type->is_string() || type->get_string() != "Choice") continue;
    const Json* choices = choice->find("Choices");
    if (!choices || !choices->is_array()) continue;

    // Every target must be predictable, or the case is out of scope.
    bool simple = true;
    std::vector<Condition> rules;
    std::vector<std::string> nexts;
    for (const Json& r : choices->get_array()) {
      const Json* next = r.is_object() ? r.find("Next") : nullptr;
      if (!next || !next->is_string() || r.find("Assign")) {
        simple = false;
        break;
      }
      auto c = Condition::Compile(r);
      ASSERT_TRUE(c.ok()) << entry.path().filename() << ": " << c.status().ToString();
      rules.push_back(*c);
      nexts.push_back(next->str());
      simple = simple && Terminal(*states, next->str(), *input).has_value();
    }
    const Json* dflt = choice->find("Default");
    if (dflt && (!dflt->is_string() || !Terminal(*states, dflt->str(), *input))) simple = false;
    if (!simple) continue;

    Scope scope;
    scope.input = *input;
    Outcome predicted;
    bool decided = false;
    for (size_t i = 0; i < rules.size() && !decided; ++i) {
      auto v = rules[i].Eval(scope);
      if (!v.ok()) {
        predicted = Outcome{true, v.status().name(), Json()};
        decided = true;
      } else if (*v) {
        predicted = *Terminal(*states, nexts[i], *input);
        decided = true;
      }
    }
    if (!decided) {
      predicted = dflt ? *Terminal(*states, dflt->str(), *input) : Outcome{true, "States.NoChoiceMatched", Json()};
    }

    ++checked;
    if (entry.path().filename().string().rfind("choice_operators", 0) == 0) ++choice_operator_cases;
    const Json* status = expected->find("status");
    bool aws_failed = status && status->is_string() && status->get_string() == "FAILED";
    bool ok;
    if (predicted.failed) {
      const Json* err = expected->find("error");
      ok = aws_failed && err && err->is_string() && err->get_string() == predicted.error;
    } else {
      const Json* out = expected->find("output");
      ok = !aws_failed && out && *out == predicted.output;
    }
    if (ok) {
      ++passed;
    } else {
      failures += entry.path().filename().string() + ": predicted " +
                  (predicted.failed ? "error " + predicted.error : predicted.output.Dump()) + ", AWS " +
                  expected->Dump() + "\n";
    }
  }
  std::printf("[ choices  ] %d recorded cases checked (%d choice_operators), %d match AWS\n", checked,
              choice_operator_cases, passed);
  EXPECT_GE(choice_operator_cases, 306);
  EXPECT_EQ(passed, checked) << failures;
}

}  // namespace
}  // namespace stepline::expr

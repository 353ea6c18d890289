// Every definition AWS accepted in the recorded conformance cases (expected
// status SUCCEEDED or FAILED: the execution ran) must validate without errors.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "asl/validate/validate.h"
#include "base/json.h"

namespace stepline::asl {
namespace {

namespace fs = std::filesystem;

fs::path CasesDir() {
  if (const char* env = std::getenv("STEPLINE_SFN_CASES")) return env;
  // src/asl/validate/ -> repository root -> ../shared/conformance/sfn/cases
  return fs::path(__FILE__).parent_path() / "../../../../shared/conformance/sfn/cases";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Describe(const std::vector<Diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) {
    out += "  " + d.severity + " " + d.code + ": " + d.message + " at " + d.location + "\n";
  }
  return out;
}

TEST(ValidateCases, EveryAcceptedDefinitionHasNoErrors) {
  fs::path dir = CasesDir();
  ASSERT_TRUE(fs::is_directory(dir)) << "conformance cases not found at " << dir
                                     << " (set STEPLINE_SFN_CASES)";
  int checked = 0;
  int with_errors = 0;
  std::string failures;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    auto doc = Json::Parse(ReadFile(entry.path()));
    ASSERT_TRUE(doc.ok()) << entry.path() << ": " << doc.status().ToString();
    const Json* expected = doc->find("expected");
    const Json* status = expected ? expected->find("status") : nullptr;
    if (status == nullptr || !status->is_string()) continue;
    if (status->get_string() != "SUCCEEDED" && status->get_string() != "FAILED") continue;
    const Json* def = doc->find("definition");
    ASSERT_NE(def, nullptr) << entry.path();
    ++checked;
    // Through the text entry point, as CreateStateMachine receives it.
    auto diags = ValidateDefinitionText(def->Dump());
    if (HasErrors(diags)) {
      ++with_errors;
      failures += entry.path().filename().string() + "\n" + Describe(diags);
    }
  }
  EXPECT_GE(checked, 600) << "expected the ~681 recorded cases";
  EXPECT_EQ(with_errors, 0) << failures;
}

}  // namespace
}  // namespace stepline::asl

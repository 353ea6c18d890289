// Every definition of the recorded conformance cases parses into the model
// (JSONPath and JSONata alike), including those the command line cannot run
// (S3 readers, callbacks), so that no field is left uncompiled.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "asl/model.h"
#include "base/json.h"

namespace stepline::asl {
namespace {

namespace fs = std::filesystem;

fs::path CasesDir() {
  if (const char* env = std::getenv("STEPLINE_SFN_CASES")) return env;
  return fs::path(__FILE__).parent_path() / "../../../shared/conformance/sfn/cases";
}

TEST(ParseCases, EveryRecordedDefinitionParses) {
  fs::path dir = CasesDir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "conformance cases not found at " << dir;
  int parsed = 0, jsonata_states = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto doc = Json::Parse(ss.str());
    ASSERT_TRUE(doc.ok()) << entry.path();
    const Json* expected = doc->find("expected");
    const Json* status = expected ? expected->find("status") : nullptr;
    // Only definitions AWS accepted (the execution ran).
    if (!status || !status->is_string() ||
        (status->get_string() != "SUCCEEDED" && status->get_string() != "FAILED"))
      continue;
    const Json* def = doc->find("definition");
    ASSERT_NE(def, nullptr);
    auto d = Parse(*def);
    ASSERT_TRUE(d.ok()) << entry.path().filename() << ": " << d.status().ToString();
    ++parsed;
    for (const auto& [name, s] : (*d)->all_states) jsonata_states += s->jsonata() ? 1 : 0;
  }
  EXPECT_GT(parsed, 600);
  EXPECT_GT(jsonata_states, 100);
}

}  // namespace
}  // namespace stepline::asl

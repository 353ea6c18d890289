#pragma once
// JSONata errors. Inside the engine an error is thrown as JError (JSONata has
// no try/catch, so every error ends the evaluation and the happy path pays
// nothing for checks); Expression::Compile/Evaluate turn it into a Status, so
// no exception leaves the module.

#include <string>
#include <string_view>

#include "base/status.h"

namespace stepline::jsonata {

class Value;

struct JError {
  std::string code;
  std::string message;
  int position = -1;
};

// Fields substituted into the reference's message templates.
struct ErrArgs {
  std::string token;
  std::string value;   // already rendered
  std::string value2;
  int index = 0;
  std::string type;
  std::string exp;
  std::string message;  // for D3137 / D3141 style "{{{message}}}"
  std::string function_name;
};

// The reference's message for `code` with args filled in.
std::string ErrorMessage(std::string_view code, const ErrArgs& args);
[[noreturn]] void Throw(std::string_view code, const ErrArgs& args = {}, int position = -1);
// Renders a value for an error message as the reference does (JSON-ish).
std::string RenderValue(const Value& v);
Status ToStatus(const JError& e);

}  // namespace stepline::jsonata

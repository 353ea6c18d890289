#pragma once
// Function signatures such as "<s-n?:s>": parsed once, then used to validate
// and coerce arguments (context substitution for '-', singleton-to-array for
// 'a'). Matching is a small backtracking matcher over one symbol per argument,
// equivalent to the regular expression the reference builds.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stepline::jsonata {

class Value;

struct SigParam {
  uint16_t mask = 0;     // accepted argument symbols
  char type = 0;         // 'a', 'f', 's', ..., '(' for a choice
  char quant = 0;        // 0, '?', '+'
  bool context = false;  // '-': use the context value when missing
  uint16_t context_mask = 0;
  std::string subtype;   // a<n>, f<...>
};

struct Signature {
  std::vector<SigParam> params;
  std::string text;
  // Parameters from this index on are all optional ('?') without context
  // substitution: fewer arguments than that never take the fast path.
  size_t optional_tail = 0;
};

// Throws JError S0401/S0402.
Signature ParseSignature(std::string_view text);

// Validates args in place (coercing as the reference does). `name` is the
// function's name for error messages. Throws T0410/T0411/T0412.
void ValidateArgs(const Signature& sig, std::vector<Value>& args, const Value& context,
                  const std::string& name);

char SymbolOf(const Value& v);

}  // namespace stepline::jsonata

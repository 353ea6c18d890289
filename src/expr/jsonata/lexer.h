#pragma once
// Tokenizer for JSONata source text. Whether '/' starts a regular expression
// depends on the parser's position (prefix vs infix), so the parser asks for
// one token at a time. Throws JError (S01xx, S03xx).

#include <string>
#include <string_view>

#include "base/json.h"

namespace stepline::jsonata {

struct Token {
  enum Type : uint8_t { kEnd, kOperator, kName, kVariable, kString, kNumber, kValue, kRegex };
  Type type = kEnd;
  std::string value;  // operator / name / variable name / string text / regex pattern
  std::string flags;  // regex flags
  Json literal;       // number / value / string
  int position = 0;   // offset just past the token, as the reference reports
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}
  // `infix` true when an operand was just read, so '/' means division.
  Token Next(bool infix);
  size_t offset() const { return pos_; }
  void set_offset(size_t p) { pos_ = p; }
  std::string_view source() const { return src_; }

 private:
  std::string_view src_;
  size_t pos_ = 0;
};

}  // namespace stepline::jsonata

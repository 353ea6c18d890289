#include "expr/jsonata/lexer.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "expr/jsonata/errors.h"
#include "expr/jsonata/value.h"

namespace stepline::jsonata {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Characters that end a bare name (operators, quotes, whitespace).
bool EndsName(char c) {
  return IsSpace(c) || std::strchr(".[]{}()&,;:?!*+-|/'\"`~<>=^%@#", c) != nullptr || c == '\0';
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Token Lexer::Next(bool infix) {
  Token t;
  const size_t n = src_.size();
  // Skip whitespace and comments.
  for (;;) {
    while (pos_ < n && IsSpace(src_[pos_])) ++pos_;
    if (pos_ + 1 < n && src_[pos_] == '/' && src_[pos_ + 1] == '*') {
      size_t end = src_.find("*/", pos_ + 2);
      if (end == std::string_view::npos) {
        pos_ = n;
        Throw("S0106", {}, static_cast<int>(n));
      }
      pos_ = end + 2;
      continue;
    }
    break;
  }
  if (pos_ >= n) {
    t.type = Token::kEnd;
    t.position = static_cast<int>(n);
    return t;
  }
  char c = src_[pos_];
  // Regular expression literal.
  if (!infix && c == '/') {
    size_t start = ++pos_;
    int depth = 0;
    bool found = false;
    while (pos_ < n) {
      char d = src_[pos_];
      if (d == '\\') {
        pos_ += 2;
        continue;
      }
      if (d == '[') ++depth;
      else if (d == ']' && depth > 0) --depth;
      else if (d == '/' && depth == 0) {
        found = true;
        break;
      }
      ++pos_;
    }
    if (!found) Throw("S0302", {}, static_cast<int>(pos_));
    t.value = std::string(src_.substr(start, pos_ - start));
    if (t.value.empty()) Throw("S0301", {}, static_cast<int>(pos_));
    ++pos_;
    while (pos_ < n && (src_[pos_] == 'i' || src_[pos_] == 'm' || src_[pos_] == 'g' ||
                        src_[pos_] == 's' || src_[pos_] == 'u' || src_[pos_] == 'y')) {
      t.flags += src_[pos_++];
    }
    t.type = Token::kRegex;
    t.position = static_cast<int>(pos_);
    return t;
  }
  // Two-character operators.
  if (pos_ + 1 < n) {
    std::string_view two = src_.substr(pos_, 2);
    if (two == ".." || two == ":=" || two == "!=" || two == ">=" || two == "<=" || two == "**" ||
        two == "~>") {
      pos_ += 2;
      t.type = Token::kOperator;
      t.value = std::string(two);
      t.position = static_cast<int>(pos_);
      return t;
    }
  }
  if (std::strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c)) {
    ++pos_;
    t.type = Token::kOperator;
    t.value = std::string(1, c);
    t.position = static_cast<int>(pos_);
    return t;
  }
  // String literal.
  if (c == '"' || c == '\'') {
    char quote = c;
    ++pos_;
    std::string s;
    while (pos_ < n) {
      char d = src_[pos_];
      if (d == '\\') {
        ++pos_;
        if (pos_ >= n) break;
        char e = src_[pos_];
        switch (e) {
          case '"': s += '"'; break;
          case '\\': s += '\\'; break;
          case '/': s += '/'; break;
          case 'b': s += '\b'; break;
          case 'f': s += '\f'; break;
          case 'n': s += '\n'; break;
          case 'r': s += '\r'; break;
          case 't': s += '\t'; break;
          case 'u': {
            auto read4 = [&](size_t at, char32_t* out) {
              if (at + 4 > n) return false;
              char32_t v = 0;
              for (size_t k = 0; k < 4; ++k) {
                int h = Hex(src_[at + k]);
                if (h < 0) return false;
                v = v * 16 + h;
              }
              *out = v;
              return true;
            };
            char32_t cp;
            if (!read4(pos_ + 1, &cp)) Throw("S0104", {}, static_cast<int>(pos_));
            pos_ += 4;
            // Join a UTF-16 surrogate pair into one code point.
            if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 2 < n && src_[pos_ + 1] == '\\' &&
                src_[pos_ + 2] == 'u') {
              char32_t lo;
              if (read4(pos_ + 3, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                pos_ += 6;
              }
            }
            AppendUtf8(s, cp);
            break;
          }
          default:
            Throw("S0103", {.token = std::string(1, e)}, static_cast<int>(pos_));
        }
        ++pos_;
        continue;
      }
      if (d == quote) {
        ++pos_;
        t.type = Token::kString;
        t.literal = Json(s);
        t.value = std::move(s);
        t.position = static_cast<int>(pos_);
        return t;
      }
      s += d;
      ++pos_;
    }
    Throw("S0101", {}, static_cast<int>(pos_));
  }
  // Number literal: -?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?
  if (c >= '0' && c <= '9') {
    size_t p = pos_;
    if (src_[p] == '0') ++p;
    else
      while (p < n && std::isdigit(static_cast<unsigned char>(src_[p]))) ++p;
    if (p + 1 < n && src_[p] == '.' && std::isdigit(static_cast<unsigned char>(src_[p + 1]))) {
      ++p;
      while (p < n && std::isdigit(static_cast<unsigned char>(src_[p]))) ++p;
    }
    if (p < n && (src_[p] == 'e' || src_[p] == 'E')) {
      size_t q = p + 1;
      if (q < n && (src_[q] == '+' || src_[q] == '-')) ++q;
      if (q < n && std::isdigit(static_cast<unsigned char>(src_[q]))) {
        while (q < n && std::isdigit(static_cast<unsigned char>(src_[q]))) ++q;
        p = q;
      }
    }
    std::string text(src_.substr(pos_, p - pos_));
    double d = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(d)) Throw("S0102", {.token = text}, static_cast<int>(p));
    pos_ = p;
    t.type = Token::kNumber;
    t.literal = MakeNumber(d);
    t.value = text;
    t.position = static_cast<int>(pos_);
    return t;
  }
  // Quoted name.
  if (c == '`') {
    size_t end = src_.find('`', pos_ + 1);
    if (end == std::string_view::npos) {
      pos_ = n;
      Throw("S0105", {}, static_cast<int>(n));
    }
    t.type = Token::kName;
    t.value = std::string(src_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    t.position = static_cast<int>(pos_);
    return t;
  }
  // Names, variables and keywords.
  size_t p = pos_;
  while (p < n && !EndsName(src_[p])) ++p;
  if (c == '$') {
    size_t q = pos_ + 1;
    while (q < n && !EndsName(src_[q])) ++q;
    t.type = Token::kVariable;
    t.value = std::string(src_.substr(pos_ + 1, q - pos_ - 1));
    pos_ = q;
    t.position = static_cast<int>(pos_);
    return t;
  }
  std::string name(src_.substr(pos_, p - pos_));
  pos_ = p;
  t.position = static_cast<int>(pos_);
  if (name == "and" || name == "or" || name == "in") {
    t.type = Token::kOperator;
  } else if (name == "true" || name == "false") {
    t.type = Token::kValue;
    t.literal = Json(name == "true");
  } else if (name == "null") {
    t.type = Token::kValue;
    t.literal = Json();
  } else {
    t.type = Token::kName;
  }
  if (name.empty()) {
    // Not reachable for well-formed UTF-8; guard against looping on odd bytes.
    ++pos_;
    t.type = Token::kOperator;
    t.value = std::string(1, c);
    return t;
  }
  t.value = std::move(name);
  return t;
}

}  // namespace stepline::jsonata

#pragma once
// XPath fn:format-integer pictures ("000", "#,##0", "w", "Ww", "I", "a", ";o"),
// shared by $formatInteger, $parseInteger and the date/time pictures.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stepline::jsonata {

struct IntegerFormat {
  enum Primary { kDecimal, kLetters, kRoman, kWords, kSequence };
  enum Case { kLower, kUpper, kTitle };
  Primary primary = kDecimal;
  Case letter_case = kLower;
  bool ordinal = false;
  char32_t zero = U'0';
  int mandatory_digits = 0;
  int optional_digits = 0;
  bool regular = false;
  int group_size = 0;                                      // regular grouping
  std::string separator;                                   // regular grouping
  std::vector<std::pair<int, std::string>> separators;     // irregular: (position, text)
  std::string token;                                       // kSequence
  bool plain = false;  // kDecimal, ASCII digits, no grouping, no ordinal: just padded digits
};

// Throws D3131.
IntegerFormat AnalyseIntegerPicture(const std::string& picture);
// Throws D3130 for unsupported numbering sequences.
std::string FormatInteger(double value, const IntegerFormat& f);
// Appends FormatInteger(value, f) to out (plain digits without a temporary).
void AppendFormattedInteger(std::string& out, double value, const IntegerFormat& f);
void AppendFormattedInteger(std::string& out, int64_t value, const IntegerFormat& f);
// The regex-free parser of a formatted integer; returns false when `text`
// does not hold one. Throws D3130.
bool ParseFormattedInteger(const std::string& text, const IntegerFormat& f, double* out);
// The words of a number ("one hundred and twenty-three") and back.
std::string NumberToWords(double value, bool ordinal);
double WordsToNumber(const std::string& lower_text);
// Words the parser recognises (lower case), for scanning.
bool IsNumberWord(const std::string& lower_word);
// Regex alternation matching spelled-out numbers (for date/time parsing).
const std::string& NumberWordsRegex();

}  // namespace stepline::jsonata

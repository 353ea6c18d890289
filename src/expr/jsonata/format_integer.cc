#include "expr/jsonata/format_integer.h"

#include <cmath>
#include <map>
#include <numeric>

#include "expr/jsonata/errors.h"
#include "expr/jsonata/functions.h"
#include "expr/jsonata/value.h"

namespace stepline::jsonata {
namespace {

const char32_t kDecimalGroups[] = {
    0x30,   0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6,
    0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0,
    0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
    0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

const char* kFew[] = {"Zero",    "One",     "Two",       "Three",    "Four",     "Five",    "Six",
                      "Seven",   "Eight",   "Nine",      "Ten",      "Eleven",   "Twelve",  "Thirteen",
                      "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
const char* kOrdinals[] = {"Zeroth",     "First",      "Second",      "Third",      "Fourth",
                           "Fifth",      "Sixth",      "Seventh",     "Eighth",     "Ninth",
                           "Tenth",      "Eleventh",   "Twelfth",     "Thirteenth", "Fourteenth",
                           "Fifteenth",  "Sixteenth",  "Seventeenth", "Eighteenth", "Nineteenth"};
const char* kDecades[] = {"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"};
const char* kMagnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const std::map<std::string, double>& WordValues() {
  static const auto* m = [] {
    auto* r = new std::map<std::string, double>();
    for (int i = 0; i < 20; ++i) {
      (*r)[Lower(kFew[i])] = i;
      (*r)[Lower(kOrdinals[i])] = i;
    }
    for (int i = 0; i < 9; ++i) {
      std::string w = Lower(kDecades[i]);
      (*r)[w] = (i + 2) * 10;
      (*r)[w.substr(0, w.size() - 1) + "ieth"] = (i + 2) * 10;
    }
    (*r)["hundredth"] = 100;
    for (int i = 0; i < 4; ++i) {
      std::string w = Lower(kMagnitudes[i]);
      double v = std::pow(10, (i + 1) * 3);
      (*r)[w] = v;
      (*r)[w + "th"] = v;
    }
    return r;
  }();
  return *m;
}

std::string Words(double num, bool prev, bool ord) {
  std::string words;
  if (num <= 19) {
    words = std::string(prev ? " and " : "") + (ord ? kOrdinals[static_cast<int>(num)] : kFew[static_cast<int>(num)]);
  } else if (num < 100) {
    int tens = static_cast<int>(num / 10);
    int rem = static_cast<int>(std::fmod(num, 10));
    words = std::string(prev ? " and " : "") + kDecades[tens - 2];
    if (rem > 0) words += "-" + Words(rem, false, ord);
    else if (ord) words = words.substr(0, words.size() - 1) + "ieth";
  } else if (num < 1000) {
    int hundreds = static_cast<int>(num / 100);
    double rem = std::fmod(num, 100);
    words = std::string(prev ? ", " : "") + kFew[hundreds] + " Hundred";
    if (rem > 0) words += Words(rem, true, ord);
    else if (ord) words += "th";
  } else {
    int mag = static_cast<int>(std::floor(std::log10(num) / 3));
    if (mag > 4) mag = 4;
    double factor = std::pow(10, mag * 3);
    double mant = std::floor(num / factor);
    double rem = num - mant * factor;
    words = std::string(prev ? ", " : "") + Words(mant, false, false) + " " + kMagnitudes[mag - 1];
    if (rem > 0) words += Words(rem, true, ord);
    else if (ord) words += "th";
  }
  return words;
}

const std::pair<int, const char*> kRoman[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
                                              {90, "xc"},  {50, "l"},   {40, "xl"},  {10, "x"},   {9, "ix"},
                                              {5, "v"},    {4, "iv"},   {1, "i"}};

std::string ToRoman(double v) {
  std::string r;
  for (const auto& [n, s] : kRoman) {
    while (v >= n) {
      r += s;
      v -= n;
    }
  }
  return r;
}

std::string ToLetters(double v, char a) {
  std::string r;
  while (v > 0) {
    r.insert(r.begin(), static_cast<char>(static_cast<int>(std::fmod(v - 1, 26)) + a));
    v = std::floor((v - 1) / 26);
  }
  return r;
}

}  // namespace

std::string NumberToWords(double value, bool ordinal) { return Words(value, false, ordinal); }

const std::string& NumberWordsRegex() {
  static const std::string* r = [] {
    std::vector<std::string> words;
    for (auto* w : kFew) words.push_back(Lower(w));
    for (auto* w : kOrdinals) words.push_back(Lower(w));
    for (auto* w : kDecades) {
      std::string l = Lower(w);
      words.push_back(l);
      words.push_back(l.substr(0, l.size() - 1) + "ieth");
    }
    words.push_back("hundredth");
    for (auto* w : kMagnitudes) {
      words.push_back(Lower(w));
      words.push_back(Lower(w) + "th");
    }
    words.push_back("and");
    words.push_back("[\\-, ]");
    std::string s = "(?:";
    for (size_t i = 0; i < words.size(); ++i) s += (i ? "|" : "") + words[i];
    s += ")+";
    return new std::string(s);
  }();
  return *r;
}

bool IsNumberWord(const std::string& w) { return WordValues().count(w) > 0 || w == "and"; }

double WordsToNumber(const std::string& text) {
  // Split on ", ", " and ", whitespace and '-'.
  std::vector<std::string> parts;
  std::string cur;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ',' && i + 1 < text.size() && text[i + 1] == ' ') {
      parts.push_back(cur);
      cur.clear();
      ++i;
    } else if (c == ' ' && text.compare(i, 5, " and ") == 0) {
      parts.push_back(cur);
      cur.clear();
      i += 4;
    } else if (c == ' ' || c == '-' || c == '\\') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  std::vector<double> segs{0};
  for (const auto& p : parts) {
    auto it = WordValues().find(p);
    double value = it == WordValues().end() ? NAN : it->second;
    if (value < 100) {
      double top = segs.back();
      segs.pop_back();
      if (top >= 1000) {
        segs.push_back(top);
        top = 0;
      }
      segs.push_back(top + value);
    } else {
      double top = segs.back();
      segs.pop_back();
      segs.push_back(top * value);
    }
  }
  double r = 0;
  for (double s : segs) r += s;
  return r;
}

IntegerFormat AnalyseIntegerPicture(const std::string& picture) {
  IntegerFormat f;
  std::string primary = picture;
  size_t semi = picture.rfind(';');
  if (semi != std::string::npos) {
    primary = picture.substr(0, semi);
    std::string mod = picture.substr(semi + 1);
    if (!mod.empty() && mod[0] == 'o') f.ordinal = true;
  }
  if (primary == "A") {
    f.letter_case = IntegerFormat::kUpper;
    f.primary = IntegerFormat::kLetters;
  } else if (primary == "a") {
    f.primary = IntegerFormat::kLetters;
  } else if (primary == "I") {
    f.letter_case = IntegerFormat::kUpper;
    f.primary = IntegerFormat::kRoman;
  } else if (primary == "i") {
    f.primary = IntegerFormat::kRoman;
  } else if (primary == "W") {
    f.letter_case = IntegerFormat::kUpper;
    f.primary = IntegerFormat::kWords;
  } else if (primary == "Ww") {
    f.letter_case = IntegerFormat::kTitle;
    f.primary = IntegerFormat::kWords;
  } else if (primary == "w") {
    f.primary = IntegerFormat::kWords;
  } else {
    char32_t zero = 0;
    int position = 0;
    std::u32string cps = ToU32(primary);
    std::vector<std::pair<int, std::string>> seps;
    for (auto it = cps.rbegin(); it != cps.rend(); ++it) {
      char32_t cp = *it;
      bool digit = false;
      for (char32_t g : kDecimalGroups) {
        if (cp >= g && cp <= g + 9) {
          digit = true;
          ++f.mandatory_digits;
          ++position;
          if (zero == 0) zero = g;
          else if (g != zero) Throw("D3131");
          break;
        }
      }
      if (!digit) {
        if (cp == U'#') {
          ++position;
          ++f.optional_digits;
        } else {
          std::string s;
          AppendUtf8(s, cp);
          seps.emplace_back(position, s);
        }
      }
    }
    if (f.mandatory_digits > 0) {
      f.primary = IntegerFormat::kDecimal;
      f.zero = zero;
      // Regular grouping: one separator character at multiples of one interval.
      int regular = 0;
      if (!seps.empty()) {
        bool same = true;
        for (auto& s : seps)
          if (s.second != seps[0].second) same = false;
        if (same) {
          int g = 0;
          for (auto& s : seps) g = std::gcd(g, s.first);
          regular = g;
          for (size_t i = 1; i <= seps.size() && regular; ++i) {
            bool found = false;
            for (auto& s : seps)
              if (s.first == static_cast<int>(i) * g) found = true;
            if (!found) regular = 0;
          }
        }
      }
      if (regular > 0) {
        f.regular = true;
        f.group_size = regular;
        f.separator = seps[0].second;
      } else {
        f.separators = seps;
      }
    } else {
      f.primary = IntegerFormat::kSequence;
      f.token = primary;
    }
  }
  f.plain = f.primary == IntegerFormat::kDecimal && f.zero == U'0' && !f.regular && f.separators.empty() &&
            !f.ordinal;
  return f;
}

std::string FormatInteger(double value, const IntegerFormat& f) {
  if (!std::isfinite(value)) Throw("D1001", {.value = JsNumber(value)});
  // Roman numerals and letters of astronomically large values would never finish.
  if (std::fabs(value) > 1e15 && f.primary != IntegerFormat::kDecimal && f.primary != IntegerFormat::kWords)
    Throw("D3130", {.value = JsNumber(value)});
  bool negative = value < 0;
  value = std::fabs(value);
  std::string out;
  switch (f.primary) {
    case IntegerFormat::kLetters:
      out = ToLetters(value, f.letter_case == IntegerFormat::kUpper ? 'A' : 'a');
      break;
    case IntegerFormat::kRoman:
      out = ToRoman(value);
      if (f.letter_case == IntegerFormat::kUpper) out = Upper(out);
      break;
    case IntegerFormat::kWords:
      out = NumberToWords(value, f.ordinal);
      if (f.letter_case == IntegerFormat::kUpper) out = Upper(out);
      else if (f.letter_case == IntegerFormat::kLower) out = Lower(out);
      break;
    case IntegerFormat::kDecimal: {
      std::string digits = JsNumber(value);
      if (static_cast<int>(digits.size()) < f.mandatory_digits)
        digits.insert(0, static_cast<size_t>(f.mandatory_digits) - digits.size(), '0');
      if (f.zero == U'0' && !f.regular && f.separators.empty() && !f.ordinal) {
        out = std::move(digits);  // ASCII digits, no grouping: nothing to rewrite
        break;
      }
      std::u32string u = ToU32(digits);
      if (f.zero != U'0')
        for (auto& c : u)
          if (c >= U'0' && c <= U'9') c = c - U'0' + f.zero;
      std::vector<std::string> chars;
      for (char32_t c : u) {
        std::string s;
        AppendUtf8(s, c);
        chars.push_back(s);
      }
      if (f.regular) {
        int n = (static_cast<int>(chars.size()) - 1) / f.group_size;
        for (int i = n; i > 0; --i) {
          int pos = static_cast<int>(chars.size()) - i * f.group_size;
          chars.insert(chars.begin() + pos, f.separator);
        }
      } else {
        for (auto it = f.separators.rbegin(); it != f.separators.rend(); ++it) {
          int pos = static_cast<int>(chars.size()) - it->first;
          if (pos < 0) pos = 0;
          chars.insert(chars.begin() + pos, it->second);
        }
      }
      for (auto& s : chars) out += s;
      if (f.ordinal) {
        char last = out.empty() ? '0' : out.back();
        const char* suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";
        if (out.size() > 1 && out[out.size() - 2] == '1') suffix = "th";
        out += suffix;
      }
      break;
    }
    case IntegerFormat::kSequence:
      Throw("D3130", {.value = "\"" + f.token + "\""});
  }
  if (negative) out = "-" + out;
  return out;
}

void AppendFormattedInteger(std::string& out, int64_t value, const IntegerFormat& f) {
  // Date/time components: digits, zero-padded, built right to left in a
  // buffer and appended once.
  if (f.plain && f.mandatory_digits <= 24 && value > -(int64_t{1} << 53) && value < (int64_t{1} << 53)) {
    char buf[32];
    char* const end = buf + sizeof buf;
    char* p = end;
    uint64_t v = static_cast<uint64_t>(value < 0 ? -value : value);
    do {
      *--p = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v);
    while (end - p < f.mandatory_digits) *--p = '0';
    if (value < 0) *--p = '-';
    out.append(p, static_cast<size_t>(end - p));
    return;
  }
  out += FormatInteger(static_cast<double>(value), f);
}

void AppendFormattedInteger(std::string& out, double value, const IntegerFormat& f) {
  // (An integer round trip rather than std::trunc, a libm call on baseline x86-64.)
  double a = std::fabs(value);
  if (f.plain && a < 9007199254740992.0 && a == static_cast<double>(static_cast<uint64_t>(a))) {
    AppendFormattedInteger(out, static_cast<int64_t>(value), f);
    return;
  }
  out += FormatInteger(value, f);
}

bool ParseFormattedInteger(const std::string& text, const IntegerFormat& f, double* out) {
  switch (f.primary) {
    case IntegerFormat::kLetters: {
      char a = f.letter_case == IntegerFormat::kUpper ? 'A' : 'a';
      double r = 0;
      for (size_t i = 0; i < text.size(); ++i) r += (text[text.size() - i - 1] - a + 1) * std::pow(26, i);
      *out = r;
      return true;
    }
    case IntegerFormat::kRoman: {
      std::string u = Upper(text);
      double dec = 0, max = 1;
      for (size_t i = u.size(); i-- > 0;) {
        double v = 0;
        switch (u[i]) {
          case 'M': v = 1000; break;
          case 'D': v = 500; break;
          case 'C': v = 100; break;
          case 'L': v = 50; break;
          case 'X': v = 10; break;
          case 'V': v = 5; break;
          case 'I': v = 1; break;
          default: return false;
        }
        if (v < max) {
          dec -= v;
        } else {
          max = v;
          dec += v;
        }
      }
      *out = dec;
      return true;
    }
    case IntegerFormat::kWords:
      *out = WordsToNumber(Lower(text));
      return !std::isnan(*out);
    case IntegerFormat::kDecimal: {
      std::string digits = text;
      if (f.ordinal && digits.size() >= 2) digits = digits.substr(0, digits.size() - 2);
      std::u32string u = ToU32(digits);
      std::string plain;
      for (char32_t c : u) {
        if (c >= f.zero && c <= f.zero + 9) plain += static_cast<char>('0' + (c - f.zero));
        else if (c >= U'0' && c <= U'9') plain += static_cast<char>(c);
      }
      if (plain.empty()) return false;
      *out = std::strtod(plain.c_str(), nullptr);
      return true;
    }
    case IntegerFormat::kSequence:
      Throw("D3130", {.value = "\"" + f.token + "\""});
  }
  return false;
}

Value FnFormatInteger(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  IntegerFormat f = AnalyseIntegerPicture(std::string(c.arg(1).str()));
  return Value(Json(FormatInteger(std::floor(c.arg(0).num()), f)));
}

Value FnParseInteger(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  IntegerFormat f = AnalyseIntegerPicture(std::string(c.arg(1).str()));
  double r;
  if (!ParseFormattedInteger(std::string(c.arg(0).str()), f, &r)) return Value();
  return Value(MakeNumber(r));
}

}  // namespace stepline::jsonata

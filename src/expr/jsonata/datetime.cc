// Date/time built-ins: $now $millis $fromMillis $toMillis, with XPath
// fn:format-dateTime picture strings ("[Y0001]-[M01]-[D01]", "[FNn]", "[Dwo]",
// "[Z01:01t]" ...). All calendar arithmetic is proleptic Gregorian in UTC, as
// JavaScript's Date UTC methods do.

#include <boost/regex.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>

#include "expr/jsonata/errors.h"
#include "expr/jsonata/evaluator.h"
#include "expr/jsonata/format_integer.h"
#include "expr/jsonata/functions.h"

namespace stepline::jsonata {
namespace {

constexpr double kDay = 86400000.0;
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

const char* kDays[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};

int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

// JavaScript Date.UTC (month is 0-based; fields may overflow).
double DateUTC(double y, double mon, double d = 1, double h = 0, double mi = 0, double s = 0, double ms = 0) {
  double yy = y, mm = mon;
  if (!(mon >= 0 && mon < 12)) {  // an in-range month needs no floor/fmod
    yy = y + std::floor(mon / 12);
    mm = std::fmod(mon, 12);
    if (mm < 0) mm += 12;
  }
  double days = static_cast<double>(DaysFromCivil(static_cast<int64_t>(yy), static_cast<int64_t>(mm) + 1, 1)) + d - 1;
  return days * kDay + h * 3600000.0 + mi * 60000.0 + s * 1000.0 + ms;
}

struct DateParts {
  int64_t year;
  int month;  // 0-based
  int day;
  int weekday;  // 0 = Sunday
  int hour, minute, second, millis;
  double time;
};

DateParts Breakdown(double t) {
  DateParts p;
  p.time = t;
  int64_t days, r;
  if (std::fabs(t) < 9007199254740992.0 && t == static_cast<double>(static_cast<int64_t>(t))) {
    // Whole milliseconds (always, from the callers): exact floor division.
    int64_t ti = static_cast<int64_t>(t);
    days = ti / 86400000;
    r = ti % 86400000;
    if (r < 0) {
      r += 86400000;
      --days;
    }
  } else {
    double fd = std::floor(t / kDay);
    days = static_cast<int64_t>(fd);
    r = static_cast<int64_t>(t - fd * kDay);
  }
  int m, d;
  CivilFromDays(days, &p.year, &m, &d);
  p.month = m - 1;
  p.day = d;
  int64_t wd = (days + 4) % 7;
  p.weekday = static_cast<int>(wd < 0 ? wd + 7 : wd);
  p.hour = static_cast<int>(r / 3600000);
  p.minute = static_cast<int>(r / 60000 % 60);
  p.second = static_cast<int>(r / 1000 % 60);
  p.millis = static_cast<int>(r % 1000);
  return p;
}

double StartOfFirstWeek(int64_t year, int month) {
  double jan1 = DateUTC(static_cast<double>(year), month);
  int dow = Breakdown(jan1).weekday;
  if (dow == 0) dow = 7;
  return dow > 4 ? jan1 + (8 - dow) * kDay : jan1 - (dow - 1) * kDay;
}

double DeltaWeeks(double start, double end) { return (end - start) / (kDay * 7) + 1; }

// Numeric (or "am"/"pm", "ISO") value of one component, as getDateTimeFragment.
struct Fragment {
  double num = 0;
  std::string str;
  bool is_str = false;
};

Fragment GetFragment(const DateParts& p, char comp) {
  Fragment f;
  switch (comp) {
    case 'Y': f.num = static_cast<double>(p.year); break;
    case 'M': f.num = p.month + 1; break;
    case 'D': f.num = p.day; break;
    case 'd': {
      double today = DateUTC(static_cast<double>(p.year), p.month, p.day);
      double jan1 = DateUTC(static_cast<double>(p.year), 0);
      f.num = (today - jan1) / kDay + 1;
      break;
    }
    case 'F': f.num = p.weekday == 0 ? 7 : p.weekday; break;
    case 'W': {
      double start = StartOfFirstWeek(p.year, 0);
      double today = DateUTC(static_cast<double>(p.year), p.month, p.day);
      double week = DeltaWeeks(start, today);
      if (week > 52) {
        if (today >= StartOfFirstWeek(p.year + 1, 0)) week = 1;
      } else if (week < 1) {
        week = DeltaWeeks(StartOfFirstWeek(p.year - 1, 0), today);
      }
      f.num = std::floor(week);
      break;
    }
    case 'w': {
      double start = StartOfFirstWeek(p.year, p.month);
      double today = DateUTC(static_cast<double>(p.year), p.month, p.day);
      double week = DeltaWeeks(start, today);
      int64_t ny = p.month == 11 ? p.year + 1 : p.year;
      int nm = p.month == 11 ? 0 : p.month + 1;
      int64_t py = p.month == 0 ? p.year - 1 : p.year;
      int pm = p.month == 0 ? 11 : p.month - 1;
      if (week > 4) {
        if (today >= StartOfFirstWeek(ny, nm)) week = 1;
      } else if (week < 1) {
        week = DeltaWeeks(StartOfFirstWeek(py, pm), today);
      }
      f.num = std::floor(week);
      break;
    }
    case 'X': {
      double start = StartOfFirstWeek(p.year, 0), end = StartOfFirstWeek(p.year + 1, 0);
      if (p.time < start) f.num = static_cast<double>(p.year - 1);
      else if (p.time >= end) f.num = static_cast<double>(p.year + 1);
      else f.num = static_cast<double>(p.year);
      break;
    }
    case 'x': {
      int64_t ny = p.month == 11 ? p.year + 1 : p.year;
      int nm = p.month == 11 ? 0 : p.month + 1;
      int pm = p.month == 0 ? 11 : p.month - 1;
      double start = StartOfFirstWeek(p.year, p.month), end = StartOfFirstWeek(ny, nm);
      if (p.time < start) f.num = pm + 1;
      else if (p.time >= end) f.num = nm + 1;
      else f.num = p.month + 1;
      break;
    }
    case 'H': f.num = p.hour; break;
    case 'h': f.num = p.hour % 12 == 0 ? 12 : p.hour % 12; break;
    case 'P':
      f.is_str = true;
      f.str = p.hour >= 12 ? "pm" : "am";
      break;
    case 'm': f.num = p.minute; break;
    case 's': f.num = p.second; break;
    case 'f': f.num = p.millis; break;
    case 'C':
    case 'E':
      f.is_str = true;
      f.str = "ISO";
      break;
    default:
      f.is_str = true;  // Z, z and unknown components have no value
      break;
  }
  return f;
}

enum Names { kNoNames, kLowerNames, kUpperNames, kTitleNames };

struct Part {
  bool literal = false;
  std::string text;
  char comp = 0;
  std::string pres1, pres2;
  bool has_width = false;
  std::optional<int> wmin, wmax;
  Names names = kNoNames;
  bool has_int = false;
  IntegerFormat fmt;
  int n = 0;
  bool has_n = false;
  bool numeric = false;  // a number formatted by `fmt` (not a name, zone or am/pm)
  bool plain_int = false;  // numeric Y M D H m s f as plain zero-padded digits
};

const char* DefaultPresentation(char c) {
  switch (c) {
    case 'Y': case 'M': case 'D': case 'd': case 'W': case 'w': case 'X': case 'x': case 'H': case 'h': case 'f':
      return "1";
    case 'F': case 'P': case 'C': case 'E':
      return "n";
    case 'm': case 's':
      return "01";
    case 'Z': case 'z':
      return "01:01";
    default:
      return nullptr;
  }
}

std::vector<Part> AnalysePicture(const std::string& pic) {
  std::vector<Part> parts;
  auto add_literal = [&](size_t start, size_t end) {
    if (end <= start) return;
    std::string lit = pic.substr(start, end - start);
    std::string out;
    for (size_t i = 0; i < lit.size(); ++i) {
      out += lit[i];
      if (lit[i] == ']' && i + 1 < lit.size() && lit[i + 1] == ']') ++i;
    }
    Part p;
    p.literal = true;
    p.text = out;
    parts.push_back(p);
  };
  size_t start = 0, pos = 0;
  while (pos < pic.size()) {
    if (pic[pos] == '[') {
      if (pos + 1 < pic.size() && pic[pos + 1] == '[') {
        add_literal(start, pos);
        Part p;
        p.literal = true;
        p.text = "[";
        parts.push_back(p);
        pos += 2;
        start = pos;
        continue;
      }
      add_literal(start, pos);
      start = pos;
      pos = pic.find(']', start);
      if (pos == std::string::npos) Throw("D3135");
      std::string marker;
      for (char ch : pic.substr(start + 1, pos - start - 1))
        if (!std::isspace(static_cast<unsigned char>(ch))) marker += ch;
      Part def;
      def.comp = marker.empty() ? '\0' : marker[0];
      std::string pres;
      size_t comma = marker.rfind(',');
      if (comma != std::string::npos) {
        std::string wm = marker.substr(comma + 1);
        size_t dash = wm.find('-');
        std::string mn = dash == std::string::npos ? wm : wm.substr(0, dash);
        auto parse_w = [](const std::string& s) -> std::optional<int> {
          if (s.empty() || s == "*") return std::nullopt;
          return std::atoi(s.c_str());
        };
        def.has_width = true;
        def.wmin = parse_w(mn);
        if (dash != std::string::npos) def.wmax = parse_w(wm.substr(dash + 1));
        pres = marker.substr(1, comma - 1);
      } else {
        pres = marker.size() > 1 ? marker.substr(1) : "";
      }
      if (pres.size() == 1) {
        def.pres1 = pres;
      } else if (pres.size() > 1) {
        char last = pres.back();
        if (std::string("atco").find(last) != std::string::npos) {
          def.pres2 = std::string(1, last);
          def.pres1 = pres.substr(0, pres.size() - 1);
        } else {
          def.pres1 = pres;
        }
      } else {
        const char* d = DefaultPresentation(def.comp);
        if (!d) Throw("D3132", {.value = "\"" + std::string(1, def.comp) + "\""});
        def.pres1 = d;
      }
      if (def.pres1[0] == 'n') {
        def.names = kLowerNames;
      } else if (def.pres1[0] == 'N') {
        def.names = def.pres1.size() > 1 && def.pres1[1] == 'n' ? kTitleNames : kUpperNames;
      } else if (std::string("YMDdFWwXxHhmsf").find(def.comp) != std::string::npos) {
        std::string ip = def.pres1;
        if (!def.pres2.empty()) ip += ";" + def.pres2;
        def.fmt = AnalyseIntegerPicture(ip);
        def.has_int = true;
        if (def.wmin && def.fmt.mandatory_digits < *def.wmin) def.fmt.mandatory_digits = *def.wmin;
        if (def.comp == 'Y' || def.comp == 'M' || def.comp == 'D') {
          def.n = -1;
          def.has_n = true;
          if (def.wmax) {
            def.n = *def.wmax;
            def.fmt.mandatory_digits = def.n;
          } else {
            int w = def.fmt.mandatory_digits + def.fmt.optional_digits;
            if (w >= 2) def.n = w;
          }
        }
      }
      if (def.comp == 'Z' || def.comp == 'z') {
        def.fmt = AnalyseIntegerPicture(def.pres1);
        def.has_int = true;
      }
      def.numeric = def.has_int && def.names == kNoNames && def.comp &&
                    std::string_view("YMDdFWwXxHhmsf").find(def.comp) != std::string_view::npos;
      def.plain_int = def.numeric && std::string_view("YMDHmsf").find(def.comp) != std::string_view::npos &&
                      def.fmt.plain && def.fmt.mandatory_digits <= 24;
      parts.push_back(def);
      start = pos + 1;
    }
    ++pos;
  }
  add_literal(start, pos);
  return parts;
}

std::string ToUpperAscii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string ToLowerAscii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The integer value of component c (one of Y M D H m s f) of a plain_int part.
int64_t PlainComponent(const DateParts& p, const Part& part) {
  switch (part.comp) {
    case 'Y': {
      int64_t y = p.year;
      // fmod(year, 10^n): C++ % truncates toward zero as fmod does.
      if (part.has_n && part.n != -1) {
        if (part.n >= 0 && part.n <= 18) y %= static_cast<int64_t>(kPow10[part.n]);
        else y = static_cast<int64_t>(std::fmod(static_cast<double>(y), std::pow(10, part.n)));
      }
      return y;
    }
    case 'M': return p.month + 1;
    case 'D': return p.day;
    case 'H': return p.hour;
    case 'm': return p.minute;
    case 's': return p.second;
    default: return p.millis;  // 'f'
  }
}

// FormatInteger of a plain picture: "-" and |v| zero-padded to `width` digits.
char* PutInt(char* o, int64_t v, int width) {
  if (v < 0) *o++ = '-';
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  char tmp[24];
  int n = static_cast<int>(std::to_chars(tmp, tmp + sizeof tmp, u).ptr - tmp);
  o = std::fill_n(o, std::max(0, width - n), '0');
  return std::copy(tmp, tmp + n, o);
}

std::string FormatDateTime(double millis, const std::string_view* picture, const std::string_view* tz) {
  double off_h = 0, off_m = 0;
  if (tz) {
    // parseInt semantics: optional sign then leading digits.
    std::string_view s = *tz;
    size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    double v = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) v = v * 10 + (s[i++] - '0');
    if (neg) v = -v;
    off_h = std::floor(v / 100);
    off_m = std::fmod(v, 100);
  }
  static const std::vector<Part>* iso = new std::vector<Part>(
      AnalysePicture("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"));
  const std::vector<Part>* spec = iso;
  if (picture) {
    // Pictures are nearly always literals in the expression: analyse each once
    // per thread (bounded, so generated pictures cannot grow it without limit).
    thread_local std::unordered_map<std::string, std::vector<Part>> cache;
    // One picture per call site is the rule: the last hit skips hashing.
    thread_local const std::pair<const std::string, std::vector<Part>>* last = nullptr;
    if (last && last->first == *picture) {
      spec = &last->second;
    } else {
      std::string key(*picture);
      auto it = cache.find(key);
      if (it == cache.end()) {
        std::vector<Part> parts = AnalysePicture(key);
        if (cache.size() >= 64) cache.clear();
        it = cache.emplace(std::move(key), std::move(parts)).first;
      }
      last = &*it;
      spec = &it->second;
    }
  }
  double offset_millis = (60 * off_h + off_m) * 60 * 1000;
  DateParts p = Breakdown(std::trunc(millis) + offset_millis);
  // The usual picture, only literals and plain numbers, is written into a
  // stack buffer and becomes a string once.
  size_t bound = 0;
  for (const Part& part : *spec) {
    if (part.literal) bound += part.text.size();
    else if (part.plain_int) bound += 26;  // sign and at most 25 digits
    else bound = SIZE_MAX / 2;
  }
  if (bound <= 256) {
    char buf[256];
    char* o = buf;
    for (const Part& part : *spec) {
      if (part.literal) o = std::copy(part.text.begin(), part.text.end(), o);
      else o = PutInt(o, PlainComponent(p, part), part.fmt.mandatory_digits);
    }
    return std::string(buf, static_cast<size_t>(o - buf));
  }
  std::string out;
  for (const Part& part : *spec) {
    if (part.literal) {
      out += part.text;
      continue;
    }
    char c = part.comp;
    if (part.numeric) {  // digits straight into `out`
      if (std::string_view("YMDHmsf").find(c) != std::string_view::npos)
        AppendFormattedInteger(out, PlainComponent(p, part), part.fmt);
      else
        AppendFormattedInteger(out, GetFragment(p, c).num, part.fmt);
      continue;
    }
    Fragment frag = GetFragment(p, c);
    std::string v;
    if (c && std::string_view("YMDdFWwXxHhms").find(c) != std::string_view::npos) {
      double num = frag.num;
      if (c == 'Y' && part.has_n && part.n != -1) num = std::fmod(num, std::pow(10, part.n));
      if (part.names != kNoNames) {
        if (c == 'M' || c == 'x') v = kMonths[static_cast<int>(num) - 1];
        else if (c == 'F') v = kDays[static_cast<int>(num)];
        else Throw("D3133", {.value = "\"" + std::string(1, c) + "\""});
        if (part.names == kUpperNames) v = ToUpperAscii(v);
        else if (part.names == kLowerNames) v = ToLowerAscii(v);
        if (part.wmax && static_cast<int>(v.size()) > *part.wmax) v = v.substr(0, *part.wmax);
      } else {
        AppendFormattedInteger(out, num, part.fmt);
        continue;
      }
    } else if (c == 'f') {
      AppendFormattedInteger(out, frag.num, part.fmt);
      continue;
    } else if (c == 'Z' || c == 'z') {
      double offset = off_h * 100 + off_m;
      if (part.fmt.regular) {
        v = FormatInteger(offset, part.fmt);
      } else {
        int nd = part.fmt.mandatory_digits;
        if (nd == 1 || nd == 2) {
          v = FormatInteger(off_h, part.fmt);
          if (off_m != 0) v += ":" + FormatInteger(off_m, AnalyseIntegerPicture("00"));
        } else if (nd == 3 || nd == 4) {
          v = FormatInteger(offset, part.fmt);
        } else {
          Throw("D3134", {.value = std::to_string(nd)});
        }
      }
      if (offset >= 0) v = "+" + v;
      if (c == 'z') v = "GMT" + v;
      if (offset == 0 && part.pres2 == "t") v = "Z";
    } else if (c == 'P') {
      v = frag.str;
      if (part.names == kUpperNames) v = ToUpperAscii(v);
    } else {
      v = frag.is_str ? frag.str : JsNumber(frag.num);
    }
    out += v;
  }
  return out;
}

std::string EscapeRegex(const std::string& s) {
  std::string r;
  for (char ch : s) {
    if (std::string(".*+?^${}()|[]\\").find(ch) != std::string::npos) r += '\\';
    r += ch;
  }
  return r;
}

// How a part of a parsed timestamp turns into a component value.
struct PartMatcher {
  char comp = 0;
  enum Kind { kLiteral, kZone, kInteger, kName } kind = kLiteral;
  std::string separator;  // kZone
  IntegerFormat fmt;      // kInteger
  std::vector<std::pair<std::string, int>> lookup;  // kName
};

std::optional<double> ParseDateTime(const std::string& ts, const std::string& picture, double now) {
  std::vector<Part> spec = AnalysePicture(picture);
  std::string regex = "^";
  std::vector<PartMatcher> ms;
  for (const Part& part : spec) {
    PartMatcher m;
    std::string r;
    if (part.literal) {
      r = EscapeRegex(part.text);
    } else if (part.comp == 'Z' || part.comp == 'z') {
      m.kind = PartMatcher::kZone;
      if (part.fmt.regular) m.separator = part.fmt.separator;
      r = part.comp == 'z' ? "GMT" : "";
      r += "[-+][0-9]+";
      if (!m.separator.empty()) r += EscapeRegex(m.separator) + "[0-9]+";
    } else if (part.has_int) {
      m.kind = PartMatcher::kInteger;
      m.fmt = part.fmt;
      std::string occ = "+";
      if (part.has_n && part.n > 0) {
        occ = part.fmt.optional_digits == 0
                  ? "{" + std::to_string(part.n) + "}"
                  : "{" + std::to_string(part.n - part.fmt.optional_digits) + "," + std::to_string(part.n) + "}";
      }
      bool upper = part.fmt.letter_case == IntegerFormat::kUpper;
      switch (part.fmt.primary) {
        case IntegerFormat::kLetters: r = upper ? "[A-Z]+" : "[a-z]+"; break;
        case IntegerFormat::kRoman: r = upper ? "[MDCLXVI]+" : "[mdclxvi]+"; break;
        case IntegerFormat::kWords: r = NumberWordsRegex(); break;
        case IntegerFormat::kDecimal:
          r = "[0-9]" + occ;
          if (part.fmt.ordinal) r += "(?:th|st|nd|rd)";
          break;
        case IntegerFormat::kSequence:
          Throw("D3130", {.value = "\"" + part.fmt.token + "\""});
      }
    } else {
      m.kind = PartMatcher::kName;
      r = "[a-zA-Z]+";
      if (part.comp == 'M' || part.comp == 'x') {
        for (int i = 0; i < 12; ++i) {
          std::string nm = kMonths[i];
          if (part.wmax) nm = nm.substr(0, *part.wmax);
          m.lookup.emplace_back(nm, i + 1);
        }
      } else if (part.comp == 'F') {
        for (int i = 1; i < 8; ++i) {
          std::string nm = kDays[i];
          if (part.wmax) nm = nm.substr(0, *part.wmax);
          m.lookup.emplace_back(nm, i);
        }
      } else if (part.comp == 'P') {
        m.lookup = {{"am", 0}, {"AM", 0}, {"pm", 1}, {"PM", 1}};
      } else {
        Throw("D3133", {.value = "\"" + std::string(1, part.comp) + "\""});
      }
    }
    m.comp = part.comp;
    regex += "(" + r + ")";
    ms.push_back(std::move(m));
  }
  regex += "$";
  boost::smatch what;
  try {
    boost::regex re(regex, boost::regex::perl | boost::regex::icase);
    if (!boost::regex_search(ts, what, re)) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::map<char, double> comps;
  for (size_t i = 0; i < ms.size(); ++i) {
    const PartMatcher& m = ms[i];
    std::string v = what[i + 1].str();
    switch (m.kind) {
      case PartMatcher::kLiteral: break;
      case PartMatcher::kZone: {
        if (m.comp == 'z') v = v.substr(3);
        double h = 0, mi = 0;
        if (!m.separator.empty()) {
          size_t p = v.find(m.separator);
          h = std::atof(v.substr(0, p).c_str());
          mi = std::atof(v.substr(p + m.separator.size()).c_str());
        } else if (v.size() - 1 <= 2) {
          h = std::atof(v.c_str());
        } else {
          h = std::atof(v.substr(0, 3).c_str());
          mi = std::atof(v.substr(3).c_str());
        }
        comps[m.comp] = h * 60 + mi;
        break;
      }
      case PartMatcher::kInteger: {
        double r;
        if (ParseFormattedInteger(v, m.fmt, &r)) comps[m.comp] = r;
        break;
      }
      case PartMatcher::kName:
        for (const auto& [nm, val] : m.lookup)
          if (nm == v) {
            comps[m.comp] = val;
            break;
          }
        break;
    }
  }
  if (comps.empty()) return std::nullopt;
  auto has = [&](char c) { return comps.count(c) > 0; };
  int mask = 0;
  auto shift = [&](bool bit) { mask = (mask << 1) + (bit ? 1 : 0); };
  auto is_type = [&](int type) { return !(~type & mask) && (type & mask); };
  for (char c : std::string("YXMxWwdD")) shift(has(c));
  bool dateA = is_type(161);
  bool dateB = !dateA && is_type(130);
  bool dateC = is_type(84);
  bool dateD = !dateC && is_type(72);
  mask = 0;
  for (char c : std::string("PHhmsf")) shift(has(c));
  bool timeA = is_type(23);
  bool timeB = !timeA && is_type(47);
  // "YD" for the day-of-year form mirrors the reference.
  std::string comp_order = std::string(dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD") + (timeB ? "Phmsf" : "Hmsf");
  DateParts np = Breakdown(now);
  bool start_specified = false, end_specified = false;
  for (char c : comp_order) {
    if (!has(c)) {
      if (start_specified) {
        comps[c] = (c == 'M' || c == 'D' || c == 'd') ? 1 : 0;
        end_specified = true;
      } else {
        Fragment f = GetFragment(np, c);
        comps[c] = f.is_str ? (f.str == "pm" ? 1 : 0) : f.num;
      }
    } else {
      start_specified = true;
      if (end_specified) Throw("D3136");
    }
  }
  if (comps['M'] > 0) comps['M'] -= 1;
  else comps['M'] = 0;
  if (dateB) {
    double jan1 = DateUTC(comps['Y'], 0);
    DateParts d = Breakdown(jan1 + (comps['d'] - 1) * kDay);
    comps['M'] = d.month;
    comps['D'] = d.day;
  }
  if (dateC || dateD) Throw("D3136");
  if (timeB) {
    comps['H'] = comps['h'] == 12 ? 0 : comps['h'];
    if (comps['P'] == 1) comps['H'] += 12;
  }
  double millis = DateUTC(comps['Y'], comps['M'], comps['D'], comps['H'], comps['m'], comps['s'], comps['f']);
  double z = has('Z') ? comps['Z'] : has('z') ? comps['z'] : 0;
  if (z != 0) millis -= z * 60 * 1000;
  return millis;
}

// The common full form YYYY-MM-DDThh:mm:ss[.f+][Z|(+|-)hh[:]mm], read without
// regexes; false when `s` is not exactly that form (ParseIso then uses them).
bool ParseIsoFast(std::string_view s, double* out) {
  auto dig = [&](size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  auto in = [&](size_t i, char lo, char hi) { return i < s.size() && s[i] >= lo && s[i] <= hi; };
  auto num = [&](size_t i, size_t n) {
    double v = 0;
    for (size_t k = 0; k < n; ++k) v = v * 10 + (s[i + k] - '0');
    return v;
  };
  if (s.size() < 19 || !dig(0) || !dig(1) || !dig(2) || !dig(3) || s[4] != '-' || !in(5, '0', '1') ||
      !dig(6) || s[7] != '-' || !in(8, '0', '3') || !dig(9) || s[10] != 'T' || !in(11, '0', '2') ||
      !dig(12) || s[13] != ':' || !in(14, '0', '5') || !dig(15) || s[16] != ':' || !in(17, '0', '5') ||
      !dig(18))
    return false;
  size_t i = 19;
  double ms = 0;
  if (i < s.size() && s[i] == '.') {
    size_t start = ++i;
    while (dig(i)) ++i;
    if (i == start) return false;
    // The first three fraction digits, zero-padded (as the regex path does).
    for (size_t k = 0; k < 3; ++k) ms = ms * 10 + (start + k < i ? s[start + k] - '0' : 0);
  }
  double zone = 0;
  if (i < s.size() && s[i] == 'Z') {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    double sign = s[i] == '-' ? -1 : 1;
    if (!in(i + 1, '0', '2') || !dig(i + 2)) return false;
    double oh = num(i + 1, 2);
    i += 3;
    if (i < s.size() && s[i] == ':') ++i;
    if (!in(i, '0', '5') || !dig(i + 1)) return false;
    zone = sign * (oh * 60 + num(i, 2)) * 60000;
    i += 2;
  }
  if (i != s.size()) return false;
  double mo = num(5, 2), d = num(8, 2);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;  // the regex path decides
  *out = DateUTC(num(0, 4), mo - 1, d, num(11, 2), num(14, 2), num(17, 2), ms) - zone;
  return true;
}

// ISO 8601 as Date.parse reads the forms the reference accepts.
std::optional<double> ParseIso(std::string_view text) {
  if (double t; ParseIsoFast(text, &t)) return t;
  const std::string s(text);  // Boost.Regex's smatch wants a std::string
  static const boost::regex re(
      "^(\\d{4})(?:-([01]\\d))?(?:-([0-3]\\d))?(?:T([0-2]\\d):([0-5]\\d):([0-5]\\d))?(\\.\\d+)?([+-][0-2]\\d:?[0-5]\\d|Z)?$");
  static const boost::regex check(
      "^\\d{4}(-[01]\\d)*(-[0-3]\\d)*(T[0-2]\\d:[0-5]\\d:[0-5]\\d)*(\\.\\d+)?([+-][0-2]\\d:?[0-5]\\d|Z)?$");
  if (!boost::regex_match(s, check)) Throw("D3110", {.value = "\"" + s + "\""});
  boost::smatch m;
  if (!boost::regex_match(s, m, re)) return std::nullopt;
  double y = std::atof(m[1].str().c_str());
  double mo = m[2].matched ? std::atof(m[2].str().c_str()) : 1;
  double d = m[3].matched ? std::atof(m[3].str().c_str()) : 1;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  double h = 0, mi = 0, sec = 0, ms = 0;
  if (m[4].matched) {
    h = std::atof(m[4].str().c_str());
    mi = std::atof(m[5].str().c_str());
    sec = std::atof(m[6].str().c_str());
  }
  if (m[7].matched) {
    std::string frac = m[7].str().substr(1) + "00";
    ms = std::atof(frac.substr(0, 3).c_str());
  }
  double t = DateUTC(y, mo - 1, d, h, mi, sec, ms);
  if (m[8].matched && m[8].str() != "Z") {
    std::string z = m[8].str();
    double sign = z[0] == '-' ? -1 : 1;
    std::string digits;
    for (char ch : z.substr(1))
      if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
    double oh = std::atof(digits.substr(0, 2).c_str()), om = std::atof(digits.substr(2).c_str());
    t -= sign * (oh * 60 + om) * 60000;
  }
  return t;
}

Value FnFromMillis(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  // Outside JavaScript's Date range (+-8.64e15 ms) there is no date to format.
  if (!(std::fabs(c.arg(0).num()) <= 8.64e15)) return Value();
  std::string_view pic = c.arg(1).str(), tz = c.arg(2).str();
  return Value(Json(FormatDateTime(c.arg(0).num(), c.arg(1).is_string() ? &pic : nullptr,
                                   c.arg(2).is_string() ? &tz : nullptr)));
}

Value FnToMillis(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::optional<double> r;
  if (c.arg(1).is_string())
    r = ParseDateTime(std::string(c.arg(0).str()), std::string(c.arg(1).str()), static_cast<double>(c.ev.now_millis()));
  else r = ParseIso(c.arg(0).str());
  if (!r) return Value();
  return Value(MakeNumber(*r));
}

Value FnNow(CallCtx& c) {
  std::string_view pic = c.arg(0).str(), tz = c.arg(1).str();
  return Value(Json(FormatDateTime(static_cast<double>(c.ev.now_millis()), c.arg(0).is_string() ? &pic : nullptr,
                                   c.arg(1).is_string() ? &tz : nullptr)));
}

Value FnMillis(CallCtx& c) { return Value(Json(static_cast<int64_t>(c.ev.now_millis()))); }

}  // namespace

void RegisterDateTimeFunctions(std::vector<BuiltinDef>& out) {
  out.push_back({"fromMillis", "<n-s?s?:s>", FnFromMillis, 3});
  out.push_back({"toMillis", "<s-s?:n>", FnToMillis, 2});
  out.push_back({"now", "<s?s?:s>", FnNow, 2});
  out.push_back({"millis", "<:n>", FnMillis, 0});
}

}  // namespace stepline::jsonata

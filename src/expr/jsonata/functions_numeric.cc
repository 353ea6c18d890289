// Numeric built-ins: $number $abs $floor $ceil $round $power $sqrt $random
// $sum $max $min $average $formatBase.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>

#include "expr/jsonata/errors.h"
#include "expr/jsonata/evaluator.h"
#include "expr/jsonata/functions.h"

namespace stepline::jsonata {

double RoundHalfEven(double d);

namespace {

Value Num(double d) { return Value(MakeNumber(d)); }

bool IsDecimal(const std::string& s) {
  // ^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$
  size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  size_t d = i;
  while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == d) return false;
  if (i < n && s[i] == '.') {
    ++i;
    size_t f = i;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == f) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t e = i;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == e) return false;
  }
  return i == n;
}

Value FnNumber(CallCtx& c) {
  const Value& v = c.arg(0);
  if (v.undefined()) return Value();
  if (v.is_number()) return v;
  if (v.is_bool()) return Num(v.json().get_bool() ? 1 : 0);
  if (v.is_string()) {
    std::string s(v.str());
    if (IsDecimal(s)) {
      double d = std::strtod(s.c_str(), nullptr);
      if (std::isfinite(d)) return Num(d);
    }
    if (s.size() > 2 && s[0] == '0') {
      int base = 0;
      char k = s[1];
      if (k == 'x' || k == 'X') base = 16;
      else if (k == 'o' || k == 'O') base = 8;
      else if (k == 'b' || k == 'B') base = 2;
      if (base) {
        double r = 0;
        bool ok = true;
        for (size_t i = 2; i < s.size(); ++i) {
          int dv = std::isdigit(static_cast<unsigned char>(s[i])) ? s[i] - '0'
                   : std::isalpha(static_cast<unsigned char>(s[i])) ? std::tolower(s[i]) - 'a' + 10
                                                                    : 99;
          if (dv >= base) {
            ok = false;
            break;
          }
          r = r * base + dv;
        }
        if (ok) return Num(r);
      }
    }
  }
  Throw("D3030", {.value = RenderValue(v), .index = 1});
}

Value FnAbs(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  return Num(std::fabs(c.arg(0).num()));
}
Value FnFloor(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  return Num(std::floor(c.arg(0).num()));
}
Value FnCeil(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  return Num(std::ceil(c.arg(0).num()));
}

// Shifts the decimal point of d by `places` through its decimal text, as the
// reference does to avoid binary scaling errors: +(digits + 'e' + (exp + places)).
double ShiftSlow(double d, int places) {
  std::string s = JsNumber(d);
  size_t e = s.find('e');
  int exp = 0;
  std::string mant = s;
  if (e != std::string::npos) {
    exp = std::atoi(s.c_str() + e + 1);
    mant = s.substr(0, e);
  }
  std::string t = mant + "e" + std::to_string(exp + places);
  return std::strtod(t.c_str(), nullptr);
}

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

}  // namespace

// The same value without text: JsNumber's digits are the shortest round-trip
// ones (an integer below 2^53 prints exactly), so |d| = m * 10^e. When m and
// 10^|e + places| are exact doubles (m <= 2^53, |e + places| <= 22), one IEEE
// multiply or divide is correctly rounded, as strtod is (Clinger's fast path).
double ShiftDecimal(double d, int places) {
  if (!std::isfinite(d)) return ShiftSlow(d, places);
  double a = std::fabs(d);
  if (a == 0) return 0;  // JsNumber(-0) is "0"
  uint64_t m;
  int e;
  if (a < 9007199254740992.0 && a == static_cast<double>(static_cast<uint64_t>(a))) {
    m = static_cast<uint64_t>(a);
    e = 0;
  } else {
    char buf[40];
    auto r = std::to_chars(buf, buf + sizeof buf, a, std::chars_format::scientific);
    m = 0;
    int n = 0;
    const char* p = buf;
    for (; p < r.ptr && *p != 'e'; ++p)
      if (*p != '.') {
        m = m * 10 + static_cast<uint64_t>(*p - '0');
        ++n;
      }
    int x = 0;
    if (p < r.ptr) {
      ++p;
      if (p < r.ptr && *p == '+') ++p;
      std::from_chars(p, r.ptr, x);
    }
    e = x - (n - 1);
  }
  int q = e + places;
  if (m > (uint64_t{1} << 53) || q < -22 || q > 22) return ShiftSlow(d, places);
  double v = q >= 0 ? static_cast<double>(m) * kPow10[q] : static_cast<double>(m) / kPow10[-q];
  return d < 0 ? -v : v;
}

// RoundHalfEven(ShiftDecimal(d, places)). The shifted decimal differs from the
// exact d * 10^places (hi + lo, by FMA) by a few ulps of d * 10^places at most, so
// unless that product lies within a margin of a half-integer both round to
// the same nearest integer, and no digits are needed.
double RoundShifted(double d, int places) {
  double ad = std::fabs(d);
  if (places >= 0 && places <= 22 && ad < 1e300) {
    double scale = kPow10[places];
    double hi = ad * scale;
    uint64_t bits;
    std::memcpy(&bits, &ad, sizeof bits);
    int biased = static_cast<int>(bits >> 52);
    if (hi < 2251799813685248.0 && biased > 52) {  // below 2^51; ulp(d) a normal double
      uint64_t ulp_bits = static_cast<uint64_t>(biased - 52) << 52;
      double ulp;
      std::memcpy(&ulp, &ulp_bits, sizeof ulp);
      double lo = std::fma(ad, scale, -hi);
      double f = static_cast<double>(static_cast<uint64_t>(hi));  // floor: hi >= 0
      double rem = (hi - f) + lo;  // in (-0.25, 1.25): 0.5 is the only tie in reach
      if (std::fabs(rem - 0.5) > 16 * ulp * scale + 1e-9) {
        double r = rem < 0.5 ? f : f + 1;
        return d < 0 && r != 0 ? -r : r;
      }
    }
  }
  return RoundHalfEven(places ? ShiftDecimal(d, places) : d);
}

namespace {

Value FnRound(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  double arg = c.arg(0).num();
  int precision = c.arg(1).defined() ? static_cast<int>(std::clamp<int64_t>(ToInt64(c.arg(1).num()), -400, 400)) : 0;
  double result = RoundShifted(arg, precision);  // JavaScript Math.round, half to even
  if (precision) result = ShiftDecimal(result, -precision);
  if (result == 0) result = 0;  // no negative zero
  return Num(result);
}

Value FnPower(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  double r = std::pow(c.arg(0).num(), c.arg(1).num());
  if (!std::isfinite(r))
    Throw("D3061", {.value = RenderValue(c.arg(0)), .exp = RenderValue(c.arg(1))});
  return Num(r);
}

Value FnSqrt(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  double d = c.arg(0).num();
  if (d < 0) Throw("D3060", {.value = RenderValue(c.arg(0)), .index = 1});
  return Num(std::sqrt(d));
}

double RandomDouble(CallCtx& c) {
  if (c.ev.options().random) return c.ev.options().random->NextDouble();
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return static_cast<double>(gen() >> 11) * 0x1.0p-53;
}

Value FnRandom(CallCtx& c) { return Value(Json(RandomDouble(c))); }

Value FnSum(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  double total = 0;
  ForEachItem(c.arg(0), [&](const Value& v) { total += v.num(); });
  return Num(total);
}

Value MinMax(CallCtx& c, bool max) {
  if (c.arg(0).undefined() || c.arg(0).size() == 0) return Value();
  double r = max ? -INFINITY : INFINITY;
  ForEachItem(c.arg(0), [&](const Value& v) { r = max ? std::fmax(r, v.num()) : std::fmin(r, v.num()); });
  return Num(r);
}
Value FnMax(CallCtx& c) { return MinMax(c, true); }
Value FnMin(CallCtx& c) { return MinMax(c, false); }

Value FnAverage(CallCtx& c) {
  if (c.arg(0).undefined() || c.arg(0).size() == 0) return Value();
  double total = 0;
  ForEachItem(c.arg(0), [&](const Value& v) { total += v.num(); });
  return Num(total / static_cast<double>(c.arg(0).size()));
}

}  // namespace

// Used by $round-based helpers elsewhere.
double RoundHalfEven(double d) {
  // JavaScript Math.round (nearest, ties up). Not floor(d + 0.5): from 2^52 on
  // that sum rounds, so an odd integer would come back one higher.
  double result = std::floor(d);
  if (d - result >= 0.5) result += 1;
  if (std::fabs(result - d) == 0.5 && std::fabs(std::fmod(result, 2)) == 1) result -= 1;
  return result;
}

Value FnFormatBase(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  double v = RoundHalfEven(c.arg(0).num());
  if (!std::isfinite(v)) Throw("D1001", {.value = JsNumber(v)});
  int radix = c.arg(1).defined() ? static_cast<int>(std::clamp<int64_t>(ToInt64(c.arg(1).num()), -1, 99)) : 10;
  if (radix < 2 || radix > 36) Throw("D3100", {.value = RenderValue(c.arg(1))});
  bool neg = v < 0;
  double a = std::fabs(v);
  std::string digits;
  if (a < 1) digits = "0";
  while (a >= 1) {
    int d = static_cast<int>(std::fmod(a, radix));
    digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[d]);
    a = std::floor(a / radix);
  }
  return Value(Json((neg ? "-" : "") + digits));
}

void RegisterNumericFunctions(std::vector<BuiltinDef>& out) {
  out.push_back({"number", "<(nsb)-:n>", FnNumber, 1});
  out.push_back({"abs", "<n-:n>", FnAbs, 1});
  out.push_back({"floor", "<n-:n>", FnFloor, 1});
  out.push_back({"ceil", "<n-:n>", FnCeil, 1});
  out.push_back({"round", "<n-n?:n>", FnRound, 2});
  out.push_back({"power", "<n-n:n>", FnPower, 2});
  out.push_back({"sqrt", "<n-:n>", FnSqrt, 1});
  out.push_back({"random", "<:n>", FnRandom, 0, Dialect::kStandardOnly});
  out.push_back({"sum", "<a<n>:n>", FnSum, 1});
  out.push_back({"max", "<a<n>:n>", FnMax, 1});
  out.push_back({"min", "<a<n>:n>", FnMin, 1});
  out.push_back({"average", "<a<n>:n>", FnAverage, 1});
}

}  // namespace stepline::jsonata

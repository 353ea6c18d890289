// $formatNumber: XPath fn:format-number (F&O 3.1 section 4.7) with the
// reference's picture validation (D3080-D3093) and defaults.

#include <algorithm>
#include <charconv>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numeric>
#include <unordered_map>

#include "expr/jsonata/errors.h"
#include "expr/jsonata/evaluator.h"
#include "expr/jsonata/functions.h"

namespace stepline::jsonata {

double ShiftDecimal(double d, int places);
double RoundShifted(double d, int places);

namespace {

using U = std::u32string;

struct Props {
  char32_t decimal = U'.', grouping = U',', exponent = U'e', percent = U'%', permille = 0x2030,
           zero = U'0', digit = U'#', pattern = U';';
  U minus = U"-";
};

struct Parts {
  U prefix, suffix, active, mantissa, integer, fractional, sub;
  bool has_exponent = false;
  U exponent;
};

struct Pic {
  std::vector<int> int_groups;
  int regular = 0;
  int min_int = 0, scaling = 0;
  std::vector<int> frac_groups;
  int min_frac = 0, max_frac = 0, min_exp = 0;
  U prefix, suffix, picture;
  bool percent = false, permille = false;
  std::string prefix8, suffix8;  // UTF-8, for the fast path
};

bool Contains(const U& s, char32_t c) { return s.find(c) != U::npos; }

// $round with precision (shift through decimal text, then half-to-even).
double RoundTo(double v, int precision) {
  double r = RoundShifted(v, precision);
  if (precision) r = ShiftDecimal(r, -precision);
  if (r == 0) r = 0;
  return r;
}

// The picture (and decimal-format properties) analysed: what does not depend
// on the number being formatted.
struct Analysed {
  Props p;
  std::vector<Pic> pics;  // positive, negative
  bool default_props = true;  // no options: ASCII digits, '.' and ','
};

Analysed Analyse(const std::string& picture_text, const Value& options) {
  Props p;
  if (options.is_object()) {
    ForEachMember(options, [&](const std::string& k, const Value& v) {
      if (!v.is_string()) return;
      U s = ToU32(v.str());
      char32_t ch = s.empty() ? 0 : s[0];
      if (k == "decimal-separator") p.decimal = ch;
      else if (k == "grouping-separator") p.grouping = ch;
      else if (k == "exponent-separator") p.exponent = ch;
      else if (k == "percent") p.percent = ch;
      else if (k == "per-mille") p.permille = ch;
      else if (k == "zero-digit") p.zero = ch;
      else if (k == "digit") p.digit = ch;
      else if (k == "pattern-separator") p.pattern = ch;
      else if (k == "minus-sign") p.minus = s;
    });
  }
  auto is_digit = [&](char32_t ch) { return ch >= p.zero && ch < p.zero + 10; };
  auto is_active = [&](char32_t ch) {
    return is_digit(ch) || ch == p.decimal || ch == p.exponent || ch == p.grouping || ch == p.digit ||
           ch == p.pattern;
  };
  U picture = ToU32(picture_text);
  std::vector<U> subs;
  {
    U cur;
    for (char32_t ch : picture) {
      if (ch == p.pattern) {
        subs.push_back(cur);
        cur.clear();
      } else {
        cur += ch;
      }
    }
    subs.push_back(cur);
  }
  if (subs.size() > 2) Throw("D3080");

  auto split = [&](const U& sub) {
    Parts r;
    r.sub = sub;
    size_t pre = sub.size();
    for (size_t i = 0; i < sub.size(); ++i)
      if (is_active(sub[i]) && sub[i] != p.exponent) {
        pre = i;
        break;
      }
    size_t suf_start = sub.size();
    for (size_t i = sub.size(); i-- > 0;)
      if (is_active(sub[i]) && sub[i] != p.exponent) {
        suf_start = i + 1;
        break;
      }
    r.prefix = sub.substr(0, pre);
    r.suffix = suf_start <= sub.size() ? sub.substr(suf_start) : U();
    if (pre > suf_start) suf_start = pre;
    r.active = sub.substr(pre, suf_start - pre);
    size_t exp_pos = sub.find(p.exponent, r.prefix.size());
    if (exp_pos == U::npos || exp_pos > sub.size() - r.suffix.size()) {
      r.mantissa = r.active;
    } else {
      r.mantissa = r.active.substr(0, std::min(exp_pos, r.active.size()));
      r.has_exponent = true;
      r.exponent = exp_pos + 1 <= r.active.size() ? r.active.substr(exp_pos + 1) : U();
    }
    size_t dp = r.mantissa.find(p.decimal);
    if (dp == U::npos) {
      r.integer = r.mantissa;
      r.fractional = r.suffix;
    } else {
      r.integer = r.mantissa.substr(0, dp);
      r.fractional = r.mantissa.substr(dp + 1);
    }
    return r;
  };

  auto validate = [&](const Parts& r) {
    const char* err = nullptr;
    const U& sub = r.sub;
    size_t dpos = sub.find(p.decimal);
    if (dpos != sub.rfind(p.decimal)) err = "D3081";
    if (sub.find(p.percent) != sub.rfind(p.percent)) err = "D3082";
    if (sub.find(p.permille) != sub.rfind(p.permille)) err = "D3083";
    if (Contains(sub, p.percent) && Contains(sub, p.permille)) err = "D3084";
    bool valid = false;
    for (char32_t ch : r.mantissa)
      if (is_digit(ch) || ch == p.digit) valid = true;
    if (!valid) err = "D3085";
    for (char32_t ch : r.active)
      if (!is_active(ch)) err = "D3086";
    if (dpos != U::npos) {
      if ((dpos > 0 && sub[dpos - 1] == p.grouping) || (dpos + 1 < sub.size() && sub[dpos + 1] == p.grouping))
        err = "D3087";
    } else if (!r.integer.empty() && r.integer.back() == p.grouping) {
      err = "D3088";
    }
    for (size_t i = 0; i + 1 < sub.size(); ++i)
      if (sub[i] == p.grouping && sub[i + 1] == p.grouping) err = "D3089";
    size_t od = r.integer.find(p.digit);
    if (od != U::npos)
      for (size_t i = 0; i < od; ++i)
        if (is_digit(r.integer[i])) err = "D3090";
    od = r.fractional.rfind(p.digit);
    if (od != U::npos)
      for (size_t i = od; i < r.fractional.size(); ++i)
        if (is_digit(r.fractional[i])) err = "D3091";
    if (r.has_exponent && !r.exponent.empty() && (Contains(sub, p.percent) || Contains(sub, p.permille)))
      err = "D3092";
    if (r.has_exponent) {
      bool bad = r.exponent.empty();
      for (char32_t ch : r.exponent)
        if (!is_digit(ch)) bad = true;
      if (bad) err = "D3093";
    }
    if (err) Throw(err);
  };

  auto analyse = [&](const Parts& r) {
    Pic v;
    auto grouping_positions = [&](const U& part, bool to_left) {
      std::vector<int> pos;
      size_t g = part.find(p.grouping);
      while (g != U::npos) {
        U side = to_left ? part.substr(0, g) : part.substr(g);
        int n = 0;
        for (char32_t ch : side)
          if (is_digit(ch) || ch == p.digit) ++n;
        pos.push_back(n);
        g = r.integer.find(p.grouping, g + 1);
      }
      return pos;
    };
    v.int_groups = grouping_positions(r.integer, false);
    if (!v.int_groups.empty()) {
      int f = 0;
      for (int x : v.int_groups) f = std::gcd(f, x);
      v.regular = f;
      for (size_t i = 1; i <= v.int_groups.size() && v.regular; ++i) {
        bool found = false;
        for (int x : v.int_groups)
          if (x == static_cast<int>(i) * f) found = true;
        if (!found) v.regular = 0;
      }
    }
    v.frac_groups = grouping_positions(r.fractional, true);
    for (char32_t ch : r.integer)
      if (is_digit(ch)) ++v.min_int;
    v.scaling = v.min_int;
    for (char32_t ch : r.fractional) {
      if (is_digit(ch)) ++v.min_frac;
      if (is_digit(ch) || ch == p.digit) ++v.max_frac;
    }
    if (v.min_int == 0 && v.max_frac == 0) {
      if (r.has_exponent) {
        v.min_frac = 1;
        v.max_frac = 1;
      } else {
        v.min_int = 1;
      }
    }
    if (r.has_exponent && v.min_int == 0 && Contains(r.integer, p.digit)) v.min_int = 1;
    if (v.min_int == 0 && v.min_frac == 0) v.min_frac = 1;
    if (r.has_exponent)
      for (char32_t ch : r.exponent)
        if (is_digit(ch)) ++v.min_exp;
    v.prefix = r.prefix;
    v.suffix = r.suffix;
    v.picture = r.sub;
    return v;
  };

  std::vector<Parts> parts;
  for (const U& s : subs) parts.push_back(split(s));
  for (const Parts& r : parts) validate(r);
  std::vector<Pic> pics;
  for (const Parts& r : parts) pics.push_back(analyse(r));
  if (pics.size() == 1) {
    pics.push_back(pics[0]);
    pics[1].prefix = p.minus + pics[1].prefix;
  }
  for (Pic& v : pics) {
    v.percent = Contains(v.picture, p.percent);
    v.permille = Contains(v.picture, p.permille);
    v.prefix8 = FromU32(v.prefix);
    v.suffix8 = FromU32(v.suffix);
  }
  return Analysed{p, std::move(pics), !options.is_object()};
}

// Pictures are nearly always literals: each is analysed once per thread
// (bounded, so generated pictures cannot grow the cache without limit).
// Invalid pictures throw before anything is stored.
const Analysed& CachedAnalysis(std::string_view picture) {
  thread_local std::unordered_map<std::string, Analysed> cache;
  // One picture per call site is the rule: the last hit skips hashing.
  thread_local const std::pair<const std::string, Analysed>* last = nullptr;
  if (last && last->first == picture) return last->second;
  std::string key(picture);
  auto it = cache.find(key);
  if (it == cache.end()) {
    Analysed a = Analyse(key, Value());
    if (cache.size() >= 64) cache.clear();
    it = cache.emplace(std::move(key), std::move(a)).first;
  }
  last = &*it;
  return it->second;
}

// The common case without text round trips: default properties, no exponent,
// regular (or no) integer grouping, no fraction grouping, and a rounded value
// below 1e15 (so "%.*f" of it would print exactly the digits of R below).
// Returns false to take the general path.
bool FormatFast(double value, const Analysed& an, const Pic& pic, std::string* out) {
  if (!an.default_props || pic.min_exp != 0 || (!pic.int_groups.empty() && pic.regular == 0) ||
      !pic.frac_groups.empty() || !std::isfinite(value) || pic.max_frac > 15)
    return false;
  double adjusted = pic.percent ? value * 100 : pic.permille ? value * 1000 : value;
  // RoundTo without its second shift: R / 10^max_frac is what gets printed.
  double rounded = std::fabs(RoundShifted(adjusted, pic.max_frac));
  if (!(rounded < 1e15)) return false;
  // The digits of R, left-padded with zeros to at least max_frac digits: the
  // last max_frac of them are the fraction, the others the integer part.
  const int frac_len = pic.max_frac;
  char buf[48];
  std::fill_n(buf, frac_len, '0');
  char* end = std::to_chars(buf + frac_len, buf + sizeof buf, static_cast<uint64_t>(rounded)).ptr;
  const char* first = buf;  // skip leading zeros
  while (first < end - frac_len && *first == '0') ++first;
  const char* frac = end - frac_len;
  const int int_len = static_cast<int>(frac - first);
  int frac_used = frac_len;  // without trailing zeros
  while (frac_used > 0 && frac[frac_used - 1] == '0') --frac_used;
  int int_width = std::max(int_len, pic.min_int);
  int frac_width = std::max(frac_used, pic.min_frac);
  int commas = pic.regular > 0 && int_width > 0 ? (int_width - 1) / pic.regular : 0;
  // Sized once, then filled through a pointer.
  out->resize(pic.prefix8.size() + static_cast<size_t>(int_width + commas) +
              (frac_width > 0 ? static_cast<size_t>(frac_width) + 1 : 0) + pic.suffix8.size());
  char* o = out->data();
  o = std::copy(pic.prefix8.begin(), pic.prefix8.end(), o);
  // A separator follows the digit i places from the right when i is a
  // multiple of the group size; `k` is i mod that size, counted down.
  int k = pic.regular > 0 ? (int_width - 1) % pic.regular : -1;
  for (int i = int_width; i-- > 0;) {
    *o++ = i < int_len ? frac[-1 - i] : '0';
    if (k == 0) {
      if (i > 0) *o++ = ',';
      k = pic.regular;
    }
    if (k > 0) --k;
  }
  if (frac_width > 0) {
    *o++ = '.';
    o = std::copy(frac, frac + frac_used, o);
    o = std::fill_n(o, frac_width - frac_used, '0');
  }
  std::copy(pic.suffix8.begin(), pic.suffix8.end(), o);
  return true;
}

// Number.prototype.toFixed for x >= 0: below 1e21 the digits of the n nearest
// to x * 10^dp, the larger n on an exact tie, where printf rounds to even.
std::string ToFixed(double x, int dp) {
  if (x >= 1e21) return JsNumber(x);  // toFixed falls back to ToString there
  std::string buf(static_cast<size_t>(dp) + 330, '\0');
  // x = m * 2^e is a tie when x * 10^dp * 2 = m * 5^dp * 2^(e + dp + 1) is an
  // odd integer: 5^dp is odd, so when m has exactly -(e + dp + 1) trailing zero bits.
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  int biased = static_cast<int>(bits >> 52) & 0x7ff;
  uint64_t m = bits & ((uint64_t{1} << 52) - 1);
  int e = biased == 0 ? -1074 : biased - 1075;
  if (biased != 0) m |= uint64_t{1} << 52;
  bool tie = biased != 0x7ff && m != 0 && e + dp + 1 <= 0 && std::countr_zero(m) == -(e + dp + 1);
  // A tie has exactly dp + 1 decimals, so printing them is exact (the last is 5).
  int n = std::snprintf(buf.data(), buf.size(), "%.*f", tie ? dp + 1 : dp, x);
  buf.resize(n > 0 ? static_cast<size_t>(n) : 0);
  if (!tie) return buf;
  buf.pop_back();
  if (dp == 0) buf.pop_back();  // the '.'
  size_t i = buf.size();
  while (i-- > 0) {  // add one unit in the last place
    if (buf[i] == '.') continue;
    if (buf[i] != '9') {
      ++buf[i];
      return buf;
    }
    buf[i] = '0';
  }
  return "1" + buf;
}

}  // namespace

Value FnFormatNumber(CallCtx& c) {
  if (c.arg(0).undefined() || !c.arg(1).is_string()) return Value();
  double value = c.arg(0).num();
  std::unique_ptr<Analysed> local;  // only with an options object
  const Analysed* an;
  if (c.arg(2).is_object()) {
    local = std::make_unique<Analysed>(Analyse(std::string(c.arg(1).str()), c.arg(2)));
    an = local.get();
  } else {
    an = &CachedAnalysis(c.arg(1).str());
  }
  const Props& p = an->p;
  const std::vector<Pic>& pics = an->pics;
  const Pic& pic = value >= 0 ? pics[0] : pics[1];
  if (std::string out; FormatFast(value, *an, pic, &out)) return Value(Json(std::move(out)));
  double adjusted = value;
  if (pic.percent) adjusted = value * 100;
  else if (pic.permille) adjusted = value * 1000;
  double mantissa = adjusted;
  bool has_exp = pic.min_exp != 0;
  int exponent = 0;
  if (has_exp) {
    double maxm = std::pow(10, pic.scaling), minm = std::pow(10, pic.scaling - 1);
    // The reference scales a negative mantissa towards -Infinity forever;
    // fail as its time limit would, without spinning until then.
    if (mantissa < 0) Throw("U1001");
    while (mantissa < minm && mantissa != 0) {
      mantissa *= 10;
      exponent -= 1;
    }
    while (mantissa > maxm) {
      mantissa /= 10;
      exponent += 1;
    }
  }
  double rounded = RoundTo(mantissa, pic.max_frac);
  auto make_string = [&](double v, int dp) {
    U s = ToU32(ToFixed(std::fabs(v), dp));
    if (p.zero != U'0')
      for (auto& ch : s)
        if (ch >= U'0' && ch <= U'9') ch = ch - U'0' + p.zero;
    return s;
  };
  U sv = make_string(rounded, pic.max_frac);
  size_t dpos = sv.find(U'.');
  if (dpos == U::npos) sv += p.decimal;
  else sv[dpos] = p.decimal;
  while (!sv.empty() && sv.front() == p.zero) sv.erase(0, 1);
  while (!sv.empty() && sv.back() == p.zero) sv.pop_back();
  dpos = sv.find(p.decimal);
  int pad_left = pic.min_int - static_cast<int>(dpos);
  int pad_right = pic.min_frac - (static_cast<int>(sv.size()) - static_cast<int>(dpos) - 1);
  if (pad_left > 0) sv = U(static_cast<size_t>(pad_left), p.zero) + sv;
  if (pad_right > 0) sv += U(static_cast<size_t>(pad_right), p.zero);
  dpos = sv.find(p.decimal);
  if (pic.regular > 0) {
    int groups = (static_cast<int>(dpos) - 1) / pic.regular;
    for (int g = 1; g <= groups; ++g) sv.insert(dpos - g * pic.regular, 1, p.grouping);
  } else {
    for (int pos : pic.int_groups) {
      // JavaScript's slice(): a negative index counts from the end.
      int at = static_cast<int>(dpos) - pos;
      if (at < 0) at = std::max(0, static_cast<int>(sv.size()) + at);
      sv.insert(static_cast<size_t>(at), 1, p.grouping);
      ++dpos;
    }
  }
  dpos = sv.find(p.decimal);
  for (int pos : pic.frac_groups) {
    size_t at = static_cast<size_t>(pos) + dpos + 1;
    if (at <= sv.size()) sv.insert(at, 1, p.grouping);
  }
  dpos = sv.find(p.decimal);
  if (pic.min_frac == 0 && dpos == sv.size() - 1) sv.pop_back();
  if (has_exp) {
    U se = make_string(exponent, 0);
    int pl = pic.min_exp - static_cast<int>(se.size());
    if (pl > 0) se = U(static_cast<size_t>(pl), p.zero) + se;
    sv += p.exponent;
    if (exponent < 0) sv += p.minus;
    sv += se;
  }
  sv = pic.prefix + sv + pic.suffix;
  return Value(Json(FromU32(sv)));
}

}  // namespace stepline::jsonata

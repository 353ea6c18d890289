#include "expr/jsonata/signature.h"

#include "expr/jsonata/errors.h"
#include "expr/jsonata/value.h"

namespace stepline::jsonata {
namespace {

constexpr std::string_view kSymbols = "asnblfom";

uint16_t Bit(char c) {
  switch (c) {
    case 'a': return 1;
    case 's': return 2;
    case 'n': return 4;
    case 'b': return 8;
    case 'l': return 16;
    case 'f': return 32;
    case 'o': return 64;
    case 'm': return 128;
    default: return 0;
  }
}
uint16_t Mask(std::string_view chars) {
  uint16_t m = 0;
  for (char c : chars) m |= Bit(c);
  return m;
}

size_t ClosingBracket(std::string_view s, size_t start, char open, char close) {
  int depth = 1;
  size_t p = start;
  while (p < s.size()) {
    ++p;
    if (p >= s.size()) break;
    if (s[p] == close) {
      if (--depth == 0) break;
    } else if (s[p] == open) {
      ++depth;
    }
  }
  return p;
}

// Length of the first (greedy, backtracking) match of params[i..n) at sig[pos..],
// or -1. With `anchored`, the match must end at the end of sig.
int Match(const std::vector<SigParam>& ps, size_t i, size_t n, const std::string& sig, size_t pos,
          bool anchored, std::vector<int>* counts) {
  if (i == n) return (!anchored || pos == sig.size()) ? static_cast<int>(pos) : -1;
  const SigParam& p = ps[i];
  size_t max = 0;
  while (pos + max < sig.size() && (p.mask & Bit(sig[pos + max]))) {
    ++max;
    if (p.quant != '+') break;
  }
  size_t min = (p.quant == '?' || p.context) ? 0 : 1;
  if (p.quant == '+' && p.context) min = 0;
  for (size_t k = max + 1; k-- > min;) {
    if (counts) (*counts)[i] = static_cast<int>(k);
    int r = Match(ps, i + 1, n, sig, pos + k, anchored, counts);
    if (r >= 0) return r;
  }
  return -1;
}

bool ArrayOfSubtype(const Value& arr, const std::string& subtype);

// Bit(SymbolOf(v)), inlined for the per-call fast path.
inline uint16_t SymbolBit(const Value& v) {
  switch (v.kind()) {
    case Value::kUndefined: return 128;  // m
    case Value::kFunction: return 32;    // f
    case Value::kArray: return 1;        // a
    case Value::kObject: return 64;      // o
    case Value::kJson: break;
  }
  switch (v.json().type()) {
    case Json::Type::kNull: return 16;  // l
    case Json::Type::kBool: return 8;   // b
    case Json::Type::kInt:
    case Json::Type::kDouble: return 4;  // n
    case Json::Type::kString: return 2;  // s
    case Json::Type::kArray: return 1;
    case Json::Type::kObject: return 64;
  }
  return 128;
}

}  // namespace

char SymbolOf(const Value& v) {
  switch (v.kind()) {
    case Value::kUndefined: return 'm';
    case Value::kFunction: return 'f';
    case Value::kArray: return 'a';
    case Value::kObject: return 'o';
    case Value::kJson:
      switch (v.json().type()) {
        case Json::Type::kNull: return 'l';
        case Json::Type::kBool: return 'b';
        case Json::Type::kInt:
        case Json::Type::kDouble: return 'n';
        case Json::Type::kString: return 's';
        case Json::Type::kArray: return 'a';
        case Json::Type::kObject: return 'o';
      }
  }
  return 'm';
}

namespace {
// The subtype check of the general path below for an array argument.
bool ArrayOfSubtype(const Value& arr, const std::string& subtype) {
  if (subtype.empty()) return true;
  if (arr.kind() == Value::kArray) {
    for (const Value& v : arr.items())
      if (SymbolOf(v) != subtype[0]) return false;
    return true;
  }
  for (const Json& j : arr.json().get_array())  // borrowed: no reference counting
    if (SymbolOf(Value::Borrow(j)) != subtype[0]) return false;
  return true;
}
}  // namespace

Signature ParseSignature(std::string_view s) {
  Signature sig;
  sig.text = std::string(s);
  SigParam param;
  SigParam* prev = nullptr;
  auto next = [&] {
    sig.params.push_back(param);
    prev = &sig.params.back();
    param = SigParam{};
  };
  for (size_t pos = 1; pos < s.size(); ++pos) {
    char c = s[pos];
    if (c == ':') break;
    switch (c) {
      case 's':
      case 'n':
      case 'b':
      case 'l':
      case 'o':
        param.mask = Bit(c) | Bit('m');
        param.type = c;
        next();
        break;
      case 'a':
        param.mask = Mask("asnblfom");
        param.type = c;
        next();
        break;
      case 'f':
        param.mask = Bit('f');
        param.type = c;
        next();
        break;
      case 'j':
        param.mask = Mask("asnblom");
        param.type = c;
        next();
        break;
      case 'x':
        param.mask = Mask("asnblfom");
        param.type = c;
        next();
        break;
      case '-':
        if (prev) {
          prev->context = true;
          prev->context_mask = prev->mask;
        }
        break;
      case '?':
      case '+':
        if (prev) prev->quant = c;
        break;
      case '(': {
        size_t end = ClosingBracket(s, pos, '(', ')');
        std::string_view choice = s.substr(pos + 1, end - pos - 1);
        if (choice.find('<') != std::string_view::npos) Throw("S0402", {.value = std::string(choice)});
        param.mask = Mask(choice) | Bit('m');
        param.type = '(';
        pos = end;
        next();
        break;
      }
      case '<': {
        if (prev && (prev->type == 'a' || prev->type == 'f')) {
          size_t end = ClosingBracket(s, pos, '<', '>');
          prev->subtype = std::string(s.substr(pos + 1, end - pos - 1));
          pos = end;
        } else {
          Throw("S0401", {.value = prev ? std::string(1, prev->type) : std::string()});
        }
        break;
      }
      default:
        break;
    }
  }
  sig.optional_tail = sig.params.size();
  while (sig.optional_tail > 0 && sig.params[sig.optional_tail - 1].quant == '?' &&
         !sig.params[sig.optional_tail - 1].context)
    --sig.optional_tail;
  return sig;
}

namespace {
// The backtracking match and coercion; out of line so the fast path below
// stays a small leaf function.
[[gnu::noinline]] void ValidateSlow(const Signature& sig, std::vector<Value>& args, const Value& context,
                                    const std::string& name);
}  // namespace

void ValidateArgs(const Signature& sig, std::vector<Value>& args, const Value& context,
                  const std::string& name) {
  const auto& ps = sig.params;
  // Common case: one accepted argument per leading parameter, the rest
  // optional. That is the assignment the backtracking matcher finds first,
  // and it leaves the arguments as they are. Missing trailing ones stay
  // missing: CallCtx::arg and lambda binding read them as undefined, and not
  // growing the vector saves a reallocation per call.
  if (args.size() <= ps.size() && args.size() >= sig.optional_tail) {
    bool simple = true;
    for (size_t i = 0; i < args.size() && simple; ++i) {
      const SigParam& p = ps[i];
      uint16_t bit = SymbolBit(args[i]);
      simple = p.quant != '+' && (p.mask & bit);
      // An array parameter keeps an array (of the subtype) or undefined as is;
      // anything else is wrapped or rejected below.
      if (simple && p.type == 'a' && bit != Bit('m')) simple = bit == Bit('a') && ArrayOfSubtype(args[i], p.subtype);
    }
    if (simple) return;
  }
  ValidateSlow(sig, args, context, name);
}

namespace {
void ValidateSlow(const Signature& sig, std::vector<Value>& args, const Value& context,
                  const std::string& name) {
  const auto& ps = sig.params;
  std::string symbols;
  symbols.reserve(args.size());
  for (const auto& a : args) symbols += SymbolOf(a);
  std::vector<int> counts(ps.size(), 0);
  if (Match(ps, 0, ps.size(), symbols, 0, true, &counts) < 0) {
    // Find the argument where matching broke down, as the reference does.
    int good = 0;
    for (size_t i = 0; i < ps.size(); ++i) {
      int r = Match(ps, 0, i + 1, symbols, 0, false, nullptr);
      if (r < 0) break;
      good = r;
    }
    ErrArgs ea;
    ea.token = name;
    ea.index = good + 1;
    ea.value = good < static_cast<int>(args.size()) ? RenderValue(args[good]) : "undefined";
    Throw("T0410", ea);
  }
  std::vector<Value> out;
  out.reserve(ps.size() + 2);
  size_t ai = 0;
  for (size_t i = 0; i < ps.size(); ++i) {
    const SigParam& p = ps[i];
    int k = counts[i];
    if (k == 0) {
      if (p.context) {
        if (p.context_mask & Bit(SymbolOf(context))) {
          out.push_back(context);
        } else {
          ErrArgs ea;
          ea.token = name;
          ea.index = static_cast<int>(ai) + 1;
          ea.value = RenderValue(context);
          Throw("T0411", ea);
        }
      } else {
        out.emplace_back();
      }
      continue;
    }
    for (int j = 0; j < k; ++j, ++ai) {
      Value arg = args[ai];
      char sym = symbols[ai];
      if (p.type == 'a') {
        if (sym == 'm') {
          out.emplace_back();
          continue;
        }
        bool ok = true;
        if (!p.subtype.empty()) {
          if (sym != 'a') {
            if (k != 1 || std::string(1, sym) != p.subtype) ok = false;
          } else if (arg.size() > 0) {
            char first = SymbolOf(arg.at(0));
            if (first != p.subtype[0]) {
              ok = false;
            } else {
              for (size_t x = 0; x < arg.size() && ok; ++x)
                if (SymbolOf(arg.at(x)) != first) ok = false;
            }
          }
        }
        if (!ok) {
          ErrArgs ea;
          ea.token = name;
          ea.index = static_cast<int>(ai) + 1;
          ea.value = RenderValue(arg);
          static const char* kNames[] = {"arrays", "strings", "numbers", "booleans", "nulls",
                                         "functions", "objects"};
          size_t b = kSymbols.find(p.subtype[0]);
          ea.type = b < 7 ? kNames[b] : p.subtype;
          Throw("T0412", ea);
        }
        if (sym != 'a') {
          std::vector<Value> one;
          one.push_back(std::move(arg));
          arg = MakeArray(std::move(one));
        }
      }
      out.push_back(std::move(arg));
    }
  }
  args = std::move(out);
}
}  // namespace

}  // namespace stepline::jsonata

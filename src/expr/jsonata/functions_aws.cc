// AWS Step Functions' JSONata dialect (EvalOptions.aws_functions): $partition
// $range $hash $random([seed]) $uuid $parse. These stand in for the States.*
// intrinsics of JSONPath states; $eval is removed in this dialect (see
// Dialect::kStandardOnly in functions_string.cc).

#include <openssl/evp.h>

#include <cmath>
#include <random>

#include "base/random.h"
#include "expr/jsonata/errors.h"
#include "expr/jsonata/evaluator.h"
#include "expr/jsonata/functions.h"

namespace stepline::jsonata {
namespace {

[[noreturn]] void BadArg(CallCtx& c, int index, const Value& v) {
  Throw("T0410", {.token = c.name, .value = RenderValue(v), .index = index});
}

bool IsInteger(const Value& v) { return v.is_number() && std::isfinite(v.num()) && std::floor(v.num()) == v.num(); }

// $partition(array, size): consecutive chunks of `size` items; the last one
// may be shorter (as States.ArrayPartition).
Value FnPartition(CallCtx& c) {
  const Value& arr = c.arg(0);
  if (arr.undefined()) return Value();
  if (!IsInteger(c.arg(1)) || c.arg(1).num() < 1) BadArg(c, 2, c.arg(1));
  size_t size = static_cast<size_t>(c.arg(1).num());
  std::vector<Value> items;
  ToItems(arr, items);
  Json::Array out;
  std::vector<Value> chunk;
  std::vector<Value> chunks;
  for (size_t i = 0; i < items.size(); i += size) {
    std::vector<Value> part(items.begin() + static_cast<long>(i),
                            items.begin() + static_cast<long>(std::min(items.size(), i + size)));
    chunks.push_back(MakeArray(std::move(part)));
  }
  return MakeArray(std::move(chunks));
}

// $range(start, end[, step]): start, start+step, ... up to and including end
// (as States.ArrayRange). Step defaults to 1; a negative step counts down.
Value FnRange(CallCtx& c) {
  if (!IsInteger(c.arg(0))) BadArg(c, 1, c.arg(0));
  if (!IsInteger(c.arg(1))) BadArg(c, 2, c.arg(1));
  double step = 1;
  if (c.arg(2).defined()) {
    if (!IsInteger(c.arg(2)) || c.arg(2).num() == 0) BadArg(c, 3, c.arg(2));
    step = c.arg(2).num();
  }
  double start = c.arg(0).num(), end = c.arg(1).num();
  double count = std::floor((end - start) / step) + 1;
  if (count > 1e7) Throw("D2014", {.value = JsNumber(count)});
  // A sequence, so that a single number unwraps: AWS gives $range(1, 9, 9) = 1
  // (recorded case test_array_range).
  std::vector<Value> out;
  if (count > 0) {
    out.reserve(static_cast<size_t>(count));
    for (double v = start; step > 0 ? v <= end : v >= end; v += step) out.push_back(Value(MakeNumber(v)));
  }
  return Value::Sequence(std::move(out));
}

// $hash(value, algorithm): lowercase hex digest of the UTF-8 text (as States.Hash).
Value FnHash(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  std::string algo = c.arg(1).is_string() ? std::string(c.arg(1).str()) : "SHA-256";
  const EVP_MD* md = nullptr;
  if (algo == "MD5") md = EVP_md5();
  else if (algo == "SHA-1") md = EVP_sha1();
  else if (algo == "SHA-256") md = EVP_sha256();
  else if (algo == "SHA-384") md = EVP_sha384();
  else if (algo == "SHA-512") md = EVP_sha512();
  else BadArg(c, 2, c.arg(1));
  std::string data;
  if (c.arg(0).is_string()) data = c.arg(0).str();
  else StringOf(c.arg(0), false, &data);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr) != 1)
    Throw("D3137", {.message = "hash computation failed"});
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return Value(Json(std::move(hex)));
}

// $random([seed]): uniform in [0, 1); a seed makes the value deterministic.
Value FnAwsRandom(CallCtx& c) {
  if (c.arg(0).defined()) {
    if (!c.arg(0).is_number()) BadArg(c, 1, c.arg(0));
    SeededRandom r(static_cast<uint64_t>(ToInt64(c.arg(0).num())));
    return Value(Json(r.NextDouble()));
  }
  if (Random* r = c.ev.options().random) return Value(Json(r->NextDouble()));
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return Value(Json(static_cast<double>(gen() >> 11) * 0x1.0p-53));
}

Value FnUuid(CallCtx& c) {
  if (Random* r = c.ev.options().random) return Value(Json(MakeUuid(*r)));
  thread_local SeededRandom fallback(std::random_device{}() ^ (static_cast<uint64_t>(std::random_device{}()) << 32));
  return Value(Json(MakeUuid(fallback)));
}

// $parse(jsonString): the JSON value the string holds.
Value FnParse(CallCtx& c) {
  if (c.arg(0).undefined()) return Value();
  auto r = Json::Parse(c.arg(0).str());
  if (!r.ok()) Throw("D3137", {.message = "Invalid JSON passed to $parse(): " + r.status().message()});
  return Value(*r);
}

}  // namespace

void RegisterAwsFunctions(std::vector<BuiltinDef>& out) {
  out.push_back({"partition", "<an:a>", FnPartition, 2, Dialect::kAwsOnly});
  out.push_back({"range", "<nnn?:a>", FnRange, 3, Dialect::kAwsOnly});
  out.push_back({"hash", "<s-s?:s>", FnHash, 2, Dialect::kAwsOnly});
  out.push_back({"random", "<n?:n>", FnAwsRandom, 1, Dialect::kAwsOnly});
  out.push_back({"uuid", "<:s>", FnUuid, 0, Dialect::kAwsOnly});
  out.push_back({"parse", "<s-:j>", FnParse, 1, Dialect::kAwsOnly});
}

}  // namespace stepline::jsonata

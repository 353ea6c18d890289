#include "api/aws_json/request_id.h"

#include <cstdint>
#include <random>

namespace stepline::api::aws_json {
namespace {

// SplitMix64: request ids need uniqueness, not cryptographic strength.
uint64_t Next(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::array<char, 36> NewRequestId() {
  thread_local uint64_t state = [] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }();
  uint64_t hi = Next(state), lo = Next(state);
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                               // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;      // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::array<char, 36> out{};
  int pos = 0;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out[pos++] = '-';
    uint64_t word = i < 16 ? hi : lo;
    int shift = 60 - 4 * (i % 16);
    out[pos++] = kHex[(word >> shift) & 0xF];
  }
  return out;
}

}  // namespace stepline::api::aws_json

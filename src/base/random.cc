#include "base/random.h"

namespace stepline {

int64_t Random::NextInRange(int64_t lo, int64_t hi) {
  uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  if (span == 0) return static_cast<int64_t>(NextU64());  // the whole int64 range
  return lo + static_cast<int64_t>(NextU64() % span);
}

uint64_t SeededRandom::NextU64() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string MakeUuid(Random& r) {
  uint64_t hi = r.NextU64(), lo = r.NextU64();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  static const char* kHex = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (int i = 15; i >= 0; --i) {
    s.push_back(kHex[(hi >> (i * 4)) & 15]);
    if (i == 8 || i == 4) s.push_back('-');
  }
  s.push_back('-');
  for (int i = 15; i >= 0; --i) {
    s.push_back(kHex[(lo >> (i * 4)) & 15]);
    if (i == 12) s.push_back('-');
  }
  return s;
}

}  // namespace stepline

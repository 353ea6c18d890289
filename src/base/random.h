#pragma once
// Random numbers come in from the caller (DESIGN invariant 1): the interpreter
// and the expression evaluators never draw their own. Not thread-safe.

#include <cstdint>
#include <string>

namespace stepline {

class Random {
 public:
  virtual ~Random() = default;
  virtual uint64_t NextU64() = 0;
  // Uniform in [0, 1).
  double NextDouble() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
  // Uniform integer in [lo, hi] (inclusive); lo <= hi.
  int64_t NextInRange(int64_t lo, int64_t hi);
};

// Deterministic generator (SplitMix64): same seed, same sequence.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  uint64_t NextU64() override;
  uint64_t state() const { return state_; }

 private:
  uint64_t state_;
};

// A version-4 UUID in its canonical lowercase text form.
std::string MakeUuid(Random& r);

}  // namespace stepline

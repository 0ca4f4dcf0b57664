#pragma once

// Seeded random numbers that do not depend on threads: every independent
// stream (a tree, a row chunk, a fold) gets its own generator derived from
// (seed, stream id).

#include <cstdint>

namespace helenus::ml {

// SplitMix64's finalizer: a well-mixed 64-bit hash of x.
uint64_t Mix64(uint64_t x);

// xoshiro256** seeded through SplitMix64.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  // The generator for stream `stream` of `seed`, independent of other streams.
  static Rng Stream(uint64_t seed, uint64_t stream);

  uint64_t Next();
  // Uniform in [0, 1).
  double Uniform();
  // Uniform integer in [0, n) (n > 0).
  uint64_t Below(uint64_t n);
  // Standard normal.
  double Normal();
  // Poisson with the given mean (small means; used for bootstrap weights).
  int Poisson(double mean);

 private:
  uint64_t s_[4];
};

}  // namespace helenus::ml

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace helenus::shell {

// A latency histogram with bounded relative error (HDR-like: 64 exponent
// buckets × 32 linear sub-buckets, ~3 % resolution) over microseconds.
class LatencyHistogram {
 public:
  // Records one latency in microseconds.
  void Record(uint64_t micros);
  // Adds another histogram's counts.
  void Merge(const LatencyHistogram& other);
  // The latency at quantile q in [0, 1] (an upper bound of its bucket), 0 when empty.
  uint64_t Percentile(double q) const;
  // Number of samples.
  uint64_t count() const { return count_; }
  // Largest sample.
  uint64_t max() const { return max_; }
  // Mean of the samples.
  double mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0;
  }

 private:
  static constexpr int kSubBits = 5;
  static constexpr int kSub = 1 << kSubBits;
  static size_t Index(uint64_t v);
  static uint64_t UpperBound(size_t index);
  std::array<uint64_t, 64 * kSub> buckets_{};
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t max_ = 0;
};

}  // namespace helenus::shell

// Log-linear latency histogram for `helenus bench`.
#include "helenus/shell/histogram.h"

#include <algorithm>
#include <bit>

namespace helenus::shell {

size_t LatencyHistogram::Index(uint64_t v) {
  // Values below kSub get exact buckets; above, the top kSubBits bits below the
  // leading one select a linear sub-bucket inside the power-of-two range.
  if (v < kSub) return static_cast<size_t>(v);
  int msb = 63 - std::countl_zero(v);
  int shift = msb - kSubBits;
  uint64_t sub = (v >> shift) & (kSub - 1);
  return static_cast<size_t>((shift + 1) * kSub + sub);
}

uint64_t LatencyHistogram::UpperBound(size_t index) {
  if (index < static_cast<size_t>(kSub)) return index;
  int shift = static_cast<int>(index / kSub) - 1;
  uint64_t sub = index % kSub;
  return ((static_cast<uint64_t>(kSub) + sub + 1) << shift) - 1;
}

void LatencyHistogram::Record(uint64_t micros) {
  size_t i = std::min(Index(micros), buckets_.size() - 1);
  ++buckets_[i];
  ++count_;
  sum_ += micros;
  max_ = std::max(max_, micros);
}

void LatencyHistogram::Merge(const LatencyHistogram& o) {
  for (size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += o.buckets_[i];
  count_ += o.count_;
  sum_ += o.sum_;
  max_ = std::max(max_, o.max_);
}

uint64_t LatencyHistogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  auto target = static_cast<uint64_t>(q * static_cast<double>(count_));
  if (target >= count_) target = count_ - 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen > target) return std::min(UpperBound(i), max_);
  }
  return max_;
}

}  // namespace helenus::shell

#pragma once

// Quantile binning for histogram-based tree training: every feature is cut
// once into at most max_bins bins, and each row's bin is kept as a small
// integer code, column-major, so a histogram pass reads one byte per row.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "helenus/ml/context.h"
#include "helenus/ml/vectors.h"

namespace helenus::ml {

// Rows sampled to find bin boundaries (LightGBM's bin_construct_sample_cnt).
inline constexpr size_t kBinSampleRows = 200000;

// Features cut into bins. Only features with at least two bins ("slots")
// are stored: constant features can never split a node.
class BinnedFeatures {
 public:
  // Bins x (dense or sparse; NaN features are Invalid). Boundaries come from
  // up to kBinSampleRows rows drawn with seed; rank 0 of ctx's collective
  // decides them for every rank.
  static BinnedFeatures Build(const Vectors& x, size_t max_bins, uint64_t seed, const Context& ctx);

  // Number of rows.
  size_t rows() const { return rows_; }
  // Dimension of the feature vectors.
  size_t num_features() const { return num_features_; }
  // Number of stored (non-constant) features.
  size_t num_slots() const { return features_.size(); }
  // The feature index stored in a slot.
  uint32_t feature(size_t slot) const { return features_[slot]; }
  // The slot of a feature; -1 when the feature is constant.
  int32_t slot_of(size_t feature) const { return slot_of_[feature]; }
  // Number of bins of a slot.
  size_t num_bins(size_t slot) const { return thresholds_[slot].size() + 1; }
  // Offset of a slot's first bin when all slots' bins are laid end to end.
  size_t bin_offset(size_t slot) const { return bin_offset_[slot]; }
  // Number of bins of all slots together.
  size_t total_bins() const { return bin_offset_.back(); }
  // Values x <= threshold(slot, b) fall in bins 0..b.
  double threshold(size_t slot, size_t bin) const { return thresholds_[slot][bin]; }
  // True when codes are 16-bit (more than 256 bins).
  bool wide() const { return wide_; }
  // The bin codes of a slot, one per row (Code = uint8_t, or uint16_t when wide()).
  template <typename Code>
  const Code* codes(size_t slot) const;
  // The bin of row r in a slot.
  uint32_t Code(size_t slot, size_t r) const {
    return wide_ ? codes16_[slot * rows_ + r] : codes8_[slot * rows_ + r];
  }

 private:
  void SetThresholds(std::vector<std::vector<double>> per_feature);
  void Encode(const Vectors& x, const Context& ctx);

  size_t rows_ = 0;
  size_t num_features_ = 0;
  bool wide_ = false;
  std::vector<uint32_t> features_;
  std::vector<int32_t> slot_of_;
  std::vector<std::vector<double>> thresholds_;
  std::vector<size_t> bin_offset_{0};
  std::vector<uint8_t> codes8_;
  std::vector<uint16_t> codes16_;
};

template <>
inline const uint8_t* BinnedFeatures::codes<uint8_t>(size_t slot) const {
  return codes8_.data() + slot * rows_;
}
template <>
inline const uint16_t* BinnedFeatures::codes<uint16_t>(size_t slot) const {
  return codes16_.data() + slot * rows_;
}

// Bin boundaries for sorted distinct values with their counts: midpoints
// between neighbours, at most max_bins - 1 of them, placed so bins hold
// about equal counts (a heavy value keeps its own bin).
std::vector<double> QuantileThresholds(const std::vector<double>& values,
                                       const std::vector<double>& counts, size_t max_bins);

}  // namespace helenus::ml

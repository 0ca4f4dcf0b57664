#include "ml/tree_binning.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/random.h"
#include "helenus/ml/serialize.h"

namespace helenus::ml {

namespace {

// Codes beyond this many bytes would not fit any machine this runs on; fail clearly instead.
constexpr size_t kMaxCodeBytes = size_t{1} << 34;

double Midpoint(double a, double b) {
  // a + (b - a) / 2 cannot overflow; when it rounds up to b (or is NaN for
  // infinities) fall back to a so that a goes left and b goes right.
  const double m = a + (b - a) / 2;
  return m < b && m >= a ? m : a;
}

// Number of thresholds below v, i.e. the bin of v (branch-free lower_bound).
inline uint32_t BinOf(const double* thr, size_t n, double v) {
  if (n == 0) return 0;
  const double* first = thr;
  size_t len = n;
  while (len > 1) {
    const size_t half = len / 2;
    // A multiply, not a conditional, so the compiler emits no branch to mispredict.
    first += static_cast<size_t>(first[half - 1] < v) * half;
    len -= half;
  }
  return static_cast<uint32_t>(first - thr) + (first[0] < v ? 1 : 0);
}

// Sorted distinct values of v with their counts.
void RunLengths(std::vector<double>& v, std::vector<double>* values, std::vector<double>* counts) {
  std::sort(v.begin(), v.end());
  for (size_t i = 0; i < v.size();) {
    size_t j = i + 1;
    while (j < v.size() && v[j] == v[i]) ++j;
    values->push_back(v[i]);
    counts->push_back(static_cast<double>(j - i));
    i = j;
  }
}

std::vector<uint32_t> SampleRows(size_t rows, uint64_t seed) {
  std::vector<uint32_t> sample;
  if (rows <= kBinSampleRows) {
    sample.resize(rows);
    for (size_t r = 0; r < rows; ++r) sample[r] = static_cast<uint32_t>(r);
    return sample;
  }
  // Selection sampling (Knuth's algorithm S): exactly kBinSampleRows rows, ascending.
  Rng rng = Rng::Stream(seed, 0x62696e73);
  sample.reserve(kBinSampleRows);
  size_t needed = kBinSampleRows;
  for (size_t r = 0; r < rows && needed > 0; ++r) {
    if (rng.Below(rows - r) < needed) {
      sample.push_back(static_cast<uint32_t>(r));
      --needed;
    }
  }
  return sample;
}

[[noreturn]] void ThrowNaN() {
  ThrowInvalid("Tree training needs numeric features without NaN; impute or drop them first");
}

template <typename Code>
void EncodeInto(const Vectors& x, const std::vector<uint32_t>& features,
                const std::vector<int32_t>& slot_of,
                const std::vector<std::vector<double>>& thresholds, Code* codes, const Context& ctx,
                std::atomic<bool>* nan) {
  const size_t slots = features.size();
  const size_t n = x.rows;
  if (x.sparse) {
    // Every row starts in the bin of 0, then its non-zeros overwrite that.
    ctx.pool->ParallelFor(slots, [&](size_t s) {
      const uint32_t zero = BinOf(thresholds[s].data(), thresholds[s].size(), 0.0);
      std::fill_n(codes + s * n, n, static_cast<Code>(zero));
    });
    ForRows(ctx, n, [&](size_t begin, size_t end) {
      bool bad = false;
      for (size_t r = begin; r < end; ++r) {
        for (uint64_t k = x.offsets[r]; k < x.offsets[r + 1]; ++k) {
          const double v = x.values[k];
          bad |= std::isnan(v);
          const int32_t s = slot_of[x.indices[k]];
          if (s < 0) continue;
          codes[s * n + r] =
              static_cast<Code>(BinOf(thresholds[s].data(), thresholds[s].size(), v));
        }
      }
      if (bad) *nan = true;
    });
    return;
  }
  const size_t dim = x.dim;
  // Plain arrays: stores through a byte pointer may alias anything, so the
  // loop must not re-read vectors' internals after each store.
  std::vector<const double*> thr(slots);
  std::vector<size_t> nt(slots);
  for (size_t s = 0; s < slots; ++s) {
    thr[s] = thresholds[s].data();
    nt[s] = thresholds[s].size();
  }
  ForRows(ctx, n, [&](size_t begin, size_t end) {
    bool bad = false;
    const double* const* t = thr.data();
    const size_t* sizes = nt.data();
    const uint32_t* feat = features.data();
    const double* values = x.values.data();
    // Row by row: each row is read once, contiguously; the codes go to one
    // sequential stream per slot.
    for (size_t r = begin; r < end; ++r) {
      const double* row = values + r * dim;
      Code* out = codes + r;
      for (size_t s = 0; s < slots; ++s) {
        out[s * n] = static_cast<Code>(BinOf(t[s], sizes[s], row[feat[s]]));
      }
      for (size_t j = 0; j < dim; ++j) bad |= std::isnan(row[j]);
    }
    if (bad) *nan = true;
  });
}

}  // namespace

std::vector<double> QuantileThresholds(const std::vector<double>& values,
                                       const std::vector<double>& counts, size_t max_bins) {
  const size_t m = values.size();
  std::vector<double> thr;
  if (m <= 1 || max_bins < 2) return thr;
  if (m <= max_bins) {
    for (size_t i = 1; i < m; ++i) thr.push_back(Midpoint(values[i - 1], values[i]));
    return thr;
  }
  double rest = 0;
  for (double c : counts) rest += c;
  size_t bins_left = max_bins;
  size_t i = 0;
  while (i < m && bins_left > 1) {
    if (m - i <= bins_left) {
      // Few enough distinct values left for one bin each.
      for (size_t j = i + 1; j < m; ++j) thr.push_back(Midpoint(values[j - 1], values[j]));
      break;
    }
    // Re-aim at an equal share of what is left, so a heavy value that
    // overshoots one bin does not starve the others.
    const double target = rest / static_cast<double>(bins_left);
    double acc = counts[i++];
    while (i < m && acc + counts[i] * 0.5 <= target) acc += counts[i++];
    if (i >= m) break;
    thr.push_back(Midpoint(values[i - 1], values[i]));
    rest -= acc;
    --bins_left;
  }
  return thr;
}

BinnedFeatures BinnedFeatures::Build(const Vectors& x, size_t max_bins, uint64_t seed,
                                     const Context& ctx) {
  if (x.rows > std::numeric_limits<uint32_t>::max()) {
    ThrowInvalid("Tree training supports at most {} rows", std::numeric_limits<uint32_t>::max());
  }
  BinnedFeatures b;
  b.rows_ = x.rows;
  b.num_features_ = x.dim;
  const size_t dim = x.dim;
  std::vector<std::vector<double>> thresholds(dim);
  if (ctx.collective->rank() == 0) {
    const std::vector<uint32_t> sample = SampleRows(x.rows, seed);
    std::atomic<bool> nan{false};
    if (x.sparse) {
      // Transpose the sample's non-zeros; implicit zeros are counted per feature.
      std::vector<std::vector<double>> nz(dim);
      for (uint32_t r : sample) {
        x.ForEach(r, [&](uint32_t j, double v) {
          if (std::isnan(v)) nan = true;
          if (v != 0) nz[j].push_back(v);
        });
      }
      if (nan) ThrowNaN();
      ctx.pool->ParallelFor(dim, [&](size_t j) {
        std::vector<double> values, counts;
        const double zeros = static_cast<double>(sample.size() - nz[j].size());
        RunLengths(nz[j], &values, &counts);
        if (zeros > 0) {
          auto at = std::lower_bound(values.begin(), values.end(), 0.0) - values.begin();
          values.insert(values.begin() + at, 0.0);
          counts.insert(counts.begin() + at, zeros);
        }
        thresholds[j] = QuantileThresholds(values, counts, max_bins);
        std::vector<double>().swap(nz[j]);
      });
    } else {
      ctx.pool->ParallelFor(dim, [&](size_t j) {
        std::vector<double> column(sample.size());
        for (size_t i = 0; i < sample.size(); ++i) {
          column[i] = x.Row(sample[i])[j];
          if (std::isnan(column[i])) nan = true;
        }
        if (nan) return;
        std::vector<double> values, counts;
        RunLengths(column, &values, &counts);
        thresholds[j] = QuantileThresholds(values, counts, max_bins);
      });
      if (nan) ThrowNaN();
    }
  }
  if (ctx.collective->size() > 1) {
    Writer w;
    for (const auto& t : thresholds) w.F64s(t);
    std::vector<uint8_t> bytes = w.Take();
    ctx.collective->Broadcast(&bytes, 0);
    Reader r(bytes);
    for (auto& t : thresholds) t = r.F64s();
  }
  b.SetThresholds(std::move(thresholds));
  b.wide_ = max_bins > 256;
  b.Encode(x, ctx);
  return b;
}

void BinnedFeatures::SetThresholds(std::vector<std::vector<double>> per_feature) {
  slot_of_.assign(per_feature.size(), -1);
  for (size_t j = 0; j < per_feature.size(); ++j) {
    if (per_feature[j].empty()) continue;
    slot_of_[j] = static_cast<int32_t>(features_.size());
    features_.push_back(static_cast<uint32_t>(j));
    bin_offset_.push_back(bin_offset_.back() + per_feature[j].size() + 1);
    thresholds_.push_back(std::move(per_feature[j]));
  }
}

void BinnedFeatures::Encode(const Vectors& x, const Context& ctx) {
  const size_t slots = features_.size();
  const size_t n = rows_;
  if (slots * n * (wide_ ? 2 : 1) > kMaxCodeBytes) {
    ThrowInvalid(
        "Too many varying features ({}) for {} rows of tree training; reduce the "
        "dimension first (e.g. with fewer hashed features)",
        slots, n);
  }
  std::atomic<bool> nan{false};
  if (wide_) {
    codes16_.assign(slots * n, 0);
    EncodeInto(x, features_, slot_of_, thresholds_, codes16_.data(), ctx, &nan);
  } else {
    codes8_.assign(slots * n, 0);
    EncodeInto(x, features_, slot_of_, thresholds_, codes8_.data(), ctx, &nan);
  }
  if (nan) ThrowNaN();
}

}  // namespace helenus::ml

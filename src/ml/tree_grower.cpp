#include "ml/tree_grower.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include "helenus/ml/random.h"

namespace helenus::ml {

namespace {

// Rows per histogram task: small enough to balance, large enough that the
// per-task partial histogram is cheap to add.
constexpr size_t kHistChunk = 16384;
// Rows per partition task.
constexpr size_t kPartChunk = 65536;

// The features a node's histogram covers, and where each one's bins start.
struct FeatureSet {
  std::vector<uint32_t> slots;  // ascending
  std::vector<size_t> offsets;  // slots.size() + 1 bin offsets
  size_t bins() const { return offsets.back(); }
};

struct TreeState {
  const TreeJob* job = nullptr;
  GrownTree* out = nullptr;
  std::vector<uint32_t> tmp;   // partition scratch, as long as rows
  std::vector<uint32_t> perm;  // feature order for subset draws
  Rng rng{0};
};

// A node whose histogram this level needs: to decide its split, or (built
// directly) to derive its larger sibling's by subtraction.
struct Kid {
  uint32_t tree = 0;
  uint32_t node = 0;
  bool open = false;
  bool direct = false;  // built from rows; otherwise hist holds the parent's until derived
  int sibling = -1;     // derived kids: index of the directly built sibling
  std::shared_ptr<const FeatureSet> fs;
  std::vector<double> hist;
  std::vector<std::vector<double>> partials;
  // The chosen split.
  bool split = false;
  uint32_t slot = 0;
  uint32_t bin = 0;
  double gain = 0;
  double importance = 0;
  std::vector<double> left_stats;
  std::vector<double> right_stats;
};

// The children of one split (or a root) to handle at a level.
struct Family {
  uint32_t tree = 0;
  int32_t parent = -1;       // -1: the family is the root alone
  std::vector<double> hist;  // the parent's full histogram, when kept
};

template <typename Code, size_t kS>
void Accumulate(const Code* codes, const uint32_t* rows, size_t m, const double* o, double* hist,
                size_t s_dyn) {
  const size_t s = kS != 0 ? kS : s_dyn;
  if (rows[m - 1] - rows[0] == m - 1) {
    // Ascending distinct rows spanning m ids are a contiguous run: no gather.
    const Code* c = codes + rows[0];
    for (size_t i = 0; i < m; ++i) {
      double* h = hist + static_cast<size_t>(c[i]) * s;
      const double* v = o + i * s;
      for (size_t k = 0; k < s; ++k) h[k] += v[k];
    }
    return;
  }
  for (size_t i = 0; i < m; ++i) {
    double* h = hist + static_cast<size_t>(codes[rows[i]]) * s;
    const double* v = o + i * s;
    for (size_t k = 0; k < s; ++k) h[k] += v[k];
  }
}

// Four features at once: each row's statistics are loaded once for all four.
template <typename Code, size_t kS>
void Accumulate4(const Code* const* codes, const uint32_t* rows, size_t m, const double* o,
                 double* const* hist) {
  double* h0 = hist[0];
  double* h1 = hist[1];
  double* h2 = hist[2];
  double* h3 = hist[3];
  static_assert(kS == 3, "four-feature passes handle three statistics");
  auto add = [&](size_t i, size_t b0, size_t b1, size_t b2, size_t b3) {
    const double x0 = o[i * 3], x1 = o[i * 3 + 1], x2 = o[i * 3 + 2];
    double* p0 = h0 + b0 * 3;
    double* p1 = h1 + b1 * 3;
    double* p2 = h2 + b2 * 3;
    double* p3 = h3 + b3 * 3;
    p0[0] += x0;
    p0[1] += x1;
    p0[2] += x2;
    p1[0] += x0;
    p1[1] += x1;
    p1[2] += x2;
    p2[0] += x0;
    p2[1] += x1;
    p2[2] += x2;
    p3[0] += x0;
    p3[1] += x1;
    p3[2] += x2;
  };
  if (rows[m - 1] - rows[0] == m - 1) {
    const Code* c0 = codes[0] + rows[0];
    const Code* c1 = codes[1] + rows[0];
    const Code* c2 = codes[2] + rows[0];
    const Code* c3 = codes[3] + rows[0];
    for (size_t i = 0; i < m; ++i) add(i, c0[i], c1[i], c2[i], c3[i]);
    return;
  }
  const Code* c0 = codes[0];
  const Code* c1 = codes[1];
  const Code* c2 = codes[2];
  const Code* c3 = codes[3];
  for (size_t i = 0; i < m; ++i) {
    const uint32_t r = rows[i];
    add(i, c0[r], c1[r], c2[r], c3[r]);
  }
}

double Entropy(const double* t, size_t k, double w) {
  double e = 0;
  for (size_t c = 0; c < k; ++c) {
    if (t[c] > 0) {
      const double p = t[c] / w;
      e -= p * std::log2(p);
    }
  }
  return e;
}

double SumSquares(const double* t, size_t k) {
  double s = 0;
  for (size_t c = 0; c < k; ++c) s += t[c] * t[c];
  return s;
}

class Grower {
 public:
  Grower(const BinnedFeatures& bins, const GrowOptions& opt, const RowData& data,
         std::vector<TreeJob>& jobs, const Context& ctx)
      : bins_(bins), opt_(opt), data_(data), ctx_(ctx), s_(StatDim(opt)) {
    subset_ = opt.features_per_node < bins.num_features();
    all_ = std::make_shared<FeatureSet>();
    for (size_t s = 0; s < bins.num_slots(); ++s) {
      all_->slots.push_back(static_cast<uint32_t>(s));
      all_->offsets.push_back(bins.bin_offset(s));
    }
    all_->offsets.push_back(bins.total_bins());
    max_slot_bins_ = 1;
    for (size_t s = 0; s < bins.num_slots(); ++s) {
      max_slot_bins_ = std::max(max_slot_bins_, bins.num_bins(s));
    }
    out_.resize(jobs.size());
    trees_.resize(jobs.size());
    for (size_t t = 0; t < jobs.size(); ++t) {
      TreeState& st = trees_[t];
      st.job = &jobs[t];
      st.out = &out_[t];
      st.rng = Rng::Stream(jobs[t].seed, jobs[t].stream);
      out_[t].stat_dim = s_;
      out_[t].rows = std::move(jobs[t].rows);
      st.tmp.resize(out_[t].rows.size());
    }
  }

  std::vector<GrownTree> Run() {
    RootStats();
    std::vector<Family> level;
    for (size_t t = 0; t < trees_.size(); ++t) level.push_back({static_cast<uint32_t>(t), -1, {}});
    while (!level.empty()) {
      ctx_.CheckCancelled();
      std::vector<Family> next;
      size_t retained = 0;
      size_t begin = 0;
      while (begin < level.size()) {
        // Groups keep a level's new histograms within the memory budget.
        size_t end = begin;
        size_t bytes = 0;
        while (end < level.size() && (end == begin || bytes < opt_.max_hist_bytes)) {
          bytes += (level[end].hist.empty() ? 2 : 1) * HistBytesBound();
          ++end;
        }
        ProcessGroup(level, begin, end, &next, &retained);
        begin = end;
      }
      level = std::move(next);
    }
    for (auto& st : trees_) std::vector<uint32_t>().swap(st.tmp);
    return std::move(out_);
  }

 private:
  size_t HistBytesBound() const {
    const size_t bins = subset_
                            ? std::min(bins_.total_bins(), opt_.features_per_node * max_slot_bins_)
                            : bins_.total_bins();
    return std::max<size_t>(bins, 1) * s_ * sizeof(double);
  }

  // Writes each row's statistics, s_ values per row, for rows[0, m).
  void FillStats(const TreeJob& job, const uint32_t* rows, size_t m, double* o) const {
    const uint8_t* copies = job.copies;
    const double* w = data_.w;
    switch (opt_.objective) {
      case Objective::kGini:
      case Objective::kEntropy: {
        std::fill_n(o, m * s_, 0.0);
        for (size_t i = 0; i < m; ++i) {
          const uint32_t r = rows[i];
          const double c = copies != nullptr ? copies[r] : 1.0;
          o[i * s_] = c;
          o[i * s_ + 1 + data_.label[r]] = w != nullptr ? c * w[r] : c;
        }
        return;
      }
      case Objective::kVariance:
        for (size_t i = 0; i < m; ++i) {
          const uint32_t r = rows[i];
          const double c = copies != nullptr ? copies[r] : 1.0;
          const double cw = w != nullptr ? c * w[r] : c;
          o[i * 3] = c;
          o[i * 3 + 1] = cw;
          o[i * 3 + 2] = cw * data_.y[r];
        }
        return;
      case Objective::kNewton:
        for (size_t i = 0; i < m; ++i) {
          const uint32_t r = rows[i];
          const double c = copies != nullptr ? copies[r] : 1.0;
          o[i * 3] = c;
          o[i * 3 + 1] = c * job.g[r];
          o[i * 3 + 2] = c * job.h[r];
        }
        return;
    }
  }

  void RootStats() {
    struct Task {
      size_t tree, chunk;
    };
    std::vector<Task> tasks;
    for (size_t t = 0; t < trees_.size(); ++t) {
      const size_t n = out_[t].rows.size();
      for (size_t c = 0; c * kHistChunk < n; ++c) tasks.push_back({t, c});
    }
    std::vector<double> partial(tasks.size() * s_, 0.0);
    ctx_.pool->ParallelFor(tasks.size(), [&](size_t i) {
      const Task& task = tasks[i];
      const auto& rows = out_[task.tree].rows;
      const size_t b = task.chunk * kHistChunk;
      const size_t m = std::min(kHistChunk, rows.size() - b);
      thread_local std::vector<double> o;
      o.resize(m * s_);
      FillStats(*trees_[task.tree].job, rows.data() + b, m, o.data());
      double* acc = partial.data() + i * s_;
      for (size_t r = 0; r < m; ++r) {
        for (size_t k = 0; k < s_; ++k) acc[k] += o[r * s_ + k];
      }
    });
    std::vector<double> root(trees_.size() * s_, 0.0);
    for (size_t i = 0; i < tasks.size(); ++i) {
      for (size_t k = 0; k < s_; ++k) root[tasks[i].tree * s_ + k] += partial[i * s_ + k];
    }
    ctx_.collective->AllReduceSum(root);
    for (size_t t = 0; t < trees_.size(); ++t) {
      GrownTree& g = out_[t];
      GrownNode node;
      node.begin = 0;
      node.end = static_cast<uint32_t>(g.rows.size());
      g.nodes.push_back(node);
      g.stats.assign(root.begin() + t * s_, root.begin() + (t + 1) * s_);
    }
  }

  // The weight a node's statistics stand for (what min_weight and importances use).
  double Weight(const double* st) const {
    switch (opt_.objective) {
      case Objective::kGini:
      case Objective::kEntropy: {
        double w = 0;
        for (size_t k = 1; k < s_; ++k) w += st[k];
        return w;
      }
      case Objective::kVariance:
        return st[1];
      case Objective::kNewton:
        return st[2];
    }
    return 0;
  }

  bool IsOpen(const GrownTree& g, size_t node) const {
    const double* st = g.Stats(node);
    if (g.nodes[node].depth >= opt_.max_depth) return false;
    if (st[0] < 2 * opt_.min_instances || st[0] < 2) return false;
    const double w = Weight(st);
    if (!(w > 0)) return false;
    if (opt_.objective == Objective::kNewton) return w >= 2 * opt_.min_hessian;
    if (w < 2 * opt_.min_weight) return false;
    if (opt_.objective == Objective::kVariance) return true;
    int classes = 0;
    for (size_t k = 1; k < s_; ++k) classes += st[k] > 0 ? 1 : 0;
    return classes > 1;
  }

  std::shared_ptr<const FeatureSet> DrawFeatures(TreeState& t) const {
    if (!subset_) return all_;
    const size_t d = bins_.num_features();
    if (t.perm.empty()) {
      t.perm.resize(d);
      std::iota(t.perm.begin(), t.perm.end(), 0u);
    }
    auto fs = std::make_shared<FeatureSet>();
    for (size_t i = 0; i < opt_.features_per_node; ++i) {
      std::swap(t.perm[i], t.perm[i + t.rng.Below(d - i)]);
      const int32_t slot = bins_.slot_of(t.perm[i]);
      if (slot >= 0) fs->slots.push_back(static_cast<uint32_t>(slot));
    }
    std::sort(fs->slots.begin(), fs->slots.end());
    fs->offsets.push_back(0);
    for (uint32_t s : fs->slots) fs->offsets.push_back(fs->offsets.back() + bins_.num_bins(s));
    return fs;
  }

  void ProcessGroup(std::vector<Family>& level, size_t begin, size_t end, std::vector<Family>* next,
                    size_t* retained) {
    std::vector<Kid> kids;
    kids.reserve(2 * (end - begin));
    for (size_t f = begin; f < end; ++f) {
      Family& fam = level[f];
      TreeState& ts = trees_[fam.tree];
      GrownTree& g = *ts.out;
      if (fam.parent < 0) {
        Kid k;
        k.tree = fam.tree;
        k.node = 0;
        k.open = IsOpen(g, 0);
        if (!k.open) continue;
        k.direct = true;
        k.fs = DrawFeatures(ts);
        if (!k.fs->slots.empty()) kids.push_back(std::move(k));
        continue;
      }
      const uint32_t l = g.nodes[fam.parent].left;
      const uint32_t r = g.nodes[fam.parent].right;
      const bool open_l = IsOpen(g, l);
      const bool open_r = IsOpen(g, r);
      if (!open_l && !open_r) continue;
      if (!fam.hist.empty()) {
        // Build the child with fewer rows; the other is parent - built.
        const bool left_small = g.Stats(l)[0] <= g.Stats(r)[0];
        const uint32_t small = left_small ? l : r;
        const uint32_t large = left_small ? r : l;
        Kid s;
        s.tree = fam.tree;
        s.node = small;
        s.open = left_small ? open_l : open_r;
        s.direct = true;
        s.fs = all_;
        kids.push_back(std::move(s));
        const bool large_open = left_small ? open_r : open_l;
        if (large_open) {
          Kid k;
          k.tree = fam.tree;
          k.node = large;
          k.open = true;
          k.sibling = static_cast<int>(kids.size()) - 1;
          k.fs = all_;
          k.hist = std::move(fam.hist);
          kids.push_back(std::move(k));
        }
        continue;
      }
      for (uint32_t c : {l, r}) {
        if (!IsOpen(g, c)) continue;
        Kid k;
        k.tree = fam.tree;
        k.node = c;
        k.open = true;
        k.direct = true;
        k.fs = DrawFeatures(ts);
        if (k.fs->slots.empty()) continue;  // no varying feature drawn: stays a leaf
        kids.push_back(std::move(k));
      }
    }
    if (kids.empty()) return;
    if (bins_.wide()) {
      BuildHists<uint16_t>(kids);
    } else {
      BuildHists<uint8_t>(kids);
    }
    ctx_.pool->ParallelFor(kids.size(), [&](size_t i) {
      if (kids[i].open) FindSplit(kids[i]);
    });
    ApplySplits(kids, next, retained);
    if (bins_.wide()) {
      Partition<uint16_t>(kids);
    } else {
      Partition<uint8_t>(kids);
    }
  }

  template <typename Code>
  void BuildHists(std::vector<Kid>& kids) {
    struct Task {
      size_t kid, chunk;
    };
    std::vector<Task> tasks;
    for (size_t i = 0; i < kids.size(); ++i) {
      Kid& k = kids[i];
      if (!k.direct) continue;
      const GrownNode& node = out_[k.tree].nodes[k.node];
      const size_t n = node.end - node.begin;
      const size_t chunks = std::max<size_t>(1, (n + kHistChunk - 1) / kHistChunk);
      const size_t len = k.fs->bins() * s_;
      k.hist.assign(len, 0.0);
      k.partials.assign(chunks - 1, std::vector<double>(len, 0.0));
      for (size_t c = 0; c < chunks; ++c) tasks.push_back({i, c});
    }
    ctx_.pool->ParallelFor(tasks.size(), [&](size_t ti) {
      const Task& task = tasks[ti];
      Kid& k = kids[task.kid];
      const GrownTree& g = out_[k.tree];
      const GrownNode& node = g.nodes[k.node];
      const size_t b = node.begin + task.chunk * kHistChunk;
      if (b >= node.end) return;
      const size_t m = std::min<size_t>(kHistChunk, node.end - b);
      const uint32_t* rows = g.rows.data() + b;
      thread_local std::vector<double> o;
      o.resize(m * s_);
      FillStats(*trees_[k.tree].job, rows, m, o.data());
      double* target = task.chunk == 0 ? k.hist.data() : k.partials[task.chunk - 1].data();
      const FeatureSet& fs = *k.fs;
      size_t j = 0;
      if (s_ == 3) {
        for (; j + 4 <= fs.slots.size(); j += 4) {
          const Code* codes[4];
          double* h[4];
          for (size_t q = 0; q < 4; ++q) {
            codes[q] = bins_.codes<Code>(fs.slots[j + q]);
            h[q] = target + fs.offsets[j + q] * 3;
          }
          Accumulate4<Code, 3>(codes, rows, m, o.data(), h);
        }
      }
      for (; j < fs.slots.size(); ++j) {
        const Code* codes = bins_.codes<Code>(fs.slots[j]);
        double* h = target + fs.offsets[j] * s_;
        if (s_ == 3) {
          Accumulate<Code, 3>(codes, rows, m, o.data(), h, 3);
        } else {
          Accumulate<Code, 0>(codes, rows, m, o.data(), h, s_);
        }
      }
    });
    // Partials are added in chunk order: the sum is the same for any thread count.
    ctx_.pool->ParallelFor(kids.size(), [&](size_t i) {
      Kid& k = kids[i];
      for (const auto& p : k.partials) {
        for (size_t x = 0; x < p.size(); ++x) k.hist[x] += p[x];
      }
      std::vector<std::vector<double>>().swap(k.partials);
    });
    for (Kid& k : kids) {
      if (k.direct) ctx_.collective->AllReduceSum(k.hist);
    }
    ctx_.pool->ParallelFor(kids.size(), [&](size_t i) {
      Kid& k = kids[i];
      if (k.direct) return;
      const std::vector<double>& s = kids[k.sibling].hist;
      for (size_t x = 0; x < k.hist.size(); ++x) k.hist[x] -= s[x];
    });
  }

  // Normalized gain of splitting t into l and r (r = t - l); -1 when not allowed.
  double Gain(const double* t, const double* l, const double* r) const {
    if (l[0] < opt_.min_instances || r[0] < opt_.min_instances) return -1;
    switch (opt_.objective) {
      case Objective::kGini:
      case Objective::kEntropy: {
        const size_t k = s_ - 1;
        double wl = 0, wr = 0;
        for (size_t c = 1; c < s_; ++c) {
          wl += l[c];
          wr += r[c];
        }
        if (!(wl > 0) || !(wr > 0) || wl < opt_.min_weight || wr < opt_.min_weight) return -1;
        const double w = wl + wr;
        if (opt_.objective == Objective::kGini) {
          return (SumSquares(l + 1, k) / wl + SumSquares(r + 1, k) / wr -
                  SumSquares(t + 1, k) / w) /
                 w;
        }
        return Entropy(t + 1, k, w) - wl / w * Entropy(l + 1, k, wl) -
               wr / w * Entropy(r + 1, k, wr);
      }
      case Objective::kVariance:
        if (!(l[1] > 0) || !(r[1] > 0) || l[1] < opt_.min_weight || r[1] < opt_.min_weight) {
          return -1;
        }
        return (l[2] * l[2] / l[1] + r[2] * r[2] / r[1] - t[2] * t[2] / t[1]) / t[1];
      case Objective::kNewton:
        if (!(l[2] > 0) || !(r[2] > 0) || l[2] < opt_.min_hessian || r[2] < opt_.min_hessian) {
          return -1;
        }
        return (l[1] * l[1] / l[2] + r[1] * r[1] / r[2] - t[1] * t[1] / t[2]) / t[2];
    }
    return -1;
  }

  void FindSplit(Kid& k) const {
    const GrownTree& g = out_[k.tree];
    const double* st = g.Stats(k.node);
    // Gains below rounding noise of the sums are no gains: a constant target
    // must not split on noise.
    double eps = 1e-12;
    if (opt_.objective == Objective::kVariance) {
      const double mean = st[2] / st[1];
      eps = std::max(1e-10 * mean * mean, 1e-300);
    } else if (opt_.objective == Objective::kNewton) {
      const double step = st[1] / st[2];
      eps = std::max(1e-10 * step * step, 1e-300);
    }
    const FeatureSet& fs = *k.fs;
    std::vector<double> total(s_), left(s_), right(s_), best_left(s_), best_right(s_);
    double best = -1;
    uint32_t best_slot = 0, best_bin = 0;
    for (size_t j = 0; j < fs.slots.size(); ++j) {
      const double* h = k.hist.data() + fs.offsets[j] * s_;
      const size_t nb = fs.offsets[j + 1] - fs.offsets[j];
      std::fill(total.begin(), total.end(), 0.0);
      for (size_t b = 0; b < nb; ++b) {
        for (size_t x = 0; x < s_; ++x) total[x] += h[b * s_ + x];
      }
      std::fill(left.begin(), left.end(), 0.0);
      for (size_t b = 0; b + 1 < nb; ++b) {
        for (size_t x = 0; x < s_; ++x) {
          left[x] += h[b * s_ + x];
          right[x] = total[x] - left[x];
        }
        const double gain = Gain(total.data(), left.data(), right.data());
        if (gain > best) {
          best = gain;
          best_slot = fs.slots[j];
          best_bin = static_cast<uint32_t>(b);
          best_left = left;
          best_right = right;
        }
      }
    }
    if (!(best > eps) || best < opt_.min_info_gain) return;
    k.split = true;
    k.slot = best_slot;
    k.bin = best_bin;
    k.gain = best;
    k.importance = best * Weight(st);
    k.left_stats = std::move(best_left);
    k.right_stats = std::move(best_right);
  }

  void ApplySplits(std::vector<Kid>& kids, std::vector<Family>* next, size_t* retained) {
    const size_t bytes = all_->bins() * s_ * sizeof(double);
    for (Kid& k : kids) {
      if (!k.split) continue;
      GrownTree& g = out_[k.tree];
      const int32_t l = static_cast<int32_t>(g.nodes.size());
      GrownNode& node = g.nodes[k.node];
      node.slot = static_cast<int32_t>(k.slot);
      node.bin = k.bin;
      node.left = l;
      node.right = l + 1;
      node.gain = k.gain;
      node.importance = k.importance;
      GrownNode child;
      child.depth = node.depth + 1;
      g.nodes.push_back(child);
      g.nodes.push_back(child);
      g.stats.insert(g.stats.end(), k.left_stats.begin(), k.left_stats.end());
      g.stats.insert(g.stats.end(), k.right_stats.begin(), k.right_stats.end());
      Family fam;
      fam.tree = k.tree;
      fam.parent = static_cast<int32_t>(k.node);
      if (!subset_ && *retained + bytes <= opt_.max_hist_bytes &&
          (IsOpen(g, l) || IsOpen(g, l + 1))) {
        fam.hist = std::move(k.hist);
        *retained += bytes;
      }
      next->push_back(std::move(fam));
    }
  }

  template <typename Code>
  void Partition(std::vector<Kid>& kids) {
    struct Task {
      size_t kid, chunk;
      uint32_t nl;
    };
    std::vector<Task> tasks;
    for (size_t i = 0; i < kids.size(); ++i) {
      if (!kids[i].split) continue;
      const GrownNode& node = out_[kids[i].tree].nodes[kids[i].node];
      const size_t n = node.end - node.begin;
      for (size_t c = 0; c == 0 || c * kPartChunk < n; ++c) tasks.push_back({i, c, 0});
    }
    if (tasks.empty()) return;
    // Pass 1: each chunk stably splits its rows into the scratch buffer.
    ctx_.pool->ParallelFor(tasks.size(), [&](size_t ti) {
      Task& task = tasks[ti];
      const Kid& k = kids[task.kid];
      GrownTree& g = out_[k.tree];
      const GrownNode& node = g.nodes[k.node];
      const size_t b = node.begin + task.chunk * kPartChunk;
      const size_t m = b < node.end ? std::min<size_t>(kPartChunk, node.end - b) : 0;
      const uint32_t* rows = g.rows.data() + b;
      uint32_t* tmp = trees_[k.tree].tmp.data() + b;
      const Code* codes = bins_.codes<Code>(k.slot);
      thread_local std::vector<uint32_t> right;
      right.resize(m);
      uint32_t nl = 0, nr = 0;
      for (size_t i = 0; i < m; ++i) {
        // Both writes, one kept: no branch on a coin-flip condition.
        const uint32_t r = rows[i];
        const uint32_t go_left = codes[r] <= k.bin ? 1 : 0;
        tmp[nl] = r;
        right[nr] = r;
        nl += go_left;
        nr += 1 - go_left;
      }
      std::copy_n(right.data(), nr, tmp + nl);
      task.nl = nl;
    });
    // Pass 2: chunks' left parts, then their right parts, go back in order.
    std::vector<uint32_t> left_before(tasks.size()), right_before(tasks.size());
    for (size_t ti = 0; ti < tasks.size();) {
      const Kid& k = kids[tasks[ti].kid];
      GrownTree& g = out_[k.tree];
      GrownNode& node = g.nodes[k.node];
      size_t tj = ti;
      uint32_t nl = 0, nr = 0;
      for (; tj < tasks.size() && tasks[tj].kid == tasks[ti].kid; ++tj) {
        const size_t b = node.begin + tasks[tj].chunk * kPartChunk;
        const uint32_t m =
            b < node.end ? static_cast<uint32_t>(std::min<size_t>(kPartChunk, node.end - b)) : 0;
        left_before[tj] = nl;
        right_before[tj] = nr;
        nl += tasks[tj].nl;
        nr += m - tasks[tj].nl;
      }
      GrownNode& l = g.nodes[node.left];
      GrownNode& r = g.nodes[node.right];
      l.begin = node.begin;
      l.end = node.begin + nl;
      r.begin = l.end;
      r.end = node.end;
      ti = tj;
    }
    ctx_.pool->ParallelFor(tasks.size(), [&](size_t ti) {
      const Task& task = tasks[ti];
      const Kid& k = kids[task.kid];
      GrownTree& g = out_[k.tree];
      const GrownNode& node = g.nodes[k.node];
      const size_t b = node.begin + task.chunk * kPartChunk;
      const size_t m = b < node.end ? std::min<size_t>(kPartChunk, node.end - b) : 0;
      const uint32_t* tmp = trees_[k.tree].tmp.data() + b;
      const uint32_t left_start = g.nodes[node.left].begin;
      const uint32_t right_start = g.nodes[node.right].begin;
      std::copy_n(tmp, task.nl, g.rows.data() + left_start + left_before[ti]);
      std::copy_n(tmp + task.nl, m - task.nl, g.rows.data() + right_start + right_before[ti]);
    });
  }

  const BinnedFeatures& bins_;
  const GrowOptions& opt_;
  const RowData& data_;
  const Context& ctx_;
  const size_t s_;
  bool subset_ = false;
  size_t max_slot_bins_ = 1;
  std::shared_ptr<FeatureSet> all_;
  std::vector<GrownTree> out_;
  std::vector<TreeState> trees_;
};

}  // namespace

size_t StatDim(const GrowOptions& opt) {
  switch (opt.objective) {
    case Objective::kGini:
    case Objective::kEntropy:
      return 1 + opt.num_classes;
    case Objective::kVariance:
    case Objective::kNewton:
      return 3;
  }
  return 3;
}

std::vector<GrownTree> GrowTrees(const BinnedFeatures& bins, const GrowOptions& opt,
                                 const RowData& data, std::vector<TreeJob> jobs,
                                 const Context& ctx) {
  Grower grower(bins, opt, data, jobs, ctx);
  return grower.Run();
}

Tree GrownTree::ToTree(const BinnedFeatures& bins, size_t value_dim,
                       const std::function<void(size_t, double*)>& value) const {
  Tree t;
  const size_t n = nodes.size();
  t.value_dim = value_dim;
  t.feature.resize(n);
  t.threshold.resize(n);
  t.left.resize(n);
  t.right.resize(n);
  t.gain.resize(n);
  t.weight.resize(n);
  t.values.resize(n * value_dim);
  for (size_t i = 0; i < n; ++i) {
    const GrownNode& g = nodes[i];
    const bool leaf = g.slot < 0;
    t.feature[i] = leaf ? -1 : static_cast<int32_t>(bins.feature(g.slot));
    t.threshold[i] = leaf ? 0.0 : bins.threshold(g.slot, g.bin);
    t.left[i] = g.left;
    t.right[i] = g.right;
    t.gain[i] = g.gain;
    t.weight[i] = Stats(i)[0];
    value(i, t.values.data() + i * value_dim);
  }
  return t;
}

void GrownTree::AddImportances(const BinnedFeatures& bins, std::vector<double>* imp) const {
  for (const GrownNode& g : nodes) {
    if (g.slot >= 0) (*imp)[bins.feature(g.slot)] += g.importance;
  }
}

}  // namespace helenus::ml

#include <algorithm>
#include <cmath>
#include <limits>

#include "helenus/common/error.h"
#include "helenus/ml/metrics.h"

namespace helenus::ml {

namespace {

// The relevant items of a query as a sorted set.
class RelevantSet {
 public:
  explicit RelevantSet(const std::vector<double>& items) : items_(items) {
    std::sort(items_.begin(), items_.end());
    items_.erase(std::unique(items_.begin(), items_.end()), items_.end());
  }
  bool Contains(double v) const { return std::binary_search(items_.begin(), items_.end(), v); }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<double> items_;
};

void CheckK(size_t k) {
  if (k < 1) ThrowInvalid("Ranking position k must be positive");
}

// Mean over queries of fn(query, relevant set); queries without relevant
// items count as 0, as in MLlib.
template <typename Fn>
double MeanOverQueries(std::span<const RankingQuery> queries, Fn&& fn) {
  if (queries.empty()) ThrowInvalid("Ranking metrics need at least one query");
  double sum = 0;
  for (const RankingQuery& q : queries) {
    const RelevantSet relevant(q.relevant);
    if (!relevant.empty()) sum += fn(q, relevant);
  }
  return sum / static_cast<double>(queries.size());
}

size_t HitsInFirst(const RankingQuery& q, const RelevantSet& relevant, size_t k) {
  const size_t n = std::min(k, q.predicted.size());
  size_t hits = 0;
  for (size_t i = 0; i < n; ++i) hits += relevant.Contains(q.predicted[i]) ? 1 : 0;
  return hits;
}

double AveragePrecisionAt(const RankingQuery& q, const RelevantSet& relevant, size_t k) {
  const size_t n = std::min(k, q.predicted.size());
  size_t hits = 0;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    if (relevant.Contains(q.predicted[i])) {
      ++hits;
      sum += static_cast<double>(hits) / static_cast<double>(i + 1);
    }
  }
  return sum / static_cast<double>(std::min(relevant.size(), k));
}

}  // namespace

double PrecisionAtK(std::span<const RankingQuery> queries, size_t k) {
  CheckK(k);
  return MeanOverQueries(queries, [&](const RankingQuery& q, const RelevantSet& rel) {
    return static_cast<double>(HitsInFirst(q, rel, k)) / static_cast<double>(k);
  });
}

double RecallAtK(std::span<const RankingQuery> queries, size_t k) {
  CheckK(k);
  return MeanOverQueries(queries, [&](const RankingQuery& q, const RelevantSet& rel) {
    return static_cast<double>(HitsInFirst(q, rel, k)) / static_cast<double>(rel.size());
  });
}

double NdcgAtK(std::span<const RankingQuery> queries, size_t k) {
  CheckK(k);
  return MeanOverQueries(queries, [&](const RankingQuery& q, const RelevantSet& rel) {
    const size_t n = std::min(std::max(q.predicted.size(), rel.size()), k);
    double dcg = 0, ideal = 0;
    for (size_t i = 0; i < n; ++i) {
      const double gain = 1.0 / std::log(static_cast<double>(i + 2));
      if (i < q.predicted.size() && rel.Contains(q.predicted[i])) dcg += gain;
      if (i < rel.size()) ideal += gain;
    }
    return dcg / ideal;
  });
}

double MeanAveragePrecision(std::span<const RankingQuery> queries) {
  return MeanOverQueries(queries, [&](const RankingQuery& q, const RelevantSet& rel) {
    return AveragePrecisionAt(q, rel, std::numeric_limits<size_t>::max());
  });
}

double MeanAveragePrecisionAtK(std::span<const RankingQuery> queries, size_t k) {
  CheckK(k);
  return MeanOverQueries(queries, [&](const RankingQuery& q, const RelevantSet& rel) {
    return AveragePrecisionAt(q, rel, k);
  });
}

}  // namespace helenus::ml

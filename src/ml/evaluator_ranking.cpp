#include <bit>
#include <cstring>
#include <optional>

#include "helenus/common/error.h"
#include "helenus/ml/evaluator.h"
#include "helenus/ml/metrics.h"
#include "ml/evaluator_columns.h"

namespace helenus::ml {

namespace {

std::vector<ParamSpec> Specs() {
  return {
      StringParam("metric_name", "meanAveragePrecision", "metric to compute",
                  {"meanAveragePrecision", "meanAveragePrecisionAtK", "precisionAtK", "ndcgAtK",
                   "recallAtK"}),
      IntParam("k", 10, "ranking position of the ...AtK metrics", 1, 1e9),
      StringParam("label_col", "label", "relevant items (a list or set of numbers per row)"),
      StringParam("prediction_col", "prediction", "items in predicted order (a list of numbers)"),
  };
}

uint64_t BigEndian(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

// One element of a CQL-serialized numeric collection, as a double.
double Element(TypeKind kind, const uint8_t* p, size_t n, std::string_view col) {
  auto need = [&](size_t want) {
    if (n != want) ThrowInvalid("Column {} holds a malformed list element", col);
  };
  switch (kind) {
    case TypeKind::kTinyint:
      need(1);
      return static_cast<int8_t>(p[0]);
    case TypeKind::kSmallint:
      need(2);
      return static_cast<int16_t>(BigEndian(p, 2));
    case TypeKind::kInt:
      need(4);
      return static_cast<int32_t>(BigEndian(p, 4));
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
      need(8);
      return static_cast<double>(static_cast<int64_t>(BigEndian(p, 8)));
    case TypeKind::kFloat:
      need(4);
      return std::bit_cast<float>(static_cast<uint32_t>(BigEndian(p, 4)));
    case TypeKind::kDouble:
      need(8);
      return std::bit_cast<double>(BigEndian(p, 8));
    default:
      ThrowInvalid("Column {} must be a list or set of numbers", col);
  }
}

// The items of each row of col: a list/set column of numbers, or a vector
// column (each row's values in order). NULL rows are nullopt.
std::vector<std::optional<std::vector<double>>> ListsOf(const Frame& f, std::string_view col) {
  const FrameColumn& fc = f.column(f.Require(col));
  std::vector<std::optional<std::vector<double>>> out(f.num_rows());
  if (fc.is_vector()) {
    const Vectors& v = std::get<Vectors>(fc.data);
    for (size_t r = 0; r < v.rows; ++r) {
      if (v.IsNull(r)) continue;
      out[r].emplace(v.dim);
      v.Densify(r, out[r]->data());
    }
    return out;
  }
  const exec::Column& c = std::get<exec::Column>(fc.data);
  if ((c.type.kind != TypeKind::kList && c.type.kind != TypeKind::kSet) ||
      c.type.params.size() != 1) {
    ThrowInvalid("Column {} of type {} must be a list or set of numbers", col, c.type.ToCql());
  }
  const TypeKind elem = c.type.params[0].kind;
  for (size_t r = 0; r < c.size(); ++r) {
    if (c.IsNull(r)) continue;
    const std::string& bytes = c.strings[r];
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
    const size_t size = bytes.size();
    if (size < 4) ThrowInvalid("Column {} holds a malformed list", col);
    const uint32_t count = static_cast<uint32_t>(BigEndian(p, 4));
    size_t at = 4;
    auto& items = out[r].emplace();
    for (uint32_t i = 0; i < count; ++i) {
      if (size - at < 4) ThrowInvalid("Column {} holds a malformed list", col);
      const int32_t len = static_cast<int32_t>(BigEndian(p + at, 4));
      at += 4;
      if (len < 0) continue;  // a NULL element
      if (static_cast<size_t>(len) > size - at) {
        ThrowInvalid("Column {} holds a malformed list", col);
      }
      items.push_back(Element(elem, p + at, static_cast<size_t>(len), col));
      at += static_cast<size_t>(len);
    }
  }
  return out;
}

class RankingEvaluator final : public Evaluator {
 public:
  explicit RankingEvaluator(const Params& p)
      : metric_(p.String(Specs(), "metric_name")),
        k_(static_cast<size_t>(p.Int(Specs(), "k"))),
        label_col_(p.String(Specs(), "label_col")),
        prediction_col_(p.String(Specs(), "prediction_col")) {}

  std::string kind() const override { return "ranking_evaluator"; }
  std::string metric_name() const override { return metric_; }
  bool larger_is_better() const override { return true; }

  double Evaluate(const Frame& f, const Context& ctx) const override {
    auto predicted = ListsOf(f, prediction_col_);
    auto relevant = ListsOf(f, label_col_);
    std::vector<RankingQuery> queries;
    queries.reserve(f.num_rows());
    for (size_t r = 0; r < f.num_rows(); ++r) {
      if (!predicted[r] || !relevant[r]) continue;
      queries.push_back({std::move(*predicted[r]), std::move(*relevant[r])});
    }
    if (queries.empty()) ThrowInvalid("Nothing to evaluate: no row has predictions and labels");
    if (metric_ == "meanAveragePrecisionAtK") return MeanAveragePrecisionAtK(queries, k_);
    if (metric_ == "precisionAtK") return PrecisionAtK(queries, k_);
    if (metric_ == "ndcgAtK") return NdcgAtK(queries, k_);
    if (metric_ == "recallAtK") return RecallAtK(queries, k_);
    return MeanAveragePrecision(queries);
  }

 private:
  std::string metric_;
  size_t k_;
  std::string label_col_;
  std::string prediction_col_;
};

}  // namespace

EvaluatorSpec RankingEvaluatorSpec() {
  return {"ranking_evaluator", "MAP, precision, recall or NDCG of ranked predictions", Specs(),
          [](const Params& p) { return std::make_unique<RankingEvaluator>(p); }};
}

}  // namespace helenus::ml

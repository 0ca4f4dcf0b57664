// Imputer: missing values (NULL, NaN or missing_value) replaced by the
// column's mean, median or mode (MLlib's Imputer).

#include <algorithm>
#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "ml/feature_common.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "imputer";

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = [] {
    std::vector<ParamSpec> s = MultiColumnSpecs("the input column itself, imputed in place");
    s.push_back(StringParam("strategy", "mean",
                            "surrogate: mean, median (exact, Spark's lower median) or mode",
                            {"mean", "median", "mode"}));
    s.push_back(DoubleParam("missing_value", std::nan(""),
                            "the value that means missing besides NULL (default NaN)"));
    return s;
  }();
  return spec;
}

// True when v stands for a missing value.
bool IsMissing(double v, double missing) {
  return std::isnan(missing) ? std::isnan(v) : v == missing;
}

const exec::Column& NumericColumn(const Frame& f, const std::string& name) {
  const exec::Column& c = f.Scalar(name);
  if (!IsNumericType(c.type)) {
    ThrowInvalid("{}: column {} of type {} is not numeric", kName, name, c.type.ToCql());
  }
  return c;
}

double ValueAt(const exec::Column& c, size_t r) {
  return c.physical() == exec::Physical::kInt64 ? static_cast<double>(c.ints[r]) : c.doubles[r];
}

class ImputerModel final : public FeatureTransformer {
 public:
  ImputerModel(Params p, std::vector<double> surrogates)
      : FeatureTransformer(kName, Spec(), std::move(p)), surrogates_(std::move(surrogates)) {}

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const auto pairs = ColumnPairs(params(), spec(), kName, "");
    if (pairs.size() != surrogates_.size()) {
      ThrowInvalid("Corrupt model: {} has {} inputs and {} surrogates", kName, pairs.size(),
                   surrogates_.size());
    }
    const double missing = Dbl("missing_value");
    Frame result = input;
    for (size_t i = 0; i < pairs.size(); ++i) {
      const exec::Column& col = NumericColumn(input, pairs[i].first);
      const double surrogate = surrogates_[i];
      const size_t n = col.size();
      exec::Column filled = exec::Column::Make(DataType::Of(TypeKind::kDouble));
      filled.doubles.resize(n);
      ForRows(ctx, n, [&](size_t b, size_t e) {
        for (size_t r = b; r < e; ++r) {
          const double v = col.IsNull(r) ? missing : ValueAt(col, r);
          filled.doubles[r] = col.IsNull(r) || IsMissing(v, missing) ? surrogate : v;
        }
      });
      // Spark casts the result back to the input's type (an int column stays int).
      exec::Column out =
          col.type.kind == TypeKind::kDouble ? std::move(filled) : CastColumn(filled, col.type);
      result.Add(pairs[i].second, std::move(out), input.AttrsOf(pairs[i].first));
    }
    return result;
  }

  std::vector<std::string> Artifacts() const override { return {"surrogates"}; }

  Frame Artifact(std::string_view name) const override {
    if (name != "surrogates") return FeatureTransformer::Artifact(name);
    const auto pairs = ColumnPairs(params(), spec(), kName, "");
    exec::Column column = exec::Column::Make(DataType::Of(TypeKind::kText));
    exec::Column surrogate = exec::Column::Make(DataType::Of(TypeKind::kDouble));
    for (size_t i = 0; i < pairs.size() && i < surrogates_.size(); ++i) {
      column.AppendString(pairs[i].first);
      surrogate.AppendDouble(surrogates_[i]);
    }
    Frame f;
    f.Add("column", std::move(column));
    f.Add("surrogate", std::move(surrogate));
    return f;
  }

 protected:
  void SaveState(Writer& out) const override { out.F64s(surrogates_); }

  std::vector<std::pair<std::string, std::string>> DescribeState() const override {
    return {{"surrogates", Preview(surrogates_)}};
  }

 private:
  std::vector<double> surrogates_;
};

class Imputer final : public Estimator {
 public:
  explicit Imputer(Params p) : params_(std::move(p)) { ColumnPairs(params_, Spec(), kName, ""); }
  std::string kind() const override { return kName; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const std::string strategy = params_.String(Spec(), "strategy");
    const double missing = params_.Double(Spec(), "missing_value");
    const auto pairs = ColumnPairs(params_, Spec(), kName, "");
    std::vector<double> surrogates;
    for (size_t i = 0; i < pairs.size(); ++i) {
      const std::string& name = pairs[i].first;
      const exec::Column& col = NumericColumn(input, name);
      // NaN never counts, whatever missing_value is (as in Spark's fit).
      auto present = [&](size_t r) {
        if (col.IsNull(r)) return false;
        const double v = ValueAt(col, r);
        return !std::isnan(v) && !IsMissing(v, missing);
      };
      double surrogate;
      if (strategy == "mean") {
        auto sums = SumRows(ctx, col.size(), 2, [&](size_t b, size_t e, double* acc) {
          for (size_t r = b; r < e; ++r) {
            if (!present(r)) continue;
            acc[0] += ValueAt(col, r);
            acc[1] += 1;
          }
        });
        if (sums[1] == 0) NoValues(name, missing);
        surrogate = sums[0] / sums[1];
      } else {
        std::vector<double> values;
        values.reserve(col.size());
        for (size_t r = 0; r < col.size(); ++r) {
          if (present(r)) values.push_back(ValueAt(col, r));
        }
        values = GatherRanks(ctx, std::move(values));
        if (values.empty()) NoValues(name, missing);
        surrogate = strategy == "median" ? LowerMedian(&values) : Mode(&values);
      }
      surrogates.push_back(surrogate);
      ctx.Step(i + 1, pairs.size());
      ctx.CheckCancelled();
    }
    return std::make_unique<ImputerModel>(params_, std::move(surrogates));
  }

 private:
  [[noreturn]] static void NoValues(const std::string& name, double missing) {
    ThrowInvalid(
        "{}: surrogate cannot be computed: all the values in column {} are NULL, NaN or "
        "missing_value ({})",
        kName, name, JavaNumber(missing));
  }

  // Spark's exact median: the value of rank ceil(n / 2), the lower middle value.
  static double LowerMedian(std::vector<double>* v) {
    const size_t k = (v->size() + 1) / 2 - 1;
    std::nth_element(v->begin(), v->begin() + static_cast<std::ptrdiff_t>(k), v->end());
    return (*v)[k];
  }

  // The most frequent value; the smallest among ties, like Spark.
  static double Mode(std::vector<double>* v) {
    std::sort(v->begin(), v->end());
    double best = (*v)[0];
    size_t best_count = 0;
    for (size_t i = 0; i < v->size();) {
      size_t j = i;
      while (j < v->size() && (*v)[j] == (*v)[i]) ++j;
      if (j - i > best_count) {
        best_count = j - i;
        best = (*v)[i];
      }
      i = j;
    }
    return best;
  }

  // Every rank's values (in rank order) when training across processes.
  static std::vector<double> GatherRanks(const Context& ctx, std::vector<double> values) {
    if (ctx.collective->size() <= 1) return values;
    Writer w;
    w.F64s(values);
    std::vector<double> all;
    for (const auto& bytes : ctx.collective->AllGather(w.data())) {
      Reader r(bytes);
      const auto part = r.F64s();
      all.insert(all.end(), part.begin(), part.end());
    }
    return all;
  }

  Params params_;
};

}  // namespace

void RegisterImputer(Registry& r) {
  AddFeatureEstimator(
      r,
      EstimatorInfo{
          kName,
          Task::kFeature,
          "replaces NULL/NaN/missing_value with the column's mean, median or mode",
          Spec(),
          [](const Params& p) { return std::make_unique<Imputer>(p); },
      },
      [](Params p, Reader& in) { return std::make_unique<ImputerModel>(std::move(p), in.F64s()); });
}

}  // namespace helenus::ml

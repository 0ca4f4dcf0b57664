// Bucketizer: a numeric column mapped to bucket indices by split points (MLlib's Bucketizer).

#include <algorithm>
#include <cmath>
#include <limits>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "ml/feature_common.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "bucketizer";
// Split points at or beyond this magnitude stand for infinity, for
// statements that cannot spell it (write -1e308 / 1e308, or -Infinity).
constexpr double kInfinityBound = 1e300;

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_col", "", "numeric column to bucket"),
      StringParam("output_col", "", "output bucket index column ('' = <input_col>_bucket)"),
      DoublesParam("splits", {},
                   "strictly increasing split points, at least 3; bucket i is [s_i, s_i+1) and "
                   "the last includes its upper end; |s| >= 1e300 means infinity"),
      StringParam("handle_invalid", "error",
                  "NaN values: error, skip (drop the row) or keep (bucket = number of buckets)",
                  {"error", "skip", "keep"}),
  };
  return spec;
}

// The splits option with very large values turned into infinities; Invalid
// unless strictly increasing with at least 3 points.
std::vector<double> Splits(const Params& p) {
  std::vector<double> s = p.Doubles(Spec(), "splits");
  for (double& v : s) {
    if (v <= -kInfinityBound) v = -std::numeric_limits<double>::infinity();
    if (v >= kInfinityBound) v = std::numeric_limits<double>::infinity();
  }
  if (s.size() < 3) {
    ThrowInvalid("{}: splits needs at least 3 points (2 buckets), got {}", kName, s.size());
  }
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (!(s[i] < s[i + 1])) {
      ThrowInvalid("{}: splits must be strictly increasing, got {} before {}", kName,
                   JavaNumber(s[i]), JavaNumber(s[i + 1]));
    }
  }
  return s;
}

class Bucketizer final : public FeatureTransformer {
 public:
  explicit Bucketizer(Params p)
      : FeatureTransformer(kName, Spec(), std::move(p)), splits_(Splits(params())) {
    RequiredColumn(params(), spec(), "input_col", kName);
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params(), spec(), "input_col", kName);
    const exec::Column& col = input.Scalar(in_name);
    if (!IsNumericType(col.type)) {
      ThrowInvalid("{}: column {} of type {} is not numeric", kName, in_name, col.type.ToCql());
    }
    const HandleInvalid handle = ParseHandleInvalid(Str("handle_invalid"));
    const bool ints = col.physical() == exec::Physical::kInt64;
    const size_t n = col.size();
    auto value = [&](size_t r) { return ints ? static_cast<double>(col.ints[r]) : col.doubles[r]; };
    // Errors are found in row order so they name the first offending row.
    std::vector<uint32_t> kept;
    bool skipping = false;
    for (size_t r = 0; r < n; ++r) {
      const bool nan = !col.IsNull(r) && std::isnan(value(r));
      // Spark's skip drops NULL rows too (na.drop); error and keep leave NULL as NULL.
      const bool drop = handle == HandleInvalid::kSkip && (nan || col.IsNull(r));
      if (nan && handle == HandleInvalid::kError) {
        ThrowInvalid(
            "{} encountered a NaN value in column {} at row {}; set handle_invalid to "
            "'skip' or 'keep'",
            kName, in_name, r);
      }
      if (!col.IsNull(r) && !nan) {
        const double v = value(r);
        if (v < splits_.front() || v > splits_.back()) {
          ThrowInvalid("Feature value {} out of {} bounds [{}, {}] (column {}, row {})",
                       JavaNumber(v), kName, JavaNumber(splits_.front()),
                       JavaNumber(splits_.back()), in_name, r);
        }
      }
      if (drop && !skipping) {
        skipping = true;
        for (size_t k = 0; k < r; ++k) kept.push_back(static_cast<uint32_t>(k));
      }
      if (!drop && skipping) kept.push_back(static_cast<uint32_t>(r));
    }
    const size_t rows = skipping ? kept.size() : n;
    exec::Column out =
        BuildColumn(ctx, DataType::Of(TypeKind::kDouble), rows, [&](size_t r, exec::Column* o) {
          const size_t s = skipping ? kept[r] : r;
          if (col.IsNull(s)) {
            o->AppendNull();
          } else {
            o->AppendDouble(Bucket(value(s)));
          }
        });
    Attributes attrs;
    for (size_t i = 0; i + 1 < splits_.size(); ++i) {
      attrs.labels.push_back(JavaNumber(splits_[i]) + ", " + JavaNumber(splits_[i + 1]));
    }
    Frame result = skipping ? input.Take(kept) : input;
    result.Add(OutputColumn(params(), spec(), in_name, "_bucket"), std::move(out),
               std::move(attrs));
    return result;
  }

 private:
  // The bucket of an in-range v; NaN goes to the extra bucket.
  double Bucket(double v) const {
    if (std::isnan(v)) return static_cast<double>(splits_.size() - 1);
    if (v == splits_.back()) return static_cast<double>(splits_.size() - 2);
    auto it = std::upper_bound(splits_.begin(), splits_.end(), v);
    return static_cast<double>(it - splits_.begin() - 1);
  }

  std::vector<double> splits_;
};

}  // namespace

void RegisterBucketizer(Registry& r) {
  AddParamTransformer(r, TransformerInfo{
                             kName,
                             "maps a numeric column to bucket indices by split points",
                             Spec(),
                             [](const Params& p) { return std::make_unique<Bucketizer>(p); },
                         });
}

}  // namespace helenus::ml

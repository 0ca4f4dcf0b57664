// IndexToString: label indices back to their labels (MLlib's IndexToString).

#include <cmath>

#include "helenus/common/error.h"
#include "ml/feature_common.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "index_to_string";

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_col", "", "numeric column of label indices"),
      StringParam("output_col", "", "output text column ('' = <input_col>_string)"),
      StringParam("labels", "",
                  "comma-separated labels of indices 0, 1, ... ('' = the input column's labels, "
                  "as string_indexer sets them)"),
  };
  return spec;
}

class IndexToString final : public FeatureTransformer {
 public:
  explicit IndexToString(Params p) : FeatureTransformer(kName, Spec(), std::move(p)) {
    RequiredColumn(params(), spec(), "input_col", kName);
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params(), spec(), "input_col", kName);
    const std::string out_name = OutputColumn(params(), spec(), in_name, "_string");
    const exec::Column& col = input.Scalar(in_name);
    if (!IsNumericType(col.type)) {
      ThrowInvalid("{}: column {} of type {} must be numeric (label indices)", kName, in_name,
                   col.type.ToCql());
    }
    std::vector<std::string> labels = SplitNames(Str("labels"));
    if (labels.empty()) labels = input.AttrsOf(in_name).labels;
    if (labels.empty()) {
      ThrowInvalid(
          "{}: column {} has no labels (it was not made by string_indexer); give the labels "
          "option",
          kName, in_name);
    }
    const bool ints = col.physical() == exec::Physical::kInt64;
    exec::Column out = exec::Column::Make(DataType::Of(TypeKind::kText), input.num_rows());
    for (size_t r = 0; r < input.num_rows(); ++r) {
      if (col.IsNull(r)) {
        out.AppendNull();
        continue;
      }
      const double v = ints ? static_cast<double>(col.ints[r]) : col.doubles[r];
      // Spark truncates the index to an int (1.7 -> 1).
      const double i = std::trunc(v);
      if (!(i >= 0 && i < static_cast<double>(labels.size()))) {
        ThrowInvalid("Unseen index: {} (column {}, row {}; {} labels)", JavaNumber(v), in_name, r,
                     labels.size());
      }
      out.AppendString(labels[static_cast<size_t>(i)]);
    }
    Frame result = input;
    result.Add(out_name, std::move(out));
    return result;
  }
};

}  // namespace

void RegisterIndexToString(Registry& r) {
  AddParamTransformer(r, TransformerInfo{
                             kName,
                             "maps label indices back to their labels",
                             Spec(),
                             [](const Params& p) { return std::make_unique<IndexToString>(p); },
                         });
}

}  // namespace helenus::ml

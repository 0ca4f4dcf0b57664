// StringIndexer: the values of a column as label indices, most frequent first
// by default (MLlib's StringIndexer / StringIndexerModel).

#include <algorithm>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "ml/feature_common.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "string_indexer";
// The label Spark gives the extra index of handle_invalid = keep.
constexpr char kUnknownLabel[] = "__unknown";

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_col", "", "column to index (any scalar type; values compared as text)"),
      StringParam("output_col", "", "output index column ('' = <input_col>_index)"),
      StringParam("string_order_type", "frequencyDesc",
                  "label order: frequencyDesc, frequencyAsc, alphabetDesc, alphabetAsc",
                  {"frequencyDesc", "frequencyAsc", "alphabetDesc", "alphabetAsc"}),
      StringParam("handle_invalid", "error",
                  "NULL or unseen labels: error, skip (drop the row) or keep (index = num labels)",
                  {"error", "skip", "keep"}),
  };
  return spec;
}

class StringIndexerModel final : public FeatureTransformer {
 public:
  StringIndexerModel(Params p, std::vector<std::string> labels)
      : FeatureTransformer(kName, Spec(), std::move(p)), labels_(std::move(labels)) {
    for (size_t i = 0; i < labels_.size(); ++i) {
      index_.emplace(labels_[i], static_cast<uint32_t>(i));
    }
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params(), spec(), "input_col", kName);
    const std::string out_name = OutputColumn(params(), spec(), in_name, "_index");
    const HandleInvalid handle = ParseHandleInvalid(Str("handle_invalid"));
    exec::Column scratch;
    const exec::Column& text = AsText(input.Scalar(in_name), &scratch);
    const size_t n = input.num_rows();
    const double unknown = static_cast<double>(labels_.size());
    // Index of each row; -1 = invalid (NULL or unseen), checked in row order
    // so an error names the first offending row.
    std::vector<double> idx(n);
    ForRows(ctx, n, [&](size_t b, size_t e) {
      for (size_t r = b; r < e; ++r) {
        if (text.IsNull(r)) {
          idx[r] = -1;
          continue;
        }
        auto it = index_.find(std::string_view(text.strings[r]));
        idx[r] = it == index_.end() ? -1.0 : static_cast<double>(it->second);
      }
    });
    std::vector<uint32_t> kept;
    bool skipping = false;
    for (size_t r = 0; r < n; ++r) {
      if (idx[r] >= 0) {
        if (skipping) kept.push_back(static_cast<uint32_t>(r));
        continue;
      }
      switch (handle) {
        case HandleInvalid::kError:
          if (text.IsNull(r)) {
            ThrowInvalid(
                "{} encountered a NULL value in column {} at row {}; set handle_invalid to "
                "'skip' or 'keep'",
                kName, in_name, r);
          }
          ThrowInvalid(
              "Unseen label: {} (column {}, row {}); set handle_invalid to 'skip' or 'keep'",
              text.strings[r], in_name, r);
        case HandleInvalid::kKeep:
          idx[r] = unknown;
          break;
        case HandleInvalid::kSkip:
          if (!skipping) {
            skipping = true;
            for (size_t k = 0; k < r; ++k) kept.push_back(static_cast<uint32_t>(k));
          }
          break;
      }
    }
    exec::Column out = exec::Column::Make(DataType::Of(TypeKind::kDouble), n);
    if (skipping) {
      for (uint32_t r : kept) out.AppendDouble(idx[r]);
    } else {
      out.doubles = std::move(idx);
    }
    Attributes attrs;
    attrs.labels = labels_;
    if (handle == HandleInvalid::kKeep) attrs.labels.push_back(kUnknownLabel);
    Frame result = skipping ? input.Take(kept) : input;
    result.Add(out_name, std::move(out), std::move(attrs));
    return result;
  }

  std::vector<std::string> Artifacts() const override { return {"labels"}; }

  Frame Artifact(std::string_view name) const override {
    if (name != "labels") return FeatureTransformer::Artifact(name);
    exec::Column index = exec::Column::Make(DataType::Of(TypeKind::kInt), labels_.size());
    exec::Column label = exec::Column::Make(DataType::Of(TypeKind::kText), labels_.size());
    for (size_t i = 0; i < labels_.size(); ++i) {
      index.AppendInt(static_cast<int64_t>(i));
      label.AppendString(labels_[i]);
    }
    Frame f;
    f.Add("index", std::move(index));
    f.Add("label", std::move(label));
    return f;
  }

 protected:
  void SaveState(Writer& out) const override { out.Strs(labels_); }

  std::vector<std::pair<std::string, std::string>> DescribeState() const override {
    return {{"num_labels", std::to_string(labels_.size())}, {"labels", Preview(labels_)}};
  }

 private:
  std::vector<std::string> labels_;
  TextIndex index_;
};

class StringIndexer final : public Estimator {
 public:
  explicit StringIndexer(Params p) : params_(std::move(p)) {
    RequiredColumn(params_, Spec(), "input_col", kName);
  }
  std::string kind() const override { return kName; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params_, Spec(), "input_col", kName);
    exec::Column scratch;
    const exec::Column& text = AsText(input.Scalar(in_name), &scratch);
    const size_t n = input.num_rows();
    // Per-chunk counts merged in chunk order; NULLs are not labels (Spark ignores them).
    std::vector<TermCounts> parts(NumChunks(n));
    ForRows(ctx, n, [&](size_t b, size_t e) {
      TermCounts& counts = parts[b / kChunkRows];
      for (size_t r = b; r < e; ++r) {
        if (text.IsNull(r)) continue;
        auto it = counts.find(std::string_view(text.strings[r]));
        if (it == counts.end()) it = counts.emplace(text.strings[r], TermCount{}).first;
        ++it->second.count;
      }
    });
    TermCounts counts;
    for (const auto& part : parts) MergeCounts(&counts, part);
    AllReduceCounts(ctx, &counts);
    if (counts.empty())
      ThrowInvalid("{}: column {} has no non-NULL values to index", kName, in_name);

    std::vector<std::pair<std::string, int64_t>> labels;
    labels.reserve(counts.size());
    for (auto& [label, c] : counts) labels.emplace_back(label, c.count);
    const std::string order = params_.String(Spec(), "string_order_type");
    // Frequency orders break ties alphabetically, like Spark 3.
    std::sort(labels.begin(), labels.end(), [&](const auto& a, const auto& b) {
      if (order == "frequencyDesc" && a.second != b.second) return a.second > b.second;
      if (order == "frequencyAsc" && a.second != b.second) return a.second < b.second;
      if (order == "alphabetDesc") return a.first > b.first;
      return a.first < b.first;
    });
    std::vector<std::string> names;
    names.reserve(labels.size());
    for (auto& l : labels) names.push_back(std::move(l.first));
    ctx.Step(1, 1);
    return std::make_unique<StringIndexerModel>(params_, std::move(names));
  }

 private:
  Params params_;
};

}  // namespace

void RegisterStringIndexer(Registry& r) {
  AddFeatureEstimator(r,
                      EstimatorInfo{
                          kName,
                          Task::kFeature,
                          "maps the values of a column to label indices (most frequent = 0)",
                          Spec(),
                          [](const Params& p) { return std::make_unique<StringIndexer>(p); },
                      },
                      [](Params p, Reader& in) {
                        return std::make_unique<StringIndexerModel>(std::move(p), in.Strs());
                      });
}

}  // namespace helenus::ml

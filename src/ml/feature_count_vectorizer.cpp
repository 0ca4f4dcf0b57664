// CountVectorizer: a vocabulary learned from token lists, then term counts
// over it (MLlib's CountVectorizer / CountVectorizerModel).

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "ml/feature_common.h"
#include "ml/text_lists.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "count_vectorizer";

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_col", "", "list<text> column of terms"),
      StringParam("output_col", "", "output vector column ('' = <input_col>_counts)"),
      IntParam("vocab_size", 1 << 18, "largest vocabulary (most frequent terms kept)", 1,
               2147483647.0),
      DoubleParam("min_df", 1.0,
                  "terms must occur in at least this many rows (a fraction of rows when < 1)", 0),
      DoubleParam("max_df", 9223372036854775807.0,
                  "terms may occur in at most this many rows (a fraction of rows when < 1)", 0),
      DoubleParam("min_tf", 1.0,
                  "per row, terms counted fewer times are dropped (a fraction of the row's "
                  "terms when < 1)",
                  0),
      BoolParam("binary", false, "1.0 for present terms instead of their counts"),
  };
  return spec;
}

class CountVectorizerModel final : public FeatureTransformer {
 public:
  CountVectorizerModel(Params p, std::vector<std::string> vocabulary)
      : FeatureTransformer(kName, Spec(), std::move(p)), vocabulary_(std::move(vocabulary)) {
    for (size_t i = 0; i < vocabulary_.size(); ++i) {
      index_.emplace(vocabulary_[i], static_cast<uint32_t>(i));
    }
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params(), spec(), "input_col", kName);
    const exec::Column& col = TextListColumn(input, in_name, kName);
    const double min_tf = Dbl("min_tf");
    const bool binary = Flag("binary");
    Vectors out =
        BuildSparse(ctx, vocabulary_.size(), col.size(),
                    [&](size_t r, std::vector<uint32_t>* idx, std::vector<double>* val) {
                      if (col.IsNull(r)) return false;
                      thread_local std::vector<std::string_view> terms;
                      thread_local std::vector<uint32_t> slots;
                      DecodeTextList(col.strings[r], &terms);
                      slots.clear();
                      for (std::string_view t : terms) {
                        auto it = index_.find(t);
                        if (it != index_.end()) slots.push_back(it->second);
                      }
                      // Spark: a fractional min_tf is relative to all the row's terms, in
                      // vocabulary or not.
                      const double threshold =
                          min_tf >= 1.0 ? min_tf : min_tf * static_cast<double>(terms.size());
                      std::sort(slots.begin(), slots.end());
                      for (size_t i = 0; i < slots.size();) {
                        size_t j = i;
                        while (j < slots.size() && slots[j] == slots[i]) ++j;
                        const auto count = static_cast<double>(j - i);
                        if (count >= threshold) {
                          idx->push_back(slots[i]);
                          val->push_back(binary ? 1.0 : count);
                        }
                        i = j;
                      }
                      return true;
                    });
    Attributes attrs;
    attrs.feature_names = vocabulary_;
    Frame result = input;
    result.Add(OutputColumn(params(), spec(), in_name, "_counts"), std::move(out),
               std::move(attrs));
    return result;
  }

  std::vector<std::string> Artifacts() const override { return {"vocabulary"}; }

  Frame Artifact(std::string_view name) const override {
    if (name != "vocabulary") return FeatureTransformer::Artifact(name);
    exec::Column index = exec::Column::Make(DataType::Of(TypeKind::kInt), vocabulary_.size());
    exec::Column term = exec::Column::Make(DataType::Of(TypeKind::kText), vocabulary_.size());
    for (size_t i = 0; i < vocabulary_.size(); ++i) {
      index.AppendInt(static_cast<int64_t>(i));
      term.AppendString(vocabulary_[i]);
    }
    Frame f;
    f.Add("index", std::move(index));
    f.Add("term", std::move(term));
    return f;
  }

 protected:
  void SaveState(Writer& out) const override { out.Strs(vocabulary_); }

  std::vector<std::pair<std::string, std::string>> DescribeState() const override {
    return {{"vocabulary_size", std::to_string(vocabulary_.size())},
            {"vocabulary", Preview(vocabulary_)}};
  }

 private:
  std::vector<std::string> vocabulary_;
  TextIndex index_;
};

class CountVectorizer final : public Estimator {
 public:
  explicit CountVectorizer(Params p) : params_(std::move(p)) {
    RequiredColumn(params_, Spec(), "input_col", kName);
  }
  std::string kind() const override { return kName; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params_, Spec(), "input_col", kName);
    const exec::Column& col = TextListColumn(input, in_name, kName);
    const size_t n = col.size();
    // Per-chunk counts (occurrences and rows), merged in chunk order.
    struct ChunkCount {
      int64_t count = 0;
      int64_t docs = 0;
      size_t last_row = SIZE_MAX;  // the row that last counted towards docs
    };
    using ChunkCounts = std::unordered_map<std::string, ChunkCount, TextHash, std::equal_to<>>;
    std::vector<ChunkCounts> parts(NumChunks(n));
    std::vector<int64_t> docs(NumChunks(n), 0);
    ForRows(ctx, n, [&](size_t b, size_t e) {
      ChunkCounts& counts = parts[b / kChunkRows];
      std::vector<std::string_view> terms;
      for (size_t r = b; r < e; ++r) {
        if (col.IsNull(r)) continue;
        ++docs[b / kChunkRows];
        DecodeTextList(col.strings[r], &terms);
        for (std::string_view t : terms) {
          auto it = counts.find(t);
          if (it == counts.end()) it = counts.emplace(std::string(t), ChunkCount{}).first;
          ChunkCount& c = it->second;
          ++c.count;
          if (c.last_row != r) {
            c.last_row = r;
            ++c.docs;
          }
        }
      }
    });
    TermCounts counts;
    for (const auto& part : parts) {
      for (const auto& [term, c] : part) {
        TermCount& total = counts[term];
        total.count += c.count;
        total.docs += c.docs;
      }
    }
    int64_t total_docs = 0;
    for (int64_t d : docs) total_docs += d;
    std::vector<int64_t> reduced = {total_docs};
    ctx.collective->AllReduceSum(reduced);
    AllReduceCounts(ctx, &counts);
    const double rows = static_cast<double>(reduced[0]);
    ctx.Step(1, 2);
    ctx.CheckCancelled();

    const double min_df_opt = params_.Double(Spec(), "min_df");
    const double max_df_opt = params_.Double(Spec(), "max_df");
    const double min_df = min_df_opt >= 1.0 ? min_df_opt : min_df_opt * rows;
    const double max_df = max_df_opt >= 1.0 ? max_df_opt : max_df_opt * rows;
    if (max_df < min_df) {
      ThrowInvalid("{}: max_df ({}) must be at least min_df ({})", kName, max_df, min_df);
    }
    std::vector<std::pair<std::string, int64_t>> terms;
    for (auto& [term, c] : counts) {
      const auto df = static_cast<double>(c.docs);
      if (df >= min_df && df <= max_df) terms.emplace_back(term, c.count);
    }
    // Most frequent first, ties by term (Spark leaves tie order unspecified).
    auto order = [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    };
    const auto vocab_size = static_cast<size_t>(params_.Int(Spec(), "vocab_size"));
    if (terms.size() > vocab_size) {
      std::partial_sort(terms.begin(), terms.begin() + static_cast<std::ptrdiff_t>(vocab_size),
                        terms.end(), order);
      terms.resize(vocab_size);
    } else {
      std::sort(terms.begin(), terms.end(), order);
    }
    if (terms.empty()) {
      ThrowInvalid(
          "{}: the vocabulary is empty (no term of column {} occurs in min_df rows; "
          "lower min_df)",
          kName, in_name);
    }
    std::vector<std::string> vocabulary;
    vocabulary.reserve(terms.size());
    for (auto& t : terms) vocabulary.push_back(std::move(t.first));
    ctx.Step(2, 2);
    return std::make_unique<CountVectorizerModel>(params_, std::move(vocabulary));
  }

 private:
  Params params_;
};

}  // namespace

void RegisterCountVectorizer(Registry& r) {
  AddFeatureEstimator(r,
                      EstimatorInfo{
                          kName,
                          Task::kFeature,
                          "learns a vocabulary from token lists and counts its terms per row",
                          Spec(),
                          [](const Params& p) { return std::make_unique<CountVectorizer>(p); },
                      },
                      [](Params p, Reader& in) {
                        return std::make_unique<CountVectorizerModel>(std::move(p), in.Strs());
                      });
}

}  // namespace helenus::ml

// VectorAssembler: numeric and vector columns concatenated into one feature vector.

#include <cmath>
#include <limits>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "ml/feature_common.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "vector_assembler";

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_cols", "", "comma-separated numeric or vector columns to assemble"),
      StringParam("output_col", "features", "output vector column"),
      StringParam("handle_invalid", "error",
                  "NULL/NaN inputs: error, skip (drop the row) or keep (NaN)",
                  {"error", "skip", "keep"}),
  };
  return spec;
}

// One input: a scalar column (one slot) or a vector column (dim slots).
struct Input {
  std::string name;
  const exec::Column* scalar = nullptr;
  const Vectors* vectors = nullptr;
  size_t slot = 0;  // first output slot
  size_t dim = 1;

  // The scalar at row r as a double (NULL -> NaN).
  double At(size_t r) const {
    if (scalar->IsNull(r)) return std::numeric_limits<double>::quiet_NaN();
    return scalar->physical() == exec::Physical::kInt64 ? static_cast<double>(scalar->ints[r])
                                                        : scalar->doubles[r];
  }
};

class VectorAssembler final : public FeatureTransformer {
 public:
  explicit VectorAssembler(Params p) : FeatureTransformer(kName, Spec(), std::move(p)) {
    if (SplitNames(Str("input_cols")).empty()) ThrowInvalid("{} needs option input_cols", kName);
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const HandleInvalid handle = ParseHandleInvalid(Str("handle_invalid"));
    std::vector<Input> inputs;
    Attributes attrs;
    size_t dim = 0;
    for (const auto& name : SplitNames(Str("input_cols"))) {
      const FrameColumn& c = input.column(input.Require(name));
      Input in;
      in.name = name;
      in.slot = dim;
      if (c.is_vector()) {
        in.vectors = &std::get<Vectors>(c.data);
        in.dim = in.vectors->dim;
        for (size_t j = 0; j < in.dim; ++j) {
          attrs.feature_names.push_back(c.attrs.feature_names.size() == in.dim
                                            ? c.attrs.feature_names[j]
                                            : name + "_" + std::to_string(j));
        }
      } else {
        in.scalar = &std::get<exec::Column>(c.data);
        if (!IsNumericType(in.scalar->type)) {
          ThrowInvalid(
              "{}: column {} of type {} is not supported (numeric and vector columns are; "
              "index text with string_indexer)",
              kName, name, in.scalar->type.ToCql());
        }
        attrs.feature_names.push_back(name);
      }
      dim += in.dim;
      inputs.push_back(in);
    }

    // Which rows are invalid is checked in row order, so the error names the first one.
    const size_t n = input.num_rows();
    std::vector<uint32_t> kept;
    bool skipping = false;
    for (size_t r = 0; r < n; ++r) {
      bool bad = false;
      for (const auto& in : inputs) {
        if (in.vectors != nullptr ? in.vectors->IsNull(r) : std::isnan(in.At(r))) {
          if (handle == HandleInvalid::kError) {
            ThrowInvalid(
                "{}: column {} is {} at row {}; set handle_invalid to 'skip' or 'keep', or "
                "impute it first",
                kName, in.name, in.vectors != nullptr || in.scalar->IsNull(r) ? "NULL" : "NaN", r);
          }
          bad = true;
          break;
        }
      }
      if (handle == HandleInvalid::kSkip) {
        if (bad && !skipping) {
          skipping = true;
          kept.reserve(n);
          for (size_t k = 0; k < r; ++k) kept.push_back(static_cast<uint32_t>(k));
        }
        if (!bad && skipping) kept.push_back(static_cast<uint32_t>(r));
      }
    }
    const size_t rows = skipping ? kept.size() : n;
    auto source = [&](size_t r) { return skipping ? kept[r] : r; };

    // Spark stores each row compressed (sparse when 1.5 * (nnz + 1) < dim);
    // here one form is chosen for the column, whichever is smaller overall.
    std::vector<double> nnz_part(NumChunks(rows), 0.0);
    ForRows(ctx, rows, [&](size_t b, size_t e) {
      double nnz = 0;
      for (size_t r = b; r < e; ++r) nnz += static_cast<double>(RowNonZeros(inputs, source(r)));
      nnz_part[b / kChunkRows] = nnz;
    });
    double nnz = 0;
    for (double v : nnz_part) nnz += v;
    const bool sparse = 1.5 * (nnz + static_cast<double>(rows)) <
                        static_cast<double>(rows) * static_cast<double>(dim);

    Vectors out;
    if (sparse) {
      out = BuildSparse(ctx, dim, rows,
                        [&](size_t r, std::vector<uint32_t>* idx, std::vector<double>* val) {
                          const size_t s = source(r);
                          for (const auto& in : inputs) {
                            if (in.scalar != nullptr) {
                              const double v = in.At(s);
                              if (v != 0) {
                                idx->push_back(static_cast<uint32_t>(in.slot));
                                val->push_back(v);
                              }
                            } else if (in.vectors->IsNull(s)) {
                              for (size_t j = 0; j < in.dim; ++j) {
                                idx->push_back(static_cast<uint32_t>(in.slot + j));
                                val->push_back(std::numeric_limits<double>::quiet_NaN());
                              }
                            } else {
                              in.vectors->ForEach(s, [&](uint32_t j, double v) {
                                if (v != 0) {
                                  idx->push_back(static_cast<uint32_t>(in.slot + j));
                                  val->push_back(v);
                                }
                              });
                            }
                          }
                          return true;
                        });
    } else {
      out = Vectors::Dense(rows, dim);
      ForRows(ctx, rows, [&](size_t b, size_t e) {
        for (size_t r = b; r < e; ++r) {
          const size_t s = source(r);
          double* row = out.MutableRow(r);
          for (const auto& in : inputs) {
            if (in.scalar != nullptr) {
              row[in.slot] = in.At(s);
            } else if (in.vectors->IsNull(s)) {
              std::fill_n(row + in.slot, in.dim, std::numeric_limits<double>::quiet_NaN());
            } else {
              in.vectors->Densify(s, row + in.slot);
            }
          }
        }
      });
    }
    Frame result = skipping ? input.Take(kept) : input;
    result.Add(Str("output_col"), std::move(out), std::move(attrs));
    return result;
  }

 private:
  // Non-zero slots row r will have (NULL and NaN count as non-zero).
  static size_t RowNonZeros(const std::vector<Input>& inputs, size_t r) {
    size_t nnz = 0;
    for (const auto& in : inputs) {
      if (in.scalar != nullptr) {
        nnz += in.At(r) != 0 ? 1 : 0;
      } else if (in.vectors->IsNull(r)) {
        nnz += in.dim;
      } else {
        in.vectors->ForEach(r, [&](uint32_t, double v) { nnz += v != 0 ? 1 : 0; });
      }
    }
    return nnz;
  }
};

}  // namespace

void RegisterVectorAssembler(Registry& r) {
  AddParamTransformer(r, TransformerInfo{
                             kName,
                             "concatenates numeric and vector columns into one feature vector",
                             Spec(),
                             [](const Params& p) { return std::make_unique<VectorAssembler>(p); },
                         });
}

}  // namespace helenus::ml

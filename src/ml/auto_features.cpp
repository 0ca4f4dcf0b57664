#include "helenus/ml/auto_features.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "helenus/common/error.h"
#include "helenus/exec/operators.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/registry.h"

namespace helenus::ml {

namespace {

// Beyond this many slots the output is sparse: one-hot columns are mostly zeros.
constexpr size_t kDenseLimit = 256;

bool IsTextType(const DataType& t) {
  return t.kind == TypeKind::kText || t.kind == TypeKind::kAscii;
}

// Date and time types count as numbers (days, milliseconds, nanoseconds).
bool IsTemporalType(const DataType& t) {
  return t.kind == TypeKind::kTimestamp || t.kind == TypeKind::kDate || t.kind == TypeKind::kTime;
}

double NumberAt(const exec::Column& c, size_t r) {
  if (c.IsNull(r)) return std::nan("");
  return c.physical() == exec::Physical::kInt64 ? static_cast<double>(c.ints[r]) : c.doubles[r];
}

}  // namespace

std::unique_ptr<AutoFeatures> AutoFeatures::Fit(const Frame& f,
                                                const std::vector<std::string>& columns,
                                                std::string output_col) {
  if (columns.empty()) ThrowInvalid("No feature columns: select at least one besides the label");
  auto out = std::make_unique<AutoFeatures>();
  out->output_col_ = std::move(output_col);
  for (const auto& name : columns) {
    const FrameColumn& col = f.column(f.Require(name));
    Input in;
    in.column = name;
    if (col.is_vector()) {
      in.encoding = Encoding::kVector;
      in.width = std::get<Vectors>(col.data).dim;
      out->inputs_.push_back(std::move(in));
      continue;
    }
    const exec::Column& c = std::get<exec::Column>(col.data);
    if (IsNumericType(c.type) || IsTemporalType(c.type)) {
      // A NULL takes the training mean, so one missing value does not drop a row.
      double sum = 0;
      size_t n = 0;
      for (size_t r = 0; r < c.size(); ++r) {
        const double v = NumberAt(c, r);
        if (std::isfinite(v)) {
          sum += v;
          ++n;
        }
      }
      in.fill = n ? sum / static_cast<double>(n) : 0.0;
    } else if (IsTextType(c.type)) {
      in.encoding = Encoding::kOneHot;
      std::unordered_map<std::string, size_t> counts;
      for (size_t r = 0; r < c.size(); ++r) {
        if (!c.IsNull(r)) ++counts[c.strings[r]];
      }
      std::vector<std::pair<std::string, size_t>> sorted(counts.begin(), counts.end());
      std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
      for (auto& [value, _] : sorted) in.vocabulary.push_back(std::move(value));
      in.width = in.vocabulary.size();
    } else {
      ThrowInvalid(
          "Column {} of type {} cannot be a feature (use numeric, boolean, date/time or text "
          "columns)",
          name, c.type.ToCql());
    }
    out->inputs_.push_back(std::move(in));
  }
  out->Finish();
  return out;
}

void AutoFeatures::Finish() {
  dim_ = 0;
  names_.clear();
  for (const auto& in : inputs_) {
    dim_ += in.width;
    switch (in.encoding) {
      case Encoding::kNumber:
        names_.push_back(in.column);
        break;
      case Encoding::kOneHot:
        for (const auto& v : in.vocabulary) names_.push_back(in.column + "_" + v);
        break;
      case Encoding::kVector:
        for (size_t i = 0; i < in.width; ++i) names_.push_back(fmt::format("{}_{}", in.column, i));
        break;
    }
  }
}

Frame AutoFeatures::Transform(const Frame& input, const Context& ctx) const {
  const size_t n = input.num_rows();
  // Resolve every input once: its column and, for one-hot, a value -> slot map.
  struct Bound {
    const Input* in = nullptr;
    const exec::Column* scalar = nullptr;
    const Vectors* vectors = nullptr;
    std::unordered_map<std::string_view, uint32_t> slots;
    size_t offset = 0;
  };
  std::vector<Bound> bound;
  size_t offset = 0;
  for (const auto& in : inputs_) {
    Bound b;
    b.in = &in;
    b.offset = offset;
    offset += in.width;
    const FrameColumn& col = input.column(input.Require(in.column));
    if (in.encoding == Encoding::kVector) {
      b.vectors = &input.VectorsOf(in.column);
      if (b.vectors->dim != in.width) {
        ThrowInvalid("Column {} has {} values per vector, the model was trained on {}", in.column,
                     b.vectors->dim, in.width);
      }
    } else {
      if (col.is_vector()) ThrowInvalid("Column {} must be a scalar column", in.column);
      b.scalar = &std::get<exec::Column>(col.data);
      const bool text = IsTextType(b.scalar->type);
      if ((in.encoding == Encoding::kOneHot) != text ||
          (!text && !IsNumericType(b.scalar->type) && !IsTemporalType(b.scalar->type))) {
        ThrowInvalid("Column {} has type {}, which does not match the model's training data",
                     in.column, b.scalar->type.ToCql());
      }
      for (size_t i = 0; i < in.vocabulary.size(); ++i) {
        b.slots.emplace(in.vocabulary[i], static_cast<uint32_t>(i));
      }
    }
    bound.push_back(std::move(b));
  }
  Attributes attrs;
  attrs.feature_names = names_;
  if (dim_ <= kDenseLimit) {
    Vectors out = Vectors::Dense(n, dim_);
    ForRows(ctx, n, [&](size_t begin, size_t end) {
      for (size_t r = begin; r < end; ++r) {
        double* row = out.MutableRow(r);
        for (const auto& b : bound) {
          switch (b.in->encoding) {
            case Encoding::kNumber: {
              const double v = NumberAt(*b.scalar, r);
              row[b.offset] = std::isnan(v) ? b.in->fill : v;
              break;
            }
            case Encoding::kOneHot:
              if (!b.scalar->IsNull(r)) {
                auto it = b.slots.find(b.scalar->strings[r]);
                if (it != b.slots.end()) row[b.offset + it->second] = 1.0;
              }
              break;
            case Encoding::kVector:
              if (!b.vectors->IsNull(r)) b.vectors->Densify(r, row + b.offset);
              break;
          }
        }
      }
    });
    Frame f = input;
    f.Add(output_col_, std::move(out), std::move(attrs));
    return f;
  }
  Vectors out = Vectors::Sparse(dim_);
  std::vector<uint32_t> idx;
  std::vector<double> val;
  for (size_t r = 0; r < n; ++r) {
    idx.clear();
    val.clear();
    for (const auto& b : bound) {
      switch (b.in->encoding) {
        case Encoding::kNumber: {
          const double v = NumberAt(*b.scalar, r);
          const double x = std::isnan(v) ? b.in->fill : v;
          if (x != 0) {
            idx.push_back(static_cast<uint32_t>(b.offset));
            val.push_back(x);
          }
          break;
        }
        case Encoding::kOneHot:
          if (!b.scalar->IsNull(r)) {
            auto it = b.slots.find(b.scalar->strings[r]);
            if (it != b.slots.end()) {
              idx.push_back(static_cast<uint32_t>(b.offset + it->second));
              val.push_back(1.0);
            }
          }
          break;
        case Encoding::kVector:
          if (!b.vectors->IsNull(r)) {
            b.vectors->ForEach(r, [&](uint32_t j, double v) {
              if (v != 0) {
                idx.push_back(static_cast<uint32_t>(b.offset + j));
                val.push_back(v);
              }
            });
          }
          break;
      }
    }
    out.AppendSparse(idx, val);
  }
  Frame f = input;
  f.Add(output_col_, std::move(out), std::move(attrs));
  return f;
}

void AutoFeatures::Save(Writer& out) const {
  out.Str(output_col_);
  out.U64(inputs_.size());
  for (const auto& in : inputs_) {
    out.Str(in.column);
    out.U8(static_cast<uint8_t>(in.encoding));
    out.F64(in.fill);
    out.Strs(in.vocabulary);
    out.U64(in.width);
  }
}

std::unique_ptr<Model> AutoFeatures::Load(Reader& in) {
  auto m = std::make_unique<AutoFeatures>();
  m->output_col_ = in.Str();
  const size_t n = in.Count(8);
  for (size_t i = 0; i < n; ++i) {
    Input x;
    x.column = in.Str();
    const uint8_t e = in.U8();
    if (e > static_cast<uint8_t>(Encoding::kVector)) ThrowInvalid("Corrupt model: encoding {}", e);
    x.encoding = static_cast<Encoding>(e);
    x.fill = in.F64();
    x.vocabulary = in.Strs();
    x.width = in.U64();
    if (x.encoding == Encoding::kOneHot && x.width != x.vocabulary.size()) {
      ThrowInvalid("Corrupt model: one-hot width {} for {} values", x.width, x.vocabulary.size());
    }
    m->inputs_.push_back(std::move(x));
  }
  m->Finish();
  return m;
}

std::vector<std::pair<std::string, std::string>> AutoFeatures::Describe() const {
  std::vector<std::pair<std::string, std::string>> d;
  for (const auto& in : inputs_) {
    switch (in.encoding) {
      case Encoding::kNumber:
        d.push_back({"feature " + in.column, fmt::format("number (NULL -> {})", in.fill)});
        break;
      case Encoding::kOneHot:
        d.push_back(
            {"feature " + in.column, fmt::format("one-hot over {} values", in.vocabulary.size())});
        break;
      case Encoding::kVector:
        d.push_back({"feature " + in.column, fmt::format("vector of {}", in.width)});
        break;
    }
  }
  return d;
}

void RegisterAutoFeatures(Registry& r) {
  r.AddLoader("auto_features", &AutoFeatures::Load);
}

LabelEncoder LabelEncoder::Fit(const Frame& f, const std::string& label) {
  const exec::Column& c = f.Scalar(label);
  LabelEncoder e;
  e.column_ = label;
  e.type_ = c.type;
  // One representative row per distinct value, then sorted by value.
  std::unordered_map<std::string, uint32_t> first;
  for (size_t r = 0; r < c.size(); ++r) {
    if (c.IsNull(r)) ThrowInvalid("Label column {} has NULL at row {}", label, r);
    if (c.physical() == exec::Physical::kDouble && std::isnan(c.doubles[r])) {
      ThrowInvalid("Label column {} has NaN at row {}", label, r);
    }
    first.emplace(*exec::CqlValueAt(c, r), static_cast<uint32_t>(r));
  }
  std::vector<uint32_t> rows;
  for (const auto& [_, r] : first) rows.push_back(r);
  std::sort(rows.begin(), rows.end(),
            [&](uint32_t a, uint32_t b) { return exec::CompareValues(c, a, c, b) < 0; });
  for (uint32_t r : rows) {
    e.values_.push_back(*exec::CqlValueAt(c, r));
    e.text_.push_back(exec::TextAt(c, r));
  }
  return e;
}

std::vector<double> LabelEncoder::Encode(const Frame& f) const {
  const exec::Column& c = f.Scalar(column_);
  if (!(c.type == type_)) {
    ThrowInvalid("Label column {} has type {}, the model was trained on {}", column_,
                 c.type.ToCql(), type_.ToCql());
  }
  std::unordered_map<std::string_view, double> index;
  for (size_t i = 0; i < values_.size(); ++i) index.emplace(values_[i], static_cast<double>(i));
  std::vector<double> out(c.size(), -1.0);
  for (size_t r = 0; r < c.size(); ++r) {
    if (c.IsNull(r)) continue;
    auto it = index.find(*exec::CqlValueAt(c, r));
    if (it != index.end()) out[r] = it->second;
  }
  return out;
}

exec::Column LabelEncoder::Decode(const std::vector<double>& index) const {
  exec::Column out = exec::Column::Make(type_, index.size());
  for (double i : index) {
    if (std::isnan(i) || i < 0 || i >= static_cast<double>(values_.size())) {
      out.AppendNull();
    } else {
      exec::AppendCqlValue(&out, values_[static_cast<size_t>(i)]);
    }
  }
  return out;
}

void LabelEncoder::Save(Writer& out) const {
  out.Str(column_);
  out.Str(type_.ToCql());
  out.Strs(values_);
  out.Strs(text_);
}

LabelEncoder LabelEncoder::Load(Reader& in) {
  LabelEncoder e;
  e.column_ = in.Str();
  auto type = ParseDataType(in.Str());
  if (!type) ThrowInvalid("Corrupt model: bad label type");
  e.type_ = *type;
  e.values_ = in.Strs();
  e.text_ = in.Strs();
  if (e.values_.size() != e.text_.size()) ThrowInvalid("Corrupt model: label table sizes differ");
  return e;
}

}  // namespace helenus::ml

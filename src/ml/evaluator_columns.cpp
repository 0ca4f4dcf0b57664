#include "ml/evaluator_columns.h"

#include <cmath>
#include <limits>

#include "helenus/common/error.h"

namespace helenus::ml::evaluation {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

std::vector<double> NumbersOf(const Frame& f, std::string_view col) {
  return f.Numeric(col);
}

std::vector<double> WeightsOf(const Frame& f, std::string_view col) {
  if (col.empty()) return {};
  std::vector<double> w = f.Numeric(col);
  for (double v : w) {
    if (v < 0 || std::isinf(v)) {
      ThrowInvalid("Weight column {} must hold finite non-negative numbers", col);
    }
  }
  return w;
}

std::vector<double> BinaryScoresOf(const Frame& f, std::string_view col) {
  const FrameColumn& c = f.column(f.Require(col));
  if (!c.is_vector()) return f.Numeric(col);
  const Vectors& v = std::get<Vectors>(c.data);
  if (v.dim != 2) {
    ThrowInvalid("Binary evaluation needs two classes; column {} has {} values per row", col,
                 v.dim);
  }
  std::vector<double> out(v.rows, kNaN);
  double row[2];
  for (size_t r = 0; r < v.rows; ++r) {
    if (v.IsNull(r)) continue;
    v.Densify(r, row);
    out[r] = row[1];
  }
  return out;
}

std::vector<double> DenseRowsOf(const Frame& f, std::string_view col, size_t* dim) {
  const Vectors& v = f.VectorsOf(col);
  *dim = v.dim;
  std::vector<double> out(v.rows * v.dim, kNaN);
  for (size_t r = 0; r < v.rows; ++r) {
    if (!v.IsNull(r)) v.Densify(r, out.data() + r * v.dim);
  }
  return out;
}

std::vector<uint32_t> CompleteRows(size_t n, std::initializer_list<Present> arrays) {
  std::vector<uint32_t> rows;
  rows.reserve(n);
  for (size_t r = 0; r < n; ++r) {
    bool ok = true;
    for (const Present& a : arrays) {
      if (a.values->empty()) continue;
      const double* p = a.values->data() + r * a.width;
      for (size_t j = 0; j < a.width && ok; ++j) ok = !std::isnan(p[j]);
      if (!ok) break;
    }
    if (ok) rows.push_back(static_cast<uint32_t>(r));
  }
  return rows;
}

void KeepRows(std::vector<double>* v, const std::vector<uint32_t>& rows, size_t n, size_t width) {
  if (v->empty() || rows.size() == n) return;
  std::vector<double> kept;
  kept.reserve(rows.size() * width);
  for (uint32_t r : rows) {
    kept.insert(kept.end(), v->begin() + r * width, v->begin() + (r + 1) * width);
  }
  *v = std::move(kept);
}

void RequireRows(const std::vector<uint32_t>& rows, std::string_view what) {
  if (rows.empty()) ThrowInvalid("Nothing to evaluate: no row has {}", what);
}

exec::Column DoubleColumn(const std::vector<double>& v) {
  exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kDouble), v.size());
  for (double d : v) c.AppendDouble(d);
  return c;
}

exec::Column BigintColumn(const std::vector<int64_t>& v) {
  exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kBigint), v.size());
  for (int64_t i : v) c.AppendInt(i);
  return c;
}

exec::Column TextColumn(const std::vector<std::string>& v) {
  exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kText), v.size());
  for (const auto& s : v) c.AppendString(s);
  return c;
}

}  // namespace helenus::ml::evaluation

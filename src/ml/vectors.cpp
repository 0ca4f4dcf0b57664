#include "helenus/ml/vectors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace helenus::ml {

Vectors Vectors::Dense(size_t rows, size_t dim) {
  Vectors v;
  v.dim = dim;
  v.rows = rows;
  v.values.assign(rows * dim, 0.0);
  return v;
}

Vectors Vectors::Sparse(size_t dim) {
  Vectors v;
  v.dim = dim;
  v.sparse = true;
  v.offsets.push_back(0);
  return v;
}

void Vectors::AppendSparse(std::span<const uint32_t> idx, std::span<const double> vals) {
  indices.insert(indices.end(), idx.begin(), idx.end());
  values.insert(values.end(), vals.begin(), vals.end());
  offsets.push_back(values.size());
  if (!valid.empty()) valid.push_back(1);
  ++rows;
}

void Vectors::AppendDense(std::span<const double> row) {
  values.insert(values.end(), row.begin(), row.end());
  if (!valid.empty()) valid.push_back(1);
  ++rows;
}

void Vectors::AppendNull() {
  if (valid.empty()) valid.assign(rows, 1);
  if (sparse) {
    offsets.push_back(values.size());
  } else {
    values.insert(values.end(), dim, 0.0);
  }
  valid.push_back(0);
  ++rows;
}

double Vectors::Dot(size_t r, const double* w) const {
  double s = 0;
  if (sparse) {
    for (uint64_t k = offsets[r]; k < offsets[r + 1]; ++k) s += values[k] * w[indices[k]];
  } else {
    const double* row = Row(r);
    for (size_t j = 0; j < dim; ++j) s += row[j] * w[j];
  }
  return s;
}

void Vectors::Densify(size_t r, double* out) const {
  if (!sparse) {
    std::copy_n(Row(r), dim, out);
    return;
  }
  std::fill_n(out, dim, 0.0);
  for (uint64_t k = offsets[r]; k < offsets[r + 1]; ++k) out[indices[k]] = values[k];
}

Vectors Vectors::ToDense() const {
  if (!sparse) return *this;
  Vectors d = Dense(rows, dim);
  for (size_t r = 0; r < rows; ++r) Densify(r, d.MutableRow(r));
  d.valid = valid;
  return d;
}

Vectors Vectors::Take(const std::vector<uint32_t>& take) const {
  Vectors out;
  out.dim = dim;
  out.sparse = sparse;
  if (sparse) out.offsets.push_back(0);
  if (!valid.empty()) out.valid.reserve(take.size());
  for (uint32_t r : take) {
    if (sparse) {
      out.indices.insert(out.indices.end(), indices.begin() + offsets[r],
                         indices.begin() + offsets[r + 1]);
      out.values.insert(out.values.end(), values.begin() + offsets[r],
                        values.begin() + offsets[r + 1]);
      out.offsets.push_back(out.values.size());
    } else {
      out.values.insert(out.values.end(), Row(r), Row(r) + dim);
    }
    if (!valid.empty()) out.valid.push_back(valid[r]);
    ++out.rows;
  }
  return out;
}

namespace {

// Spark prints vector entries as Java doubles: 1.0, 0.5, 1.0E-5.
std::string Num(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (std::abs(v) < 1e7 && v == std::trunc(v)) {
    return fmt::format("{:.1f}", v);
  }
  return fmt::format("{}", v);
}

}  // namespace

std::string Vectors::TextAt(size_t r) const {
  if (IsNull(r)) return "null";
  std::string s;
  if (sparse) {
    s = fmt::format("({},[", dim);
    for (uint64_t k = offsets[r]; k < offsets[r + 1]; ++k) {
      if (k != offsets[r]) s += ',';
      s += std::to_string(indices[k]);
    }
    s += "],[";
    for (uint64_t k = offsets[r]; k < offsets[r + 1]; ++k) {
      if (k != offsets[r]) s += ',';
      s += Num(values[k]);
    }
    return s + "])";
  }
  s = "[";
  for (size_t j = 0; j < dim; ++j) {
    if (j) s += ',';
    s += Num(Row(r)[j]);
  }
  return s + "]";
}

}  // namespace helenus::ml

#pragma once

// Feature vectors: one column of them, dense (row-major) or sparse (CSR).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace helenus::ml {

// A column of feature vectors of one dimension, dense or sparse.
struct Vectors {
  size_t dim = 0;
  size_t rows = 0;
  bool sparse = false;
  std::vector<double> values;     // dense: rows * dim, row-major; sparse: the non-zeros
  std::vector<uint32_t> indices;  // sparse: slot of each value, ascending within a row
  std::vector<uint64_t> offsets;  // sparse: rows + 1 offsets into values/indices
  std::vector<uint8_t> valid;     // 1 = present, 0 = NULL vector; empty = all present

  // A dense column of `rows` zero vectors of dimension dim.
  static Vectors Dense(size_t rows, size_t dim);
  // An empty sparse column of dimension dim (fill with AppendSparse).
  static Vectors Sparse(size_t dim);

  // Row r of a dense column (dim values).
  const double* Row(size_t r) const { return values.data() + r * dim; }
  double* MutableRow(size_t r) { return values.data() + r * dim; }
  // True when row r is a NULL vector.
  bool IsNull(size_t r) const { return !valid.empty() && valid[r] == 0; }
  // Appends a sparse row (indices ascending, below dim).
  void AppendSparse(std::span<const uint32_t> idx, std::span<const double> vals);
  // Appends a dense row (dim values) to a dense column.
  void AppendDense(std::span<const double> row);
  // Appends a NULL vector.
  void AppendNull();

  // Calls fn(slot, value) for every stored value of row r (all dim slots when dense).
  template <typename Fn>
  void ForEach(size_t r, Fn&& fn) const {
    if (sparse) {
      for (uint64_t k = offsets[r]; k < offsets[r + 1]; ++k) fn(indices[k], values[k]);
    } else {
      const double* row = Row(r);
      for (size_t j = 0; j < dim; ++j) fn(static_cast<uint32_t>(j), row[j]);
    }
  }
  // Dot product of row r with w (dim values).
  double Dot(size_t r, const double* w) const;
  // Row r written into out (dim values, zero-filled first).
  void Densify(size_t r, double* out) const;
  // The same vectors, dense.
  Vectors ToDense() const;
  // The rows at `rows`, in that order.
  Vectors Take(const std::vector<uint32_t>& rows) const;
  // Row r as Spark prints it: "[1.0,2.0]" dense, "(dim,[i,...],[v,...])" sparse.
  std::string TextAt(size_t r) const;
};

}  // namespace helenus::ml

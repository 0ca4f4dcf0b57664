#pragma once

// What the evaluator files share: reading the columns they score, dropping
// incomplete rows, and building result columns.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/exec/column.h"
#include "helenus/ml/frame.h"

namespace helenus::ml::evaluation {

// The numeric column col as doubles, NULL as NaN.
std::vector<double> NumbersOf(const Frame& f, std::string_view col);
// The weight column col (NULL as NaN); empty when col is "" (every row weighs 1).
std::vector<double> WeightsOf(const Frame& f, std::string_view col);
// A binary classifier's score per row: a number column as is, or slot 1 of a
// vector column of two values (raw_prediction, probability); NULL as NaN.
std::vector<double> BinaryScoresOf(const Frame& f, std::string_view col);
// The vector column col as dense rows of its dim values; NULL vectors as NaN rows.
std::vector<double> DenseRowsOf(const Frame& f, std::string_view col, size_t* dim);

// An array to check for missing values: `width` values per row (1 for plain
// columns); an empty array stands for a column that is not used.
struct Present {
  const std::vector<double>* values;
  size_t width = 1;
};
// The rows (of n) where every array holds a number (not NaN) in each slot.
std::vector<uint32_t> CompleteRows(size_t n, std::initializer_list<Present> arrays);
// Keeps only `rows` of v (width values per row); no-op when rows is every row.
void KeepRows(std::vector<double>* v, const std::vector<uint32_t>& rows, size_t n,
              size_t width = 1);
// Throws Invalid when no row is left to evaluate.
void RequireRows(const std::vector<uint32_t>& rows, std::string_view what);

// Result columns.
exec::Column DoubleColumn(const std::vector<double>& v);
exec::Column BigintColumn(const std::vector<int64_t>& v);
exec::Column TextColumn(const std::vector<std::string>& v);

}  // namespace helenus::ml::evaluation

#pragma once

// The table the ML layer works on: a DataFrame's rows materialized once
// (every estimator makes several passes; Spark users call cache() for the
// same reason), plus feature-vector columns that transformers add.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "helenus/exec/column.h"
#include "helenus/exec/dataframe.h"
#include "helenus/ml/vectors.h"

namespace helenus::ml {

// MLlib's column attributes: what the values of a column stand for.
struct Attributes {
  std::vector<std::string> labels;         // nominal column: the label of index i (StringIndexer)
  std::vector<std::string> feature_names;  // vector column: the name of slot i
};

// One named column: scalar values (an exec::Column) or feature vectors.
struct FrameColumn {
  std::string name;
  std::variant<exec::Column, Vectors> data;
  Attributes attrs;

  bool is_vector() const { return std::holds_alternative<Vectors>(data); }
};

// An in-memory table of scalar and vector columns, all with num_rows() rows.
class Frame {
 public:
  Frame() = default;
  // Runs df and keeps its rows.
  static Frame FromDataFrame(const exec::DataFrame& df);
  // The rows of an action's result.
  static Frame FromRows(const exec::Rows& rows);
  // A DataFrame over these rows; vector columns become list<double> (dense).
  exec::DataFrame ToDataFrame(const exec::Engine* engine) const;
  // The scalar columns (and vectors as list<double>) as exec rows.
  exec::Rows ToRows() const;

  size_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  const FrameColumn& column(size_t i) const { return columns_[i]; }
  FrameColumn& column(size_t i) { return columns_[i]; }
  const std::vector<FrameColumn>& columns() const { return columns_; }

  // Index of the column called name; -1 when absent.
  int Find(std::string_view name) const;
  // Like Find; throws Invalid ("Undefined column name x") when absent.
  size_t Require(std::string_view name) const;
  // The scalar column called name; Invalid when absent or a vector column.
  const exec::Column& Scalar(std::string_view name) const;
  // The vector column called name; Invalid when absent or scalar.
  const Vectors& VectorsOf(std::string_view name) const;
  // Attributes of the column called name (Invalid when absent).
  const Attributes& AttrsOf(std::string_view name) const;
  // The numeric column name as doubles (NULL -> NaN); Invalid when absent or not numeric.
  std::vector<double> Numeric(std::string_view name) const;

  // Adds a column, or replaces the one of the same name (size must be num_rows(),
  // or anything when the frame has no column yet).
  void Add(std::string name, exec::Column column, Attributes attrs = {});
  void Add(std::string name, Vectors vectors, Attributes attrs = {});
  // Removes the column called name, if present.
  void Drop(std::string_view name);
  // The rows at `rows`, in that order.
  Frame Take(const std::vector<uint32_t>& rows) const;
  // Only the named columns, in that order.
  Frame Select(const std::vector<std::string>& names) const;

 private:
  void AddColumn(FrameColumn column, size_t rows);
  size_t num_rows_ = 0;
  std::vector<FrameColumn> columns_;
};

// True for CQL types whose values are numbers (ints, floats, boolean, counter).
bool IsNumericType(const DataType& type);

}  // namespace helenus::ml

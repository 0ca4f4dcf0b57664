#pragma once

// Columnar data: typed column vectors with validity, schemas and batches.
//
// A Column keeps its CQL DataType (so results go back to drivers and tables
// with their exact types) and holds values in one of three physical forms:
//   kInt64  boolean (0/1), tinyint, smallint, int, bigint, counter,
//           timestamp (ms since epoch), date (days since epoch, signed),
//           time (ns since midnight)
//   kDouble float, double
//   kString text/ascii/varchar as UTF-8; every other type (blob, uuid,
//           timeuuid, inet, varint, decimal, duration, collections, tuples)
//           as its CQL-serialized bytes
// Only the vector matching physical() is used.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/common/data_type.h"
#include "helenus/common/value.h"

namespace helenus::exec {

// Rows per batch that sources and operators aim for.
inline constexpr size_t kBatchRows = 4096;

// How a column's values are held in memory.
enum class Physical { kInt64, kDouble, kString };

// The physical form values of this type take.
Physical PhysicalOf(const DataType& type);

// One typed column of values, with a validity mask.
struct Column {
  DataType type;
  std::vector<int64_t> ints;         // physical kInt64
  std::vector<double> doubles;       // physical kDouble
  std::vector<std::string> strings;  // physical kString
  std::vector<uint8_t> valid;        // 1 = present, 0 = NULL; empty = no NULLs at all

  // An empty column of type with room for reserve rows.
  static Column Make(const DataType& type, size_t reserve = 0);

  // The physical form of this column.
  Physical physical() const { return PhysicalOf(type); }
  // Number of rows.
  size_t size() const;
  // True when row i is NULL.
  bool IsNull(size_t i) const { return !valid.empty() && valid[i] == 0; }
  // True when some row is NULL.
  bool HasNulls() const;

  // Appends a NULL.
  void AppendNull();
  // Appends a present value (the call must match physical()).
  void AppendInt(int64_t v);
  void AppendDouble(double v);
  void AppendString(std::string_view v);
  // Appends row `row` of `from` (same physical form).
  void AppendFrom(const Column& from, size_t row);
  // Appends rows [begin, end) of `from` (same physical form).
  void AppendRange(const Column& from, size_t begin, size_t end);
  // The rows at `rows` of this column, in that order.
  Column Take(const std::vector<uint32_t>& rows) const;
  // Reserves room for n more rows.
  void Reserve(size_t n);
};

// Converts between the CQL wire form (as stored and as sent to drivers) and columns.
// Appends the CQL-serialized value v (nullopt = NULL) of column->type.
void AppendCqlValue(Column* column, const Value& v);
// The CQL-serialized value at row (nullopt for NULL).
Value CqlValueAt(const Column& column, size_t row);
// A human-readable rendering of row (NULL as "null"), for show() and errors.
std::string TextAt(const Column& column, size_t row);

// One named, typed column of a schema.
struct Field {
  std::string name;
  DataType type;
  std::string qualifier;  // table name or alias it came from ("" when computed)
};

// The columns of a batch stream, in order.
struct Schema {
  std::vector<Field> fields;

  // Index of the column called name (optionally qualified "t.name" or given
  // qualifier); -1 when absent; throws Invalid when ambiguous.
  int Find(std::string_view name, std::string_view qualifier = {}) const;
  // Like Find, but throws Invalid ("Undefined column name x") when absent.
  size_t Require(std::string_view name, std::string_view qualifier = {}) const;
  size_t size() const { return fields.size(); }
};

// A chunk of rows, column by column (every column has num_rows values).
struct Batch {
  std::vector<Column> columns;
  size_t num_rows = 0;

  // An empty batch with one empty column per field of schema.
  static Batch Empty(const Schema& schema, size_t reserve = 0);
  // The rows at `rows`, in that order.
  Batch Take(const std::vector<uint32_t>& rows) const;
  // Rows [begin, end).
  Batch Slice(size_t begin, size_t end) const;
  // Appends all rows of other (same schema).
  void Append(const Batch& other);
};

}  // namespace helenus::exec

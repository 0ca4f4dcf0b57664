#include "helenus/exec/column.h"

#include <fmt/format.h>

#include "expr_internal.h"
#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::exec {
namespace {

// CQL dates are unsigned days with the epoch at 2^31; columns keep signed days.
constexpr int64_t kDateEpoch = int64_t{1} << 31;

}  // namespace

Physical PhysicalOf(const DataType& type) {
  switch (type.kind) {
    case TypeKind::kBoolean:
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kDate:
    case TypeKind::kTime:
      return Physical::kInt64;
    case TypeKind::kFloat:
    case TypeKind::kDouble:
      return Physical::kDouble;
    default:
      return Physical::kString;
  }
}

Column Column::Make(const DataType& type, size_t reserve) {
  Column c;
  c.type = type;
  c.Reserve(reserve);
  return c;
}

size_t Column::size() const {
  switch (physical()) {
    case Physical::kInt64:
      return ints.size();
    case Physical::kDouble:
      return doubles.size();
    case Physical::kString:
      return strings.size();
  }
  return 0;
}

bool Column::HasNulls() const {
  for (uint8_t v : valid) {
    if (v == 0) return true;
  }
  return false;
}

void Column::Reserve(size_t n) {
  switch (physical()) {
    case Physical::kInt64:
      ints.reserve(ints.size() + n);
      break;
    case Physical::kDouble:
      doubles.reserve(doubles.size() + n);
      break;
    case Physical::kString:
      strings.reserve(strings.size() + n);
      break;
  }
}

void Column::AppendNull() {
  // The mask is materialized lazily: columns without NULLs never carry one.
  if (valid.empty()) valid.assign(size(), 1);
  switch (physical()) {
    case Physical::kInt64:
      ints.push_back(0);
      break;
    case Physical::kDouble:
      doubles.push_back(0);
      break;
    case Physical::kString:
      strings.emplace_back();
      break;
  }
  valid.push_back(0);
}

void Column::AppendInt(int64_t v) {
  ints.push_back(v);
  if (!valid.empty()) valid.push_back(1);
}

void Column::AppendDouble(double v) {
  doubles.push_back(v);
  if (!valid.empty()) valid.push_back(1);
}

void Column::AppendString(std::string_view v) {
  strings.emplace_back(v);
  if (!valid.empty()) valid.push_back(1);
}

void Column::AppendFrom(const Column& from, size_t row) {
  if (from.IsNull(row)) {
    AppendNull();
    return;
  }
  switch (physical()) {
    case Physical::kInt64:
      AppendInt(from.ints[row]);
      break;
    case Physical::kDouble:
      AppendDouble(from.doubles[row]);
      break;
    case Physical::kString:
      AppendString(from.strings[row]);
      break;
  }
}

void Column::AppendRange(const Column& from, size_t begin, size_t end) {
  if (begin >= end) return;
  size_t old = size();
  switch (physical()) {
    case Physical::kInt64:
      ints.insert(ints.end(), from.ints.begin() + begin, from.ints.begin() + end);
      break;
    case Physical::kDouble:
      doubles.insert(doubles.end(), from.doubles.begin() + begin, from.doubles.begin() + end);
      break;
    case Physical::kString:
      strings.insert(strings.end(), from.strings.begin() + begin, from.strings.begin() + end);
      break;
  }
  if (from.valid.empty()) {
    if (!valid.empty()) valid.resize(old + (end - begin), 1);
    return;
  }
  if (valid.empty()) valid.assign(old, 1);
  valid.insert(valid.end(), from.valid.begin() + begin, from.valid.begin() + end);
}

Column Column::Take(const std::vector<uint32_t>& rows) const {
  Column out = Make(type, rows.size());
  switch (physical()) {
    case Physical::kInt64:
      for (uint32_t r : rows) out.ints.push_back(ints[r]);
      break;
    case Physical::kDouble:
      for (uint32_t r : rows) out.doubles.push_back(doubles[r]);
      break;
    case Physical::kString:
      for (uint32_t r : rows) out.strings.push_back(strings[r]);
      break;
  }
  if (!valid.empty()) {
    out.valid.reserve(rows.size());
    for (uint32_t r : rows) out.valid.push_back(valid[r]);
  }
  return out;
}

void AppendCqlValue(Column* column, const Value& v) {
  // Cassandra allows "empty" values for fixed-width types; they read as null here.
  if (!v || (v->empty() && column->physical() != Physical::kString)) {
    column->AppendNull();
    return;
  }
  const std::string& b = *v;
  switch (column->type.kind) {
    case TypeKind::kBoolean:
      column->AppendInt(cql::DecodeBoolean(b) ? 1 : 0);
      return;
    case TypeKind::kTinyint:
      column->AppendInt(cql::DecodeTinyint(b));
      return;
    case TypeKind::kSmallint:
      column->AppendInt(cql::DecodeSmallint(b));
      return;
    case TypeKind::kInt:
      column->AppendInt(cql::DecodeInt(b));
      return;
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
      column->AppendInt(cql::DecodeBigint(b));
      return;
    case TypeKind::kDate:
      column->AppendInt(static_cast<int64_t>(static_cast<uint32_t>(cql::DecodeInt(b))) -
                        kDateEpoch);
      return;
    case TypeKind::kFloat:
      column->AppendDouble(cql::DecodeFloat(b));
      return;
    case TypeKind::kDouble:
      column->AppendDouble(cql::DecodeDouble(b));
      return;
    default:
      column->AppendString(b);
      return;
  }
}

Value CqlValueAt(const Column& column, size_t row) {
  if (column.IsNull(row)) return std::nullopt;
  switch (column.type.kind) {
    case TypeKind::kBoolean:
      return cql::EncodeBoolean(column.ints[row] != 0);
    case TypeKind::kTinyint:
      return cql::EncodeTinyint(static_cast<int8_t>(column.ints[row]));
    case TypeKind::kSmallint:
      return cql::EncodeSmallint(static_cast<int16_t>(column.ints[row]));
    case TypeKind::kInt:
      return cql::EncodeInt(static_cast<int32_t>(column.ints[row]));
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
      return cql::EncodeBigint(column.ints[row]);
    case TypeKind::kDate:
      return cql::EncodeInt(
          static_cast<int32_t>(static_cast<uint32_t>(column.ints[row] + kDateEpoch)));
    case TypeKind::kFloat:
      return cql::EncodeFloat(static_cast<float>(column.doubles[row]));
    case TypeKind::kDouble:
      return cql::EncodeDouble(column.doubles[row]);
    default:
      return column.strings[row];
  }
}

std::string TextAt(const Column& column, size_t row) {
  if (column.IsNull(row)) return "null";
  switch (column.type.kind) {
    case TypeKind::kText:
    case TypeKind::kAscii:
      return column.strings[row];
    case TypeKind::kFloat:
    case TypeKind::kDouble:
      return eval::JavaDoubleText(column.doubles[row]);
    default:
      return cql::ToLiteral(column.type, *CqlValueAt(column, row));
  }
}

int Schema::Find(std::string_view name, std::string_view qualifier) const {
  int found = -1;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name != name) continue;
    if (!qualifier.empty() && fields[i].qualifier != qualifier) continue;
    if (found >= 0) {
      ThrowInvalid("Column reference {}{}{} is ambiguous", qualifier, qualifier.empty() ? "" : ".",
                   name);
    }
    found = static_cast<int>(i);
  }
  return found;
}

size_t Schema::Require(std::string_view name, std::string_view qualifier) const {
  int i = Find(name, qualifier);
  if (i < 0) {
    ThrowInvalid("Undefined column name {}{}{}", qualifier, qualifier.empty() ? "" : ".", name);
  }
  return static_cast<size_t>(i);
}

Batch Batch::Empty(const Schema& schema, size_t reserve) {
  Batch b;
  b.columns.reserve(schema.fields.size());
  for (const auto& f : schema.fields) b.columns.push_back(Column::Make(f.type, reserve));
  return b;
}

Batch Batch::Take(const std::vector<uint32_t>& rows) const {
  Batch out;
  out.columns.reserve(columns.size());
  for (const auto& c : columns) out.columns.push_back(c.Take(rows));
  out.num_rows = rows.size();
  return out;
}

Batch Batch::Slice(size_t begin, size_t end) const {
  Batch out;
  out.columns.reserve(columns.size());
  for (const auto& c : columns) {
    Column s = Column::Make(c.type, end - begin);
    s.AppendRange(c, begin, end);
    out.columns.push_back(std::move(s));
  }
  out.num_rows = end - begin;
  return out;
}

void Batch::Append(const Batch& other) {
  if (columns.empty()) {
    *this = other;
    return;
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    columns[i].AppendRange(other.columns[i], 0, other.num_rows);
  }
  num_rows += other.num_rows;
}

}  // namespace helenus::exec

#include "helenus/ml/frame.h"

#include <bit>
#include <cmath>
#include <cstring>

#include "helenus/common/error.h"

namespace helenus::ml {

bool IsNumericType(const DataType& type) {
  switch (type.kind) {
    case TypeKind::kBoolean:
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kFloat:
    case TypeKind::kDouble:
      return true;
    default:
      return false;
  }
}

Frame Frame::FromDataFrame(const exec::DataFrame& df) {
  return FromRows(df.collect());
}

Frame Frame::FromRows(const exec::Rows& rows) {
  exec::Batch all = rows.Concat();
  Frame f;
  for (size_t i = 0; i < rows.schema.size(); ++i) {
    f.Add(rows.schema.fields[i].name, std::move(all.columns[i]));
  }
  f.num_rows_ = all.num_rows;
  return f;
}

namespace {

// A dense vector in CQL's list<double> wire form: [n][len 8][big-endian double]...
std::string ListOfDoubles(const Vectors& v, size_t r, std::vector<double>* scratch) {
  scratch->resize(v.dim);
  v.Densify(r, scratch->data());
  std::string out;
  out.reserve(4 + v.dim * 12);
  auto put32 = [&](uint32_t x) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((x >> s) & 0xff));
  };
  put32(static_cast<uint32_t>(v.dim));
  for (double d : *scratch) {
    put32(8);
    const uint64_t bits = std::bit_cast<uint64_t>(d);
    for (int s = 56; s >= 0; s -= 8) out.push_back(static_cast<char>((bits >> s) & 0xff));
  }
  return out;
}

}  // namespace

exec::Rows Frame::ToRows() const {
  exec::Rows rows;
  exec::Batch batch;
  batch.num_rows = num_rows_;
  std::vector<double> scratch;
  for (const auto& c : columns_) {
    if (const auto* col = std::get_if<exec::Column>(&c.data)) {
      rows.schema.fields.push_back({c.name, col->type, ""});
      batch.columns.push_back(*col);
      continue;
    }
    const auto& v = std::get<Vectors>(c.data);
    const DataType type = DataType::List(DataType::Of(TypeKind::kDouble), true);
    rows.schema.fields.push_back({c.name, type, ""});
    exec::Column col = exec::Column::Make(type, num_rows_);
    for (size_t r = 0; r < num_rows_; ++r) {
      if (v.IsNull(r)) {
        col.AppendNull();
      } else {
        col.AppendString(ListOfDoubles(v, r, &scratch));
      }
    }
    batch.columns.push_back(std::move(col));
  }
  if (num_rows_ > 0) rows.batches.push_back(std::move(batch));
  return rows;
}

exec::DataFrame Frame::ToDataFrame(const exec::Engine* engine) const {
  exec::Rows rows = ToRows();
  return engine->FromBatches(std::move(rows.schema), std::move(rows.batches));
}

int Frame::Find(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

size_t Frame::Require(std::string_view name) const {
  const int i = Find(name);
  if (i < 0) ThrowInvalid("Undefined column name {}", name);
  return static_cast<size_t>(i);
}

const exec::Column& Frame::Scalar(std::string_view name) const {
  const auto& c = columns_[Require(name)];
  if (c.is_vector()) ThrowInvalid("Column {} holds vectors, a scalar column is needed", name);
  return std::get<exec::Column>(c.data);
}

const Vectors& Frame::VectorsOf(std::string_view name) const {
  const auto& c = columns_[Require(name)];
  if (!c.is_vector()) {
    ThrowInvalid("Column {} is not a feature vector (assemble features first)", name);
  }
  return std::get<Vectors>(c.data);
}

const Attributes& Frame::AttrsOf(std::string_view name) const {
  return columns_[Require(name)].attrs;
}

std::vector<double> Frame::Numeric(std::string_view name) const {
  const exec::Column& c = Scalar(name);
  if (!IsNumericType(c.type)) {
    ThrowInvalid("Column {} of type {} is not numeric", name, c.type.ToCql());
  }
  std::vector<double> out(num_rows_);
  const bool ints = c.physical() == exec::Physical::kInt64;
  for (size_t r = 0; r < num_rows_; ++r) {
    if (c.IsNull(r)) {
      out[r] = std::nan("");
    } else {
      out[r] = ints ? static_cast<double>(c.ints[r]) : c.doubles[r];
    }
  }
  return out;
}

void Frame::AddColumn(FrameColumn column, size_t rows) {
  if (!columns_.empty() && rows != num_rows_) {
    ThrowInvalid("Column {} has {} rows, the frame has {}", column.name, rows, num_rows_);
  }
  num_rows_ = rows;
  const int at = Find(column.name);
  if (at >= 0) {
    columns_[at] = std::move(column);
  } else {
    columns_.push_back(std::move(column));
  }
}

void Frame::Add(std::string name, exec::Column column, Attributes attrs) {
  const size_t rows = column.size();
  AddColumn(FrameColumn{std::move(name), std::move(column), std::move(attrs)}, rows);
}

void Frame::Add(std::string name, Vectors vectors, Attributes attrs) {
  const size_t rows = vectors.rows;
  AddColumn(FrameColumn{std::move(name), std::move(vectors), std::move(attrs)}, rows);
}

void Frame::Drop(std::string_view name) {
  const int at = Find(name);
  if (at >= 0) columns_.erase(columns_.begin() + at);
  if (columns_.empty()) num_rows_ = 0;
}

Frame Frame::Take(const std::vector<uint32_t>& rows) const {
  Frame out;
  out.num_rows_ = rows.size();
  for (const auto& c : columns_) {
    FrameColumn taken{c.name, {}, c.attrs};
    if (const auto* col = std::get_if<exec::Column>(&c.data)) {
      taken.data = col->Take(rows);
    } else {
      taken.data = std::get<Vectors>(c.data).Take(rows);
    }
    out.columns_.push_back(std::move(taken));
  }
  return out;
}

Frame Frame::Select(const std::vector<std::string>& names) const {
  Frame out;
  out.num_rows_ = num_rows_;
  for (const auto& n : names) out.columns_.push_back(columns_[Require(n)]);
  return out;
}

}  // namespace helenus::ml

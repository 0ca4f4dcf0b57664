#include "row_values.h"

#include "helenus/common/murmur3.h"

namespace helenus::query {

using storage::ColumnKind;

const storage::CellRead* RowContext::Cell(const storage::ColumnSchema& c) const {
  const auto& cells = c.kind == ColumnKind::kStatic ? row->statics : row->regular;
  if (c.id >= cells.size() || !cells[c.id]) return nullptr;
  return &*cells[c.id];
}

Value RowContext::Get(const storage::ColumnSchema& c) const {
  switch (c.kind) {
    case ColumnKind::kPartitionKey:
      return (*pk_parts)[c.position];
    case ColumnKind::kClustering:
      if (static_cast<size_t>(c.position) >= row->clustering.size()) return std::nullopt;
      return row->clustering[c.position];
    default: {
      const auto* cell = Cell(c);
      return cell ? cell->value : std::nullopt;
    }
  }
}

std::vector<Bytes> SplitKey(const storage::TableSchema& table, const Bytes& partition_key) {
  size_t n = table.layout.partition_key.size();
  if (n == 1) return {partition_key};
  return SplitPartitionKey(partition_key, n);
}

}  // namespace helenus::query

#pragma once

// Byte-comparable RocksDB keys. Layout of a data key:
//
//   [u32 BE table id][u64 BE token ^ 0x8000000000000000]
//   [escaped partition key: 0x00 -> 0x00 0xFF, terminated by 0x00 0x01]
//   [kind: 0x10 partition header | 0x20 range tombstone | 0x30 row]
//   [row: clustering components; range tombstone: escaped start + end bounds]
//
// A clustering component is [marker][typed encoding] with marker 0x01 = empty
// value (ASC), 0x02 = value, 0x03 = empty value (DESC); a bound past every
// extension of a prefix ends with 0x04. memcmp order of the encodings equals
// Cassandra's partition order (token, then unsigned key bytes) and clustering
// order (DESC components have every byte of their typed encoding inverted).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/common/data_type.h"
#include "helenus/common/status.h"
#include "helenus/common/value.h"

namespace helenus::storage {

// The byte after a partition prefix that says what the key holds.
enum class KeyKind : uint8_t { kPartitionHeader = 0x10, kRangeTombstone = 0x20, kRow = 0x30 };

// Clustering component markers (see the file comment).
inline constexpr uint8_t kMarkerEmptyAsc = 0x01;
inline constexpr uint8_t kMarkerValue = 0x02;
inline constexpr uint8_t kMarkerEmptyDesc = 0x03;
inline constexpr uint8_t kMarkerAfterPrefix = 0x04;

// Appends the 4-byte table prefix.
void AppendTablePrefix(uint32_t table_id, std::string* out);
// Appends the 8-byte order-preserving token.
void AppendToken(int64_t token, std::string* out);
// Appends partition key bytes escaped and terminated (order- and prefix-preserving).
void AppendEscaped(std::string_view bytes, std::string* out);
// Reads an escaped string from *in (advancing it); false when malformed.
bool ReadEscaped(std::string_view* in, std::string* out);

// [table][token][escaped partition key]: the common prefix of all keys of a partition.
std::string PartitionPrefix(uint32_t table_id, int64_t token, std::string_view partition_key);
// PartitionPrefix with the Murmur3 token of partition_key.
std::string PartitionPrefix(uint32_t table_id, std::string_view partition_key);

// Appends one clustering component: marker + typed encoding (inverted when desc).
Status AppendClusteringComponent(const DataType& type, bool desc, std::string_view value,
                                 std::string* out);
// Reads one clustering component from *in (advancing it) back to its CQL bytes.
bool ReadClusteringComponent(const DataType& type, bool desc, std::string_view* in, Bytes* out);

// Appends the order-preserving encoding of a non-null, non-empty CQL value
// (no marker). Also used for set elements and map keys of non-frozen collections.
Status AppendComparable(const DataType& type, std::string_view value, std::string* out);
// Reads what AppendComparable wrote back to CQL bytes; mask 0xFF reads an inverted encoding.
bool ReadComparable(const DataType& type, std::string_view* in, Bytes* out, uint8_t mask = 0);

// Appends the clustering encoding of the first prefix.size() components
// (types and desc flags from the table's clustering columns).
Status AppendClusteringPrefix(const std::vector<DataType>& types, const std::vector<bool>& desc,
                              const std::vector<Bytes>& prefix, std::string* out);
// Decodes a row's clustering suffix (the bytes after the 0x30 kind byte).
bool DecodeClustering(const std::vector<DataType>& types, const std::vector<bool>& desc,
                      std::string_view in, std::vector<Bytes>* out);

// Which side of a clustering prefix a bound sits on.
enum class BoundKind { kStartInclusive, kStartExclusive, kEndInclusive, kEndExclusive };

// Encoded clustering bound of a prefix (empty prefix = unbounded): a start
// bound B means "rows with encoding >= B", an end bound E "rows < E".
Status EncodeClusteringBound(const std::vector<DataType>& types, const std::vector<bool>& desc,
                             const std::vector<Bytes>& prefix, BoundKind kind, std::string* out);

// A data key split into its parts.
struct DecodedKey {
  uint32_t table_id = 0;
  int64_t token = 0;
  Bytes partition_key;
  KeyKind kind = KeyKind::kRow;
  std::string_view suffix;  // bytes after the kind byte (clustering encoding for rows)
};

// Splits a data key; suffix points into key. False when malformed.
bool DecodeKey(std::string_view key, DecodedKey* out);

// The full key of a row (clustering must have all components; empty for tables without).
Status RowKey(uint32_t table_id, std::string_view partition_key,
              const std::vector<DataType>& clustering_types, const std::vector<bool>& desc,
              const std::vector<Bytes>& clustering, std::string* out);

}  // namespace helenus::storage

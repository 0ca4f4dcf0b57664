// The storage key codec: clustering components round-trip, and decoding
// arbitrary keys never reads out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_types.h"
#include "helenus/storage/key_codec.h"

namespace storage = helenus::storage;
using helenus::Bytes;
using helenus::TypeKind;

namespace {

// Whether the codec normalizes this type (so bytes may change but value stays).
bool Normalizes(const helenus::DataType& type) {
  return type.kind == TypeKind::kVarint || type.IsCollection() || type.kind == TypeKind::kTuple;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const helenus::DataType& type = helenus::fuzz::PickType(data[0] >> 1);
  bool desc = data[0] & 1;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);

  // Encode arbitrary bytes as a value; what encodes must decode to an equal value.
  std::string key;
  if (storage::AppendClusteringComponent(type, desc, rest, &key).ok()) {
    std::string_view in = key;
    Bytes back;
    if (!storage::ReadClusteringComponent(type, desc, &in, &back)) __builtin_trap();
    if (!in.empty()) __builtin_trap();
    if (!Normalizes(type) && back != rest) __builtin_trap();
    std::string again;
    if (!storage::AppendClusteringComponent(type, desc, back, &again).ok()) __builtin_trap();
    if (again != key) __builtin_trap();
  }

  // Decode arbitrary bytes as a component, a clustering suffix and a full key.
  std::string_view in = rest;
  Bytes out;
  (void)storage::ReadClusteringComponent(type, desc, &in, &out);
  std::vector<Bytes> parts;
  (void)storage::DecodeClustering({type, type}, {desc, !desc}, rest, &parts);
  storage::DecodedKey decoded;
  if (storage::DecodeKey(rest, &decoded)) {
    // A decoded key's partition key re-encodes to the same prefix.
    std::string prefix =
        storage::PartitionPrefix(decoded.table_id, decoded.token, decoded.partition_key);
    if (rest.substr(0, prefix.size()) != prefix) __builtin_trap();
  }
  return 0;
}

#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "helenus/common/value.h"

namespace helenus {

// Cassandra's Murmur3Partitioner token of a serialized partition key
// (MurmurHash3 x64_128, seed 0, h1; Long.MIN_VALUE maps to Long.MAX_VALUE).
int64_t Murmur3Token(std::string_view partition_key_bytes);

// The raw MurmurHash3 x64_128 h1 with Cassandra's sign-extended tail bytes.
int64_t Murmur3Hash64(std::string_view data);

// The partition key bytes of a (possibly composite) key: one component is
// itself, several are [u16 BE length][bytes][0x00] each.
Bytes CompositePartitionKey(const std::vector<std::string_view>& components);

// Inverse of CompositePartitionKey for a key of n components; empty on malformed input.
std::vector<Bytes> SplitPartitionKey(std::string_view key, size_t n);

}  // namespace helenus

#include "helenus/common/murmur3.h"

#include <cstring>
#include <limits>

namespace helenus {
namespace {

inline uint64_t Rotl(uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}

inline uint64_t Fmix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

inline uint64_t LoadLe64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Java's byte is signed: Cassandra's tail reads sign-extend every byte.
inline uint64_t Signed(unsigned char c) {
  return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(c)));
}

}  // namespace

int64_t Murmur3Hash64(std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const size_t len = data.size();
  const size_t nblocks = len / 16;
  constexpr uint64_t kC1 = 0x87c37b91114253d5ULL;
  constexpr uint64_t kC2 = 0x4cf5ad432745937fULL;
  uint64_t h1 = 0;
  uint64_t h2 = 0;
  for (size_t i = 0; i < nblocks; ++i) {
    uint64_t k1 = LoadLe64(p + i * 16);
    uint64_t k2 = LoadLe64(p + i * 16 + 8);
    k1 *= kC1;
    k1 = Rotl(k1, 31);
    k1 *= kC2;
    h1 ^= k1;
    h1 = Rotl(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= kC2;
    k2 = Rotl(k2, 33);
    k2 *= kC1;
    h2 ^= k2;
    h2 = Rotl(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }
  const unsigned char* tail = p + nblocks * 16;
  uint64_t k1 = 0;
  uint64_t k2 = 0;
  switch (len & 15) {
    case 15:
      k2 ^= Signed(tail[14]) << 48;
      [[fallthrough]];
    case 14:
      k2 ^= Signed(tail[13]) << 40;
      [[fallthrough]];
    case 13:
      k2 ^= Signed(tail[12]) << 32;
      [[fallthrough]];
    case 12:
      k2 ^= Signed(tail[11]) << 24;
      [[fallthrough]];
    case 11:
      k2 ^= Signed(tail[10]) << 16;
      [[fallthrough]];
    case 10:
      k2 ^= Signed(tail[9]) << 8;
      [[fallthrough]];
    case 9:
      k2 ^= Signed(tail[8]);
      k2 *= kC2;
      k2 = Rotl(k2, 33);
      k2 *= kC1;
      h2 ^= k2;
      [[fallthrough]];
    case 8:
      k1 ^= Signed(tail[7]) << 56;
      [[fallthrough]];
    case 7:
      k1 ^= Signed(tail[6]) << 48;
      [[fallthrough]];
    case 6:
      k1 ^= Signed(tail[5]) << 40;
      [[fallthrough]];
    case 5:
      k1 ^= Signed(tail[4]) << 32;
      [[fallthrough]];
    case 4:
      k1 ^= Signed(tail[3]) << 24;
      [[fallthrough]];
    case 3:
      k1 ^= Signed(tail[2]) << 16;
      [[fallthrough]];
    case 2:
      k1 ^= Signed(tail[1]) << 8;
      [[fallthrough]];
    case 1:
      k1 ^= Signed(tail[0]);
      k1 *= kC1;
      k1 = Rotl(k1, 31);
      k1 *= kC2;
      h1 ^= k1;
      break;
    default:
      break;
  }
  h1 ^= len;
  h2 ^= len;
  h1 += h2;
  h2 += h1;
  h1 = Fmix(h1);
  h2 = Fmix(h2);
  h1 += h2;
  return static_cast<int64_t>(h1);
}

int64_t Murmur3Token(std::string_view partition_key_bytes) {
  int64_t h = Murmur3Hash64(partition_key_bytes);
  // Long.MIN_VALUE is the partitioner's "minimum token", never a key's token.
  return h == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : h;
}

Bytes CompositePartitionKey(const std::vector<std::string_view>& components) {
  if (components.size() == 1) return Bytes(components[0]);
  Bytes out;
  size_t total = 0;
  for (auto c : components) total += c.size() + 3;
  out.reserve(total);
  for (auto c : components) {
    out.push_back(static_cast<char>((c.size() >> 8) & 0xFF));
    out.push_back(static_cast<char>(c.size() & 0xFF));
    out.append(c);
    out.push_back('\0');
  }
  return out;
}

std::vector<Bytes> SplitPartitionKey(std::string_view key, size_t n) {
  std::vector<Bytes> out;
  if (n <= 1) {
    out.emplace_back(key);
    return out;
  }
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    if (pos + 2 > key.size()) return {};
    size_t len =
        (static_cast<unsigned char>(key[pos]) << 8) | static_cast<unsigned char>(key[pos + 1]);
    pos += 2;
    if (pos + len + 1 > key.size()) return {};
    out.emplace_back(key.substr(pos, len));
    pos += len + 1;
  }
  if (pos != key.size()) return {};
  return out;
}

}  // namespace helenus

#pragma once

// Internal: hashing of physical values and an open-addressing table that maps
// group or join keys to dense ids, shared by aggregation, distinct, joins and
// random_split. Equality follows CompareValues: NULL = NULL (as a group),
// NaN = NaN, -0.0 = 0.0, strings and serialized values bytewise.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/exec/column.h"

namespace helenus::exec::ops {

// Id meaning "no such key".
inline constexpr uint32_t kNoId = UINT32_MAX;
// Hash of a NULL value.
inline constexpr uint64_t kNullHash = 0x5bd1e9955bd1e995ULL;

// Murmur3's 64-bit finalizer: a cheap, well-mixed bijection.
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// Hash of an int64 value.
inline uint64_t HashInt64(int64_t v) {
  return Mix64(static_cast<uint64_t>(v) ^ 0x9e3779b97f4a7c15ULL);
}

// Bits of d with every NaN made one NaN and -0.0 made 0.0.
inline int64_t NormalizedBits(double d) {
  if (d != d) return 0x7ff8000000000000LL;
  if (d == 0.0) return 0;
  return std::bit_cast<int64_t>(d);
}

// Hash of a byte string (wyhash-style multiply-mix).
uint64_t HashBytes(const char* data, size_t n);
// Hash of a byte string.
inline uint64_t HashBytes(std::string_view s) {
  return HashBytes(s.data(), s.size());
}

// Folds the hash v of one more value into h.
inline uint64_t CombineHash(uint64_t h, uint64_t v) {
  return Mix64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

// Hash of row i of c (consistent with CompareValues equality).
uint64_t HashAt(const Column& c, size_t i);

// out[i] = hash of row i < n over all columns, combined from seed (with seed
// 0 and one column: that column's HashAt).
void HashColumns(const std::vector<const Column*>& columns, size_t n, uint64_t seed,
                 std::vector<uint64_t>* out);

// Appends row i of c as [tag 0 = NULL | 1][payload]: int64 and double as 8
// little-endian bytes, strings as a u32 length and the bytes. With normalize,
// doubles are NormalizedBits (for keys); otherwise their exact bits (for rows).
void EncodeValue(const Column& c, size_t i, bool normalize, std::string* out);
// Appends to out the value EncodeValue wrote at the front of *in; advances *in.
void DecodeValue(std::string_view* in, Column* out);
// Appends row i of every column of b (EncodeValue, exact).
void EncodeRow(const Batch& b, size_t i, std::string* out);
// Appends one row written by EncodeRow to b; advances *in.
void DecodeRow(std::string_view* in, Batch* b);

// Little-endian fixed-width helpers for spill records.
inline void PutU32(std::string* out, uint32_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}
// Appends v as 8 raw bytes.
inline void PutU64(std::string* out, uint64_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}
// Reads a u32 from the front of *in (throws when too short).
uint32_t GetU32(std::string_view* in);
// Reads a u64 from the front of *in (throws when too short).
uint64_t GetU64(std::string_view* in);
// Reads n bytes from the front of *in (throws when too short).
std::string_view GetBytes(std::string_view* in, size_t n);

// How keys are held in a GroupKeyTable.
enum class KeyMode {
  kNone,     // no keys: one group
  kInt64,    // one key of physical kInt64
  kDouble,   // one key of physical kDouble (stored as NormalizedBits)
  kString,   // one key of physical kString
  kGeneral,  // several keys: their EncodeValue(normalize) bytes
};

// The mode for keys of these types.
KeyMode ChooseKeyMode(const std::vector<DataType>& key_types);

// Maps keys to dense ids 0..size()-1 by linear probing. Callers pass each
// key's hash (from HashColumns with seed 0) so that it is computed once per
// row, vectorized. Single-key modes keep NULL as a separate id.
class GroupKeyTable {
 public:
  // An empty table; copy_strings = false keeps views into caller-owned
  // strings (join build side) instead of copying them into an arena.
  explicit GroupKeyTable(KeyMode mode, bool copy_strings = true);
  // Movable (views into the arena stay valid: its blocks never move).
  GroupKeyTable(GroupKeyTable&&) = default;
  GroupKeyTable& operator=(GroupKeyTable&&) = default;

  // The key mode.
  KeyMode mode() const { return mode_; }
  // Number of ids handed out.
  size_t size() const { return hashes_.size(); }
  // The hash of id.
  uint64_t hash(uint32_t id) const { return hashes_[id]; }
  // The id of the NULL key (kNone: the only group), kNoId when absent.
  uint32_t null_id() const { return null_id_; }

  // kInt64 / kDouble (NormalizedBits): the id of key, inserted when new.
  uint32_t FindOrInsertInt(int64_t key, uint64_t hash) {
    if ((hashes_.size() + 1) * 2 > slots_.size()) Grow();
    size_t pos = hash & mask_;
    while (true) {
      Slot& s = slots_[pos];
      if (s.id == kNoId) {
        s.tag = static_cast<uint64_t>(key);
        s.id = static_cast<uint32_t>(hashes_.size());
        hashes_.push_back(hash);
        ints_.push_back(key);
        return s.id;
      }
      if (s.tag == static_cast<uint64_t>(key)) return s.id;
      pos = (pos + 1) & mask_;
    }
  }
  // kInt64 / kDouble: the id of key, kNoId when absent.
  uint32_t FindInt(int64_t key, uint64_t hash) const {
    if (slots_.empty()) return kNoId;
    size_t pos = hash & mask_;
    while (true) {
      const Slot& s = slots_[pos];
      if (s.id == kNoId) return kNoId;
      if (s.tag == static_cast<uint64_t>(key)) return s.id;
      pos = (pos + 1) & mask_;
    }
  }
  // kString / kGeneral: the id of key, inserted when new.
  uint32_t FindOrInsertBytes(std::string_view key, uint64_t hash) {
    if ((hashes_.size() + 1) * 2 > slots_.size()) Grow();
    size_t pos = hash & mask_;
    while (true) {
      Slot& s = slots_[pos];
      if (s.id == kNoId) {
        s.tag = hash;
        s.id = static_cast<uint32_t>(hashes_.size());
        hashes_.push_back(hash);
        views_.push_back(copy_strings_ ? Store(key) : key);
        return s.id;
      }
      if (s.tag == hash && views_[s.id] == key) return s.id;
      pos = (pos + 1) & mask_;
    }
  }
  // kString / kGeneral: the id of key, kNoId when absent.
  uint32_t FindBytes(std::string_view key, uint64_t hash) const {
    if (slots_.empty()) return kNoId;
    size_t pos = hash & mask_;
    while (true) {
      const Slot& s = slots_[pos];
      if (s.id == kNoId) return kNoId;
      if (s.tag == hash && views_[s.id] == key) return s.id;
      pos = (pos + 1) & mask_;
    }
  }
  // The id of the NULL key (kNone: the only group), inserted when new.
  uint32_t FindOrInsertNull(uint64_t hash);

  // Makes room for n keys without rehashing.
  void Reserve(size_t n);
  // Ids of rows [0, n) of the key columns, inserting new keys; scratch is a
  // reusable buffer for kGeneral.
  void MapRows(const std::vector<const Column*>& keys, const uint64_t* hashes, size_t n,
               uint32_t* ids, std::string* scratch);
  // Inserts the keys of src's ids[0..n) (same mode); out[i] = their ids here.
  void InsertFrom(const GroupKeyTable& src, const uint32_t* ids, size_t n, uint32_t* out);
  // Appends the EncodeValue(normalize) form of id's key columns.
  void EncodeKey(uint32_t id, std::string* out) const;
  // The id of a key written by EncodeKey, inserted when new.
  uint32_t FindOrInsertEncoded(std::string_view key, uint64_t hash);
  // Appends the keys of ids [begin, end) to columns (one per key column).
  void AppendKeys(uint32_t begin, uint32_t end, std::vector<Column>* columns) const;
  // Approximate bytes held.
  size_t MemoryBytes() const;

 private:
  struct Slot {
    uint64_t tag;  // the key (int modes) or its hash (byte modes)
    uint32_t id;
  };

  void Grow() { Rehash(std::max<size_t>(16, slots_.size() * 2)); }
  void Rehash(size_t capacity);
  std::string_view Store(std::string_view key);
  uint32_t NewNullId(uint64_t hash);

  KeyMode mode_;
  bool copy_strings_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<uint64_t> hashes_;         // by id
  std::vector<int64_t> ints_;            // by id, int modes
  std::vector<std::string_view> views_;  // by id, byte modes
  uint32_t null_id_ = kNoId;
  std::vector<std::unique_ptr<char[]>> arena_;
  size_t arena_left_ = 0;
  char* arena_pos_ = nullptr;
  size_t arena_bytes_ = 0;
};

}  // namespace helenus::exec::ops

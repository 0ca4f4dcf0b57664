#pragma once

// Row fragments: the value format of header, range tombstone and row keys,
// and the operand format of the merge operator. Internal to the storage layer.
//
//   [u8 flags: 1 marker, 2 row tombstone, 4 marker has ttl][zigzag varint base ts]
//   marker:    [zz ts - base][if ttl: varint ttl, varint expires]
//   tombstone: [zz ts - base][varint local deletion time]
//   cells, sorted by (column, collection tombstone first, element key):
//     [u8 cell flags][varint column unless flagged "next"/"same" column]
//     [if element: varint key length, key][zz ts - base unless flagged "base ts"]
//     tombstone / collection tombstone: [varint local deletion time]
//     live: [if ttl: varint ttl, varint expires][varint value length][value]

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace helenus::storage::internal {

// Cell flag bits.
inline constexpr uint8_t kCellTombstone = 0x01;
inline constexpr uint8_t kCellTtl = 0x02;
inline constexpr uint8_t kCellElement = 0x04;
inline constexpr uint8_t kCellCollectionTombstone = 0x08;
// Serialization-only bits: they keep a typical row at ~2 bytes per cell of overhead.
inline constexpr uint8_t kCellBaseTs = 0x10;      // ts equals the fragment's base ts
inline constexpr uint8_t kCellNextColumn = 0x20;  // column = previous cell's column + 1
inline constexpr uint8_t kCellSameColumn = 0x40;  // column = previous cell's column
inline constexpr uint8_t kCellStoredBits = 0x0F;
// FragmentReader::ConsumeViews: the column's cells may be taken / their values stored.
inline constexpr uint8_t kShapePlain = 0x80;
inline constexpr uint8_t kShapeStore = 0x40;

// One cell; views point into the parsed input or caller-owned buffers.
struct Cell {
  uint32_t column = 0;
  uint8_t flags = 0;
  std::string_view key;  // element key (set element / map key encoding, list key)
  int64_t ts = 0;
  int32_t ttl = 0;
  int64_t ldt = 0;  // live: expiry second (0 none); tombstone: local deletion time
  std::string_view value;

  bool IsTombstone() const { return flags & (kCellTombstone | kCellCollectionTombstone); }
};

// A parsed fragment.
struct Fragment {
  bool has_marker = false;
  int64_t marker_ts = 0;
  int32_t marker_ttl = 0;
  int64_t marker_expires = 0;
  bool has_tombstone = false;
  int64_t tombstone_ts = 0;
  int64_t tombstone_ldt = 0;
  std::vector<Cell> cells;

  void Clear() {
    has_marker = has_tombstone = false;
    marker_ts = tombstone_ts = 0;
    marker_ttl = 0;
    marker_expires = tombstone_ldt = 0;
    cells.clear();
  }
};

// Reads varints with a one-byte fast path (most ids, lengths and deltas).
[[gnu::always_inline]] inline bool ReadVarint(const char*& p, const char* end, uint64_t* v) {
  if (p < end && !(static_cast<uint8_t>(*p) & 0x80)) {
    *v = static_cast<uint8_t>(*p++);
    return true;
  }
  if (end - p >= 8) {
    // Up to 8 bytes at once (microsecond timestamps take 8): find the last
    // byte, then pack the 7-bit groups pairwise without a loop (the load is
    // little-endian, as the store's key decoding already assumes).
    uint64_t x;
    std::memcpy(&x, p, 8);
    const uint64_t stops = ~x & 0x8080808080808080ULL;
    if (stops != 0) {
      const int len = __builtin_ctzll(stops) / 8 + 1;
      if (len < 8) x &= (uint64_t{1} << (8 * len)) - 1;
      x = ((x & 0x7F007F007F007F00ULL) >> 1) | (x & 0x007F007F007F007FULL);
      x = ((x & 0x3FFF00003FFF0000ULL) >> 2) | (x & 0x00003FFF00003FFFULL);
      x = ((x & 0x0FFFFFFF00000000ULL) >> 4) | (x & 0x000000000FFFFFFFULL);
      *v = x;
      p += len;
      return true;
    }
  }
  uint64_t r = 0;
  for (int shift = 0; p < end && shift <= 63; shift += 7) {
    auto b = static_cast<uint8_t>(*p++);
    r |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) {
      *v = r;
      return true;
    }
  }
  return false;
}

// Streams the cells of one serialized fragment without materializing them:
// the read path decodes rows with it, ParseFragment builds on it.
class FragmentReader {
 public:
  // Parses the fragment header (marker, row tombstone); false when malformed.
  // Inline: the scan calls it once per row.
  [[gnu::always_inline]] inline bool Init(std::string_view in);
  // The next cell; false at the end or on malformed input (then error() is true).
  [[gnu::always_inline]] inline bool Next(Cell* c);
  // Feeds consecutive plain cells (live, base timestamp, no TTL or element
  // key, column = previous + 1, value shorter than 128 bytes: nearly every
  // INSERTed cell) to f(column, value) in one tight loop over local state;
  // stops, without consuming it, at the first cell that is not plain or that
  // f declines (returns false). Next then reads that cell.
  template <typename F>
  [[gnu::always_inline]] inline void ConsumePlain(F&& f);
  // ConsumePlain storing each taken value at slots[column] instead of
  // calling back. shape[c] (c < num_columns) is 0 when column c's cells must
  // not be taken; else kShapePlain, plus kShapeStore when its values are
  // stored, plus the length all its values have (0 when it varies). Known
  // lengths are stepped over without waiting on the length byte (the loop's
  // dependency chain); a cell of another length stops the loop like a
  // non-plain one. column() tells where it stopped.
  [[gnu::always_inline]] inline void ConsumeViews(const uint8_t* shape, uint32_t num_columns,
                                                  std::string_view* slots);
  // Column of the last cell read (UINT32_MAX before the first).
  uint32_t column() const { return prev_column_; }
  // The fragment's base timestamp: a plain cell's write time.
  int64_t base_ts() const { return base_; }
  bool error() const { return error_; }

  bool has_marker = false;
  int64_t marker_ts = 0;
  int32_t marker_ttl = 0;
  int64_t marker_expires = 0;
  bool has_tombstone = false;
  int64_t tombstone_ts = 0;
  int64_t tombstone_ldt = 0;

 private:
  bool Delta(int64_t* ts) {
    uint64_t v;
    if (!ReadVarint(p_, end_, &v)) return false;
    int64_t d = static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
    *ts = static_cast<int64_t>(static_cast<uint64_t>(base_) + static_cast<uint64_t>(d));
    return true;
  }
  bool Fail() {
    error_ = true;
    return false;
  }

  const char* p_ = nullptr;
  const char* end_ = nullptr;
  int64_t base_ = 0;
  uint32_t prev_column_ = UINT32_MAX;
  bool error_ = false;
};

inline bool FragmentReader::Init(std::string_view in) {
  p_ = in.data();
  end_ = p_ + in.size();
  error_ = false;
  prev_column_ = UINT32_MAX;
  if (p_ >= end_) return Fail();
  auto flags = static_cast<uint8_t>(*p_++);
  uint64_t u;
  if (!ReadVarint(p_, end_, &u)) return Fail();
  base_ = static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
  has_marker = flags & 1;
  has_tombstone = flags & 2;
  marker_ttl = 0;
  marker_expires = 0;
  if (has_marker) {
    if (!Delta(&marker_ts)) return Fail();
    if (flags & 4) {
      if (!ReadVarint(p_, end_, &u)) return Fail();
      marker_ttl = static_cast<int32_t>(u);
      if (!ReadVarint(p_, end_, &u)) return Fail();
      marker_expires = static_cast<int64_t>(u);
    }
  }
  if (has_tombstone) {
    if (!Delta(&tombstone_ts) || !ReadVarint(p_, end_, &u)) return Fail();
    tombstone_ldt = static_cast<int64_t>(u);
  }
  return true;
}

template <typename F>
inline void FragmentReader::ConsumePlain(F&& f) {
  const char* p = p_;
  const char* const end = end_;
  uint32_t column = prev_column_;
  while (end - p >= 2 && static_cast<uint8_t>(p[0]) == (kCellBaseTs | kCellNextColumn)) {
    const auto n = static_cast<uint8_t>(p[1]);
    if (n & 0x80 || end - p - 2 < n || !f(column + 1, std::string_view(p + 2, n))) break;
    ++column;
    p += 2 + n;
  }
  p_ = p;
  prev_column_ = column;
}

inline void FragmentReader::ConsumeViews(const uint8_t* shape, uint32_t num_columns,
                                         std::string_view* slots) {
  const char* p = p_;
  const char* const end = end_;
  uint32_t column = prev_column_;
  while (end - p >= 2 && static_cast<uint8_t>(p[0]) == (kCellBaseTs | kCellNextColumn)) {
    const uint32_t next = column + 1;
    if (next >= num_columns) break;
    const uint8_t s = shape[next];
    if (s == 0) break;
    const auto n = static_cast<uint8_t>(p[1]);
    const uint8_t w = s & ~(kShapePlain | kShapeStore);
    if (w != 0) {
      if (n != w || end - p - 2 < w) break;
      if (s & kShapeStore) slots[next] = std::string_view(p + 2, w);
      p += 2 + w;
    } else {
      if (n & 0x80 || end - p - 2 < n) break;
      if (s & kShapeStore) slots[next] = std::string_view(p + 2, n);
      p += 2 + n;
    }
    column = next;
  }
  p_ = p;
  prev_column_ = column;
}

inline bool FragmentReader::Next(Cell* c) {
  if (p_ >= end_) return false;
  uint64_t u;
  const auto f = static_cast<uint8_t>(*p_++);
  if (f & kCellNextColumn) {
    c->column = prev_column_ + 1;
  } else if (f & kCellSameColumn) {
    c->column = prev_column_;
  } else {
    if (!ReadVarint(p_, end_, &u)) return Fail();
    c->column = static_cast<uint32_t>(u);
  }
  prev_column_ = c->column;
  c->flags = f & kCellStoredBits;
  if (c->flags & kCellElement) {
    if (!ReadVarint(p_, end_, &u) || static_cast<uint64_t>(end_ - p_) < u) return Fail();
    c->key = std::string_view(p_, u);
    p_ += u;
  } else {
    c->key = {};
  }
  if (f & kCellBaseTs) {
    c->ts = base_;
  } else if (!Delta(&c->ts)) {
    return Fail();
  }
  c->ttl = 0;
  c->ldt = 0;
  c->value = {};
  if (c->flags & (kCellTombstone | kCellCollectionTombstone)) {
    if (!ReadVarint(p_, end_, &u)) return Fail();
    c->ldt = static_cast<int64_t>(u);
    return true;
  }
  if (c->flags & kCellTtl) {
    if (!ReadVarint(p_, end_, &u)) return Fail();
    c->ttl = static_cast<int32_t>(u);
    if (!ReadVarint(p_, end_, &u)) return Fail();
    c->ldt = static_cast<int64_t>(u);
  }
  if (!ReadVarint(p_, end_, &u) || static_cast<uint64_t>(end_ - p_) < u) return Fail();
  c->value = std::string_view(p_, u);
  p_ += u;
  return true;
}

// Parses in and merges its marker/tombstone into *f (LWW) and appends its cells.
bool ParseFragment(std::string_view in, Fragment* f);
// Sorts and reconciles f's cells (last write wins) and drops shadowed data.
void Normalize(Fragment* f);
// Serializes f (cells must be normalized) to *out (appends).
void SerializeFragment(const Fragment& f, std::string* out);
// Merges fragments into one serialized fragment.
bool MergeFragments(const std::vector<std::string_view>& inputs, std::string* out);

// Varint helpers shared with the store.
void PutVarint(uint64_t v, std::string* out);
bool GetVarint(std::string_view* in, uint64_t* v);

}  // namespace helenus::storage::internal

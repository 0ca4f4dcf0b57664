#include "fragment.h"

#include <algorithm>

namespace helenus::storage::internal {
namespace {

inline uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

// Deltas use wrapping arithmetic so any client timestamp round-trips.
inline void PutDelta(int64_t ts, int64_t base, std::string* out) {
  PutVarint(ZigZag(static_cast<int64_t>(static_cast<uint64_t>(ts) - static_cast<uint64_t>(base))),
            out);
}

// Cassandra's Cells.reconcile: newer timestamp; on a tie a tombstone beats a
// live cell, then the greater value, then the expiring / later-expiring cell.
bool Supersedes(const Cell& a, const Cell& b) {
  if (a.ts != b.ts) return a.ts > b.ts;
  bool at = a.IsTombstone();
  bool bt = b.IsTombstone();
  if (at != bt) return at;
  if (at) return a.ldt > b.ldt;
  int c = a.value.compare(b.value);
  if (c != 0) return c > 0;
  bool ae = a.ldt != 0;
  bool be = b.ldt != 0;
  if (ae != be) return ae;
  return a.ldt > b.ldt;
}

// Sort key: column, then the collection tombstone before the elements, then element key.
bool CellLess(const Cell& a, const Cell& b) {
  if (a.column != b.column) return a.column < b.column;
  bool ac = a.flags & kCellCollectionTombstone;
  bool bc = b.flags & kCellCollectionTombstone;
  if (ac != bc) return ac;
  return a.key < b.key;
}

bool SameSlot(const Cell& a, const Cell& b) {
  return a.column == b.column &&
         (a.flags & kCellCollectionTombstone) == (b.flags & kCellCollectionTombstone) &&
         a.key == b.key;
}

}  // namespace

void PutVarint(uint64_t v, std::string* out) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out->append(buf, n);
}

bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t r = 0;
  int shift = 0;
  size_t i = 0;
  while (i < in->size() && shift <= 63) {
    auto b = static_cast<uint8_t>((*in)[i++]);
    r |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) {
      in->remove_prefix(i);
      *v = r;
      return true;
    }
    shift += 7;
  }
  return false;
}

bool ParseFragment(std::string_view in, Fragment* f) {
  FragmentReader r;
  if (!r.Init(in)) return false;
  if (r.has_marker) {
    // LivenessInfo.supersedes: newer, then expiring, then later expiry.
    int64_t ts = r.marker_ts;
    int64_t expires = r.marker_expires;
    bool take =
        !f->has_marker || ts > f->marker_ts ||
        (ts == f->marker_ts &&
         ((expires != 0) != (f->marker_expires != 0) ? expires != 0 : expires > f->marker_expires));
    if (take) {
      f->has_marker = true;
      f->marker_ts = ts;
      f->marker_ttl = r.marker_ttl;
      f->marker_expires = expires;
    }
  }
  if (r.has_tombstone) {
    if (!f->has_tombstone || r.tombstone_ts > f->tombstone_ts ||
        (r.tombstone_ts == f->tombstone_ts && r.tombstone_ldt > f->tombstone_ldt)) {
      f->has_tombstone = true;
      f->tombstone_ts = r.tombstone_ts;
      f->tombstone_ldt = r.tombstone_ldt;
    }
  }
  Cell c;
  while (r.Next(&c)) f->cells.push_back(c);
  return !r.error();
}

void Normalize(Fragment* f) {
  auto& cells = f->cells;
  if (f->has_tombstone && f->has_marker && f->marker_ts <= f->tombstone_ts) f->has_marker = false;
  if (!std::is_sorted(cells.begin(), cells.end(), CellLess)) {
    std::stable_sort(cells.begin(), cells.end(), CellLess);
  }
  size_t w = 0;
  uint32_t ctomb_column = UINT32_MAX;
  int64_t ctomb_ts = 0;
  for (size_t r = 0; r < cells.size();) {
    // Reconcile every version of one slot into the winner.
    size_t best = r;
    size_t e = r + 1;
    while (e < cells.size() && SameSlot(cells[e], cells[r])) {
      if (Supersedes(cells[e], cells[best])) best = e;
      ++e;
    }
    const Cell& c = cells[best];
    r = e;
    if (f->has_tombstone && c.ts <= f->tombstone_ts) continue;
    if (c.flags & kCellCollectionTombstone) {
      ctomb_column = c.column;
      ctomb_ts = c.ts;
    } else if ((c.flags & kCellElement) && c.column == ctomb_column && c.ts <= ctomb_ts) {
      continue;
    }
    cells[w++] = c;
  }
  cells.resize(w);
}

void SerializeFragment(const Fragment& f, std::string* out) {
  int64_t base = f.has_marker      ? f.marker_ts
                 : f.has_tombstone ? f.tombstone_ts
                 : f.cells.empty() ? 0
                                   : f.cells[0].ts;
  uint8_t flags = (f.has_marker ? 1 : 0) | (f.has_tombstone ? 2 : 0) |
                  (f.has_marker && f.marker_ttl > 0 ? 4 : 0);
  out->push_back(static_cast<char>(flags));
  PutVarint(ZigZag(base), out);
  if (f.has_marker) {
    PutDelta(f.marker_ts, base, out);
    if (flags & 4) {
      PutVarint(static_cast<uint64_t>(f.marker_ttl), out);
      PutVarint(static_cast<uint64_t>(f.marker_expires), out);
    }
  }
  if (f.has_tombstone) {
    PutDelta(f.tombstone_ts, base, out);
    PutVarint(static_cast<uint64_t>(f.tombstone_ldt), out);
  }
  uint32_t prev = UINT32_MAX;
  for (const Cell& c : f.cells) {
    uint8_t cf = c.flags & kCellStoredBits & static_cast<uint8_t>(~kCellTtl);
    if (!c.IsTombstone() && c.ttl > 0) cf |= kCellTtl;
    const uint8_t stored = cf;
    if (c.ts == base) cf |= kCellBaseTs;
    if (c.column == prev + 1) {
      cf |= kCellNextColumn;
    } else if (c.column == prev) {
      cf |= kCellSameColumn;
    }
    out->push_back(static_cast<char>(cf));
    if (!(cf & (kCellNextColumn | kCellSameColumn))) PutVarint(c.column, out);
    prev = c.column;
    if (stored & kCellElement) {
      PutVarint(c.key.size(), out);
      out->append(c.key);
    }
    if (!(cf & kCellBaseTs)) PutDelta(c.ts, base, out);
    if (c.IsTombstone()) {
      PutVarint(static_cast<uint64_t>(c.ldt), out);
    } else {
      if (stored & kCellTtl) {
        PutVarint(static_cast<uint64_t>(c.ttl), out);
        PutVarint(static_cast<uint64_t>(c.ldt), out);
      }
      PutVarint(c.value.size(), out);
      out->append(c.value);
    }
  }
}

bool MergeFragments(const std::vector<std::string_view>& inputs, std::string* out) {
  Fragment f;
  for (auto in : inputs) {
    if (!ParseFragment(in, &f)) return false;
  }
  Normalize(&f);
  SerializeFragment(f, out);
  return true;
}

}  // namespace helenus::storage::internal

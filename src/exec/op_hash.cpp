#include "op_hash.h"

#include <algorithm>
#include <stdexcept>

namespace helenus::exec::ops {

namespace {

inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint64_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

inline uint64_t Mum(uint64_t a, uint64_t b) {
  unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

constexpr uint64_t kP0 = 0xa0761d6478bd642fULL;
constexpr uint64_t kP1 = 0xe7037ed1a0b428dbULL;

[[noreturn]] void Corrupt() {
  throw std::runtime_error("corrupt spill record");
}

template <typename Fn>
void ForEachHash(const Column& c, size_t n, Fn&& fn) {
  bool nulls = !c.valid.empty();
  switch (c.physical()) {
    case Physical::kInt64:
      for (size_t i = 0; i < n; ++i) fn(i, nulls && !c.valid[i] ? kNullHash : HashInt64(c.ints[i]));
      break;
    case Physical::kDouble:
      for (size_t i = 0; i < n; ++i) {
        fn(i, nulls && !c.valid[i] ? kNullHash : HashInt64(NormalizedBits(c.doubles[i])));
      }
      break;
    case Physical::kString:
      for (size_t i = 0; i < n; ++i)
        fn(i, nulls && !c.valid[i] ? kNullHash : HashBytes(c.strings[i]));
      break;
  }
}

}  // namespace

uint64_t HashBytes(const char* data, size_t n) {
  const auto* p = reinterpret_cast<const uint8_t*>(data);
  uint64_t seed = kP0 ^ Mum(n ^ kP1, kP0);
  uint64_t a = 0;
  uint64_t b = 0;
  if (n <= 16) {
    if (n >= 4) {
      size_t mid = (n >> 3) << 2;
      a = (Load32(p) << 32) | Load32(p + mid);
      b = (Load32(p + n - 4) << 32) | Load32(p + n - 4 - mid);
    } else if (n > 0) {
      a = (uint64_t{p[0]} << 16) | (uint64_t{p[n >> 1]} << 8) | p[n - 1];
    }
  } else {
    size_t i = n;
    while (i > 16) {
      seed = Mum(Load64(p) ^ kP1, Load64(p + 8) ^ seed);
      p += 16;
      i -= 16;
    }
    // The last 16 bytes, overlapping what the loop consumed when i < 16.
    a = Load64(p + i - 16);
    b = Load64(p + i - 8);
  }
  return Mum(kP1 ^ n, Mum(a ^ kP1, b ^ seed));
}

uint64_t HashAt(const Column& c, size_t i) {
  if (c.IsNull(i)) return kNullHash;
  switch (c.physical()) {
    case Physical::kInt64:
      return HashInt64(c.ints[i]);
    case Physical::kDouble:
      return HashInt64(NormalizedBits(c.doubles[i]));
    case Physical::kString:
      return HashBytes(c.strings[i]);
  }
  return 0;
}

void HashColumns(const std::vector<const Column*>& columns, size_t n, uint64_t seed,
                 std::vector<uint64_t>* out) {
  out->resize(n);
  uint64_t* h = out->data();
  if (columns.empty()) {
    std::fill(h, h + n, seed);
    return;
  }
  // Unseeded, the first column's value hashes are used as they are: one
  // mixing step per row for the common single-key case.
  if (seed == 0) {
    ForEachHash(*columns[0], n, [h](size_t i, uint64_t v) { h[i] = v; });
  } else {
    ForEachHash(*columns[0], n, [h, seed](size_t i, uint64_t v) { h[i] = CombineHash(seed, v); });
  }
  for (size_t c = 1; c < columns.size(); ++c) {
    ForEachHash(*columns[c], n, [h](size_t i, uint64_t v) { h[i] = CombineHash(h[i], v); });
  }
}

void EncodeValue(const Column& c, size_t i, bool normalize, std::string* out) {
  if (c.IsNull(i)) {
    out->push_back('\0');
    return;
  }
  out->push_back('\1');
  switch (c.physical()) {
    case Physical::kInt64:
      PutU64(out, static_cast<uint64_t>(c.ints[i]));
      break;
    case Physical::kDouble:
      PutU64(out, static_cast<uint64_t>(normalize ? NormalizedBits(c.doubles[i])
                                                  : std::bit_cast<int64_t>(c.doubles[i])));
      break;
    case Physical::kString:
      PutU32(out, static_cast<uint32_t>(c.strings[i].size()));
      out->append(c.strings[i]);
      break;
  }
}

void DecodeValue(std::string_view* in, Column* out) {
  std::string_view tag = GetBytes(in, 1);
  if (tag[0] == '\0') {
    out->AppendNull();
    return;
  }
  switch (out->physical()) {
    case Physical::kInt64:
      out->AppendInt(static_cast<int64_t>(GetU64(in)));
      break;
    case Physical::kDouble:
      out->AppendDouble(std::bit_cast<double>(GetU64(in)));
      break;
    case Physical::kString: {
      uint32_t len = GetU32(in);
      out->AppendString(GetBytes(in, len));
      break;
    }
  }
}

void EncodeRow(const Batch& b, size_t i, std::string* out) {
  for (const Column& c : b.columns) EncodeValue(c, i, false, out);
}

void DecodeRow(std::string_view* in, Batch* b) {
  for (Column& c : b->columns) DecodeValue(in, &c);
  ++b->num_rows;
}

uint32_t GetU32(std::string_view* in) {
  uint32_t v;
  std::memcpy(&v, GetBytes(in, sizeof v).data(), sizeof v);
  return v;
}

uint64_t GetU64(std::string_view* in) {
  uint64_t v;
  std::memcpy(&v, GetBytes(in, sizeof v).data(), sizeof v);
  return v;
}

std::string_view GetBytes(std::string_view* in, size_t n) {
  if (in->size() < n) Corrupt();
  std::string_view out = in->substr(0, n);
  in->remove_prefix(n);
  return out;
}

KeyMode ChooseKeyMode(const std::vector<DataType>& key_types) {
  if (key_types.empty()) return KeyMode::kNone;
  if (key_types.size() > 1) return KeyMode::kGeneral;
  switch (PhysicalOf(key_types[0])) {
    case Physical::kInt64:
      return KeyMode::kInt64;
    case Physical::kDouble:
      return KeyMode::kDouble;
    case Physical::kString:
      return KeyMode::kString;
  }
  return KeyMode::kGeneral;
}

GroupKeyTable::GroupKeyTable(KeyMode mode, bool copy_strings)
    : mode_(mode), copy_strings_(copy_strings || mode == KeyMode::kGeneral) {}

void GroupKeyTable::Reserve(size_t n) {
  size_t capacity = std::max<size_t>(16, std::bit_ceil(2 * n));
  if (capacity > slots_.size()) Rehash(capacity);
  hashes_.reserve(n);
  if (mode_ == KeyMode::kInt64 || mode_ == KeyMode::kDouble) {
    ints_.reserve(n);
  } else if (mode_ != KeyMode::kNone) {
    views_.reserve(n);
  }
}

void GroupKeyTable::Rehash(size_t capacity) {
  slots_.assign(capacity, Slot{0, kNoId});
  mask_ = capacity - 1;
  bool ints = mode_ == KeyMode::kInt64 || mode_ == KeyMode::kDouble;
  for (uint32_t id = 0; id < hashes_.size(); ++id) {
    if (id == null_id_) continue;
    size_t pos = hashes_[id] & mask_;
    while (slots_[pos].id != kNoId) pos = (pos + 1) & mask_;
    slots_[pos].tag = ints ? static_cast<uint64_t>(ints_[id]) : hashes_[id];
    slots_[pos].id = id;
  }
}

std::string_view GroupKeyTable::Store(std::string_view key) {
  if (key.empty()) return {};
  if (key.size() > arena_left_) {
    // Blocks grow with the table so that small tables stay small.
    size_t block = std::max(key.size(), std::clamp<size_t>(arena_bytes_, 4096, 1 << 20));
    arena_.push_back(std::make_unique<char[]>(block));
    arena_pos_ = arena_.back().get();
    arena_left_ = block;
    arena_bytes_ += block;
  }
  std::memcpy(arena_pos_, key.data(), key.size());
  std::string_view stored(arena_pos_, key.size());
  arena_pos_ += key.size();
  arena_left_ -= key.size();
  return stored;
}

uint32_t GroupKeyTable::NewNullId(uint64_t hash) {
  null_id_ = static_cast<uint32_t>(hashes_.size());
  hashes_.push_back(hash);
  if (mode_ == KeyMode::kInt64 || mode_ == KeyMode::kDouble) {
    ints_.push_back(0);
  } else if (mode_ == KeyMode::kString) {
    views_.push_back({});
  }
  return null_id_;
}

uint32_t GroupKeyTable::FindOrInsertNull(uint64_t hash) {
  return null_id_ != kNoId ? null_id_ : NewNullId(hash);
}

void GroupKeyTable::MapRows(const std::vector<const Column*>& keys, const uint64_t* hashes,
                            size_t n, uint32_t* ids, std::string* scratch) {
  switch (mode_) {
    case KeyMode::kNone: {
      uint32_t id = FindOrInsertNull(0);
      std::fill(ids, ids + n, id);
      return;
    }
    case KeyMode::kInt64: {
      const Column& c = *keys[0];
      if (c.valid.empty()) {
        for (size_t i = 0; i < n; ++i) ids[i] = FindOrInsertInt(c.ints[i], hashes[i]);
      } else {
        for (size_t i = 0; i < n; ++i) {
          ids[i] = c.valid[i] ? FindOrInsertInt(c.ints[i], hashes[i]) : FindOrInsertNull(hashes[i]);
        }
      }
      return;
    }
    case KeyMode::kDouble: {
      const Column& c = *keys[0];
      for (size_t i = 0; i < n; ++i) {
        ids[i] = c.IsNull(i) ? FindOrInsertNull(hashes[i])
                             : FindOrInsertInt(NormalizedBits(c.doubles[i]), hashes[i]);
      }
      return;
    }
    case KeyMode::kString: {
      const Column& c = *keys[0];
      for (size_t i = 0; i < n; ++i) {
        ids[i] =
            c.IsNull(i) ? FindOrInsertNull(hashes[i]) : FindOrInsertBytes(c.strings[i], hashes[i]);
      }
      return;
    }
    case KeyMode::kGeneral:
      for (size_t i = 0; i < n; ++i) {
        scratch->clear();
        for (const Column* c : keys) EncodeValue(*c, i, true, scratch);
        ids[i] = FindOrInsertBytes(*scratch, hashes[i]);
      }
      return;
  }
}

void GroupKeyTable::InsertFrom(const GroupKeyTable& src, const uint32_t* ids, size_t n,
                               uint32_t* out) {
  for (size_t i = 0; i < n; ++i) {
    uint32_t id = ids[i];
    uint64_t h = src.hashes_[id];
    if (id == src.null_id_) {
      out[i] = FindOrInsertNull(h);
    } else if (mode_ == KeyMode::kInt64 || mode_ == KeyMode::kDouble) {
      out[i] = FindOrInsertInt(src.ints_[id], h);
    } else {
      out[i] = FindOrInsertBytes(src.views_[id], h);
    }
  }
}

void GroupKeyTable::EncodeKey(uint32_t id, std::string* out) const {
  switch (mode_) {
    case KeyMode::kNone:
      return;
    case KeyMode::kInt64:
    case KeyMode::kDouble:
      if (id == null_id_) {
        out->push_back('\0');
      } else {
        out->push_back('\1');
        PutU64(out, static_cast<uint64_t>(ints_[id]));
      }
      return;
    case KeyMode::kString:
      if (id == null_id_) {
        out->push_back('\0');
      } else {
        out->push_back('\1');
        PutU32(out, static_cast<uint32_t>(views_[id].size()));
        out->append(views_[id]);
      }
      return;
    case KeyMode::kGeneral:
      out->append(views_[id]);
      return;
  }
}

uint32_t GroupKeyTable::FindOrInsertEncoded(std::string_view key, uint64_t hash) {
  switch (mode_) {
    case KeyMode::kNone:
      return FindOrInsertNull(hash);
    case KeyMode::kInt64:
    case KeyMode::kDouble: {
      std::string_view in = key;
      if (GetBytes(&in, 1)[0] == '\0') return FindOrInsertNull(hash);
      return FindOrInsertInt(static_cast<int64_t>(GetU64(&in)), hash);
    }
    case KeyMode::kString: {
      std::string_view in = key;
      if (GetBytes(&in, 1)[0] == '\0') return FindOrInsertNull(hash);
      uint32_t len = GetU32(&in);
      return FindOrInsertBytes(GetBytes(&in, len), hash);
    }
    case KeyMode::kGeneral:
      return FindOrInsertBytes(key, hash);
  }
  return kNoId;
}

void GroupKeyTable::AppendKeys(uint32_t begin, uint32_t end, std::vector<Column>* columns) const {
  switch (mode_) {
    case KeyMode::kNone:
      return;
    case KeyMode::kInt64:
    case KeyMode::kDouble: {
      Column& c = (*columns)[0];
      c.Reserve(end - begin);
      for (uint32_t id = begin; id < end; ++id) {
        if (id == null_id_) {
          c.AppendNull();
        } else if (mode_ == KeyMode::kInt64) {
          c.AppendInt(ints_[id]);
        } else {
          c.AppendDouble(std::bit_cast<double>(ints_[id]));
        }
      }
      return;
    }
    case KeyMode::kString: {
      Column& c = (*columns)[0];
      c.Reserve(end - begin);
      for (uint32_t id = begin; id < end; ++id) {
        if (id == null_id_) {
          c.AppendNull();
        } else {
          c.AppendString(views_[id]);
        }
      }
      return;
    }
    case KeyMode::kGeneral:
      for (uint32_t id = begin; id < end; ++id) {
        std::string_view in = views_[id];
        for (Column& c : *columns) DecodeValue(&in, &c);
      }
      return;
  }
}

size_t GroupKeyTable::MemoryBytes() const {
  return slots_.capacity() * sizeof(Slot) + hashes_.capacity() * sizeof(uint64_t) +
         ints_.capacity() * sizeof(int64_t) + views_.capacity() * sizeof(std::string_view) +
         arena_bytes_;
}

}  // namespace helenus::exec::ops

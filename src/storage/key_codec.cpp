#include "helenus/storage/key_codec.h"

#include <algorithm>
#include <cstring>

#include "helenus/common/murmur3.h"

namespace helenus::storage {
namespace {

constexpr uint64_t kSignBit = 0x8000000000000000ULL;

// Element markers inside frozen collections and tuples: the 0x00 terminator
// sorts below every marker so a shorter collection sorts first.
constexpr uint8_t kElemEnd = 0x00;
constexpr uint8_t kElemNull = 0x01;
constexpr uint8_t kElemEmpty = 0x02;
constexpr uint8_t kElemValue = 0x03;

void PutU32(uint32_t v, std::string* out) {
  char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
               static_cast<char>(v)};
  out->append(b, 4);
}

void PutU64(uint64_t v, std::string* out) {
  char b[8];
  for (int i = 7; i >= 0; --i, v >>= 8) b[i] = static_cast<char>(v & 0xFF);
  out->append(b, 8);
}

uint64_t LoadBe(const char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// Reads bytes of an encoding that may be inverted (DESC components).
struct In {
  std::string_view* s;
  uint8_t mask;

  bool Byte(uint8_t* b) {
    if (s->empty()) return false;
    *b = static_cast<uint8_t>(s->front()) ^ mask;
    s->remove_prefix(1);
    return true;
  }
  bool Peek(uint8_t* b) const {
    if (s->empty()) return false;
    *b = static_cast<uint8_t>(s->front()) ^ mask;
    return true;
  }
  bool Take(size_t n, std::string* out) {
    if (s->size() < n) return false;
    size_t at = out->size();
    out->append(s->data(), n);
    if (mask) {
      for (size_t i = at; i < out->size(); ++i) (*out)[i] = static_cast<char>((*out)[i] ^ mask);
    }
    s->remove_prefix(n);
    return true;
  }
  bool Escaped(std::string* out) {
    for (;;) {
      uint8_t b;
      if (!Byte(&b)) return false;
      if (b != 0) {
        out->push_back(static_cast<char>(b));
        continue;
      }
      uint8_t n;
      if (!Byte(&n)) return false;
      if (n == 0x01) return true;
      if (n != 0xFF) return false;
      out->push_back('\0');
    }
  }
};

int FixedSignedWidth(TypeKind k) {
  switch (k) {
    case TypeKind::kInt:
      return 4;
    case TypeKind::kBigint:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
    case TypeKind::kCounter:
      return 8;
    case TypeKind::kSmallint:
      return 2;
    case TypeKind::kTinyint:
      return 1;
    default:
      return 0;
  }
}

// Cassandra's TimeUUIDType.reorderTimestampBytes: time_hi|time_mid|time_low.
uint64_t Reorder(uint64_t msb) {
  return (msb << 48) | ((msb << 16) & 0xFFFF00000000ULL) | (msb >> 32);
}
uint64_t Unreorder(uint64_t r) {
  return (r << 32) | ((r >> 16) & 0xFFFF0000ULL) | (r >> 48);
}

// Minimal two's complement form: Cassandra compares varints by value, so
// redundant sign bytes must not change the key.
std::string_view MinimalVarint(std::string_view v) {
  size_t i = 0;
  while (i + 1 < v.size()) {
    auto b = static_cast<uint8_t>(v[i]);
    auto n = static_cast<uint8_t>(v[i + 1]);
    if ((b == 0x00 && !(n & 0x80)) || (b == 0xFF && (n & 0x80))) {
      ++i;
    } else {
      break;
    }
  }
  return v.substr(i);
}

// Decimal digits of a big-endian two's complement integer's magnitude.
std::string VarintDigits(std::string_view v, bool* negative) {
  std::vector<uint8_t> mag(v.begin(), v.end());
  *negative = !mag.empty() && (mag[0] & 0x80);
  if (*negative) {
    // Two's complement negation: invert, add one.
    for (auto& b : mag) b = static_cast<uint8_t>(~b);
    for (size_t i = mag.size(); i-- > 0;) {
      if (++mag[i] != 0) break;
    }
  }
  std::string digits;
  size_t start = 0;
  while (start < mag.size() && mag[start] == 0) ++start;
  while (start < mag.size()) {
    uint32_t rem = 0;
    for (size_t i = start; i < mag.size(); ++i) {
      uint32_t cur = (rem << 8) | mag[i];
      mag[i] = static_cast<uint8_t>(cur / 10);
      rem = cur % 10;
    }
    digits.push_back(static_cast<char>('0' + rem));
    while (start < mag.size() && mag[start] == 0) ++start;
  }
  if (digits.empty()) digits = "0";
  std::reverse(digits.begin(), digits.end());
  return digits;
}

// Reads [int32 length][bytes] items of a serialized collection or tuple.
struct CqlItems {
  std::string_view s;
  bool Int(int32_t* v) {
    if (s.size() < 4) return false;
    *v = static_cast<int32_t>(LoadBe(s.data(), 4));
    s.remove_prefix(4);
    return true;
  }
  // null item => *is_null
  bool Item(std::string_view* item, bool* is_null) {
    int32_t len;
    if (!Int(&len)) return false;
    *is_null = len < 0;
    if (len < 0) return true;
    if (s.size() < static_cast<size_t>(len)) return false;
    *item = s.substr(0, len);
    s.remove_prefix(len);
    return true;
  }
};

void PutCqlInt(int32_t v, std::string* out) {
  PutU32(static_cast<uint32_t>(v), out);
}

Status AppendElem(const DataType& type, std::string_view item, bool is_null, std::string* out) {
  if (is_null) {
    out->push_back(static_cast<char>(kElemNull));
    return Status::Ok();
  }
  if (item.empty()) {
    out->push_back(static_cast<char>(kElemEmpty));
    return Status::Ok();
  }
  out->push_back(static_cast<char>(kElemValue));
  return AppendComparable(type, item, out);
}

// Reads one element; appends it to *out as [int len][bytes] (-1 for null).
bool ReadElem(const DataType& type, In* in, std::string* out) {
  uint8_t m;
  if (!in->Byte(&m)) return false;
  if (m == kElemNull) {
    PutCqlInt(-1, out);
    return true;
  }
  if (m == kElemEmpty) {
    PutCqlInt(0, out);
    return true;
  }
  if (m != kElemValue) return false;
  size_t at = out->size();
  PutCqlInt(0, out);
  Bytes v;
  if (!ReadComparable(type, in->s, &v, in->mask)) return false;
  uint32_t n = static_cast<uint32_t>(v.size());
  (*out)[at] = static_cast<char>(n >> 24);
  (*out)[at + 1] = static_cast<char>(n >> 16);
  (*out)[at + 2] = static_cast<char>(n >> 8);
  (*out)[at + 3] = static_cast<char>(n);
  out->append(v);
  return true;
}

Status BadValue(const DataType& type) {
  return Status::InvalidArgument("invalid value for clustering/element type " + type.ToCql());
}

}  // namespace

void AppendTablePrefix(uint32_t table_id, std::string* out) {
  PutU32(table_id, out);
}

void AppendToken(int64_t token, std::string* out) {
  PutU64(static_cast<uint64_t>(token) ^ kSignBit, out);
}

void AppendEscaped(std::string_view bytes, std::string* out) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  while (p < end) {
    const void* z = std::memchr(p, 0, end - p);
    if (!z) {
      out->append(p, end - p);
      break;
    }
    const char* zp = static_cast<const char*>(z);
    out->append(p, zp - p);
    out->push_back('\0');
    out->push_back('\xFF');
    p = zp + 1;
  }
  out->push_back('\0');
  out->push_back('\x01');
}

bool ReadEscaped(std::string_view* in, std::string* out) {
  for (;;) {
    const void* z = std::memchr(in->data(), 0, in->size());
    if (!z) return false;
    size_t n = static_cast<const char*>(z) - in->data();
    out->append(in->data(), n);
    if (n + 1 >= in->size()) return false;
    char next = (*in)[n + 1];
    in->remove_prefix(n + 2);
    if (next == '\x01') return true;
    if (next != '\xFF') return false;
    out->push_back('\0');
  }
}

std::string PartitionPrefix(uint32_t table_id, int64_t token, std::string_view partition_key) {
  std::string out;
  out.reserve(14 + partition_key.size());
  AppendTablePrefix(table_id, &out);
  AppendToken(token, &out);
  AppendEscaped(partition_key, &out);
  return out;
}

std::string PartitionPrefix(uint32_t table_id, std::string_view partition_key) {
  return PartitionPrefix(table_id, Murmur3Token(partition_key), partition_key);
}

Status AppendComparable(const DataType& type, std::string_view v, std::string* out) {
  if (int w = FixedSignedWidth(type.kind)) {
    if (v.size() != static_cast<size_t>(w)) return BadValue(type);
    out->push_back(static_cast<char>(v[0] ^ 0x80));
    out->append(v.data() + 1, w - 1);
    return Status::Ok();
  }
  switch (type.kind) {
    case TypeKind::kDate:
      if (v.size() != 4) return BadValue(type);
      out->append(v);
      return Status::Ok();
    case TypeKind::kBoolean:
      if (v.size() != 1) return BadValue(type);
      out->append(v);
      return Status::Ok();
    case TypeKind::kFloat:
    case TypeKind::kDouble: {
      size_t w = type.kind == TypeKind::kFloat ? 4 : 8;
      if (v.size() != w) return BadValue(type);
      // IEEE total order: negatives flip every bit, positives only the sign.
      bool neg = static_cast<uint8_t>(v[0]) & 0x80;
      for (size_t i = 0; i < w; ++i) {
        uint8_t b = static_cast<uint8_t>(v[i]);
        b = neg ? static_cast<uint8_t>(~b) : (i == 0 ? b ^ 0x80 : b);
        out->push_back(static_cast<char>(b));
      }
      return Status::Ok();
    }
    case TypeKind::kUuid: {
      if (v.size() != 16) return BadValue(type);
      uint64_t msb = LoadBe(v.data(), 8);
      uint64_t version = (msb >> 12) & 0xF;
      out->push_back(static_cast<char>(version));
      PutU64(version == 1 ? Reorder(msb) : msb, out);
      out->append(v.data() + 8, 8);
      return Status::Ok();
    }
    case TypeKind::kTimeuuid: {
      if (v.size() != 16) return BadValue(type);
      // TimeUUIDType: signed compare of the reordered msb, then signed bytes of the lsb.
      PutU64(Reorder(LoadBe(v.data(), 8)) ^ kSignBit, out);
      PutU64(LoadBe(v.data() + 8, 8) ^ 0x8080808080808080ULL, out);
      return Status::Ok();
    }
    case TypeKind::kVarint: {
      std::string_view m = MinimalVarint(v);
      bool neg = static_cast<uint8_t>(m[0]) & 0x80;
      out->push_back(neg ? '\x7F' : '\x80');
      uint32_t len = static_cast<uint32_t>(m.size());
      PutU32(neg ? ~len : len, out);
      out->append(m);
      return Status::Ok();
    }
    case TypeKind::kDecimal: {
      if (v.size() < 5) return BadValue(type);
      auto scale = static_cast<int32_t>(LoadBe(v.data(), 4));
      bool neg = false;
      std::string digits = VarintDigits(v.substr(4), &neg);
      if (digits == "0") {
        out->push_back('\x80');
      } else {
        // value = 0.D x 10^e with D stripped of trailing zeros: compare e, then D.
        int64_t e = static_cast<int64_t>(digits.size()) - scale;
        while (digits.back() == '0') digits.pop_back();
        uint64_t ecode = static_cast<uint64_t>(e) ^ kSignBit;
        out->push_back(neg ? '\x40' : '\xC0');
        PutU64(neg ? ~ecode : ecode, out);
        for (char d : digits) {
          auto c = static_cast<uint8_t>(d - '0' + 1);
          out->push_back(static_cast<char>(neg ? 0xFF - c : c));
        }
        out->push_back(neg ? '\xFF' : '\0');
      }
      // The order prefix loses the scale: keep the exact bytes after it.
      AppendEscaped(v, out);
      return Status::Ok();
    }
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap: {
      if (type.params.empty() || (type.kind == TypeKind::kMap && type.params.size() < 2)) {
        return BadValue(type);
      }
      CqlItems items{v};
      int32_t n;
      if (!items.Int(&n) || n < 0) return BadValue(type);
      std::vector<std::string> encoded;
      // n comes from the value: every element takes at least 4 bytes of it.
      encoded.reserve(std::min<size_t>(static_cast<size_t>(n), items.s.size() / 4));
      for (int32_t i = 0; i < n; ++i) {
        std::string e;
        std::string_view item;
        bool is_null;
        if (!items.Item(&item, &is_null)) return BadValue(type);
        if (auto s = AppendElem(type.params[0], item, is_null, &e); !s.ok()) return s;
        if (type.kind == TypeKind::kMap) {
          if (!items.Item(&item, &is_null)) return BadValue(type);
          if (auto s = AppendElem(type.params[1], item, is_null, &e); !s.ok()) return s;
        }
        encoded.push_back(std::move(e));
      }
      if (!items.s.empty()) return BadValue(type);
      if (type.kind != TypeKind::kList) {
        // Sets and maps are sorted by element (key); Cassandra normalizes them too.
        std::sort(encoded.begin(), encoded.end());
        encoded.erase(std::unique(encoded.begin(), encoded.end()), encoded.end());
      }
      for (const auto& e : encoded) out->append(e);
      out->push_back(static_cast<char>(kElemEnd));
      return Status::Ok();
    }
    case TypeKind::kTuple:
    case TypeKind::kUdt: {
      CqlItems items{v};
      size_t i = 0;
      while (!items.s.empty()) {
        if (i >= type.params.size()) return BadValue(type);
        std::string_view item;
        bool is_null;
        if (!items.Item(&item, &is_null)) return BadValue(type);
        if (auto s = AppendElem(type.params[i], item, is_null, out); !s.ok()) return s;
        ++i;
      }
      out->push_back(static_cast<char>(kElemEnd));
      return Status::Ok();
    }
    default:
      // text, ascii, blob, inet, duration, custom: unsigned byte order.
      AppendEscaped(v, out);
      return Status::Ok();
  }
}

bool ReadComparable(const DataType& type, std::string_view* s, Bytes* out, uint8_t mask) {
  In in{s, mask};
  if (int w = FixedSignedWidth(type.kind)) {
    size_t at = out->size();
    if (!in.Take(w, out)) return false;
    (*out)[at] = static_cast<char>((*out)[at] ^ 0x80);
    return true;
  }
  switch (type.kind) {
    case TypeKind::kDate:
      return in.Take(4, out);
    case TypeKind::kBoolean:
      return in.Take(1, out);
    case TypeKind::kFloat:
    case TypeKind::kDouble: {
      size_t w = type.kind == TypeKind::kFloat ? 4 : 8;
      size_t at = out->size();
      if (!in.Take(w, out)) return false;
      // Encoded sign bit set = originally non-negative.
      bool was_pos = static_cast<uint8_t>((*out)[at]) & 0x80;
      for (size_t i = 0; i < w; ++i) {
        auto b = static_cast<uint8_t>((*out)[at + i]);
        b = was_pos ? (i == 0 ? b ^ 0x80 : b) : static_cast<uint8_t>(~b);
        (*out)[at + i] = static_cast<char>(b);
      }
      return true;
    }
    case TypeKind::kUuid: {
      std::string raw;
      if (!in.Take(17, &raw)) return false;
      uint64_t version = static_cast<uint8_t>(raw[0]);
      uint64_t msb = LoadBe(raw.data() + 1, 8);
      PutU64(version == 1 ? Unreorder(msb) : msb, out);
      out->append(raw.data() + 9, 8);
      return true;
    }
    case TypeKind::kTimeuuid: {
      std::string raw;
      if (!in.Take(16, &raw)) return false;
      PutU64(Unreorder(LoadBe(raw.data(), 8) ^ kSignBit), out);
      PutU64(LoadBe(raw.data() + 8, 8) ^ 0x8080808080808080ULL, out);
      return true;
    }
    case TypeKind::kVarint: {
      uint8_t sign;
      std::string lenb;
      if (!in.Byte(&sign) || !in.Take(4, &lenb)) return false;
      auto len = static_cast<uint32_t>(LoadBe(lenb.data(), 4));
      if (sign == 0x7F) len = ~len;
      return in.Take(len, out);
    }
    case TypeKind::kDecimal: {
      uint8_t sign;
      if (!in.Byte(&sign)) return false;
      if (sign != 0x80) {
        std::string skip;
        if (!in.Take(8, &skip)) return false;
        uint8_t term = sign == 0x40 ? 0xFF : 0x00;
        for (;;) {
          uint8_t b;
          if (!in.Byte(&b)) return false;
          if (b == term) break;
        }
      }
      return in.Escaped(out);
    }
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap: {
      if (type.params.empty() || (type.kind == TypeKind::kMap && type.params.size() < 2)) {
        return false;
      }
      size_t at = out->size();
      PutCqlInt(0, out);
      int32_t n = 0;
      for (;;) {
        uint8_t m;
        if (!in.Peek(&m)) return false;
        if (m == kElemEnd) {
          in.Byte(&m);
          break;
        }
        if (!ReadElem(type.params[0], &in, out)) return false;
        if (type.kind == TypeKind::kMap && !ReadElem(type.params[1], &in, out)) return false;
        ++n;
      }
      auto un = static_cast<uint32_t>(n);
      (*out)[at] = static_cast<char>(un >> 24);
      (*out)[at + 1] = static_cast<char>(un >> 16);
      (*out)[at + 2] = static_cast<char>(un >> 8);
      (*out)[at + 3] = static_cast<char>(un);
      return true;
    }
    case TypeKind::kTuple:
    case TypeKind::kUdt: {
      for (size_t i = 0;; ++i) {
        uint8_t m;
        if (!in.Peek(&m)) return false;
        if (m == kElemEnd) {
          in.Byte(&m);
          return true;
        }
        if (i >= type.params.size() || !ReadElem(type.params[i], &in, out)) return false;
      }
    }
    default:
      if (mask == 0) return ReadEscaped(s, out);
      return in.Escaped(out);
  }
}

Status AppendClusteringComponent(const DataType& type, bool desc, std::string_view value,
                                 std::string* out) {
  if (value.empty()) {
    out->push_back(static_cast<char>(desc ? kMarkerEmptyDesc : kMarkerEmptyAsc));
    return Status::Ok();
  }
  out->push_back(static_cast<char>(kMarkerValue));
  size_t at = out->size();
  if (auto s = AppendComparable(type, value, out); !s.ok()) return s;
  if (desc) {
    for (size_t i = at; i < out->size(); ++i) (*out)[i] = static_cast<char>(~(*out)[i]);
  }
  return Status::Ok();
}

bool ReadClusteringComponent(const DataType& type, bool desc, std::string_view* in, Bytes* out) {
  out->clear();
  if (in->empty()) return false;
  auto m = static_cast<uint8_t>(in->front());
  in->remove_prefix(1);
  if (m == kMarkerEmptyAsc || m == kMarkerEmptyDesc) return true;
  if (m != kMarkerValue) return false;
  return ReadComparable(type, in, out, desc ? 0xFF : 0x00);
}

Status AppendClusteringPrefix(const std::vector<DataType>& types, const std::vector<bool>& desc,
                              const std::vector<Bytes>& prefix, std::string* out) {
  if (prefix.size() > types.size()) {
    return Status::InvalidArgument("too many clustering components");
  }
  for (size_t i = 0; i < prefix.size(); ++i) {
    bool d = i < desc.size() && desc[i];
    if (auto s = AppendClusteringComponent(types[i], d, prefix[i], out); !s.ok()) return s;
  }
  return Status::Ok();
}

bool DecodeClustering(const std::vector<DataType>& types, const std::vector<bool>& desc,
                      std::string_view in, std::vector<Bytes>* out) {
  out->resize(types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    bool d = i < desc.size() && desc[i];
    if (!ReadClusteringComponent(types[i], d, &in, &(*out)[i])) return false;
  }
  return in.empty();
}

Status EncodeClusteringBound(const std::vector<DataType>& types, const std::vector<bool>& desc,
                             const std::vector<Bytes>& prefix, BoundKind kind, std::string* out) {
  if (prefix.empty()) {
    // Unbounded: a start before every row, an end after every row.
    if (kind == BoundKind::kEndInclusive || kind == BoundKind::kEndExclusive) {
      out->push_back(static_cast<char>(kMarkerAfterPrefix));
    }
    return Status::Ok();
  }
  if (auto s = AppendClusteringPrefix(types, desc, prefix, out); !s.ok()) return s;
  if (kind == BoundKind::kStartExclusive || kind == BoundKind::kEndInclusive) {
    out->push_back(static_cast<char>(kMarkerAfterPrefix));
  }
  return Status::Ok();
}

bool DecodeKey(std::string_view key, DecodedKey* out) {
  if (key.size() < 12) return false;
  out->table_id = static_cast<uint32_t>(LoadBe(key.data(), 4));
  out->token = static_cast<int64_t>(LoadBe(key.data() + 4, 8) ^ kSignBit);
  key.remove_prefix(12);
  out->partition_key.clear();
  if (!ReadEscaped(&key, &out->partition_key) || key.empty()) return false;
  out->kind = static_cast<KeyKind>(key[0]);
  out->suffix = key.substr(1);
  return true;
}

Status RowKey(uint32_t table_id, std::string_view partition_key,
              const std::vector<DataType>& clustering_types, const std::vector<bool>& desc,
              const std::vector<Bytes>& clustering, std::string* out) {
  if (clustering.size() != clustering_types.size()) {
    return Status::InvalidArgument("row key needs every clustering column");
  }
  *out = PartitionPrefix(table_id, partition_key);
  out->push_back(static_cast<char>(KeyKind::kRow));
  return AppendClusteringPrefix(clustering_types, desc, clustering, out);
}

}  // namespace helenus::storage

#include "helenus/storage/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "helenus/common/murmur3.h"

namespace helenus::storage {
namespace {

template <typename T>
Bytes Be(T v) {
  using U = std::make_unsigned_t<T>;
  auto u = static_cast<U>(v);
  Bytes b(sizeof(T), '\0');
  for (int i = sizeof(T) - 1; i >= 0; --i, u >>= 8) b[i] = static_cast<char>(u & 0xFF);
  return b;
}

Bytes FloatBytes(double d, bool as_float) {
  if (as_float) {
    float f = static_cast<float>(d);
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return Be(u);
  }
  uint64_t u;
  std::memcpy(&u, &d, 8);
  return Be(u);
}

// Minimal two's complement big-endian, as Java's BigInteger.toByteArray.
Bytes Varint(int64_t v) {
  Bytes b = Be(v);
  size_t i = 0;
  while (i + 1 < b.size() &&
         ((b[i] == 0 && !(b[i + 1] & 0x80)) || (b[i] == '\xFF' && (b[i + 1] & 0x80)))) {
    ++i;
  }
  return b.substr(i);
}

Bytes Decimal(int64_t unscaled, int32_t scale) {
  return Be(scale) + Varint(unscaled);
}

std::string Enc(const DataType& t, const Bytes& v, bool desc = false) {
  std::string out;
  EXPECT_TRUE(AppendClusteringComponent(t, desc, v, &out).ok());
  std::string_view in = out;
  Bytes back;
  EXPECT_TRUE(ReadClusteringComponent(t, desc, &in, &back));
  EXPECT_TRUE(in.empty());
  if (t.kind != TypeKind::kVarint) {
    EXPECT_EQ(back, v);
  }
  return out;
}

// Checks that memcmp order of encodings equals less(), for ASC and DESC.
template <typename V, typename Less, typename ToBytes>
void CheckOrder(const DataType& t, std::vector<V> values, Less less, ToBytes to_bytes) {
  for (size_t i = 0; i < values.size(); ++i) {
    for (size_t j = 0; j < values.size(); ++j) {
      const V& a = values[i];
      const V& b = values[j];
      std::string ea = Enc(t, to_bytes(a));
      std::string eb = Enc(t, to_bytes(b));
      int expect = less(a, b) ? -1 : less(b, a) ? 1 : 0;
      int got = ea < eb ? -1 : eb < ea ? 1 : 0;
      ASSERT_EQ(got, expect) << "i=" << i << " j=" << j;
      std::string da = Enc(t, to_bytes(a), true);
      std::string db = Enc(t, to_bytes(b), true);
      int got_desc = da < db ? -1 : db < da ? 1 : 0;
      ASSERT_EQ(got_desc, -expect) << "desc i=" << i << " j=" << j;
    }
  }
}

std::mt19937_64 rng(42);

TEST(KeyCodecTest, IntegersOrderAndRoundTrip) {
  std::vector<int64_t> v = {0, 1, -1, INT32_MAX, INT32_MIN, 255, -256};
  for (int i = 0; i < 40; ++i) v.push_back(static_cast<int32_t>(rng()));
  CheckOrder(DataType::Of(TypeKind::kInt), v, std::less<>(),
             [](int64_t x) { return Be(static_cast<int32_t>(x)); });
  std::vector<int64_t> w = {0, 1, -1, INT64_MAX, INT64_MIN};
  for (int i = 0; i < 40; ++i) w.push_back(static_cast<int64_t>(rng()));
  CheckOrder(DataType::Of(TypeKind::kBigint), w, std::less<>(), [](int64_t x) { return Be(x); });
  CheckOrder(DataType::Of(TypeKind::kTimestamp), w, std::less<>(), [](int64_t x) { return Be(x); });
  std::vector<int64_t> s = {0, 1, -1, 32767, -32768, 100, -100};
  CheckOrder(DataType::Of(TypeKind::kSmallint), s, std::less<>(),
             [](int64_t x) { return Be(static_cast<int16_t>(x)); });
  std::vector<int64_t> t = {0, 1, -1, 127, -128};
  CheckOrder(DataType::Of(TypeKind::kTinyint), t, std::less<>(),
             [](int64_t x) { return Be(static_cast<int8_t>(x)); });
}

TEST(KeyCodecTest, FloatingPointTotalOrder) {
  std::vector<double> v = {0.0, -0.0, 1.5, -1.5, 1e300, -1e300, INFINITY, -INFINITY, 1e-300};
  std::uniform_real_distribution<double> d(-1e6, 1e6);
  for (int i = 0; i < 30; ++i) v.push_back(d(rng));
  // Java's Double.compare: -0.0 < 0.0.
  auto less = [](double a, double b) {
    if (a == b) return std::signbit(a) && !std::signbit(b);
    return a < b;
  };
  CheckOrder(DataType::Of(TypeKind::kDouble), v, less,
             [](double x) { return FloatBytes(x, false); });
  std::vector<double> f;
  for (double x : v) f.push_back(static_cast<double>(static_cast<float>(x)));
  CheckOrder(DataType::Of(TypeKind::kFloat), f, less, [](double x) { return FloatBytes(x, true); });
}

TEST(KeyCodecTest, TextIsUnsignedByteOrderWithZeros) {
  std::vector<std::string> v = {"",
                                "a",
                                "ab",
                                std::string("a\0", 2),
                                std::string("a\0b", 3),
                                "\xff",
                                "b",
                                std::string("\0", 1),
                                std::string("\0\0", 2)};
  for (int i = 0; i < 20; ++i) {
    std::string s(rng() % 6, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 3);  // lots of 0x00 and 0x01
    v.push_back(s);
  }
  auto less = [](const std::string& a, const std::string& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return static_cast<uint8_t>(x) < static_cast<uint8_t>(y);
    });
  };
  CheckOrder(DataType::Of(TypeKind::kText), v, less, [](const std::string& s) { return s; });
  CheckOrder(DataType::Of(TypeKind::kBlob), v, less, [](const std::string& s) { return s; });
}

TEST(KeyCodecTest, VarintByValue) {
  std::vector<int64_t> v = {0, 1, -1, 127, 128, -128, -129, 255, 256, -32768, INT64_MAX, INT64_MIN};
  for (int i = 0; i < 30; ++i) v.push_back(static_cast<int64_t>(rng()) >> (rng() % 60));
  CheckOrder(DataType::Of(TypeKind::kVarint), v, std::less<>(), Varint);
  // A redundant sign byte is the same number, so the same key.
  std::string a = Enc(DataType::Of(TypeKind::kVarint), Bytes("\x00\x05", 2));
  std::string b = Enc(DataType::Of(TypeKind::kVarint), Bytes("\x05", 1));
  EXPECT_EQ(a, b);
}

TEST(KeyCodecTest, DecimalByValue) {
  struct D {
    int64_t unscaled;
    int32_t scale;
  };
  std::vector<D> v = {{0, 0},       {1, 0},  {-1, 0}, {15, 1},  {-15, 1}, {123456, 3},
                      {-123456, 3}, {1, -3}, {99, 5}, {-99, 5}, {101, 2}};
  for (int i = 0; i < 25; ++i) {
    v.push_back({static_cast<int64_t>(rng() % 2000000) - 1000000, static_cast<int32_t>(rng() % 7)});
  }
  // Exact comparison: a / 10^sa vs b / 10^sb, scales within [-3, 6].
  auto scaled = [](const D& d) {
    __int128 x = d.unscaled;
    for (int i = d.scale; i < 9; ++i) x *= 10;
    return x;
  };
  auto less = [&](const D& a, const D& b) {
    __int128 x = scaled(a), y = scaled(b);
    if (x != y) return x < y;
    return false;
  };
  // Equal values with different scales must still order consistently; skip them.
  std::vector<D> distinct;
  for (const auto& d : v) {
    bool dup = false;
    for (const auto& e : distinct) dup |= scaled(e) == scaled(d);
    if (!dup) distinct.push_back(d);
  }
  CheckOrder(DataType::Of(TypeKind::kDecimal), distinct, less,
             [](const D& d) { return Decimal(d.unscaled, d.scale); });
}

Bytes Uuid(uint64_t msb, uint64_t lsb) {
  return Be(msb) + Be(lsb);
}

TEST(KeyCodecTest, TimeuuidOrdersByTimestamp) {
  // v1: time_low | time_mid | version 1 + time_hi.
  auto v1 = [](uint64_t t, uint64_t lsb) {
    uint64_t msb =
        ((t & 0xFFFFFFFFULL) << 32) | (((t >> 32) & 0xFFFF) << 16) | 0x1000 | ((t >> 48) & 0x0FFF);
    return Uuid(msb, lsb);
  };
  std::vector<std::pair<uint64_t, uint64_t>> v;
  for (int i = 0; i < 30; ++i) v.push_back({rng() & 0x0FFFFFFFFFFFFFFFULL, rng()});
  v.push_back({5, 0});
  v.push_back({5, 0x8000000000000000ULL});
  // TimeUUIDType: timestamp, then the lsb as signed bytes.
  auto less = [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    for (int i = 7; i >= 0; --i) {
      auto x = static_cast<int8_t>(a.second >> (8 * i));
      auto y = static_cast<int8_t>(b.second >> (8 * i));
      if (x != y) return x < y;
    }
    return false;
  };
  CheckOrder(DataType::Of(TypeKind::kTimeuuid), v, less,
             [&](const auto& p) { return v1(p.first, p.second); });
  // UUIDType: version first, v1 by timestamp, then the lsb unsigned.
  auto uless = [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second < b.second;
  };
  CheckOrder(DataType::Of(TypeKind::kUuid), v, uless,
             [&](const auto& p) { return v1(p.first, p.second); });
  // A v4 uuid sorts after any v1.
  std::string e1 = Enc(DataType::Of(TypeKind::kUuid), v1(0xFFFFFFFFFFFFFFFULL, 0));
  std::string e4 = Enc(DataType::Of(TypeKind::kUuid), Uuid(0x4000, 0));
  EXPECT_LT(e1, e4);
}

TEST(KeyCodecTest, FrozenCollectionsAndTuples) {
  auto list_int = DataType::List(DataType::Of(TypeKind::kInt), true);
  auto ser = [](std::vector<int32_t> xs) {
    Bytes b = Be(static_cast<int32_t>(xs.size()));
    for (int32_t x : xs) b += Be(int32_t{4}) + Be(x);
    return b;
  };
  std::vector<std::vector<int32_t>> v = {{}, {1}, {1, 2}, {1, 3}, {2}, {-1, 5}, {1, 2, 3}};
  CheckOrder(list_int, v, std::less<>(), ser);
  // Sets are normalized to element order.
  auto set_int = DataType::Set(DataType::Of(TypeKind::kInt), true);
  std::string out;
  ASSERT_TRUE(AppendClusteringComponent(set_int, false, ser({3, 1, 2}), &out).ok());
  std::string_view in = out;
  Bytes back;
  ASSERT_TRUE(ReadClusteringComponent(set_int, false, &in, &back));
  EXPECT_EQ(back, ser({1, 2, 3}));

  auto tuple = DataType::Tuple({DataType::Of(TypeKind::kInt), DataType::Of(TypeKind::kText)});
  Bytes t1 = Be(int32_t{4}) + Be(int32_t{7}) + Be(int32_t{2}) + "hi";
  Bytes t2 = Be(int32_t{4}) + Be(int32_t{7}) + Be(int32_t{-1});  // null text
  Bytes t3 = Be(int32_t{4}) + Be(int32_t{7});                    // short tuple
  std::string e1 = Enc(tuple, t1), e2 = Enc(tuple, t2), e3 = Enc(tuple, t3);
  EXPECT_LT(e3, e2);
  EXPECT_LT(e2, e1);

  auto map_t = DataType::Map(DataType::Of(TypeKind::kText), DataType::Of(TypeKind::kInt), true);
  Bytes m = Be(int32_t{2}) + Be(int32_t{1}) + "b" + Be(int32_t{4}) + Be(int32_t{2}) +
            Be(int32_t{1}) + "a" + Be(int32_t{4}) + Be(int32_t{1});
  out.clear();
  ASSERT_TRUE(AppendClusteringComponent(map_t, true, m, &out).ok());
  in = out;
  ASSERT_TRUE(ReadClusteringComponent(map_t, true, &in, &back));
  Bytes sorted = Be(int32_t{2}) + Be(int32_t{1}) + "a" + Be(int32_t{4}) + Be(int32_t{1}) +
                 Be(int32_t{1}) + "b" + Be(int32_t{4}) + Be(int32_t{2});
  EXPECT_EQ(back, sorted);
}

TEST(KeyCodecTest, EmptyValuesSortFirstAscLastDesc) {
  auto t = DataType::Of(TypeKind::kInt);
  EXPECT_LT(Enc(t, ""), Enc(t, Be(INT32_MIN)));
  EXPECT_GT(Enc(t, "", true), Enc(t, Be(INT32_MIN), true));
}

TEST(KeyCodecTest, PrefixesAndBounds) {
  std::vector<DataType> types = {DataType::Of(TypeKind::kInt), DataType::Of(TypeKind::kText)};
  for (bool desc2 : {false, true}) {
    std::vector<bool> desc = {false, desc2};
    auto row = [&](int32_t a, std::string b) {
      std::string out;
      EXPECT_TRUE(AppendClusteringPrefix(types, desc, {Be(a), b}, &out).ok());
      return out;
    };
    auto bound = [&](std::vector<Bytes> p, BoundKind k) {
      std::string out;
      EXPECT_TRUE(EncodeClusteringBound(types, desc, p, k, &out).ok());
      return out;
    };
    std::string r1a = row(1, "a"), r1b = row(1, "b"), r1 = row(1, ""), r2 = row(2, "");
    std::string r0 = row(0, "zzz");
    for (const auto& r : {r1a, r1b, r1}) {
      EXPECT_LE(bound({Be(1)}, BoundKind::kStartInclusive), r);
      EXPECT_LT(r, bound({Be(1)}, BoundKind::kEndInclusive));
      EXPECT_LT(r, bound({Be(1)}, BoundKind::kStartExclusive));
      EXPECT_GE(r, bound({Be(1)}, BoundKind::kEndExclusive));
    }
    EXPECT_LT(r0, bound({Be(1)}, BoundKind::kStartInclusive));
    EXPECT_GE(r2, bound({Be(1)}, BoundKind::kStartExclusive));
    EXPECT_GE(r2, bound({Be(1)}, BoundKind::kEndInclusive));
    // Full-key bounds.
    EXPECT_EQ(bound({Be(1), "a"}, BoundKind::kStartInclusive), r1a);
    EXPECT_LT(r1a, bound({Be(1), "a"}, BoundKind::kStartExclusive));
    EXPECT_LT(bound({Be(1), "a"}, BoundKind::kStartExclusive), desc2 ? r1 : r1b);
    // Unbounded.
    EXPECT_LE(bound({}, BoundKind::kStartInclusive), r0);
    EXPECT_LT(r2, bound({}, BoundKind::kEndExclusive));
    // DESC second column: within a=1, "b" sorts before "a".
    EXPECT_EQ(r1a < r1b, !desc2);
    std::vector<Bytes> back;
    ASSERT_TRUE(DecodeClustering(types, desc, r1b, &back));
    EXPECT_EQ(back, (std::vector<Bytes>{Be(1), "b"}));
  }
}

TEST(KeyCodecTest, DataKeysOrderByTokenThenKey) {
  std::vector<Bytes> keys;
  for (int32_t i = 0; i < 200; ++i) keys.push_back(Be(i));
  keys.push_back(Bytes("\0", 1));
  keys.push_back(Bytes("\0\0", 2));
  std::vector<std::string> encoded;
  for (const auto& k : keys) encoded.push_back(PartitionPrefix(7, k));
  std::vector<size_t> by_enc(keys.size()), by_token(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) by_enc[i] = by_token[i] = i;
  std::sort(by_enc.begin(), by_enc.end(),
            [&](size_t a, size_t b) { return encoded[a] < encoded[b]; });
  std::sort(by_token.begin(), by_token.end(), [&](size_t a, size_t b) {
    int64_t ta = Murmur3Token(keys[a]), tb = Murmur3Token(keys[b]);
    if (ta != tb) return ta < tb;
    return keys[a] < keys[b];
  });
  EXPECT_EQ(by_enc, by_token);

  std::vector<DataType> types = {DataType::Of(TypeKind::kInt)};
  std::string key;
  ASSERT_TRUE(RowKey(7, Bytes("k\0y", 3), types, {true}, {Be(-5)}, &key).ok());
  DecodedKey dk;
  ASSERT_TRUE(DecodeKey(key, &dk));
  EXPECT_EQ(dk.table_id, 7u);
  EXPECT_EQ(dk.partition_key, Bytes("k\0y", 3));
  EXPECT_EQ(dk.token, Murmur3Token(Bytes("k\0y", 3)));
  EXPECT_EQ(dk.kind, KeyKind::kRow);
  std::vector<Bytes> ck;
  ASSERT_TRUE(DecodeClustering(types, {true}, dk.suffix, &ck));
  EXPECT_EQ(ck, std::vector<Bytes>{Be(-5)});
}

}  // namespace
}  // namespace helenus::storage

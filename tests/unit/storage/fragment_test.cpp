#include "storage/fragment.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace helenus::storage::internal {
namespace {

Cell Live(uint32_t col, int64_t ts, std::string_view v, int32_t ttl = 0, int64_t exp = 0) {
  Cell c;
  c.column = col;
  c.ts = ts;
  c.value = v;
  c.ttl = ttl;
  c.ldt = exp;
  c.flags = ttl ? kCellTtl : 0;
  return c;
}

std::string Serialize(Fragment f) {
  Normalize(&f);
  std::string out;
  SerializeFragment(f, &out);
  return out;
}

TEST(FragmentTest, RoundTripsEveryField) {
  Fragment f;
  f.has_marker = true;
  f.marker_ts = 1700000000000000;
  f.marker_ttl = 60;
  f.marker_expires = 1234;
  f.has_tombstone = true;
  f.tombstone_ts = 1600000000000000;
  f.tombstone_ldt = 99;
  f.cells.push_back(Live(0, f.marker_ts, "abcd"));
  f.cells.push_back(Live(1, f.marker_ts + 5, "x", 10, 2000));
  Cell t;
  t.column = 7;
  t.flags = kCellTombstone;
  t.ts = f.marker_ts - 1;
  t.ldt = 5;
  f.cells.push_back(t);
  Cell e = Live(9, -3, "v");
  e.flags |= kCellElement;
  e.key = "k1";
  f.cells.push_back(e);
  std::string bytes = Serialize(f);
  Fragment g;
  ASSERT_TRUE(ParseFragment(bytes, &g));
  EXPECT_TRUE(g.has_marker);
  EXPECT_EQ(g.marker_ts, f.marker_ts);
  EXPECT_EQ(g.marker_ttl, 60);
  EXPECT_EQ(g.marker_expires, 1234);
  EXPECT_EQ(g.tombstone_ts, f.tombstone_ts);
  EXPECT_EQ(g.tombstone_ldt, 99);
  ASSERT_EQ(g.cells.size(), 3u);  // the element at ts -3 is under the row tombstone
  EXPECT_EQ(g.cells[0].value, "abcd");
  EXPECT_EQ(g.cells[1].ttl, 10);
  EXPECT_EQ(g.cells[1].ldt, 2000);
  EXPECT_EQ(g.cells[1].ts, f.marker_ts + 5);
  EXPECT_TRUE(g.cells[2].IsTombstone());
  EXPECT_EQ(g.cells[2].column, 7u);
  EXPECT_FALSE(ParseFragment(bytes.substr(0, bytes.size() - 1), &g));
}

TEST(FragmentTest, MergeIsLastWriteWinsInAnyOrder) {
  Fragment a, b, c;
  a.cells.push_back(Live(1, 10, "new"));
  b.cells.push_back(Live(1, 5, "old"));
  b.cells.push_back(Live(2, 5, "keep"));
  Cell tomb;
  tomb.column = 2;
  tomb.flags = kCellTombstone;
  tomb.ts = 5;  // ties with "keep": the tombstone wins
  c.cells.push_back(tomb);
  std::string sa = Serialize(a), sb = Serialize(b), sc = Serialize(c);
  for (auto order : {std::vector<std::string_view>{sa, sb, sc}, {sc, sb, sa}, {sb, sc, sa}}) {
    std::string merged;
    ASSERT_TRUE(MergeFragments(order, &merged));
    Fragment m;
    ASSERT_TRUE(ParseFragment(merged, &m));
    ASSERT_EQ(m.cells.size(), 2u);
    EXPECT_EQ(m.cells[0].value, "new");
    EXPECT_TRUE(m.cells[1].IsTombstone());
  }
}

TEST(FragmentTest, CollectionTombstoneShadowsOlderElements) {
  Fragment f;
  Cell ct;
  ct.column = 3;
  ct.flags = kCellCollectionTombstone;
  ct.ts = 9;
  Cell old = Live(3, 8, "");
  old.flags |= kCellElement;
  old.key = "a";
  Cell fresh = Live(3, 10, "");
  fresh.flags |= kCellElement;
  fresh.key = "b";
  f.cells = {fresh, old, ct};
  Normalize(&f);
  ASSERT_EQ(f.cells.size(), 2u);
  EXPECT_TRUE(f.cells[0].flags & kCellCollectionTombstone);
  EXPECT_EQ(f.cells[1].key, "b");
}

// ConsumePlain is a fast path of Next: reading a fragment with it (falling
// back to Next) must yield exactly the cells Next alone yields,
// on random fragments that mix plain cells with every other shape.
TEST(FragmentTest, ConsumePlainMatchesNextOnRandomFragments) {
  std::mt19937 rng(12345);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  size_t plain = 0;  // cells the fast path took, over all rounds
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::string> values;
    values.reserve(64);  // cells point into it
    Fragment f;
    const int64_t base = 1700000000000000 + pick(1000);
    f.has_marker = pick(2) == 0;
    f.marker_ts = base;
    if (pick(4) == 0) {
      f.has_tombstone = true;
      f.tombstone_ts = base - 1 - pick(5);
      f.tombstone_ldt = 99;
    }
    uint32_t col = static_cast<uint32_t>(pick(3));
    for (int n = pick(20); n > 0; --n) {
      col += static_cast<uint32_t>(pick(3) == 0 ? 2 : 1);
      values.emplace_back(static_cast<size_t>(pick(3) == 0 ? pick(300) : 4),
                          static_cast<char>('a' + pick(26)));
      Cell c;
      c.column = col;
      c.ts = pick(3) == 0 ? base + pick(7) - 3 : base;
      switch (pick(5)) {
        case 0:
          c.flags = kCellTombstone;
          c.ldt = 7;
          break;
        case 1:
          c.flags = kCellTtl;
          c.ttl = 10;
          c.ldt = 2000;
          c.value = values.back();
          break;
        case 2:
          c.flags = kCellElement;
          c.key = values.back();
          c.value = values.back();
          break;
        default:
          c.value = values.back();
      }
      f.cells.push_back(c);
    }
    const std::string bytes = Serialize(f);
    std::vector<std::tuple<uint32_t, uint8_t, std::string, int64_t, int32_t, int64_t, std::string>>
        slow, fast;
    FragmentReader a;
    ASSERT_TRUE(a.Init(bytes));
    Cell c;
    while (a.Next(&c)) {
      slow.emplace_back(c.column, c.flags, c.key, c.ts, c.ttl, c.ldt, c.value);
    }
    ASSERT_FALSE(a.error());
    FragmentReader b;
    ASSERT_TRUE(b.Init(bytes));
    auto take_all = [&](uint32_t column, std::string_view value) {
      ++plain;
      fast.emplace_back(column, 0, "", b.base_ts(), 0, 0, value);
      return true;
    };
    for (;;) {
      b.ConsumePlain(take_all);
      if (!b.Next(&c)) break;
      fast.emplace_back(c.column, c.flags, c.key, c.ts, c.ttl, c.ldt, c.value);
    }
    ASSERT_FALSE(b.error());
    ASSERT_EQ(fast, slow) << "round " << round;
    // ConsumePlain, declining odd columns (those then come through Next).
    fast.clear();
    FragmentReader d;
    ASSERT_TRUE(d.Init(bytes));
    auto take = [&](uint32_t column, std::string_view value) {
      if (column % 2) return false;
      fast.emplace_back(column, 0, "", d.base_ts(), 0, 0, value);
      return true;
    };
    for (;;) {
      d.ConsumePlain(take);
      if (!d.Next(&c)) break;
      fast.emplace_back(c.column, c.flags, c.key, c.ts, c.ttl, c.ldt, c.value);
    }
    ASSERT_FALSE(d.error());
    ASSERT_EQ(fast, slow) << "round " << round;
  }
  EXPECT_GT(plain, 1000u);
}

}  // namespace
}  // namespace helenus::storage::internal

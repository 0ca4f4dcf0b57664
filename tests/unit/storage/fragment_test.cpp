#include "storage/fragment.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace helenus::storage::internal

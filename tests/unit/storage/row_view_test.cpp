// RowReader::NextView must return exactly what RowReader::Next returns.

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "helenus/storage/store.h"
#include "storage/fragment.h"

namespace helenus::storage {
namespace {

Bytes I32(int32_t v) {
  auto u = static_cast<uint32_t>(v);
  return Bytes{static_cast<char>(u >> 24), static_cast<char>(u >> 16), static_cast<char>(u >> 8),
               static_cast<char>(u)};
}

// A RowView copied out, comparable with a RowRead.
struct Copied {
  Bytes partition_key;
  int64_t token = 0;
  std::vector<Bytes> clustering;
  bool static_only = false;
  bool new_partition = false;
  std::vector<Value> regular;
  std::vector<Value> statics;
  bool operator==(const Copied&) const = default;
};

Copied FromRead(const RowRead& r, const std::vector<uint32_t>& ids) {
  Copied c{r.partition_key, r.token, r.clustering, r.static_only, r.new_partition, {}, {}};
  for (uint32_t id : ids) {
    c.regular.push_back(id < r.regular.size() && r.regular[id] ? r.regular[id]->value : Value());
    c.statics.push_back(id < r.statics.size() && r.statics[id] ? r.statics[id]->value : Value());
  }
  return c;
}

Copied FromView(const RowView& v, const std::vector<uint32_t>& ids) {
  Copied c{Bytes(v.partition_key), v.token, *v.clustering, v.static_only, v.new_partition, {}, {}};
  for (uint32_t id : ids) {
    Value r;
    if (id < v.regular.size() && v.regular[id].data()) r = Bytes(v.regular[id]);
    c.regular.push_back(r);
    const auto& s = *v.statics;
    c.statics.push_back(id < s.size() && s[id] ? s[id]->value : Value());
  }
  return c;
}

class RowViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/helenus-row-view-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    StoreOptions o;
    o.sync_each_write = false;
    auto s = Store::Open(dir_, o);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    // pk int, ck int; v int (1), w text (2), s int static (3), st set<int> (4), ls list<int> (5)
    layout_.table_id = 7;
    layout_.partition_key = {DataType::Of(TypeKind::kInt)};
    layout_.clustering = {DataType::Of(TypeKind::kInt)};
    layout_.clustering_desc = {false};
    layout_.columns = {{1, DataType::Of(TypeKind::kInt), false},
                       {2, DataType::Of(TypeKind::kText), false},
                       {3, DataType::Of(TypeKind::kInt), true},
                       {4, DataType::Set(DataType::Of(TypeKind::kInt)), false},
                       {5, DataType::List(DataType::Of(TypeKind::kInt)), false}};
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Random writes of every kind: inserts, updates, TTLs, cell, row, range and
  // partition deletions, statics and collections.
  void Populate(int seed) {
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int32_t>(rng() % n); };
    for (int i = 0; i < 600; ++i) {
      RowMutation m;
      m.partition_key = I32(pick(12));
      m.timestamp = 1000 + i;
      const int kind = pick(10);
      if (kind < 6) {
        m.clustering = {I32(pick(8))};
        m.row_marker = kind < 4;
        m.ttl = kind == 5 ? 50 : 0;
        m.cells.push_back({1, CellOp::Kind::kSet, I32(pick(100)), {}, {}});
        if (pick(2)) m.cells.push_back({2, CellOp::Kind::kSet, Bytes(pick(40), 'x'), {}, {}});
        if (pick(3) == 0) m.cells.push_back({4, CellOp::Kind::kSetAdd, {}, {I32(pick(5))}, {}});
        if (pick(3) == 0) {
          m.cells.push_back({5, CellOp::Kind::kListAppend, {}, {I32(pick(5)), I32(7)}, {}});
        }
        if (pick(4) == 0) m.cells.push_back({1, CellOp::Kind::kDelete, {}, {}, {}});
      } else if (kind == 6) {
        m.cells.push_back({3, CellOp::Kind::kSet, I32(pick(100)), {}, {}});
      } else if (kind == 7) {
        m.clustering = {I32(pick(8))};
        m.delete_row = true;
      } else if (kind == 8) {
        ClusteringRange r;
        r.start.prefix = {I32(pick(8))};
        r.end.prefix = {I32(pick(8))};
        m.delete_range = r;
      } else if (pick(4) == 0) {
        m.delete_partition = true;
      }
      auto s = store_->ApplyAt(layout_, {m}, 1000);
      ASSERT_TRUE(s.ok()) << s.message();
      if (i == 300) {
        ASSERT_TRUE(store_->CompactAll().ok());
      }
    }
  }

  void ExpectSame(const ReadSpec& spec, int64_t now) {
    const std::vector<uint32_t> ids = {1, 2, 3, 4, 5};
    std::vector<Copied> a, b;
    auto r1 = store_->Read(layout_, spec, now);
    RowRead row;
    while (r1->Next(&row)) a.push_back(FromRead(row, ids));
    ASSERT_TRUE(r1->status().ok());
    auto r2 = store_->Read(layout_, spec, now);
    RowView view;
    while (r2->NextView(&view)) b.push_back(FromView(view, ids));
    ASSERT_TRUE(r2->status().ok());
    EXPECT_EQ(a.size(), b.size());
    EXPECT_TRUE(a == b);
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  TableLayout layout_;
};

TEST_F(RowViewTest, ViewsMatchCopies) {
  Populate(1);
  for (int64_t now : {1000, 1100}) {
    for (bool reverse : {false, true}) {
      ReadSpec all;
      all.reverse = reverse;
      ExpectSame(all, now);
      ReadSpec some = all;
      some.columns = {2, 3, 5};
      ExpectSame(some, now);
      ReadSpec none = all;
      none.columns = {99};  // no materialized column: liveness only
      ExpectSame(none, now);
      ReadSpec sliced = all;
      ClusteringSlice s1, s2;
      s1.start.prefix = {I32(1)};
      s1.end.prefix = {I32(2)};
      s2.start.prefix = {I32(5)};
      s2.start.inclusive = false;
      sliced.slices = {s1, s2};
      ExpectSame(sliced, now);
      for (int32_t pk = 0; pk < 12; ++pk) {
        ReadSpec one = all;
        one.partition_key = I32(pk);
        ExpectSame(one, now);
      }
      ReadSpec range = all;
      range.start_token = -3000000000000000000;
      range.end_token = 4000000000000000000;
      ExpectSame(range, now);
    }
  }
}

TEST_F(RowViewTest, ViewsStayValidUntilTheNextCall) {
  Populate(2);
  ASSERT_TRUE(store_->CompactAll().ok());
  auto r1 = store_->Read(layout_, ReadSpec{}, 1000);
  auto r2 = store_->Read(layout_, ReadSpec{}, 1000);
  RowRead row;
  RowView view;
  size_t n = 0;
  while (r1->Next(&row)) {
    ASSERT_TRUE(r2->NextView(&view));
    // Interleaved reads on another reader must not disturb the view.
    auto other = store_->Read(layout_, ReadSpec{}, 1000);
    RowRead tmp;
    while (other->Next(&tmp)) {
    }
    EXPECT_EQ(FromView(view, {1, 2, 3, 4, 5}), FromRead(row, {1, 2, 3, 4, 5}));
    ++n;
  }
  EXPECT_FALSE(r2->NextView(&view));
  EXPECT_GT(n, 10u);
}

// ReadVarint's 8-byte path must agree with the byte loop for every length,
// with and without bytes after the varint.
TEST(VarintTest, EveryLengthRoundTrips) {
  std::mt19937_64 rng(99);
  for (int bits = 0; bits <= 64; ++bits) {
    for (int i = 0; i < 200; ++i) {
      uint64_t v = bits == 0 ? 0 : rng() >> (64 - bits);
      if (bits > 0) v |= uint64_t{1} << (bits - 1);
      std::string buf;
      internal::PutVarint(v, &buf);
      for (const std::string& tail : {std::string(), std::string(9, '\xff'), std::string("\x05")}) {
        const std::string in = buf + tail;
        const char* p = in.data();
        uint64_t out = 0;
        ASSERT_TRUE(internal::ReadVarint(p, in.data() + in.size(), &out));
        ASSERT_EQ(out, v) << "bits " << bits;
        ASSERT_EQ(p, in.data() + buf.size());
      }
    }
  }
}

// FragmentReader::ConsumeViews is a fast path of Next: taking the plain
// cells it accepts (falling back to Next) must see exactly the cells and
// values Next alone sees, whatever the shapes say.
TEST(ConsumeViewsTest, MatchesNextOnRandomFragments) {
  using namespace internal;
  std::mt19937 rng(777);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  size_t taken = 0;
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::string> values;
    values.reserve(64);  // cells point into it
    Fragment f;
    const int64_t base = 1700000000000000 + pick(1000);
    f.has_marker = true;
    f.marker_ts = base;
    uint32_t col = static_cast<uint32_t>(pick(3));
    for (int n = pick(20); n > 0; --n) {
      col += static_cast<uint32_t>(pick(4) == 0 ? 2 : 1);
      values.emplace_back(static_cast<size_t>(pick(3) == 0 ? pick(200) : 4),
                          static_cast<char>('a' + pick(26)));
      Cell c;
      c.column = col;
      c.ts = pick(5) == 0 ? base + 1 : base;
      c.value = values.back();
      if (pick(6) == 0) {
        c.flags = kCellTombstone;
        c.value = {};
        c.ldt = 7;
      }
      f.cells.push_back(c);
    }
    Normalize(&f);
    std::string bytes;
    SerializeFragment(f, &bytes);
    // Shapes for columns [0, 48): not taken, any length, or 4 bytes; stored or not.
    std::vector<uint8_t> shape(48);
    for (auto& s : shape) {
      const int k = pick(4);
      s = k == 0 ? 0 : kShapePlain | (k == 1 ? 0 : 4) | (pick(3) ? kShapeStore : 0);
    }
    std::vector<std::pair<uint32_t, std::string>> slow, fast;
    FragmentReader a;
    ASSERT_TRUE(a.Init(bytes));
    Cell c;
    while (a.Next(&c)) slow.emplace_back(c.column, std::string(c.value));
    FragmentReader b;
    ASSERT_TRUE(b.Init(bytes));
    std::vector<std::string_view> slots(64);
    for (;;) {
      const uint32_t first = b.column() + 1;
      std::fill(slots.begin(), slots.end(), std::string_view());
      b.ConsumeViews(shape.data(), static_cast<uint32_t>(shape.size()), slots.data());
      for (uint32_t id = first; id != b.column() + 1; ++id) {
        ASSERT_NE(shape[id], 0);
        // Taken cells are plain: live at the base timestamp.
        auto it = std::find_if(f.cells.begin(), f.cells.end(),
                               [&](const Cell& x) { return x.column == id; });
        ASSERT_NE(it, f.cells.end());
        EXPECT_EQ(it->ts, base);
        EXPECT_FALSE(it->IsTombstone());
        if (shape[id] & kShapeStore) {
          EXPECT_EQ(slots[id], it->value);
        } else {
          EXPECT_EQ(slots[id].data(), nullptr);
        }
        fast.emplace_back(id, std::string(it->value));
        ++taken;
      }
      if (!b.Next(&c)) break;
      fast.emplace_back(c.column, std::string(c.value));
    }
    ASSERT_FALSE(b.error());
    ASSERT_EQ(fast, slow) << "round " << round;
  }
  EXPECT_GT(taken, 2000u);
}

}  // namespace
}  // namespace helenus::storage

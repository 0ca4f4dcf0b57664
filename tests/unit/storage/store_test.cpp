#include "helenus/storage/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <thread>
#include <tuple>

#include "helenus/common/murmur3.h"

namespace helenus::storage {
namespace {

Bytes I32(int32_t v) {
  auto u = static_cast<uint32_t>(v);
  return Bytes{static_cast<char>(u >> 24), static_cast<char>(u >> 16), static_cast<char>(u >> 8),
               static_cast<char>(u)};
}
int32_t AsI32(const Bytes& b) {
  uint32_t u = 0;
  for (char c : b) u = (u << 8) | static_cast<uint8_t>(c);
  return static_cast<int32_t>(u);
}
// Serialized collection of 4-byte ints: [n][4][v]...
Bytes IntCollection(std::vector<int32_t> xs) {
  Bytes b = I32(static_cast<int32_t>(xs.size()));
  for (int32_t x : xs) b += I32(4) + I32(x);
  return b;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/helenus-store-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    Reopen();
    // t1: pk int, ck int, v int (id 1), w int (id 2), s int static (id 3),
    //     st set<int> (4), mp map<text,int> (5), ls list<int> (6)
    t1_.table_id = 1;
    t1_.partition_key = {DataType::Of(TypeKind::kInt)};
    t1_.clustering = {DataType::Of(TypeKind::kInt)};
    t1_.clustering_desc = {false};
    t1_.columns = {
        {1, DataType::Of(TypeKind::kInt), false},
        {2, DataType::Of(TypeKind::kInt), false},
        {3, DataType::Of(TypeKind::kInt), true},
        {4, DataType::Set(DataType::Of(TypeKind::kInt)), false},
        {5, DataType::Map(DataType::Of(TypeKind::kText), DataType::Of(TypeKind::kInt)), false},
        {6, DataType::List(DataType::Of(TypeKind::kInt)), false}};
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    StoreOptions o;
    o.sync_each_write = false;
    auto s = Store::Open(dir_, o);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }

  RowMutation Mut(int32_t pk, std::optional<int32_t> ck, int64_t ts) {
    RowMutation m;
    m.partition_key = I32(pk);
    if (ck) m.clustering = {I32(*ck)};
    m.timestamp = ts;
    return m;
  }
  static CellOp Set(uint32_t col, std::optional<int32_t> v) {
    CellOp op;
    op.column = col;
    op.kind = CellOp::Kind::kSet;
    if (v) op.value = I32(*v);
    return op;
  }
  void Apply(std::vector<RowMutation> ms, int64_t now = 1000) {
    auto s = store_->ApplyAt(t1_, ms, now);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  std::vector<RowRead> ReadAll(ReadSpec spec, int64_t now = 1000,
                               const TableLayout* layout = nullptr) {
    std::vector<RowRead> rows;
    auto r = store_->Read(layout ? *layout : t1_, spec, now);
    RowRead row;
    while (r->Next(&row)) rows.push_back(row);
    EXPECT_TRUE(r->status().ok()) << r->status().message();
    return rows;
  }
  ReadSpec Partition(int32_t pk) {
    ReadSpec s;
    s.partition_key = I32(pk);
    return s;
  }
  static std::optional<int32_t> Col(const RowRead& r, uint32_t id) {
    if (id >= r.regular.size() || !r.regular[id] || !r.regular[id]->value) return std::nullopt;
    return AsI32(*r.regular[id]->value);
  }
  static std::vector<int32_t> Cks(const std::vector<RowRead>& rows) {
    std::vector<int32_t> out;
    for (const auto& r : rows) out.push_back(r.static_only ? -999 : AsI32(r.clustering.at(0)));
    return out;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  TableLayout t1_;
};

TEST_F(StoreTest, LastWriteWinsBothOrders) {
  auto a = Mut(1, 1, 10);
  a.cells = {Set(1, 100)};
  auto b = Mut(1, 1, 5);
  b.cells = {Set(1, 50)};
  Apply({a});
  Apply({b});
  auto rows = ReadAll(Partition(1));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Col(rows[0], 1), 100);
  EXPECT_EQ(rows[0].regular[1]->timestamp, 10);
  auto c = Mut(1, 2, 5);
  c.cells = {Set(1, 50)};
  auto d = Mut(1, 2, 10);
  d.cells = {Set(1, 100)};
  Apply({c});
  Apply({d});
  rows = ReadAll(Partition(1));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Col(rows[1], 1), 100);
  // Equal timestamps between live cells: the greater value wins.
  auto e = Mut(1, 3, 7);
  e.cells = {Set(1, 2)};
  auto f = Mut(1, 3, 7);
  f.cells = {Set(1, 1)};
  Apply({e});
  Apply({f});
  rows = ReadAll(Partition(1));
  EXPECT_EQ(Col(rows[2], 1), 2);
}

TEST_F(StoreTest, TombstoneWinsTie) {
  auto a = Mut(1, 1, 10);
  a.row_marker = true;
  a.cells = {Set(1, 100), Set(2, 7)};
  Apply({a});
  auto b = Mut(1, 1, 10);
  b.cells = {Set(1, std::nullopt)};
  Apply({b});
  auto rows = ReadAll(Partition(1));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Col(rows[0], 1), std::nullopt);
  EXPECT_EQ(Col(rows[0], 2), 7);
  // And the other write order inside one batch.
  auto c = Mut(1, 2, 10);
  c.cells = {Set(1, std::nullopt)};
  auto d = Mut(1, 2, 10);
  d.cells = {Set(1, 5), Set(2, 1)};
  Apply({c, d});
  rows = ReadAll(Partition(1));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Col(rows[1], 1), std::nullopt);
}

TEST_F(StoreTest, TtlExpires) {
  auto a = Mut(1, 1, 10);
  a.ttl = 100;
  a.row_marker = true;
  a.cells = {Set(1, 1)};
  Apply({a}, 1000);
  auto b = Mut(1, 1, 11);
  b.cells = {Set(2, 2)};
  Apply({b}, 1000);
  auto rows = ReadAll(Partition(1), 1050);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Col(rows[0], 1), 1);
  EXPECT_EQ(rows[0].regular[1]->ttl, 100);
  EXPECT_EQ(rows[0].regular[1]->expires_at, 1100);
  rows = ReadAll(Partition(1), 1100);
  ASSERT_EQ(rows.size(), 1u);  // w has no TTL
  EXPECT_EQ(Col(rows[0], 1), std::nullopt);
  EXPECT_EQ(Col(rows[0], 2), 2);
  auto c = Mut(1, 1, 12);
  c.cells = {Set(2, std::nullopt)};
  Apply({c}, 1000);
  EXPECT_EQ(ReadAll(Partition(1), 1100).size(), 0u);
  EXPECT_EQ(ReadAll(Partition(1), 1099).size(), 1u);
}

TEST_F(StoreTest, RowMarkerVersusCellsOnly) {
  auto ins = Mut(1, 1, 10);
  ins.row_marker = true;
  ins.cells = {Set(1, 1)};
  auto upd = Mut(1, 2, 10);
  upd.cells = {Set(1, 1)};
  Apply({ins, upd});
  auto del1 = Mut(1, 1, 11);
  del1.cells = {Set(1, std::nullopt)};
  auto del2 = Mut(1, 2, 11);
  del2.cells = {Set(1, std::nullopt)};
  Apply({del1, del2});
  auto rows = ReadAll(Partition(1));
  ASSERT_EQ(rows.size(), 1u);  // only the INSERTed row survives with all columns null
  EXPECT_EQ(AsI32(rows[0].clustering[0]), 1);
  EXPECT_EQ(Col(rows[0], 1), std::nullopt);
}

TEST_F(StoreTest, RowRangeAndPartitionTombstones) {
  std::vector<RowMutation> ms;
  for (int i = 0; i < 10; ++i) {
    auto m = Mut(1, i, 10);
    m.row_marker = true;
    m.cells = {Set(1, i)};
    ms.push_back(m);
  }
  Apply(ms);
  auto del = Mut(1, 0, 20);
  del.delete_row = true;
  Apply({del});
  auto late = Mut(1, 0, 15);
  late.cells = {Set(1, 0)};
  Apply({late});  // older than the row tombstone: shadowed
  EXPECT_EQ(Cks(ReadAll(Partition(1))), (std::vector<int32_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  auto newer = Mut(1, 0, 25);
  newer.cells = {Set(2, 0)};
  Apply({newer});
  EXPECT_EQ(ReadAll(Partition(1)).size(), 10u);

  auto rt = Mut(1, std::nullopt, 30);
  rt.delete_range = ClusteringRange{{{I32(3)}, true}, {{I32(6)}, false}};
  Apply({rt});
  EXPECT_EQ(Cks(ReadAll(Partition(1))), (std::vector<int32_t>{0, 1, 2, 6, 7, 8, 9}));
  auto rt2 = Mut(1, std::nullopt, 30);
  rt2.delete_range = ClusteringRange{{{I32(8)}, false}, {{}, true}};  // > 8
  Apply({rt2});
  EXPECT_EQ(Cks(ReadAll(Partition(1))), (std::vector<int32_t>{0, 1, 2, 6, 7, 8}));
  auto back = Mut(1, 4, 31);
  back.cells = {Set(1, 4)};
  Apply({back});
  EXPECT_EQ(Cks(ReadAll(Partition(1))), (std::vector<int32_t>{0, 1, 2, 4, 6, 7, 8}));

  auto pd = Mut(1, std::nullopt, 40);
  pd.delete_partition = true;
  Apply({pd});
  EXPECT_EQ(ReadAll(Partition(1)).size(), 0u);
  auto after = Mut(1, 5, 41);
  after.cells = {Set(1, 5)};
  Apply({after});
  EXPECT_EQ(Cks(ReadAll(Partition(1))), (std::vector<int32_t>{5}));
}

TEST_F(StoreTest, StaticCells) {
  auto s = Mut(1, std::nullopt, 10);
  s.cells = {Set(3, 33)};
  Apply({s});
  auto rows = ReadAll(Partition(1));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].static_only);
  ASSERT_TRUE(rows[0].statics[3]);
  EXPECT_EQ(AsI32(*rows[0].statics[3]->value), 33);
  auto r = Mut(1, 1, 10);
  r.row_marker = true;
  auto r2 = Mut(1, 2, 10);
  r2.row_marker = true;
  Apply({r, r2});
  rows = ReadAll(Partition(1));
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    EXPECT_FALSE(row.static_only);
    EXPECT_EQ(AsI32(*row.statics[3]->value), 33);
  }
  EXPECT_TRUE(rows[0].new_partition);
  EXPECT_FALSE(rows[1].new_partition);
  // Static and regular cells in one mutation.
  auto both = Mut(2, 1, 10);
  both.cells = {Set(3, 1), Set(1, 2)};
  Apply({both});
  rows = ReadAll(Partition(2));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(AsI32(*rows[0].statics[3]->value), 1);
  EXPECT_EQ(Col(rows[0], 1), 2);
}

TEST_F(StoreTest, StaticOnlyInsertWithMarker) {
  // INSERT INTO t (pk, s) VALUES (5, 1): no clustering, so no row marker.
  auto m = Mut(5, std::nullopt, 10);
  m.row_marker = true;
  m.cells = {Set(3, 1)};
  Apply({m});
  auto rows = ReadAll(Partition(5));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].static_only);
  auto bad = Mut(5, std::nullopt, 10);
  bad.delete_row = true;
  EXPECT_FALSE(store_->ApplyAt(t1_, {bad}, 1000).ok());
}

TEST_F(StoreTest, Collections) {
  auto m = Mut(1, 1, 10);
  CellOp add{4, CellOp::Kind::kSetAdd, std::nullopt, {I32(3), I32(-1), I32(2)}, {}};
  CellOp put{5, CellOp::Kind::kMapPut, std::nullopt, {}, {{"b", I32(2)}, {"a", I32(1)}}};
  CellOp app{6, CellOp::Kind::kListAppend, std::nullopt, {I32(1), I32(2)}, {}};
  m.cells = {add, put, app};
  Apply({m});
  auto m2 = Mut(1, 1, 11);
  CellOp rem{4, CellOp::Kind::kSetRemove, std::nullopt, {I32(2)}, {}};
  CellOp mrem{5, CellOp::Kind::kMapRemove, std::nullopt, {"b"}, {}};
  CellOp pre{6, CellOp::Kind::kListPrepend, std::nullopt, {I32(-2), I32(0)}, {}};
  CellOp app2{6, CellOp::Kind::kListAppend, std::nullopt, {I32(3)}, {}};
  m2.cells = {rem, mrem, pre, app2};
  Apply({m2});
  auto rows = ReadAll(Partition(1));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*rows[0].regular[4]->value, IntCollection({-1, 3}));
  EXPECT_EQ(*rows[0].regular[5]->value, I32(1) + I32(1) + "a" + I32(4) + I32(1));
  EXPECT_EQ(*rows[0].regular[6]->value, IntCollection({-2, 0, 1, 2, 3}));

  // List index operations through element keys.
  auto elems = store_->ReadListElements(t1_, I32(1), {I32(1)}, 6, 1000);
  ASSERT_TRUE(elems.ok());
  ASSERT_EQ(elems->size(), 5u);
  auto m3 = Mut(1, 1, 12);
  CellOp setk{6, CellOp::Kind::kListSetByKey, std::nullopt, {}, {{(*elems)[1].first, I32(100)}}};
  CellOp remk{6, CellOp::Kind::kListRemoveKeys, std::nullopt, {(*elems)[0].first}, {}};
  m3.cells = {setk, remk};
  Apply({m3});
  rows = ReadAll(Partition(1));
  EXPECT_EQ(*rows[0].regular[6]->value, IntCollection({100, 1, 2, 3}));

  // Overwrite replaces; deleting the collection removes all elements.
  auto m4 = Mut(1, 1, 13);
  CellOp ow{6, CellOp::Kind::kCollectionOverwrite, std::nullopt, {I32(9)}, {}};
  CellOp ow_set = Set(4, std::nullopt);
  ow_set.value = IntCollection({7, 5});
  m4.cells = {ow, ow_set};
  Apply({m4});
  rows = ReadAll(Partition(1));
  EXPECT_EQ(*rows[0].regular[6]->value, IntCollection({9}));
  EXPECT_EQ(*rows[0].regular[4]->value, IntCollection({5, 7}));
  auto m5 = Mut(1, 1, 14);
  CellOp d1{4, CellOp::Kind::kDelete, std::nullopt, {}, {}};
  CellOp d2{5, CellOp::Kind::kDelete, std::nullopt, {}, {}};
  CellOp d3{6, CellOp::Kind::kDelete, std::nullopt, {}, {}};
  m5.cells = {d1, d2, d3};
  Apply({m5});
  EXPECT_EQ(ReadAll(Partition(1)).size(), 0u);  // no marker, no live cells
}

TEST_F(StoreTest, TokenOrderOfPartitions) {
  std::vector<RowMutation> ms;
  for (int i = 0; i < 100; ++i) {
    auto m = Mut(i, 0, 10);
    m.row_marker = true;
    ms.push_back(m);
  }
  Apply(ms);
  auto rows = ReadAll(ReadSpec{});
  ASSERT_EQ(rows.size(), 100u);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].token, Murmur3Token(rows[i].partition_key));
    EXPECT_TRUE(rows[i].new_partition);
    if (i) {
      EXPECT_LT(rows[i - 1].token, rows[i].token);
    }
  }
  // Token ranges partition the scan.
  size_t total = 0;
  for (auto [a, b] : Store::SplitTokenRanges(7)) {
    ReadSpec spec;
    spec.start_token = a;
    spec.end_token = b;
    for (const auto& r : ReadAll(spec)) {
      EXPECT_GT(r.token, a);
      EXPECT_LE(r.token, b);
      ++total;
    }
  }
  EXPECT_EQ(total, 100u);
  // (t, t] is empty, (t-1, t] is exactly the partition with token t.
  ReadSpec one;
  one.start_token = rows[5].token - 1;
  one.end_token = rows[5].token;
  auto got = ReadAll(one);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].partition_key, rows[5].partition_key);
}

TEST_F(StoreTest, SlicesAndReverse) {
  std::vector<RowMutation> ms;
  for (int i = 0; i < 10; ++i) {
    auto m = Mut(1, i, 10);
    m.row_marker = true;
    ms.push_back(m);
  }
  Apply(ms);
  ReadSpec spec = Partition(1);
  spec.slices = {ClusteringSlice{{{I32(2)}, true}, {{I32(4)}, true}},
                 ClusteringSlice{{{I32(6)}, false}, {{I32(8)}, false}}};
  EXPECT_EQ(Cks(ReadAll(spec)), (std::vector<int32_t>{2, 3, 4, 7}));
  spec.reverse = true;
  EXPECT_EQ(Cks(ReadAll(spec)), (std::vector<int32_t>{7, 4, 3, 2}));
  spec.slices.clear();
  EXPECT_EQ(Cks(ReadAll(spec)), (std::vector<int32_t>{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
  // An empty slice.
  spec.slices = {ClusteringSlice{{{I32(5)}, false}, {{I32(5)}, true}}};
  EXPECT_TRUE(ReadAll(spec).empty());
}

TEST_F(StoreTest, DescendingClustering) {
  TableLayout t = t1_;
  t.table_id = 2;
  t.clustering_desc = {true};
  std::vector<RowMutation> ms;
  for (int i : {3, -1, 7, 0}) {
    auto m = Mut(1, i, 10);
    m.row_marker = true;
    ms.push_back(m);
  }
  ASSERT_TRUE(store_->ApplyAt(t, ms, 1000).ok());
  ReadSpec spec = Partition(1);
  EXPECT_EQ(Cks(ReadAll(spec, 1000, &t)), (std::vector<int32_t>{7, 3, 0, -1}));
  // Slice bounds are in clustering order: from 3 down to 0.
  spec.slices = {ClusteringSlice{{{I32(3)}, true}, {{I32(0)}, true}}};
  EXPECT_EQ(Cks(ReadAll(spec, 1000, &t)), (std::vector<int32_t>{3, 0}));
}

TEST_F(StoreTest, ResumeAfterPaging) {
  std::vector<RowMutation> ms;
  for (int p = 0; p < 10; ++p) {
    for (int c = 0; c < 3; ++c) {
      auto m = Mut(p, c, 10);
      m.row_marker = true;
      ms.push_back(m);
    }
  }
  // A static-only partition.
  auto st = Mut(100, std::nullopt, 10);
  st.cells = {Set(3, 1)};
  ms.push_back(st);
  Apply(ms);
  for (bool reverse : {false, true}) {
    ReadSpec spec;
    spec.reverse = reverse;
    auto all = ReadAll(spec);
    ASSERT_EQ(all.size(), 31u);
    std::vector<RowRead> paged;
    for (int guard = 0; guard < 100; ++guard) {
      auto r = store_->Read(t1_, spec, 1000);
      RowRead row;
      int n = 0;
      while (n < 4 && r->Next(&row)) {
        paged.push_back(row);
        ++n;
      }
      if (n < 4) break;
      spec.resume_after = ResumePoint{row.partition_key, row.clustering, row.static_only};
    }
    ASSERT_EQ(paged.size(), all.size());
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ(paged[i].partition_key, all[i].partition_key);
      EXPECT_EQ(paged[i].clustering, all[i].clustering);
    }
  }
}

TEST_F(StoreTest, ColumnSelectionAndNoClusteringTable) {
  TableLayout t;
  t.table_id = 3;
  t.partition_key = {DataType::Of(TypeKind::kText)};
  t.columns = {{0, DataType::Of(TypeKind::kInt), false}, {1, DataType::Of(TypeKind::kInt), false}};
  RowMutation m;
  m.partition_key = "key";
  m.timestamp = 1;
  m.cells = {Set(0, 1), Set(1, 2)};
  ASSERT_TRUE(store_->ApplyAt(t, {m}, 1000).ok());
  ReadSpec spec;
  spec.columns = {1};
  auto rows = ReadAll(spec, 1000, &t);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].clustering.empty());
  EXPECT_EQ(Col(rows[0], 0), std::nullopt);
  EXPECT_EQ(Col(rows[0], 1), 2);
}

TEST_F(StoreTest, ReopenKeepsDataAndMeta) {
  auto m = Mut(1, 1, 10);
  m.cells = {Set(1, 5)};
  Apply({m});
  ASSERT_TRUE(store_->PutMeta("schema/ks/a", "1").ok());
  ASSERT_TRUE(store_->PutMeta("schema/ks/b", "2").ok());
  ASSERT_TRUE(store_->PutMeta("schema/zz", "3").ok());
  Reopen();
  auto rows = ReadAll(Partition(1));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Col(rows[0], 1), 5);
  auto list = store_->ListMeta("schema/ks/");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].second, "2");
  ASSERT_TRUE(store_->DeleteMeta("schema/ks/a").ok());
  auto g = store_->GetMeta("schema/ks/a");
  ASSERT_TRUE(g.ok());
  EXPECT_FALSE(g->has_value());
  // Merges survive compaction too.
  auto m2 = Mut(1, 1, 11);
  m2.cells = {Set(2, 6)};
  Apply({m2});
  ASSERT_TRUE(store_->CompactAll().ok());
  rows = ReadAll(Partition(1));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Col(rows[0], 1), 5);
  EXPECT_EQ(Col(rows[0], 2), 6);
}

TEST_F(StoreTest, PeriodicSyncModeWritesAndCloses) {
  store_.reset();
  StoreOptions o;
  o.sync_each_write = false;
  o.periodic_sync_ms = 5;
  auto s = Store::Open(dir_, o);
  ASSERT_TRUE(s.ok());
  store_ = std::move(s).value();
  auto m = Mut(1, 1, 10);
  m.row_marker = true;
  Apply({m});
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Reopen();  // joins the sync thread
  EXPECT_EQ(ReadAll(Partition(1)).size(), 1u);
}

TEST_F(StoreTest, DropTableData) {
  auto m = Mut(1, 1, 10);
  m.row_marker = true;
  Apply({m});
  TableLayout other = t1_;
  other.table_id = 2;
  ASSERT_TRUE(store_->ApplyAt(other, {m}, 1000).ok());
  ASSERT_TRUE(store_->DropTableData(1).ok());
  EXPECT_TRUE(ReadAll(ReadSpec{}).empty());
  EXPECT_EQ(ReadAll(ReadSpec{}, 1000, &other).size(), 1u);
  Apply({m});
  EXPECT_EQ(ReadAll(ReadSpec{}).size(), 1u);
}

TEST_F(StoreTest, RejectsBadMutations) {
  auto m = Mut(1, std::nullopt, 10);
  m.cells = {Set(1, 1)};  // regular column without clustering
  EXPECT_FALSE(store_->ApplyAt(t1_, {m}, 1000).ok());
  auto u = Mut(1, 1, 10);
  u.cells = {Set(99, 1)};
  EXPECT_FALSE(store_->ApplyAt(t1_, {u}, 1000).ok());
}

// Randomized differential test of the read path against an in-memory model
// of Cassandra's rules (per-cell last write wins, row and partition
// tombstones, TTLs, row markers): plain cells take the reader's fast path,
// TTL'd cells, tombstones, long values and partition keys with 0x00 bytes the
// general ones, and both must give the model's rows, before and after
// compaction, for full scans, projections and single-partition reads.
TEST_F(StoreTest, RandomizedReadsMatchModel) {
  TableLayout t;
  t.table_id = 9;
  t.partition_key = {DataType::Of(TypeKind::kBlob)};
  t.clustering = {DataType::Of(TypeKind::kInt)};
  t.clustering_desc = {false};
  t.columns = {{0, DataType::Of(TypeKind::kInt), false},
               {1, DataType::Of(TypeKind::kText), false},
               {2, DataType::Of(TypeKind::kInt), false},
               {3, DataType::Of(TypeKind::kText), false}};
  struct ModelCell {
    int64_t ts = INT64_MIN;
    bool tomb = false;
    Bytes value;
    int32_t ttl = 0;
    int64_t expires = 0;
  };
  struct ModelRow {
    int64_t marker_ts = INT64_MIN;
    int64_t marker_expires = 0;
    int64_t del = INT64_MIN;
    ModelCell cells[4];
  };
  std::map<Bytes, int64_t> part_del;
  std::map<std::pair<Bytes, int32_t>, ModelRow> model;
  std::mt19937 rng(777);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<Bytes> pks = {Bytes("a"),        Bytes("b\0c", 3), Bytes("\0", 1), Bytes("dd"),
                                  Bytes("e\0\0", 3), Bytes("f"),       Bytes("ggg")};
  const int64_t now = 1000;
  std::vector<int64_t> stamps(3000);
  for (size_t i = 0; i < stamps.size(); ++i) stamps[i] = 100 + static_cast<int64_t>(i);
  std::shuffle(stamps.begin(), stamps.end(), rng);  // unique: no reconciliation ties
  size_t next_ts = 0;
  for (int batch = 0; batch < 300; ++batch) {
    std::vector<RowMutation> ms;
    for (int n = 1 + pick(8); n > 0; --n) {
      RowMutation m;
      m.partition_key = pks[static_cast<size_t>(pick(static_cast<int>(pks.size())))];
      const int32_t ck = pick(6);
      m.timestamp = stamps[next_ts++];
      auto& row = model[{m.partition_key, ck}];
      const int what = pick(20);
      if (what == 0) {
        m.delete_partition = true;
        auto& d = part_del.try_emplace(m.partition_key, INT64_MIN).first->second;
        d = std::max(d, m.timestamp);
        ms.push_back(std::move(m));
        continue;
      }
      m.clustering = {I32(ck)};
      if (what == 1) {
        m.delete_row = true;
        row.del = std::max(row.del, m.timestamp);
        ms.push_back(std::move(m));
        continue;
      }
      m.ttl = pick(5) == 0 ? 1 + pick(20) : 0;  // some expire before the read at now + 10
      const int64_t expires = m.ttl > 0 ? now + m.ttl : 0;
      if (pick(2) == 0) {
        m.row_marker = true;
        if (m.timestamp > row.marker_ts) {
          row.marker_ts = m.timestamp;
          row.marker_expires = expires;
        }
      }
      for (uint32_t col = 0; col < 4; ++col) {
        if (pick(3) == 0) continue;
        CellOp op;
        op.column = col;
        if (pick(6) != 0) {
          op.value = col % 2 == 0 ? I32(pick(1000)) : Bytes(static_cast<size_t>(pick(200)), 'x');
        }
        ModelCell& mc = row.cells[col];
        if (m.timestamp > mc.ts) {
          mc.ts = m.timestamp;
          mc.tomb = !op.value;
          mc.value = op.value ? *op.value : Bytes();
          mc.ttl = op.value ? m.ttl : 0;
          mc.expires = op.value ? expires : 0;
        }
        m.cells.push_back(std::move(op));
      }
      ms.push_back(std::move(m));
    }
    ASSERT_TRUE(store_->ApplyAt(t, ms, now).ok());
  }
  const int64_t read_now = now + 10;
  // What the model says a read with these columns returns, keyed by (pk, ck).
  using Cells = std::vector<std::optional<std::tuple<Bytes, int64_t, int32_t, int64_t>>>;
  auto expected = [&](const std::vector<uint32_t>& columns, const Bytes* only) {
    std::map<std::pair<Bytes, int32_t>, Cells> out;
    for (const auto& [key, row] : model) {
      if (only && key.first != *only) continue;
      int64_t del = row.del;
      if (auto it = part_del.find(key.first); it != part_del.end()) del = std::max(del, it->second);
      bool live = row.marker_ts > del && (row.marker_expires == 0 || row.marker_expires > read_now);
      Cells cells(4);
      for (uint32_t col = 0; col < 4; ++col) {
        const ModelCell& mc = row.cells[col];
        if (mc.ts <= del || mc.tomb || (mc.expires != 0 && mc.expires <= read_now)) continue;
        live = true;
        if (columns.empty() || std::count(columns.begin(), columns.end(), col)) {
          cells[col].emplace(mc.value, mc.ts, mc.ttl, mc.expires);
        }
      }
      if (live) out[key] = cells;
    }
    return out;
  };
  auto actual = [&](const ReadSpec& spec) {
    std::map<std::pair<Bytes, int32_t>, Cells> out;
    int64_t last_token = INT64_MIN;
    for (const RowRead& r : ReadAll(spec, read_now, &t)) {
      EXPECT_FALSE(r.static_only);
      EXPECT_EQ(r.token, Murmur3Token(r.partition_key));
      EXPECT_GE(r.token, last_token);
      last_token = r.token;
      Cells cells(4);
      for (uint32_t col = 0; col < 4 && col < r.regular.size(); ++col) {
        if (const auto& c = r.regular[col]) {
          cells[col].emplace(c->value.value_or(Bytes()), c->timestamp, c->ttl, c->expires_at);
        }
      }
      out[{r.partition_key, AsI32(r.clustering.at(0))}] = cells;
    }
    return out;
  };
  ASSERT_GT(expected({}, nullptr).size(), 20u);  // the data leaves plenty of live rows
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "merge operands" : "compacted");
    for (const std::vector<uint32_t>& columns :
         {std::vector<uint32_t>{}, std::vector<uint32_t>{1}, std::vector<uint32_t>{0, 3}}) {
      ReadSpec spec;
      spec.columns = columns;
      EXPECT_EQ(actual(spec), expected(columns, nullptr));
    }
    for (const Bytes& pk : pks) {
      ReadSpec spec;
      spec.partition_key = pk;
      EXPECT_EQ(actual(spec), expected({}, &pk));
    }
    ASSERT_TRUE(store_->CompactAll().ok());
  }
}

}  // namespace
}  // namespace helenus::storage

namespace helenus::storage {
namespace {

// A logged BATCH over two tables is one write: all of it lands, or none.
TEST_F(StoreTest, ApplyAllIsAtomicAcrossTables) {
  TableLayout t2 = t1_;
  t2.table_id = 2;
  auto a = Mut(1, 1, 10);
  a.cells = {Set(1, 100)};
  auto b = Mut(2, 1, 10);
  b.cells = {Set(2, 200)};
  std::vector<RowMutation> first{a}, second{b};
  ASSERT_TRUE(store_->ApplyAll({{&t1_, &first}, {&t2, &second}}, 1000).ok());
  ASSERT_EQ(ReadAll(Partition(1)).size(), 1u);
  ASSERT_EQ(ReadAll(Partition(2), 1000, &t2).size(), 1u);
  EXPECT_EQ(Col(ReadAll(Partition(2), 1000, &t2)[0], 2), 200);

  // An invalid mutation in the second table keeps the first table's out too.
  auto c = Mut(3, 1, 20);
  c.cells = {Set(1, 300)};
  auto bad = Mut(3, 1, 20);
  bad.cells = {Set(99, 1)};  // no such column
  std::vector<RowMutation> good{c}, broken{bad};
  EXPECT_FALSE(store_->ApplyAll({{&t1_, &good}, {&t2, &broken}}, 1000).ok());
  EXPECT_TRUE(ReadAll(Partition(3)).empty());
}

}  // namespace
}  // namespace helenus::storage

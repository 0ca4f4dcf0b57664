#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <thread>

#include "helenus/common/error.h"
#include "helenus/common/murmur3.h"
#include "helenus/cql/value_codec.h"
#include "helenus/exec/table_source.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"

namespace helenus::exec {
namespace {

using storage::ColumnKind;
using Row = std::vector<Value>;
using Op = ScanPredicate::Op;

// A column of a test table: name, CQL type, kind, key position, DESC.
struct ColumnDef {
  std::string name;
  std::string type;
  ColumnKind kind = ColumnKind::kRegular;
  int position = -1;
  bool desc = false;
};

Value Int(int32_t v) {
  return cql::EncodeInt(v);
}
Value Big(int64_t v) {
  return cql::EncodeBigint(v);
}
Value Dbl(double v) {
  return cql::EncodeDouble(v);
}
Value Txt(std::string v) {
  return v;
}
Value Date(int64_t days) {
  return cql::EncodeInt(static_cast<int32_t>(static_cast<uint32_t>(days + (int64_t{1} << 31))));
}
int32_t AsInt(const Value& v) {
  return cql::DecodeInt(*v);
}

ScanPredicate Pred(std::string column, Op op, std::vector<Value> values) {
  return ScanPredicate{std::move(column), op, std::move(values)};
}

std::vector<Row> Sorted(std::vector<Row> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

class LocalSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/helenus-local-source-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    storage::StoreOptions o;
    o.sync_each_write = false;
    auto s = storage::Store::Open(dir_, o);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    auto c = storage::Catalog::Load(store_.get());
    ASSERT_TRUE(c.ok()) << c.status().message();
    catalog_ = std::move(c).value();
    storage::KeyspaceSchema ks;
    ks.name = "ks";
    ks.replication = {{"class", "SimpleStrategy"}, {"replication_factor", "1"}};
    ASSERT_TRUE(catalog_->PutKeyspace(ks).ok());
  }
  void TearDown() override {
    catalog_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::shared_ptr<const storage::TableSchema> CreateTable(const std::string& name,
                                                          const std::vector<ColumnDef>& defs) {
    storage::TableSchema t;
    t.keyspace = "ks";
    t.name = name;
    for (const auto& d : defs) {
      storage::ColumnSchema c;
      c.name = d.name;
      c.type = *ParseDataType(d.type);
      c.kind = d.kind;
      c.position = d.position;
      c.desc = d.desc;
      if (d.kind == ColumnKind::kRegular || d.kind == ColumnKind::kStatic) {
        c.id = t.next_column_id++;
      }
      t.columns.push_back(std::move(c));
    }
    t.RebuildLayout();
    auto s = catalog_->PutTable(t);
    EXPECT_TRUE(s.ok()) << s.message();
    return catalog_->Snapshot()->FindTable("ks", name);
  }

  // Writes rows (CQL values in the order of names) through a LocalSink.
  void Write(const std::shared_ptr<const storage::TableSchema>& table,
             const std::vector<std::string>& names, const std::vector<Row>& rows) {
    Schema schema;
    for (const auto& n : names) schema.fields.push_back({n, table->Find(n)->type, table->name});
    Batch batch = MakeBatch(schema, rows);
    auto sink = MakeLocalSink(store_.get(), table);
    sink->Write(schema, batch);
    EXPECT_EQ(sink->Finish(), rows.size());
  }

  static Batch MakeBatch(const Schema& schema, const std::vector<Row>& rows) {
    Batch batch = Batch::Empty(schema, rows.size());
    for (const auto& r : rows) {
      for (size_t i = 0; i < r.size(); ++i) AppendCqlValue(&batch.columns[i], r[i]);
    }
    batch.num_rows = rows.size();
    return batch;
  }

  // Every row of every split of request, as CQL values in the batch column order.
  static std::vector<Row> Scan(TableSource& source, const ScanRequest& request,
                               size_t* num_splits = nullptr, Progress* progress = nullptr) {
    std::vector<Row> out;
    auto splits = source.Splits(request);
    if (num_splits) *num_splits = splits.size();
    for (const auto& split : splits) {
      auto stream = source.Scan(split, request, progress);
      Batch b;
      while (stream->Next(&b)) {
        EXPECT_GT(b.num_rows, 0u);
        EXPECT_LE(b.num_rows, kBatchRows);
        for (const auto& c : b.columns) EXPECT_EQ(c.size(), b.num_rows);
        for (size_t r = 0; r < b.num_rows; ++r) {
          Row row;
          for (const auto& c : b.columns) row.push_back(CqlValueAt(c, r));
          out.push_back(std::move(row));
        }
      }
    }
    return out;
  }

  std::shared_ptr<TableSource> Source(const std::shared_ptr<const storage::TableSchema>& t,
                                      size_t splits = 64) {
    return MakeLocalSource(store_.get(), t, splits);
  }

  // A table pk int, ck int, v int with pk in [0, partitions) and ck in [0, rows).
  std::shared_ptr<const storage::TableSchema> IntTable(const std::string& name, int partitions,
                                                       int rows, bool desc = false) {
    auto t = CreateTable(name, {{"pk", "int", ColumnKind::kPartitionKey, 0},
                                {"ck", "int", ColumnKind::kClustering, 0, desc},
                                {"v", "int"}});
    std::vector<Row> data;
    for (int p = 0; p < partitions; ++p) {
      for (int c = 0; c < rows; ++c) data.push_back({Int(p), Int(c), Int(p * 1000 + c)});
    }
    Write(t, {"pk", "ck", "v"}, data);
    return t;
  }

  std::string dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::Catalog> catalog_;
};

TEST_F(LocalSourceTest, EveryTypeRoundTrips) {
  auto t = CreateTable("types", {{"pk", "int", ColumnKind::kPartitionKey, 0},
                                 {"ck", "int", ColumnKind::kClustering, 0},
                                 {"b", "bigint"},
                                 {"bo", "boolean"},
                                 {"d", "double"},
                                 {"dt", "date"},
                                 {"f", "float"},
                                 {"l", "list<int>"},
                                 {"m", "map<text, int>"},
                                 {"t", "text"},
                                 {"ts", "timestamp"},
                                 {"u", "uuid"},
                                 {"si", "smallint"},
                                 {"ti", "tinyint"},
                                 {"tm", "time"},
                                 {"fl", "frozen<list<int>>"},
                                 {"bl", "blob"},
                                 {"st", "set<text>"}});
  // The source lists columns in table order: keys, then the rest by name.
  std::vector<std::string> names;
  for (const auto& c : t->columns) names.push_back(c.name);
  ASSERT_EQ(names, (std::vector<std::string>{"pk", "ck", "b", "bl", "bo", "d", "dt", "f", "fl", "l",
                                             "m", "si", "st", "t", "ti", "tm", "ts", "u"}));
  std::vector<Row> rows;
  for (int p = 0; p < 40; ++p) {
    for (int c = 0; c < 10; ++c) {
      const int i = p * 10 + c;
      auto maybe = [&](int every, Value v) { return i % every == 3 ? Value() : v; };
      Bytes uuid(16, '\0');
      for (int k = 0; k < 16; ++k) uuid[k] = static_cast<char>(i * 7 + k);
      Row r(names.size());
      r[0] = Int(p - 20);
      r[1] = Int(c);
      r[2] = maybe(5, Big(int64_t{1} << 40 | i));
      r[3] = maybe(6, Txt(std::string("\x00\x01\xff", 3) + std::to_string(i)));
      r[4] = maybe(7, cql::EncodeBoolean(i % 2 == 0));
      r[5] = maybe(8, Dbl(i * 0.25 - 3));
      r[6] = maybe(9, Date(i - 200));  // dates before and after the epoch
      r[7] = maybe(10, cql::EncodeFloat(i * 0.5f));
      r[8] = maybe(11, cql::EncodeCollection({cql::EncodeInt(i), cql::EncodeInt(-i)}));
      r[9] = maybe(12, cql::EncodeCollection({cql::EncodeInt(3), cql::EncodeInt(1),
                                              cql::EncodeInt(i)}));  // list order kept
      r[10] = maybe(13, cql::EncodeMap({{"a", cql::EncodeInt(i)}, {"b", cql::EncodeInt(2)}}));
      r[11] = maybe(14, cql::EncodeSmallint(static_cast<int16_t>(-i)));
      r[12] = maybe(15, cql::EncodeCollection({"x" + std::to_string(i % 3), "y"}));
      r[13] = maybe(4, Txt("héllo " + std::to_string(i)));
      r[14] = maybe(16, cql::EncodeTinyint(static_cast<int8_t>(i % 100 - 50)));
      r[15] = maybe(17, Big(int64_t{3600} * 1000000000 + i));
      r[16] = maybe(18, Big(int64_t{1700000000000} + i));
      r[17] = maybe(19, uuid);
      rows.push_back(std::move(r));
    }
  }
  Write(t, names, rows);
  auto source = Source(t);
  EXPECT_EQ(source->name(), "ks.types");
  ASSERT_EQ(source->schema().size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(source->schema().fields[i].name, names[i]);
    EXPECT_EQ(source->schema().fields[i].qualifier, "types");
    EXPECT_EQ(source->schema().fields[i].type, t->columns[i].type);
  }
  EXPECT_EQ(Sorted(Scan(*source, {})), Sorted(rows));

  // The physical forms: decoded numbers, signed days, text as UTF-8.
  ScanRequest one;
  one.predicates = {Pred("pk", Op::kEq, {Int(-20)}), Pred("ck", Op::kEq, {Int(0)})};
  auto split = source->Splits(one);
  ASSERT_EQ(split.size(), 1u);
  auto stream = source->Scan(split[0], one, nullptr);
  Batch b;
  ASSERT_TRUE(stream->Next(&b));
  ASSERT_EQ(b.num_rows, 1u);
  EXPECT_EQ(b.columns[0].ints, std::vector<int64_t>{-20});
  EXPECT_EQ(b.columns[2].ints, std::vector<int64_t>{int64_t{1} << 40});
  EXPECT_EQ(b.columns[4].ints, std::vector<int64_t>{1});
  EXPECT_EQ(b.columns[5].doubles, std::vector<double>{-3});
  EXPECT_EQ(b.columns[6].ints, std::vector<int64_t>{-200});
  EXPECT_EQ(b.columns[13].strings, std::vector<std::string>{"héllo 0"});
  EXPECT_EQ(b.columns[16].ints, std::vector<int64_t>{1700000000000});
  EXPECT_FALSE(stream->Next(&b));
}

TEST_F(LocalSourceTest, NullsAndEmptyCollectionsAreNotWritten) {
  auto t = CreateTable("n", {{"pk", "int", ColumnKind::kPartitionKey, 0},
                             {"l", "list<int>"},
                             {"v", "int"},
                             {"w", "text"}});
  Write(t, {"pk", "v", "w", "l"},
        {{Int(1), Int(10), Txt("a"), cql::EncodeCollection({cql::EncodeInt(1)})}});
  // NULL = unset: no tombstone, the earlier values stay.
  Write(t, {"pk", "v", "w", "l"}, {{Int(1), Value(), Txt("b"), Value()}});
  auto rows = Scan(*Source(t), {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{Int(1), cql::EncodeCollection({cql::EncodeInt(1)}), Int(10), Txt("b")}));
  // A present empty collection overwrites (and reads as NULL, as in CQL).
  Write(t, {"pk", "l"}, {{Int(1), cql::EncodeCollection({})}});
  rows = Scan(*Source(t), {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{Int(1), Value(), Int(10), Txt("b")}));
  // A row of only the key is live (the INSERT's row marker).
  Write(t, {"pk"}, {{Int(2)}});
  EXPECT_EQ(Scan(*Source(t), {}).size(), 2u);
}

TEST_F(LocalSourceTest, SplitsPartitionTheRing) {
  auto t = IntTable("t", 300, 3);
  auto full = Scan(*Source(t, 1), {});
  ASSERT_EQ(full.size(), 900u);
  std::set<Row> unique(full.begin(), full.end());
  EXPECT_EQ(unique.size(), full.size());
  for (size_t n : {2, 7, 64, 500}) {
    auto source = Source(t, n);
    auto splits = source->Splits({});
    ASSERT_EQ(splits.size(), n);
    EXPECT_EQ(splits.front().start_token, INT64_MIN);
    EXPECT_EQ(splits.back().end_token, INT64_MAX);
    for (size_t i = 1; i < splits.size(); ++i) {
      EXPECT_EQ(splits[i].start_token, splits[i - 1].end_token);
    }
    // Each split holds exactly the rows whose token falls in it.
    size_t total = 0;
    for (const auto& s : splits) {
      auto stream = source->Scan(s, {}, nullptr);
      Batch b;
      while (stream->Next(&b)) {
        for (size_t r = 0; r < b.num_rows; ++r) {
          const int64_t token = Murmur3Token(*CqlValueAt(b.columns[0], r));
          EXPECT_GT(token, s.start_token);
          EXPECT_LE(token, s.end_token);
        }
        total += b.num_rows;
      }
    }
    EXPECT_EQ(total, full.size());
    EXPECT_EQ(Sorted(Scan(*source, {})), Sorted(full));
  }
}

TEST_F(LocalSourceTest, BatchesHoldAtMostBatchRows) {
  auto t = IntTable("big", 10000, 1);
  auto source = Source(t, 1);
  auto split = source->Splits({});
  ASSERT_EQ(split.size(), 1u);
  auto stream = source->Scan(split[0], {}, nullptr);
  Batch b;
  std::vector<size_t> sizes;
  while (stream->Next(&b)) sizes.push_back(b.num_rows);
  EXPECT_EQ(sizes, (std::vector<size_t>{kBatchRows, kBatchRows, 10000 - 2 * kBatchRows}));
}

TEST_F(LocalSourceTest, PartitionKeyEqAndIn) {
  auto t = IntTable("t", 50, 4);
  auto source = Source(t);
  const auto full = Scan(*source, {});
  auto filtered = [&](const std::set<int>& pks) {
    std::vector<Row> out;
    for (const auto& r : full) {
      if (pks.count(AsInt(r[0]))) out.push_back(r);
    }
    return Sorted(out);
  };
  size_t splits = 0;
  ScanRequest eq;
  eq.predicates = {Pred("pk", Op::kEq, {Int(7)})};
  EXPECT_EQ(Sorted(Scan(*source, eq, &splits)), filtered({7}));
  EXPECT_EQ(splits, 1u);
  ScanRequest in;
  in.predicates = {Pred("pk", Op::kIn, {Int(3), Int(9), Int(9), Int(9999), Value()})};
  EXPECT_EQ(Sorted(Scan(*source, in, &splits)), filtered({3, 9}));
  EXPECT_EQ(splits, 3u);  // 3, 9 and the absent 9999
  // Together with a token range: only the keys inside it.
  const int64_t t3 = Murmur3Token(*Int(3));
  in.predicates.push_back(Pred("token", Op::kLe, {Big(t3)}));
  in.predicates.push_back(Pred("token", Op::kGe, {Big(t3)}));
  EXPECT_EQ(Sorted(Scan(*source, in, &splits)), filtered({3}));
  EXPECT_EQ(splits, 1u);
  // Nothing can match.
  ScanRequest none;
  none.predicates = {Pred("pk", Op::kIn, {})};
  EXPECT_TRUE(Scan(*source, none, &splits).empty());
  EXPECT_EQ(splits, 0u);
  none.predicates = {Pred("pk", Op::kEq, {Value()})};
  EXPECT_TRUE(Scan(*source, none).empty());
  // A malformed value is not pushed (the engine filters): a full scan.
  ScanRequest bad;
  bad.predicates = {Pred("pk", Op::kEq, {Big(7)})};
  EXPECT_EQ(Scan(*source, bad, &splits).size(), full.size());
  EXPECT_EQ(splits, 64u);
}

TEST_F(LocalSourceTest, CompositePartitionKey) {
  auto t = CreateTable("comp", {{"a", "int", ColumnKind::kPartitionKey, 0},
                                {"b", "text", ColumnKind::kPartitionKey, 1},
                                {"c", "int", ColumnKind::kClustering, 0},
                                {"v", "double"}});
  std::vector<Row> rows;
  for (int a = 0; a < 10; ++a) {
    for (const char* b : {"x", "y", "zz"}) {
      for (int c = 0; c < 3; ++c) rows.push_back({Int(a), Txt(b), Int(c), Dbl(a + c / 10.0)});
    }
  }
  Write(t, {"v", "c", "b", "a"}, [&] {
    std::vector<Row> reordered;
    for (const auto& r : rows) reordered.push_back({r[3], r[2], r[1], r[0]});
    return reordered;
  }());
  auto source = Source(t);
  EXPECT_EQ(Sorted(Scan(*source, {})), Sorted(rows));
  size_t splits = 0;
  ScanRequest req;
  req.predicates = {Pred("a", Op::kIn, {Int(1), Int(2)}), Pred("b", Op::kEq, {Txt("zz")})};
  std::vector<Row> expected;
  for (const auto& r : rows) {
    if ((AsInt(r[0]) == 1 || AsInt(r[0]) == 2) && *r[1] == "zz") expected.push_back(r);
  }
  EXPECT_EQ(Sorted(Scan(*source, req, &splits)), Sorted(expected));
  EXPECT_EQ(splits, 2u);
  // The storage key is the composite: reading it by parts needs both.
  req.predicates = {Pred("a", Op::kEq, {Int(1)})};
  EXPECT_EQ(Scan(*source, req, &splits).size(), rows.size());
  EXPECT_EQ(splits, 64u);
  // Projection of single components.
  ScanRequest proj;
  proj.columns = {"b", "v"};
  proj.predicates = {Pred("a", Op::kEq, {Int(4)}), Pred("b", Op::kEq, {Txt("y")})};
  auto got = Sorted(Scan(*source, proj));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], (Row{Txt("y"), Dbl(4)}));
}

TEST_F(LocalSourceTest, ClusteringRanges) {
  for (bool desc : {false, true}) {
    auto t = IntTable(desc ? "desc" : "asc", 20, 10, desc);
    auto source = Source(t);
    const auto full = Scan(*source, {});
    ASSERT_EQ(full.size(), 200u);
    auto check = [&](std::vector<ScanPredicate> preds, auto keep) {
      ScanRequest req;
      req.predicates = preds;
      std::vector<Row> expected;
      for (const auto& r : full) {
        if (keep(AsInt(r[1]))) expected.push_back(r);
      }
      // Every pushed clustering restriction is exact: no filtering left to do.
      EXPECT_EQ(Sorted(Scan(*source, req)), Sorted(expected)) << "desc=" << desc;
    };
    check({Pred("ck", Op::kGt, {Int(3)})}, [](int c) { return c > 3; });
    check({Pred("ck", Op::kGe, {Int(3)}), Pred("ck", Op::kLt, {Int(7)})},
          [](int c) { return c >= 3 && c < 7; });
    check({Pred("ck", Op::kLe, {Int(2)})}, [](int c) { return c <= 2; });
    check({Pred("ck", Op::kGt, {Int(2)}), Pred("ck", Op::kGt, {Int(5)}),
           Pred("ck", Op::kLe, {Int(8)}), Pred("ck", Op::kLt, {Int(8)})},
          [](int c) { return c > 5 && c < 8; });
    check({Pred("ck", Op::kEq, {Int(5)})}, [](int c) { return c == 5; });
    check({Pred("ck", Op::kIn, {Int(8), Int(1), Int(5), Int(1)})},
          [](int c) { return c == 1 || c == 5 || c == 8; });
    check({Pred("ck", Op::kGt, {Int(7)}), Pred("ck", Op::kLt, {Int(3)})},
          [](int) { return false; });
    // With a partition key.
    ScanRequest req;
    req.predicates = {Pred("pk", Op::kEq, {Int(4)}), Pred("ck", Op::kGe, {Int(8)})};
    EXPECT_EQ(Sorted(Scan(*source, req)),
              Sorted({{Int(4), Int(8), Int(4008)}, {Int(4), Int(9), Int(4009)}}));
    // Rows of a partition come in clustering order.
    auto rows = Scan(*source, req);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(AsInt(rows[0][1]), desc ? 9 : 8);
  }
}

TEST_F(LocalSourceTest, ClusteringPrefixThenRange) {
  auto t = CreateTable("two", {{"pk", "int", ColumnKind::kPartitionKey, 0},
                               {"c1", "int", ColumnKind::kClustering, 0},
                               {"c2", "text", ColumnKind::kClustering, 1, true},
                               {"v", "int"}});
  std::vector<Row> rows;
  for (int p = 0; p < 5; ++p) {
    for (int c1 = 0; c1 < 4; ++c1) {
      for (const char* c2 : {"a", "b", "c", "d"}) {
        rows.push_back({Int(p), Int(c1), Txt(c2), Int(p * 100 + c1)});
      }
    }
  }
  Write(t, {"pk", "c1", "c2", "v"}, rows);
  auto source = Source(t, 8);
  auto check = [&](std::vector<ScanPredicate> preds, auto keep, bool exact) {
    ScanRequest req;
    req.predicates = preds;
    std::vector<Row> expected;
    for (const auto& r : rows) {
      if (keep(AsInt(r[0]), AsInt(r[1]), *r[2])) expected.push_back(r);
    }
    auto got = Scan(*source, req);
    if (exact) {
      EXPECT_EQ(Sorted(got), Sorted(expected));
      return;
    }
    std::vector<Row> filtered;
    for (const auto& r : got) {
      if (keep(AsInt(r[0]), AsInt(r[1]), *r[2])) filtered.push_back(r);
    }
    EXPECT_EQ(Sorted(filtered), Sorted(expected));
  };
  check(
      {Pred("c1", Op::kIn, {Int(3), Int(1)}), Pred("c2", Op::kGe, {Txt("b")})},
      [](int, int c1, const std::string& c2) { return (c1 == 1 || c1 == 3) && c2 >= "b"; }, true);
  check(
      {Pred("c1", Op::kEq, {Int(2)}), Pred("c2", Op::kLt, {Txt("c")})},
      [](int, int c1, const std::string& c2) { return c1 == 2 && c2 < "c"; }, true);
  check(
      {Pred("c1", Op::kEq, {Int(2)}), Pred("c2", Op::kEq, {Txt("d")}),
       Pred("pk", Op::kIn, {Int(1), Int(4)})},
      [](int pk, int c1, const std::string& c2) {
        return (pk == 1 || pk == 4) && c1 == 2 && c2 == "d";
      },
      true);
  // Only a range on the first column, with a restriction after it: the rest is left to filter.
  check(
      {Pred("c1", Op::kGt, {Int(1)}), Pred("c2", Op::kEq, {Txt("a")})},
      [](int, int c1, const std::string& c2) { return c1 > 1 && c2 == "a"; }, false);
  // No restriction on the first column: nothing about c2 can be pushed.
  check(
      {Pred("c2", Op::kEq, {Txt("a")})}, [](int, int, const std::string& c2) { return c2 == "a"; },
      false);
  ScanRequest req;
  req.predicates = {Pred("c2", Op::kEq, {Txt("a")})};
  EXPECT_EQ(Scan(*source, req).size(), rows.size());
}

TEST_F(LocalSourceTest, TokenRanges) {
  auto t = IntTable("t", 200, 2);
  auto source = Source(t, 16);
  const auto full = Scan(*source, {});
  std::vector<int64_t> tokens;
  for (const auto& r : full) tokens.push_back(Murmur3Token(*r[0]));
  std::sort(tokens.begin(), tokens.end());
  const int64_t lo = tokens[100], hi = tokens[300];
  auto check = [&](std::vector<ScanPredicate> preds, auto keep, size_t max_splits) {
    ScanRequest req;
    req.predicates = preds;
    std::vector<Row> expected;
    for (const auto& r : full) {
      if (keep(Murmur3Token(*r[0]))) expected.push_back(r);
    }
    size_t splits = 0;
    EXPECT_EQ(Sorted(Scan(*source, req, &splits)), Sorted(expected));
    EXPECT_LE(splits, max_splits);
  };
  check(
      {Pred("token", Op::kGt, {Big(lo)}), Pred("token", Op::kLe, {Big(hi)})},
      [&](int64_t k) { return k > lo && k <= hi; }, 16);
  check(
      {Pred("token", Op::kGe, {Big(lo)}), Pred("token", Op::kLt, {Big(hi)})},
      [&](int64_t k) { return k >= lo && k < hi; }, 16);
  check(
      {Pred("token", Op::kEq, {Big(lo)})}, [&](int64_t k) { return k == lo; }, 1);
  check(
      {Pred("token", Op::kGt, {Big(0)})}, [&](int64_t k) { return k > 0; }, 8);
  check(
      {Pred("token", Op::kLt, {Big(INT64_MIN)})}, [&](int64_t) { return false; }, 0);
  check(
      {Pred("token", Op::kGe, {Big(INT64_MIN)})}, [&](int64_t) { return true; }, 16);
  check(
      {Pred("token", Op::kLe, {Big(INT64_MAX)})}, [&](int64_t) { return true; }, 16);
  check(
      {Pred("token", Op::kGt, {Big(hi)}), Pred("token", Op::kLt, {Big(lo)})},
      [&](int64_t) { return false; }, 0);
}

TEST_F(LocalSourceTest, Projection) {
  auto t = CreateTable(
      "p",
      {{"pk", "int", ColumnKind::kPartitionKey, 0}, {"a", "int"}, {"b", "text"}, {"c", "double"}});
  std::vector<Row> rows;
  for (int i = 0; i < 100; ++i) {
    rows.push_back({Int(i), Int(i * 2), i % 3 ? Txt("b" + std::to_string(i)) : Value(), Dbl(i)});
  }
  Write(t, {"pk", "a", "b", "c"}, rows);
  auto source = Source(t);
  ScanRequest req;
  req.columns = {"c", "pk", "b"};
  std::vector<Row> expected;
  for (const auto& r : rows) expected.push_back({r[3], r[0], r[2]});
  EXPECT_EQ(Sorted(Scan(*source, req)), Sorted(expected));
  // Only key columns: every live row still shows.
  req.columns = {"pk"};
  EXPECT_EQ(Scan(*source, req).size(), rows.size());
  // Only a column that is NULL in some rows: those rows still show (the row marker).
  req.columns = {"b"};
  auto got = Scan(*source, req);
  EXPECT_EQ(got.size(), rows.size());
  EXPECT_EQ(std::count(got.begin(), got.end(), Row{Value()}), 34);
  req.columns = {"nope"};
  auto split = source->Splits(req);
  EXPECT_THROW(source->Scan(split.at(0), req, nullptr), CqlError);
}

TEST_F(LocalSourceTest, StaticColumns) {
  auto t = CreateTable("st", {{"pk", "int", ColumnKind::kPartitionKey, 0},
                              {"ck", "int", ColumnKind::kClustering, 0},
                              {"s", "text", ColumnKind::kStatic},
                              {"v", "int"}});
  // Partition 1: two rows and a static; partition 2: only the static.
  Write(t, {"pk", "ck", "s", "v"},
        {{Int(1), Int(1), Txt("one"), Int(10)},
         {Int(1), Int(2), Value(), Int(20)},
         {Int(2), Value(), Txt("two"), Value()}});
  auto source = Source(t);
  EXPECT_EQ(Sorted(Scan(*source, {})), Sorted({{Int(1), Int(1), Txt("one"), Int(10)},
                                               {Int(1), Int(2), Txt("one"), Int(20)},
                                               {Int(2), Value(), Txt("two"), Value()}}));
  // As CQL: the static-only row shows only when statics are selected...
  ScanRequest req;
  req.columns = {"pk", "v"};
  EXPECT_EQ(Scan(*source, req).size(), 2u);
  req.columns = {"s"};
  EXPECT_EQ(Sorted(Scan(*source, req)), Sorted({{Txt("one")}, {Txt("one")}, {Txt("two")}}));
  // ...and not under a clustering restriction.
  req.columns = {};
  req.predicates = {Pred("ck", Op::kGe, {Int(2)})};
  EXPECT_EQ(Scan(*source, req), (std::vector<Row>{{Int(1), Int(2), Txt("one"), Int(20)}}));
  // Reading the static-only row back through a sink writes it again as one.
  auto copy = CreateTable("st2", {{"pk", "int", ColumnKind::kPartitionKey, 0},
                                  {"ck", "int", ColumnKind::kClustering, 0},
                                  {"s", "text", ColumnKind::kStatic},
                                  {"v", "int"}});
  auto sink = MakeLocalSink(store_.get(), copy);
  for (const auto& split : source->Splits({})) {
    auto stream = source->Scan(split, {}, nullptr);
    Batch b;
    while (stream->Next(&b)) sink->Write(source->schema(), b);
  }
  EXPECT_EQ(sink->Finish(), 3u);
  EXPECT_EQ(Sorted(Scan(*Source(copy), {})), Sorted(Scan(*source, {})));
}

TEST_F(LocalSourceTest, SinkRejectsBadRows) {
  auto t = CreateTable("e", {{"pk", "int", ColumnKind::kPartitionKey, 0},
                             {"ck", "text", ColumnKind::kClustering, 0},
                             {"v", "int"}});
  auto sink = MakeLocalSink(store_.get(), t);
  auto expect_invalid = [&](const Schema& schema, const std::vector<Row>& rows,
                            const std::string& message) {
    try {
      sink->Write(schema, MakeBatch(schema, rows));
      ADD_FAILURE() << "no error, expected " << message;
    } catch (const CqlError& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalid);
      EXPECT_EQ(std::string(e.what()), message);
    }
  };
  const DataType kInt = DataType::Of(TypeKind::kInt);
  const DataType kText = DataType::Of(TypeKind::kText);
  Schema full{{{"pk", kInt, ""}, {"ck", kText, ""}, {"v", kInt, ""}}};
  expect_invalid(full, {{Value(), Txt("a"), Int(1)}},
                 "Invalid null value in condition for column pk");
  expect_invalid(full, {{Int(1), Value(), Int(1)}},
                 "Invalid null value in condition for column ck");
  expect_invalid(Schema{{{"pk", kInt, ""}, {"v", kInt, ""}}}, {{Int(1), Int(1)}},
                 "Missing PRIMARY KEY part ck");
  expect_invalid(Schema{{{"pk", kInt, ""}, {"ck", kText, ""}, {"zz", kInt, ""}}},
                 {{Int(1), Txt("a"), Int(1)}}, "Undefined column name zz");
  try {
    Schema wrong{{{"pk", kInt, ""}, {"ck", kText, ""}, {"v", DataType::Of(TypeKind::kDouble), ""}}};
    sink->Write(wrong, MakeBatch(wrong, {{Int(1), Txt("a"), Dbl(1)}}));
    ADD_FAILURE() << "a double went into an int column";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalid);
  }
  // Same physical form: converted, with range checks.
  Schema wide{{{"pk", DataType::Of(TypeKind::kBigint), ""}, {"ck", kText, ""}, {"v", kInt, ""}}};
  sink->Write(wide, MakeBatch(wide, {{Big(5), Txt("a"), Int(1)}}));
  EXPECT_THROW(sink->Write(wide, MakeBatch(wide, {{Big(int64_t{1} << 40), Txt("a"), Int(1)}})),
               CqlError);
  EXPECT_EQ(sink->Finish(), 1u);
  EXPECT_EQ(Scan(*Source(t), {}), (std::vector<Row>{{Int(5), Txt("a"), Int(1)}}));
}

TEST_F(LocalSourceTest, SinkIsThreadSafe) {
  auto t = CreateTable("mt", {{"pk", "int", ColumnKind::kPartitionKey, 0}, {"v", "double"}});
  auto sink = MakeLocalSink(store_.get(), t);
  Schema schema{
      {{"pk", DataType::Of(TypeKind::kInt), ""}, {"v", DataType::Of(TypeKind::kDouble), ""}}};
  std::vector<std::thread> threads;
  for (int th = 0; th < 4; ++th) {
    threads.emplace_back([&, th] {
      std::vector<Row> rows;
      for (int i = 0; i < 5000; ++i) rows.push_back({Int(th * 5000 + i), Dbl(i)});
      sink->Write(schema, MakeBatch(schema, rows));
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(sink->Finish(), 20000u);
  auto rows = Scan(*Source(t), {});
  EXPECT_EQ(rows.size(), 20000u);
  EXPECT_EQ(std::set<Row>(rows.begin(), rows.end()).size(), 20000u);
}

TEST_F(LocalSourceTest, ProgressAndCancellation) {
  auto t = IntTable("t", 1000, 5);
  auto source = Source(t, 8);
  Progress progress;
  EXPECT_EQ(Scan(*source, {}, nullptr, &progress).size(), 5000u);
  EXPECT_EQ(progress.rows_scanned.load(), 5000u);
  EXPECT_EQ(progress.splits_done.load(), 8u);
  Progress cancelled;
  cancelled.cancelled = true;
  EXPECT_TRUE(Scan(*source, {}, nullptr, &cancelled).empty());
  EXPECT_EQ(cancelled.rows_scanned.load(), 0u);
}

TEST_F(LocalSourceTest, ScanOperator) {
  auto t = IntTable("t", 100, 3);
  auto source = Source(t, 16);
  ScanRequest req;
  req.columns = {"v", "pk"};
  req.predicates = {Pred("pk", Op::kIn, {Int(1), Int(2)}), Pred("token", Op::kGt, {Big(-5)})};
  auto scan = MakeScan(source, req);
  EXPECT_EQ(scan->partitions(), source->Splits(req).size());
  ASSERT_EQ(scan->schema().size(), 2u);
  EXPECT_EQ(scan->schema().fields[0].name, "v");
  EXPECT_EQ(scan->schema().fields[1].type, DataType::Of(TypeKind::kInt));
  EXPECT_EQ(scan->schema().fields[1].qualifier, "t");
  EXPECT_EQ(scan->Describe(),
            "Scan ks.t columns=[v, pk] predicates=[pk IN (1, 2), token > -5] "
            "splits=" +
                std::to_string(scan->partitions()));
  EXPECT_TRUE(scan->children().empty());

  auto all = MakeScan(source, {});
  EXPECT_EQ(all->partitions(), 16u);
  EXPECT_EQ(all->schema().size(), 3u);
  EXPECT_EQ(all->Describe(), "Scan ks.t columns=[pk, ck, v] predicates=[] splits=16");
  Progress progress;
  ExecContext ctx;
  ctx.progress = &progress;
  all->Prepare(ctx);
  EXPECT_EQ(progress.splits_total.load(), 16u);
  size_t rows = 0;
  for (size_t p = 0; p < all->partitions(); ++p) {
    auto stream = all->Open(p, ctx);
    Batch b;
    while (stream->Next(&b)) rows += b.num_rows;
  }
  EXPECT_EQ(rows, 300u);
  EXPECT_EQ(progress.rows_scanned.load(), 300u);
  EXPECT_EQ(progress.splits_done.load(), 16u);
  EXPECT_THROW(MakeScan(source, ScanRequest{{"nope"}, {}}), CqlError);
}

}  // namespace
}  // namespace helenus::exec

#include "exec/spill.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "helenus/exec/operators.h"
#include "helenus/exec/pool.h"

namespace helenus::exec {
namespace {

DataType Big() {
  return DataType::Of(TypeKind::kBigint);
}
DataType Dbl() {
  return DataType::Of(TypeKind::kDouble);
}
DataType Txt() {
  return DataType::Of(TypeKind::kText);
}

class Ref : public BoundExpr {
 public:
  Ref(size_t index, DataType type) : BoundExpr(std::move(type)), index_(index) {}
  Column Evaluate(const Batch& input) const override { return input.columns[index_]; }
  int ColumnIndex() const override { return static_cast<int>(index_); }

 private:
  size_t index_;
};

// Copies its column, but throws once `budget` batches have been evaluated.
class Exploding : public BoundExpr {
 public:
  Exploding(size_t index, DataType type, int budget)
      : BoundExpr(std::move(type)), index_(index), left_(budget) {}
  Column Evaluate(const Batch& input) const override {
    if (left_.fetch_sub(1) <= 0) throw std::runtime_error("boom");
    return input.columns[index_];
  }

 private:
  size_t index_;
  mutable std::atomic<int> left_;
};

// True when the bigint column index is even.
class Even : public BoundExpr {
 public:
  explicit Even(size_t index) : BoundExpr(DataType::Of(TypeKind::kBoolean)), index_(index) {}
  Column Evaluate(const Batch& input) const override {
    const Column& c = input.columns[index_];
    Column out = Column::Make(type(), input.num_rows);
    for (size_t i = 0; i < input.num_rows; ++i) {
      c.IsNull(i) ? out.AppendNull() : out.AppendInt(c.ints[i] % 2 == 0 ? 1 : 0);
    }
    return out;
  }

 private:
  size_t index_;
};

BoundExprPtr R(size_t i, DataType t) {
  return std::make_shared<Ref>(i, std::move(t));
}

Schema MakeSchema(const std::vector<std::pair<std::string, DataType>>& fields) {
  Schema s;
  for (const auto& [name, type] : fields) s.fields.push_back(Field{name, type, ""});
  return s;
}

// A row as a hash of its exact (non-double) values plus its doubles, which
// may differ in the last bits when partial states merge in another order.
struct RowPrint {
  uint64_t hash;
  std::vector<double> doubles;
  bool operator<(const RowPrint& o) const {
    return hash != o.hash ? hash < o.hash : doubles < o.doubles;
  }
};

std::vector<RowPrint> SortedRows(const std::vector<Batch>& batches) {
  std::vector<RowPrint> rows;
  for (const Batch& b : batches) {
    for (size_t i = 0; i < b.num_rows; ++i) {
      RowPrint row{0x1234, {}};
      for (const Column& c : b.columns) {
        if (c.physical() == Physical::kDouble && !c.IsNull(i)) {
          row.doubles.push_back(c.doubles[i]);
        } else {
          row.hash = HashValue(c, i, row.hash);
        }
      }
      rows.push_back(std::move(row));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

bool SameRow(const RowPrint& a, const RowPrint& b) {
  if (a.hash != b.hash || a.doubles.size() != b.doubles.size()) return false;
  for (size_t i = 0; i < a.doubles.size(); ++i) {
    double x = a.doubles[i];
    double y = b.doubles[i];
    if (std::isnan(x) || std::isnan(y)) {
      if (std::isnan(x) != std::isnan(y)) return false;
      continue;
    }
    if (std::fabs(x - y) > 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)})) return false;
  }
  return true;
}

// A fresh spill directory, removed at the end.
class SpillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "helenus-spill-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  size_t FilesInDir() const {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir_),
                                             std::filesystem::directory_iterator()));
  }
  static size_t OpenFds() {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                             std::filesystem::directory_iterator()));
  }

  // Runs op with unlimited memory and then with 64 KB; both results must be
  // equal and only the second may spill.
  void ExpectSameWithTinyMemory(const std::function<OperatorPtr()>& make) {
    Progress unlimited_progress;
    ExecContext unlimited{&pool_, size_t{1} << 40, dir_, &unlimited_progress};
    auto expect = SortedRows(CollectAll(make(), unlimited));
    EXPECT_EQ(unlimited_progress.bytes_spilled.load(), 0u);
    size_t fds = OpenFds();
    Progress progress;
    ExecContext tiny{&pool_, 64 * 1024, dir_, &progress};
    {
      auto op = make();
      auto got = SortedRows(CollectAll(op, tiny));
      EXPECT_GT(progress.bytes_spilled.load(), 0u);
      ASSERT_EQ(got.size(), expect.size());
      size_t different = 0;
      for (size_t i = 0; i < got.size(); ++i) different += !SameRow(got[i], expect[i]);
      EXPECT_EQ(different, 0u);
    }
    EXPECT_EQ(FilesInDir(), 0u);
    EXPECT_EQ(OpenFds(), fds);  // every spill file closed
  }

  ComputePool pool_{4};
  std::string dir_;
};

TEST_F(SpillTest, SetsRoundTripRecordsFromManyThreads) {
  Progress progress;
  ExecContext ctx{&pool_, 1 << 20, dir_, &progress};
  size_t fds = OpenFds();
  {
    ops::SpillSet set(3, ctx);
    EXPECT_EQ(FilesInDir(), 0u);    // unlinked at once
    EXPECT_EQ(OpenFds(), fds + 1);  // one file for all partitions
    pool_.ParallelFor(4, [&](size_t t) {
      ops::SpillWriter writer(&set);
      for (int i = 0; i < 5000; ++i) {
        writer.Begin(static_cast<size_t>(i % 3)) += std::to_string(t) + ":" + std::to_string(i);
        writer.End();
      }
      if (t == 0) {
        writer.Begin(1).append(std::string(3 << 20, 'z'));  // larger than any buffer
        writer.End();
      }
      writer.Flush();
    });
    size_t records = 0;
    size_t big = 0;
    uint64_t bytes = 0;
    for (size_t p = 0; p < set.size(); ++p) {
      bytes += set.bytes(p);
      ops::SpillReader reader(set, p);
      std::string_view r;
      while (reader.Next(&r)) {
        if (r.size() == (3u << 20)) {
          ++big;
          EXPECT_EQ(r.find_first_not_of('z'), std::string_view::npos);
          continue;
        }
        ++records;
        int i = std::stoi(std::string(r.substr(r.find(':') + 1)));
        EXPECT_EQ(static_cast<size_t>(i % 3), p);
      }
    }
    EXPECT_EQ(records, 20000u);
    EXPECT_EQ(big, 1u);
    EXPECT_EQ(progress.bytes_spilled.load(), bytes);
    set.Release(0);
    EXPECT_EQ(set.bytes(0), 0u);
    ops::SpillReader empty(set, 0);
    std::string_view r;
    EXPECT_FALSE(empty.Next(&r));
  }
  EXPECT_EQ(OpenFds(), fds);
}

// n rows: k in [0, 0.3 n) (some NULL), x, d, t.
Batch AggregateInput(int n) {
  Schema s = MakeSchema({{"k", Big()}, {"x", Big()}, {"d", Dbl()}, {"t", Txt()}});
  Batch b = Batch::Empty(s, static_cast<size_t>(n));
  std::mt19937_64 rng(5);
  for (int i = 0; i < n; ++i) {
    int64_t k = static_cast<int64_t>(rng() % static_cast<uint64_t>(n * 3 / 10));
    k % 101 == 0 ? b.columns[0].AppendNull() : b.columns[0].AppendInt(k);
    i % 17 == 0 ? b.columns[1].AppendNull()
                : b.columns[1].AppendInt(static_cast<int64_t>(rng() % 1000));
    b.columns[2].AppendDouble(static_cast<double>(rng() % 100000) / 7.0);
    b.columns[3].AppendString("g" + std::to_string(k % (n / 10)));
  }
  b.num_rows = static_cast<size_t>(n);
  return b;
}

std::vector<Batch> Chunks(const Batch& b, size_t parts) {
  std::vector<Batch> out;
  size_t step = (b.num_rows + parts - 1) / parts;
  for (size_t begin = 0; begin < b.num_rows; begin += step) {
    out.push_back(b.Slice(begin, std::min(b.num_rows, begin + step)));
  }
  return out;
}

TEST_F(SpillTest, AggregateGivesTheSameResultWithTinyMemory) {
  Batch input = AggregateInput(200000);
  Batch small = AggregateInput(50000);
  Schema s = MakeSchema({{"k", Big()}, {"x", Big()}, {"d", Dbl()}, {"t", Txt()}});
  auto aggs = [] {
    return std::vector<AggregateSpec>{
        {"count", nullptr, false, "n"},           {"sum", R(1, Big()), false, "s"},
        {"min", R(3, Txt()), false, "mn"},        {"max", R(2, Dbl()), false, "mx"},
        {"var_pop", R(1, Big()), false, "v"},     {"count", R(1, Big()), true, "cd"},
        {"collect_set", R(1, Big()), false, "cs"}};
  };
  // One int64 key.
  ExpectSameWithTinyMemory([&] {
    return MakeHashAggregate(MakeValues(s, Chunks(input, 8)), {R(0, Big())},
                             {Field{"k", Big(), ""}}, aggs());
  });
  // One text key and two keys (the general encoding).
  ExpectSameWithTinyMemory([&] {
    return MakeHashAggregate(MakeValues(s, Chunks(small, 8)), {R(3, Txt())},
                             {Field{"t", Txt(), ""}}, {{"avg", R(2, Dbl()), false, "a"}});
  });
  ExpectSameWithTinyMemory([&] {
    return MakeHashAggregate(MakeValues(s, Chunks(small, 8)), {R(3, Txt()), R(0, Big())},
                             {Field{"t", Txt(), ""}, Field{"k", Big(), ""}},
                             {{"count", nullptr, false, "n"}});
  });
  ExpectSameWithTinyMemory([&] { return MakeDistinct(MakeValues(s, Chunks(small, 8))); });
}

TEST_F(SpillTest, AggregateWithOneHugeGroupStillFinishes) {
  Schema s = MakeSchema({{"k", Big()}, {"x", Big()}});
  Batch b = Batch::Empty(s, 60000);
  for (int i = 0; i < 60000; ++i) {
    b.columns[0].AppendInt(i % 5 == 0 ? i : 1);  // four fifths of the rows in group 1
    b.columns[1].AppendInt(i % 20000);
  }
  b.num_rows = 60000;
  ExpectSameWithTinyMemory([&] {
    return MakeHashAggregate(
        MakeValues(s, Chunks(b, 6)), {R(0, Big())}, {Field{"k", Big(), ""}},
        {{"collect_set", R(1, Big()), false, "xs"}, {"count", R(1, Big()), true, "n"}});
  });
}

TEST_F(SpillTest, AggregateCleansUpWhenAnExpressionThrows) {
  Batch input = AggregateInput(200000);
  Schema s = MakeSchema({{"k", Big()}, {"x", Big()}, {"d", Dbl()}, {"t", Txt()}});
  size_t fds = OpenFds();
  Progress progress;
  ExecContext tiny{&pool_, 64 * 1024, dir_, &progress};
  auto op =
      MakeHashAggregate(MakeValues(s, Chunks(input, 8)), {R(0, Big())}, {Field{"k", Big(), ""}},
                        {{"sum", std::make_shared<Exploding>(1, Big(), 30), false, "s"}});
  EXPECT_THROW(CollectAll(op, tiny), std::runtime_error);
  EXPECT_GT(progress.bytes_spilled.load(), 0u);
  op.reset();
  EXPECT_EQ(FilesInDir(), 0u);
  EXPECT_EQ(OpenFds(), fds);
}

// left(k, lid) n rows over 0.75 n keys, right(k, rid, tag) n rows over n
// keys: many matches, many misses on both sides, some NULL keys.
std::pair<Batch, Batch> JoinInputs(int n) {
  Schema ls = MakeSchema({{"k", Big()}, {"lid", Big()}});
  Schema rs = MakeSchema({{"k", Big()}, {"rid", Big()}, {"tag", Txt()}});
  Batch l = Batch::Empty(ls, static_cast<size_t>(n));
  Batch r = Batch::Empty(rs, static_cast<size_t>(n));
  std::mt19937_64 rng(9);
  auto un = static_cast<uint64_t>(n);
  for (int i = 0; i < n; ++i) {
    int64_t k = static_cast<int64_t>(rng() % (un * 3 / 4));
    k % 997 == 0 ? l.columns[0].AppendNull() : l.columns[0].AppendInt(k);
    l.columns[1].AppendInt(i);
    int64_t rk = static_cast<int64_t>(rng() % un + un / 4);
    rk % 991 == 0 ? r.columns[0].AppendNull() : r.columns[0].AppendInt(rk);
    r.columns[1].AppendInt(i);
    r.columns[2].AppendString("tag" + std::to_string(i % 100));
  }
  l.num_rows = r.num_rows = static_cast<size_t>(n);
  return {l, r};
}

TEST_F(SpillTest, JoinGivesTheSameResultWithTinyMemory) {
  auto [l, r] = JoinInputs(200000);
  Schema ls = MakeSchema({{"k", Big()}, {"lid", Big()}});
  Schema rs = MakeSchema({{"k", Big()}, {"rid", Big()}, {"tag", Txt()}});
  ExpectSameWithTinyMemory([&] {
    return MakeHashJoin(MakeValues(ls, Chunks(l, 6)), MakeValues(rs, Chunks(r, 5)),
                        JoinType::kInner, {R(0, Big())}, {R(0, Big())}, nullptr);
  });
  // Every join type on a smaller input (64 KB still forces nested spills).
  auto [sl, sr] = JoinInputs(40000);
  for (JoinType type :
       {JoinType::kLeft, JoinType::kRight, JoinType::kFull, JoinType::kSemi, JoinType::kAnti}) {
    SCOPED_TRACE(static_cast<int>(type));
    ExpectSameWithTinyMemory([&, type = type] {
      return MakeHashJoin(MakeValues(ls, Chunks(sl, 6)), MakeValues(rs, Chunks(sr, 5)), type,
                          {R(0, Big())}, {R(0, Big())}, nullptr);
    });
  }
  // Two keys (the general encoding) and a residual on the right row id.
  ExpectSameWithTinyMemory([&] {
    auto left = MakeValues(ls, Chunks(sl, 3));
    auto right = MakeValues(rs, Chunks(sr, 3));
    return MakeHashJoin(left, right, JoinType::kFull, {R(0, Big()), R(1, Big())},
                        {R(0, Big()), R(1, Big())}, std::make_shared<Even>(3));
  });
}

TEST_F(SpillTest, JoinWithOneHotKeyStillFinishes) {
  Schema s = MakeSchema({{"k", Big()}, {"id", Big()}});
  Batch build = Batch::Empty(s, 30000);
  for (int i = 0; i < 30000; ++i) {
    build.columns[0].AppendInt(i < 20000 ? 7 : i);  // one key holds two thirds of the rows
    build.columns[1].AppendInt(i);
  }
  build.num_rows = 30000;
  Batch probe = Batch::Empty(s, 100);
  for (int i = 0; i < 100; ++i) {
    probe.columns[0].AppendInt(i % 10 == 0 ? 7 : 25000 + i);
    probe.columns[1].AppendInt(i);
  }
  probe.num_rows = 100;
  ExpectSameWithTinyMemory([&] {
    return MakeHashJoin(MakeValues(s, {probe}), MakeValues(s, Chunks(build, 4)), JoinType::kFull,
                        {R(0, Big())}, {R(0, Big())}, nullptr);
  });
}

}  // namespace
}  // namespace helenus::exec

// Group-by + join on generated rows with the DataFrame API, the same query
// bench/analytics_pandas.py runs with pandas on the same data:
//
//   SELECT i.category, count(*), sum(f.amount), avg(f.amount)
//   FROM facts f JOIN items i ON f.item_id = i.item_id GROUP BY i.category
//
// Usage: analytics_bench [--rows N] [--items M] [--table DIR]
// Without --table the rows live in memory (as pandas' do); with --table they
// are first written to a Store table in DIR and the query scans it.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "helenus/exec/dataframe.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"

using namespace helenus;
using namespace helenus::exec;

namespace {

// Same formulas as analytics_pandas.py.
int64_t ItemOf(int64_t i, int64_t items) {
  return (i * 2654435761LL) % items;
}
double AmountOf(int64_t i) {
  return static_cast<double>((i * 40503LL) % 100000) / 100.0;
}
std::string CategoryOf(int64_t item) {
  return "cat_" + std::to_string(item % 100);
}

Schema FactSchema() {
  return Schema{{Field{"id", DataType::Of(TypeKind::kBigint), "f"},
                 Field{"item_id", DataType::Of(TypeKind::kInt), "f"},
                 Field{"amount", DataType::Of(TypeKind::kDouble), "f"}}};
}

Schema ItemSchema() {
  return Schema{{Field{"item_id", DataType::Of(TypeKind::kInt), "i"},
                 Field{"category", DataType::Of(TypeKind::kText), "i"}}};
}

std::vector<Batch> Facts(int64_t rows, int64_t items) {
  std::vector<Batch> out;
  Schema s = FactSchema();
  for (int64_t start = 0; start < rows; start += kBatchRows) {
    int64_t end = std::min<int64_t>(rows, start + kBatchRows);
    Batch b = Batch::Empty(s, end - start);
    for (int64_t i = start; i < end; ++i) {
      b.columns[0].AppendInt(i);
      b.columns[1].AppendInt(ItemOf(i, items));
      b.columns[2].AppendDouble(AmountOf(i));
    }
    b.num_rows = end - start;
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<Batch> Items(int64_t items) {
  std::vector<Batch> out;
  Schema s = ItemSchema();
  for (int64_t start = 0; start < items; start += kBatchRows) {
    int64_t end = std::min<int64_t>(items, start + kBatchRows);
    Batch b = Batch::Empty(s, end - start);
    for (int64_t i = start; i < end; ++i) {
      b.columns[0].AppendInt(i);
      b.columns[1].AppendString(CategoryOf(i));
    }
    b.num_rows = end - start;
    out.push_back(std::move(b));
  }
  return out;
}

DataFrame Query(const DataFrame& facts, const DataFrame& items) {
  return facts.alias("f")
      .join(items.alias("i"), Col("f.item_id") == Col("i.item_id"))
      .group_by({Col("i.category")})
      .agg({Expr::As(Fn("count", Expr::Star()), "n"), Expr::As(Fn("sum", Col("f.amount")), "total"),
            Expr::As(Fn("avg", Col("f.amount")), "mean")});
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  int64_t rows = 10'000'000, items = 100'000;
  std::string table_dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--rows")) rows = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--items")) items = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--table")) table_dir = argv[i + 1];
  }
  std::fprintf(stderr, "generating %lld fact rows, %lld items...\n", static_cast<long long>(rows),
               static_cast<long long>(items));
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::Catalog> catalog;
  if (!table_dir.empty()) {
    std::filesystem::remove_all(table_dir);
    storage::StoreOptions options;
    options.sync_each_write = false;
    store = std::move(*storage::Store::Open(table_dir, options));
    catalog = std::move(*storage::Catalog::Load(store.get()));
  }
  Engine engine(store.get(), catalog.get());
  DataFrame facts = engine.FromBatches(FactSchema(), Facts(rows, items));
  DataFrame item_df = engine.FromBatches(ItemSchema(), Items(items));
  if (store) {
    storage::KeyspaceSchema ks;
    ks.name = "bench";
    ks.replication = {{"class", "SimpleStrategy"}, {"replication_factor", "1"}};
    (void)catalog->PutKeyspace(ks);
    auto make = [&](const std::string& name, const Schema& schema) {
      storage::TableSchema t;
      t.keyspace = "bench";
      t.name = name;
      for (size_t c = 0; c < schema.size(); ++c) {
        storage::ColumnSchema col;
        col.name = schema.fields[c].name;
        col.type = schema.fields[c].type;
        col.kind = c == 0 ? storage::ColumnKind::kPartitionKey : storage::ColumnKind::kRegular;
        col.position = c == 0 ? 0 : -1;
        if (c > 0) col.id = t.next_column_id++;  // storage ids, as CREATE TABLE assigns them
        t.columns.push_back(col);
      }
      (void)catalog->PutTable(t);
    };
    make("facts", FactSchema());
    make("items", ItemSchema());
    auto load = std::chrono::steady_clock::now();
    std::fprintf(stderr, "writing tables to %s...\n", table_dir.c_str());
    facts.write("bench.facts");
    item_df.write("bench.items");
    (void)store->CompactAll();
    std::fprintf(stderr, "loaded in %.1f s\n", Seconds(load));
    facts = engine.Table("bench.facts");
    item_df = engine.Table("bench.items");
  }
  auto start = std::chrono::steady_clock::now();
  Rows result = Query(facts, item_df).collect();
  double seconds = Seconds(start);
  // A checksum both sides compute identically: total count and total sum.
  int64_t n = 0;
  double total = 0;
  for (const auto& b : result.batches) {
    for (size_t r = 0; r < b.num_rows; ++r) {
      n += b.columns[1].ints[r];
      total += b.columns[2].doubles[r];
    }
  }
  std::printf("analytics_bench rows=%lld groups=%zu seconds=%.3f threads=%zu count=%lld sum=%.2f\n",
              static_cast<long long>(rows), result.size(), seconds, engine.pool()->threads(),
              static_cast<long long>(n), total);
  return 0;
}

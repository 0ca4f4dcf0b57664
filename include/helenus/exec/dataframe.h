#pragma once

// A lazy DataFrame API in the style of Spark's: every transformation returns
// a new DataFrame over a bigger logical plan; actions (count, collect, show,
// write) plan and run it on the compute pool.

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/exec/plan.h"
#include "helenus/exec/pool.h"

namespace helenus::storage {
class Store;
class Catalog;
}  // namespace helenus::storage

namespace helenus::exec {

class DataFrame;

// What DataFrames run against: the local store and catalog, and the pool.
class Engine {
 public:
  Engine(storage::Store* store, storage::Catalog* catalog,
         ComputePool* pool = &ComputePool::Default());

  // The table "ks.name" (or name in default_keyspace); Invalid when unknown.
  DataFrame Table(std::string_view name, std::string_view default_keyspace = {}) const;
  // A DataFrame over rows in memory.
  DataFrame FromBatches(Schema schema, std::vector<Batch> batches) const;
  // The source reading ks.name; Invalid when unknown.
  std::shared_ptr<TableSource> Source(std::string_view ks, std::string_view name) const;
  // The sink writing ks.name; Invalid when unknown.
  std::shared_ptr<TableSink> Sink(std::string_view ks, std::string_view name) const;
  // A context for running one statement (progress may be null).
  ExecContext NewContext(Progress* progress = nullptr) const;

  storage::Store* store() const { return store_; }
  storage::Catalog* catalog() const { return catalog_; }
  ComputePool* pool() const { return pool_; }
  // Bytes a blocking operator may hold before spilling (default 1 GiB).
  void set_memory_limit(size_t bytes) { memory_limit_ = bytes; }
  // Where operators spill (default: $TMPDIR or /tmp).
  void set_spill_dir(std::string dir) { spill_dir_ = std::move(dir); }

 private:
  storage::Store* store_;
  storage::Catalog* catalog_;
  ComputePool* pool_;
  size_t memory_limit_ = size_t{1} << 30;
  std::string spill_dir_;
};

// Rows produced by an action, with their schema.
struct Rows {
  Schema schema;
  std::vector<Batch> batches;

  // Total number of rows.
  size_t size() const;
  // All rows in one batch.
  Batch Concat() const;
};

// The result of group_by, waiting for its aggregates.
class GroupedData {
 public:
  GroupedData(const Engine* engine, PlanPtr input, std::vector<ExprPtr> keys)
      : engine_(engine), input_(std::move(input)), keys_(std::move(keys)) {}
  // One row per group: the keys, then each aggregate (Expr::Call("avg", ...),
  // optionally Expr::As(..., "name")).
  DataFrame agg(std::vector<ExprPtr> aggregates) const;
  // Rows per group, as column "count".
  DataFrame count() const;

 private:
  const Engine* engine_;
  PlanPtr input_;
  std::vector<ExprPtr> keys_;
};

// A lazy, immutable query over rows.
class DataFrame {
 public:
  DataFrame(const Engine* engine, PlanPtr plan) : engine_(engine), plan_(std::move(plan)) {}

  // Output columns.
  const Schema& schema() const { return plan_->schema; }
  // The logical plan.
  const PlanPtr& plan() const { return plan_; }
  const Engine* engine() const { return engine_; }

  // Transformations (lazy).
  DataFrame filter(ExprPtr predicate) const;
  DataFrame select(std::vector<ExprPtr> exprs) const;
  DataFrame select(const std::vector<std::string>& columns) const;
  DataFrame with_column(std::string name, ExprPtr expr) const;
  DataFrame with_column_renamed(std::string_view from, std::string to) const;
  DataFrame drop(const std::vector<std::string>& columns) const;
  GroupedData group_by(std::vector<ExprPtr> keys) const;
  GroupedData group_by(const std::vector<std::string>& columns) const;
  // Join on a condition over both sides' columns.
  DataFrame join(const DataFrame& other, ExprPtr on, JoinType type = JoinType::kInner) const;
  // Join on equally named columns, kept once in the output (Spark's join(df, "id")).
  DataFrame join(const DataFrame& other, const std::vector<std::string>& using_columns,
                 JoinType type = JoinType::kInner) const;
  DataFrame order_by(std::vector<SortItem> items) const;
  DataFrame order_by(const std::vector<std::string>& columns) const;
  DataFrame limit(int64_t n) const;
  DataFrame distinct() const;
  DataFrame union_all(const DataFrame& other) const;
  // Requalifies every column as alias.name (for self-joins).
  DataFrame alias(std::string alias) const;
  // Disjoint random subsets with the given relative weights; each row lands in
  // exactly one; deterministic per seed whatever the thread count.
  std::vector<DataFrame> random_split(std::vector<double> weights, uint64_t seed) const;

  // Actions.
  uint64_t count() const;
  Rows collect() const;
  // Prints the first n rows as a table.
  void show(size_t n = 20, std::ostream* out = nullptr) const;
  // Appends the rows to table "ks.name" (columns matched by name); returns rows written.
  uint64_t write(std::string_view table, std::string_view default_keyspace = {}) const;
  // The logical and physical plans.
  std::string explain() const;

 private:
  DataFrame With(PlanPtr plan) const { return DataFrame(engine_, std::move(plan)); }
  const Engine* engine_;
  PlanPtr plan_;
};

// Shorthands for building expressions: Col("x"), Lit(1.5), Fn("avg", Col("x")).
inline ExprPtr Col(std::string_view name) {
  return Expr::Col(name);
}
inline ExprPtr Lit(int64_t v) {
  return Expr::Int(v);
}
inline ExprPtr Lit(int v) {
  return Expr::Int(v);
}
inline ExprPtr Lit(double v) {
  return Expr::Double(v);
}
inline ExprPtr Lit(bool v) {
  return Expr::Bool(v);
}
inline ExprPtr Lit(const char* v) {
  return Expr::Text(v);
}
inline ExprPtr Lit(std::string_view v) {
  return Expr::Text(v);
}
template <typename... Args>
ExprPtr Fn(std::string name, Args... args) {
  return Expr::Call(std::move(name), std::vector<ExprPtr>{std::move(args)...});
}

}  // namespace helenus::exec

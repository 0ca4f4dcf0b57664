#pragma once

// Seams between the engine and where rows live (DESIGN.md): a TableSource
// lists token-range splits and scans each into batches; a TableSink writes
// batches into a table. LocalSource/LocalSink use the in-process Store.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "helenus/common/value.h"
#include "helenus/exec/column.h"
#include "helenus/exec/operator.h"

namespace helenus::storage {
class Store;
struct TableSchema;
}  // namespace helenus::storage

namespace helenus::exec {

// One unit of parallel scanning: the token range (start, end] and who should read it.
struct Split {
  int64_t start_token = INT64_MIN;  // exclusive
  int64_t end_token = INT64_MAX;    // inclusive
  std::string replica;              // host that owns it; "" = this process
};

// A restriction a source may use to read less (it never has to: the engine
// still filters every row). Conjunctive.
struct ScanPredicate {
  // How the column compares with the values.
  enum class Op { kEq, kIn, kLt, kLe, kGt, kGe };
  std::string column;  // a table column, or "token" for token(partition key)
  Op op = Op::kEq;
  std::vector<Value> values;  // CQL-serialized in the column's type (token: bigint)
};

// What to read.
struct ScanRequest {
  std::vector<std::string> columns;  // output columns in this order; empty = all
  std::vector<ScanPredicate> predicates;
};

// Somewhere rows can be scanned from, split by token range.
class TableSource {
 public:
  virtual ~TableSource() = default;
  // All columns of the table (qualifier = table name).
  virtual const Schema& schema() const = 0;
  // "ks.table", for EXPLAIN and errors.
  virtual std::string name() const = 0;
  // Token ranges covering the ring (or only what predicates allow).
  virtual std::vector<Split> Splits(const ScanRequest& request) = 0;
  // The rows of one split, as batches of request.columns.
  virtual std::unique_ptr<BatchStream> Scan(const Split& split, const ScanRequest& request,
                                            Progress* progress) = 0;
};

// Somewhere batches can be written.
class TableSink {
 public:
  virtual ~TableSink() = default;
  // Writes rows of batch, whose columns are named by schema; thread-safe.
  virtual void Write(const Schema& schema, const Batch& batch) = 0;
  // Flushes anything buffered; returns rows written.
  virtual uint64_t Finish() = 0;
};

// Reads a table of the local Store; splits = fixed token ranges (64 by
// default, independent of thread count). Pushes partition-key =/IN, clustering
// prefix =/ranges and token ranges into the storage reads.
std::shared_ptr<TableSource> MakeLocalSource(const storage::Store* store,
                                             std::shared_ptr<const storage::TableSchema> table,
                                             size_t num_splits = 64);

// Writes rows into a table of the local Store, in atomic chunks; every
// primary-key column must be present and non-NULL (Invalid otherwise).
std::shared_ptr<TableSink> MakeLocalSink(storage::Store* store,
                                         std::shared_ptr<const storage::TableSchema> table);

// Scans source: one output partition per split.
OperatorPtr MakeScan(std::shared_ptr<TableSource> source, ScanRequest request);

}  // namespace helenus::exec

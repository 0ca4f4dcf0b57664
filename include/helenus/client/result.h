#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/common/value.h"
#include "helenus/cql/messages.h"

namespace helenus::client {

class SessionCore;
class Result;
class ResultIterator;
struct Statement;

// The RESULT kinds a request can produce.
enum class ResultKind { kVoid, kRows, kSetKeyspace, kPrepared, kSchemaChange };

// One page of rows with its columns (shared by the Rows that point into it).
struct Page {
  std::vector<cql::ColumnSpec> columns;
  std::vector<std::vector<Value>> rows;
  std::optional<std::string> paging_state;  // set when more pages follow

  // Index of a column by name (case-sensitive, then case-insensitive); -1 if absent.
  int ColumnIndex(std::string_view name) const;
};

// A view of one row; stays valid as long as any Row or Result holds its page.
class Row {
 public:
  // A row of page at index.
  Row(std::shared_ptr<const Page> page, size_t index) : page_(std::move(page)), index_(index) {}

  // Number of columns.
  size_t size() const { return page_->columns.size(); }
  // The columns of the row.
  const std::vector<cql::ColumnSpec>& columns() const { return page_->columns; }
  // Raw value of column i (nullopt = null); throws ClientError(kUsage) when out of range.
  const Value& Get(size_t i) const;
  // Raw value of the named column; throws ClientError(kUsage) when absent.
  const Value& Get(std::string_view name) const;
  // True when the column is null.
  bool IsNull(size_t i) const { return !Get(i).has_value(); }
  // True when the named column is null.
  bool IsNull(std::string_view name) const { return !Get(name).has_value(); }

  // int (also smallint/tinyint); null or another type throws ClientError(kUsage).
  int32_t GetInt32(size_t i) const;
  // bigint/counter/timestamp/time (also int/smallint/tinyint, widened).
  int64_t GetInt64(size_t i) const;
  // double (also float, widened).
  double GetDouble(size_t i) const;
  // float.
  float GetFloat(size_t i) const;
  // boolean.
  bool GetBool(size_t i) const;
  // text/varchar/ascii as is; blob bytes as is; other types as their CQL literal.
  std::string GetString(size_t i) const;
  // uuid/timeuuid as its 36-character text.
  std::string GetUuid(size_t i) const;
  // Any value as cqlsh prints it ("null" for null, text unquoted).
  std::string ToText(size_t i) const;

  // The same getters by column name.
  int32_t GetInt32(std::string_view name) const { return GetInt32(Index(name)); }
  int64_t GetInt64(std::string_view name) const { return GetInt64(Index(name)); }
  double GetDouble(std::string_view name) const { return GetDouble(Index(name)); }
  float GetFloat(std::string_view name) const { return GetFloat(Index(name)); }
  bool GetBool(std::string_view name) const { return GetBool(Index(name)); }
  std::string GetString(std::string_view name) const { return GetString(Index(name)); }
  std::string GetUuid(std::string_view name) const { return GetUuid(Index(name)); }
  std::string ToText(std::string_view name) const { return ToText(Index(name)); }

  // Index of the named column; throws ClientError(kUsage) when absent.
  size_t Index(std::string_view name) const;
  // All values of the row.
  const std::vector<Value>& values() const { return page_->rows[index_]; }

 private:
  const cql::ColumnSpec& Spec(size_t i) const;
  const std::string& Present(size_t i) const;
  std::shared_ptr<const Page> page_;
  size_t index_;
};

// Callback of asynchronous requests: error is null on success. It runs on an
// I/O thread and must not block on other requests.
using ResultCallback = std::function<void(Result result, std::exception_ptr error)>;

// The outcome of one request: one page of rows (fetching the next pages on
// demand), or a void / set keyspace / schema change / prepared answer.
class Result {
 public:
  // An empty void result.
  Result();

  // What kind of RESULT the server sent.
  ResultKind kind() const { return kind_; }
  // The columns of a rows result.
  const std::vector<cql::ColumnSpec>& columns() const { return page_->columns; }
  // Rows in the current page.
  size_t page_size() const { return page_->rows.size(); }
  // Row i of the current page.
  Row row(size_t i) const { return Row(page_, i); }
  // The first row of the current page, or nullopt when it is empty.
  std::optional<Row> first() const;
  // The current page.
  const std::shared_ptr<const Page>& page() const { return page_; }
  // The state to resume after the current page (set when more pages follow).
  const std::optional<std::string>& paging_state() const { return page_->paging_state; }
  // True when the server has more pages after this one.
  bool has_more_pages() const { return page_->paging_state.has_value(); }
  // Fetches the next page (synchronously); throws like Session::Execute.
  Result NextPage() const;
  // Fetches the next page asynchronously.
  void NextPageAsync(ResultCallback callback) const;
  // The keyspace of a set keyspace result.
  const std::string& keyspace() const { return keyspace_; }
  // The change of a schema change result.
  const std::optional<cql::SchemaChange>& schema_change() const { return schema_change_; }

  // The first row across pages (later pages are fetched synchronously on demand).
  ResultIterator begin() const;
  // The end of all pages.
  ResultIterator end() const;
  // Fetches all remaining pages and returns every row (convenient for small results).
  std::vector<Row> All() const;

  // Builds a result (used by the session).
  static Result Make(ResultKind kind, std::shared_ptr<const Page> page,
                     std::shared_ptr<SessionCore> session,
                     std::shared_ptr<const Statement> statement);
  // Sets the set keyspace / schema change payloads (used by the session).
  void SetPayload(std::string keyspace, std::optional<cql::SchemaChange> change);

 private:
  ResultKind kind_ = ResultKind::kVoid;
  std::shared_ptr<const Page> page_;
  std::shared_ptr<SessionCore> session_;        // to fetch further pages
  std::shared_ptr<const Statement> statement_;  // the statement that produced it
  std::string keyspace_;
  std::optional<cql::SchemaChange> schema_change_;
};

// Iterates over all rows of all pages of a Result, fetching pages on demand.
class ResultIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = Row;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Row;

  // The end iterator.
  ResultIterator() = default;
  // An iterator at the first row of result.
  explicit ResultIterator(const Result& result);
  // The current row.
  Row operator*() const { return current_.row(index_); }
  // Advances, fetching the next page when this one is exhausted.
  ResultIterator& operator++();
  // Only end comparisons are meaningful.
  bool operator==(const ResultIterator& o) const { return done_ == o.done_; }

 private:
  void SkipEmptyPages();
  Result current_;
  size_t index_ = 0;
  bool done_ = true;
};

}  // namespace helenus::client

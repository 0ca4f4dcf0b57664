#include "helenus/client/result.h"

#include <cctype>

#include <fmt/format.h>

#include "helenus/client/error.h"
#include "helenus/client/statement.h"
#include "helenus/cql/value_codec.h"
#include "session_core.h"

namespace helenus::client {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

[[noreturn]] void WrongType(const cql::ColumnSpec& c, std::string_view wanted) {
  throw ClientError(ClientErrorKind::kUsage,
                    fmt::format("column '{}' is {}, not {}", c.name, c.type.ToCql(), wanted));
}

}  // namespace

int Page::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    if (EqualsIgnoreCase(columns[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

const Value& Row::Get(size_t i) const {
  const auto& row = page_->rows[index_];
  if (i >= row.size()) {
    throw ClientError(ClientErrorKind::kUsage,
                      fmt::format("column index {} out of range ({} columns)", i, row.size()));
  }
  return row[i];
}

const Value& Row::Get(std::string_view name) const {
  return Get(Index(name));
}

size_t Row::Index(std::string_view name) const {
  int i = page_->ColumnIndex(name);
  if (i < 0) throw ClientError(ClientErrorKind::kUsage, fmt::format("no column '{}'", name));
  return static_cast<size_t>(i);
}

const cql::ColumnSpec& Row::Spec(size_t i) const {
  if (i >= page_->columns.size()) {
    throw ClientError(
        ClientErrorKind::kUsage,
        fmt::format("column index {} out of range ({} columns)", i, page_->columns.size()));
  }
  Get(i);  // range check on the values too
  return page_->columns[i];
}

const std::string& Row::Present(size_t i) const {
  const Value& v = Get(i);
  if (!v) {
    throw ClientError(ClientErrorKind::kUsage,
                      fmt::format("column '{}' is null", page_->columns[i].name));
  }
  return *v;
}

int32_t Row::GetInt32(size_t i) const {
  const auto& c = Spec(i);
  const std::string& b = Present(i);
  switch (c.type.kind) {
    case TypeKind::kInt:
      return cql::DecodeInt(b);
    case TypeKind::kSmallint:
      return cql::DecodeSmallint(b);
    case TypeKind::kTinyint:
      return cql::DecodeTinyint(b);
    default:
      WrongType(c, "an int");
  }
}

int64_t Row::GetInt64(size_t i) const {
  const auto& c = Spec(i);
  const std::string& b = Present(i);
  switch (c.type.kind) {
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
      return cql::DecodeBigint(b);
    case TypeKind::kInt:
    case TypeKind::kSmallint:
    case TypeKind::kTinyint:
      return GetInt32(i);
    default:
      WrongType(c, "a bigint");
  }
}

double Row::GetDouble(size_t i) const {
  const auto& c = Spec(i);
  const std::string& b = Present(i);
  if (c.type.kind == TypeKind::kDouble) return cql::DecodeDouble(b);
  if (c.type.kind == TypeKind::kFloat) return cql::DecodeFloat(b);
  WrongType(c, "a double");
}

float Row::GetFloat(size_t i) const {
  const auto& c = Spec(i);
  if (c.type.kind != TypeKind::kFloat) WrongType(c, "a float");
  return cql::DecodeFloat(Present(i));
}

bool Row::GetBool(size_t i) const {
  const auto& c = Spec(i);
  if (c.type.kind != TypeKind::kBoolean) WrongType(c, "a boolean");
  return cql::DecodeBoolean(Present(i));
}

std::string Row::GetString(size_t i) const {
  const auto& c = Spec(i);
  const std::string& b = Present(i);
  switch (c.type.kind) {
    case TypeKind::kText:
    case TypeKind::kAscii:
    case TypeKind::kBlob:
      return b;
    default:
      return cql::ToLiteral(c.type, b);
  }
}

std::string Row::GetUuid(size_t i) const {
  const auto& c = Spec(i);
  if (c.type.kind != TypeKind::kUuid && c.type.kind != TypeKind::kTimeuuid) {
    WrongType(c, "a uuid");
  }
  return cql::ToLiteral(c.type, Present(i));
}

std::string Row::ToText(size_t i) const {
  const auto& c = Spec(i);
  const Value& v = Get(i);
  if (!v) return "null";
  if (c.type.kind == TypeKind::kText || c.type.kind == TypeKind::kAscii) return *v;
  return cql::ToLiteral(c.type, *v);
}

Result::Result() : page_(std::make_shared<const Page>()) {}

Result Result::Make(ResultKind kind, std::shared_ptr<const Page> page,
                    std::shared_ptr<SessionCore> session,
                    std::shared_ptr<const Statement> statement) {
  Result r;
  r.kind_ = kind;
  r.page_ = std::move(page);
  r.session_ = std::move(session);
  r.statement_ = std::move(statement);
  return r;
}

void Result::SetPayload(std::string keyspace, std::optional<cql::SchemaChange> change) {
  keyspace_ = std::move(keyspace);
  schema_change_ = std::move(change);
}

std::optional<Row> Result::first() const {
  if (page_->rows.empty()) return std::nullopt;
  return Row(page_, 0);
}

void Result::NextPageAsync(ResultCallback callback) const {
  if (!has_more_pages() || !session_ || !statement_) {
    return callback(
        {}, std::make_exception_ptr(ClientError(ClientErrorKind::kUsage, "there is no next page")));
  }
  auto next = std::make_shared<Statement>(*statement_);
  next->paging_state = page_->paging_state;
  session_->Execute(std::move(next), std::move(callback), false);
}

Result Result::NextPage() const {
  return session_->Wait([&](ResultCallback cb) { NextPageAsync(std::move(cb)); });
}

std::vector<Row> Result::All() const {
  std::vector<Row> out;
  for (Row r : *this) out.push_back(std::move(r));
  return out;
}

ResultIterator Result::begin() const {
  return ResultIterator(*this);
}

ResultIterator Result::end() const {
  return ResultIterator();
}

ResultIterator::ResultIterator(const Result& result) : current_(result), done_(false) {
  SkipEmptyPages();
}

void ResultIterator::SkipEmptyPages() {
  while (index_ >= current_.page_size()) {
    if (!current_.has_more_pages()) {
      done_ = true;
      return;
    }
    current_ = current_.NextPage();
    index_ = 0;
  }
}

ResultIterator& ResultIterator::operator++() {
  ++index_;
  SkipEmptyPages();
  return *this;
}

}  // namespace helenus::client

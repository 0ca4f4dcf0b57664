#include "helenus/client/statement.h"

#include <cctype>

namespace helenus::client {

PreparedStatement::PreparedStatement(std::string query, std::string keyspace,
                                     cql::PreparedResult result)
    : query_(std::move(query)),
      keyspace_(std::move(keyspace)),
      id_(std::move(result.id)),
      bind_columns_(std::move(result.bind_metadata.columns)),
      result_columns_(std::make_shared<const std::vector<cql::ColumnSpec>>(
          std::move(result.result_metadata.columns))),
      pk_indexes_(std::move(result.pk_indexes)) {}

std::string PreparedStatement::id() const {
  std::lock_guard lock(mu_);
  return id_;
}

void PreparedStatement::Update(std::string id, std::vector<cql::ColumnSpec> result_columns) const {
  auto columns = std::make_shared<const std::vector<cql::ColumnSpec>>(std::move(result_columns));
  std::lock_guard lock(mu_);
  id_ = std::move(id);
  result_columns_ = std::move(columns);
}

std::shared_ptr<const std::vector<cql::ColumnSpec>> PreparedStatement::result_columns() const {
  std::lock_guard lock(mu_);
  return result_columns_;
}

Statement PreparedStatement::Bind(std::vector<BoundValue> values) const {
  Statement s(query_, std::move(values));
  s.prepared = shared_from_this();
  return s;
}

bool Statement::IsIdempotent() const {
  if (idempotent) return *idempotent;
  // Reads are safe to repeat; anything else (counters, appends, LWT) may not be.
  size_t i = 0;
  while (i < query.size() && std::isspace(static_cast<unsigned char>(query[i]))) ++i;
  static constexpr std::string_view kSelect = "select";
  if (query.size() - i < kSelect.size()) return false;
  for (size_t j = 0; j < kSelect.size(); ++j) {
    if (std::tolower(static_cast<unsigned char>(query[i + j])) != kSelect[j]) return false;
  }
  return true;
}

}  // namespace helenus::client

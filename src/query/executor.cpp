#include "executor.h"

#include <algorithm>
#include <chrono>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::query {

namespace ast = cql::ast;

Executor::Executor(storage::Store* store, storage::Catalog* catalog, NodeInfo node)
    : store_(store), catalog_(catalog), node_(std::move(node)) {}

int64_t Executor::NextTimestamp() {
  int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  // Strictly increasing, so two writes from one client never tie.
  int64_t last = last_timestamp_.load(std::memory_order_relaxed);
  while (true) {
    int64_t next = std::max(now, last + 1);
    if (last_timestamp_.compare_exchange_weak(last, next, std::memory_order_relaxed)) return next;
  }
}

cql::ResultMessage Executor::SchemaChanged(cql::SchemaChange change) {
  if (listener_) listener_(change);
  return change;
}

std::string ResolveKeyspace(const ast::QualifiedName& name, const ClientState& state) {
  if (!name.keyspace.empty()) return name.keyspace;
  if (state.keyspace.empty()) {
    ThrowInvalid(
        "No keyspace has been specified. USE a keyspace, or explicitly specify "
        "keyspace.tablename");
  }
  return state.keyspace;
}

std::shared_ptr<const storage::TableSchema> RequireTable(const ExecContext& ctx,
                                                         const ast::QualifiedName& name) {
  std::string ks = ResolveKeyspace(name, *ctx.state);
  if (!ctx.schema->FindKeyspace(ks)) ThrowInvalid("Keyspace '{}' does not exist", ks);
  auto table = ctx.schema->FindTable(ks, name.name);
  if (!table) ThrowInvalid("unconfigured table {}", name.name);
  return table;
}

cql::ResultMessage Executor::Run(const ast::Statement& stmt, ExecContext& ctx) {
  return std::visit(
      [&](const auto& s) -> cql::ResultMessage {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ast::Select>) {
          return RunSelect(*this, s, ctx);
        } else if constexpr (std::is_same_v<S, ast::Insert> || std::is_same_v<S, ast::Update> ||
                             std::is_same_v<S, ast::Delete>) {
          return RunModification(*this, ast::BatchChild(s), ctx);
        } else if constexpr (std::is_same_v<S, ast::Batch>) {
          std::vector<const ast::BatchChild*> children;
          std::vector<TermBinder*> binders;
          for (const auto& c : s.statements) {
            children.push_back(&c);
            binders.push_back(ctx.binder);
          }
          if (s.using_clause.timestamp) {
            for (const auto& c : s.statements) {
              bool child_ts =
                  std::visit([](const auto& x) { return x.using_clause.timestamp.has_value(); }, c);
              if (child_ts) {
                ThrowInvalid("Timestamp must be set either on BATCH or individual statements");
              }
            }
            ctx.timestamp = static_cast<int64_t>(cql::DecodeBigint(ctx.binder->BindRequired(
                *s.using_clause.timestamp, DataType::Of(TypeKind::kBigint), "[timestamp]")));
          }
          return RunBatch(children, binders, s.type, ctx);
        } else {
          return RunDdl(*this, stmt, ctx);
        }
      },
      stmt);
}

cql::ResultMessage Executor::RunBatch(const std::vector<const ast::BatchChild*>& children,
                                      const std::vector<TermBinder*>& binders,
                                      ast::Batch::Type type, ExecContext& ctx) {
  // Conditional children (IF ...) need the read-check-write path: refused below.
  if (type == ast::Batch::Type::kCounter) {
    ThrowInvalid("Counter batches are not supported: counters are not supported yet");
  }
  std::vector<
      std::pair<std::shared_ptr<const storage::TableSchema>, std::vector<storage::RowMutation>>>
      per_table;
  for (const auto* child : children) {
    if (HasConditions(*child)) {
      ThrowInvalid(
          "Conditional statements (IF ...) inside a BATCH are not supported yet; run "
          "them as single statements");
    }
  }
  for (size_t i = 0; i < children.size(); ++i) {
    ExecContext child_ctx = ctx;
    child_ctx.binder = binders[i];
    std::shared_ptr<const storage::TableSchema> table;
    std::vector<storage::RowMutation> mutations;
    BuildModification(*this, *children[i], child_ctx, &mutations, &table);
    auto it = std::find_if(per_table.begin(), per_table.end(),
                           [&](const auto& p) { return p.first->table_id == table->table_id; });
    if (it == per_table.end()) {
      per_table.emplace_back(table, std::move(mutations));
    } else {
      for (auto& m : mutations) it->second.push_back(std::move(m));
    }
  }
  // One atomic write for the whole batch, across tables.
  std::vector<storage::Store::TableMutations> groups;
  for (const auto& [table, mutations] : per_table) {
    if (!mutations.empty()) groups.push_back({&table->layout, &mutations});
  }
  if (!groups.empty()) {
    if (auto st = store_->ApplyAll(groups, ctx.now_seconds); !st.ok()) {
      throw CqlError(ErrorCode::kWriteFailure, st.message());
    }
  }
  return cql::VoidResult{};
}

}  // namespace helenus::query

// Conditional writes (IF NOT EXISTS, IF EXISTS, IF col = v): read, check and
// write under one lock. One node means no Paxos is needed for linearizability.
#include "executor.h"
#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"
#include "row_values.h"

namespace helenus::query {
namespace {

namespace ast = cql::ast;
using storage::ColumnKind;
using storage::TableSchema;

std::optional<storage::RowRead> ReadRow(Executor& ex, const TableSchema& t,
                                        const storage::RowMutation& m, int64_t now) {
  storage::ReadSpec spec;
  spec.partition_key = m.partition_key;
  if (!m.clustering.empty()) {
    storage::ClusteringSlice slice;
    slice.start.prefix = m.clustering;
    slice.end.prefix = m.clustering;
    spec.slices.push_back(slice);
  }
  auto reader = ex.store()->Read(t.layout, spec, now);
  storage::RowRead row;
  while (reader->Next(&row)) {
    // Statements on static columns only see the partition; others need the row.
    if (m.clustering.empty() || !row.static_only) return row;
  }
  if (!reader->status().ok()) throw CqlError(ErrorCode::kReadFailure, reader->status().message());
  return std::nullopt;
}

bool Holds(const ast::Condition& c, const storage::ColumnSchema& col, const Value& current,
           const TermBinder& binder) {
  DataType type = col.type;
  Value v = current;
  if (c.element) {
    if (!current) {
      v = std::nullopt;
    } else if (col.type.kind == TypeKind::kMap) {
      Bytes key = binder.BindRequired(*c.element, col.type.params[0], "key(" + col.name + ")");
      v = std::nullopt;
      for (auto& [k, val] : cql::DecodeMap(*current)) {
        if (cql::Compare(col.type.params[0], k, key) == 0) v = std::move(val);
      }
    } else if (col.type.kind == TypeKind::kList) {
      int32_t idx = cql::DecodeInt(
          binder.BindRequired(*c.element, DataType::Of(TypeKind::kInt), "idx(" + col.name + ")"));
      auto elems = cql::DecodeCollection(*current);
      v = idx >= 0 && static_cast<size_t>(idx) < elems.size() ? Value(elems[idx]) : std::nullopt;
    } else {
      ThrowInvalid("Invalid element access on column {} of type {}", col.name, col.type.ToCql());
    }
    type = col.type.kind == TypeKind::kMap ? col.type.params[1] : col.type.params[0];
  }
  auto cmp = [&](const Value& x) -> std::optional<int> {
    if (!v || !x) return std::nullopt;
    return cql::Compare(type, *v, *x);
  };
  if (c.op == ast::Operator::kIn) {
    for (const auto& t : c.values) {
      auto b = binder.Bind(t, type, col.name);
      Value x = b.AsValue();
      if (!x && !v) return true;
      if (auto r = cmp(x); r && *r == 0) return true;
    }
    return false;
  }
  Value x = binder.Bind(c.values.at(0), type, col.name).AsValue();
  switch (c.op) {
    case ast::Operator::kEq:
      return (!x && !v) || cmp(x) == 0;
    case ast::Operator::kNe:
      return (!x != !v) || (x && v && cmp(x) != 0);
    case ast::Operator::kLt:
      return cmp(x).value_or(1) < 0;
    case ast::Operator::kLe:
      return cmp(x).value_or(1) <= 0;
    case ast::Operator::kGt:
      return cmp(x).value_or(-1) > 0;
    case ast::Operator::kGe:
      return cmp(x).value_or(-1) >= 0;
    default:
      ThrowInvalid("Unsupported operator {} in condition", ast::OperatorName(c.op));
  }
}

}  // namespace

cql::ResultMessage RunConditional(Executor& ex, const ast::BatchChild& stmt, ExecContext& ctx) {
  std::lock_guard lock(ex.lwt_mutex());
  std::vector<storage::RowMutation> mutations;
  std::shared_ptr<const TableSchema> table;
  BuildModification(ex, stmt, ctx, &mutations, &table);
  const TableSchema& t = *table;
  if (mutations.size() != 1) {
    ThrowInvalid(
        "IN on the partition key or clustering columns is not supported with "
        "conditional updates");
  }
  const auto& m = mutations[0];
  if (m.delete_partition && !t.Clustering().empty()) {
    ThrowInvalid(
        "DELETE statements must restrict all PRIMARY KEY columns with equality relations "
        "in order to use IF conditions");
  }
  auto current = ReadRow(ex, t, m, ctx.now_seconds);
  std::vector<Bytes> pk_parts = SplitKey(t, m.partition_key);

  bool applied = false;
  std::vector<const storage::ColumnSchema*> shown;  // columns echoed when not applied
  std::visit(
      [&](const auto& s) {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ast::Insert>) {
          applied = !current;
          for (const auto& c : t.columns) shown.push_back(&c);
        } else {
          if (s.if_exists) {
            applied = current.has_value();
            for (const auto& c : t.columns) shown.push_back(&c);
          } else {
            applied = true;
            for (const auto& cond : s.if_conditions) {
              const auto* col = t.Find(cond.column);
              if (!col) ThrowInvalid("Undefined column name {}", cond.column);
              if (col->kind == ColumnKind::kPartitionKey || col->kind == ColumnKind::kClustering) {
                ThrowInvalid("PRIMARY KEY column '{}' cannot have IF conditions", col->name);
              }
              Value value;
              if (current) {
                RowContext rc{&t, &*current, &pk_parts, ctx.now_seconds};
                value = rc.Get(*col);
              }
              if (!Holds(cond, *col, value, *ctx.binder)) applied = false;
              if (std::find(shown.begin(), shown.end(), col) == shown.end()) shown.push_back(col);
            }
          }
        }
      },
      stmt);

  cql::RowsResult result;
  result.metadata.columns.push_back(
      cql::ColumnSpec{t.keyspace, t.name, "[applied]", DataType::Of(TypeKind::kBoolean)});
  std::vector<Value> row{cql::EncodeBoolean(applied)};
  if (applied) {
    if (auto st = ex.store()->ApplyAt(t.layout, mutations, ctx.now_seconds); !st.ok()) {
      throw CqlError(ErrorCode::kWriteFailure, st.message());
    }
  } else if (current) {
    RowContext rc{&t, &*current, &pk_parts, ctx.now_seconds};
    for (const auto* c : shown) {
      result.metadata.columns.push_back(cql::ColumnSpec{t.keyspace, t.name, c->name, c->type});
      row.push_back(rc.Get(*c));
    }
  }
  result.rows.push_back(std::move(row));
  return result;
}

}  // namespace helenus::query

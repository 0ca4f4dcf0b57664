// INSERT, UPDATE and DELETE: statements become storage RowMutations; plain
// writes never read, only list index operations and IF conditions do.
#include <algorithm>

#include "executor.h"
#include "helenus/common/error.h"
#include "helenus/common/murmur3.h"
#include "helenus/cql/value_codec.h"
#include "restrictions.h"
#include "row_values.h"

namespace helenus::query {
namespace {

namespace ast = cql::ast;
using storage::CellOp;
using storage::ColumnKind;
using storage::ColumnSchema;
using storage::RowMutation;
using storage::TableSchema;

constexpr int32_t kMaxTtl = 20 * 365 * 24 * 3600;

void CheckWritable(const TableSchema& t) {
  if (t.keyspace.starts_with("system")) {
    throw CqlError(ErrorCode::kUnauthorized,
                   fmt::format("{} keyspace is not user-modifiable.", t.keyspace));
  }
}

struct WriteOptions {
  int64_t timestamp;
  int32_t ttl;
};

WriteOptions BindUsing(const ast::UsingClause& u, const TableSchema& t, const ExecContext& ctx,
                       bool allow_ttl) {
  WriteOptions w{ctx.timestamp, t.DefaultTtl()};
  // The grammar takes only an integer or a bind marker here.
  for (const auto* term : {u.timestamp ? &*u.timestamp : nullptr, u.ttl ? &*u.ttl : nullptr}) {
    const auto* lit = term ? term->As<ast::Literal>() : nullptr;
    if (lit && lit->kind != ast::Literal::Kind::kInteger) {
      ThrowSyntax("mismatched input '{}' expecting INTEGER", lit->text);
    }
  }
  if (u.timestamp) {
    auto b = ctx.binder->Bind(*u.timestamp, DataType::Of(TypeKind::kBigint), "[timestamp]");
    if (b.state == BoundTerm::State::kNull) ThrowInvalid("Invalid null value of timestamp");
    if (b.is_value()) w.timestamp = cql::DecodeBigint(b.bytes);
  }
  if (u.ttl) {
    if (!allow_ttl) ThrowInvalid("TTL is not supported on DELETE statements");
    auto b = ctx.binder->Bind(*u.ttl, DataType::Of(TypeKind::kInt), "[ttl]");
    if (b.state == BoundTerm::State::kNull) ThrowInvalid("Invalid null value of TTL");
    if (b.is_value()) {
      int32_t ttl = cql::DecodeInt(b.bytes);
      if (ttl < 0) ThrowInvalid("A TTL must be greater or equal to 0, but was {}", ttl);
      if (ttl > kMaxTtl)
        ThrowInvalid("ttl is too large. requested ({}) maximum ({})", ttl, kMaxTtl);
      w.ttl = ttl;
    }
  }
  return w;
}

// The op that stores a whole new value (INSERT, or UPDATE c = v).
std::optional<CellOp> SetOp(const ColumnSchema& c, const BoundTerm& v) {
  if (v.state == BoundTerm::State::kUnset) return std::nullopt;
  CellOp op;
  op.column = c.id;
  if (v.state == BoundTerm::State::kNull) {
    op.kind = CellOp::Kind::kDelete;
    return op;
  }
  if (!c.type.IsMultiCell()) {
    op.kind = CellOp::Kind::kSet;
    op.value = v.bytes;
    return op;
  }
  op.kind = CellOp::Kind::kCollectionOverwrite;
  if (c.type.kind == TypeKind::kMap) {
    op.entries = cql::DecodeMap(v.bytes);
  } else {
    op.elements = cql::DecodeCollection(v.bytes);
  }
  return op;
}

Bytes PartitionKeyOf(const std::vector<Bytes>& parts) {
  if (parts.size() == 1) {
    if (parts[0].empty()) ThrowInvalid("Key may not be empty");
    return parts[0];
  }
  std::vector<std::string_view> views(parts.begin(), parts.end());
  return CompositePartitionKey(views);
}

void BuildInsert(const ast::Insert& s, const TableSchema& t, ExecContext& ctx,
                 std::vector<RowMutation>* out) {
  if (s.json) ThrowInvalid("INSERT JSON is not supported yet");
  if (s.columns.size() != s.values.size()) ThrowInvalid("Unmatched column names/values");
  auto pk = t.PartitionKey();
  auto ck = t.Clustering();
  std::vector<std::optional<Bytes>> pk_values(pk.size()), ck_values(ck.size());
  std::vector<CellOp> cells;
  bool any_regular = false;
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const auto* c = t.Find(s.columns[i]);
    if (!c)
      ThrowInvalid("Undefined column name {} in table {}.{}", s.columns[i], t.keyspace, t.name);
    for (size_t j = 0; j < i; ++j) {
      if (s.columns[j] == s.columns[i])
        ThrowInvalid("Multiple definitions found for column {}", s.columns[i]);
    }
    if (c->kind == ColumnKind::kPartitionKey || c->kind == ColumnKind::kClustering) {
      auto v = ctx.binder->Bind(s.values[i], c->type, c->name);
      if (v.state == BoundTerm::State::kUnset) {
        ThrowInvalid("Invalid unset value for column {}", c->name);
      }
      if (v.state == BoundTerm::State::kNull) {
        ThrowInvalid("Invalid null value in condition for column {}", c->name);
      }
      (c->kind == ColumnKind::kPartitionKey ? pk_values : ck_values)[c->position] = v.bytes;
      continue;
    }
    auto v = ctx.binder->Bind(s.values[i], c->type, c->name);
    if (auto op = SetOp(*c, v)) {
      cells.push_back(std::move(*op));
      if (c->kind == ColumnKind::kRegular) any_regular = true;
    }
  }
  std::string missing;
  for (size_t i = 0; i < pk.size(); ++i) {
    if (!pk_values[i]) missing += (missing.empty() ? "" : ", ") + pk[i]->name;
  }
  if (!missing.empty()) ThrowInvalid("Some partition key parts are missing: {}", missing);
  bool static_only = !ck.empty() && !ck_values[0] && !any_regular;
  if (!static_only) {
    for (size_t i = 0; i < ck.size(); ++i) {
      if (!ck_values[i]) missing += (missing.empty() ? "" : ", ") + ck[i]->name;
    }
    if (!missing.empty()) ThrowInvalid("Some clustering keys are missing: {}", missing);
  }
  auto w = BindUsing(s.using_clause, t, ctx, true);
  RowMutation m;
  std::vector<Bytes> pk_parts;
  for (auto& v : pk_values) pk_parts.push_back(std::move(*v));
  m.partition_key = PartitionKeyOf(pk_parts);
  if (!static_only) {
    for (auto& v : ck_values) m.clustering.push_back(std::move(*v));
  }
  m.timestamp = w.timestamp;
  m.ttl = w.ttl;
  m.row_marker = !static_only;
  m.cells = std::move(cells);
  out->push_back(std::move(m));
}

// The current elements of a non-frozen list: the one read Cassandra does too.
std::vector<std::pair<Bytes, Bytes>> ListElements(Executor& ex, const TableSchema& t,
                                                  const Bytes& pk, const std::vector<Bytes>& ck,
                                                  const ColumnSchema& c, int64_t now) {
  auto r = ex.store()->ReadListElements(t.layout, pk, ck, c.id, now);
  if (!r.ok()) throw CqlError(ErrorCode::kReadFailure, r.status().message());
  return std::move(r.value());
}

int32_t ListIndex(const ExecContext& ctx, const ast::Term& key, const ColumnSchema& c) {
  return cql::DecodeInt(
      ctx.binder->BindRequired(key, DataType::Of(TypeKind::kInt), "idx(" + c.name + ")"));
}

// Cell ops of one UPDATE assignment for one row; list ops may read the row.
void AssignmentOps(Executor& ex, const ast::Assignment& a, const ColumnSchema& c,
                   const TableSchema& t, ExecContext& ctx, const Bytes& pk,
                   const std::vector<Bytes>& ck, std::vector<CellOp>* ops) {
  using Op = ast::Assignment::Op;
  if (!a.field.empty()) ThrowInvalid("Invalid field selection on column {}: not a UDT", c.name);
  if (a.op == Op::kSet) {
    if (auto op = SetOp(c, ctx.binder->Bind(a.value, c.type, c.name))) ops->push_back(*op);
    return;
  }
  if (c.type.kind == TypeKind::kCounter) {
    ThrowInvalid("Counter columns are not supported yet");
  }
  if (!c.type.IsCollection()) {
    ThrowInvalid("Invalid operation ({} = {} {} {}) for non counter column {}", c.name, c.name,
                 a.op == Op::kSubtract ? "-" : "+", ast::ToCql(a.value), c.name);
  }
  if (c.type.frozen) {
    ThrowInvalid("Invalid operation ({} = {} + {}) for frozen collection column {}", c.name, c.name,
                 ast::ToCql(a.value), c.name);
  }
  CellOp op;
  op.column = c.id;
  const auto kind = c.type.kind;
  if (a.op == Op::kSetElement) {
    if (kind == TypeKind::kMap) {
      Bytes key = ctx.binder->BindRequired(*a.key, c.type.params[0], "key(" + c.name + ")");
      auto v = ctx.binder->Bind(a.value, c.type.params[1], "value(" + c.name + ")");
      if (v.state == BoundTerm::State::kUnset) return;
      if (v.is_value()) {
        op.kind = CellOp::Kind::kMapPut;
        op.entries.emplace_back(std::move(key), v.bytes);
      } else {
        op.kind = CellOp::Kind::kMapRemove;
        op.elements.push_back(std::move(key));
      }
    } else if (kind == TypeKind::kList) {
      int32_t idx = ListIndex(ctx, *a.key, c);
      auto v = ctx.binder->Bind(a.value, c.type.params[0], "value(" + c.name + ")");
      if (v.state == BoundTerm::State::kUnset) return;
      auto elements = ListElements(ex, t, pk, ck, c, ctx.now_seconds);
      if (elements.empty()) ThrowInvalid("Attempted to set an element on a list which is null");
      if (idx < 0 || static_cast<size_t>(idx) >= elements.size()) {
        ThrowInvalid("List index {} out of bound, list has size {}", idx, elements.size());
      }
      if (v.is_value()) {
        op.kind = CellOp::Kind::kListSetByKey;
        op.entries.emplace_back(elements[idx].first, v.bytes);
      } else {
        op.kind = CellOp::Kind::kListRemoveKeys;
        op.elements.push_back(elements[idx].first);
      }
    } else {
      ThrowInvalid("Invalid operation ({}[{}] = {}) for set column {}", c.name, ast::ToCql(*a.key),
                   ast::ToCql(a.value), c.name);
    }
    ops->push_back(std::move(op));
    return;
  }
  // c = c + v, c = v + c, c = c - v: the value is a collection (map minus takes a set of keys).
  DataType value_type = c.type;
  if (kind == TypeKind::kMap && a.op == Op::kSubtract) {
    value_type = DataType::Set(c.type.params[0]);
  }
  auto v = ctx.binder->Bind(a.value, value_type, c.name);
  if (v.state == BoundTerm::State::kUnset) return;
  if (v.state == BoundTerm::State::kNull) {
    if (a.op == Op::kSubtract) return;
    ThrowInvalid("Invalid null value for collection operation on {}", c.name);
  }
  if (a.op == Op::kPrepend && kind != TypeKind::kList) {
    ThrowInvalid("Invalid operation ({} = {} + {}) for non list column {}", c.name,
                 ast::ToCql(a.value), c.name, c.name);
  }
  switch (kind) {
    case TypeKind::kList:
      if (a.op == Op::kSubtract) {
        auto remove = cql::DecodeCollection(v.bytes);
        op.kind = CellOp::Kind::kListRemoveKeys;
        for (const auto& [key, value] : ListElements(ex, t, pk, ck, c, ctx.now_seconds)) {
          if (std::find(remove.begin(), remove.end(), value) != remove.end()) {
            op.elements.push_back(key);
          }
        }
        if (op.elements.empty()) return;
      } else {
        op.kind = a.op == Op::kPrepend ? CellOp::Kind::kListPrepend : CellOp::Kind::kListAppend;
        op.elements = cql::DecodeCollection(v.bytes);
      }
      break;
    case TypeKind::kSet:
      op.kind = a.op == Op::kSubtract ? CellOp::Kind::kSetRemove : CellOp::Kind::kSetAdd;
      op.elements = cql::DecodeCollection(v.bytes);
      break;
    default:
      if (a.op == Op::kSubtract) {
        op.kind = CellOp::Kind::kMapRemove;
        op.elements = cql::DecodeCollection(v.bytes);
      } else {
        op.kind = CellOp::Kind::kMapPut;
        op.entries = cql::DecodeMap(v.bytes);
      }
      break;
  }
  ops->push_back(std::move(op));
}

void BuildUpdate(Executor& ex, const ast::Update& s, const TableSchema& t, ExecContext& ctx,
                 std::vector<RowMutation>* out) {
  auto keys = AnalyzeWhere(t, s.where, *ctx.binder, WhereUse::kUpdate);
  auto w = BindUsing(s.using_clause, t, ctx, true);
  bool only_static = true;
  std::vector<const ColumnSchema*> targets;
  for (const auto& a : s.assignments) {
    const auto* c = t.Find(a.column);
    for (const auto& other : s.assignments) {
      if (&other == &a) break;
      // c[k1] = x, c[k2] = y is fine; two plain settings of c are not.
      if (other.column == a.column && other.op == ast::Assignment::Op::kSet &&
          a.op == ast::Assignment::Op::kSet) {
        ThrowInvalid("Multiple incompatible setting of column {}", a.column);
      }
    }
    if (!c) ThrowInvalid("Undefined column name {} in table {}.{}", a.column, t.keyspace, t.name);
    if (c->kind == ColumnKind::kPartitionKey || c->kind == ColumnKind::kClustering) {
      ThrowInvalid("PRIMARY KEY part {} found in SET part", c->name);
    }
    if (c->kind != ColumnKind::kStatic) only_static = false;
    targets.push_back(c);
  }
  auto ck = t.Clustering();
  std::vector<std::vector<Bytes>> rows = keys.clustering_keys;
  if (!ck.empty() && rows.empty()) {
    if (!only_static || keys.clustering_eq_columns > 0 || keys.clustering_has_slice) {
      if (keys.clustering_has_slice) {
        ThrowInvalid(
            "Slice restrictions are not supported on the clustering columns in UPDATE "
            "statements");
      }
      std::string missing;
      for (size_t i = keys.clustering_eq_columns; i < ck.size(); ++i) {
        missing += (missing.empty() ? "" : ", ") + ck[i]->name;
      }
      ThrowInvalid("Some clustering keys are missing: {}", missing);
    }
    rows.push_back({});  // static row only
  }
  if (ck.empty()) rows = {{}};
  for (const auto& pk : keys.partition_keys) {
    for (const auto& row : rows) {
      RowMutation m;
      m.partition_key = pk;
      // A statement touching only static columns writes the partition header.
      if (!only_static) m.clustering = row;
      m.timestamp = w.timestamp;
      m.ttl = w.ttl;
      for (size_t i = 0; i < targets.size(); ++i) {
        AssignmentOps(ex, s.assignments[i], *targets[i], t, ctx, pk, row, &m.cells);
      }
      out->push_back(std::move(m));
    }
  }
}

void BuildDelete(Executor& ex, const ast::Delete& s, const TableSchema& t, ExecContext& ctx,
                 std::vector<RowMutation>* out) {
  auto keys = AnalyzeWhere(t, s.where, *ctx.binder, WhereUse::kDelete);
  auto w = BindUsing(s.using_clause, t, ctx, false);
  auto ck = t.Clustering();
  bool whole_rows = s.columns.empty();
  bool only_static = !whole_rows;
  for (const auto& target : s.columns) {
    const auto* c = t.Find(target.column);
    if (!c)
      ThrowInvalid("Undefined column name {} in table {}.{}", target.column, t.keyspace, t.name);
    if (c->kind == ColumnKind::kPartitionKey || c->kind == ColumnKind::kClustering) {
      ThrowInvalid("Invalid identifier {} for deletion (should not be a PRIMARY KEY part)",
                   c->name);
    }
    if (c->kind != ColumnKind::kStatic) only_static = false;
  }
  bool full_rows = ck.empty() || !keys.clustering_keys.empty();
  bool no_clustering = keys.clustering_eq_columns == 0 && !keys.clustering_has_slice;
  for (const auto& pk : keys.partition_keys) {
    if (whole_rows && !ck.empty() && no_clustering) {
      RowMutation m;
      m.partition_key = pk;
      m.timestamp = w.timestamp;
      m.delete_partition = true;
      out->push_back(std::move(m));
      continue;
    }
    if (!full_rows && !(only_static && no_clustering)) {
      if (!whole_rows) {
        ThrowInvalid("Range deletions are not supported for specific columns");
      }
      for (const auto& slice : keys.slices) {
        RowMutation m;
        m.partition_key = pk;
        m.timestamp = w.timestamp;
        m.delete_range = slice;
        out->push_back(std::move(m));
      }
      continue;
    }
    std::vector<std::vector<Bytes>> rows = keys.clustering_keys;
    if (rows.empty()) rows.push_back({});
    for (const auto& row : rows) {
      RowMutation m;
      m.partition_key = pk;
      m.timestamp = w.timestamp;
      if (!only_static) m.clustering = row;
      if (whole_rows) {
        if (ck.empty()) {
          m.delete_partition = false;
        }
        m.delete_row = true;
      }
      for (const auto& target : s.columns) {
        const auto* c = t.Find(target.column);
        CellOp op;
        op.column = c->id;
        if (!target.element) {
          op.kind = CellOp::Kind::kDelete;
        } else if (c->type.kind == TypeKind::kMap && !c->type.frozen) {
          op.kind = CellOp::Kind::kMapRemove;
          op.elements.push_back(
              ctx.binder->BindRequired(*target.element, c->type.params[0], "key(" + c->name + ")"));
        } else if (c->type.kind == TypeKind::kList && !c->type.frozen) {
          int32_t idx = ListIndex(ctx, *target.element, *c);
          auto elements = ListElements(ex, t, pk, row, *c, ctx.now_seconds);
          if (idx < 0 || static_cast<size_t>(idx) >= elements.size()) {
            ThrowInvalid("List index {} out of bound, list has size {}", idx, elements.size());
          }
          op.kind = CellOp::Kind::kListRemoveKeys;
          op.elements.push_back(elements[idx].first);
        } else {
          ThrowInvalid("Invalid operation: element deletion on column {} of type {}", c->name,
                       c->type.ToCql());
        }
        m.cells.push_back(std::move(op));
      }
      out->push_back(std::move(m));
    }
  }
}

}  // namespace

bool HasConditions(const ast::BatchChild& stmt) {
  return std::visit(
      [](const auto& s) {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ast::Insert>) {
          return s.if_not_exists;
        } else {
          return s.if_exists || !s.if_conditions.empty();
        }
      },
      stmt);
}

void BuildModification(Executor& ex, const ast::BatchChild& stmt, ExecContext& ctx,
                       std::vector<RowMutation>* mutations,
                       std::shared_ptr<const TableSchema>* table_out) {
  std::visit(
      [&](const auto& s) {
        auto table = RequireTable(ctx, s.table);
        CheckWritable(*table);
        *table_out = table;
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ast::Insert>) {
          BuildInsert(s, *table, ctx, mutations);
        } else if constexpr (std::is_same_v<S, ast::Update>) {
          BuildUpdate(ex, s, *table, ctx, mutations);
        } else {
          BuildDelete(ex, s, *table, ctx, mutations);
        }
      },
      stmt);
}

cql::ResultMessage RunModification(Executor& ex, const ast::BatchChild& stmt, ExecContext& ctx) {
  if (HasConditions(stmt)) return RunConditional(ex, stmt, ctx);
  std::vector<RowMutation> mutations;
  std::shared_ptr<const TableSchema> table;
  BuildModification(ex, stmt, ctx, &mutations, &table);
  if (!mutations.empty()) {
    if (auto st = ex.store()->ApplyAt(table->layout, mutations, ctx.now_seconds); !st.ok()) {
      throw CqlError(ErrorCode::kWriteFailure, st.message());
    }
  }
  return cql::VoidResult{};
}

}  // namespace helenus::query

// SELECT: restrictions become a store read (partitions or a token range,
// clustering slices); rows are filtered, selected, aggregated and paged.
#include <algorithm>

#include "executor.h"
#include "helenus/common/error.h"
#include "helenus/common/murmur3.h"
#include "helenus/cql/value_codec.h"
#include "helenus/cql/wire.h"
#include "restrictions.h"
#include "row_values.h"
#include "selection.h"
#include "system_tables.h"

namespace helenus::query {
namespace {

namespace ast = cql::ast;
using ast::Operator;
using storage::ColumnKind;
using storage::RowRead;
using storage::TableSchema;

constexpr uint8_t kPagingVersion = 1;

// Where the previous page stopped.
struct PagingState {
  uint32_t source_index = 0;  // which partition of an IN list, or virtual row index
  std::optional<storage::ResumePoint> resume;
  int32_t remaining = -1;      // rows left under LIMIT, -1 = no limit
  int32_t partition_rows = 0;  // rows already returned from the resume partition
};

std::string EncodePagingState(const PagingState& s) {
  cql::WireWriter w;
  w.WriteByte(kPagingVersion);
  w.WriteInt(static_cast<int32_t>(s.source_index));
  w.WriteByte(s.resume ? 1 : 0);
  if (s.resume) {
    w.WriteBytes(Value(s.resume->partition_key));
    w.WriteShort(static_cast<uint16_t>(s.resume->clustering.size()));
    for (const auto& c : s.resume->clustering) w.WriteBytes(Value(c));
    w.WriteByte(s.resume->partition_done ? 1 : 0);
  }
  w.WriteInt(s.remaining);
  w.WriteInt(s.partition_rows);
  return std::move(w.buffer());
}

PagingState DecodePagingState(std::string_view bytes) {
  try {
    cql::WireReader r(bytes);
    if (r.ReadByte() != kPagingVersion) throw CqlError(ErrorCode::kProtocol, "");
    PagingState s;
    s.source_index = static_cast<uint32_t>(r.ReadInt());
    if (r.ReadByte()) {
      storage::ResumePoint p;
      p.partition_key = r.ReadBytes().value_or("");
      uint16_t n = r.ReadShort();
      for (uint16_t i = 0; i < n; ++i) p.clustering.push_back(r.ReadBytes().value_or(""));
      p.partition_done = r.ReadByte() != 0;
      s.resume = std::move(p);
    }
    s.remaining = r.ReadInt();
    s.partition_rows = r.ReadInt();
    return s;
  } catch (const CqlError&) {
    throw CqlError(ErrorCode::kProtocol, "Invalid value for the paging state");
  }
}

bool Matches(const RowFilter& f, const RowContext& row) {
  Value v = row.Get(*f.column);
  if (!v) return false;
  const DataType& t = f.column->type;
  switch (f.op) {
    case Operator::kEq:
      if (f.map_key) {
        for (const auto& [k, val] : cql::DecodeMap(*v)) {
          if (cql::Compare(t.params[0], k, *f.map_key) == 0) {
            return cql::Compare(t.params[1], val, f.values[0]) == 0;
          }
        }
        return false;
      }
      return cql::Compare(t, *v, f.values[0]) == 0;
    case Operator::kIn:
      return std::any_of(f.values.begin(), f.values.end(),
                         [&](const Bytes& x) { return cql::Compare(t, *v, x) == 0; });
    case Operator::kLt:
      return cql::Compare(t, *v, f.values[0]) < 0;
    case Operator::kLe:
      return cql::Compare(t, *v, f.values[0]) <= 0;
    case Operator::kGt:
      return cql::Compare(t, *v, f.values[0]) > 0;
    case Operator::kGe:
      return cql::Compare(t, *v, f.values[0]) >= 0;
    case Operator::kContains:
      if (t.kind == TypeKind::kMap) {
        for (const auto& [k, val] : cql::DecodeMap(*v)) {
          if (cql::Compare(t.params[1], val, f.values[0]) == 0) return true;
        }
        return false;
      }
      for (const auto& e : cql::DecodeCollection(*v)) {
        if (cql::Compare(t.params[0], e, f.values[0]) == 0) return true;
      }
      return false;
    case Operator::kContainsKey:
      for (const auto& [k, val] : cql::DecodeMap(*v)) {
        if (cql::Compare(t.params[0], k, f.values[0]) == 0) return true;
      }
      return false;
    default:
      return false;
  }
}

int32_t BindLimit(const std::optional<ast::Term>& term, const TermBinder& binder,
                  std::string_view name, std::string_view clause) {
  if (!term) return -1;
  if (const auto* lit = term->As<ast::Literal>();
      lit && lit->kind != ast::Literal::Kind::kInteger) {
    ThrowSyntax("mismatched input '{}' expecting INTEGER", lit->text);
  }
  auto b = binder.Bind(*term, DataType::Of(TypeKind::kInt), name);
  if (b.state == BoundTerm::State::kUnset) return -1;
  if (!b.is_value()) ThrowInvalid("Invalid null value of limit");
  int32_t v = cql::DecodeInt(b.bytes);
  if (v <= 0) ThrowInvalid("{} must be strictly positive", clause);
  return v;
}

// Everything a SELECT needs to run, after validation.
struct SelectPlan {
  std::shared_ptr<const TableSchema> table;
  std::optional<VirtualTable> virtual_table;
  KeyRestrictions keys;
  std::vector<RowFilter> virtual_filters;
  bool reverse = false;
  bool sort_in_memory = false;  // ORDER BY across several partitions
  int32_t limit = -1;
  int32_t per_partition_limit = -1;
  size_t group_by_columns = 0;  // primary key prefix length
};

void PlanOrdering(const ast::Select& s, SelectPlan* plan) {
  if (s.order_by.empty()) return;
  const auto& t = *plan->table;
  if (!plan->keys.partition_restricted) {
    ThrowInvalid(
        "ORDER BY is only supported when the partition key is restricted by an EQ or an "
        "IN.");
  }
  auto ck = t.Clustering();
  std::optional<bool> reversed;
  for (size_t i = 0; i < s.order_by.size(); ++i) {
    const auto& [name, desc] = s.order_by[i];
    const auto* c = t.Find(name);
    if (!c) ThrowInvalid("Undefined column name {}", name);
    if (c->kind != ColumnKind::kClustering) {
      ThrowInvalid(
          "Order by is currently only supported on the clustered columns of the PRIMARY "
          "KEY, got {}",
          name);
    }
    if (c->position != static_cast<int>(i)) {
      ThrowInvalid(
          "Order by currently only supports the ordering of columns following their "
          "declared order in the PRIMARY KEY");
    }
    bool r = desc != c->desc;
    if (reversed && *reversed != r) ThrowInvalid("Unsupported order by relation");
    reversed = r;
  }
  plan->reverse = reversed.value_or(false);
  if (plan->keys.partition_keys.size() > 1) plan->sort_in_memory = true;
}

void PlanGroupBy(const ast::Select& s, SelectPlan* plan) {
  const auto& t = *plan->table;
  std::vector<const storage::ColumnSchema*> key;
  for (const auto* c : t.PartitionKey()) key.push_back(c);
  for (const auto* c : t.Clustering()) key.push_back(c);
  for (size_t i = 0; i < s.group_by.size(); ++i) {
    const auto* c = t.Find(s.group_by[i]);
    if (!c) ThrowInvalid("Undefined column name {}", s.group_by[i]);
    if (i >= key.size() || key[i] != c) {
      ThrowInvalid(
          "Group by currently only support groups of columns following their declared "
          "order in the PRIMARY KEY");
    }
  }
  plan->group_by_columns = s.group_by.size();
}

std::vector<RowFilter> VirtualFilters(const TableSchema& t, const std::vector<ast::Relation>& where,
                                      const TermBinder& binder) {
  std::vector<RowFilter> out;
  for (const auto& r : where) {
    if (r.kind != ast::Relation::Kind::kSingle) {
      ThrowInvalid("Only single-column relations are supported on system tables");
    }
    const auto* c = t.Find(r.columns[0]);
    if (!c) ThrowInvalid("Undefined column name {}", r.columns[0]);
    RowFilter f;
    f.column = c;
    f.op = r.op;
    if (r.op == Operator::kIn) {
      f.values = binder.BindInList(r.values, c->type, c->name);
    } else {
      f.values = {binder.BindRequired(r.values.at(0), c->type, c->name)};
    }
    out.push_back(std::move(f));
  }
  return out;
}

SelectPlan Plan(const ast::Select& s, ExecContext& ctx, const Executor& ex) {
  SelectPlan plan;
  std::string ks = ResolveKeyspace(s.table, *ctx.state);
  if (IsVirtualKeyspace(ks)) {
    plan.virtual_table = BuildVirtualTable(ks, s.table.name, *ctx.schema, ex.node());
    if (!plan.virtual_table) ThrowInvalid("unconfigured table {}", s.table.name);
    plan.table = plan.virtual_table->schema;
    plan.virtual_filters = VirtualFilters(*plan.table, s.where, *ctx.binder);
  } else {
    plan.table = RequireTable(ctx, s.table);
    plan.keys = AnalyzeWhere(*plan.table, s.where, *ctx.binder, WhereUse::kSelect);
    if (plan.keys.needs_filtering && !s.allow_filtering) {
      ThrowInvalid("{}", plan.keys.filtering_reason);
    }
    PlanOrdering(s, &plan);
  }
  plan.limit = BindLimit(s.limit, *ctx.binder, "[limit]", "LIMIT");
  plan.per_partition_limit =
      BindLimit(s.per_partition_limit, *ctx.binder, "[per_partition_limit]", "PER PARTITION LIMIT");
  if (s.distinct) {
    for (const auto& sel : s.selectors) {
      const auto* col = sel.expr.As<ast::ColumnRef>();
      const auto* c = col ? plan.table->Find(col->name) : nullptr;
      if (c && c->kind != ColumnKind::kPartitionKey && c->kind != ColumnKind::kStatic) {
        ThrowInvalid(
            "SELECT DISTINCT queries must only request partition key columns and/or "
            "static columns (not {})",
            c->name);
      }
    }
    if (s.selectors.empty()) {
      ThrowInvalid(
          "SELECT DISTINCT queries must only request partition key columns and/or static "
          "columns");
    }
    std::string missing;
    for (const auto* pk : plan.table->PartitionKey()) {
      bool found = std::any_of(s.selectors.begin(), s.selectors.end(), [&](const auto& sel) {
        const auto* col = sel.expr.template As<ast::ColumnRef>();
        return col && col->name == pk->name;
      });
      if (!found) missing += (missing.empty() ? "" : ", ") + pk->name;
    }
    if (!missing.empty()) {
      ThrowInvalid(
          "SELECT DISTINCT queries must request all the partition key columns (missing {})",
          missing);
    }
  }
  PlanGroupBy(s, &plan);
  return plan;
}

// Pulls candidate rows out of the store (or a virtual table), one source
// after the other, remembering where each row came from for paging.
class RowSource {
 public:
  RowSource(const SelectPlan& plan, const Executor& ex, const ExecContext& ctx,
            std::vector<uint32_t> columns, const PagingState& start)
      : plan_(plan),
        ex_(ex),
        ctx_(ctx),
        columns_(std::move(columns)),
        index_(start.source_index),
        resume_(start.resume) {}

  // The next row or nullptr; *source_index says which source it came from.
  const RowRead* Next(uint32_t* source_index) {
    if (plan_.virtual_table) {
      const auto& rows = plan_.virtual_table->rows;
      if (index_ >= rows.size()) return nullptr;
      *source_index = index_ + 1;  // resume after this row
      return &rows[index_++];
    }
    while (true) {
      if (!reader_) {
        if (!OpenNext()) return nullptr;
      }
      if (reader_->Next(&row_)) {
        *source_index = index_;
        return &row_;
      }
      if (!reader_->status().ok()) {
        throw CqlError(ErrorCode::kReadFailure, reader_->status().message());
      }
      reader_.reset();
      ++index_;
      if (!multi_partition()) return nullptr;
    }
  }

 private:
  bool multi_partition() const { return plan_.keys.partition_restricted; }

  bool OpenNext() {
    storage::ReadSpec spec;
    if (multi_partition()) {
      if (index_ >= plan_.keys.partition_keys.size()) return false;
      spec.partition_key = plan_.keys.partition_keys[index_];
    } else {
      if (index_ > 0) return false;
      if (plan_.keys.token_start) spec.start_token = *plan_.keys.token_start;
      if (plan_.keys.token_end) spec.end_token = *plan_.keys.token_end;
    }
    spec.slices = plan_.keys.slices;
    spec.reverse = plan_.reverse;
    spec.columns = columns_;
    spec.resume_after = std::exchange(resume_, std::nullopt);
    reader_ = ex_.store()->Read(plan_.table->layout, spec, ctx_.now_seconds);
    return true;
  }

  const SelectPlan& plan_;
  const Executor& ex_;
  const ExecContext& ctx_;
  std::vector<uint32_t> columns_;
  uint32_t index_;
  std::optional<storage::ResumePoint> resume_;
  std::unique_ptr<storage::RowReader> reader_;
  RowRead row_;
};

}  // namespace

cql::ResultMessage RunSelect(Executor& ex, const ast::Select& s, ExecContext& ctx) {
  if (s.json) ThrowInvalid("SELECT JSON is not supported yet");
  SelectPlan plan = Plan(s, ctx, ex);
  const TableSchema& table = *plan.table;
  Selection selection(table, s.selectors);

  cql::RowsResult result;
  result.metadata.columns = selection.columns();
  if (plan.keys.partition_restricted && plan.keys.partition_keys.empty()) return result;
  if (plan.keys.token_start && plan.keys.token_end &&
      *plan.keys.token_start >= *plan.keys.token_end) {
    return result;
  }

  int32_t page_size = ctx.params && ctx.params->page_size > 0 ? ctx.params->page_size : -1;
  bool aggregate = selection.is_aggregate() || plan.group_by_columns > 0;
  if (plan.sort_in_memory && page_size > 0) {
    ThrowInvalid(
        "Cannot page queries with both ORDER BY and a IN restriction on the partition "
        "key; you must either remove the ORDER BY or the IN and sort client side, or "
        "disable paging for this query");
  }
  if (aggregate || plan.sort_in_memory) page_size = -1;

  PagingState state;
  if (ctx.params && ctx.params->paging_state && page_size > 0) {
    state = DecodePagingState(*ctx.params->paging_state);
  } else if (!aggregate) {
    state.remaining = plan.limit;  // an aggregate's LIMIT applies to its result rows
  }

  // Filters read columns the selection may not output.
  std::vector<uint32_t> columns = selection.column_ids();
  const auto& filters = plan.virtual_table ? plan.virtual_filters : plan.keys.filters;
  for (const auto& f : filters) {
    if ((f.column->kind == ColumnKind::kRegular || f.column->kind == ColumnKind::kStatic) &&
        std::find(columns.begin(), columns.end(), f.column->id) == columns.end()) {
      columns.push_back(f.column->id);
    }
  }
  if (columns.empty()) {
    // Row liveness still needs cells when nothing is selected but the key.
    for (const auto& c : table.layout.columns) columns.push_back(c.id);
  }

  RowSource source(plan, ex, ctx, columns, state);
  bool has_slices = !plan.keys.slices.empty();
  Bytes current_pk;
  bool have_pk = false;
  int32_t partition_rows = state.resume ? state.partition_rows : 0;
  if (state.resume) {
    current_pk = state.resume->partition_key;
    have_pk = true;
  }
  std::vector<Bytes> pk_parts;
  std::vector<Value> group_key, last_group_key;
  bool group_open = false;
  PagingState last;  // position of the last emitted row
  bool more = false;
  uint32_t source_index = 0;
  int64_t emitted = 0;

  std::vector<std::pair<std::vector<Bytes>, std::vector<Value>>> sortable;  // clustering, row
  std::vector<const storage::ColumnSchema*> key_cols;
  for (const auto* c : table.PartitionKey()) key_cols.push_back(c);
  for (const auto* c : table.Clustering()) key_cols.push_back(c);
  while (const RowRead* row = source.Next(&source_index)) {
    if (row->static_only && (has_slices || !selection.selects_static())) continue;
    if (!have_pk || row->partition_key != current_pk) {
      current_pk = row->partition_key;
      have_pk = true;
      partition_rows = 0;
    }
    if (plan.per_partition_limit >= 0 && partition_rows >= plan.per_partition_limit) continue;
    if (s.distinct && partition_rows >= 1) continue;
    pk_parts = SplitKey(table, row->partition_key);
    RowContext rc{&table, row, &pk_parts, ctx.now_seconds};
    bool pass = true;
    for (const auto& f : filters) {
      if (!Matches(f, rc)) {
        pass = false;
        break;
      }
    }
    if (!pass) continue;
    if (state.remaining == 0) break;
    if (page_size > 0 && emitted == page_size) {
      more = true;  // a further row exists: this page is full and not the last
      break;
    }
    ++partition_rows;
    if (state.remaining > 0) --state.remaining;
    if (aggregate) {
      if (plan.group_by_columns > 0) {
        group_key.clear();
        for (size_t i = 0; i < plan.group_by_columns; ++i)
          group_key.push_back(rc.Get(*key_cols[i]));
        if (group_open && group_key != last_group_key) {
          result.rows.push_back(selection.Finish());
        }
        last_group_key = group_key;
        group_open = true;
      }
      selection.Accumulate(rc);
      ++emitted;
      continue;
    }
    auto values = selection.Evaluate(rc);
    if (plan.sort_in_memory) {
      sortable.emplace_back(row->clustering, std::move(values));
    } else {
      result.rows.push_back(std::move(values));
    }
    ++emitted;
    last.source_index = source_index;
    last.resume = storage::ResumePoint{row->partition_key, row->clustering, row->static_only};
    last.partition_rows = partition_rows;
    last.remaining = state.remaining;
  }
  if (aggregate) {
    if (plan.group_by_columns == 0 || group_open) result.rows.push_back(selection.Finish());
    if (plan.limit >= 0 && result.rows.size() > static_cast<size_t>(plan.limit)) {
      result.rows.resize(plan.limit);
    }
  }
  if (plan.sort_in_memory) {
    std::stable_sort(sortable.begin(), sortable.end(), [&](const auto& a, const auto& b) {
      int c = CompareClustering(table, a.first, b.first);
      return plan.reverse ? c > 0 : c < 0;
    });
    for (auto& [_, values] : sortable) {
      if (plan.limit >= 0 && result.rows.size() >= static_cast<size_t>(plan.limit)) break;
      result.rows.push_back(std::move(values));
    }
  }
  if (more) {
    if (plan.virtual_table) last.resume.reset();
    result.metadata.paging_state = EncodePagingState(last);
  }
  return result;
}

}  // namespace helenus::query

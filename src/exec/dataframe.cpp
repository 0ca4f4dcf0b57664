#include "helenus/exec/dataframe.h"

#include <cstdlib>
#include <iostream>

#include "helenus/common/error.h"
#include "helenus/exec/format.h"
#include "helenus/storage/catalog.h"

namespace helenus::exec {
namespace {

std::string OutputName(const Expr& e) {
  return e.ToString();
}

// A reference to field f that stays unambiguous when names repeat across qualifiers.
ExprPtr RefTo(const Field& f) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kColumn;
  e->name = f.name;
  e->qualifier = f.qualifier;
  return e;
}

}  // namespace

Engine::Engine(storage::Store* store, storage::Catalog* catalog, ComputePool* pool)
    : store_(store), catalog_(catalog), pool_(pool) {
  const char* tmp = std::getenv("TMPDIR");
  spill_dir_ = tmp && *tmp ? tmp : "/tmp";
}

std::shared_ptr<TableSource> Engine::Source(std::string_view ks, std::string_view name) const {
  auto table = catalog_->Snapshot()->FindTable(ks, name);
  if (!table) ThrowInvalid("table {}.{} does not exist", ks, name);
  return MakeLocalSource(store_, std::move(table));
}

std::shared_ptr<TableSink> Engine::Sink(std::string_view ks, std::string_view name) const {
  auto table = catalog_->Snapshot()->FindTable(ks, name);
  if (!table) ThrowInvalid("table {}.{} does not exist", ks, name);
  return MakeLocalSink(store_, std::move(table));
}

namespace {

std::pair<std::string, std::string> SplitName(std::string_view name, std::string_view default_ks) {
  auto dot = name.find('.');
  if (dot == std::string_view::npos) {
    if (default_ks.empty()) ThrowInvalid("No keyspace has been specified for table {}", name);
    return {std::string(default_ks), std::string(name)};
  }
  return {std::string(name.substr(0, dot)), std::string(name.substr(dot + 1))};
}

}  // namespace

DataFrame Engine::Table(std::string_view name, std::string_view default_keyspace) const {
  auto [ks, table] = SplitName(name, default_keyspace);
  return DataFrame(this, PlanScan(Source(ks, table)));
}

DataFrame Engine::FromBatches(Schema schema, std::vector<Batch> batches) const {
  return DataFrame(this, PlanValues(std::move(schema), std::move(batches)));
}

ExecContext Engine::NewContext(Progress* progress) const {
  ExecContext ctx;
  ctx.pool = pool_;
  ctx.memory_limit = memory_limit_;
  ctx.spill_dir = spill_dir_;
  ctx.progress = progress;
  return ctx;
}

size_t Rows::size() const {
  size_t n = 0;
  for (const auto& b : batches) n += b.num_rows;
  return n;
}

Batch Rows::Concat() const {
  Batch out = Batch::Empty(schema, size());
  for (const auto& b : batches) out.Append(b);
  return out;
}

DataFrame GroupedData::agg(std::vector<ExprPtr> aggregates) const {
  std::vector<std::string> key_names, agg_names;
  for (const auto& k : keys_) key_names.push_back(OutputName(*k));
  std::vector<ExprPtr> calls;
  for (const auto& a : aggregates) {
    agg_names.push_back(OutputName(*a));
    calls.push_back(a->kind == ExprKind::kAlias ? a->args[0] : a);
  }
  return DataFrame(engine_, PlanAggregate(input_, keys_, std::move(key_names), std::move(calls),
                                          std::move(agg_names)));
}

DataFrame GroupedData::count() const {
  return agg({Expr::As(Expr::Call("count", {Expr::Star()}), "count")});
}

DataFrame DataFrame::filter(ExprPtr predicate) const {
  return With(PlanFilter(plan_, std::move(predicate)));
}

DataFrame DataFrame::select(std::vector<ExprPtr> exprs) const {
  std::vector<ExprPtr> out;
  std::vector<std::string> names;
  for (auto& e : exprs) {
    if (e->kind == ExprKind::kStar) {
      for (const auto& f : schema().fields) {
        out.push_back(RefTo(f));
        names.push_back(f.name);
      }
      continue;
    }
    names.push_back(OutputName(*e));
    out.push_back(std::move(e));
  }
  return With(PlanProject(plan_, std::move(out), std::move(names)));
}

DataFrame DataFrame::select(const std::vector<std::string>& columns) const {
  std::vector<ExprPtr> exprs;
  for (const auto& c : columns) exprs.push_back(Expr::Col(c));
  return select(std::move(exprs));
}

DataFrame DataFrame::with_column(std::string name, ExprPtr expr) const {
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  bool replaced = false;
  for (const auto& f : schema().fields) {
    if (f.name == name) {
      exprs.push_back(expr);
      replaced = true;
    } else {
      exprs.push_back(RefTo(f));
    }
    names.push_back(f.name);
  }
  if (!replaced) {
    exprs.push_back(std::move(expr));
    names.push_back(std::move(name));
  }
  return With(PlanProject(plan_, std::move(exprs), std::move(names)));
}

DataFrame DataFrame::with_column_renamed(std::string_view from, std::string to) const {
  schema().Require(from);
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  for (const auto& f : schema().fields) {
    exprs.push_back(RefTo(f));
    names.push_back(f.name == from ? to : f.name);
  }
  return With(PlanProject(plan_, std::move(exprs), std::move(names)));
}

DataFrame DataFrame::drop(const std::vector<std::string>& columns) const {
  for (const auto& c : columns) schema().Require(c);
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  for (const auto& f : schema().fields) {
    if (std::find(columns.begin(), columns.end(), f.name) != columns.end()) continue;
    exprs.push_back(RefTo(f));
    names.push_back(f.name);
  }
  return With(PlanProject(plan_, std::move(exprs), std::move(names)));
}

GroupedData DataFrame::group_by(std::vector<ExprPtr> keys) const {
  return GroupedData(engine_, plan_, std::move(keys));
}

GroupedData DataFrame::group_by(const std::vector<std::string>& columns) const {
  std::vector<ExprPtr> keys;
  for (const auto& c : columns) keys.push_back(Expr::Col(c));
  return group_by(std::move(keys));
}

DataFrame DataFrame::join(const DataFrame& other, ExprPtr on, JoinType type) const {
  return With(PlanJoin(plan_, other.plan_, type, std::move(on)));
}

DataFrame DataFrame::join(const DataFrame& other, const std::vector<std::string>& using_columns,
                          JoinType type) const {
  if (using_columns.empty()) ThrowInvalid("join needs at least one column");
  // Both sides get private qualifiers so that equal names (a self-join) stay
  // distinguishable; the output restores the left side's qualifiers.
  PlanPtr left = PlanAlias(plan_, "__left");
  PlanPtr right = PlanAlias(other.plan_, "__right");
  ExprPtr cond;
  for (const auto& c : using_columns) {
    left->schema.Require(c);
    right->schema.Require(c);
    auto eq = Expr::Call("=", {Expr::Col("__left." + c), Expr::Col("__right." + c)});
    cond = cond ? Expr::Call("and", {cond, eq}) : eq;
  }
  PlanPtr joined = PlanJoin(left, right, type, cond);
  auto is_key = [&](const std::string& n) {
    return std::find(using_columns.begin(), using_columns.end(), n) != using_columns.end();
  };
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  for (const auto& c : using_columns) {
    ExprPtr l = Expr::Col("__left." + c);
    if (type == JoinType::kRight) l = Expr::Col("__right." + c);
    if (type == JoinType::kFull) l = Expr::Call("coalesce", {l, Expr::Col("__right." + c)});
    exprs.push_back(l);
    names.push_back(c);
  }
  for (const auto& f : plan_->schema.fields) {
    if (is_key(f.name)) continue;
    exprs.push_back(Expr::Col("__left." + f.name));
    names.push_back(f.name);
  }
  if (type != JoinType::kSemi && type != JoinType::kAnti) {
    for (const auto& f : other.plan_->schema.fields) {
      if (is_key(f.name)) continue;
      exprs.push_back(Expr::Col("__right." + f.name));
      names.push_back(f.name);
    }
  }
  return With(PlanProject(joined, std::move(exprs), std::move(names)));
}

DataFrame DataFrame::order_by(std::vector<SortItem> items) const {
  return With(PlanSort(plan_, std::move(items)));
}

DataFrame DataFrame::order_by(const std::vector<std::string>& columns) const {
  std::vector<SortItem> items;
  for (const auto& c : columns) items.push_back(SortItem{Expr::Col(c), true, true});
  return order_by(std::move(items));
}

DataFrame DataFrame::limit(int64_t n) const {
  return With(PlanLimit(plan_, n));
}

DataFrame DataFrame::distinct() const {
  return With(PlanDistinct(plan_));
}

DataFrame DataFrame::union_all(const DataFrame& other) const {
  return With(PlanUnion({plan_, other.plan_}));
}

DataFrame DataFrame::alias(std::string alias) const {
  return With(PlanAlias(plan_, std::move(alias)));
}

std::vector<DataFrame> DataFrame::random_split(std::vector<double> weights, uint64_t seed) const {
  std::vector<DataFrame> out;
  for (size_t i = 0; i < weights.size(); ++i)
    out.push_back(With(PlanSplit(plan_, weights, seed, i)));
  return out;
}

uint64_t DataFrame::count() const {
  auto counted =
      With(PlanAggregate(plan_, {}, {}, {Expr::Call("count", {Expr::Star()})}, {"count"}))
          .collect();
  for (const auto& b : counted.batches) {
    if (b.num_rows > 0) return static_cast<uint64_t>(b.columns[0].ints[0]);
  }
  return 0;
}

Rows DataFrame::collect() const {
  OperatorPtr root = PlanPhysical(plan_);
  ExecContext ctx = engine_->NewContext();
  Rows rows;
  rows.schema = plan_->schema;
  rows.batches = CollectAll(root, ctx);
  return rows;
}

void DataFrame::show(size_t n, std::ostream* out) const {
  Rows rows = limit(static_cast<int64_t>(n)).collect();
  (out ? *out : std::cout) << FormatRows(rows.schema, rows.batches);
}

uint64_t DataFrame::write(std::string_view table, std::string_view default_keyspace) const {
  auto [ks, name] = SplitName(table, default_keyspace);
  auto sink = engine_->Sink(ks, name);
  OperatorPtr root = PlanPhysical(plan_);
  ExecContext ctx = engine_->NewContext();
  const Schema& schema = root->schema();
  RunAll(root, ctx, [&](size_t, Batch& batch) { sink->Write(schema, batch); });
  return sink->Finish();
}

std::string DataFrame::explain() const {
  return "== Logical plan ==\n" + ExplainPlan(plan_) + "== Physical plan ==\n" +
         ExplainTree(PlanPhysical(plan_));
}

}  // namespace helenus::exec

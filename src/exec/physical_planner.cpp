#include <fmt/format.h>

#include "helenus/common/error.h"
#include "helenus/exec/plan.h"
#include "op_rename.h"

// Logical -> physical. Two ideas keep this small:
//  * filters move below joins and into scans before anything is built;
//  * every operator binds its expressions by name against its child
//    operator's schema, so a child may carry only the columns its parents
//    need (column pruning) without index bookkeeping across the tree.

namespace helenus::exec {
namespace {

using Need = std::vector<bool>;

// Marks the fields of schema that e references; false when some reference
// does not resolve in schema.
bool AddRefs(const Expr& e, const Schema& schema, Need* need) {
  if (e.kind == ExprKind::kColumn) {
    int i = schema.Find(e.name, e.qualifier);
    if (i < 0) return false;
    (*need)[static_cast<size_t>(i)] = true;
    return true;
  }
  bool ok = true;
  for (const auto& a : e.args) ok = AddRefs(*a, schema, need) && ok;
  return ok;
}

// Moves WHERE conjuncts that touch one side of a join into that side, so the
// join (and the scans under it) see fewer rows.
PlanPtr PushFilters(const PlanPtr& plan);

PlanPtr PushIntoJoin(const JoinNode& join, const std::vector<ExprPtr>& conjuncts,
                     std::vector<ExprPtr>* kept) {
  std::vector<ExprPtr> to_left, to_right, on;
  if (join.condition) SplitConjuncts(join.condition, &on);
  // WHERE may filter a side before the join when that side's rows are not
  // NULL-padded by it; ON may filter the side that is not preserved.
  JoinType t = join.type;
  bool where_left = t != JoinType::kRight && t != JoinType::kFull;
  bool where_right = t == JoinType::kInner || t == JoinType::kRight;
  bool on_left = t == JoinType::kInner || t == JoinType::kRight;
  bool on_right =
      t == JoinType::kInner || t == JoinType::kLeft || t == JoinType::kSemi || t == JoinType::kAnti;
  auto route = [&](const ExprPtr& c, bool left_ok, bool right_ok, std::vector<ExprPtr>* keep) {
    bool columns = HasColumns(*c);
    if (columns && left_ok && RefersOnlyTo(*c, join.left->schema)) {
      to_left.push_back(c);
    } else if (columns && right_ok && RefersOnlyTo(*c, join.right->schema)) {
      to_right.push_back(c);
    } else {
      keep->push_back(c);
    }
  };
  for (const auto& c : conjuncts) route(c, where_left, where_right, kept);
  std::vector<ExprPtr> on_kept;
  for (const auto& c : on) route(c, on_left, on_right, &on_kept);
  PlanPtr left = join.left, right = join.right;
  if (!to_left.empty()) left = PlanFilter(left, AndAll(to_left));
  if (!to_right.empty()) right = PlanFilter(right, AndAll(to_right));
  return PlanJoin(PushFilters(left), PushFilters(right), join.type, AndAll(on_kept));
}

PlanPtr PushFilters(const PlanPtr& plan) {
  return std::visit(
      [&](const auto& n) -> PlanPtr {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, FilterNode>) {
          std::vector<ExprPtr> conjuncts;
          SplitConjuncts(n.predicate, &conjuncts);
          // Stacked filters merge into one list first.
          PlanPtr input = n.input;
          while (auto* inner = std::get_if<FilterNode>(&input->node)) {
            SplitConjuncts(inner->predicate, &conjuncts);
            input = inner->input;
          }
          if (auto* join = std::get_if<JoinNode>(&input->node)) {
            std::vector<ExprPtr> kept;
            PlanPtr joined = PushIntoJoin(*join, conjuncts, &kept);
            return kept.empty() ? joined : PlanFilter(joined, AndAll(kept));
          }
          return PlanFilter(PushFilters(input), AndAll(conjuncts));
        } else if constexpr (std::is_same_v<N, JoinNode>) {
          std::vector<ExprPtr> kept;
          return PushIntoJoin(n, {}, &kept);
        } else if constexpr (std::is_same_v<N, ScanNode> || std::is_same_v<N, ValuesNode>) {
          return plan;
        } else if constexpr (std::is_same_v<N, UnionNode>) {
          std::vector<PlanPtr> inputs;
          for (const auto& i : n.inputs) inputs.push_back(PushFilters(i));
          return PlanUnion(std::move(inputs));
        } else if constexpr (std::is_same_v<N, ProjectNode>) {
          return PlanProject(PushFilters(n.input), n.exprs, n.names);
        } else if constexpr (std::is_same_v<N, AggregateNode>) {
          return PlanAggregate(PushFilters(n.input), n.keys, n.key_names, n.aggregates,
                               n.agg_names);
        } else if constexpr (std::is_same_v<N, SortNode>) {
          return PlanSort(PushFilters(n.input), n.items);
        } else if constexpr (std::is_same_v<N, LimitNode>) {
          return PlanLimit(PushFilters(n.input), n.limit, n.offset);
        } else if constexpr (std::is_same_v<N, DistinctNode>) {
          return PlanDistinct(PushFilters(n.input));
        } else if constexpr (std::is_same_v<N, SplitNode>) {
          return PlanSplit(PushFilters(n.input), n.weights, n.seed, n.index);
        } else {
          static_assert(std::is_same_v<N, AliasNode>);
          return PlanAlias(PushFilters(n.input), n.alias);
        }
      },
      plan->node);
}

// The value of a constant expression cast to type, serialized; nullopt when
// it is NULL or cannot be represented exactly.
std::optional<Value> ConstantAs(const ExprPtr& e, const DataType& type) {
  if (HasColumns(*e) || ContainsAggregate(*e)) return std::nullopt;
  Schema empty;
  auto bound = Bind(*e, empty);
  const DataType& from = bound->type();
  bool same_kind = from.kind == type.kind;
  bool both_ints = PhysicalOf(from) == Physical::kInt64 && PhysicalOf(type) == Physical::kInt64 &&
                   from.kind != TypeKind::kBoolean && type.kind != TypeKind::kBoolean &&
                   from.kind != TypeKind::kTimestamp && from.kind != TypeKind::kDate &&
                   from.kind != TypeKind::kTime;
  bool text_literal = (from.kind == TypeKind::kText || from.kind == TypeKind::kAscii) &&
                      type.kind != TypeKind::kFloat && PhysicalOf(type) != Physical::kDouble;
  if (!same_kind && !both_ints && !text_literal) return std::nullopt;
  if (type.kind == TypeKind::kFloat) return std::nullopt;
  Batch one;
  one.num_rows = 1;
  Column cast = Bind(*Expr::Cast(e, type), empty)->Evaluate(one);
  if (cast.IsNull(0)) return std::nullopt;
  if (both_ints) {
    // A literal out of the column type's range must not be pushed wrapped.
    Column orig = bound->Evaluate(one);
    if (orig.ints[0] != cast.ints[0]) return std::nullopt;
  }
  return Value(CqlValueAt(cast, 0));
}

// Storage-side restrictions the scan may use; the filter above still checks every row.
std::vector<ScanPredicate> ScanPredicates(const std::vector<ExprPtr>& conjuncts,
                                          const Schema& schema) {
  static const std::vector<std::pair<std::string_view, ScanPredicate::Op>> kOps = {
      {"=", ScanPredicate::Op::kEq}, {"<", ScanPredicate::Op::kLt},  {"<=", ScanPredicate::Op::kLe},
      {">", ScanPredicate::Op::kGt}, {">=", ScanPredicate::Op::kGe},
  };
  auto flip = [](ScanPredicate::Op op) {
    switch (op) {
      case ScanPredicate::Op::kLt:
        return ScanPredicate::Op::kGt;
      case ScanPredicate::Op::kLe:
        return ScanPredicate::Op::kGe;
      case ScanPredicate::Op::kGt:
        return ScanPredicate::Op::kLt;
      case ScanPredicate::Op::kGe:
        return ScanPredicate::Op::kLe;
      default:
        return op;
    }
  };
  std::vector<ScanPredicate> out;
  for (const auto& c : conjuncts) {
    if (c->kind != ExprKind::kCall || c->args.empty()) continue;
    const Expr& lhs = *c->args[0];
    if (c->name == "in" && lhs.kind == ExprKind::kColumn) {
      int i = schema.Find(lhs.name, lhs.qualifier);
      if (i < 0) continue;
      ScanPredicate p{schema.fields[i].name, ScanPredicate::Op::kIn, {}};
      bool ok = true;
      for (size_t a = 1; a < c->args.size() && ok; ++a) {
        auto v = ConstantAs(c->args[a], schema.fields[i].type);
        if (v) p.values.push_back(*v);
        ok = v.has_value();
      }
      if (ok) out.push_back(std::move(p));
      continue;
    }
    for (const auto& [name, op] : kOps) {
      if (c->name != name || c->args.size() != 2) continue;
      const Expr* col = &lhs;
      ExprPtr constant = c->args[1];
      ScanPredicate::Op pop = op;
      if (col->kind != ExprKind::kColumn) {
        col = c->args[1].get();
        constant = c->args[0];
        pop = flip(op);
      }
      if (col->kind != ExprKind::kColumn) break;
      int i = schema.Find(col->name, col->qualifier);
      if (i < 0) break;
      if (auto v = ConstantAs(constant, schema.fields[i].type)) {
        out.push_back(ScanPredicate{schema.fields[i].name, pop, {*v}});
      }
      break;
    }
  }
  return out;
}

bool IsNumeric(const DataType& t) {
  switch (t.kind) {
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kFloat:
    case TypeKind::kDouble:
    case TypeKind::kVarint:
    case TypeKind::kDecimal:
      return true;
    default:
      return false;
  }
}

class Builder {
 public:
  OperatorPtr Build(const PlanPtr& plan, const Need& need) {
    return std::visit([&](const auto& n) { return BuildNode(*plan, n, need); }, plan->node);
  }

 private:
  static Need All(const Schema& s) { return Need(s.size(), true); }

  OperatorPtr BuildScan(const PlanNode& plan, const ScanNode& n, const Need& need,
                        std::vector<ScanPredicate> predicates) {
    ScanRequest request;
    for (size_t i = 0; i < need.size(); ++i) {
      if (need[i]) request.columns.push_back(plan.schema.fields[i].name);
    }
    // count(*) needs rows, not values: read the cheapest column, the first key.
    if (request.columns.empty() && !plan.schema.fields.empty()) {
      request.columns.push_back(plan.schema.fields[0].name);
    }
    request.predicates = std::move(predicates);
    OperatorPtr scan = MakeScan(n.source, std::move(request));
    if (n.alias.empty()) return scan;
    Schema renamed = scan->schema();
    for (auto& f : renamed.fields) f.qualifier = n.alias;
    return MakeRename(scan, std::move(renamed));
  }

  OperatorPtr BuildNode(const PlanNode& plan, const ScanNode& n, const Need& need) {
    return BuildScan(plan, n, need, {});
  }

  OperatorPtr BuildNode(const PlanNode& plan, const ValuesNode& n, const Need&) {
    return MakeValues(plan.schema, n.batches);
  }

  OperatorPtr BuildNode(const PlanNode& plan, const FilterNode& n, const Need& need) {
    Need child = need;
    AddRefs(*n.predicate, n.input->schema, &child);
    OperatorPtr input;
    if (auto* scan = std::get_if<ScanNode>(&n.input->node)) {
      std::vector<ExprPtr> conjuncts;
      SplitConjuncts(n.predicate, &conjuncts);
      input = BuildScan(*n.input, *scan, child, ScanPredicates(conjuncts, n.input->schema));
    } else {
      input = Build(n.input, child);
    }
    return MakeFilter(input, Bind(*n.predicate, input->schema()));
  }

  OperatorPtr BuildNode(const PlanNode& plan, const ProjectNode& n, const Need& need) {
    Need child(n.input->schema.size(), false);
    std::vector<BoundExprPtr> exprs;
    std::vector<Field> fields;
    std::vector<size_t> kept;
    for (size_t i = 0; i < n.exprs.size(); ++i) {
      if (!need[i]) continue;
      AddRefs(*n.exprs[i], n.input->schema, &child);
      kept.push_back(i);
    }
    OperatorPtr input = Build(n.input, child);
    for (size_t i : kept) {
      exprs.push_back(Bind(*n.exprs[i], input->schema()));
      fields.push_back(plan.schema.fields[i]);
    }
    return MakeProject(input, std::move(exprs), std::move(fields));
  }

  OperatorPtr BuildNode(const PlanNode& plan, const AggregateNode& n, const Need&) {
    Need child(n.input->schema.size(), false);
    for (const auto& k : n.keys) AddRefs(*k, n.input->schema, &child);
    for (const auto& a : n.aggregates) AddRefs(*a, n.input->schema, &child);
    OperatorPtr input = Build(n.input, child);
    std::vector<BoundExprPtr> keys;
    std::vector<Field> key_fields;
    for (size_t i = 0; i < n.keys.size(); ++i) {
      keys.push_back(Bind(*n.keys[i], input->schema()));
      key_fields.push_back(plan.schema.fields[i]);
    }
    std::vector<AggregateSpec> aggs;
    for (size_t i = 0; i < n.aggregates.size(); ++i) {
      const Expr* call = n.aggregates[i].get();
      while (call->kind == ExprKind::kAlias) call = call->args[0].get();
      AggregateSpec spec;
      spec.function = call->name == "mean" ? "avg" : call->name;
      spec.distinct = call->distinct;
      spec.name = n.agg_names[i];
      if (call->args[0]->kind != ExprKind::kStar) spec.arg = Bind(*call->args[0], input->schema());
      aggs.push_back(std::move(spec));
    }
    return MakeHashAggregate(input, std::move(keys), std::move(key_fields), std::move(aggs));
  }

  OperatorPtr BuildNode(const PlanNode&, const JoinNode& n, const Need& need) {
    const Schema& ls = n.left->schema;
    const Schema& rs = n.right->schema;
    Need left_need(ls.size(), false), right_need(rs.size(), false);
    for (size_t i = 0; i < ls.size() && i < need.size(); ++i) left_need[i] = need[i];
    bool has_right = n.type != JoinType::kSemi && n.type != JoinType::kAnti;
    for (size_t i = 0; has_right && i < rs.size(); ++i) right_need[i] = need[ls.size() + i];
    std::vector<ExprPtr> conjuncts;
    if (n.condition) SplitConjuncts(n.condition, &conjuncts);
    for (const auto& c : conjuncts) {
      AddRefs(*c, ls, &left_need);
      AddRefs(*c, rs, &right_need);
    }
    OperatorPtr left = Build(n.left, left_need);
    OperatorPtr right = Build(n.right, right_need);

    std::vector<BoundExprPtr> left_keys, right_keys;
    std::vector<ExprPtr> residual;
    for (const auto& c : conjuncts) {
      bool equi = c->kind == ExprKind::kCall && c->name == "=" && c->args.size() == 2 &&
                  HasColumns(*c->args[0]) && HasColumns(*c->args[1]);
      ExprPtr l, r;
      if (equi && RefersOnlyTo(*c->args[0], ls) && RefersOnlyTo(*c->args[1], rs)) {
        l = c->args[0];
        r = c->args[1];
      } else if (equi && RefersOnlyTo(*c->args[1], ls) && RefersOnlyTo(*c->args[0], rs)) {
        l = c->args[1];
        r = c->args[0];
      }
      if (!l) {
        residual.push_back(c);
        continue;
      }
      auto lb = Bind(*l, left->schema());
      auto rb = Bind(*r, right->schema());
      if (lb->type().kind != rb->type().kind) {
        // Keys are compared by physical value: bring both sides to one type.
        if (IsNumeric(lb->type()) && IsNumeric(rb->type()) &&
            (PhysicalOf(lb->type()) != Physical::kInt64 ||
             PhysicalOf(rb->type()) != Physical::kInt64)) {
          lb = Bind(*Expr::Cast(l, DataType::Of(TypeKind::kDouble)), left->schema());
          rb = Bind(*Expr::Cast(r, DataType::Of(TypeKind::kDouble)), right->schema());
        } else if (PhysicalOf(lb->type()) != PhysicalOf(rb->type()) ||
                   PhysicalOf(lb->type()) == Physical::kString) {
          rb = Bind(*Expr::Cast(r, lb->type()), right->schema());
        }
      }
      left_keys.push_back(std::move(lb));
      right_keys.push_back(std::move(rb));
    }
    BoundExprPtr res;
    if (!residual.empty()) {
      Schema both = left->schema();
      both.fields.insert(both.fields.end(), right->schema().fields.begin(),
                         right->schema().fields.end());
      res = Bind(*AndAll(residual), both);
    }
    return MakeHashJoin(left, right, n.type, std::move(left_keys), std::move(right_keys),
                        std::move(res));
  }

  std::vector<SortKey> SortKeys(const std::vector<SortItem>& items, const Schema& schema) {
    std::vector<SortKey> keys;
    for (const auto& item : items) {
      keys.push_back(SortKey{Bind(*item.expr, schema), item.ascending, item.nulls_first});
    }
    return keys;
  }

  OperatorPtr BuildNode(const PlanNode&, const SortNode& n, const Need& need) {
    Need child = need;
    for (const auto& item : n.items) AddRefs(*item.expr, n.input->schema, &child);
    OperatorPtr input = Build(n.input, child);
    return MakeSort(input, SortKeys(n.items, input->schema()));
  }

  OperatorPtr BuildNode(const PlanNode&, const LimitNode& n, const Need& need) {
    if (auto* sort = std::get_if<SortNode>(&n.input->node)) {
      // ORDER BY + LIMIT: keep only the top rows while sorting.
      Need child = need;
      for (const auto& item : sort->items) AddRefs(*item.expr, sort->input->schema, &child);
      OperatorPtr input = Build(sort->input, child);
      OperatorPtr sorted =
          MakeSort(input, SortKeys(sort->items, input->schema()), n.limit + n.offset);
      return n.offset > 0 ? MakeLimit(sorted, n.limit, n.offset) : sorted;
    }
    return MakeLimit(Build(n.input, need), n.limit, n.offset);
  }

  OperatorPtr BuildNode(const PlanNode&, const DistinctNode& n, const Need&) {
    return MakeDistinct(Build(n.input, All(n.input->schema)));
  }

  OperatorPtr BuildNode(const PlanNode&, const UnionNode& n, const Need&) {
    std::vector<OperatorPtr> inputs;
    for (const auto& i : n.inputs) inputs.push_back(Build(i, All(i->schema)));
    return MakeUnionAll(std::move(inputs));
  }

  OperatorPtr BuildNode(const PlanNode&, const SplitNode& n, const Need&) {
    // The split hashes whole rows: it must see every column to stay the same
    // whatever its parents read.
    return MakeRandomSplit(Build(n.input, All(n.input->schema)), n.weights, n.seed, n.index);
  }

  OperatorPtr BuildNode(const PlanNode&, const AliasNode& n, const Need& need) {
    OperatorPtr input = Build(n.input, need);
    Schema renamed = input->schema();
    for (auto& f : renamed.fields) f.qualifier = n.alias;
    return MakeRename(input, std::move(renamed));
  }
};

void ExplainInto(const PlanPtr& plan, int depth, std::string* out) {
  std::string line = std::visit(
      [](const auto& n) -> std::string {
        using N = std::decay_t<decltype(n)>;
        auto list = [](const std::vector<ExprPtr>& es) {
          std::string s;
          for (const auto& e : es) s += (s.empty() ? "" : ", ") + e->ToString();
          return s;
        };
        if constexpr (std::is_same_v<N, ScanNode>) {
          return fmt::format("Scan {}{}", n.source->name(),
                             n.alias.empty() ? "" : " AS " + n.alias);
        } else if constexpr (std::is_same_v<N, ValuesNode>) {
          return fmt::format("Values batches={}", n.batches.size());
        } else if constexpr (std::is_same_v<N, FilterNode>) {
          return "Filter " + n.predicate->ToString();
        } else if constexpr (std::is_same_v<N, ProjectNode>) {
          return "Project " + list(n.exprs);
        } else if constexpr (std::is_same_v<N, AggregateNode>) {
          return fmt::format("Aggregate keys=[{}] aggs=[{}]", list(n.keys), list(n.aggregates));
        } else if constexpr (std::is_same_v<N, JoinNode>) {
          static const char* kNames[] = {"inner", "left", "right", "full", "semi", "anti"};
          return fmt::format("Join {} on {}", kNames[static_cast<int>(n.type)],
                             n.condition ? n.condition->ToString() : "true");
        } else if constexpr (std::is_same_v<N, SortNode>) {
          std::string s;
          for (const auto& i : n.items) {
            s += (s.empty() ? "" : ", ") + i.expr->ToString() + (i.ascending ? " ASC" : " DESC");
          }
          return "Sort " + s;
        } else if constexpr (std::is_same_v<N, LimitNode>) {
          return fmt::format("Limit {} offset {}", n.limit, n.offset);
        } else if constexpr (std::is_same_v<N, DistinctNode>) {
          return "Distinct";
        } else if constexpr (std::is_same_v<N, UnionNode>) {
          return "UnionAll";
        } else if constexpr (std::is_same_v<N, SplitNode>) {
          return fmt::format("RandomSplit seed={} slice={}", n.seed, n.index);
        } else {
          return "Alias " + n.alias;
        }
      },
      plan->node);
  *out += std::string(static_cast<size_t>(depth) * 2, ' ') + line + "\n";
  std::visit(
      [&](const auto& n) {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, JoinNode>) {
          ExplainInto(n.left, depth + 1, out);
          ExplainInto(n.right, depth + 1, out);
        } else if constexpr (std::is_same_v<N, UnionNode>) {
          for (const auto& i : n.inputs) ExplainInto(i, depth + 1, out);
        } else if constexpr (requires { n.input; }) {
          ExplainInto(n.input, depth + 1, out);
        }
      },
      plan->node);
}

}  // namespace

OperatorPtr PlanPhysical(const PlanPtr& plan) {
  PlanPtr pushed = PushFilters(plan);
  return Builder().Build(pushed, Need(pushed->schema.size(), true));
}

std::string ExplainPlan(const PlanPtr& plan) {
  std::string out;
  ExplainInto(plan, 0, &out);
  return out;
}

}  // namespace helenus::exec

// PREPARE metadata: the receiver of every bind marker, the partition-key
// marker indexes drivers route with, and the result columns.
#include "executor.h"
#include "helenus/common/error.h"
#include "selection.h"
#include "system_tables.h"

namespace helenus::query {
namespace {

namespace ast = cql::ast;
using storage::ColumnKind;
using storage::ColumnSchema;
using storage::TableSchema;

class MarkerCollector {
 public:
  MarkerCollector(size_t n, const TableSchema& t) : specs_(n), t_(t) {}

  void Mark(const ast::Term& term, const std::string& name, const DataType& type) {
    if (const auto* m = term.As<ast::BindMarker>()) {
      if (m->index < specs_.size()) {
        specs_[m->index] =
            cql::ColumnSpec{t_.keyspace, t_.name, m->name.empty() ? name : m->name, type};
      }
      return;
    }
    if (const auto* coll = term.As<ast::CollectionLiteral>()) {
      if (type.params.empty()) return;
      for (const auto& e : coll->elements) Mark(e, "value(" + name + ")", type.params.back());
      for (const auto& [k, v] : coll->entries) {
        Mark(k, "key(" + name + ")", type.params[0]);
        if (type.params.size() > 1) Mark(v, "value(" + name + ")", type.params[1]);
      }
      return;
    }
    if (const auto* tuple = term.As<ast::TupleLiteral>()) {
      for (size_t i = 0; i < tuple->elements.size() && i < type.params.size(); ++i) {
        Mark(tuple->elements[i], name, type.params[i]);
      }
      return;
    }
    if (const auto* cast = term.As<ast::TypeCast>()) Mark(*cast->term, name, cast->type);
  }

  const ColumnSchema* Column(const std::string& name) {
    const auto* c = t_.Find(name);
    if (!c) ThrowInvalid("Undefined column name {}", name);
    return c;
  }

  void Using(const ast::UsingClause& u) {
    if (u.ttl) Mark(*u.ttl, "[ttl]", DataType::Of(TypeKind::kInt));
    if (u.timestamp) Mark(*u.timestamp, "[timestamp]", DataType::Of(TypeKind::kBigint));
  }

  void Where(const std::vector<ast::Relation>& where) {
    for (const auto& r : where) {
      if (r.kind == ast::Relation::Kind::kToken) {
        for (const auto& v : r.values) {
          const auto* f = v.As<ast::FunctionCall>();
          if (f && f->name == "token") {
            auto pk = t_.PartitionKey();
            for (size_t i = 0; i < f->args.size() && i < pk.size(); ++i) {
              Mark(f->args[i], pk[i]->name, pk[i]->type);
            }
          } else {
            Mark(v, "partition key token", DataType::Of(TypeKind::kBigint));
          }
        }
        continue;
      }
      if (r.kind == ast::Relation::Kind::kMultiColumn) {
        std::vector<DataType> types;
        std::string name = "(";
        for (const auto& n : r.columns) {
          types.push_back(Column(n)->type);
          name += (name.size() > 1 ? "," : "") + n;
        }
        name += ")";
        auto tuple = DataType::Tuple(types);
        if (r.op == ast::Operator::kIn && r.values.size() == 1 &&
            r.values[0].Is<ast::BindMarker>()) {
          Mark(r.values[0], "in" + name, DataType::List(tuple));
          continue;
        }
        for (const auto& v : r.values) {
          if (const auto* t = v.As<ast::TupleLiteral>()) {
            for (size_t i = 0; i < t->elements.size() && i < r.columns.size(); ++i) {
              Mark(t->elements[i], r.columns[i], types[i]);
            }
          } else {
            Mark(v, name, tuple);
          }
        }
        continue;
      }
      const auto* c = Column(r.columns.at(0));
      if (r.op == ast::Operator::kIn) {
        if (r.values.size() == 1 && r.values[0].Is<ast::BindMarker>()) {
          Mark(r.values[0], "in(" + c->name + ")", DataType::List(c->type));
        } else {
          for (const auto& v : r.values) Mark(v, c->name, c->type);
        }
        continue;
      }
      if (r.op == ast::Operator::kContains && !c->type.params.empty()) {
        Mark(r.values.at(0), c->name, c->type.params.back());
        continue;
      }
      if (r.op == ast::Operator::kContainsKey && !c->type.params.empty()) {
        Mark(r.values.at(0), c->name, c->type.params[0]);
        continue;
      }
      if (r.map_key && c->type.params.size() == 2) {
        Mark(*r.map_key, "key(" + c->name + ")", c->type.params[0]);
        Mark(r.values.at(0), "value(" + c->name + ")", c->type.params[1]);
        continue;
      }
      for (const auto& v : r.values) Mark(v, c->name, c->type);
      if (c->kind == ColumnKind::kPartitionKey && r.op == ast::Operator::kEq &&
          r.values.size() == 1) {
        if (const auto* m = r.values[0].As<ast::BindMarker>()) pk_markers_[c->position] = m->index;
      }
    }
  }

  void Conditions(const std::vector<ast::Condition>& conds) {
    for (const auto& cond : conds) {
      const auto* c = Column(cond.column);
      DataType type = c->type;
      if (cond.element && !c->type.params.empty()) {
        Mark(*cond.element,
             c->type.kind == TypeKind::kList ? "idx(" + c->name + ")" : "key(" + c->name + ")",
             c->type.kind == TypeKind::kList ? DataType::Of(TypeKind::kInt) : c->type.params[0]);
        type = c->type.params.back();
      }
      for (const auto& v : cond.values) Mark(v, c->name, type);
    }
  }

  void Insert(const ast::Insert& s) {
    for (size_t i = 0; i < s.columns.size() && i < s.values.size(); ++i) {
      const auto* c = Column(s.columns[i]);
      Mark(s.values[i], c->name, c->type);
      if (c->kind == ColumnKind::kPartitionKey) {
        if (const auto* m = s.values[i].As<ast::BindMarker>()) pk_markers_[c->position] = m->index;
      }
    }
    Using(s.using_clause);
  }

  void Update(const ast::Update& s) {
    Using(s.using_clause);
    for (const auto& a : s.assignments) {
      const auto* c = Column(a.column);
      switch (a.op) {
        case ast::Assignment::Op::kSetElement:
          if (c->type.kind == TypeKind::kMap) {
            Mark(*a.key, "key(" + c->name + ")", c->type.params[0]);
            Mark(a.value, "value(" + c->name + ")", c->type.params[1]);
          } else if (c->type.kind == TypeKind::kList) {
            Mark(*a.key, "idx(" + c->name + ")", DataType::Of(TypeKind::kInt));
            Mark(a.value, "value(" + c->name + ")", c->type.params[0]);
          }
          break;
        case ast::Assignment::Op::kSubtract:
          Mark(a.value, c->name,
               c->type.kind == TypeKind::kMap ? DataType::Set(c->type.params[0]) : c->type);
          break;
        default:
          Mark(a.value, c->name, c->type);
          break;
      }
    }
    Where(s.where);
    Conditions(s.if_conditions);
  }

  void Delete(const ast::Delete& s) {
    for (const auto& target : s.columns) {
      const auto* c = Column(target.column);
      if (target.element) {
        Mark(*target.element,
             c->type.kind == TypeKind::kList ? "idx(" + c->name + ")" : "key(" + c->name + ")",
             c->type.kind == TypeKind::kList || c->type.params.empty()
                 ? DataType::Of(TypeKind::kInt)
                 : c->type.params[0]);
      }
    }
    Using(s.using_clause);
    Where(s.where);
    Conditions(s.if_conditions);
  }

  cql::ResultMetadata BindMetadata() {
    cql::ResultMetadata md;
    for (size_t i = 0; i < specs_.size(); ++i) {
      md.columns.push_back(specs_[i].value_or(cql::ColumnSpec{
          t_.keyspace, t_.name, "arg" + std::to_string(i), DataType::Of(TypeKind::kBlob)}));
    }
    return md;
  }

  // The receiver of each marker, when this statement names it.
  const std::vector<std::optional<cql::ColumnSpec>>& specs() const { return specs_; }

  std::vector<uint16_t> PkIndexes() const {
    std::vector<uint16_t> out;
    for (size_t i = 0; i < t_.PartitionKey().size(); ++i) {
      auto it = pk_markers_.find(static_cast<int>(i));
      if (it == pk_markers_.end()) return {};
      out.push_back(static_cast<uint16_t>(it->second));
    }
    return out;
  }

 private:
  std::vector<std::optional<cql::ColumnSpec>> specs_;
  const TableSchema& t_;
  std::map<int, size_t> pk_markers_;
};

std::shared_ptr<const TableSchema> TableFor(const ast::QualifiedName& name,
                                            const ClientState& state,
                                            const storage::SchemaSnapshot& schema,
                                            const NodeInfo& node,
                                            std::optional<VirtualTable>* virtual_table) {
  std::string ks = ResolveKeyspace(name, state);
  if (IsVirtualKeyspace(ks)) {
    *virtual_table = BuildVirtualTable(ks, name.name, schema, node);
    if (!*virtual_table) ThrowInvalid("unconfigured table {}", name.name);
    return (*virtual_table)->schema;
  }
  if (!schema.FindKeyspace(ks)) ThrowInvalid("Keyspace '{}' does not exist", ks);
  auto t = schema.FindTable(ks, name.name);
  if (!t) ThrowInvalid("unconfigured table {}", name.name);
  return t;
}

}  // namespace

cql::PreparedResult Executor::Describe(const cql::ParsedStatement& parsed,
                                       const ClientState& state) {
  cql::PreparedResult out;
  auto schema = Schema();
  auto describe_child = [&](const auto& s, MarkerCollector& mc) {
    using S = std::decay_t<decltype(s)>;
    if constexpr (std::is_same_v<S, ast::Insert>) {
      mc.Insert(s);
    } else if constexpr (std::is_same_v<S, ast::Update>) {
      mc.Update(s);
    } else {
      mc.Delete(s);
    }
  };
  std::visit(
      [&](const auto& s) {
        using S = std::decay_t<decltype(s)>;
        std::optional<VirtualTable> vt;
        if constexpr (std::is_same_v<S, ast::Select>) {
          auto t = TableFor(s.table, state, *schema, node_, &vt);
          MarkerCollector mc(parsed.bind_count, *t);
          mc.Where(s.where);
          if (s.limit) mc.Mark(*s.limit, "[limit]", DataType::Of(TypeKind::kInt));
          if (s.per_partition_limit) {
            mc.Mark(*s.per_partition_limit, "[per_partition_limit]", DataType::Of(TypeKind::kInt));
          }
          out.bind_metadata = mc.BindMetadata();
          out.pk_indexes = mc.PkIndexes();
          out.result_metadata.columns = Selection(*t, s.selectors).columns();
        } else if constexpr (std::is_same_v<S, ast::Insert> || std::is_same_v<S, ast::Update> ||
                             std::is_same_v<S, ast::Delete>) {
          auto t = TableFor(s.table, state, *schema, node_, &vt);
          MarkerCollector mc(parsed.bind_count, *t);
          describe_child(s, mc);
          out.bind_metadata = mc.BindMetadata();
          out.pk_indexes = mc.PkIndexes();
        } else if constexpr (std::is_same_v<S, ast::Batch>) {
          // Markers of each child are described against that child's table.
          std::vector<std::optional<cql::ColumnSpec>> all(parsed.bind_count);
          for (const auto& child : s.statements) {
            std::visit(
                [&](const auto& c) {
                  auto t = TableFor(c.table, state, *schema, node_, &vt);
                  MarkerCollector mc(parsed.bind_count, *t);
                  describe_child(c, mc);
                  for (size_t i = 0; i < all.size(); ++i) {
                    if (mc.specs()[i]) all[i] = mc.specs()[i];
                  }
                },
                child);
          }
          for (size_t i = 0; i < all.size(); ++i) {
            out.bind_metadata.columns.push_back(all[i].value_or(
                cql::ColumnSpec{"", "", "arg" + std::to_string(i), DataType::Of(TypeKind::kBlob)}));
          }
        } else if (parsed.bind_count > 0) {
          ThrowInvalid("Bind markers are not supported in schema statements");
        }
      },
      parsed.stmt);
  return out;
}

}  // namespace helenus::query

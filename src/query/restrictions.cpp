#include "restrictions.h"

#include <algorithm>
#include <limits>

#include "helenus/common/cartesian.h"
#include "helenus/common/error.h"
#include "helenus/common/murmur3.h"
#include "helenus/cql/value_codec.h"

namespace helenus::query {
namespace {

namespace ast = cql::ast;
using ast::Operator;
using storage::ColumnKind;
using storage::ColumnSchema;
using storage::TableSchema;

constexpr std::string_view kFilteringMessage =
    "Cannot execute this query as it might involve data filtering and thus may have "
    "unpredictable performance. If you want to execute this query despite the performance "
    "unpredictability, use ALLOW FILTERING";

bool IsSlice(Operator op) {
  return op == Operator::kLt || op == Operator::kLe || op == Operator::kGt || op == Operator::kGe;
}

// A bound on one side of a slice, in value order (not clustering order).
struct SliceSide {
  std::vector<Bytes> values;
  bool inclusive = true;
};

struct ColumnRelations {
  const ColumnSchema* column;
  std::vector<const ast::Relation*> relations;
};

// Binds the right side of a multi-column relation: a tuple literal of terms
// or one marker holding a tuple.
std::vector<Bytes> BindTuple(const ast::Term& term, const std::vector<const ColumnSchema*>& cols,
                             const TermBinder& binder) {
  std::vector<Bytes> out;
  if (const auto* tuple = term.As<ast::TupleLiteral>()) {
    if (tuple->elements.size() != cols.size()) {
      ThrowInvalid("Expected {} elements in value tuple, but got {}", cols.size(),
                   tuple->elements.size());
    }
    for (size_t i = 0; i < cols.size(); ++i) {
      out.push_back(binder.BindRequired(tuple->elements[i], cols[i]->type, cols[i]->name));
    }
    return out;
  }
  std::vector<DataType> types;
  std::string name = "(";
  for (const auto* c : cols) {
    types.push_back(c->type);
    name += (name.size() > 1 ? "," : "") + c->name;
  }
  name += ")";
  Bytes b = binder.BindRequired(term, DataType::Tuple(types), name);
  for (auto& v : cql::DecodeTuple(b, cols.size())) {
    if (!v) ThrowInvalid("Invalid null value in condition for columns {}", name);
    out.push_back(std::move(*v));
  }
  return out;
}

class WhereAnalyzer {
 public:
  WhereAnalyzer(const TableSchema& table, const TermBinder& binder, WhereUse use)
      : table_(table), binder_(binder), use_(use) {}

  KeyRestrictions Run(const std::vector<ast::Relation>& where) {
    for (const auto& r : where) Classify(r);
    AnalyzePartitionKey();
    AnalyzeClustering();
    AnalyzeOthers();
    return std::move(out_);
  }

 private:
  void Classify(const ast::Relation& r) {
    switch (r.kind) {
      case ast::Relation::Kind::kToken:
        return AddToken(r);
      case ast::Relation::Kind::kMultiColumn:
        multi_.push_back(&r);
        return;
      case ast::Relation::Kind::kSingle: {
        const auto* c = table_.Find(r.columns.at(0));
        if (!c) ThrowInvalid("Undefined column name {}", r.columns[0]);
        for (auto& cr : by_column_) {
          if (cr.column == c) {
            cr.relations.push_back(&r);
            return;
          }
        }
        by_column_.push_back({c, {&r}});
        return;
      }
    }
  }

  const ColumnRelations* RelationsOf(const ColumnSchema* c) const {
    for (const auto& cr : by_column_) {
      if (cr.column == c) return &cr;
    }
    return nullptr;
  }

  void AddToken(const ast::Relation& r) {
    auto pk = table_.PartitionKey();
    bool same = r.columns.size() == pk.size();
    for (size_t i = 0; same && i < pk.size(); ++i) same = r.columns[i] == pk[i]->name;
    if (!same) {
      std::string names;
      for (const auto* c : pk) names += (names.empty() ? "" : ", ") + c->name;
      ThrowInvalid("The token function arguments must be in the partition key order: {}", names);
    }
    if (use_ != WhereUse::kSelect) {
      ThrowInvalid("The token function cannot be used in WHERE clauses for {} statements",
                   use_ == WhereUse::kUpdate ? "UPDATE" : "DELETE");
    }
    if (r.op != Operator::kEq && !IsSlice(r.op)) {
      ThrowInvalid("{} cannot be used with the token function", ast::OperatorName(r.op));
    }
    int64_t v = BindToken(r.values.at(0));
    auto lower = [&](int64_t exclusive_start) {
      if (out_.token_start) {
        ThrowInvalid("More than one restriction was found for the start bound on {}", r.columns[0]);
      }
      out_.token_start = exclusive_start;
    };
    auto upper = [&](int64_t inclusive_end) {
      if (out_.token_end) {
        ThrowInvalid("More than one restriction was found for the end bound on {}", r.columns[0]);
      }
      out_.token_end = inclusive_end;
    };
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    switch (r.op) {
      case Operator::kGt:
        lower(v);
        break;
      case Operator::kGe:
        lower(v == kMin ? kMin : v - 1);
        break;
      case Operator::kLt:
        upper(v == kMin ? kMin : v - 1);
        break;
      case Operator::kLe:
        upper(v);
        break;
      default:
        lower(v == kMin ? kMin : v - 1);
        upper(v);
        break;
    }
    has_token_ = true;
  }

  // The right side of a token relation: a bigint, or token(values...).
  int64_t BindToken(const ast::Term& term) {
    const auto* f = term.As<ast::FunctionCall>();
    if (!f || f->name != "token") {
      return cql::DecodeBigint(
          binder_.BindRequired(term, DataType::Of(TypeKind::kBigint), "partition key token"));
    }
    auto pk = table_.PartitionKey();
    if (f->args.size() != pk.size()) {
      ThrowInvalid(
          "Invalid number of arguments in call to function token: {} required but {} "
          "provided",
          pk.size(), f->args.size());
    }
    std::vector<Bytes> parts;
    for (size_t i = 0; i < pk.size(); ++i) {
      parts.push_back(binder_.BindRequired(f->args[i], pk[i]->type, pk[i]->name));
    }
    if (parts.size() == 1) return Murmur3Token(parts[0]);
    std::vector<std::string_view> views(parts.begin(), parts.end());
    return Murmur3Token(CompositePartitionKey(views));
  }

  // Values of an = or IN relation on one column.
  std::vector<Bytes> EqValues(const ast::Relation& r, const ColumnSchema& c) {
    if (r.op == Operator::kIn) return binder_.BindInList(r.values, c.type, c.name);
    return {binder_.BindRequired(r.values.at(0), c.type, c.name)};
  }

  void AnalyzePartitionKey() {
    auto pk = table_.PartitionKey();
    std::vector<std::vector<Bytes>> choices;
    std::vector<std::string> missing;
    bool all_eq = true;
    bool any = false;
    for (const auto* c : pk) {
      const auto* rels = RelationsOf(c);
      if (!rels) {
        missing.push_back(c->name);
        all_eq = false;
        continue;
      }
      any = true;
      const ast::Relation* eq = nullptr;
      for (const auto* r : rels->relations) {
        if (r->op == Operator::kEq || r->op == Operator::kIn) {
          if (eq) {
            ThrowInvalid(
                "{} cannot be restricted by more than one relation if it includes an "
                "Equal",
                c->name);
          }
          eq = r;
        }
      }
      if (!eq || rels->relations.size() > 1) {
        all_eq = false;
        if (use_ != WhereUse::kSelect) {
          ThrowInvalid(
              "Only EQ and IN relation are supported on the partition key (unless you "
              "use the token() function or allow filtering)");
        }
        continue;
      }
      choices.push_back(EqValues(*eq, *c));
    }
    if (use_ != WhereUse::kSelect && !missing.empty()) {
      std::string names;
      for (const auto& m : missing) names += (names.empty() ? "" : ", ") + m;
      ThrowInvalid("Some partition key parts are missing: {}", names);
    }
    if (all_eq) {
      if (has_token_) {
        ThrowInvalid(
            "Columns \"{}\" cannot be restricted by both a normal relation and a token "
            "relation",
            pk[0]->name);
      }
      out_.partition_restricted = true;
      for (const auto& combo : Cartesian(choices)) {
        if (combo.size() == 1 && combo[0].empty() && use_ != WhereUse::kSelect) {
          ThrowInvalid("Key may not be empty");
        }
        if (combo.size() == 1) {
          out_.partition_keys.push_back(combo[0]);
        } else {
          std::vector<std::string_view> parts(combo.begin(), combo.end());
          out_.partition_keys.push_back(CompositePartitionKey(parts));
        }
      }
      // IN values repeat: each partition is read once.
      std::vector<Bytes> unique;
      for (auto& k : out_.partition_keys) {
        if (std::find(unique.begin(), unique.end(), k) == unique.end()) unique.push_back(k);
      }
      out_.partition_keys = std::move(unique);
      return;
    }
    if (any) {
      // Partly restricted partition key: evaluated row by row.
      bool only_eq = true;
      for (const auto* c : pk) {
        if (const auto* rels = RelationsOf(c)) {
          for (const auto* r : rels->relations) {
            if (r->op != Operator::kEq && r->op != Operator::kIn) only_eq = false;
            AddFilter(*c, *r);
          }
        }
      }
      RequireFiltering(only_eq ? std::string(kFilteringMessage)
                               : "Only EQ and IN relation are supported on the partition key "
                                 "(unless you use the token() function or allow filtering)");
    }
  }

  void AddFilter(const ColumnSchema& c, const ast::Relation& r) {
    RowFilter f;
    f.column = &c;
    f.op = r.op;
    switch (r.op) {
      case Operator::kIn:
        f.values = binder_.BindInList(r.values, c.type, c.name);
        break;
      case Operator::kContains: {
        if (!c.type.IsCollection()) {
          ThrowInvalid("Cannot use CONTAINS on non-collection column {}", c.name);
        }
        const auto& et = c.type.kind == TypeKind::kMap ? c.type.params[1] : c.type.params[0];
        f.values = {binder_.BindRequired(r.values.at(0), et, c.name)};
        break;
      }
      case Operator::kContainsKey:
        if (c.type.kind != TypeKind::kMap) {
          ThrowInvalid("Cannot use CONTAINS KEY on non-map column {}", c.name);
        }
        f.values = {binder_.BindRequired(r.values.at(0), c.type.params[0], c.name)};
        break;
      case Operator::kNe:
        ThrowInvalid("Unsupported \"!=\" relation: {} != {}", c.name, ast::ToCql(r.values.at(0)));
      case Operator::kLike:
        ThrowInvalid(
            "LIKE restriction is only supported on properly indexed columns. {} LIKE {} "
            "is not valid.",
            c.name, ast::ToCql(r.values.at(0)));
      case Operator::kIsNotNull:
        ThrowInvalid("Unsupported restriction: {} IS NOT NULL", c.name);
      default:
        if (r.map_key) {
          if (c.type.kind != TypeKind::kMap) ThrowInvalid("Column {} is not a map", c.name);
          f.map_key = binder_.BindRequired(*r.map_key, c.type.params[0], c.name);
          f.values = {binder_.BindRequired(r.values.at(0), c.type.params[1], c.name)};
        } else {
          if (IsSlice(r.op) && c.type.IsMultiCell()) {
            ThrowInvalid("Slice restrictions are not supported on collections");
          }
          if (IsSlice(r.op) && c.type.kind == TypeKind::kDuration) {
            ThrowInvalid("Slice restrictions are not supported on duration columns");
          }
          f.values = {binder_.BindRequired(r.values.at(0), c.type, c.name)};
        }
        break;
    }
    out_.filters.push_back(std::move(f));
  }

  void RequireFiltering(std::string reason) {
    if (!out_.needs_filtering) out_.filtering_reason = std::move(reason);
    out_.needs_filtering = true;
  }

  void AnalyzeClustering() {
    auto ck = table_.Clustering();
    std::vector<std::vector<Bytes>> choices;  // per leading = / IN column
    std::optional<SliceSide> lower, upper;
    bool slice_desc = false;
    size_t pos = 0;
    bool stopped = false;  // a slice or a gap ended the usable prefix
    std::string stop_column;
    bool stop_was_slice = false;
    auto multi_at = [&](size_t p) -> std::vector<const ast::Relation*> {
      std::vector<const ast::Relation*> out;
      for (const auto* r : multi_) {
        const auto* first = table_.Find(r->columns.at(0));
        if (first && first->kind == ColumnKind::kClustering &&
            static_cast<size_t>(first->position) == p) {
          out.push_back(r);
        }
      }
      return out;
    };
    for (const auto* r : multi_) CheckMultiColumns(*r);
    if (!multi_.empty()) {
      for (const auto* c : ck) {
        if (RelationsOf(c)) {
          ThrowInvalid(
              "Mixing single column relations and multi column relations on clustering "
              "columns is not allowed");
        }
      }
    }
    while (pos < ck.size() && !stopped) {
      auto multis = multi_at(pos);
      const auto* single = RelationsOf(ck[pos]);
      if (!multis.empty()) {
        if (single) {
          ThrowInvalid(
              "Column \"{}\" cannot be restricted by both a single-column and a "
              "multi-column relation",
              ck[pos]->name);
        }
        std::vector<const ColumnSchema*> cols;
        for (const auto& n : multis[0]->columns) cols.push_back(table_.Find(n));
        bool eq = false;
        for (const auto* r : multis) {
          if ((r->op == Operator::kEq || r->op == Operator::kIn) &&
              r->columns.size() != cols.size()) {
            ThrowInvalid("Mixing multi-column relations of different sizes is not supported");
          }
          std::vector<const ColumnSchema*> rcols;
          for (const auto& n : r->columns) rcols.push_back(table_.Find(n));
          if (r->op == Operator::kEq || r->op == Operator::kIn) {
            if (multis.size() > 1) {
              ThrowInvalid(
                  "{} cannot be restricted by more than one relation if it includes an "
                  "Equal",
                  ck[pos]->name);
            }
            std::vector<std::vector<Bytes>> tuples;
            if (r->op == Operator::kEq) {
              tuples.push_back(BindTuple(r->values.at(0), cols, binder_));
            } else if (r->values.size() == 1 && r->values[0].Is<ast::BindMarker>()) {
              std::vector<DataType> types;
              for (const auto* c : cols) types.push_back(c->type);
              Bytes list = binder_.BindRequired(
                  r->values[0], DataType::List(DataType::Tuple(types), true), "in(clustering)");
              for (auto& elem : cql::DecodeCollection(list)) {
                std::vector<Bytes> t;
                for (auto& v : cql::DecodeTuple(elem, cols.size())) t.push_back(v.value_or(""));
                tuples.push_back(std::move(t));
              }
            } else {
              for (const auto& term : r->values) tuples.push_back(BindTuple(term, cols, binder_));
            }
            // A tuple of n columns fixes n prefix columns at once.
            multi_prefixes_ = std::move(tuples);
            eq = true;
          } else {
            auto values = BindTuple(r->values.at(0), rcols, binder_);
            SetSide(r->op, std::move(values), &lower, &upper, ck[pos]->name);
          }
        }
        if (eq) {
          choices.push_back({});  // placeholder; expanded below
          multi_choice_index_ = choices.size() - 1;
          multi_width_ = cols.size();
          pos += cols.size();
          continue;
        }
        slice_desc = ck[pos]->desc;
        stopped = true;
        stop_was_slice = true;
        stop_column = ck[pos]->name;
        pos += cols.size();
        break;
      }
      if (!single) {
        stopped = true;
        stop_column = ck[pos]->name;
        break;
      }
      const ast::Relation* eq = nullptr;
      for (const auto* r : single->relations) {
        if (r->op == Operator::kEq || r->op == Operator::kIn) {
          if (eq || single->relations.size() > 1) {
            ThrowInvalid(
                "{} cannot be restricted by more than one relation if it includes an "
                "Equal",
                ck[pos]->name);
          }
          eq = r;
        }
      }
      if (eq) {
        choices.push_back(EqValues(*eq, *ck[pos]));
        ++pos;
        continue;
      }
      bool all_slices = true;
      for (const auto* r : single->relations) {
        if (!IsSlice(r->op)) {
          all_slices = false;
          continue;
        }
        SetSide(r->op, {binder_.BindRequired(r->values.at(0), ck[pos]->type, ck[pos]->name)},
                &lower, &upper, ck[pos]->name);
      }
      if (!all_slices) {
        // CONTAINS and friends on a clustering column are filters.
        for (const auto* r : single->relations) {
          if (!IsSlice(r->op)) AddFilter(*ck[pos], *r);
        }
        RequireFiltering(std::string(kFilteringMessage));
      }
      slice_desc = ck[pos]->desc;
      stopped = true;
      stop_was_slice = true;
      stop_column = ck[pos]->name;
      ++pos;
    }
    // Restrictions after the usable prefix are filters.
    for (size_t p = pos; p < ck.size(); ++p) {
      const auto* rels = RelationsOf(ck[p]);
      if (!rels && multi_at(p).empty()) continue;
      if (!multi_at(p).empty()) {
        ThrowInvalid(
            "Clustering columns must appear in the PRIMARY KEY order in multi-column "
            "relations");
      }
      if (use_ != WhereUse::kSelect) {
        if (stop_was_slice) {
          ThrowInvalid(
              "Clustering column \"{}\" cannot be restricted (preceding column \"{}\" is "
              "restricted by a non-EQ relation)",
              ck[p]->name, stop_column);
        }
        ThrowInvalid(
            "PRIMARY KEY column \"{}\" cannot be restricted as preceding column \"{}\" "
            "is not restricted",
            ck[p]->name, stop_column);
      }
      for (const auto* r : rels->relations) AddFilter(*ck[p], *r);
      RequireFiltering(stop_was_slice
                           ? fmt::format("Clustering column \"{}\" cannot be restricted (preceding "
                                         "column \"{}\" is restricted by a non-EQ relation)",
                                         ck[p]->name, stop_column)
                           : fmt::format("PRIMARY KEY column \"{}\" cannot be restricted as "
                                         "preceding column \"{}\" is not restricted",
                                         ck[p]->name, stop_column));
    }
    size_t eq_columns = 0;
    std::vector<std::vector<Bytes>> prefixes{{}};
    for (size_t i = 0; i < choices.size(); ++i) {
      if (multi_choice_index_ && *multi_choice_index_ == i) {
        std::vector<std::vector<Bytes>> next;
        for (const auto& p : prefixes) {
          for (const auto& t : multi_prefixes_) {
            next.push_back(p);
            next.back().insert(next.back().end(), t.begin(), t.end());
          }
        }
        prefixes = std::move(next);
        eq_columns += multi_width_;
      } else {
        std::vector<std::vector<Bytes>> next;
        for (const auto& p : prefixes) {
          for (const auto& v : choices[i]) {
            next.push_back(p);
            next.back().push_back(v);
          }
        }
        prefixes = std::move(next);
        ++eq_columns;
      }
    }
    out_.clustering_eq_columns = eq_columns;
    out_.clustering_has_slice = lower.has_value() || upper.has_value();
    std::sort(prefixes.begin(), prefixes.end(),
              [&](const auto& a, const auto& b) { return CompareClustering(table_, a, b) < 0; });
    prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());
    if (eq_columns == ck.size() && !ck.empty()) out_.clustering_keys = prefixes;
    if (eq_columns == 0 && !out_.clustering_has_slice) return;
    if (!out_.partition_restricted && use_ == WhereUse::kSelect) {
      RequireFiltering(std::string(kFilteringMessage));
    }
    // In clustering order a DESC column's lower value bound is the end.
    const auto& first_side = slice_desc ? upper : lower;
    const auto& second_side = slice_desc ? lower : upper;
    for (const auto& p : prefixes) {
      storage::ClusteringSlice s;
      s.start.prefix = p;
      s.end.prefix = p;
      if (first_side) {
        s.start.prefix.insert(s.start.prefix.end(), first_side->values.begin(),
                              first_side->values.end());
        s.start.inclusive = first_side->inclusive;
      }
      if (second_side) {
        s.end.prefix.insert(s.end.prefix.end(), second_side->values.begin(),
                            second_side->values.end());
        s.end.inclusive = second_side->inclusive;
      }
      out_.slices.push_back(std::move(s));
    }
  }

  void CheckMultiColumns(const ast::Relation& r) {
    int expected = -1;
    for (const auto& n : r.columns) {
      const auto* c = table_.Find(n);
      if (!c) ThrowInvalid("Undefined column name {}", n);
      if (c->kind != ColumnKind::kClustering) {
        ThrowInvalid(
            "Multi-column relations can only be applied to clustering columns but was "
            "applied to: {}",
            n);
      }
      if (expected >= 0 && c->position != expected) {
        std::string names;
        for (const auto& x : r.columns) names += (names.empty() ? "" : ", ") + x;
        ThrowInvalid(
            "Clustering columns must appear in the PRIMARY KEY order in multi-column "
            "relations: ({})",
            names);
      }
      expected = c->position + 1;
    }
  }

  void SetSide(Operator op, std::vector<Bytes> values, std::optional<SliceSide>* lower,
               std::optional<SliceSide>* upper, const std::string& column) {
    bool is_lower = op == Operator::kGt || op == Operator::kGe;
    auto& side = is_lower ? *lower : *upper;
    if (side) {
      ThrowInvalid("More than one restriction was found for the {} bound on {}",
                   is_lower ? "start" : "end", column);
    }
    side = SliceSide{std::move(values), op == Operator::kGe || op == Operator::kLe};
  }

  void AnalyzeOthers() {
    std::vector<std::string> non_key;
    for (const auto& cr : by_column_) {
      auto kind = cr.column->kind;
      if (kind == ColumnKind::kPartitionKey || kind == ColumnKind::kClustering) continue;
      if (use_ != WhereUse::kSelect) {
        non_key.push_back(cr.column->name);
        continue;
      }
      for (const auto* r : cr.relations) AddFilter(*cr.column, *r);
      RequireFiltering(std::string(kFilteringMessage));
    }
    if (!non_key.empty()) {
      std::string names;
      for (const auto& n : non_key) names += (names.empty() ? "" : ", ") + n;
      ThrowInvalid("Non PRIMARY KEY columns found in where clause: {} ", names);
    }
  }

  const TableSchema& table_;
  const TermBinder& binder_;
  WhereUse use_;
  KeyRestrictions out_;
  std::vector<ColumnRelations> by_column_;
  std::vector<const ast::Relation*> multi_;
  bool has_token_ = false;
  std::optional<size_t> multi_choice_index_;
  std::vector<std::vector<Bytes>> multi_prefixes_;
  size_t multi_width_ = 0;
};

}  // namespace

KeyRestrictions AnalyzeWhere(const TableSchema& table, const std::vector<ast::Relation>& where,
                             const TermBinder& binder, WhereUse use) {
  return WhereAnalyzer(table, binder, use).Run(where);
}

int CompareClustering(const TableSchema& table, const std::vector<Bytes>& a,
                      const std::vector<Bytes>& b) {
  auto ck = table.Clustering();
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n && i < ck.size(); ++i) {
    int c = cql::Compare(ck[i]->type, a[i], b[i]);
    if (c != 0) return ck[i]->desc ? -c : c;
  }
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

}  // namespace helenus::query

#include "selection.h"

#include <algorithm>
#include <cmath>

#include "helenus/common/error.h"
#include "helenus/common/murmur3.h"
#include "helenus/cql/value_codec.h"

namespace helenus::query {

namespace ast = cql::ast;
using storage::ColumnKind;
using storage::ColumnSchema;

// One compiled selector expression.
class SelectorEval {
 public:
  virtual ~SelectorEval() = default;
  // The output type.
  virtual DataType Type() const = 0;
  // The value for one row (non-aggregates).
  virtual Value Eval(const RowContext& row) const = 0;
  // Aggregates fold rows in and produce a result; plain selectors keep the
  // first row's value, as Cassandra does for columns beside an aggregate.
  virtual void Add(const RowContext& row) {
    if (!has_first_) {
      first_ = Eval(row);
      has_first_ = true;
    }
  }
  virtual Value Result() {
    has_first_ = false;
    return std::exchange(first_, std::nullopt);
  }
  virtual bool IsAggregate() const { return false; }

 private:
  Value first_;
  bool has_first_ = false;
};

namespace {

class ColumnEval : public SelectorEval {
 public:
  explicit ColumnEval(const ColumnSchema* c) : c_(c) {}
  DataType Type() const override { return c_->type; }
  Value Eval(const RowContext& row) const override { return row.Get(*c_); }

 private:
  const ColumnSchema* c_;
};

class WritetimeEval : public SelectorEval {
 public:
  WritetimeEval(const ColumnSchema* c, bool ttl) : c_(c), ttl_(ttl) {}
  DataType Type() const override { return DataType::Of(ttl_ ? TypeKind::kInt : TypeKind::kBigint); }
  Value Eval(const RowContext& row) const override {
    const auto* cell = row.Cell(*c_);
    if (!cell || !cell->value) return std::nullopt;
    if (!ttl_) return cql::EncodeBigint(cell->timestamp);
    if (cell->expires_at == 0) return std::nullopt;
    return cql::EncodeInt(
        static_cast<int32_t>(std::max<int64_t>(0, cell->expires_at - row.now_seconds)));
  }

 private:
  const ColumnSchema* c_;
  bool ttl_;
};

class TokenEval : public SelectorEval {
 public:
  DataType Type() const override { return DataType::Of(TypeKind::kBigint); }
  Value Eval(const RowContext& row) const override {
    return cql::EncodeBigint(Murmur3Token(row.row->partition_key));
  }
};

class CountEval : public SelectorEval {
 public:
  explicit CountEval(std::unique_ptr<SelectorEval> arg) : arg_(std::move(arg)) {}
  DataType Type() const override { return DataType::Of(TypeKind::kBigint); }
  Value Eval(const RowContext&) const override { return std::nullopt; }
  void Add(const RowContext& row) override {
    if (!arg_ || arg_->Eval(row)) ++count_;
  }
  Value Result() override { return cql::EncodeBigint(std::exchange(count_, 0)); }
  bool IsAggregate() const override { return true; }

 private:
  std::unique_ptr<SelectorEval> arg_;  // nullptr: count(*)
  int64_t count_ = 0;
};

class MinMaxEval : public SelectorEval {
 public:
  MinMaxEval(std::unique_ptr<SelectorEval> arg, bool max) : arg_(std::move(arg)), max_(max) {}
  DataType Type() const override { return arg_->Type(); }
  Value Eval(const RowContext&) const override { return std::nullopt; }
  void Add(const RowContext& row) override {
    Value v = arg_->Eval(row);
    if (!v) return;
    if (!best_) {
      best_ = std::move(v);
      return;
    }
    int c = cql::Compare(arg_->Type(), *v, *best_);
    if (max_ ? c > 0 : c < 0) best_ = std::move(v);
  }
  Value Result() override { return std::exchange(best_, std::nullopt); }
  bool IsAggregate() const override { return true; }

 private:
  std::unique_ptr<SelectorEval> arg_;
  bool max_;
  Value best_;
};

// sum and avg keep Cassandra's result types: the argument's type, with
// integer division for avg of integers.
class SumAvgEval : public SelectorEval {
 public:
  SumAvgEval(std::unique_ptr<SelectorEval> arg, bool avg) : arg_(std::move(arg)), avg_(avg) {
    switch (arg_->Type().kind) {
      case TypeKind::kTinyint:
      case TypeKind::kSmallint:
      case TypeKind::kInt:
      case TypeKind::kBigint:
      case TypeKind::kCounter:
      case TypeKind::kVarint:
      case TypeKind::kFloat:
      case TypeKind::kDouble:
      case TypeKind::kDecimal:
        break;
      default:
        ThrowInvalid("Invalid call to function {}, none of its type signatures match",
                     avg ? "avg" : "sum");
    }
  }
  DataType Type() const override { return arg_->Type(); }
  Value Eval(const RowContext&) const override { return std::nullopt; }
  void Add(const RowContext& row) override {
    Value v = arg_->Eval(row);
    if (!v || v->empty()) return;
    ++n_;
    switch (arg_->Type().kind) {
      case TypeKind::kTinyint:
        isum_ += cql::DecodeTinyint(*v);
        break;
      case TypeKind::kSmallint:
        isum_ += cql::DecodeSmallint(*v);
        break;
      case TypeKind::kInt:
        isum_ += cql::DecodeInt(*v);
        break;
      case TypeKind::kFloat:
        dsum_ += cql::DecodeFloat(*v);
        break;
      case TypeKind::kDouble:
        dsum_ += cql::DecodeDouble(*v);
        break;
      case TypeKind::kVarint:
        exact_ = exact_ ? cql::AddVarint(*exact_, *v) : *v;
        break;
      case TypeKind::kDecimal:
        exact_ = exact_ ? cql::AddDecimal(*exact_, *v) : *v;
        break;
      default:
        isum_ += cql::DecodeBigint(*v);
        break;
    }
  }
  Value Result() override {
    int64_t n = std::exchange(n_, 0);
    __int128 isum = std::exchange(isum_, 0);
    double dsum = std::exchange(dsum_, 0.0);
    Value exact = std::exchange(exact_, std::nullopt);
    if (avg_ && n > 0) {
      isum /= n;
      dsum /= static_cast<double>(n);
    }
    switch (arg_->Type().kind) {
      case TypeKind::kTinyint:
        return cql::EncodeTinyint(static_cast<int8_t>(isum));
      case TypeKind::kSmallint:
        return cql::EncodeSmallint(static_cast<int16_t>(isum));
      case TypeKind::kInt:
        return cql::EncodeInt(static_cast<int32_t>(isum));
      case TypeKind::kFloat:
        return cql::EncodeFloat(static_cast<float>(dsum));
      case TypeKind::kDouble:
        return cql::EncodeDouble(dsum);
      case TypeKind::kVarint:
        if (!exact) return cql::ParseVarint("0");
        return avg_ ? cql::DivideVarint(*exact, n) : *exact;
      case TypeKind::kDecimal:
        if (!exact) return cql::ParseDecimal("0");
        return avg_ ? cql::DivideDecimal(*exact, n) : *exact;
      default:
        return cql::EncodeBigint(static_cast<int64_t>(isum));
    }
  }
  bool IsAggregate() const override { return true; }

 private:
  std::unique_ptr<SelectorEval> arg_;
  bool avg_;
  int64_t n_ = 0;
  __int128 isum_ = 0;
  double dsum_ = 0;
  Value exact_;  // varint and decimal sums
};

// Scalar conversions between time types and casts to text or numbers.
class ConvertEval : public SelectorEval {
 public:
  ConvertEval(std::unique_ptr<SelectorEval> arg, DataType to, std::string fn)
      : arg_(std::move(arg)), to_(std::move(to)), fn_(std::move(fn)) {}
  DataType Type() const override { return to_; }
  Value Eval(const RowContext& row) const override {
    Value v = arg_->Eval(row);
    if (!v) return v;
    const DataType from = arg_->Type();
    if (from == to_) return v;
    if (to_.kind == TypeKind::kText || to_.kind == TypeKind::kAscii) {
      std::string lit = cql::ToLiteral(from, *v);
      if (lit.size() >= 2 && lit.front() == '\'' && lit.back() == '\'') {
        lit = lit.substr(1, lit.size() - 2);
      }
      return lit;
    }
    int64_t millis = 0;
    switch (from.kind) {
      case TypeKind::kTimeuuid:
        millis = cql::TimeUuidMicros(*v) / 1000;
        break;
      case TypeKind::kTimestamp:
        millis = cql::DecodeBigint(*v);
        break;
      case TypeKind::kDate:
        millis = (static_cast<int64_t>(static_cast<uint32_t>(cql::DecodeInt(*v))) - (1LL << 31)) *
                 86400000LL;
        break;
      default: {
        // Numeric casts go through the double value.
        double d = 0;
        try {
          d = std::stod(cql::ToLiteral(from, *v));
        } catch (const std::exception&) {
          ThrowInvalid("{} cannot convert {} value {} to {}", fn_, from.ToCql(),
                       cql::ToLiteral(from, *v), to_.ToCql());
        }
        switch (to_.kind) {
          case TypeKind::kInt:
            return cql::EncodeInt(static_cast<int32_t>(d));
          case TypeKind::kBigint:
            return cql::EncodeBigint(static_cast<int64_t>(d));
          case TypeKind::kSmallint:
            return cql::EncodeSmallint(static_cast<int16_t>(d));
          case TypeKind::kTinyint:
            return cql::EncodeTinyint(static_cast<int8_t>(d));
          case TypeKind::kFloat:
            return cql::EncodeFloat(static_cast<float>(d));
          case TypeKind::kDouble:
            return cql::EncodeDouble(d);
          default:
            ThrowInvalid("{} cannot convert {} to {}", fn_, from.ToCql(), to_.ToCql());
        }
      }
    }
    switch (to_.kind) {
      case TypeKind::kTimestamp:
        return cql::EncodeBigint(millis);
      case TypeKind::kBigint:
        return cql::EncodeBigint(millis);
      case TypeKind::kDate: {
        int64_t days = millis >= 0 ? millis / 86400000 : -((-millis + 86399999) / 86400000);
        return cql::EncodeInt(static_cast<int32_t>(static_cast<uint32_t>(days + (1LL << 31))));
      }
      default:
        ThrowInvalid("{} cannot convert {} to {}", fn_, from.ToCql(), to_.ToCql());
    }
  }

 private:
  std::unique_ptr<SelectorEval> arg_;
  DataType to_;
  std::string fn_;
};

struct Compiled {
  std::unique_ptr<SelectorEval> eval;
  std::string name;
};

class Compiler {
 public:
  Compiler(const storage::TableSchema& t, std::vector<uint32_t>* ids, bool* statics)
      : t_(t), ids_(ids), statics_(statics) {}

  Compiled Compile(const ast::SelectorExpr& e) {
    if (const auto* col = e.As<ast::ColumnRef>()) {
      const auto* c = Column(col->name);
      return {std::make_unique<ColumnEval>(c), c->name};
    }
    if (const auto* cast = e.As<ast::CastSelector>()) {
      auto inner = Compile(*cast->expr);
      std::string name = fmt::format("cast({} as {})", inner.name, cast->type.ToCql());
      return {std::make_unique<ConvertEval>(std::move(inner.eval), cast->type, "cast"), name};
    }
    if (const auto* f = e.As<ast::FunctionSelector>()) return Function(*f);
    if (e.As<ast::FieldSelector>()) ThrowInvalid("User-defined types are not supported yet");
    ThrowInvalid("Constant terms are not supported as selectors");
  }

 private:
  const ColumnSchema* Column(const std::string& name) {
    const auto* c = t_.Find(name);
    if (!c) ThrowInvalid("Undefined column name {} in selection clause", name);
    Need(c);
    return c;
  }

  void Need(const ColumnSchema* c) {
    if (c->kind == ColumnKind::kRegular || c->kind == ColumnKind::kStatic) {
      if (std::find(ids_->begin(), ids_->end(), c->id) == ids_->end()) ids_->push_back(c->id);
      if (c->kind == ColumnKind::kStatic) *statics_ = true;
    }
  }

  Compiled Function(const ast::FunctionSelector& f) {
    const std::string& n = f.name;
    auto one_arg = [&]() -> Compiled {
      if (f.args.size() != 1) ThrowInvalid("Invalid number of arguments in call to function {}", n);
      return Compile(f.args[0]);
    };
    if (n == "count") {
      // count(*) and count(1) count rows.
      if (f.star || (f.args.size() == 1 && f.args[0].As<ast::Term>())) {
        return {std::make_unique<CountEval>(nullptr), "count"};
      }
      auto arg = one_arg();
      // count(1) counts rows like count(*).
      return {std::make_unique<CountEval>(std::move(arg.eval)), "system.count(" + arg.name + ")"};
    }
    if (n == "writetime" || n == "ttl") {
      const auto* col = f.args.size() == 1 ? f.args[0].As<ast::ColumnRef>() : nullptr;
      if (!col) ThrowInvalid("{} requires a column argument", n);
      const auto* c = Column(col->name);
      if (c->kind == ColumnKind::kPartitionKey || c->kind == ColumnKind::kClustering) {
        ThrowInvalid("Cannot use selection function {} on PRIMARY KEY part {}", n, c->name);
      }
      if (c->type.IsMultiCell()) {
        ThrowInvalid("Cannot use selection function {} on non-frozen collection {}", n, c->name);
      }
      return {std::make_unique<WritetimeEval>(c, n == "ttl"), n + "(" + c->name + ")"};
    }
    if (n == "token") {
      auto pk = t_.PartitionKey();
      std::string names;
      bool ok = f.args.size() == pk.size();
      for (size_t i = 0; ok && i < pk.size(); ++i) {
        const auto* col = f.args[i].As<ast::ColumnRef>();
        ok = col && col->name == pk[i]->name;
        names += (i ? ", " : "") + pk[i]->name;
      }
      if (!ok)
        ThrowInvalid("Invalid arguments for function token: expected the partition key ({})",
                     names);
      return {std::make_unique<TokenEval>(), "system.token(" + names + ")"};
    }
    if (n == "min" || n == "max") {
      auto arg = one_arg();
      return {std::make_unique<MinMaxEval>(std::move(arg.eval), n == "max"),
              "system." + n + "(" + arg.name + ")"};
    }
    if (n == "sum" || n == "avg") {
      auto arg = one_arg();
      return {std::make_unique<SumAvgEval>(std::move(arg.eval), n == "avg"),
              "system." + n + "(" + arg.name + ")"};
    }
    struct Conversion {
      std::string_view name;
      TypeKind to;
    };
    static constexpr Conversion kConversions[] = {{"totimestamp", TypeKind::kTimestamp},
                                                  {"dateof", TypeKind::kTimestamp},
                                                  {"todate", TypeKind::kDate},
                                                  {"tounixtimestamp", TypeKind::kBigint},
                                                  {"unixtimestampof", TypeKind::kBigint}};
    for (const auto& conv : kConversions) {
      if (n == conv.name) {
        auto arg = one_arg();
        return {std::make_unique<ConvertEval>(std::move(arg.eval), DataType::Of(conv.to), n),
                "system." + n + "(" + arg.name + ")"};
      }
    }
    ThrowInvalid("Unknown function '{}'", n);
  }

  const storage::TableSchema& t_;
  std::vector<uint32_t>* ids_;
  bool* statics_;
};

}  // namespace

Selection::Selection(const storage::TableSchema& table,
                     const std::vector<ast::Selector>& selectors) {
  Compiler compiler(table, &column_ids_, &selects_static_);
  auto add = [&](Compiled c, const std::string& alias) {
    columns_.push_back(cql::ColumnSpec{table.keyspace, table.name, alias.empty() ? c.name : alias,
                                       c.eval->Type()});
    aggregate_ = aggregate_ || c.eval->IsAggregate();
    evals_.push_back(std::move(c.eval));
  };
  if (selectors.empty()) {
    for (const auto& c : table.columns) {
      add(compiler.Compile(ast::SelectorExpr{ast::ColumnRef{c.name}}), "");
    }
    return;
  }
  for (const auto& s : selectors) add(compiler.Compile(s.expr), s.alias);
}

Selection::~Selection() = default;
Selection::Selection(Selection&&) noexcept = default;

std::vector<Value> Selection::Evaluate(const RowContext& row) const {
  std::vector<Value> out;
  out.reserve(evals_.size());
  for (const auto& e : evals_) out.push_back(e->Eval(row));
  return out;
}

void Selection::Accumulate(const RowContext& row) {
  for (auto& e : evals_) e->Add(row);
}

std::vector<Value> Selection::Finish() {
  std::vector<Value> out;
  out.reserve(evals_.size());
  for (auto& e : evals_) out.push_back(e->Result());
  return out;
}

}  // namespace helenus::query

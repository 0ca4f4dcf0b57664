// Unbound expression trees: factories, SQL rendering and operator helpers.
#include "helenus/exec/expr.h"

#include "helenus/common/error.h"

#include <array>
#include <limits>

#include "helenus/cql/value_codec.h"

namespace helenus::exec {
namespace {

ExprPtr Make(Expr e) {
  return std::make_shared<const Expr>(std::move(e));
}

std::string JoinArgs(const std::vector<ExprPtr>& args, size_t begin) {
  std::string out;
  for (size_t i = begin; i < args.size(); ++i) {
    if (i > begin) out += ", ";
    out += args[i]->ToString();
  }
  return out;
}

// Infix spellings of the binary operators, as Spark prints them.
std::string_view InfixSymbol(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kInfix = {{
      {"+", "+"},
      {"-", "-"},
      {"*", "*"},
      {"/", "/"},
      {"%", "%"},
      {"=", "="},
      {"!=", "!="},
      {"<", "<"},
      {"<=", "<="},
      {">", ">"},
      {">=", ">="},
      {"and", "AND"},
      {"or", "OR"},
  }};
  for (const auto& [op, symbol] : kInfix) {
    if (op == name) return symbol;
  }
  if (name == "||") return "||";
  if (name == "like") return "LIKE";
  if (name == "not_like") return "NOT LIKE";
  if (name == "ilike") return "ILIKE";
  return {};
}

std::string CallToString(const Expr& e) {
  const auto& a = e.args;
  auto arg = [&](size_t i) { return a[i]->ToString(); };
  if (std::string_view sym = InfixSymbol(e.name); !sym.empty() && a.size() == 2) {
    return "(" + arg(0) + " " + std::string(sym) + " " + arg(1) + ")";
  }
  if (e.name == "neg" && a.size() == 1) return "(- " + arg(0) + ")";
  if (e.name == "not" && a.size() == 1) return "(NOT " + arg(0) + ")";
  if (e.name == "is_null" && a.size() == 1) return "(" + arg(0) + " IS NULL)";
  if (e.name == "is_not_null" && a.size() == 1) return "(" + arg(0) + " IS NOT NULL)";
  if ((e.name == "in" || e.name == "not_in") && !a.empty()) {
    return "(" + arg(0) + (e.name == "in" ? " IN (" : " NOT IN (") + JoinArgs(a, 1) + "))";
  }
  if ((e.name == "between" || e.name == "not_between") && a.size() == 3) {
    return "(" + arg(0) + (e.name == "between" ? " BETWEEN " : " NOT BETWEEN ") + arg(1) + " AND " +
           arg(2) + ")";
  }
  std::string out = e.name + "(";
  if (e.distinct) out += "DISTINCT ";
  return out + JoinArgs(a, 0) + ")";
}

std::string CaseToString(const Expr& e) {
  std::string out = "CASE";
  size_t pairs = e.args.size() / 2;
  for (size_t i = 0; i < pairs; ++i) {
    out += " WHEN " + e.args[2 * i]->ToString() + " THEN " + e.args[2 * i + 1]->ToString();
  }
  if (e.args.size() % 2 == 1) out += " ELSE " + e.args.back()->ToString();
  return out + " END";
}

ExprPtr Binary(std::string name, ExprPtr a, ExprPtr b) {
  return Expr::Call(std::move(name), {std::move(a), std::move(b)});
}

}  // namespace

ExprPtr Expr::Col(std::string_view name) {
  Expr e;
  e.kind = ExprKind::kColumn;
  if (size_t dot = name.rfind('.'); dot != std::string_view::npos) {
    e.qualifier = std::string(name.substr(0, dot));
    e.name = std::string(name.substr(dot + 1));
  } else {
    e.name = std::string(name);
  }
  return Make(std::move(e));
}

ExprPtr Expr::Int(int64_t v) {
  if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
    return Literal(DataType::Of(TypeKind::kInt), cql::EncodeInt(static_cast<int32_t>(v)));
  }
  return Literal(DataType::Of(TypeKind::kBigint), cql::EncodeBigint(v));
}

ExprPtr Expr::Double(double v) {
  return Literal(DataType::Of(TypeKind::kDouble), cql::EncodeDouble(v));
}

ExprPtr Expr::Bool(bool v) {
  return Literal(DataType::Of(TypeKind::kBoolean), cql::EncodeBoolean(v));
}

ExprPtr Expr::Text(std::string_view v) {
  return Literal(DataType::Of(TypeKind::kText), Bytes(v));
}

ExprPtr Expr::Literal(DataType type, Value v) {
  Expr e;
  e.kind = ExprKind::kLiteral;
  e.type = std::move(type);
  e.value = std::move(v);
  return Make(std::move(e));
}

ExprPtr Expr::Null() {
  Expr e;
  e.kind = ExprKind::kLiteral;
  e.type = DataType::Of(TypeKind::kInt);
  e.untyped_null = true;
  return Make(std::move(e));
}

ExprPtr Expr::Call(std::string name, std::vector<ExprPtr> args, bool distinct) {
  Expr e;
  e.kind = ExprKind::kCall;
  e.name = std::move(name);
  e.args = std::move(args);
  e.distinct = distinct;
  return Make(std::move(e));
}

ExprPtr Expr::Cast(ExprPtr arg, DataType type) {
  Expr e;
  e.kind = ExprKind::kCast;
  e.type = std::move(type);
  e.args = {std::move(arg)};
  return Make(std::move(e));
}

ExprPtr Expr::Case(std::vector<std::pair<ExprPtr, ExprPtr>> whens, ExprPtr else_value) {
  Expr e;
  e.kind = ExprKind::kCase;
  for (auto& [when, then] : whens) {
    e.args.push_back(std::move(when));
    e.args.push_back(std::move(then));
  }
  if (else_value) e.args.push_back(std::move(else_value));
  return Make(std::move(e));
}

ExprPtr Expr::Star() {
  Expr e;
  e.kind = ExprKind::kStar;
  return Make(std::move(e));
}

ExprPtr Expr::As(ExprPtr arg, std::string name) {
  Expr e;
  e.kind = ExprKind::kAlias;
  e.name = std::move(name);
  e.args = {std::move(arg)};
  return Make(std::move(e));
}

std::string Expr::ToString() const {
  switch (kind) {
    case ExprKind::kColumn:
    case ExprKind::kAlias:
      return name;
    case ExprKind::kLiteral:
      return value ? cql::ToLiteral(type, *value) : "NULL";
    case ExprKind::kCall:
      return CallToString(*this);
    case ExprKind::kCase:
      return CaseToString(*this);
    case ExprKind::kCast:
      return "CAST(" + args[0]->ToString() + " AS " + type.ToCql() + ")";
    case ExprKind::kStar:
      return "*";
  }
  return name;
}

ExprPtr operator+(ExprPtr a, ExprPtr b) {
  return Binary("+", std::move(a), std::move(b));
}
ExprPtr operator-(ExprPtr a, ExprPtr b) {
  return Binary("-", std::move(a), std::move(b));
}
ExprPtr operator*(ExprPtr a, ExprPtr b) {
  return Binary("*", std::move(a), std::move(b));
}
ExprPtr operator/(ExprPtr a, ExprPtr b) {
  return Binary("/", std::move(a), std::move(b));
}
ExprPtr operator==(ExprPtr a, ExprPtr b) {
  return Binary("=", std::move(a), std::move(b));
}
ExprPtr operator!=(ExprPtr a, ExprPtr b) {
  return Binary("!=", std::move(a), std::move(b));
}
ExprPtr operator<(ExprPtr a, ExprPtr b) {
  return Binary("<", std::move(a), std::move(b));
}
ExprPtr operator<=(ExprPtr a, ExprPtr b) {
  return Binary("<=", std::move(a), std::move(b));
}
ExprPtr operator>(ExprPtr a, ExprPtr b) {
  return Binary(">", std::move(a), std::move(b));
}
ExprPtr operator>=(ExprPtr a, ExprPtr b) {
  return Binary(">=", std::move(a), std::move(b));
}
ExprPtr And(ExprPtr a, ExprPtr b) {
  return Binary("and", std::move(a), std::move(b));
}
ExprPtr Or(ExprPtr a, ExprPtr b) {
  return Binary("or", std::move(a), std::move(b));
}
ExprPtr Not(ExprPtr a) {
  return Expr::Call("not", {std::move(a)});
}

void SplitConjuncts(const ExprPtr& e, std::vector<ExprPtr>* out) {
  if (e->kind == ExprKind::kCall && e->name == "and" && e->args.size() == 2) {
    SplitConjuncts(e->args[0], out);
    SplitConjuncts(e->args[1], out);
    return;
  }
  out->push_back(e);
}

ExprPtr AndAll(const std::vector<ExprPtr>& parts) {
  ExprPtr out;
  for (const auto& p : parts) out = out ? Expr::Call("and", {out, p}) : p;
  return out;
}

bool RefersOnlyTo(const Expr& e, const Schema& schema) {
  if (e.kind == ExprKind::kColumn) {
    try {
      return schema.Find(e.name, e.qualifier) >= 0;
    } catch (const CqlError&) {
      return false;
    }
  }
  for (const auto& a : e.args) {
    if (!RefersOnlyTo(*a, schema)) return false;
  }
  return true;
}

bool HasColumns(const Expr& e) {
  if (e.kind == ExprKind::kColumn) return true;
  for (const auto& a : e.args) {
    if (HasColumns(*a)) return true;
  }
  return false;
}

bool IsAggregateFunction(std::string_view name) {
  static constexpr std::array<std::string_view, 14> kAggregates = {
      "count",    "sum",     "avg",          "mean",       "min",
      "max",      "stddev",  "stddev_samp",  "stddev_pop", "variance",
      "var_samp", "var_pop", "collect_list", "collect_set"};
  for (std::string_view a : kAggregates) {
    if (a == name) return true;
  }
  return false;
}

bool ContainsAggregate(const Expr& expr) {
  if (expr.kind == ExprKind::kCall && IsAggregateFunction(expr.name)) return true;
  for (const auto& a : expr.args) {
    if (a && ContainsAggregate(*a)) return true;
  }
  return false;
}

}  // namespace helenus::exec

#pragma once

// Expressions: an unbound tree that SQL and the DataFrame API build by
// column name, and bound expressions that evaluate a whole batch at a time.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/common/data_type.h"
#include "helenus/common/value.h"
#include "helenus/exec/column.h"

namespace helenus::exec {

struct Expr;
// Expression trees are immutable and shared between plans.
using ExprPtr = std::shared_ptr<const Expr>;

// What an expression node is.
enum class ExprKind {
  kColumn,   // a column of the input, by (qualifier.)name
  kLiteral,  // a constant
  kCall,     // an operator, scalar function or aggregate, by lower-case name
  kCase,     // CASE WHEN args[0] THEN args[1] ... [ELSE args.back()] END
  kCast,     // CAST(args[0] AS type)
  kStar,     // `*` (only inside count(*) and select lists)
  kAlias,    // args[0] AS name (only at the top of a select list or aggregate list)
};

// One node of an unbound expression.
//
// Operators are calls with these names: "+", "-", "*", "/", "%", "neg",
// "=", "!=", "<", "<=", ">", ">=", "and", "or", "not", "is_null",
// "is_not_null", "in" (args: value, items...), "not_in", "between"
// (value, low, high), "not_between", "like" (value, pattern), "not_like",
// "||" (string concatenation).
struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  std::string name;           // kColumn: column name; kCall: function name (lower case)
  std::string qualifier;      // kColumn: table name or alias; "" when unqualified
  Value value;                // kLiteral: CQL-serialized value, nullopt = NULL
  DataType type;              // kLiteral: the literal's type; kCast: the target type
  bool untyped_null = false;  // kLiteral: a bare NULL whose type comes from context
  bool distinct = false;      // kCall of an aggregate: count(DISTINCT x) etc.
  std::vector<ExprPtr> args;

  // A column reference; "t.x" is split into qualifier t and name x.
  static ExprPtr Col(std::string_view name);
  // Literals.
  static ExprPtr Int(int64_t v);  // int if it fits 32 bits, else bigint
  static ExprPtr Double(double v);
  static ExprPtr Bool(bool v);
  static ExprPtr Text(std::string_view v);
  static ExprPtr Literal(DataType type, Value v);
  static ExprPtr Null();
  // A call of an operator, function or aggregate.
  static ExprPtr Call(std::string name, std::vector<ExprPtr> args, bool distinct = false);
  // CAST(e AS type).
  static ExprPtr Cast(ExprPtr e, DataType type);
  // CASE WHEN c1 THEN v1 ... ELSE e END (else_value may be null).
  static ExprPtr Case(std::vector<std::pair<ExprPtr, ExprPtr>> whens, ExprPtr else_value);
  // `*`.
  static ExprPtr Star();
  // e AS name.
  static ExprPtr As(ExprPtr e, std::string name);

  // SQL text of the expression; the default name of a computed output column
  // (e.g. "avg(rating)", "(a + 1)"); a column's name; an alias's name.
  std::string ToString() const;
};

// Operator-style helpers for building trees in C++ (DataFrame users).
ExprPtr operator+(ExprPtr a, ExprPtr b);
ExprPtr operator-(ExprPtr a, ExprPtr b);
ExprPtr operator*(ExprPtr a, ExprPtr b);
ExprPtr operator/(ExprPtr a, ExprPtr b);
ExprPtr operator==(ExprPtr a, ExprPtr b);
ExprPtr operator!=(ExprPtr a, ExprPtr b);
ExprPtr operator<(ExprPtr a, ExprPtr b);
ExprPtr operator<=(ExprPtr a, ExprPtr b);
ExprPtr operator>(ExprPtr a, ExprPtr b);
ExprPtr operator>=(ExprPtr a, ExprPtr b);
// Boolean logic is spelled out: overloading !, && and || on a shared_ptr would
// silently turn null checks like `if (!e)` into expression nodes.
ExprPtr And(ExprPtr a, ExprPtr b);
ExprPtr Or(ExprPtr a, ExprPtr b);
ExprPtr Not(ExprPtr a);

// The conjuncts of an AND tree, in order, appended to *out.
void SplitConjuncts(const ExprPtr& e, std::vector<ExprPtr>* out);
// a AND b AND ...; null when parts is empty.
ExprPtr AndAll(const std::vector<ExprPtr>& parts);
// True when every column e references resolves (unambiguously) in schema.
bool RefersOnlyTo(const Expr& e, const Schema& schema);
// True when e references some column.
bool HasColumns(const Expr& e);

// True when name is an aggregate function (count, sum, avg, ...).
bool IsAggregateFunction(std::string_view name);
// True when expr contains an aggregate call anywhere.
bool ContainsAggregate(const Expr& expr);

// An expression bound to an input schema, evaluated a batch at a time.
class BoundExpr {
 public:
  virtual ~BoundExpr() = default;
  // The type of the values Evaluate returns.
  const DataType& type() const { return type_; }
  // One output value per input row; NULLs follow SQL semantics.
  virtual Column Evaluate(const Batch& input) const = 0;
  // The input column index when this is a bare column reference, else -1.
  virtual int ColumnIndex() const { return -1; }

 protected:
  explicit BoundExpr(DataType type) : type_(std::move(type)) {}
  DataType type_;
};
using BoundExprPtr = std::shared_ptr<const BoundExpr>;

// Resolves names and types of expr against input; throws CqlError(Invalid)
// for unknown columns or functions, wrong argument types and aggregates.
BoundExprPtr Bind(const Expr& expr, const Schema& input);

}  // namespace helenus::exec

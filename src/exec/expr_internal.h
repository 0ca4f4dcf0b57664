#pragma once

// Internals of bound expressions, shared by the binder (bind.cpp), casts
// (cast.cpp) and the scalar function families (fn_*.cpp): the node types,
// the per-batch argument view, the function registry, type coercion and the
// loop helpers the kernels are written with.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "helenus/exec/expr.h"

namespace helenus::exec::eval {

// ---- Types -----------------------------------------------------------------

// tinyint, smallint, int, bigint, counter.
bool IsIntegral(const DataType& t);
// float, double.
bool IsFloating(const DataType& t);
// decimal, varint (held as CQL bytes).
bool IsBigNumber(const DataType& t);
// Any of the above.
bool IsNumeric(const DataType& t);
// text, ascii (held as UTF-8).
bool IsText(const DataType& t);
// Shorthands for common types.
inline DataType TypeOf(TypeKind k) {
  return DataType::Of(k);
}
// The CQL spelling of a type, for messages.
std::string TypeName(const DataType& t);

// The type both a and b convert to when their values are merged (CASE
// branches, COALESCE, IN lists); nullopt when there is none.
std::optional<DataType> CommonType(const DataType& a, const DataType& b);
// The type a and b are compared in (strings convert to the other side's
// type, as Spark does); nullopt when they cannot be compared.
std::optional<DataType> ComparisonType(const DataType& a, const DataType& b);

// ---- Nodes -----------------------------------------------------------------

// A bound expression node.
class Node : public BoundExpr {
 public:
  explicit Node(DataType type) : BoundExpr(std::move(type)) {}
  // The one-row value of a constant, else nullptr.
  virtual const Column* Constant() const { return nullptr; }
  // True for a bare NULL literal no context has given a type yet.
  virtual bool UntypedNull() const { return false; }
};
using NodePtr = std::shared_ptr<const Node>;

// The values of one argument for one batch: the input column itself for a
// column reference, the one-row value broadcast for a constant, or the
// evaluated column.
class ArgValues {
 public:
  // Evaluates (or borrows) node's values for batch.
  ArgValues(const Node& node, const Batch& batch);
  // Movable: a borrowed column stays where it is, an owned one moves along.
  ArgValues(ArgValues&&) = default;

  // The column (one row when constant()).
  const Column& col() const { return borrowed_ ? *borrowed_ : owned_; }
  // True when one value stands for every row.
  bool constant() const { return constant_; }
  // The column row holding row i's value.
  size_t Row(size_t i) const { return constant_ ? 0 : i; }
  // True when some row is NULL.
  bool has_nulls() const { return has_nulls_; }
  // True when row i is NULL.
  bool IsNull(size_t i) const { return has_nulls_ && col().IsNull(Row(i)); }
  // Row i's value in each physical form.
  int64_t Int(size_t i) const { return col().ints[Row(i)]; }
  double Dbl(size_t i) const { return col().doubles[Row(i)]; }
  std::string_view Str(size_t i) const { return col().strings[Row(i)]; }
  // Row i as a double, from either numeric physical form.
  double Number(size_t i) const {
    return col().physical() == Physical::kInt64 ? static_cast<double>(Int(i)) : Dbl(i);
  }

 private:
  Column owned_;
  const Column* borrowed_ = nullptr;
  bool constant_ = false;
  bool has_nulls_ = false;
};
using Args = std::vector<ArgValues>;

// Computes a function's result column of `rows` rows from its argument values.
using Kernel = std::function<Column(const Args& args, size_t rows)>;

// A bound column reference.
NodePtr MakeColumnRef(size_t index, DataType type);
// A constant from its CQL-serialized value.
NodePtr MakeLiteral(const DataType& type, const Value& value, bool untyped_null = false);
// A constant from a one-row column.
NodePtr MakeConstant(Column one_row);
// A NULL constant of type.
NodePtr MakeNull(const DataType& type);
// A call node; folded into a constant right away when every argument is one.
NodePtr MakeCall(DataType type, std::vector<NodePtr> args, Kernel kernel);
// CAST(e AS to); throws Invalid when the conversion does not exist.
NodePtr MakeCast(NodePtr e, const DataType& to);
// True when values of type from can be cast to type to.
bool CanCast(const DataType& from, const DataType& to);

// e as a value of type: itself when nothing changes physically, a typed NULL
// for an untyped NULL, else a cast (constants fold).
NodePtr Coerce(NodePtr e, const DataType& type);
// Like Coerce, but a text constant compared with another type is parsed as
// that type's CQL literal, throwing Invalid when it is not one.
NodePtr CoerceForCompare(NodePtr e, const DataType& type);

// ---- Function registry -------------------------------------------------------

// Checks, coerces and binds a call of one scalar function.
using Binder = std::function<NodePtr(const std::string& name, std::vector<NodePtr> args)>;

// Scalar functions and operators by lower-case name.
class FunctionRegistry {
 public:
  // The registry with every family registered.
  static const FunctionRegistry& Instance();
  // Adds (or replaces) a function.
  void Add(std::string name, Binder binder);
  // The binder of name, or nullptr.
  const Binder* Find(std::string_view name) const;

 private:
  std::unordered_map<std::string, Binder> binders_;
};

// One registration function per family, each in its own file.
void RegisterArithmeticFunctions(FunctionRegistry* r);   // fn_arith.cpp
void RegisterCompareFunctions(FunctionRegistry* r);      // fn_compare.cpp
void RegisterLogicFunctions(FunctionRegistry* r);        // fn_logic.cpp
void RegisterMathFunctions(FunctionRegistry* r);         // fn_math.cpp
void RegisterStringFunctions(FunctionRegistry* r);       // fn_string.cpp
void RegisterDateFunctions(FunctionRegistry* r);         // fn_date.cpp
void RegisterConditionalFunctions(FunctionRegistry* r);  // fn_conditional.cpp
void RegisterCastFunctions(FunctionRegistry* r);         // cast.cpp

// Binds a call by name through the registry (operators built from others).
NodePtr BindCall(const std::string& name, std::vector<NodePtr> args);
// A binder that binds as another registered function (aliases: ceiling -> ceil).
Binder Forward(std::string target);
// CASE over when/then pairs and an optional trailing else (fn_conditional.cpp).
NodePtr BindCase(std::vector<NodePtr> args);

// ---- Argument checking ------------------------------------------------------

// What a function parameter accepts, and what the argument is coerced to.
enum class Param {
  kAny,        // anything, unchanged
  kNumber,     // numbers and text, as double
  kInteger,    // numbers and text, as bigint
  kText,       // any scalar, as text
  kBoolean,    // boolean
  kTimestamp,  // timestamp, date and text, as timestamp
  kDate,       // date, timestamp and text, as date
  kDateTime,   // date or timestamp unchanged; text as timestamp
};

// Throws Invalid: "Invalid arguments for fn: expected (...), got (...)".
[[noreturn]] void ThrowArgs(std::string_view fn, std::string_view expected,
                            const std::vector<NodePtr>& args);
// Checks args against params (the last `optional` of them may be left out)
// and coerces them.
std::vector<NodePtr> CheckArgs(std::string_view fn, std::vector<NodePtr> args,
                               std::initializer_list<Param> params, size_t optional = 0);
// Checks that every arg fits p (at least min_args of them) and coerces them.
std::vector<NodePtr> CheckVariadic(std::string_view fn, std::vector<NodePtr> args, Param p,
                                   size_t min_args);
// The common type of args for merging values; untyped NULLs take it (alone: int).
DataType CommonTypeOf(std::string_view fn, const std::vector<NodePtr>& args);

// ---- Kernel helpers ---------------------------------------------------------

// The validity of rows where every arg is present; empty when all rows are.
std::vector<uint8_t> AllValid(const Args& args, size_t rows);
// A column of `rows` NULLs of type.
Column NullColumn(const DataType& type, size_t rows);
// A column of rows copies of row `row` of from.
Column Broadcast(const Column& from, size_t row, size_t rows);

// The physical vector of out holding T (int64_t, double or std::string).
template <typename T>
std::vector<T>& OutVector(Column& out) {
  if constexpr (std::is_same_v<T, int64_t>) {
    return out.ints;
  } else if constexpr (std::is_same_v<T, double>) {
    return out.doubles;
  } else {
    return out.strings;
  }
}

// T itself, or the T inside std::optional<T>, for MapRows' result types.
template <typename T>
struct Unoptional {
  using type = T;
  static constexpr bool kOptional = false;
};
template <typename T>
struct Unoptional<std::optional<T>> {
  using type = T;
  static constexpr bool kOptional = true;
};

// The column of type whose row i is f(i) where every arg is present, NULL
// elsewhere; f returns the physical value (int64_t, double, std::string), or
// an optional of it with nullopt for NULL.
template <typename F>
Column MapRows(const DataType& type, size_t rows, const Args& args, F&& f) {
  using R = std::invoke_result_t<F&, size_t>;
  using T = typename Unoptional<R>::type;
  using Stored =
      std::conditional_t<std::is_integral_v<T>, int64_t,
                         std::conditional_t<std::is_floating_point_v<T>, double, std::string>>;
  Column out;
  out.type = type;
  std::vector<uint8_t> valid = AllValid(args, rows);
  auto& vec = OutVector<Stored>(out);
  vec.resize(rows);
  bool some_null = !valid.empty();
  for (size_t i = 0; i < rows; ++i) {
    if (some_null && !valid[i]) continue;
    if constexpr (Unoptional<R>::kOptional) {
      R r = f(i);
      if (r) {
        vec[i] = static_cast<Stored>(std::move(*r));
      } else {
        if (!some_null) valid.assign(rows, 1);
        some_null = true;
        valid[i] = 0;
      }
    } else {
      vec[i] = static_cast<Stored>(f(i));
    }
  }
  out.valid = std::move(valid);
  return out;
}

// Pointer to the physical data of a column as T.
template <typename T>
const T* DataOf(const Column& c) {
  if constexpr (std::is_same_v<T, int64_t>) {
    return c.ints.data();
  } else if constexpr (std::is_same_v<T, double>) {
    return c.doubles.data();
  } else {
    return c.strings.data();
  }
}

// out[i] = f(a[i], b[i]) over every row (NULL rows included: their values are
// unspecified but safe), with constant arguments hoisted out of the loop so
// the common shapes vectorize.
template <typename A, typename B, typename O, typename F>
void BinaryLoop(const ArgValues& a, const ArgValues& b, size_t rows, O* out, F&& f) {
  const A* x = DataOf<A>(a.col());
  const B* y = DataOf<B>(b.col());
  if (a.constant() && b.constant()) {
    O v = f(x[0], y[0]);
    for (size_t i = 0; i < rows; ++i) out[i] = v;
  } else if (a.constant()) {
    const A& xv = x[0];
    for (size_t i = 0; i < rows; ++i) out[i] = f(xv, y[i]);
  } else if (b.constant()) {
    const B& yv = y[0];
    for (size_t i = 0; i < rows; ++i) out[i] = f(x[i], yv);
  } else {
    for (size_t i = 0; i < rows; ++i) out[i] = f(x[i], y[i]);
  }
}

// ---- Value helpers shared by families --------------------------------------

// Orders row i of a against row j of b, both present values of type:
// numbers numerically with NaN above all, text bytewise, other types by
// their CQL order (fn_compare.cpp).
int CompareAt(const DataType& type, const ArgValues& a, size_t i, const ArgValues& b, size_t j);
// Java's (long) d: truncation toward zero, saturation, NaN as 0 (cast.cpp).
int64_t DoubleToLong(double d);

// Floor division and modulo (for negative timestamps and dates).
inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
inline int64_t FloorMod(int64_t a, int64_t b) {
  return a - FloorDiv(a, b) * b;
}
inline constexpr int64_t kMillisPerDay = 86400000;

// Java's Double.toString / Float.toString of v (Spark's cast to string).
std::string JavaDoubleText(double v);
std::string JavaFloatText(float v);
// The shortest decimal digits of v (no sign, no leading or trailing zeros)
// and exponent such that |v| = 0.digits * 10^exponent; v finite and non-zero.
void ShortestDigits(double v, std::string* digits, int* exponent);
// Spark's text of a timestamp ("2020-01-02 03:04:05.123", fraction trimmed).
std::string TimestampText(int64_t millis);
// "2020-01-02".
std::string DateText(int64_t days);
// Number of UTF-8 code points in s.
size_t Utf8Length(std::string_view s);
// Byte length of the UTF-8 sequence starting with lead byte c (1 when invalid).
size_t Utf8SeqLen(unsigned char c);
// s lower-cased (ASCII and the common Latin, Greek and Cyrillic letters).
std::string Utf8Lower(std::string_view s);
// s upper-cased (same repertoire as Utf8Lower).
std::string Utf8Upper(std::string_view s);

}  // namespace helenus::exec::eval

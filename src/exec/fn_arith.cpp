// Arithmetic operators: + - * / % and unary minus. Integers compute in
// int64 with wrap-around and give bigint; anything involving a floating,
// decimal, varint or text operand computes in double; "/" is always double.
// Dividing by zero gives NULL (Spark, non-ANSI).
#include <cmath>

#include "exec/expr_internal.h"

namespace helenus::exec::eval {
namespace {

enum class ArithOp { kAdd, kSub, kMul, kDiv, kMod };

// Rows whose divisor is zero become NULL.
void NullWhereZero(Column* out, const ArgValues& divisor, size_t rows) {
  bool is_int = divisor.col().physical() == Physical::kInt64;
  auto zero = [&](size_t i) { return is_int ? divisor.Int(i) == 0 : divisor.Dbl(i) == 0; };
  bool any = false;
  for (size_t i = 0; i < rows && !any; ++i) any = zero(i);
  if (!any) return;
  if (out->valid.empty()) out->valid.assign(rows, 1);
  for (size_t i = 0; i < rows; ++i) {
    if (zero(i)) out->valid[i] = 0;
  }
}

template <typename A, typename B, typename F>
Column Compute(const DataType& type, const Args& a, size_t rows, F&& f) {
  using O = decltype(f(A{}, B{}));
  Column out = Column::Make(type);
  auto& vec = OutVector<O>(out);
  vec.resize(rows);
  BinaryLoop<A, B>(a[0], a[1], rows, vec.data(), f);
  out.valid = AllValid(a, rows);
  return out;
}

// Calls Compute with the physical types of both operands (int64 or double).
template <typename F>
Column ComputeNumeric(const DataType& type, const Args& a, size_t rows, F&& f) {
  bool x_int = a[0].col().physical() == Physical::kInt64;
  bool y_int = a[1].col().physical() == Physical::kInt64;
  if (x_int && y_int) return Compute<int64_t, int64_t>(type, a, rows, f);
  if (x_int) return Compute<int64_t, double>(type, a, rows, f);
  if (y_int) return Compute<double, int64_t>(type, a, rows, f);
  return Compute<double, double>(type, a, rows, f);
}

int64_t Wrapping(uint64_t v) {
  return static_cast<int64_t>(v);
}

Column IntegerKernel(ArithOp op, const Args& a, size_t rows) {
  DataType type = TypeOf(TypeKind::kBigint);
  using U = uint64_t;
  switch (op) {
    case ArithOp::kAdd:
      return Compute<int64_t, int64_t>(type, a, rows,
                                       [](int64_t x, int64_t y) { return Wrapping(U(x) + U(y)); });
    case ArithOp::kSub:
      return Compute<int64_t, int64_t>(type, a, rows,
                                       [](int64_t x, int64_t y) { return Wrapping(U(x) - U(y)); });
    case ArithOp::kMul:
      return Compute<int64_t, int64_t>(type, a, rows,
                                       [](int64_t x, int64_t y) { return Wrapping(U(x) * U(y)); });
    default: {
      // y == -1 would trap on INT64_MIN; the remainder is 0 for it anyway.
      Column out = Compute<int64_t, int64_t>(type, a, rows, [](int64_t x, int64_t y) -> int64_t {
        return (y == 0 || y == -1) ? 0 : x % y;
      });
      NullWhereZero(&out, a[1], rows);
      return out;
    }
  }
}

Column DoubleKernel(ArithOp op, const Args& a, size_t rows) {
  DataType type = TypeOf(TypeKind::kDouble);
  auto d = [](auto v) { return static_cast<double>(v); };
  Column out;
  switch (op) {
    case ArithOp::kAdd:
      return ComputeNumeric(type, a, rows, [d](auto x, auto y) { return d(x) + d(y); });
    case ArithOp::kSub:
      return ComputeNumeric(type, a, rows, [d](auto x, auto y) { return d(x) - d(y); });
    case ArithOp::kMul:
      return ComputeNumeric(type, a, rows, [d](auto x, auto y) { return d(x) * d(y); });
    case ArithOp::kDiv:
      out = ComputeNumeric(type, a, rows, [d](auto x, auto y) { return d(x) / d(y); });
      break;
    case ArithOp::kMod:
      out = ComputeNumeric(type, a, rows, [d](auto x, auto y) { return std::fmod(d(x), d(y)); });
      break;
  }
  NullWhereZero(&out, a[1], rows);
  return out;
}

bool ArithOperand(const NodePtr& n) {
  return n->UntypedNull() || IsNumeric(n->type()) || IsText(n->type());
}

// Operands computed in double: integers and floats are read as they are;
// decimals, varints and text are converted first.
NodePtr AsDoubleOperand(NodePtr n) {
  if (!n->UntypedNull() && (IsIntegral(n->type()) || IsFloating(n->type()))) return n;
  return Coerce(std::move(n), TypeOf(TypeKind::kDouble));
}

Binder Arithmetic(ArithOp op) {
  return [op](const std::string& name, std::vector<NodePtr> args) {
    if (args.size() != 2 || !ArithOperand(args[0]) || !ArithOperand(args[1])) {
      ThrowArgs(name, "(number, number)", args);
    }
    auto integral = [](const NodePtr& n) { return n->UntypedNull() || IsIntegral(n->type()); };
    if (op != ArithOp::kDiv && integral(args[0]) && integral(args[1])) {
      for (auto& n : args) n = Coerce(n, TypeOf(TypeKind::kBigint));
      return MakeCall(TypeOf(TypeKind::kBigint), std::move(args),
                      [op](const Args& a, size_t rows) { return IntegerKernel(op, a, rows); });
    }
    for (auto& n : args) n = AsDoubleOperand(std::move(n));
    return MakeCall(TypeOf(TypeKind::kDouble), std::move(args),
                    [op](const Args& a, size_t rows) { return DoubleKernel(op, a, rows); });
  };
}

NodePtr BindNegate(const std::string& name, std::vector<NodePtr> args) {
  if (args.size() != 1 || !ArithOperand(args[0])) ThrowArgs(name, "(number)", args);
  if (args[0]->UntypedNull() || IsIntegral(args[0]->type())) {
    args[0] = Coerce(args[0], TypeOf(TypeKind::kBigint));
    return MakeCall(TypeOf(TypeKind::kBigint), std::move(args), [](const Args& a, size_t rows) {
      Column out = Column::Make(TypeOf(TypeKind::kBigint));
      out.ints.resize(rows);
      const int64_t* x = a[0].col().ints.data();
      for (size_t i = 0; i < rows; ++i) out.ints[i] = Wrapping(0 - uint64_t(x[a[0].Row(i)]));
      out.valid = AllValid(a, rows);
      return out;
    });
  }
  args[0] = Coerce(args[0], TypeOf(TypeKind::kDouble));
  return MakeCall(TypeOf(TypeKind::kDouble), std::move(args), [](const Args& a, size_t rows) {
    Column out = Column::Make(TypeOf(TypeKind::kDouble));
    out.doubles.resize(rows);
    const double* x = a[0].col().doubles.data();
    for (size_t i = 0; i < rows; ++i) out.doubles[i] = -x[a[0].Row(i)];
    out.valid = AllValid(a, rows);
    return out;
  });
}

}  // namespace

void RegisterArithmeticFunctions(FunctionRegistry* r) {
  r->Add("+", Arithmetic(ArithOp::kAdd));
  r->Add("-", Arithmetic(ArithOp::kSub));
  r->Add("*", Arithmetic(ArithOp::kMul));
  r->Add("/", Arithmetic(ArithOp::kDiv));
  r->Add("%", Arithmetic(ArithOp::kMod));
  r->Add("mod", Arithmetic(ArithOp::kMod));
  r->Add("neg", BindNegate);
  r->Add("negative", BindNegate);
}

}  // namespace helenus::exec::eval

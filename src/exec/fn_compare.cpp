// Comparisons: = != < <= > >=, IN and BETWEEN. Operands are converted to
// the type they compare in (ComparisonType); numbers compare numerically
// with Spark's NaN rules (NaN = NaN, NaN above every number), text bytewise,
// other types by their CQL order.
#include <algorithm>
#include <cmath>
#include <memory>

#include "exec/expr_internal.h"
#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::exec::eval {
namespace {

enum class CmpOp { kEq, kNe, kLt, kLe, kGt, kGe };

int CompareDoubles(double x, double y) {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x == y) return 0;
  bool xn = std::isnan(x), yn = std::isnan(y);
  return xn == yn ? 0 : (xn ? 1 : -1);
}

// Applies op to a three-way comparison.
template <typename T, typename Cmp>
void CompareLoop(CmpOp op, const ArgValues& a, const ArgValues& b, size_t rows, int64_t* out,
                 Cmp cmp) {
  switch (op) {
    case CmpOp::kEq:
      BinaryLoop<T, T>(a, b, rows, out,
                       [&](const T& x, const T& y) -> int64_t { return cmp(x, y) == 0; });
      break;
    case CmpOp::kNe:
      BinaryLoop<T, T>(a, b, rows, out,
                       [&](const T& x, const T& y) -> int64_t { return cmp(x, y) != 0; });
      break;
    case CmpOp::kLt:
      BinaryLoop<T, T>(a, b, rows, out,
                       [&](const T& x, const T& y) -> int64_t { return cmp(x, y) < 0; });
      break;
    case CmpOp::kLe:
      BinaryLoop<T, T>(a, b, rows, out,
                       [&](const T& x, const T& y) -> int64_t { return cmp(x, y) <= 0; });
      break;
    case CmpOp::kGt:
      BinaryLoop<T, T>(a, b, rows, out,
                       [&](const T& x, const T& y) -> int64_t { return cmp(x, y) > 0; });
      break;
    case CmpOp::kGe:
      BinaryLoop<T, T>(a, b, rows, out,
                       [&](const T& x, const T& y) -> int64_t { return cmp(x, y) >= 0; });
      break;
  }
}

Column CompareKernel(CmpOp op, const DataType& type, const Args& a, size_t rows) {
  Column out = Column::Make(TypeOf(TypeKind::kBoolean));
  out.ints.resize(rows);
  int64_t* o = out.ints.data();
  switch (PhysicalOf(type)) {
    case Physical::kInt64:
      CompareLoop<int64_t>(op, a[0], a[1], rows, o,
                           [](int64_t x, int64_t y) { return (x > y) - (x < y); });
      break;
    case Physical::kDouble:
      CompareLoop<double>(op, a[0], a[1], rows, o, CompareDoubles);
      break;
    case Physical::kString:
      if (IsText(type)) {
        CompareLoop<std::string>(
            op, a[0], a[1], rows, o,
            [](const std::string& x, const std::string& y) { return x.compare(y); });
      } else {
        CompareLoop<std::string>(op, a[0], a[1], rows, o,
                                 [&type](const std::string& x, const std::string& y) {
                                   return cql::Compare(type, x, y);
                                 });
      }
      break;
  }
  out.valid = AllValid(a, rows);
  return out;
}

// The type args compare in, or nullopt when all are untyped NULLs.
std::optional<DataType> CompareTypeOf(const std::string& name, const std::vector<NodePtr>& args) {
  std::optional<DataType> type;
  for (const auto& a : args) {
    if (a->UntypedNull()) continue;
    type = type ? ComparisonType(*type, a->type()) : a->type();
    if (!type) ThrowArgs(name, "comparable values", args);
  }
  return type;
}

Binder Comparison(CmpOp op) {
  return [op](const std::string& name, std::vector<NodePtr> args) -> NodePtr {
    if (args.size() != 2) ThrowArgs(name, "(value, value)", args);
    auto type = CompareTypeOf(name, args);
    if (!type) return MakeNull(TypeOf(TypeKind::kBoolean));
    // 1mo and 30d have no order, which is why Cassandra refuses these too.
    if (type->kind == TypeKind::kDuration && op != CmpOp::kEq && op != CmpOp::kNe) {
      ThrowInvalid("Slice restrictions are not supported on duration columns");
    }
    for (auto& n : args) n = CoerceForCompare(n, *type);
    return MakeCall(
        TypeOf(TypeKind::kBoolean), std::move(args),
        [op, t = *type](const Args& a, size_t rows) { return CompareKernel(op, t, a, rows); });
  };
}

// The constant items of an IN list, ready for lookups.
struct InSet {
  std::vector<int64_t> ints;         // sorted
  std::vector<double> doubles;       // sorted, no NaN
  std::vector<std::string> strings;  // sorted bytewise (text) or in list order
  bool has_nan = false;
  bool has_null = false;
};

InSet BuildInSet(const DataType& type, const std::vector<NodePtr>& items) {
  InSet set;
  for (const auto& item : items) {
    const Column& c = *item->Constant();
    if (c.IsNull(0)) {
      set.has_null = true;
      continue;
    }
    switch (PhysicalOf(type)) {
      case Physical::kInt64:
        set.ints.push_back(c.ints[0]);
        break;
      case Physical::kDouble:
        if (std::isnan(c.doubles[0])) {
          set.has_nan = true;
        } else {
          set.doubles.push_back(c.doubles[0]);
        }
        break;
      case Physical::kString:
        set.strings.push_back(c.strings[0]);
        break;
    }
  }
  std::sort(set.ints.begin(), set.ints.end());
  std::sort(set.doubles.begin(), set.doubles.end());
  if (IsText(type)) std::sort(set.strings.begin(), set.strings.end());
  return set;
}

bool InSetContains(const InSet& set, const DataType& type, const ArgValues& v, size_t i) {
  switch (PhysicalOf(type)) {
    case Physical::kInt64:
      return std::binary_search(set.ints.begin(), set.ints.end(), v.Int(i));
    case Physical::kDouble:
      return std::isnan(v.Dbl(i))
                 ? set.has_nan
                 : std::binary_search(set.doubles.begin(), set.doubles.end(), v.Dbl(i));
    case Physical::kString:
      if (IsText(type)) {
        std::string_view s = v.Str(i);
        return std::binary_search(set.strings.begin(), set.strings.end(), s,
                                  [](std::string_view x, std::string_view y) { return x < y; });
      }
      return std::any_of(set.strings.begin(), set.strings.end(), [&](const std::string& x) {
        return cql::Compare(type, x, v.Str(i)) == 0;
      });
  }
  return false;
}

// SQL IN: true on a match; else NULL when the value or some item is NULL.
Binder In(bool negate) {
  return [negate](const std::string& name, std::vector<NodePtr> args) -> NodePtr {
    if (args.size() < 2) ThrowArgs(name, "(value, item, ...)", args);
    auto type = CompareTypeOf(name, args);
    if (!type) return MakeNull(TypeOf(TypeKind::kBoolean));
    for (auto& n : args) n = CoerceForCompare(n, *type);
    DataType bool_type = TypeOf(TypeKind::kBoolean);
    bool constant_items =
        std::all_of(args.begin() + 1, args.end(), [](const NodePtr& n) { return n->Constant(); });
    if (constant_items) {
      auto set = std::make_shared<const InSet>(
          BuildInSet(*type, std::vector<NodePtr>(args.begin() + 1, args.end())));
      NodePtr value = args[0];
      return MakeCall(bool_type, {value}, [set, negate, t = *type](const Args& a, size_t rows) {
        const ArgValues& v = a[0];
        return MapRows(TypeOf(TypeKind::kBoolean), rows, a,
                       [&](size_t i) -> std::optional<int64_t> {
                         if (InSetContains(*set, t, v, i)) return !negate;
                         if (set->has_null) return std::nullopt;
                         return negate;
                       });
      });
    }
    return MakeCall(bool_type, std::move(args), [negate, t = *type](const Args& a, size_t rows) {
      Column out = Column::Make(TypeOf(TypeKind::kBoolean));
      out.ints.resize(rows);
      out.valid.assign(rows, 1);
      const ArgValues& v = a[0];
      for (size_t i = 0; i < rows; ++i) {
        if (v.IsNull(i)) {
          out.valid[i] = 0;
          continue;
        }
        bool found = false, null_item = false;
        for (size_t k = 1; k < a.size() && !found; ++k) {
          if (a[k].IsNull(i)) {
            null_item = true;
          } else {
            found = CompareAt(t, v, i, a[k], i) == 0;
          }
        }
        if (!found && null_item) out.valid[i] = 0;
        out.ints[i] = found != negate;
      }
      return out;
    });
  };
}

// BETWEEN is value >= low AND value <= high, with the same NULL rules.
Binder Between(bool negate) {
  return [negate](const std::string& name, std::vector<NodePtr> args) {
    if (args.size() != 3) ThrowArgs(name, "(value, low, high)", args);
    NodePtr between =
        BindCall("and", {BindCall(">=", {args[0], args[1]}), BindCall("<=", {args[0], args[2]})});
    return negate ? BindCall("not", {between}) : between;
  };
}

}  // namespace

int CompareAt(const DataType& type, const ArgValues& a, size_t i, const ArgValues& b, size_t j) {
  switch (PhysicalOf(type)) {
    case Physical::kInt64:
      return (a.Int(i) > b.Int(j)) - (a.Int(i) < b.Int(j));
    case Physical::kDouble:
      return CompareDoubles(a.Dbl(i), b.Dbl(j));
    case Physical::kString:
      if (IsText(type)) {
        int c = a.Str(i).compare(b.Str(j));
        return (c > 0) - (c < 0);
      }
      return cql::Compare(type, a.Str(i), b.Str(j));
  }
  return 0;
}

void RegisterCompareFunctions(FunctionRegistry* r) {
  r->Add("=", Comparison(CmpOp::kEq));
  r->Add("==", Comparison(CmpOp::kEq));
  r->Add("!=", Comparison(CmpOp::kNe));
  r->Add("<>", Comparison(CmpOp::kNe));
  r->Add("<", Comparison(CmpOp::kLt));
  r->Add("<=", Comparison(CmpOp::kLe));
  r->Add(">", Comparison(CmpOp::kGt));
  r->Add(">=", Comparison(CmpOp::kGe));
  r->Add("in", In(false));
  r->Add("not_in", In(true));
  r->Add("between", Between(false));
  r->Add("not_between", Between(true));
}

}  // namespace helenus::exec::eval

// Boolean logic with SQL's three-valued rules, and the NULL tests.
#include "exec/expr_internal.h"

namespace helenus::exec::eval {
namespace {

// AND (is_and) or OR. A NULL operand is "unknown": false AND unknown is
// false, true OR unknown is true, anything else with unknown is NULL.
Column Connective(bool is_and, const Args& a, size_t rows) {
  Column out = Column::Make(TypeOf(TypeKind::kBoolean));
  out.ints.resize(rows);
  const ArgValues& x = a[0];
  const ArgValues& y = a[1];
  if (is_and) {
    BinaryLoop<int64_t, int64_t>(x, y, rows, out.ints.data(),
                                 [](int64_t p, int64_t q) -> int64_t { return p != 0 && q != 0; });
  } else {
    BinaryLoop<int64_t, int64_t>(x, y, rows, out.ints.data(),
                                 [](int64_t p, int64_t q) -> int64_t { return p != 0 || q != 0; });
  }
  if (!x.has_nulls() && !y.has_nulls()) return out;
  // The value that decides the result on its own: false for AND, true for OR.
  bool decisive = !is_and;
  out.valid.assign(rows, 1);
  for (size_t i = 0; i < rows; ++i) {
    bool xn = x.IsNull(i), yn = y.IsNull(i);
    if (!xn && !yn) continue;
    bool x_decides = !xn && (x.Int(i) != 0) == decisive;
    bool y_decides = !yn && (y.Int(i) != 0) == decisive;
    if (x_decides || y_decides) {
      out.ints[i] = decisive;
    } else {
      out.valid[i] = 0;
    }
  }
  return out;
}

Binder Logical(bool is_and) {
  return [is_and](const std::string& name, std::vector<NodePtr> args) {
    args = CheckArgs(name, std::move(args), {Param::kBoolean, Param::kBoolean});
    return MakeCall(TypeOf(TypeKind::kBoolean), std::move(args),
                    [is_and](const Args& a, size_t rows) { return Connective(is_and, a, rows); });
  };
}

NodePtr BindNot(const std::string& name, std::vector<NodePtr> args) {
  args = CheckArgs(name, std::move(args), {Param::kBoolean});
  return MakeCall(TypeOf(TypeKind::kBoolean), std::move(args), [](const Args& a, size_t rows) {
    Column out = Column::Make(TypeOf(TypeKind::kBoolean));
    out.ints.resize(rows);
    const int64_t* x = a[0].col().ints.data();
    for (size_t i = 0; i < rows; ++i) out.ints[i] = x[a[0].Row(i)] == 0;
    out.valid = AllValid(a, rows);
    return out;
  });
}

// IS NULL (want_null) or IS NOT NULL; never NULL itself.
Binder NullTest(bool want_null) {
  return [want_null](const std::string& name, std::vector<NodePtr> args) {
    args = CheckArgs(name, std::move(args), {Param::kAny});
    return MakeCall(TypeOf(TypeKind::kBoolean), std::move(args),
                    [want_null](const Args& a, size_t rows) {
                      Column out = Column::Make(TypeOf(TypeKind::kBoolean));
                      out.ints.assign(rows, want_null ? 0 : 1);
                      if (a[0].has_nulls()) {
                        for (size_t i = 0; i < rows; ++i) out.ints[i] = a[0].IsNull(i) == want_null;
                      }
                      return out;
                    });
  };
}

}  // namespace

void RegisterLogicFunctions(FunctionRegistry* r) {
  r->Add("and", Logical(true));
  r->Add("or", Logical(false));
  r->Add("not", BindNot);
  r->Add("is_null", NullTest(true));
  r->Add("isnull", NullTest(true));
  r->Add("is_not_null", NullTest(false));
  r->Add("isnotnull", NullTest(false));
}

}  // namespace helenus::exec::eval

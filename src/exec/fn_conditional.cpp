// Conditional expressions: CASE, IF, COALESCE, NULLIF, GREATEST, LEAST.
// Every branch is evaluated for the whole batch (evaluation cannot fail, so
// this is safe) and each row then picks the value of its branch.
#include "exec/expr_internal.h"

namespace helenus::exec::eval {
namespace {

constexpr int32_t kNoBranch = -1;

// The column whose row i is row i of a[choice[i]] (NULL for kNoBranch);
// every a[k] that can be chosen holds type's physical form.
Column Choose(const DataType& type, const Args& a, const std::vector<int32_t>& choice,
              size_t rows) {
  Column out = Column::Make(type);
  out.valid.assign(rows, 1);
  bool any_null = false;
  auto pick = [&](size_t i) -> const ArgValues* {
    int32_t k = choice[i];
    if (k == kNoBranch || a[static_cast<size_t>(k)].IsNull(i)) {
      out.valid[i] = 0;
      any_null = true;
      return nullptr;
    }
    return &a[static_cast<size_t>(k)];
  };
  switch (out.physical()) {
    case Physical::kInt64:
      out.ints.resize(rows);
      for (size_t i = 0; i < rows; ++i) {
        if (const ArgValues* v = pick(i)) out.ints[i] = v->Int(i);
      }
      break;
    case Physical::kDouble:
      out.doubles.resize(rows);
      for (size_t i = 0; i < rows; ++i) {
        if (const ArgValues* v = pick(i)) out.doubles[i] = v->Dbl(i);
      }
      break;
    case Physical::kString:
      out.strings.resize(rows);
      for (size_t i = 0; i < rows; ++i) {
        if (const ArgValues* v = pick(i)) out.strings[i] = v->Str(i);
      }
      break;
  }
  if (!any_null) out.valid.clear();
  return out;
}

bool IsTrue(const ArgValues& c, size_t i) {
  return !c.IsNull(i) && c.Int(i) != 0;
}

NodePtr BindCaseNamed(std::string_view name, std::vector<NodePtr> args) {
  size_t pairs = args.size() / 2;
  bool has_else = args.size() % 2 == 1;
  if (pairs == 0) ThrowArgs(name, "(condition, value, ...[, else])", args);
  std::vector<NodePtr> values;
  for (size_t k = 0; k < pairs; ++k) {
    const NodePtr& cond = args[2 * k];
    if (!cond->UntypedNull() && cond->type().kind != TypeKind::kBoolean) {
      ThrowArgs(name, "boolean conditions", args);
    }
    args[2 * k] = Coerce(cond, TypeOf(TypeKind::kBoolean));
    values.push_back(args[2 * k + 1]);
  }
  if (has_else) values.push_back(args.back());
  DataType type = CommonTypeOf(name, values);
  for (size_t k = 0; k < pairs; ++k) args[2 * k + 1] = Coerce(args[2 * k + 1], type);
  if (has_else) args.back() = Coerce(args.back(), type);
  return MakeCall(type, std::move(args), [type, pairs, has_else](const Args& a, size_t rows) {
    std::vector<int32_t> choice(rows, has_else ? static_cast<int32_t>(2 * pairs) : kNoBranch);
    std::vector<uint8_t> decided(rows, 0);
    for (size_t k = 0; k < pairs; ++k) {
      const ArgValues& cond = a[2 * k];
      for (size_t i = 0; i < rows; ++i) {
        if (!decided[i] && IsTrue(cond, i)) {
          decided[i] = 1;
          choice[i] = static_cast<int32_t>(2 * k + 1);
        }
      }
    }
    return Choose(type, a, choice, rows);
  });
}

NodePtr BindIf(const std::string& name, std::vector<NodePtr> args) {
  if (args.size() != 3) ThrowArgs(name, "(boolean, value, value)", args);
  return BindCaseNamed(name, std::move(args));
}

// The first non-NULL argument.
NodePtr BindCoalesce(const std::string& name, std::vector<NodePtr> args) {
  if (args.empty()) ThrowArgs(name, "(value, ...)", args);
  DataType type = CommonTypeOf(name, args);
  for (auto& n : args) n = Coerce(n, type);
  return MakeCall(type, std::move(args), [type](const Args& a, size_t rows) {
    std::vector<int32_t> choice(rows, kNoBranch);
    for (size_t i = 0; i < rows; ++i) {
      for (size_t k = 0; k < a.size(); ++k) {
        if (!a[k].IsNull(i)) {
          choice[i] = static_cast<int32_t>(k);
          break;
        }
      }
    }
    return Choose(type, a, choice, rows);
  });
}

NodePtr BindNvl(const std::string& name, std::vector<NodePtr> args) {
  if (args.size() != 2) ThrowArgs(name, "(value, value)", args);
  return BindCoalesce(name, std::move(args));
}

// NULLIF(a, b): NULL when a = b, else a.
NodePtr BindNullIf(const std::string& name, std::vector<NodePtr> args) {
  if (args.size() != 2) ThrowArgs(name, "(value, value)", args);
  NodePtr equal = BindCall("=", {args[0], args[1]});
  DataType type = args[0]->type();
  return MakeCall(type, {equal, args[0]}, [type](const Args& a, size_t rows) {
    std::vector<int32_t> choice(rows, 1);
    for (size_t i = 0; i < rows; ++i) {
      if (IsTrue(a[0], i)) choice[i] = kNoBranch;
    }
    return Choose(type, a, choice, rows);
  });
}

// GREATEST / LEAST: skips NULLs; NULL only when every argument is.
Binder Extreme(bool greatest) {
  return [greatest](const std::string& name, std::vector<NodePtr> args) {
    if (args.size() < 2) ThrowArgs(name, "(value, value, ...)", args);
    DataType type = CommonTypeOf(name, args);
    for (auto& n : args) n = Coerce(n, type);
    return MakeCall(type, std::move(args), [type, greatest](const Args& a, size_t rows) {
      std::vector<int32_t> choice(rows, kNoBranch);
      for (size_t i = 0; i < rows; ++i) {
        int32_t best = kNoBranch;
        for (size_t k = 0; k < a.size(); ++k) {
          if (a[k].IsNull(i)) continue;
          if (best == kNoBranch) {
            best = static_cast<int32_t>(k);
            continue;
          }
          int c = CompareAt(type, a[k], i, a[static_cast<size_t>(best)], i);
          if (greatest ? c > 0 : c < 0) best = static_cast<int32_t>(k);
        }
        choice[i] = best;
      }
      return Choose(type, a, choice, rows);
    });
  };
}

}  // namespace

NodePtr BindCase(std::vector<NodePtr> args) {
  return BindCaseNamed("case", std::move(args));
}

void RegisterConditionalFunctions(FunctionRegistry* r) {
  r->Add("if", BindIf);
  r->Add("coalesce", BindCoalesce);
  r->Add("nvl", BindNvl);
  r->Add("ifnull", BindNvl);
  r->Add("nullif", BindNullIf);
  r->Add("greatest", Extreme(true));
  r->Add("least", Extreme(false));
}

}  // namespace helenus::exec::eval

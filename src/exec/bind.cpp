// Binding: resolves an expression tree against a schema into nodes, with the
// node types, type rules, coercions and registry the function families share.
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "exec/expr_internal.h"
#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "helenus/cql/value_codec.h"

namespace helenus::exec {
namespace eval {
namespace {

class ColumnRefNode final : public Node {
 public:
  ColumnRefNode(size_t index, DataType type) : Node(std::move(type)), index_(index) {}
  Column Evaluate(const Batch& input) const override { return input.columns[index_]; }
  int ColumnIndex() const override { return static_cast<int>(index_); }

 private:
  size_t index_;
};

class ConstantNode final : public Node {
 public:
  ConstantNode(Column value, bool untyped_null)
      : Node(value.type), value_(std::move(value)), untyped_null_(untyped_null) {}
  Column Evaluate(const Batch& input) const override {
    return Broadcast(value_, 0, input.num_rows);
  }
  const Column* Constant() const override { return &value_; }
  bool UntypedNull() const override { return untyped_null_; }

 private:
  Column value_;
  bool untyped_null_;
};

class CallNode final : public Node {
 public:
  CallNode(DataType type, std::vector<NodePtr> args, Kernel kernel)
      : Node(std::move(type)), args_(std::move(args)), kernel_(std::move(kernel)) {}
  Column Evaluate(const Batch& input) const override {
    Args values;
    values.reserve(args_.size());
    for (const auto& a : args_) values.emplace_back(*a, input);
    Column out = kernel_(values, input.num_rows);
    out.type = type_;
    return out;
  }

 private:
  std::vector<NodePtr> args_;
  Kernel kernel_;
};

int IntegralRank(TypeKind k) {
  switch (k) {
    case TypeKind::kTinyint:
      return 1;
    case TypeKind::kSmallint:
      return 2;
    case TypeKind::kInt:
      return 3;
    default:
      return 4;
  }
}

bool IsUuid(const DataType& t) {
  return t.kind == TypeKind::kUuid || t.kind == TypeKind::kTimeuuid;
}

bool IsDateTime(const DataType& t) {
  return t.kind == TypeKind::kDate || t.kind == TypeKind::kTimestamp;
}

// A text literal as a value of type, for comparisons: a typo in a literal
// is an error rather than a silently empty result.
Bytes ParseLiteralText(const DataType& type, std::string_view s) {
  auto fail = [&]() -> Bytes { ThrowInvalid("Invalid {} value '{}'", TypeName(type), s); };
  switch (type.kind) {
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kCounter: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc() || end != s.data() + s.size()) return fail();
      switch (type.kind) {
        case TypeKind::kTinyint:
          if (v < INT8_MIN || v > INT8_MAX) return fail();
          return cql::EncodeTinyint(static_cast<int8_t>(v));
        case TypeKind::kSmallint:
          if (v < INT16_MIN || v > INT16_MAX) return fail();
          return cql::EncodeSmallint(static_cast<int16_t>(v));
        case TypeKind::kInt:
          if (v < INT32_MIN || v > INT32_MAX) return fail();
          return cql::EncodeInt(static_cast<int32_t>(v));
        default:
          return cql::EncodeBigint(v);
      }
    }
    case TypeKind::kFloat:
    case TypeKind::kDouble: {
      std::string text(s);
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size()) return fail();
      return type.kind == TypeKind::kFloat ? cql::EncodeFloat(static_cast<float>(v))
                                           : cql::EncodeDouble(v);
    }
    case TypeKind::kBoolean: {
      std::string lower = AsciiLower(s);
      if (lower != "true" && lower != "false") return fail();
      return cql::EncodeBoolean(lower == "true");
    }
    case TypeKind::kTimestamp:
      return cql::ParseTimestamp(s);
    case TypeKind::kDate: {
      std::optional<CqlError> date_error;
      try {
        return cql::ParseDate(s);
      } catch (const CqlError& e) {
        date_error = e;
      }
      // A timestamp literal compared with a date means its day (Spark); when
      // it is not one either, the date parser's complaint is the relevant one.
      Bytes ts;
      try {
        ts = cql::ParseTimestamp(s);
      } catch (const CqlError&) {
        throw *date_error;
      }
      int64_t raw = FloorDiv(cql::DecodeBigint(ts), kMillisPerDay) + (int64_t{1} << 31);
      if (raw < 0 || raw > UINT32_MAX) ThrowInvalid("Date '{}' is out of range", s);
      return cql::EncodeInt(static_cast<int32_t>(static_cast<uint32_t>(raw)));
    }
    case TypeKind::kTime:
      return cql::ParseTime(s);
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid: {
      Bytes b = cql::ParseUuid(s);
      if (auto err = cql::Validate(type, b)) ThrowInvalid("{}", *err);
      return b;
    }
    case TypeKind::kInet:
      return cql::ParseInet(s);
    case TypeKind::kDuration:
      return cql::ParseDuration(s);
    case TypeKind::kVarint:
      return cql::ParseVarint(s);
    case TypeKind::kDecimal:
      return cql::ParseDecimal(s);
    case TypeKind::kBlob:
      return Bytes(s);
    default:
      return fail();
  }
}

std::string_view ParamName(Param p) {
  switch (p) {
    case Param::kAny:
      return "any";
    case Param::kNumber:
      return "number";
    case Param::kInteger:
      return "integer";
    case Param::kText:
      return "text";
    case Param::kBoolean:
      return "boolean";
    case Param::kTimestamp:
      return "timestamp";
    case Param::kDate:
      return "date";
    case Param::kDateTime:
      return "date or timestamp";
  }
  return "any";
}

std::string ExpectedText(std::initializer_list<Param> params, size_t optional) {
  std::string out = "(";
  size_t required = params.size() - optional;
  size_t i = 0;
  for (Param p : params) {
    if (i == required && i > 0) out += "[";
    if (i > 0) out += ", ";
    out += ParamName(p);
    ++i;
  }
  if (optional > 0 && required > 0) out += "]";
  return out + ")";
}

// Coerces one argument to a parameter kind; nullptr when it does not fit.
NodePtr CoerceParam(const NodePtr& arg, Param p) {
  const DataType& t = arg->type();
  bool null = arg->UntypedNull();
  switch (p) {
    case Param::kAny:
      return arg;
    case Param::kNumber:
      if (null || IsNumeric(t) || IsText(t)) return Coerce(arg, TypeOf(TypeKind::kDouble));
      return nullptr;
    case Param::kInteger:
      if (null) return MakeNull(TypeOf(TypeKind::kBigint));
      if (IsIntegral(t)) return arg;
      if (IsNumeric(t) || IsText(t)) return Coerce(arg, TypeOf(TypeKind::kBigint));
      return nullptr;
    case Param::kText:
      if (null || IsText(t)) return Coerce(arg, TypeOf(TypeKind::kText));
      if (!t.IsCollection() && CanCast(t, TypeOf(TypeKind::kText))) {
        return Coerce(arg, TypeOf(TypeKind::kText));
      }
      return nullptr;
    case Param::kBoolean:
      if (null || t.kind == TypeKind::kBoolean) return Coerce(arg, TypeOf(TypeKind::kBoolean));
      return nullptr;
    case Param::kTimestamp:
      if (null || IsDateTime(t) || IsText(t)) return Coerce(arg, TypeOf(TypeKind::kTimestamp));
      return nullptr;
    case Param::kDate:
      if (null || IsDateTime(t) || IsText(t)) return Coerce(arg, TypeOf(TypeKind::kDate));
      return nullptr;
    case Param::kDateTime:
      if (!null && IsDateTime(t)) return arg;
      if (null || IsText(t)) return Coerce(arg, TypeOf(TypeKind::kTimestamp));
      return nullptr;
  }
  return nullptr;
}

NodePtr BindNode(const Expr& e, const Schema& schema);

std::vector<NodePtr> BindArgs(const Expr& e, const Schema& schema) {
  std::vector<NodePtr> args;
  args.reserve(e.args.size());
  for (const auto& a : e.args) args.push_back(BindNode(*a, schema));
  return args;
}

NodePtr BindNode(const Expr& e, const Schema& schema) {
  switch (e.kind) {
    case ExprKind::kColumn: {
      size_t index = schema.Require(e.name, e.qualifier);
      return MakeColumnRef(index, schema.fields[index].type);
    }
    case ExprKind::kLiteral:
      return MakeLiteral(e.untyped_null ? TypeOf(TypeKind::kInt) : e.type,
                         e.untyped_null ? std::nullopt : e.value, e.untyped_null);
    case ExprKind::kCall:
      if (IsAggregateFunction(e.name)) {
        ThrowInvalid("Aggregate function {} is not allowed here", e.name);
      }
      return BindCall(e.name, BindArgs(e, schema));
    case ExprKind::kCase:
      return BindCase(BindArgs(e, schema));
    case ExprKind::kCast:
      if (e.args.size() != 1) ThrowInvalid("CAST takes exactly one argument");
      return MakeCast(BindNode(*e.args[0], schema), e.type);
    case ExprKind::kStar:
      ThrowInvalid("'*' is only allowed in count(*) and select lists");
    case ExprKind::kAlias:
      if (e.args.size() != 1) ThrowInvalid("Alias {} has no expression", e.name);
      return BindNode(*e.args[0], schema);
  }
  ThrowInvalid("Unsupported expression {}", e.ToString());
}

}  // namespace

// ---- Types -------------------------------------------------------------------

bool IsIntegral(const DataType& t) {
  switch (t.kind) {
    case TypeKind::kTinyint:
    case TypeKind::kSmallint:
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kCounter:
      return true;
    default:
      return false;
  }
}

bool IsFloating(const DataType& t) {
  return t.kind == TypeKind::kFloat || t.kind == TypeKind::kDouble;
}

bool IsBigNumber(const DataType& t) {
  return t.kind == TypeKind::kDecimal || t.kind == TypeKind::kVarint;
}

bool IsNumeric(const DataType& t) {
  return IsIntegral(t) || IsFloating(t) || IsBigNumber(t);
}

bool IsText(const DataType& t) {
  return t.kind == TypeKind::kText || t.kind == TypeKind::kAscii;
}

std::string TypeName(const DataType& t) {
  return t.ToCql();
}

std::optional<DataType> CommonType(const DataType& a, const DataType& b) {
  if (a == b) return a;
  if (IsText(a) && IsText(b)) return TypeOf(TypeKind::kText);
  if (IsIntegral(a) && IsIntegral(b)) {
    return IntegralRank(a.kind) >= IntegralRank(b.kind)
               ? (a.kind == TypeKind::kCounter ? TypeOf(TypeKind::kBigint) : a)
               : (b.kind == TypeKind::kCounter ? TypeOf(TypeKind::kBigint) : b);
  }
  if (IsNumeric(a) && IsNumeric(b)) {
    if (IsFloating(a) || IsFloating(b)) return TypeOf(TypeKind::kDouble);
    if (a.kind == TypeKind::kDecimal || b.kind == TypeKind::kDecimal) {
      return TypeOf(TypeKind::kDecimal);
    }
    return TypeOf(TypeKind::kVarint);
  }
  if (IsDateTime(a) && IsDateTime(b)) return TypeOf(TypeKind::kTimestamp);
  if (IsUuid(a) && IsUuid(b)) return TypeOf(TypeKind::kUuid);
  // Spark promotes mixed branches to string.
  if (IsText(a) && !b.IsCollection() && CanCast(b, a)) return TypeOf(TypeKind::kText);
  if (IsText(b) && !a.IsCollection() && CanCast(a, b)) return TypeOf(TypeKind::kText);
  return std::nullopt;
}

std::optional<DataType> ComparisonType(const DataType& a, const DataType& b) {
  if (a == b) return a;
  if (IsText(a) && IsText(b)) return TypeOf(TypeKind::kText);
  if (IsIntegral(a) && IsIntegral(b)) return TypeOf(TypeKind::kBigint);
  if (IsNumeric(a) && IsNumeric(b)) return CommonType(a, b);
  if (IsDateTime(a) && IsDateTime(b)) return TypeOf(TypeKind::kTimestamp);
  if (IsUuid(a) && IsUuid(b)) return TypeOf(TypeKind::kUuid);
  // A string compared with another type converts to that type; decimals have
  // no natural precision for it, so both go to double (Spark, SPARK-22469).
  for (const auto& [s, other] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
    if (!IsText(*s) || IsText(*other) || other->IsCollection()) continue;
    if (other->kind == TypeKind::kDecimal) return TypeOf(TypeKind::kDouble);
    if (CanCast(*s, *other)) return *other;
  }
  return std::nullopt;
}

// ---- Nodes -------------------------------------------------------------------

ArgValues::ArgValues(const Node& node, const Batch& batch) {
  if (int index = node.ColumnIndex(); index >= 0) {
    borrowed_ = &batch.columns[static_cast<size_t>(index)];
  } else if (const Column* c = node.Constant()) {
    borrowed_ = c;
    constant_ = true;
  } else {
    owned_ = node.Evaluate(batch);
  }
  has_nulls_ = col().HasNulls();
}

NodePtr MakeColumnRef(size_t index, DataType type) {
  return std::make_shared<ColumnRefNode>(index, std::move(type));
}

NodePtr MakeLiteral(const DataType& type, const Value& value, bool untyped_null) {
  Column c = Column::Make(type, 1);
  AppendCqlValue(&c, value);
  return std::make_shared<ConstantNode>(std::move(c), untyped_null);
}

NodePtr MakeConstant(Column one_row) {
  return std::make_shared<ConstantNode>(std::move(one_row), false);
}

NodePtr MakeNull(const DataType& type) {
  return MakeConstant(NullColumn(type, 1));
}

NodePtr MakeCall(DataType type, std::vector<NodePtr> args, Kernel kernel) {
  bool all_constant = true;
  for (const auto& a : args) all_constant = all_constant && a->Constant() != nullptr;
  auto node = std::make_shared<CallNode>(std::move(type), std::move(args), std::move(kernel));
  if (!all_constant) return node;
  // Constant subtrees are computed once, here, instead of once per batch.
  Batch one;
  one.num_rows = 1;
  return MakeConstant(node->Evaluate(one));
}

NodePtr Coerce(NodePtr e, const DataType& type) {
  if (e->UntypedNull()) return MakeNull(type);
  const DataType& from = e->type();
  if (from == type) return e;
  // Widening integers and text/ascii keep their physical values; constants are
  // still retyped so that folded results carry the exact type.
  bool same_values =
      (IsText(from) && IsText(type)) ||
      (IsIntegral(from) && IsIntegral(type) && IntegralRank(from.kind) <= IntegralRank(type.kind));
  if (same_values && !e->Constant()) return e;
  return MakeCast(std::move(e), type);
}

NodePtr CoerceForCompare(NodePtr e, const DataType& type) {
  const Column* c = e->Constant();
  if (c && !e->UntypedNull() && IsText(e->type()) && !IsText(type) && !c->IsNull(0)) {
    return MakeLiteral(type, ParseLiteralText(type, c->strings[0]));
  }
  return Coerce(std::move(e), type);
}

// ---- Registry ----------------------------------------------------------------

const FunctionRegistry& FunctionRegistry::Instance() {
  static const FunctionRegistry registry = [] {
    FunctionRegistry r;
    RegisterArithmeticFunctions(&r);
    RegisterCompareFunctions(&r);
    RegisterLogicFunctions(&r);
    RegisterMathFunctions(&r);
    RegisterStringFunctions(&r);
    RegisterDateFunctions(&r);
    RegisterConditionalFunctions(&r);
    RegisterCastFunctions(&r);
    return r;
  }();
  return registry;
}

void FunctionRegistry::Add(std::string name, Binder binder) {
  binders_[std::move(name)] = std::move(binder);
}

const Binder* FunctionRegistry::Find(std::string_view name) const {
  auto it = binders_.find(std::string(name));
  return it == binders_.end() ? nullptr : &it->second;
}

NodePtr BindCall(const std::string& name, std::vector<NodePtr> args) {
  const Binder* binder = FunctionRegistry::Instance().Find(name);
  if (!binder) ThrowInvalid("Unknown function {}", name);
  return (*binder)(name, std::move(args));
}

Binder Forward(std::string target) {
  return [target = std::move(target)](const std::string&, std::vector<NodePtr> args) {
    return BindCall(target, std::move(args));
  };
}

// ---- Argument checking ---------------------------------------------------------

void ThrowArgs(std::string_view fn, std::string_view expected, const std::vector<NodePtr>& args) {
  std::string got;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) got += ", ";
    got += args[i]->UntypedNull() ? "null" : TypeName(args[i]->type());
  }
  ThrowInvalid("Invalid arguments for {}: expected {}, got ({})", fn, expected, got);
}

std::vector<NodePtr> CheckArgs(std::string_view fn, std::vector<NodePtr> args,
                               std::initializer_list<Param> params, size_t optional) {
  if (args.size() > params.size() || args.size() + optional < params.size()) {
    ThrowArgs(fn, ExpectedText(params, optional), args);
  }
  std::vector<NodePtr> out;
  out.reserve(args.size());
  auto p = params.begin();
  for (size_t i = 0; i < args.size(); ++i, ++p) {
    NodePtr c = CoerceParam(args[i], *p);
    if (!c) ThrowArgs(fn, ExpectedText(params, optional), args);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<NodePtr> CheckVariadic(std::string_view fn, std::vector<NodePtr> args, Param p,
                                   size_t min_args) {
  std::string expected = min_args == 0 ? fmt::format("([{}, ...])", ParamName(p))
                                       : fmt::format("({}, ...)", ParamName(p));
  if (args.size() < min_args) ThrowArgs(fn, expected, args);
  std::vector<NodePtr> out;
  out.reserve(args.size());
  for (const auto& a : args) {
    NodePtr c = CoerceParam(a, p);
    if (!c) ThrowArgs(fn, expected, args);
    out.push_back(std::move(c));
  }
  return out;
}

DataType CommonTypeOf(std::string_view fn, const std::vector<NodePtr>& args) {
  std::optional<DataType> common;
  for (const auto& a : args) {
    if (a->UntypedNull()) continue;
    if (!common) {
      common = a->type();
      continue;
    }
    common = CommonType(*common, a->type());
    if (!common) ThrowArgs(fn, "arguments of compatible types", args);
  }
  return common.value_or(TypeOf(TypeKind::kInt));
}

// ---- Kernel helpers ------------------------------------------------------------

std::vector<uint8_t> AllValid(const Args& args, size_t rows) {
  bool any = false;
  for (const auto& a : args) any = any || a.has_nulls();
  if (!any) return {};
  std::vector<uint8_t> valid(rows, 1);
  for (const auto& a : args) {
    if (!a.has_nulls()) continue;
    if (a.constant()) return std::vector<uint8_t>(rows, 0);
    const uint8_t* v = a.col().valid.data();
    for (size_t i = 0; i < rows; ++i) valid[i] &= v[i];
  }
  return valid;
}

Column NullColumn(const DataType& type, size_t rows) {
  Column c = Column::Make(type);
  switch (c.physical()) {
    case Physical::kInt64:
      c.ints.resize(rows);
      break;
    case Physical::kDouble:
      c.doubles.resize(rows);
      break;
    case Physical::kString:
      c.strings.resize(rows);
      break;
  }
  c.valid.assign(rows, 0);
  return c;
}

Column Broadcast(const Column& from, size_t row, size_t rows) {
  if (from.IsNull(row)) return NullColumn(from.type, rows);
  Column c = Column::Make(from.type);
  switch (c.physical()) {
    case Physical::kInt64:
      c.ints.assign(rows, from.ints[row]);
      break;
    case Physical::kDouble:
      c.doubles.assign(rows, from.doubles[row]);
      break;
    case Physical::kString:
      c.strings.assign(rows, from.strings[row]);
      break;
  }
  return c;
}

}  // namespace eval

BoundExprPtr Bind(const Expr& expr, const Schema& input) {
  return eval::BindNode(expr, input);
}

}  // namespace helenus::exec

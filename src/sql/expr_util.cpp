#include "sql/expr_util.h"

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::sql::detail {

ExprPtr ColumnRef(std::string name, std::string qualifier) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kColumn;
  e->name = std::move(name);
  e->qualifier = std::move(qualifier);
  return e;
}

std::string DisplayName(const Expr& column) {
  return column.qualifier.empty() ? column.name : column.qualifier + "." + column.name;
}

namespace {

// Length-prefixed, so that names and literal texts cannot run into the
// punctuation around them and make two different trees print alike.
void AppendWord(std::string_view w, std::string* out) {
  *out += std::to_string(w.size());
  *out += ':';
  *out += w;
}

void AppendKey(const Expr& e, const exec::Schema& input, std::string* out) {
  switch (e.kind) {
    case ExprKind::kColumn: {
      int i = -1;
      try {
        i = input.Find(e.name, e.qualifier);
      } catch (const CqlError&) {
        // Ambiguous: binding reports it; here it only has to stay distinct.
      }
      if (i >= 0) {
        *out += '#' + std::to_string(i);
      } else {
        *out += '?';
        AppendWord(e.qualifier, out);
        AppendWord(e.name, out);
      }
      return;
    }
    case ExprKind::kLiteral:
      *out += 'L';
      AppendWord(e.type.ToCql(), out);
      if (e.untyped_null || !e.value) {
        *out += 'N';
      } else {
        AppendWord(*e.value, out);
      }
      return;
    case ExprKind::kStar:
      *out += '*';
      return;
    case ExprKind::kAlias:
      if (!e.args.empty()) AppendKey(*e.args[0], input, out);
      return;
    case ExprKind::kCall:
      *out += e.distinct ? 'D' : 'C';
      AppendWord(e.name, out);
      break;
    case ExprKind::kCase:
      *out += 'W';
      break;
    case ExprKind::kCast:
      *out += 'T';
      AppendWord(e.type.ToCql(), out);
      break;
  }
  *out += '(';
  for (const auto& a : e.args) {
    AppendKey(*a, input, out);
    *out += ',';
  }
  *out += ')';
}

}  // namespace

std::string CanonicalKey(const Expr& e, const exec::Schema& input) {
  std::string out;
  AppendKey(e, input, &out);
  return out;
}

ExprPtr Transform(const ExprPtr& e, const std::function<ExprPtr(const ExprPtr&)>& fn) {
  if (ExprPtr replaced = fn(e)) return replaced;
  if (e->args.empty()) return e;
  std::vector<ExprPtr> args;
  args.reserve(e->args.size());
  bool changed = false;
  for (const auto& a : e->args) {
    args.push_back(Transform(a, fn));
    changed = changed || args.back().get() != a.get();
  }
  if (!changed) return e;
  auto copy = std::make_shared<Expr>(*e);
  copy->args = std::move(args);
  return copy;
}

void Visit(const ExprPtr& e, const std::function<bool(const ExprPtr&)>& fn) {
  if (!fn(e)) return;
  for (const auto& a : e->args) Visit(a, fn);
}

std::optional<int64_t> Ordinal(const Expr& e) {
  if (e.kind != ExprKind::kLiteral || !e.value) return std::nullopt;
  if (e.type.kind == TypeKind::kInt) return cql::DecodeInt(*e.value);
  if (e.type.kind == TypeKind::kBigint) return cql::DecodeBigint(*e.value);
  return std::nullopt;
}

std::string UniqueName(const std::string& base, std::set<std::string>* used) {
  std::string name = base;
  for (int i = 2; used->count(name); ++i) name = base + "_" + std::to_string(i);
  used->insert(name);
  return name;
}

}  // namespace helenus::sql::detail

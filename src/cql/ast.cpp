#include "helenus/cql/ast.h"

#include <string_view>

namespace helenus::cql::ast {

CollectionLiteral::CollectionLiteral() = default;
CollectionLiteral::CollectionLiteral(const CollectionLiteral&) = default;
CollectionLiteral::CollectionLiteral(CollectionLiteral&&) noexcept = default;
CollectionLiteral& CollectionLiteral::operator=(const CollectionLiteral&) = default;
CollectionLiteral& CollectionLiteral::operator=(CollectionLiteral&&) noexcept = default;
CollectionLiteral::~CollectionLiteral() = default;

UserTypeLiteral::UserTypeLiteral() = default;
UserTypeLiteral::UserTypeLiteral(const UserTypeLiteral&) = default;
UserTypeLiteral::UserTypeLiteral(UserTypeLiteral&&) noexcept = default;
UserTypeLiteral& UserTypeLiteral::operator=(const UserTypeLiteral&) = default;
UserTypeLiteral& UserTypeLiteral::operator=(UserTypeLiteral&&) noexcept = default;
UserTypeLiteral::~UserTypeLiteral() = default;

namespace {

void Append(std::string& out, const Term& term);

void AppendList(std::string& out, const std::vector<Term>& terms) {
  for (size_t i = 0; i < terms.size(); ++i) {
    if (i) out += ", ";
    Append(out, terms[i]);
  }
}

void Append(std::string& out, const Term& term) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Literal>) {
          if (v.kind == Literal::Kind::kString) {
            // Re-escape quotes so the text parses back to the same constant.
            out += '\'';
            for (char c : v.text) {
              if (c == '\'') out += '\'';
              out += c;
            }
            out += '\'';
          } else {
            out += v.text;
          }
        } else if constexpr (std::is_same_v<T, Null>) {
          out += "null";
        } else if constexpr (std::is_same_v<T, BindMarker>) {
          if (v.name.empty()) {
            out += '?';
          } else {
            out += ':';
            out += v.name;
          }
        } else if constexpr (std::is_same_v<T, CollectionLiteral>) {
          switch (v.kind) {
            case CollectionLiteral::Kind::kList:
              out += '[';
              AppendList(out, v.elements);
              out += ']';
              break;
            case CollectionLiteral::Kind::kSet:
              out += '{';
              AppendList(out, v.elements);
              out += '}';
              break;
            case CollectionLiteral::Kind::kMap:
              out += '{';
              for (size_t i = 0; i < v.entries.size(); ++i) {
                if (i) out += ", ";
                Append(out, v.entries[i].first);
                out += ": ";
                Append(out, v.entries[i].second);
              }
              out += '}';
              break;
            case CollectionLiteral::Kind::kEmptyBraces:
              out += "{}";
              break;
          }
        } else if constexpr (std::is_same_v<T, TupleLiteral>) {
          out += '(';
          AppendList(out, v.elements);
          out += ')';
        } else if constexpr (std::is_same_v<T, UserTypeLiteral>) {
          out += '{';
          for (size_t i = 0; i < v.fields.size(); ++i) {
            if (i) out += ", ";
            out += v.fields[i].first;
            out += ": ";
            Append(out, v.fields[i].second);
          }
          out += '}';
        } else if constexpr (std::is_same_v<T, FunctionCall>) {
          if (!v.keyspace.empty()) {
            out += v.keyspace;
            out += '.';
          }
          out += v.name;
          out += '(';
          AppendList(out, v.args);
          out += ')';
        } else if constexpr (std::is_same_v<T, TypeCast>) {
          out += '(';
          out += v.type.ToCql();
          out += ") ";
          Append(out, *v.term);
        }
      },
      term.value);
}

}  // namespace

std::string ToCql(const Term& term) {
  std::string out;
  Append(out, term);
  return out;
}

std::string_view OperatorName(Operator op) {
  switch (op) {
    case Operator::kEq:
      return "=";
    case Operator::kLt:
      return "<";
    case Operator::kLe:
      return "<=";
    case Operator::kGt:
      return ">";
    case Operator::kGe:
      return ">=";
    case Operator::kNe:
      return "!=";
    case Operator::kIn:
      return "IN";
    case Operator::kContains:
      return "CONTAINS";
    case Operator::kContainsKey:
      return "CONTAINS KEY";
    case Operator::kLike:
      return "LIKE";
    case Operator::kIsNotNull:
      return "IS NOT NULL";
  }
  return "?";
}

}  // namespace helenus::cql::ast

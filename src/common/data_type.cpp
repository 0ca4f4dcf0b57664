#include "helenus/common/data_type.h"

#include <array>
#include <cctype>
#include <utility>

namespace helenus {
namespace {

struct NamedKind {
  std::string_view name;
  TypeKind kind;
};

// Aliases come after the canonical name so that TypeKindName finds the
// spelling Cassandra prints in system_schema.
constexpr std::array<NamedKind, 22> kNamedKinds{{
    {"ascii", TypeKind::kAscii},       {"bigint", TypeKind::kBigint},
    {"blob", TypeKind::kBlob},         {"boolean", TypeKind::kBoolean},
    {"counter", TypeKind::kCounter},   {"decimal", TypeKind::kDecimal},
    {"double", TypeKind::kDouble},     {"float", TypeKind::kFloat},
    {"int", TypeKind::kInt},           {"timestamp", TypeKind::kTimestamp},
    {"uuid", TypeKind::kUuid},         {"text", TypeKind::kText},
    {"varchar", TypeKind::kText},      {"varint", TypeKind::kVarint},
    {"timeuuid", TypeKind::kTimeuuid}, {"inet", TypeKind::kInet},
    {"date", TypeKind::kDate},         {"time", TypeKind::kTime},
    {"smallint", TypeKind::kSmallint}, {"tinyint", TypeKind::kTinyint},
    {"duration", TypeKind::kDuration}, {"blob", TypeKind::kBlob},
}};

class TypeParser {
 public:
  explicit TypeParser(std::string_view s) : s_(s) {}

  std::optional<DataType> ParseAll() {
    auto t = Parse();
    SkipSpace();
    if (!t || pos_ != s_.size()) return std::nullopt;
    return t;
  }

 private:
  void SkipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string Word() {
    SkipSpace();
    std::string w;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(s_[pos_++])));
    }
    return w;
  }

  std::optional<DataType> Parse() {
    std::string w = Word();
    if (w.empty()) return std::nullopt;
    if (w == "frozen") {
      if (!Eat('<')) return std::nullopt;
      auto inner = Parse();
      if (!inner || !Eat('>')) return std::nullopt;
      inner->frozen = true;
      return inner;
    }
    if (w == "list" || w == "set" || w == "map" || w == "tuple") {
      if (!Eat('<')) return std::nullopt;
      std::vector<DataType> params;
      do {
        auto p = Parse();
        if (!p) return std::nullopt;
        params.push_back(std::move(*p));
      } while (Eat(','));
      if (!Eat('>')) return std::nullopt;
      DataType t;
      t.params = std::move(params);
      if (w == "list" && t.params.size() == 1) {
        t.kind = TypeKind::kList;
      } else if (w == "set" && t.params.size() == 1) {
        t.kind = TypeKind::kSet;
      } else if (w == "map" && t.params.size() == 2) {
        t.kind = TypeKind::kMap;
      } else if (w == "tuple") {
        t.kind = TypeKind::kTuple;
        t.frozen = true;  // tuples are always frozen
      } else {
        return std::nullopt;
      }
      return t;
    }
    for (const auto& nk : kNamedKinds) {
      if (nk.name == w) return DataType::Of(nk.kind);
    }
    return std::nullopt;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

DataType DataType::List(DataType e, bool frozen) {
  return DataType{TypeKind::kList, frozen, {std::move(e)}, {}};
}
DataType DataType::Set(DataType e, bool frozen) {
  return DataType{TypeKind::kSet, frozen, {std::move(e)}, {}};
}
DataType DataType::Map(DataType k, DataType v, bool frozen) {
  return DataType{TypeKind::kMap, frozen, {std::move(k), std::move(v)}, {}};
}
DataType DataType::Tuple(std::vector<DataType> elems) {
  return DataType{TypeKind::kTuple, true, std::move(elems), {}};
}

bool DataType::IsCollection() const {
  return kind == TypeKind::kList || kind == TypeKind::kSet || kind == TypeKind::kMap;
}

std::string_view TypeKindName(TypeKind kind) {
  for (const auto& nk : kNamedKinds) {
    if (nk.kind == kind) return nk.name;
  }
  return {};
}

std::string DataType::ToCql() const {
  std::string out;
  switch (kind) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
    case TypeKind::kTuple: {
      out = kind == TypeKind::kList  ? "list<"
            : kind == TypeKind::kSet ? "set<"
            : kind == TypeKind::kMap ? "map<"
                                     : "tuple<";
      for (size_t i = 0; i < params.size(); ++i) {
        if (i) out += ", ";
        out += params[i].ToCql();
      }
      out += '>';
      // Tuples are always frozen and Cassandra 4 prints them so.
      if (frozen) out = "frozen<" + out + ">";
      return out;
    }
    case TypeKind::kCustom:
      return "'" + custom_class + "'";
    default:
      return std::string(TypeKindName(kind));
  }
}

std::optional<DataType> ParseDataType(std::string_view text) {
  return TypeParser(text).ParseAll();
}

}  // namespace helenus

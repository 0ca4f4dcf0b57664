#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace helenus {

// CQL type kinds; the numeric values are the protocol's [option] ids.
enum class TypeKind : uint16_t {
  kCustom = 0x0000,
  kAscii = 0x0001,
  kBigint = 0x0002,
  kBlob = 0x0003,
  kBoolean = 0x0004,
  kCounter = 0x0005,
  kDecimal = 0x0006,
  kDouble = 0x0007,
  kFloat = 0x0008,
  kInt = 0x0009,
  kTimestamp = 0x000B,
  kUuid = 0x000C,
  kText = 0x000D,  // varchar
  kVarint = 0x000E,
  kTimeuuid = 0x000F,
  kInet = 0x0010,
  kDate = 0x0011,
  kTime = 0x0012,
  kSmallint = 0x0013,
  kTinyint = 0x0014,
  kDuration = 0x0015,
  kList = 0x0020,
  kMap = 0x0021,
  kSet = 0x0022,
  kUdt = 0x0030,
  kTuple = 0x0031,
};

// A CQL data type: a kind, its element types (list/set: 1, map: 2, tuple: n)
// and whether a collection is frozen.
struct DataType {
  TypeKind kind = TypeKind::kBlob;
  bool frozen = false;
  std::vector<DataType> params;
  std::string custom_class;  // only for kCustom

  // Factories for the common shapes.
  static DataType Of(TypeKind k) { return DataType{k, false, {}, {}}; }
  static DataType List(DataType e, bool frozen = false);
  static DataType Set(DataType e, bool frozen = false);
  static DataType Map(DataType k, DataType v, bool frozen = false);
  static DataType Tuple(std::vector<DataType> elems);

  // True for list, set and map.
  bool IsCollection() const;
  // True for a non-frozen collection, stored as one cell per element.
  bool IsMultiCell() const { return IsCollection() && !frozen; }
  // The CQL spelling, e.g. "frozen<list<int>>", as system_schema shows it.
  std::string ToCql() const;

  bool operator==(const DataType& o) const = default;
};

// Parses a CQL type string ("int", "varchar", "frozen<map<text, int>>",
// "tuple<int, text>"); nullopt when the string names no type.
std::optional<DataType> ParseDataType(std::string_view text);

// The CQL name of a scalar kind ("int", "text", ...); "" for parameterized kinds.
std::string_view TypeKindName(TypeKind kind);

}  // namespace helenus

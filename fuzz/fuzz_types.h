#pragma once

// CQL types the value and key codec fuzzers pick from with one input byte.
#include <cstdint>
#include <vector>

#include "helenus/common/data_type.h"

namespace helenus::fuzz {

// Scalars, collections of them, nested and frozen shapes, tuples.
inline const std::vector<DataType>& FuzzTypes() {
  static const std::vector<DataType> types = [] {
    std::vector<DataType> t;
    for (auto k :
         {TypeKind::kAscii,   TypeKind::kBigint,    TypeKind::kBlob,    TypeKind::kBoolean,
          TypeKind::kCounter, TypeKind::kDecimal,   TypeKind::kDouble,  TypeKind::kFloat,
          TypeKind::kInt,     TypeKind::kTimestamp, TypeKind::kUuid,    TypeKind::kText,
          TypeKind::kVarint,  TypeKind::kTimeuuid,  TypeKind::kInet,    TypeKind::kDate,
          TypeKind::kTime,    TypeKind::kSmallint,  TypeKind::kTinyint, TypeKind::kDuration}) {
      t.push_back(DataType::Of(k));
    }
    auto of = DataType::Of;
    t.push_back(DataType::List(of(TypeKind::kInt)));
    t.push_back(DataType::Set(of(TypeKind::kInt)));
    t.push_back(DataType::Set(of(TypeKind::kText), true));
    t.push_back(DataType::Set(of(TypeKind::kDecimal), true));
    t.push_back(DataType::List(of(TypeKind::kVarint), true));
    t.push_back(DataType::Map(of(TypeKind::kText), of(TypeKind::kBigint)));
    t.push_back(DataType::Map(of(TypeKind::kUuid), of(TypeKind::kDouble), true));
    t.push_back(DataType::Tuple({of(TypeKind::kInt), of(TypeKind::kText)}));
    t.push_back(
        DataType::Tuple({of(TypeKind::kTimestamp), of(TypeKind::kDuration), of(TypeKind::kInet)}));
    t.push_back(DataType::List(DataType::Map(of(TypeKind::kInt), of(TypeKind::kText), true), true));
    t.push_back(DataType::Set(DataType::Tuple({of(TypeKind::kFloat), of(TypeKind::kDate)}), true));
    t.push_back(DataType::Map(DataType::Set(of(TypeKind::kTimeuuid), true),
                              DataType::List(of(TypeKind::kSmallint), true), true));
    return t;
  }();
  return types;
}

// The type a selector byte names.
inline const DataType& PickType(uint8_t selector) {
  const auto& types = FuzzTypes();
  return types[selector % types.size()];
}

}  // namespace helenus::fuzz

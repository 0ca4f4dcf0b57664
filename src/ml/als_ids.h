#pragma once

// The distinct user or item ids of an ALS model. Ids are whatever the
// column holds (integers, text, uuids, ...); the model works on their
// positions in sorted order and writes the original values back.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "helenus/exec/column.h"
#include "helenus/ml/context.h"
#include "helenus/ml/serialize.h"

namespace helenus::ml {

// Sorted distinct ids and a lookup from column values to their index.
class IdIndex {
 public:
  // Lookup's answer for an id the index does not hold (or NULL).
  static constexpr uint32_t kUnknown = std::numeric_limits<uint32_t>::max();

  IdIndex() = default;
  // The distinct ids of col, ascending; (*rows)[r] gets row r's index.
  // Invalid for NULL ids, fractional numbers, or more than 2^32 - 2 ids.
  static IdIndex Build(const Context& ctx, const exec::Column& col, std::string_view name,
                       std::vector<uint32_t>* rows);

  // Index of the id at row r of col (kUnknown when unknown or NULL).
  uint32_t Lookup(const exec::Column& col, size_t r) const;
  // Invalid when col's values cannot be ids of this index (text vs numbers).
  void CheckType(const exec::Column& col, std::string_view name) const;
  // Number of ids.
  size_t size() const { return values_.size(); }
  // The ids in index order, in their original type.
  const exec::Column& values() const { return values_; }

  void Save(Writer& out) const;
  static IdIndex Load(Reader& in);

 private:
  void BuildLookup();
  bool numeric() const { return values_.physical() != exec::Physical::kString; }

  exec::Column values_;
  std::unordered_map<int64_t, uint32_t> ints_;  // integer (or integral double) ids
  std::unordered_map<std::string, uint32_t> strings_;
};

}  // namespace helenus::ml

#include "ml/als_ids.h"

#include <algorithm>
#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"

namespace helenus::ml {
namespace {

// Doubles are ids when they are whole numbers a double holds exactly.
bool WholeNumber(double v) {
  return std::isfinite(v) && v == std::floor(v) && std::fabs(v) <= 9007199254740992.0;
}

template <typename T>
void SortUnique(std::vector<T>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

IdIndex IdIndex::Build(const Context& ctx, const exec::Column& col, std::string_view name,
                       std::vector<uint32_t>* rows) {
  const size_t n = col.size();
  for (size_t r = 0; r < n; ++r) {
    if (col.IsNull(r)) ThrowInvalid("Column {} has a NULL id at row {}", name, r);
  }
  IdIndex index;
  index.values_ = exec::Column::Make(col.type);
  switch (col.physical()) {
    case exec::Physical::kInt64: {
      std::vector<int64_t> ids = col.ints;
      SortUnique(&ids);
      index.values_.ints = std::move(ids);
      break;
    }
    case exec::Physical::kDouble: {
      std::vector<double> ids = col.doubles;
      for (size_t r = 0; r < n; ++r) {
        if (!WholeNumber(ids[r])) {
          ThrowInvalid("Column {} holds {} at row {}; ids must be whole numbers or text", name,
                       ids[r], r);
        }
      }
      SortUnique(&ids);
      index.values_.doubles = std::move(ids);
      break;
    }
    case exec::Physical::kString: {
      std::vector<std::string> ids = col.strings;
      SortUnique(&ids);
      index.values_.strings = std::move(ids);
      break;
    }
  }
  if (index.size() >= kUnknown) ThrowInvalid("Column {} has too many distinct ids", name);
  index.BuildLookup();
  rows->assign(n, 0);
  ForRows(ctx, n, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) (*rows)[r] = index.Lookup(col, r);
  });
  return index;
}

void IdIndex::BuildLookup() {
  ints_.clear();
  strings_.clear();
  const size_t n = size();
  switch (values_.physical()) {
    case exec::Physical::kInt64:
      ints_.reserve(n);
      for (size_t i = 0; i < n; ++i) ints_.emplace(values_.ints[i], static_cast<uint32_t>(i));
      break;
    case exec::Physical::kDouble:
      ints_.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        ints_.emplace(static_cast<int64_t>(values_.doubles[i]), static_cast<uint32_t>(i));
      }
      break;
    case exec::Physical::kString:
      strings_.reserve(n);
      for (size_t i = 0; i < n; ++i) strings_.emplace(values_.strings[i], static_cast<uint32_t>(i));
      break;
  }
}

uint32_t IdIndex::Lookup(const exec::Column& col, size_t r) const {
  if (col.IsNull(r)) return kUnknown;
  switch (col.physical()) {
    case exec::Physical::kInt64: {
      auto it = ints_.find(col.ints[r]);
      return it == ints_.end() ? kUnknown : it->second;
    }
    case exec::Physical::kDouble: {
      const double v = col.doubles[r];
      if (!WholeNumber(v)) return kUnknown;
      auto it = ints_.find(static_cast<int64_t>(v));
      return it == ints_.end() ? kUnknown : it->second;
    }
    case exec::Physical::kString: {
      auto it = strings_.find(col.strings[r]);
      return it == strings_.end() ? kUnknown : it->second;
    }
  }
  return kUnknown;
}

void IdIndex::CheckType(const exec::Column& col, std::string_view name) const {
  const bool col_numeric = col.physical() != exec::Physical::kString;
  if (col_numeric != numeric() || (!numeric() && !(col.type == values_.type))) {
    ThrowInvalid("Column {} has type {}; the model's ids are {}", name, col.type.ToCql(),
                 values_.type.ToCql());
  }
}

void IdIndex::Save(Writer& out) const {
  out.Str(values_.type.ToCql());
  out.I64s(values_.ints);
  out.F64s(values_.doubles);
  out.Strs(values_.strings);
}

IdIndex IdIndex::Load(Reader& in) {
  IdIndex index;
  auto type = ParseDataType(in.Str());
  if (!type) ThrowInvalid("Corrupt model: ALS id type");
  index.values_ = exec::Column::Make(*type);
  index.values_.ints = in.I64s();
  index.values_.doubles = in.F64s();
  index.values_.strings = in.Strs();
  const size_t n =
      index.values_.ints.size() + index.values_.doubles.size() + index.values_.strings.size();
  if (n != index.values_.size() || n >= kUnknown) ThrowInvalid("Corrupt model: ALS ids");
  index.BuildLookup();
  return index;
}

}  // namespace helenus::ml

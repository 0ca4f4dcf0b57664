#pragma once

// Internal: per-group states of the aggregate functions of a hash
// aggregation. A state holds one slot per dense group id and is updated a
// batch at a time (one virtual call per batch, typed loops inside), merged
// between tables by group id mappings, and serialized per group for spilling.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "helenus/common/data_type.h"
#include "helenus/exec/column.h"

namespace helenus::exec::ops {

// The aggregate functions.
enum class AggKind {
  kCountStar,
  kCount,
  kSum,
  kAvg,
  kMin,
  kMax,
  kVarSamp,
  kVarPop,
  kStddevSamp,
  kStddevPop,
  kCollectList,
  kCollectSet,
};

// Partial results of one aggregate for groups 0..n-1.
class AggState {
 public:
  virtual ~AggState() = default;
  // Makes room for groups [0, n); new groups start empty.
  virtual void Resize(size_t n) = 0;
  // Adds row i of arg to group gids[i] for i < n (arg is null for count(*)).
  virtual void Update(const Column* arg, const uint32_t* gids, size_t n) = 0;
  // Merges other's groups src[i] into groups dst[i] (other: same function).
  virtual void Merge(const AggState& other, const uint32_t* src, const uint32_t* dst, size_t n) = 0;
  // Appends the results of groups [begin, end) to out (of the result type).
  virtual void Finish(size_t begin, size_t end, Column* out) const = 0;
  // Appends the state of group g (for spilling).
  virtual void Serialize(uint32_t g, std::string* out) const = 0;
  // Merges a state written by Serialize into group g; advances *in.
  virtual void Deserialize(std::string_view* in, uint32_t g) = 0;
  // Approximate bytes held.
  virtual size_t MemoryBytes() const = 0;
};

// One resolved aggregate: what it computes and its types.
struct AggFunction {
  AggKind kind = AggKind::kCountStar;
  bool distinct = false;
  DataType arg_type;  // unused for count(*)
  DataType result_type;

  // A new, empty state (no groups).
  std::unique_ptr<AggState> NewState() const;
};

// Resolves function (lower case; aliases stddev_samp, std, variance,
// var_samp, mean) over an argument of type *arg (null: count(*)); throws
// CqlError(Invalid) for unknown functions and unsupported argument types.
AggFunction ResolveAggregate(std::string_view function, const DataType* arg, bool distinct);

}  // namespace helenus::exec::ops

#pragma once

// Where ML work runs and how it reports progress.

#include <cstdint>

#include "helenus/exec/dist/collective.h"
#include "helenus/exec/operator.h"
#include "helenus/exec/pool.h"

namespace helenus::ml {

// The pool, the collective and the progress counters of one training or
// prediction job.
struct Context {
  exec::ComputePool* pool = &exec::ComputePool::Default();
  exec::dist::Collective* collective = &exec::dist::Local();
  // Optional. While training, splits_done / splits_total count the
  // estimator's work units (iterations, trees, passes).
  exec::Progress* progress = nullptr;

  // Reports `done` of `total` work units done.
  void Step(uint64_t done, uint64_t total) const;
  // Throws Invalid("Job cancelled") when the job was cancelled.
  void CheckCancelled() const;
};

}  // namespace helenus::ml

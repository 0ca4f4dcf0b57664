#include "helenus/ml/context.h"

#include "helenus/common/error.h"

namespace helenus::ml {

void Context::Step(uint64_t done, uint64_t total) const {
  if (progress == nullptr) return;
  progress->splits_total.store(total, std::memory_order_relaxed);
  progress->splits_done.store(done, std::memory_order_relaxed);
}

void Context::CheckCancelled() const {
  if (progress != nullptr && progress->cancelled.load(std::memory_order_relaxed)) {
    ThrowInvalid("Job cancelled");
  }
}

}  // namespace helenus::ml

#include "helenus/exec/pool.h"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

namespace helenus::exec {

struct ComputePool::Impl {
  explicit Impl(size_t n) : threads(n), arena(static_cast<int>(n)) {}
  size_t threads;
  tbb::task_arena arena;
};

ComputePool::ComputePool(size_t threads) {
  if (threads == 0) threads = std::max<size_t>(1, std::thread::hardware_concurrency());
  impl_ = std::make_unique<Impl>(threads);
}

ComputePool::~ComputePool() = default;

ComputePool& ComputePool::Default() {
  static ComputePool pool([] {
    const char* env = std::getenv("HELENUS_THREADS");
    return env ? static_cast<size_t>(std::strtoul(env, nullptr, 10)) : size_t{0};
  }());
  return pool;
}

size_t ComputePool::threads() const {
  return impl_->threads;
}

void ComputePool::ParallelFor(size_t n, const std::function<void(size_t)>& fn) {
  if (n == 0) return;
  if (n == 1 || impl_->threads == 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  // TBB propagates the first exception of a parallel_for to its caller; a
  // grain of one task per index keeps uneven splits balanced.
  impl_->arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1),
                      [&](const tbb::blocked_range<size_t>& r) {
                        for (size_t i = r.begin(); i != r.end(); ++i) fn(i);
                      });
  });
}

}  // namespace helenus::exec

#pragma once

// The shared compute pool: every parallel piece of work (scans, operators,
// training) runs here, so the process never oversubscribes its cores.

#include <cstddef>
#include <functional>
#include <memory>

namespace helenus::exec {

// A fixed set of worker threads (TBB task arena) shared by all statements.
class ComputePool {
 public:
  // A pool of `threads` workers (0 = one per core).
  explicit ComputePool(size_t threads = 0);
  ~ComputePool();
  ComputePool(const ComputePool&) = delete;
  ComputePool& operator=(const ComputePool&) = delete;

  // The process-wide pool, sized by HELENUS_THREADS or the core count.
  static ComputePool& Default();

  // Number of worker threads.
  size_t threads() const;

  // Runs fn(i) for i in [0, n) in parallel and returns when all are done.
  // Safe to call from inside fn (nested loops share the same workers). The
  // first exception thrown by fn is rethrown here.
  void ParallelFor(size_t n, const std::function<void(size_t)>& fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace helenus::exec

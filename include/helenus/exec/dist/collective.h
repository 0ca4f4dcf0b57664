#pragma once

// How the processes that run one job together combine partial results.
//
// Every estimator computes per-split sufficient statistics (counts,
// gradients, histograms, centroid sums) on its own rows and combines them
// through a Collective, so the same code trains on one core, many cores or
// many MPI ranks. In one process the collective is LocalCollective, whose
// reductions are no-ops.

#include <cstdint>
#include <span>
#include <vector>

namespace helenus::exec::dist {

// The group of processes that work on one job (MPI's communicator).
class Collective {
 public:
  virtual ~Collective() = default;
  // This process's index in [0, size()).
  virtual int rank() const = 0;
  // Number of processes in the group.
  virtual int size() const = 0;
  // Replaces data, on every rank, with the element-wise sum over all ranks
  // (every rank passes the same length).
  virtual void AllReduceSum(std::span<double> data) = 0;
  virtual void AllReduceSum(std::span<int64_t> data) = 0;
  // Replaces data, on every rank, with the element-wise maximum over all ranks.
  virtual void AllReduceMax(std::span<double> data) = 0;
  // Replaces *bytes on every rank with root's.
  virtual void Broadcast(std::vector<uint8_t>* bytes, int root) = 0;
  // Every rank's bytes, in rank order, on every rank.
  virtual std::vector<std::vector<uint8_t>> AllGather(const std::vector<uint8_t>& bytes) = 0;
};

// The collective of a single process: rank 0 of 1.
class LocalCollective final : public Collective {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void AllReduceSum(std::span<double>) override {}
  void AllReduceSum(std::span<int64_t>) override {}
  void AllReduceMax(std::span<double>) override {}
  void Broadcast(std::vector<uint8_t>*, int) override {}
  std::vector<std::vector<uint8_t>> AllGather(const std::vector<uint8_t>& bytes) override {
    return {bytes};
  }
};

// The process-wide single-process collective.
Collective& Local();

}  // namespace helenus::exec::dist

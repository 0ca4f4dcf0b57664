#pragma once

// The statements and jobs running right now, with their progress: what
// system_views.queries shows and what progress bars poll.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "helenus/exec/operator.h"

namespace helenus::exec {

// A snapshot of one running job.
struct JobInfo {
  uint64_t id = 0;
  std::string kind;  // "select", "insert", "create model", ...
  std::string statement;
  int64_t started_at_ms = 0;  // since the Unix epoch
  int64_t elapsed_ms = 0;
  uint64_t rows_scanned = 0;
  uint64_t splits_done = 0;
  uint64_t splits_total = 0;
  uint64_t bytes_spilled = 0;
};

// The process-wide list of running jobs.
class JobRegistry {
 public:
  // A registration that lasts as long as the job; owns its Progress.
  class Job {
   public:
    ~Job();
    Job(const Job&) = delete;
    Job& operator=(const Job&) = delete;
    // The counters operators update.
    Progress* progress() { return &progress_; }
    uint64_t id() const { return id_; }

   private:
    friend class JobRegistry;
    Job(JobRegistry* registry, uint64_t id) : registry_(registry), id_(id) {}
    JobRegistry* registry_;
    uint64_t id_;
    Progress progress_;
  };

  // The registry of this process.
  static JobRegistry& Default();

  // Registers a job until the returned handle is destroyed.
  std::unique_ptr<Job> Start(std::string kind, std::string statement);
  // The jobs running now, oldest first.
  std::vector<JobInfo> List() const;
  // Asks job id to stop (operators check Progress::cancelled); false if unknown.
  bool Cancel(uint64_t id);

 private:
  struct Entry {
    JobInfo info;
    std::chrono::steady_clock::time_point started;
    Job* job;
  };
  void Finish(uint64_t id);

  mutable std::mutex mu_;
  uint64_t next_id_ = 1;
  std::vector<Entry> entries_;
};

}  // namespace helenus::exec

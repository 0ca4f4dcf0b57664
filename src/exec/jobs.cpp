#include "helenus/exec/jobs.h"

#include <algorithm>

namespace helenus::exec {

JobRegistry::Job::~Job() {
  registry_->Finish(id_);
}

JobRegistry& JobRegistry::Default() {
  static JobRegistry registry;
  return registry;
}

std::unique_ptr<JobRegistry::Job> JobRegistry::Start(std::string kind, std::string statement) {
  std::lock_guard lock(mu_);
  uint64_t id = next_id_++;
  std::unique_ptr<Job> job(new Job(this, id));
  Entry e;
  e.info.id = id;
  e.info.kind = std::move(kind);
  e.info.statement = std::move(statement);
  e.info.started_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  e.started = std::chrono::steady_clock::now();
  e.job = job.get();
  entries_.push_back(std::move(e));
  return job;
}

std::vector<JobInfo> JobRegistry::List() const {
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  std::vector<JobInfo> out;
  for (const auto& e : entries_) {
    JobInfo info = e.info;
    info.elapsed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - e.started).count();
    const Progress& p = e.job->progress_;
    info.rows_scanned = p.rows_scanned.load(std::memory_order_relaxed);
    info.splits_done = p.splits_done.load(std::memory_order_relaxed);
    info.splits_total = p.splits_total.load(std::memory_order_relaxed);
    info.bytes_spilled = p.bytes_spilled.load(std::memory_order_relaxed);
    out.push_back(std::move(info));
  }
  return out;
}

bool JobRegistry::Cancel(uint64_t id) {
  std::lock_guard lock(mu_);
  for (auto& e : entries_) {
    if (e.info.id == id) {
      e.job->progress_.cancelled = true;
      return true;
    }
  }
  return false;
}

void JobRegistry::Finish(uint64_t id) {
  std::lock_guard lock(mu_);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const Entry& e) { return e.info.id == id; }),
                 entries_.end());
}

}  // namespace helenus::exec

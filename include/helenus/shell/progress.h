#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace helenus::shell {

// Reports a long operation on stderr from its own thread: a redrawn bar with
// rows/s when stderr is a terminal, otherwise one line every few seconds.
class Progress {
 public:
  // label names the work ("Loading ratings.csv"); total_bytes (0 = unknown) scales the bar.
  Progress(std::string label, uint64_t total_bytes, bool enabled = true);
  // Stops the reporter thread and ends the bar's line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Updates the counters shown.
  void Update(uint64_t rows, uint64_t bytes, uint64_t errors) {
    rows_ = rows;
    bytes_ = bytes;
    errors_ = errors;
  }
  // Stops reporting (idempotent); the final figures are the caller's to print.
  void Stop();

 private:
  void Run();
  void Draw(bool final);
  std::string label_;
  uint64_t total_bytes_;
  bool tty_;
  std::atomic<uint64_t> rows_{0}, bytes_{0}, errors_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// A duration in seconds as "1.23 s" / "2m 03s".
std::string FormatSeconds(double seconds);
// A count with thousands separators ("100,000").
std::string FormatCount(uint64_t n);

}  // namespace helenus::shell

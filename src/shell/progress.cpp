// Progress reporting for loads and COPY on stderr.
#include "helenus/shell/progress.h"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace helenus::shell {

Progress::Progress(std::string label, uint64_t total_bytes, bool enabled)
    : label_(std::move(label)),
      total_bytes_(total_bytes),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {
  if (enabled) thread_ = std::thread([this] { Run(); });
}

Progress::~Progress() {
  Stop();
}

void Progress::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    Draw(true);
  }
}

void Progress::Run() {
  // A terminal gets a smooth bar; a log file gets a line every 5 s, not a flood.
  auto period = tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000);
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, period, [this] { return stop_; })) Draw(false);
}

void Progress::Draw(bool final) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  uint64_t rows = rows_, bytes = bytes_, errors = errors_;
  double rate = secs > 0 ? static_cast<double>(rows) / secs : 0;
  std::string line;
  if (total_bytes_ > 0) {
    double frac = std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_bytes_));
    constexpr int kWidth = 30;
    int filled = static_cast<int>(frac * kWidth);
    line = fmt::format("{} [{}{}] {:3.0f}% ", label_, std::string(filled, '#'),
                       std::string(kWidth - filled, '.'), frac * 100);
  } else {
    line = label_ + " ";
  }
  line += fmt::format("{} rows, {:.0f} rows/s, {} errors, {}", FormatCount(rows), rate, errors,
                      FormatSeconds(secs));
  if (tty_) {
    std::fprintf(stderr, "\r%s\x1b[K%s", line.c_str(), final ? "\n" : "");
  } else if (!final) {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

std::string FormatSeconds(double s) {
  if (s < 60) return fmt::format("{:.2f} s", s);
  auto total = static_cast<int64_t>(s);
  return fmt::format("{}m {:02}s", total / 60, total % 60);
}

std::string FormatCount(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace helenus::shell

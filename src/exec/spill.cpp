#include "spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "helenus/common/error.h"

namespace helenus::exec::ops {

namespace {

// Buffered bytes per partition before a writer appends them as a block.
constexpr size_t kWriterFlushBytes = 32 * 1024;

[[noreturn]] void ThrowIo(const std::string& what) {
  throw CqlError(ErrorCode::kServer, what + ": " + std::strerror(errno));
}

}  // namespace

SpillSet::SpillSet(size_t n, const ExecContext& ctx)
    : progress_(ctx.progress), blocks_(n), bytes_(n, 0) {
  const std::string& dir = ctx.spill_dir;
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  std::string path = (dir.empty() ? std::string(".") : dir) + "/helenus-spill-XXXXXX";
  fd_ = ::mkstemp(path.data());
  if (fd_ < 0) ThrowIo("Cannot create spill file in " + dir);
  // Unlinking at once leaves nothing behind however the statement ends.
  ::unlink(path.c_str());
}

SpillSet::~SpillSet() {
  if (fd_ >= 0) ::close(fd_);
}

void SpillSet::Append(size_t p, std::string_view block) {
  if (block.empty()) return;
  std::lock_guard lock(mu_);
  uint64_t offset = end_;
  const char* data = block.data();
  size_t left = block.size();
  while (left > 0) {
    ssize_t n = ::pwrite(fd_, data, left, static_cast<off_t>(end_));
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowIo("Cannot write spill file");
    }
    data += n;
    left -= static_cast<size_t>(n);
    end_ += static_cast<uint64_t>(n);
  }
  blocks_[p].push_back(Block{offset, block.size()});
  bytes_[p] += block.size();
  if (progress_ != nullptr) progress_->bytes_spilled.fetch_add(block.size());
}

uint64_t SpillSet::bytes(size_t p) const {
  std::lock_guard lock(mu_);
  return bytes_[p];
}

void SpillSet::Release(size_t p) {
  std::lock_guard lock(mu_);
  for (const Block& b : blocks_[p]) {
    // Best effort: file systems without hole punching keep the space until close.
    (void)::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(b.offset),
                      static_cast<off_t>(b.size));
  }
  blocks_[p].clear();
  blocks_[p].shrink_to_fit();
  bytes_[p] = 0;
}

SpillReader::SpillReader(const SpillSet& set, size_t p) : set_(set) {
  std::lock_guard lock(set.mu_);
  blocks_ = set.blocks_[p];
}

bool SpillReader::Next(std::string_view* record) {
  while (pos_ >= buffer_.size()) {
    if (next_block_ == blocks_.size()) return false;
    // Blocks hold whole records, so each is read and parsed on its own.
    const SpillSet::Block& b = blocks_[next_block_++];
    buffer_.resize(b.size);
    pos_ = 0;
    size_t done = 0;
    while (done < b.size) {
      ssize_t n = ::pread(set_.fd_, buffer_.data() + done, b.size - done,
                          static_cast<off_t>(b.offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) ThrowIo("Cannot read spill file");
      done += static_cast<size_t>(n);
    }
  }
  uint32_t len;
  if (buffer_.size() - pos_ < sizeof len) throw CqlError(ErrorCode::kServer, "Corrupt spill file");
  std::memcpy(&len, buffer_.data() + pos_, sizeof len);
  if (buffer_.size() - pos_ - sizeof len < len) {
    throw CqlError(ErrorCode::kServer, "Corrupt spill file");
  }
  *record = std::string_view(buffer_.data() + pos_ + sizeof len, len);
  pos_ += sizeof len + len;
  return true;
}

SpillWriter::SpillWriter(SpillSet* set) : set_(set), buffers_(set->size()) {}

std::string& SpillWriter::Begin(size_t p) {
  std::string& b = buffers_[p];
  current_ = p;
  start_ = b.size();
  b.append(sizeof(uint32_t), '\0');
  return b;
}

void SpillWriter::End() {
  std::string& b = buffers_[current_];
  auto len = static_cast<uint32_t>(b.size() - start_ - sizeof(uint32_t));
  std::memcpy(b.data() + start_, &len, sizeof len);
  if (b.size() >= kWriterFlushBytes) {
    set_->Append(current_, b);
    b.clear();
  }
}

void SpillWriter::Flush() {
  for (size_t p = 0; p < buffers_.size(); ++p) {
    if (buffers_[p].empty()) continue;
    set_->Append(p, buffers_[p]);
    buffers_[p].clear();
  }
}

}  // namespace helenus::exec::ops

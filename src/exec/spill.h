#pragma once

// Internal: temporary storage that blocking operators spill hash partitions
// of rows or partial states to when they exceed ExecContext::memory_limit.
//
// A SpillSet is one anonymous file under ctx.spill_dir holding n partitions:
// writers append blocks of whole records of one partition, and the set
// remembers each partition's blocks, so a partitioning costs one file
// descriptor however many partitions it has. The file is unlinked as soon as
// it is created, so it disappears when the set is destroyed, even if an
// exception unwinds the operator or the process dies.
//
// Records are framed as [u32 length][payload].

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/exec/operator.h"

namespace helenus::exec::ops {

// n partitions of spilled records in one temporary file.
class SpillSet {
 public:
  // Creates the file under ctx.spill_dir (created when missing); spilled
  // bytes are counted in ctx.progress. Throws CqlError on I/O errors.
  SpillSet(size_t n, const ExecContext& ctx);
  // Closes the file, which frees its space.
  ~SpillSet();
  SpillSet(const SpillSet&) = delete;
  SpillSet& operator=(const SpillSet&) = delete;

  // Number of partitions.
  size_t size() const { return blocks_.size(); }
  // Appends a block of whole framed records to partition p; thread-safe.
  void Append(size_t p, std::string_view block);
  // Bytes appended to partition p.
  uint64_t bytes(size_t p) const;
  // Drops partition p (its disk space is returned where the file system can).
  void Release(size_t p);

 private:
  friend class SpillReader;
  struct Block {
    uint64_t offset;
    uint64_t size;
  };

  int fd_ = -1;
  Progress* progress_;
  mutable std::mutex mu_;
  uint64_t end_ = 0;
  std::vector<std::vector<Block>> blocks_;
  std::vector<uint64_t> bytes_;
};

// Reads the records of one partition of a SpillSet in order (after its writes).
class SpillReader {
 public:
  // A reader of partition p of set, which must outlive it.
  SpillReader(const SpillSet& set, size_t p);
  // The next record's payload, valid until the next call; false at the end.
  bool Next(std::string_view* record);

 private:
  const SpillSet& set_;
  std::vector<SpillSet::Block> blocks_;
  size_t next_block_ = 0;
  std::string buffer_;
  size_t pos_ = 0;
};

// Buffers one thread's records per partition and appends them in blocks.
class SpillWriter {
 public:
  // A writer into set, which must outlive it.
  explicit SpillWriter(SpillSet* set);

  // Starts a record of partition p; append its payload to the returned buffer.
  std::string& Begin(size_t p);
  // Ends the record Begin started (and writes the buffer out when large).
  void End();
  // Writes out everything buffered.
  void Flush();

 private:
  SpillSet* set_;
  std::vector<std::string> buffers_;
  size_t current_ = 0;
  size_t start_ = 0;
};

}  // namespace helenus::exec::ops

#pragma once

// Results of analytic queries waiting to be paged out. An analytic query runs
// once; later pages come from here, addressed by the paging state the driver
// sends back (CQL paging re-sends the same statement with that state).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "helenus/cql/messages.h"

namespace helenus::sql {

// Finished result sets, paged out to drivers; bounded in count and age.
class ResultCache {
 public:
  // True when state is one of our paging states.
  static bool Owns(const std::string& paging_state);

  // The first page of rows (page_size <= 0: everything); keeps the rest.
  cql::RowsResult FirstPage(cql::RowsResult all, int32_t page_size);
  // The page after paging_state; Invalid when it expired or is unknown.
  cql::RowsResult NextPage(const std::string& paging_state, int32_t page_size);

 private:
  struct Entry {
    std::string id;
    cql::RowsResult rows;
    std::chrono::steady_clock::time_point last_used;
  };
  cql::RowsResult Page(Entry& entry, uint64_t offset, int32_t page_size, bool* done);
  void Evict();

  std::mutex mu_;
  std::vector<Entry> entries_;
  uint64_t next_id_ = 1;
};

}  // namespace helenus::sql

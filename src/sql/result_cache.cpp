#include "result_cache.h"

#include <algorithm>
#include <random>

#include "helenus/common/error.h"

namespace helenus::sql {
namespace {

constexpr std::string_view kMagic = "HSQL";
constexpr size_t kMaxEntries = 64;
constexpr auto kMaxIdle = std::chrono::minutes(10);

std::string EncodeState(const std::string& id, uint64_t offset) {
  std::string s(kMagic);
  s += id;
  for (int i = 7; i >= 0; --i) s.push_back(static_cast<char>(offset >> (8 * i)));
  return s;
}

}  // namespace

bool ResultCache::Owns(const std::string& paging_state) {
  return paging_state.size() == kMagic.size() + 16 + 8 && paging_state.starts_with(kMagic);
}

cql::RowsResult ResultCache::Page(Entry& entry, uint64_t offset, int32_t page_size, bool* done) {
  cql::RowsResult page;
  page.metadata = entry.rows.metadata;
  page.metadata.paging_state.reset();
  uint64_t total = entry.rows.rows.size();
  uint64_t end = page_size > 0 ? std::min<uint64_t>(total, offset + page_size) : total;
  for (uint64_t i = offset; i < end; ++i) page.rows.push_back(std::move(entry.rows.rows[i]));
  *done = end >= total;
  if (!*done) page.metadata.paging_state = EncodeState(entry.id, end);
  entry.last_used = std::chrono::steady_clock::now();
  return page;
}

cql::RowsResult ResultCache::FirstPage(cql::RowsResult all, int32_t page_size) {
  if (page_size <= 0 || all.rows.size() <= static_cast<size_t>(page_size)) return all;
  std::lock_guard lock(mu_);
  Evict();
  // Ids are unguessable so that one client cannot page through another's result.
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id(16, '\0');
  for (auto& c : id) c = static_cast<char>(rng());
  entries_.push_back(Entry{id, std::move(all), std::chrono::steady_clock::now()});
  bool done = false;
  auto page = Page(entries_.back(), 0, page_size, &done);
  if (done) entries_.pop_back();
  return page;
}

cql::RowsResult ResultCache::NextPage(const std::string& paging_state, int32_t page_size) {
  std::string id = paging_state.substr(kMagic.size(), 16);
  uint64_t offset = 0;
  for (size_t i = kMagic.size() + 16; i < paging_state.size(); ++i) {
    offset = (offset << 8) | static_cast<uint8_t>(paging_state[i]);
  }
  std::lock_guard lock(mu_);
  Evict();
  auto it =
      std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id; });
  if (it == entries_.end() || offset > it->rows.rows.size()) {
    ThrowInvalid("The paging state of this analytic query has expired; run the query again");
  }
  bool done = false;
  auto page = Page(*it, offset, page_size, &done);
  if (done) entries_.erase(it);
  return page;
}

void ResultCache::Evict() {
  auto now = std::chrono::steady_clock::now();
  std::erase_if(entries_, [&](const Entry& e) { return now - e.last_used > kMaxIdle; });
  while (entries_.size() >= kMaxEntries) entries_.erase(entries_.begin());
}

}  // namespace helenus::sql

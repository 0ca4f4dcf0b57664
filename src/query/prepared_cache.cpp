#include "prepared_cache.h"

namespace helenus::query {
namespace {

// FNV-1a over two seeds gives a 16-byte id; collisions only matter within
// one server's cache, and a colliding entry would fail its metadata check.
uint64_t Fnv1a(std::string_view a, std::string_view b, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : a) h = (h ^ c) * 1099511628211ULL;
  h = (h ^ 0xFF) * 1099511628211ULL;
  for (unsigned char c : b) h = (h ^ c) * 1099511628211ULL;
  return h;
}

}  // namespace

std::string PreparedCache::IdFor(std::string_view keyspace, std::string_view query) {
  std::string id(16, '\0');
  uint64_t h1 = Fnv1a(keyspace, query, 0);
  uint64_t h2 = Fnv1a(keyspace, query, 0x9E3779B97F4A7C15ULL);
  for (int i = 0; i < 8; ++i) {
    id[i] = static_cast<char>(h1 >> (56 - 8 * i));
    id[8 + i] = static_cast<char>(h2 >> (56 - 8 * i));
  }
  return id;
}

void PreparedCache::Put(const std::string& id, std::shared_ptr<const PreparedStatement> stmt) {
  std::lock_guard lock(mu_);
  by_id_[id] = std::move(stmt);
}

std::shared_ptr<const PreparedStatement> PreparedCache::Get(std::string_view id) const {
  std::lock_guard lock(mu_);
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : it->second;
}

void PreparedCache::Clear() {
  std::lock_guard lock(mu_);
  by_id_.clear();
}

}  // namespace helenus::query

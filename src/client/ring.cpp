#include "ring.h"

#include <algorithm>

namespace helenus::client {

void TokenRing::Add(size_t host, const std::vector<int64_t>& tokens) {
  for (int64_t t : tokens) ring_.emplace_back(t, host);
}

void TokenRing::Build() {
  std::sort(ring_.begin(), ring_.end());
}

int TokenRing::Owner(int64_t token) const {
  if (ring_.empty()) return -1;
  auto it = std::lower_bound(ring_.begin(), ring_.end(), token,
                             [](const auto& e, int64_t t) { return e.first < t; });
  if (it == ring_.end()) it = ring_.begin();
  return static_cast<int>(it->second);
}

}  // namespace helenus::client

#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace helenus::client {

// The Murmur3 token ring: every host's tokens (vnodes), sorted. A token t
// belongs to the host of the first ring token >= t (ranges are (prev, tok]),
// wrapping around past the largest.
class TokenRing {
 public:
  // Adds the tokens of a host (hosts are indexes into the caller's list).
  void Add(size_t host, const std::vector<int64_t>& tokens);
  // Sorts the ring; call after the last Add.
  void Build();
  // The host owning token; -1 when the ring is empty.
  int Owner(int64_t token) const;
  // Number of tokens on the ring.
  size_t size() const { return ring_.size(); }

 private:
  std::vector<std::pair<int64_t, size_t>> ring_;
};

}  // namespace helenus::client

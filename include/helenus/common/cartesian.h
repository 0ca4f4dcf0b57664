#pragma once

#include <utility>
#include <vector>

namespace helenus {

// Every combination of one value per position (IN lists on several key
// columns become the keys they select), in input order.
template <typename T>
std::vector<std::vector<T>> Cartesian(const std::vector<std::vector<T>>& choices) {
  std::vector<std::vector<T>> out{{}};
  for (const auto& options : choices) {
    std::vector<std::vector<T>> next;
    next.reserve(out.size() * options.size());
    for (const auto& prefix : out) {
      for (const auto& v : options) {
        next.push_back(prefix);
        next.back().push_back(v);
      }
    }
    out = std::move(next);
  }
  return out;
}

}  // namespace helenus

#pragma once

// Frequent itemset mining by FP-growth (Han, Pei, Yin 2000) over
// transactions of small integer item ids. The conditional trees of the
// frequent items are mined in parallel, each into its own list, and the
// lists are joined in item order, so the result does not depend on threads.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "helenus/ml/context.h"

namespace helenus::ml {

// Sets of item ids in CSR form: set i is items[offsets[i] .. offsets[i+1]).
struct ItemSets {
  std::vector<uint32_t> items;
  std::vector<uint64_t> offsets = {0};
  std::vector<int64_t> counts;  // per set: transactions holding it (mined sets only)

  // Number of sets.
  size_t size() const { return offsets.size() - 1; }
  // Appends a set.
  void Append(const uint32_t* begin, size_t n, int64_t count);
};

// Every itemset contained in at least min_count transactions (min_count >=
// 1), its ids ascending. Item ids are below num_items; a transaction holds
// each id at most once. Invalid when more than max_sets itemsets are frequent.
ItemSets MineFrequentItemsets(const Context& ctx, const ItemSets& transactions, size_t num_items,
                              int64_t min_count, size_t max_sets);

}  // namespace helenus::ml

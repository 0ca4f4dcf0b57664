#include "ml/fp_growth_mining.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "helenus/common/error.h"

namespace helenus::ml {

void ItemSets::Append(const uint32_t* begin, size_t n, int64_t count) {
  items.insert(items.end(), begin, begin + n);
  offsets.push_back(items.size());
  counts.push_back(count);
}

namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

// An FP-tree: transactions whose items (in rank order) share a prefix share
// its nodes; each node counts the transactions through it.
class FpTree {
 public:
  explicit FpTree(size_t items) : nodes_of_(items) {
    item_.push_back(kNone);
    parent_.push_back(0);
    count_.push_back(0);
  }

  // Adds a path of items, ascending, seen `count` times.
  void Insert(const uint32_t* path, size_t n, int64_t count) {
    uint32_t node = 0;
    for (size_t i = 0; i < n; ++i) {
      const uint64_t key = (static_cast<uint64_t>(node) << 32) | path[i];
      auto [it, inserted] = children_.try_emplace(key, static_cast<uint32_t>(item_.size()));
      if (inserted) {
        item_.push_back(path[i]);
        parent_.push_back(node);
        count_.push_back(0);
        nodes_of_[path[i]].push_back(it->second);
      }
      node = it->second;
      count_[node] += count;
    }
  }

  // The conditional pattern base of item: the path above each of its nodes,
  // counted as often as the node, with items mapped through `names`.
  ItemSets PrefixPaths(uint32_t item, const std::vector<uint32_t>& names) const {
    ItemSets base;
    std::vector<uint32_t> path;
    for (uint32_t node : nodes_of_[item]) {
      path.clear();
      for (uint32_t p = parent_[node]; p != 0; p = parent_[p]) path.push_back(names[item_[p]]);
      if (path.empty()) continue;
      std::reverse(path.begin(), path.end());
      base.Append(path.data(), path.size(), count_[node]);
    }
    return base;
  }

 private:
  std::vector<uint32_t> item_;
  std::vector<uint32_t> parent_;
  std::vector<int64_t> count_;
  std::unordered_map<uint64_t, uint32_t> children_;  // (parent << 32 | item) -> node
  std::vector<std::vector<uint32_t>> nodes_of_;
};

// Mines the conditional trees below one frequent item. Items are global
// ranks (0 = most frequent); count_ and local_ are scratch indexed by rank,
// left zero / kNone between uses so recursion can share them.
class Miner {
 public:
  Miner(size_t ranks, int64_t min_count, std::atomic<size_t>* emitted, size_t max_sets)
      : count_(ranks, 0),
        local_(ranks, kNone),
        min_count_(min_count),
        emitted_(emitted),
        max_sets_(max_sets) {}

  void Emit(const std::vector<uint32_t>& set, int64_t count) {
    if (emitted_->fetch_add(1, std::memory_order_relaxed) >= max_sets_) {
      ThrowInvalid("More than {} frequent itemsets: raise min_support", max_sets_);
    }
    out.Append(set.data(), set.size(), count);
  }

  // Emits every frequent extension of suffix found in base, recursively.
  void Mine(const ItemSets& base, std::vector<uint32_t>* suffix) {
    std::vector<uint32_t> touched;
    for (size_t p = 0; p < base.size(); ++p) {
      for (uint64_t i = base.offsets[p]; i < base.offsets[p + 1]; ++i) {
        const uint32_t item = base.items[i];
        if (count_[item] == 0) touched.push_back(item);
        count_[item] += base.counts[p];
      }
    }
    std::vector<uint32_t> frequent;
    std::vector<int64_t> support;
    std::sort(touched.begin(), touched.end());
    for (uint32_t item : touched) {
      if (count_[item] >= min_count_) {
        local_[item] = static_cast<uint32_t>(frequent.size());
        frequent.push_back(item);
        support.push_back(count_[item]);
      }
      count_[item] = 0;
    }
    if (frequent.empty()) return;
    FpTree tree(frequent.size());
    std::vector<uint32_t> path;
    for (size_t p = 0; p < base.size(); ++p) {
      path.clear();
      for (uint64_t i = base.offsets[p]; i < base.offsets[p + 1]; ++i) {
        if (local_[base.items[i]] != kNone) path.push_back(local_[base.items[i]]);
      }
      if (!path.empty()) tree.Insert(path.data(), path.size(), base.counts[p]);
    }
    for (uint32_t item : frequent) local_[item] = kNone;
    for (size_t j = frequent.size(); j-- > 0;) {
      suffix->push_back(frequent[j]);
      Emit(*suffix, support[j]);
      const ItemSets sub = tree.PrefixPaths(static_cast<uint32_t>(j), frequent);
      if (sub.size() > 0) Mine(sub, suffix);
      suffix->pop_back();
    }
  }

  ItemSets out;  // sets of ranks, in the order found

 private:
  std::vector<int64_t> count_;
  std::vector<uint32_t> local_;
  int64_t min_count_;
  std::atomic<size_t>* emitted_;
  size_t max_sets_;
};

}  // namespace

ItemSets MineFrequentItemsets(const Context& ctx, const ItemSets& transactions, size_t num_items,
                              int64_t min_count, size_t max_sets) {
  std::vector<int64_t> item_count(num_items, 0);
  for (uint32_t item : transactions.items) ++item_count[item];
  // Ranks: frequent items by decreasing count (ties by id), the order
  // transactions are inserted in, so common prefixes share nodes.
  std::vector<uint32_t> id_of_rank;
  for (uint32_t id = 0; id < num_items; ++id) {
    if (item_count[id] >= min_count) id_of_rank.push_back(id);
  }
  std::stable_sort(id_of_rank.begin(), id_of_rank.end(),
                   [&](uint32_t a, uint32_t b) { return item_count[a] > item_count[b]; });
  const size_t ranks = id_of_rank.size();
  std::vector<uint32_t> rank_of(num_items, kNone);
  for (uint32_t r = 0; r < ranks; ++r) rank_of[id_of_rank[r]] = r;

  FpTree tree(ranks);
  std::vector<uint32_t> path;
  for (size_t t = 0; t < transactions.size(); ++t) {
    path.clear();
    for (uint64_t i = transactions.offsets[t]; i < transactions.offsets[t + 1]; ++i) {
      if (rank_of[transactions.items[i]] != kNone) path.push_back(rank_of[transactions.items[i]]);
    }
    std::sort(path.begin(), path.end());
    if (!path.empty()) tree.Insert(path.data(), path.size(), 1);
  }

  std::vector<uint32_t> identity(ranks);
  std::iota(identity.begin(), identity.end(), 0);
  std::vector<ItemSets> found(ranks);
  std::atomic<size_t> emitted{0};
  // Items in blocks so a task's scratch (one slot per rank) serves several.
  constexpr size_t kBlock = 8;
  ctx.pool->ParallelFor((ranks + kBlock - 1) / kBlock, [&](size_t b) {
    Miner miner(ranks, min_count, &emitted, max_sets);
    for (size_t r = b * kBlock; r < std::min(ranks, (b + 1) * kBlock); ++r) {
      ctx.CheckCancelled();
      miner.out = ItemSets();
      std::vector<uint32_t> suffix = {static_cast<uint32_t>(r)};
      miner.Emit(suffix, item_count[id_of_rank[r]]);
      miner.Mine(tree.PrefixPaths(static_cast<uint32_t>(r), identity), &suffix);
      found[r] = std::move(miner.out);
    }
  });

  ItemSets sets;
  std::vector<uint32_t> ids;
  for (const ItemSets& part : found) {
    for (size_t s = 0; s < part.size(); ++s) {
      ids.clear();
      for (uint64_t i = part.offsets[s]; i < part.offsets[s + 1]; ++i) {
        ids.push_back(id_of_rank[part.items[i]]);
      }
      std::sort(ids.begin(), ids.end());
      sets.Append(ids.data(), ids.size(), part.counts[s]);
    }
  }
  return sets;
}

}  // namespace helenus::ml

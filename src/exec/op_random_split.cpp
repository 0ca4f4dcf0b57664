#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "helenus/common/error.h"
#include "helenus/exec/operators.h"
#include "op_hash.h"

namespace helenus::exec {

namespace {

class RandomSplitStream : public BatchStream {
 public:
  RandomSplitStream(std::unique_ptr<BatchStream> child, uint64_t seed, double low, double high)
      : child_(std::move(child)), seed_(seed), low_(low), high_(high) {}

  bool Next(Batch* out) override {
    Batch in;
    while (child_->Next(&in)) {
      std::vector<const Column*> columns;
      for (const Column& c : in.columns) columns.push_back(&c);
      ops::HashColumns(columns, in.num_rows, seed_, &hashes_);
      selected_.clear();
      for (size_t i = 0; i < in.num_rows; ++i) {
        // The top 53 bits of the row's hash, as a uniform number in [0, 1).
        double u = static_cast<double>(hashes_[i] >> 11) * 0x1.0p-53;
        if (u >= low_ && u < high_) selected_.push_back(static_cast<uint32_t>(i));
      }
      if (selected_.empty()) continue;
      *out = selected_.size() == in.num_rows ? std::move(in) : in.Take(selected_);
      return true;
    }
    return false;
  }

 private:
  std::unique_ptr<BatchStream> child_;
  uint64_t seed_;
  double low_;
  double high_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> selected_;
};

class RandomSplitOperator : public Operator {
 public:
  RandomSplitOperator(OperatorPtr child, std::vector<double> weights, uint64_t seed, size_t index)
      : child_(std::move(child)), weights_(std::move(weights)), seed_(seed), index_(index) {
    if (weights_.empty()) ThrowInvalid("random_split needs at least one weight");
    if (index_ >= weights_.size()) {
      ThrowInvalid("random_split slice {} of {} does not exist", index_, weights_.size());
    }
    double total = 0;
    for (double w : weights_) {
      if (!(w >= 0) || std::isinf(w)) ThrowInvalid("random_split weights must be non-negative");
      total += w;
    }
    if (!(total > 0)) ThrowInvalid("random_split weights must sum to a positive number");
    double before = 0;
    for (size_t i = 0; i < index_; ++i) before += weights_[i];
    low_ = before / total;
    size_t last = weights_.size() - 1;
    while (weights_[last] == 0) --last;
    // The last non-empty slice ends at exactly 1 so that rounding loses no row.
    high_ = index_ == last ? 1.0 : (before + weights_[index_]) / total;
    if (weights_[index_] == 0) high_ = low_;
    // Mixing the seed keeps nearby seeds (0, 1, 2, ...) independent.
    mixed_seed_ = ops::Mix64(seed_ ^ 0x2545f4914f6cdd1dULL);
  }

  const Schema& schema() const override { return child_->schema(); }
  size_t partitions() const override { return child_->partitions(); }
  void Prepare(ExecContext& ctx) override { child_->Prepare(ctx); }
  std::unique_ptr<BatchStream> Open(size_t partition, ExecContext& ctx) override {
    return std::make_unique<RandomSplitStream>(child_->Open(partition, ctx), mixed_seed_, low_,
                                               high_);
  }
  std::string Describe() const override {
    return fmt::format("RandomSplit slice={} of {} seed={} range=[{:.4f}, {:.4f})", index_,
                       weights_.size(), seed_, low_, high_);
  }
  std::vector<OperatorPtr> children() const override { return {child_}; }

 private:
  OperatorPtr child_;
  std::vector<double> weights_;
  uint64_t seed_;
  size_t index_;
  double low_ = 0;
  double high_ = 1;
  uint64_t mixed_seed_ = 0;
};

}  // namespace

OperatorPtr MakeRandomSplit(OperatorPtr child, std::vector<double> weights, uint64_t seed,
                            size_t index) {
  return std::make_shared<RandomSplitOperator>(std::move(child), std::move(weights), seed, index);
}

}  // namespace helenus::exec

#pragma once

// A fitted decision tree in flat arrays: what models keep, save and predict with.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "helenus/ml/serialize.h"
#include "helenus/ml/vectors.h"

namespace helenus::ml {

// One decision tree; node 0 is the root and children come after their parent.
struct Tree {
  std::vector<int32_t> feature;   // split feature per node; -1 at leaves
  std::vector<double> threshold;  // x[feature] <= threshold goes left
  std::vector<int32_t> left;      // left child (-1 at leaves)
  std::vector<int32_t> right;     // right child (-1 at leaves)
  std::vector<double> gain;       // information gain of the split (0 at leaves)
  std::vector<double> weight;     // weighted number of training rows reaching the node
  size_t value_dim = 1;           // values per node
  std::vector<double> values;     // value_dim per node: class weights, or a prediction

  // Number of nodes.
  size_t size() const { return feature.size(); }
  // Length of the longest root-to-leaf path (0 for a lone leaf).
  int Depth() const;
  // The value_dim values of a node.
  const double* Value(size_t node) const { return values.data() + node * value_dim; }
  // The leaf row r of x falls in (dense or sparse rows; NaN goes right).
  size_t LeafOf(const Vectors& x, size_t r) const {
    size_t n = 0;
    if (!x.sparse) {
      const double* row = x.Row(r);
      while (feature[n] >= 0) n = row[feature[n]] <= threshold[n] ? left[n] : right[n];
      return n;
    }
    while (feature[n] >= 0) n = SparseAt(x, r, feature[n]) <= threshold[n] ? left[n] : right[n];
    return n;
  }
  // Spark's toDebugString body: nested "If (feature f <= t)" / "Else" / "Predict: p"
  // lines, indented one space per level starting at indent.
  std::string DebugString(const std::function<std::string(const double*)>& predict_text,
                          int indent) const;

  void Save(Writer& out) const;
  // Reads a tree and checks it is well formed for num_features features.
  static Tree Load(Reader& in, size_t num_features);

 private:
  static double SparseAt(const Vectors& x, size_t r, int32_t j);
};

// A number as Scala prints a Double ("1.0", "0.25", "1.0E-5").
std::string ScalaDouble(double v);

}  // namespace helenus::ml

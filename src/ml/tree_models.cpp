#include "ml/tree_models.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "helenus/common/error.h"

namespace helenus::ml {

namespace {

std::string FeatureName(const std::vector<std::string>& names, size_t j) {
  return j < names.size() && !names[j].empty() ? names[j] : fmt::format("f{}", j);
}

// Features by decreasing importance (ties by index).
std::vector<size_t> ImportanceOrder(const std::vector<double>& imp) {
  std::vector<size_t> order(imp.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return imp[a] > imp[b]; });
  return order;
}

std::string ArgmaxText(const double* v, size_t k) {
  return ScalaDouble(static_cast<double>(std::max_element(v, v + k) - v));
}

}  // namespace

void TreeEnsemble::Save(Writer& out) const {
  settings.Save(out);
  out.U64(trees.size());
  for (const Tree& t : trees) t.Save(out);
  out.F64s(weights);
  out.F64s(bias);
  out.U64(outputs);
  out.F64s(importances);
}

TreeEnsemble TreeEnsemble::Load(Reader& in, size_t num_features, size_t num_classes) {
  TreeEnsemble e;
  e.settings = TreeSettings::Load(in);
  const size_t n = in.Count(8);
  for (size_t i = 0; i < n; ++i) e.trees.push_back(Tree::Load(in, num_features));
  e.weights = in.F64s();
  e.bias = in.F64s();
  e.outputs = in.U64();
  e.importances = in.F64s();
  const bool boosted = e.settings.algo == TreeAlgo::kBoosted;
  const size_t value_dim = num_classes > 0 && !boosted ? num_classes : 1;
  const size_t outputs = boosted && num_classes > 2 ? num_classes : 1;
  bool ok = e.weights.size() == n && e.importances.size() == num_features && e.outputs == outputs &&
            (boosted ? e.bias.size() == outputs : e.bias.empty()) && (boosted || n > 0) &&
            n % outputs == 0;
  for (const Tree& t : e.trees) ok = ok && t.value_dim == value_dim;
  if (!ok) ThrowInvalid("Corrupt model: inconsistent tree ensemble");
  return e;
}

Frame TreeEnsemble::ImportancesFrame(const std::vector<std::string>& feature_names) const {
  exec::Column names = exec::Column::Make(DataType::Of(TypeKind::kText), importances.size());
  exec::Column values = exec::Column::Make(DataType::Of(TypeKind::kDouble), importances.size());
  for (size_t j : ImportanceOrder(importances)) {
    names.AppendString(FeatureName(feature_names, j));
    values.AppendDouble(importances[j]);
  }
  Frame f;
  f.Add("feature", std::move(names));
  f.Add("importance", std::move(values));
  return f;
}

Frame TreeEnsemble::TreesFrame(
    const std::function<std::string(const double*)>& predict_text) const {
  exec::Column id = exec::Column::Make(DataType::Of(TypeKind::kInt), trees.size());
  exec::Column nodes = exec::Column::Make(DataType::Of(TypeKind::kInt), trees.size());
  exec::Column depth = exec::Column::Make(DataType::Of(TypeKind::kInt), trees.size());
  exec::Column debug = exec::Column::Make(DataType::Of(TypeKind::kText), trees.size());
  for (size_t i = 0; i < trees.size(); ++i) {
    id.AppendInt(static_cast<int64_t>(i));
    nodes.AppendInt(static_cast<int64_t>(trees[i].size()));
    depth.AppendInt(trees[i].Depth());
    const std::string head =
        outputs > 1 ? fmt::format("Tree {} (class {}, weight {}):\n", i, i % outputs,
                                  ScalaDouble(weights[i]))
                    : fmt::format("Tree {} (weight {}):\n", i, ScalaDouble(weights[i]));
    debug.AppendString(head + trees[i].DebugString(predict_text, 2));
  }
  Frame f;
  f.Add("tree", std::move(id));
  f.Add("nodes", std::move(nodes));
  f.Add("depth", std::move(depth));
  f.Add("debug", std::move(debug));
  return f;
}

std::vector<std::pair<std::string, std::string>> TreeEnsemble::Describe(
    const std::vector<std::string>& feature_names) const {
  std::vector<std::pair<std::string, std::string>> d;
  size_t total = 0;
  int deepest = 0;
  for (const Tree& t : trees) {
    total += t.size();
    deepest = std::max(deepest, t.Depth());
  }
  d.push_back({"trees", std::to_string(trees.size())});
  if (settings.algo == TreeAlgo::kBoosted) {
    d.push_back({"iterations", std::to_string(trees.size() / outputs)});
  }
  d.push_back({"total_nodes", std::to_string(total)});
  d.push_back({"depth", std::to_string(deepest)});
  std::string top;
  const auto order = ImportanceOrder(importances);
  for (size_t i = 0; i < order.size() && i < 5 && importances[order[i]] > 0; ++i) {
    if (!top.empty()) top += ", ";
    top += fmt::format("{} ({:.4f})", FeatureName(feature_names, order[i]), importances[order[i]]);
  }
  if (!top.empty()) d.push_back({"top_features", top});
  for (auto& line : settings.Describe()) d.push_back(std::move(line));
  return d;
}

TreeClassifierModel::TreeClassifierModel(std::string kind, PredictorColumns cols,
                                         const LabeledData& data,
                                         std::vector<std::string> feature_names,
                                         TreeEnsemble ensemble)
    : ClassificationModel(std::move(cols), data),
      kind_(std::move(kind)),
      ensemble_(std::move(ensemble)) {
  feature_names_ = std::move(feature_names);
}

std::unique_ptr<Model> TreeClassifierModel::Load(std::string kind, Reader& in) {
  std::unique_ptr<TreeClassifierModel> m(new TreeClassifierModel(std::move(kind)));
  m->LoadBase(in);
  m->ensemble_ = TreeEnsemble::Load(in, m->num_features_, m->num_classes_);
  if (!m->ensemble_.settings.classifier) ThrowInvalid("Corrupt model: not a classifier");
  return m;
}

void TreeClassifierModel::PredictRaw(const Vectors& x, size_t r, double* raw) const {
  const size_t k = num_classes_;
  const TreeEnsemble& e = ensemble_;
  switch (e.settings.algo) {
    case TreeAlgo::kDecisionTree: {
      // MLlib: a tree's raw prediction is its leaf's class weights.
      const Tree& t = e.trees[0];
      std::copy_n(t.Value(t.LeafOf(x, r)), k, raw);
      return;
    }
    case TreeAlgo::kRandomForest: {
      // MLlib: the sum of every tree's leaf class distribution.
      std::fill_n(raw, k, 0.0);
      for (const Tree& t : e.trees) {
        const double* v = t.Value(t.LeafOf(x, r));
        double sum = 0;
        for (size_t c = 0; c < k; ++c) sum += v[c];
        if (sum > 0) {
          for (size_t c = 0; c < k; ++c) raw[c] += v[c] / sum;
        }
      }
      return;
    }
    case TreeAlgo::kBoosted: {
      if (e.outputs == 1) {
        double f = e.bias[0];
        for (size_t i = 0; i < e.trees.size(); ++i) {
          f += e.weights[i] * e.trees[i].Value(e.trees[i].LeafOf(x, r))[0];
        }
        // MLlib's binary GBT raw prediction is [-m, m] with P(1) = 1 / (1 + exp(-2m)):
        // m is half the log-odds.
        raw[0] = -f / 2;
        raw[1] = f / 2;
        return;
      }
      std::copy_n(e.bias.data(), k, raw);
      for (size_t i = 0; i < e.trees.size(); ++i) {
        raw[i % k] += e.weights[i] * e.trees[i].Value(e.trees[i].LeafOf(x, r))[0];
      }
      return;
    }
  }
}

double TreeClassifierModel::BinaryScore(const double* raw, const double* probability) const {
  // A single tree's raw scores are its leaf's class counts: their difference
  // does not order leaves by purity, the leaf's class share does.
  if (ensemble_.settings.algo == TreeAlgo::kDecisionTree) return probability[1];
  return ClassificationModel::BinaryScore(raw, probability);
}

void TreeClassifierModel::RawToProbability(double* s) const {
  const size_t k = num_classes_;
  if (ensemble_.settings.algo == TreeAlgo::kBoosted) {
    const double top = *std::max_element(s, s + k);
    double sum = 0;
    for (size_t c = 0; c < k; ++c) sum += (s[c] = std::exp(s[c] - top));
    for (size_t c = 0; c < k; ++c) s[c] /= sum;
    return;
  }
  double sum = 0;
  for (size_t c = 0; c < k; ++c) sum += s[c];
  for (size_t c = 0; c < k; ++c) s[c] = sum > 0 ? s[c] / sum : 1.0 / static_cast<double>(k);
}

void TreeClassifierModel::Save(Writer& out) const {
  SaveBase(out);
  ensemble_.Save(out);
}

std::vector<std::pair<std::string, std::string>> TreeClassifierModel::Describe() const {
  auto d = ClassificationModel::Describe();
  for (auto& line : ensemble_.Describe(feature_names_)) d.push_back(std::move(line));
  return d;
}

std::vector<std::string> TreeClassifierModel::Artifacts() const {
  return {"feature_importances", "trees"};
}

Frame TreeClassifierModel::Artifact(std::string_view name) const {
  if (name == "feature_importances") return ensemble_.ImportancesFrame(feature_names_);
  if (name == "trees") {
    const size_t k = num_classes_;
    if (ensemble_.settings.algo == TreeAlgo::kBoosted) {
      return ensemble_.TreesFrame([](const double* v) { return ScalaDouble(v[0]); });
    }
    return ensemble_.TreesFrame([k](const double* v) { return ArgmaxText(v, k); });
  }
  return Model::Artifact(name);
}

TreeRegressorModel::TreeRegressorModel(std::string kind, PredictorColumns cols,
                                       const LabeledData& data,
                                       std::vector<std::string> feature_names,
                                       TreeEnsemble ensemble)
    : RegressionModel(std::move(cols), data),
      kind_(std::move(kind)),
      ensemble_(std::move(ensemble)) {
  feature_names_ = std::move(feature_names);
}

std::unique_ptr<Model> TreeRegressorModel::Load(std::string kind, Reader& in) {
  std::unique_ptr<TreeRegressorModel> m(new TreeRegressorModel(std::move(kind)));
  m->LoadBase(in);
  m->ensemble_ = TreeEnsemble::Load(in, m->num_features_, 0);
  if (m->ensemble_.settings.classifier) ThrowInvalid("Corrupt model: not a regressor");
  return m;
}

double TreeRegressorModel::Predict(const Vectors& x, size_t r) const {
  const TreeEnsemble& e = ensemble_;
  if (e.settings.algo == TreeAlgo::kBoosted) {
    double f = e.bias[0];
    for (size_t i = 0; i < e.trees.size(); ++i) {
      f += e.weights[i] * e.trees[i].Value(e.trees[i].LeafOf(x, r))[0];
    }
    return f;
  }
  double sum = 0;
  for (const Tree& t : e.trees) sum += t.Value(t.LeafOf(x, r))[0];
  return sum / static_cast<double>(e.trees.size());
}

void TreeRegressorModel::Save(Writer& out) const {
  SaveBase(out);
  ensemble_.Save(out);
}

std::vector<std::pair<std::string, std::string>> TreeRegressorModel::Describe() const {
  auto d = RegressionModel::Describe();
  for (auto& line : ensemble_.Describe(feature_names_)) d.push_back(std::move(line));
  return d;
}

std::vector<std::string> TreeRegressorModel::Artifacts() const {
  return {"feature_importances", "trees"};
}

Frame TreeRegressorModel::Artifact(std::string_view name) const {
  if (name == "feature_importances") return ensemble_.ImportancesFrame(feature_names_);
  if (name == "trees") {
    return ensemble_.TreesFrame([](const double* v) { return ScalaDouble(v[0]); });
  }
  return Model::Artifact(name);
}

}  // namespace helenus::ml

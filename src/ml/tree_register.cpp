// Registers the six tree estimators and their model loaders.

#include "helenus/ml/registry.h"
#include "ml/tree_fit.h"
#include "ml/tree_models.h"

namespace helenus::ml {

namespace {

class TreeEstimator final : public Estimator {
 public:
  TreeEstimator(std::string name, TreeSettings settings, PredictorColumns cols)
      : name_(std::move(name)), settings_(std::move(settings)), cols_(std::move(cols)) {}

  std::string kind() const override { return name_; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    if (settings_.algo == TreeAlgo::kBoosted) {
      return FitBoosted(name_, settings_, cols_, input, ctx);
    }
    return FitForest(name_, settings_, cols_, input, ctx);
  }

 private:
  std::string name_;
  TreeSettings settings_;
  PredictorColumns cols_;
};

void Add(Registry& r, std::string name, TreeAlgo algo, bool classifier, std::string doc) {
  EstimatorInfo info;
  info.name = name;
  info.task = classifier ? Task::kClassification : Task::kRegression;
  info.doc = std::move(doc);
  info.params = TreeParamSpecs(algo, classifier);
  info.make = [name, algo, classifier](const Params& p) -> std::unique_ptr<Estimator> {
    return std::make_unique<TreeEstimator>(name, TreeSettings::From(algo, classifier, p),
                                           PredictorColumns::From(p));
  };
  r.Add(std::move(info));
  if (classifier) {
    r.AddLoader(name, [name](Reader& in) { return TreeClassifierModel::Load(name, in); });
  } else {
    r.AddLoader(name, [name](Reader& in) { return TreeRegressorModel::Load(name, in); });
  }
}

}  // namespace

void RegisterTrees(Registry& r) {
  Add(r, "decision_tree_classifier", TreeAlgo::kDecisionTree, true,
      "Decision tree classifier (histogram-based, gini or entropy)");
  Add(r, "decision_tree_regressor", TreeAlgo::kDecisionTree, false,
      "Decision tree regressor (histogram-based, variance)");
  Add(r, "random_forest_classifier", TreeAlgo::kRandomForest, true,
      "Random forest classifier: bootstrapped trees on random feature subsets");
  Add(r, "random_forest_regressor", TreeAlgo::kRandomForest, false,
      "Random forest regressor: bootstrapped trees on random feature subsets");
  Add(r, "gbt_classifier", TreeAlgo::kBoosted, true,
      "Gradient-boosted trees classifier (logistic; softmax for more than two classes)");
  Add(r, "gbt_regressor", TreeAlgo::kBoosted, false,
      "Gradient-boosted trees regressor (squared or absolute loss)");
}

}  // namespace helenus::ml

#include "ml/tree_params.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/predictor.h"

namespace helenus::ml {

namespace {

constexpr double kHuge = 1e300;

std::string_view AlgoName(TreeAlgo algo, bool classifier) {
  switch (algo) {
    case TreeAlgo::kDecisionTree:
      return classifier ? "decision_tree_classifier" : "decision_tree_regressor";
    case TreeAlgo::kRandomForest:
      return classifier ? "random_forest_classifier" : "random_forest_regressor";
    case TreeAlgo::kBoosted:
      return classifier ? "gbt_classifier" : "gbt_regressor";
  }
  return "?";
}

// A number given as feature_subset_strategy ("0.5", "10"); false when not a number.
bool ParseNumber(const std::string& s, double* out) {
  const char* end = s.data() + s.size();
  auto res = std::from_chars(s.data(), end, *out);
  return res.ec == std::errc() && res.ptr == end;
}

}  // namespace

std::vector<ParamSpec> TreeParamSpecs(TreeAlgo algo, bool classifier) {
  std::vector<ParamSpec> s = {
      IntParam("max_depth", 5, "maximum depth of a tree (0 = one leaf)", 0, 30),
      IntParam("max_bins", 32, "maximum number of bins per feature", 2, 65536),
      IntParam("min_instances_per_node", 1, "minimum rows each child of a split must get", 1,
               kHuge),
      DoubleParam("min_info_gain", 0.0, "minimum information gain of a split", 0, kHuge),
      IntParam("seed", kDefaultTreeSeed, "random seed", -9007199254740992.0, 9007199254740992.0),
      IntParam("max_memory_in_mb", 256, "histogram memory before a level is split in groups", 1,
               1 << 20),
  };
  if (algo != TreeAlgo::kBoosted) {
    s.push_back(DoubleParam("min_weight_fraction_per_node", 0.0,
                            "minimum fraction of the total weight each child must get", 0,
                            0.4999999999));
    if (classifier) {
      s.push_back(StringParam("impurity", "gini", "split criterion", {"gini", "entropy"}));
    } else {
      s.push_back(StringParam("impurity", "variance", "split criterion", {"variance"}));
    }
  }
  if (algo == TreeAlgo::kRandomForest) {
    s.push_back(IntParam("num_trees", 20, "number of trees", 1, 100000));
    s.push_back(StringParam("feature_subset_strategy", "auto",
                            "features tried per node: auto, all, onethird, sqrt, log2, a "
                            "fraction in (0, 1] or a count"));
    s.push_back(DoubleParam("subsampling_rate", 1.0, "fraction of rows sampled per tree", 0, 1));
    s.push_back(BoolParam("bootstrap", true, "sample rows with replacement"));
  }
  if (algo == TreeAlgo::kBoosted) {
    s.push_back(IntParam("max_iter", 20, "number of boosting iterations", 0, 100000));
    s.push_back(DoubleParam("step_size", 0.1, "learning rate, in (0, 1]", 0, 1));
    if (classifier) {
      s.push_back(StringParam("loss_type", "logistic", "loss to minimize", {"logistic"}));
    } else {
      s.push_back(StringParam("loss_type", "squared", "loss to minimize", {"squared", "absolute"}));
    }
    s.push_back(
        DoubleParam("subsampling_rate", 1.0, "fraction of rows sampled per iteration", 0, 1));
    s.push_back(StringParam("feature_subset_strategy", "all",
                            "features tried per node: auto, all, onethird, sqrt, log2, a "
                            "fraction in (0, 1] or a count"));
    s.push_back(DoubleParam("validation_tol", 0.01,
                            "early stopping tolerance on the validation loss", 0, kHuge));
    s.push_back(StringParam("validation_indicator_col", "",
                            "boolean column: true rows validate instead of training ('' = none)"));
  }
  return WithColumnSpecs(std::move(s), classifier);
}

TreeSettings TreeSettings::From(TreeAlgo algo, bool classifier, const Params& p) {
  const auto spec = TreeParamSpecs(algo, classifier);
  TreeSettings t;
  t.algo = algo;
  t.classifier = classifier;
  t.max_depth = static_cast<int>(p.Int(spec, "max_depth"));
  t.max_bins = static_cast<size_t>(p.Int(spec, "max_bins"));
  t.min_instances_per_node = static_cast<double>(p.Int(spec, "min_instances_per_node"));
  t.min_info_gain = p.Double(spec, "min_info_gain");
  t.seed = p.Int(spec, "seed");
  t.max_memory_in_mb = static_cast<size_t>(p.Int(spec, "max_memory_in_mb"));
  const std::string_view name = AlgoName(algo, classifier);
  if (algo != TreeAlgo::kBoosted) {
    t.min_weight_fraction_per_node = p.Double(spec, "min_weight_fraction_per_node");
    t.impurity = p.String(spec, "impurity");
  } else {
    t.impurity = "variance";
  }
  if (algo == TreeAlgo::kRandomForest) {
    t.num_trees = static_cast<int>(p.Int(spec, "num_trees"));
    t.feature_subset_strategy = p.String(spec, "feature_subset_strategy");
    t.subsampling_rate = p.Double(spec, "subsampling_rate");
    t.bootstrap = p.Bool(spec, "bootstrap");
  }
  if (algo == TreeAlgo::kBoosted) {
    t.max_iter = static_cast<int>(p.Int(spec, "max_iter"));
    t.step_size = p.Double(spec, "step_size");
    t.loss_type = p.String(spec, "loss_type");
    t.subsampling_rate = p.Double(spec, "subsampling_rate");
    t.feature_subset_strategy = p.String(spec, "feature_subset_strategy");
    t.validation_tol = p.Double(spec, "validation_tol");
    t.validation_indicator_col = p.String(spec, "validation_indicator_col");
    if (!(t.step_size > 0)) ThrowInvalid("Option step_size of {} must be in (0, 1]", name);
  }
  if (!(t.subsampling_rate > 0)) {
    ThrowInvalid("Option subsampling_rate of {} must be in (0, 1]", name);
  }
  const std::string& f = t.feature_subset_strategy;
  double v = 0;
  const bool named = f == "auto" || f == "all" || f == "onethird" || f == "sqrt" || f == "log2";
  if (!named && !(ParseNumber(f, &v) && v > 0 && (v <= 1 || v == std::floor(v)))) {
    ThrowInvalid(
        "Option feature_subset_strategy of {} must be auto, all, onethird, sqrt, log2, "
        "a fraction in (0, 1] or a whole number of features, got '{}'",
        name, f);
  }
  return t;
}

size_t TreeSettings::FeaturesPerNode(size_t d) const {
  const double n = static_cast<double>(d);
  std::string f = feature_subset_strategy;
  if (f == "auto") {
    // MLlib: a lone tree (and each boosted tree) sees every feature; a forest
    // draws sqrt(d) per node for classification and d/3 for regression.
    if (algo != TreeAlgo::kRandomForest || num_trees == 1) return d;
    f = classifier ? "sqrt" : "onethird";
  }
  size_t k = d;
  double v = 0;
  if (f == "all") {
    k = d;
  } else if (f == "sqrt") {
    k = static_cast<size_t>(std::ceil(std::sqrt(n)));
  } else if (f == "log2") {
    k = std::max<size_t>(1, static_cast<size_t>(std::ceil(std::log2(n))));
  } else if (f == "onethird") {
    k = static_cast<size_t>(std::ceil(n / 3.0));
  } else if (ParseNumber(f, &v)) {
    k = v <= 1 ? static_cast<size_t>(std::ceil(v * n)) : static_cast<size_t>(v);
  }
  return std::clamp<size_t>(k, 1, std::max<size_t>(d, 1));
}

std::vector<std::pair<std::string, std::string>> TreeSettings::Describe() const {
  std::vector<std::pair<std::string, std::string>> d;
  auto num = [](double v) { return fmt::format("{}", v); };
  if (algo == TreeAlgo::kRandomForest) d.push_back({"num_trees", std::to_string(num_trees)});
  if (algo == TreeAlgo::kBoosted) {
    d.push_back({"max_iter", std::to_string(max_iter)});
    d.push_back({"step_size", num(step_size)});
    d.push_back({"loss_type", loss_type});
  }
  d.push_back({"max_depth", std::to_string(max_depth)});
  d.push_back({"max_bins", std::to_string(max_bins)});
  d.push_back({"min_instances_per_node", num(min_instances_per_node)});
  d.push_back({"min_info_gain", num(min_info_gain)});
  if (algo != TreeAlgo::kBoosted) {
    d.push_back({"min_weight_fraction_per_node", num(min_weight_fraction_per_node)});
    d.push_back({"impurity", impurity});
  }
  if (algo != TreeAlgo::kDecisionTree) {
    d.push_back({"feature_subset_strategy", feature_subset_strategy});
    d.push_back({"subsampling_rate", num(subsampling_rate)});
  }
  if (algo == TreeAlgo::kRandomForest) d.push_back({"bootstrap", bootstrap ? "true" : "false"});
  if (algo == TreeAlgo::kBoosted && !validation_indicator_col.empty()) {
    d.push_back({"validation_indicator_col", validation_indicator_col});
    d.push_back({"validation_tol", num(validation_tol)});
  }
  d.push_back({"seed", std::to_string(seed)});
  return d;
}

void TreeSettings::Save(Writer& out) const {
  out.U8(static_cast<uint8_t>(algo));
  out.Bool(classifier);
  out.I64(max_depth);
  out.U64(max_bins);
  out.F64(min_instances_per_node);
  out.F64(min_weight_fraction_per_node);
  out.F64(min_info_gain);
  out.Str(impurity);
  out.I64(seed);
  out.U64(max_memory_in_mb);
  out.I64(num_trees);
  out.Str(feature_subset_strategy);
  out.F64(subsampling_rate);
  out.Bool(bootstrap);
  out.I64(max_iter);
  out.F64(step_size);
  out.Str(loss_type);
  out.F64(validation_tol);
  out.Str(validation_indicator_col);
}

TreeSettings TreeSettings::Load(Reader& in) {
  TreeSettings t;
  const uint8_t algo = in.U8();
  if (algo > 2) ThrowInvalid("Corrupt model: tree algorithm {}", algo);
  t.algo = static_cast<TreeAlgo>(algo);
  t.classifier = in.Bool();
  t.max_depth = static_cast<int>(in.I64());
  t.max_bins = in.U64();
  t.min_instances_per_node = in.F64();
  t.min_weight_fraction_per_node = in.F64();
  t.min_info_gain = in.F64();
  t.impurity = in.Str();
  t.seed = in.I64();
  t.max_memory_in_mb = in.U64();
  t.num_trees = static_cast<int>(in.I64());
  t.feature_subset_strategy = in.Str();
  t.subsampling_rate = in.F64();
  t.bootstrap = in.Bool();
  t.max_iter = static_cast<int>(in.I64());
  t.step_size = in.F64();
  t.loss_type = in.Str();
  t.validation_tol = in.F64();
  t.validation_indicator_col = in.Str();
  return t;
}

}  // namespace helenus::ml

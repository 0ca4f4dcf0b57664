#include "helenus/ml/predictor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"

namespace helenus::ml {

std::vector<ParamSpec> PredictorColumns::Specs(bool classifier) {
  std::vector<ParamSpec> s = {
      StringParam("features_col", "features", "feature vector column"),
      StringParam("label_col", "label", "label column"),
      StringParam("weight_col", "", "row weight column ('' = every row weighs 1)"),
      StringParam("prediction_col", "prediction", "prediction column"),
  };
  if (classifier) {
    s.push_back(StringParam("probability_col", "probability", "class probability vector column"));
    s.push_back(StringParam("raw_prediction_col", "raw_prediction", "raw score vector column"));
  }
  return s;
}

std::vector<ParamSpec> WithColumnSpecs(std::vector<ParamSpec> own, bool classifier) {
  for (auto& s : PredictorColumns::Specs(classifier)) own.push_back(std::move(s));
  return own;
}

PredictorColumns PredictorColumns::From(const Params& p) {
  PredictorColumns c;
  c.features = p.String("features_col", c.features);
  c.label = p.String("label_col", c.label);
  c.weight = p.String("weight_col", c.weight);
  c.prediction = p.String("prediction_col", c.prediction);
  c.probability = p.String("probability_col", c.probability);
  c.raw_prediction = p.String("raw_prediction_col", c.raw_prediction);
  return c;
}

void PredictorColumns::Save(Writer& out) const {
  out.Strs({features, label, weight, prediction, probability, raw_prediction});
}

PredictorColumns PredictorColumns::Load(Reader& in) {
  auto v = in.Strs();
  if (v.size() != 6) ThrowInvalid("Corrupt model: {} column names, expected 6", v.size());
  return PredictorColumns{v[0], v[1], v[2], v[3], v[4], v[5]};
}

namespace {
// Labels are class indices; beyond this many classes a label is a mistake, not a class.
constexpr double kMaxClasses = 1 << 24;
}  // namespace

LabeledData ReadLabeled(const Frame& f, const PredictorColumns& cols, bool classification) {
  LabeledData d;
  d.x = &f.VectorsOf(cols.features);
  if (f.num_rows() == 0) ThrowInvalid("The training set is empty");
  for (size_t r = 0; r < f.num_rows(); ++r) {
    if (d.x->IsNull(r))
      ThrowInvalid("Features column {} has a NULL vector at row {}", cols.features, r);
  }
  d.y = f.Numeric(cols.label);
  for (size_t r = 0; r < d.y.size(); ++r) {
    if (std::isnan(d.y[r]))
      ThrowInvalid("Label column {} has NULL or NaN at row {}", cols.label, r);
  }
  if (!cols.weight.empty()) {
    d.w = f.Numeric(cols.weight);
    for (double w : d.w) {
      if (!(w >= 0) || std::isinf(w)) {
        ThrowInvalid("Weight column {} must hold finite non-negative numbers", cols.weight);
      }
    }
  }
  if (!classification) return d;
  double max_label = 0;
  std::set<double> seen;
  for (double y : d.y) {
    if (!std::isfinite(y) || y < 0 || y != std::floor(y) || y >= kMaxClasses) {
      ThrowInvalid(
          "Classifier labels must be 0, 1, 2, ... below 2^24 (index text labels first); "
          "column {} has {}",
          cols.label, y);
    }
    max_label = std::max(max_label, y);
    if (seen.size() < 2) seen.insert(y);
  }
  if (seen.size() < 2) {
    ThrowInvalid("Label column {} has only one class; a classifier needs at least two", cols.label);
  }
  d.labels = f.AttrsOf(cols.label).labels;
  d.num_classes = std::max<size_t>(static_cast<size_t>(max_label) + 1, d.labels.size());
  return d;
}

void CheckDimension(const Vectors& x, size_t expected, std::string_view column) {
  if (x.dim != expected) {
    ThrowInvalid("Column {} has {} features, the model was trained on {}", column, x.dim, expected);
  }
}

ClassificationModel::ClassificationModel(PredictorColumns cols, const LabeledData& data)
    : cols_(std::move(cols)),
      num_classes_(data.num_classes),
      num_features_(data.x->dim),
      labels_(data.labels) {}

double ClassificationModel::BinaryScore(const double* raw, const double* probability) const {
  return raw[1] - raw[0];
}

double ClassificationModel::ProbabilityToPrediction(const double* p) const {
  if (num_classes_ == 2 && !std::isnan(threshold_)) return p[1] > threshold_ ? 1.0 : 0.0;
  return static_cast<double>(std::max_element(p, p + num_classes_) - p);
}

Frame ClassificationModel::Transform(const Frame& input, const Context& ctx) const {
  const Vectors& x = input.VectorsOf(cols_.features);
  CheckDimension(x, num_features_, cols_.features);
  const size_t n = input.num_rows();
  const size_t k = num_classes_;
  Vectors raw = Vectors::Dense(n, k);
  Vectors prob = Vectors::Dense(n, k);
  std::vector<double> pred(n);
  std::vector<uint8_t> null_rows(n, 0);
  ForRows(ctx, n, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      if (x.IsNull(r)) {
        null_rows[r] = 1;
        continue;
      }
      PredictRaw(x, r, raw.MutableRow(r));
      std::copy_n(raw.Row(r), k, prob.MutableRow(r));
      RawToProbability(prob.MutableRow(r));
      pred[r] = ProbabilityToPrediction(prob.Row(r));
    }
  });
  exec::Column p = exec::Column::Make(DataType::Of(TypeKind::kDouble), n);
  for (size_t r = 0; r < n; ++r) {
    if (null_rows[r]) {
      p.AppendNull();
    } else {
      p.AppendDouble(pred[r]);
    }
  }
  if (std::find(null_rows.begin(), null_rows.end(), 1) != null_rows.end()) {
    raw.valid.assign(null_rows.size(), 1);
    for (size_t r = 0; r < n; ++r) raw.valid[r] = null_rows[r] ? 0 : 1;
    prob.valid = raw.valid;
  }
  Frame out = input;
  Attributes attrs;
  attrs.labels = labels_;
  if (!cols_.raw_prediction.empty()) out.Add(cols_.raw_prediction, std::move(raw));
  if (!cols_.probability.empty()) out.Add(cols_.probability, std::move(prob), attrs);
  out.Add(cols_.prediction, std::move(p), attrs);
  return out;
}

std::vector<std::pair<std::string, std::string>> ClassificationModel::Describe() const {
  std::vector<std::pair<std::string, std::string>> d = {
      {"num_classes", std::to_string(num_classes_)},
      {"num_features", std::to_string(num_features_)},
  };
  if (!labels_.empty()) d.push_back({"labels", fmt::format("{}", fmt::join(labels_, ", "))});
  return d;
}

void ClassificationModel::SaveBase(Writer& out) const {
  cols_.Save(out);
  out.U64(num_classes_);
  out.U64(num_features_);
  out.Strs(labels_);
  out.Strs(feature_names_);
  out.F64(threshold_);
}

void ClassificationModel::LoadBase(Reader& in) {
  cols_ = PredictorColumns::Load(in);
  num_classes_ = in.U64();
  num_features_ = in.U64();
  labels_ = in.Strs();
  feature_names_ = in.Strs();
  threshold_ = in.F64();
  if (num_classes_ < 2 || num_classes_ > (1u << 24)) {
    ThrowInvalid("Corrupt model: {} classes", num_classes_);
  }
}

RegressionModel::RegressionModel(PredictorColumns cols, const LabeledData& data)
    : cols_(std::move(cols)), num_features_(data.x->dim) {}

Frame RegressionModel::Transform(const Frame& input, const Context& ctx) const {
  const Vectors& x = input.VectorsOf(cols_.features);
  CheckDimension(x, num_features_, cols_.features);
  const size_t n = input.num_rows();
  std::vector<double> pred(n);
  ForRows(ctx, n, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      pred[r] = x.IsNull(r) ? std::nan("") : Predict(x, r);
    }
  });
  exec::Column p = exec::Column::Make(DataType::Of(TypeKind::kDouble), n);
  for (size_t r = 0; r < n; ++r) {
    if (x.IsNull(r)) {
      p.AppendNull();
    } else {
      p.AppendDouble(pred[r]);
    }
  }
  Frame out = input;
  out.Add(cols_.prediction, std::move(p));
  return out;
}

std::vector<std::pair<std::string, std::string>> RegressionModel::Describe() const {
  return {{"num_features", std::to_string(num_features_)}};
}

void RegressionModel::SaveBase(Writer& out) const {
  cols_.Save(out);
  out.U64(num_features_);
  out.Strs(feature_names_);
}

void RegressionModel::LoadBase(Reader& in) {
  cols_ = PredictorColumns::Load(in);
  num_features_ = in.U64();
  feature_names_ = in.Strs();
}

}  // namespace helenus::ml

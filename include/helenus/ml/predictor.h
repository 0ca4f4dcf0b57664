#pragma once

// What supervised estimators share: the columns they read and write, the
// checked training rows, and model bases that turn per-row scores into
// MLlib's prediction / probability / raw_prediction columns.

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "helenus/ml/model.h"
#include "helenus/ml/params.h"

namespace helenus::ml {

// Column names a supervised estimator reads and its model writes.
struct PredictorColumns {
  std::string features = "features";
  std::string label = "label";
  std::string weight;  // "" = every row weighs 1
  std::string prediction = "prediction";
  std::string probability = "probability";        // classifiers only
  std::string raw_prediction = "raw_prediction";  // classifiers only

  // The *_col parameters (features_col, label_col, weight_col, prediction_col,
  // and for classifiers probability_col, raw_prediction_col).
  static std::vector<ParamSpec> Specs(bool classifier);
  static PredictorColumns From(const Params& params);
  void Save(Writer& out) const;
  static PredictorColumns Load(Reader& in);
};

// Appends the column specs of a predictor to an algorithm's own specs.
std::vector<ParamSpec> WithColumnSpecs(std::vector<ParamSpec> own, bool classifier);

// The checked training rows of a supervised estimator.
struct LabeledData {
  const Vectors* x = nullptr;       // features (points into the Frame)
  std::vector<double> y;            // label per row
  std::vector<double> w;            // weight per row (empty = all 1)
  size_t num_classes = 0;           // classification: labels are 0 .. num_classes-1
  std::vector<std::string> labels;  // classification: label text per class, when indexed

  size_t rows() const { return y.size(); }
  double weight(size_t r) const { return w.empty() ? 1.0 : w[r]; }
};

// Reads features and label from f. Throws Invalid for a missing column, an
// empty training set, NULL/NaN labels, NULL feature vectors, and for classification
// labels that are not non-negative integers or that have a single class.
LabeledData ReadLabeled(const Frame& f, const PredictorColumns& cols, bool classification);

// A fitted classifier: subclasses compute raw scores, the base adds columns.
class ClassificationModel : public Model {
 public:
  // Writes raw scores for row r of x (num_classes() values).
  virtual void PredictRaw(const Vectors& x, size_t r, double* raw) const = 0;
  // Turns raw scores into probabilities in place (default: they already are).
  virtual void RawToProbability(double* scores) const {}
  // The class for a row's probabilities (argmax, or the binary threshold when set).
  double ProbabilityToPrediction(const double* probability) const;
  // For two classes: a score that orders rows by confidence in class 1 for ROC
  // and PR curves, without the ties of probabilities saturated at 0 or 1 (what
  // Spark ranks by rawPrediction). Default: the margin raw[1] - raw[0].
  virtual double BinaryScore(const double* raw, const double* probability) const;

  // Adds prediction (double), probability and raw_prediction (vectors).
  Frame Transform(const Frame& input, const Context& ctx) const override;
  std::vector<std::pair<std::string, std::string>> Describe() const override;

  size_t num_classes() const { return num_classes_; }
  size_t num_features() const { return num_features_; }
  const PredictorColumns& columns() const { return cols_; }
  // Binary threshold on P(class 1); NaN = plain argmax.
  void set_threshold(double t) { threshold_ = t; }

 protected:
  ClassificationModel() = default;
  ClassificationModel(PredictorColumns cols, const LabeledData& data);
  void SaveBase(Writer& out) const;
  void LoadBase(Reader& in);

  PredictorColumns cols_;
  size_t num_classes_ = 0;
  size_t num_features_ = 0;
  std::vector<std::string> labels_;
  std::vector<std::string> feature_names_;
  double threshold_ = std::numeric_limits<double>::quiet_NaN();
};

// A fitted regressor: subclasses predict one number, the base adds the column.
class RegressionModel : public Model {
 public:
  // The prediction for row r of x.
  virtual double Predict(const Vectors& x, size_t r) const = 0;
  // Adds prediction (double).
  Frame Transform(const Frame& input, const Context& ctx) const override;
  std::vector<std::pair<std::string, std::string>> Describe() const override;

  size_t num_features() const { return num_features_; }
  const PredictorColumns& columns() const { return cols_; }

 protected:
  RegressionModel() = default;
  RegressionModel(PredictorColumns cols, const LabeledData& data);
  void SaveBase(Writer& out) const;
  void LoadBase(Reader& in);

  PredictorColumns cols_;
  size_t num_features_ = 0;
  std::vector<std::string> feature_names_;
};

// Checks that x has the dimension a model was trained on; Invalid otherwise.
void CheckDimension(const Vectors& x, size_t expected, std::string_view column);

}  // namespace helenus::ml

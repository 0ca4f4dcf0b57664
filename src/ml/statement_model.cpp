#include "helenus/ml/statement_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "evaluator_columns.h"
#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"
#include "helenus/ml/evaluator.h"
#include "helenus/ml/metrics.h"
#include "helenus/ml/predictor.h"

namespace helenus::ml {

namespace {

// Internal column names, out of the way of the user's columns.
constexpr char kFeatures[] = "__features";
constexpr char kLabel[] = "__label";
constexpr char kPrediction[] = "__prediction";
constexpr char kProbability[] = "__probability";
constexpr char kRaw[] = "__raw_prediction";
constexpr char kScore[] = "__binary_score";

constexpr uint32_t kBundleVersion = 1;

bool Featurized(Task t) {
  return t == Task::kClassification || t == Task::kRegression || t == Task::kClustering ||
         t == Task::kFeature;
}

bool Supervised(Task t) {
  return t == Task::kClassification || t == Task::kRegression;
}

exec::Column DoubleColumn(const std::vector<double>& v) {
  exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kDouble), v.size());
  for (double x : v) {
    if (std::isnan(x)) {
      c.AppendNull();
    } else {
      c.AppendDouble(x);
    }
  }
  return c;
}

// Copies of the frame without the internal "__" columns.
Frame WithoutInternal(Frame f) {
  std::vector<std::string> drop;
  for (const auto& c : f.columns()) {
    if (c.name.starts_with("__")) drop.push_back(c.name);
  }
  for (const auto& d : drop) f.Drop(d);
  return f;
}

}  // namespace

StatementModel StatementModel::Train(const Frame& train, Spec spec, const Context& ctx) {
  const Registry& registry = Registry::Default();
  const EstimatorInfo* info = registry.FindEstimator(spec.estimator);
  if (info == nullptr) registry.MakeEstimator(spec.estimator, spec.params);  // throws the listing
  StatementModel m;
  m.estimator_ = info->name;
  m.task_ = info->task;
  if (train.num_rows() == 0) ThrowInvalid("The training set is empty");
  Params params = spec.params;
  if (Supervised(m.task_)) {
    if (spec.label.empty()) {
      ThrowInvalid("{} needs a label: add WITH label = '<column>'", m.estimator_);
    }
    if (train.Find(spec.label) < 0) {
      std::vector<std::string> names;
      for (const auto& c : train.columns()) names.push_back(c.name);
      ThrowInvalid("Label column {} is not among the query's columns ({})", spec.label,
                   fmt::join(names, ", "));
    }
    m.label_ = spec.label;
    params.Set("label_col", std::string(kLabel));
  } else if (m.task_ == Task::kRecommendation) {
    // The rating plays the label's part: `label = 'stars'` names the rating column.
    if (!spec.label.empty()) params.Set("rating_col", spec.label);
    m.label_ = params.String("rating_col", "rating");
    params.Set("prediction_col", std::string("prediction"));
  } else if (!spec.label.empty()) {
    ThrowInvalid("{} is {} and takes no label", m.estimator_, TaskName(m.task_));
  }
  if (Featurized(m.task_)) {
    std::vector<std::string> columns = spec.features;
    if (columns.empty()) {
      for (const auto& c : train.columns()) {
        if (c.name != spec.label) columns.push_back(c.name);
      }
    }
    for (const auto& c : columns) {
      if (c == spec.label) ThrowInvalid("The label {} cannot also be a feature", c);
    }
    m.features_ = AutoFeatures::Fit(train, columns, kFeatures);
    if (m.task_ == Task::kFeature) {
      // Feature extractors (pca) read one vector column and write their own output.
      params.Set("input_col", std::string(kFeatures));
    } else {
      params.Set("features_col", std::string(kFeatures));
      params.Set("prediction_col", std::string(kPrediction));
    }
    if (m.task_ == Task::kClassification) {
      m.classes_ = std::make_unique<LabelEncoder>(LabelEncoder::Fit(train, spec.label));
      if (m.classes_->num_classes() < 2) {
        ThrowInvalid("Label column {} has only one class ({}); a classifier needs at least two",
                     spec.label, m.classes_->labels()[0]);
      }
      params.Set("probability_col", std::string(kProbability));
      params.Set("raw_prediction_col", std::string(kRaw));
    }
  } else if (!spec.features.empty()) {
    ThrowInvalid("{} reads its own columns; the features option does not apply", m.estimator_);
  }
  auto estimator = registry.MakeEstimator(m.estimator_, params);
  Frame prepared = m.Prepare(train, ctx, true);
  m.model_ = estimator->Fit(prepared, ctx);
  return m;
}

Frame StatementModel::Prepare(const Frame& input, const Context& ctx, bool with_label) const {
  Frame f = features_ ? features_->Transform(input, ctx) : input;
  if (!with_label || !Supervised(task_)) return f;
  if (classes_) {
    std::vector<double> y = classes_->Encode(f);
    Attributes attrs;
    attrs.labels = classes_->labels();
    f.Add(kLabel, DoubleColumn(y), std::move(attrs));
  } else {
    const std::vector<double> y = f.Numeric(label_);
    f.Add(kLabel, DoubleColumn(y));
  }
  return f;
}

std::vector<std::string> StatementModel::feature_columns() const {
  std::vector<std::string> out;
  if (features_) {
    for (const auto& in : features_->inputs()) out.push_back(in.column);
  }
  return out;
}

Frame StatementModel::Predict(const Frame& input, const Context& ctx) const {
  Frame scored = model_->Transform(Prepare(input, ctx, false), ctx);
  if (!Featurized(task_) || task_ == Task::kFeature) return WithoutInternal(std::move(scored));
  Frame out = input;
  if (task_ == Task::kClassification) {
    const std::vector<double> index = scored.Numeric(kPrediction);
    out.Add("prediction", classes_->Decode(index));
    if (scored.Find(kProbability) >= 0) {
      const Vectors& p = scored.VectorsOf(kProbability);
      std::vector<double> best(index.size(), std::nan(""));
      std::vector<double> row(p.dim);
      for (size_t r = 0; r < index.size(); ++r) {
        if (std::isnan(index[r]) || p.IsNull(r)) continue;
        p.Densify(r, row.data());
        best[r] = row[static_cast<size_t>(index[r])];
      }
      out.Add("probability", DoubleColumn(best));
    }
    return out;
  }
  const FrameColumn& pred = scored.column(scored.Require(kPrediction));
  out.Add("prediction", std::get<exec::Column>(pred.data));
  return out;
}

namespace {

// binary_score (two classes only) ranks the rows for the ROC and PR areas.
std::vector<MetricRow> ClassificationRows(const std::vector<double>& y,
                                          const std::vector<double>& pred, const Vectors* prob,
                                          const std::vector<double>* binary_score,
                                          const std::vector<std::string>& labels) {
  const size_t k = labels.size();
  const ConfusionMatrix cm = ComputeConfusionMatrix(y, pred, {}, k);
  std::vector<MetricRow> rows = {
      {"rows", "", "", cm.Total()},
      {"accuracy", "", "", Accuracy(cm)},
      {"weightedPrecision", "", "", WeightedPrecision(cm)},
      {"weightedRecall", "", "", WeightedRecall(cm)},
      {"f1", "", "", WeightedFMeasure(cm)},
      {"macroF1", "", "", MacroFMeasure(cm)},
  };
  if (prob != nullptr) {
    std::vector<double> p(prob->rows * k);
    for (size_t r = 0; r < prob->rows; ++r) prob->Densify(r, p.data() + r * k);
    rows.push_back({"logLoss", "", "", LogLoss(y, p, k)});
  }
  if (binary_score != nullptr) {
    const BinaryConfusions bc = ComputeBinaryConfusions(*binary_score, y);
    rows.push_back({"areaUnderROC", "", "", AreaUnderRoc(bc)});
    rows.push_back({"areaUnderPR", "", "", AreaUnderPr(bc)});
  }
  for (size_t c = 0; c < k; ++c) {
    rows.push_back({"precisionByLabel", labels[c], "", Precision(cm, c)});
    rows.push_back({"recallByLabel", labels[c], "", Recall(cm, c)});
    rows.push_back({"fMeasureByLabel", labels[c], "", FMeasure(cm, c)});
    rows.push_back({"support", labels[c], "", cm.Support(c)});
  }
  for (size_t t = 0; t < k; ++t) {
    for (size_t p = 0; p < k; ++p) rows.push_back({"confusion", labels[t], labels[p], cm.at(t, p)});
  }
  return rows;
}

std::vector<MetricRow> RegressionRows(const std::vector<double>& y,
                                      const std::vector<double>& pred) {
  std::vector<double> ys, ps;
  for (size_t r = 0; r < y.size(); ++r) {
    if (std::isnan(y[r]) || std::isnan(pred[r])) continue;
    ys.push_back(y[r]);
    ps.push_back(pred[r]);
  }
  if (ys.empty()) ThrowInvalid("No rows with both a label and a prediction to evaluate");
  const RegressionMetrics m = ComputeRegressionMetrics(ys, ps);
  return {{"rows", "", "", static_cast<double>(ys.size())},
          {"rmse", "", "", m.rmse},
          {"mse", "", "", m.mse},
          {"mae", "", "", m.mae},
          {"r2", "", "", m.r2},
          {"var", "", "", m.explained_variance}};
}

}  // namespace

std::optional<std::vector<double>> StatementModel::BinaryScores(const Frame& scored) const {
  const auto* classifier = dynamic_cast<const ClassificationModel*>(model_.get());
  if (classifier == nullptr || classes_->num_classes() != 2 || scored.Find(kRaw) < 0 ||
      scored.Find(kProbability) < 0) {
    return std::nullopt;
  }
  const Vectors& raw = scored.VectorsOf(kRaw);
  const Vectors& prob = scored.VectorsOf(kProbability);
  std::vector<double> out(raw.rows);
  double r2[2], p2[2];
  for (size_t r = 0; r < raw.rows; ++r) {
    raw.Densify(r, r2);
    prob.Densify(r, p2);
    out[r] = classifier->BinaryScore(r2, p2);
  }
  return out;
}

Frame StatementModel::ScoreKnownLabels(const Frame& data, const Context& ctx) const {
  // Rows whose label the model never saw cannot be scored against a class.
  const std::vector<double> y = classes_->Encode(data);
  std::vector<uint32_t> keep;
  for (size_t r = 0; r < y.size(); ++r) {
    if (y[r] >= 0) keep.push_back(static_cast<uint32_t>(r));
  }
  if (keep.empty()) ThrowInvalid("No rows with a label the model knows to evaluate");
  const Frame rows = keep.size() == y.size() ? data : data.Take(keep);
  return model_->Transform(Prepare(rows, ctx, true), ctx);
}

std::vector<MetricRow> StatementModel::Evaluate(const Frame& data, const Context& ctx,
                                                bool keep_artifacts) {
  return EvaluateInto(data, ctx, keep_artifacts ? &kept_ : nullptr);
}

std::vector<MetricRow> StatementModel::Evaluate(const Frame& data, const Context& ctx) const {
  return EvaluateInto(data, ctx, nullptr);
}

std::vector<MetricRow> StatementModel::EvaluateInto(
    const Frame& data, const Context& ctx,
    std::vector<std::pair<std::string, Frame>>* artifacts) const {
  if (data.num_rows() == 0) ThrowInvalid("No rows to evaluate the model on");
  switch (task_) {
    case Task::kClassification: {
      Frame scored = ScoreKnownLabels(data, ctx);
      const bool has_prob = scored.Find(kProbability) >= 0;
      const std::optional<std::vector<double>> score = BinaryScores(scored);
      if (score) scored.Add(kScore, DoubleColumn(*score));
      if (artifacts != nullptr) {
        artifacts->clear();
        // The evaluator's table, with the columns named as the statement shows them.
        const Frame cm = ConfusionMatrixFrame(scored, kLabel, kPrediction);
        Frame shown;
        shown.Add("actual", std::get<exec::Column>(cm.column(cm.Require("label_name")).data));
        shown.Add("predicted",
                  std::get<exec::Column>(cm.column(cm.Require("predicted_name")).data));
        shown.Add("count", std::get<exec::Column>(cm.column(cm.Require("count")).data));
        artifacts->emplace_back("confusion_matrix", std::move(shown));
        if (score) artifacts->emplace_back("roc_curve", RocCurveFrame(scored, kLabel, kScore));
      }
      return ClassificationRows(scored.Numeric(kLabel), scored.Numeric(kPrediction),
                                has_prob ? &scored.VectorsOf(kProbability) : nullptr,
                                score ? &*score : nullptr, classes_->labels());
    }
    case Task::kRegression: {
      Frame scored = model_->Transform(Prepare(data, ctx, true), ctx);
      return RegressionRows(scored.Numeric(kLabel), scored.Numeric(kPrediction));
    }
    case Task::kClustering: {
      Frame scored = model_->Transform(Prepare(data, ctx, false), ctx);
      const double s = Silhouette(scored.VectorsOf(kFeatures), scored.Numeric(kPrediction),
                                  SilhouetteDistance::kSquaredEuclidean, ctx);
      return {{"rows", "", "", static_cast<double>(data.num_rows())}, {"silhouette", "", "", s}};
    }
    case Task::kRecommendation: {
      Frame scored = model_->Transform(data, ctx);
      return RegressionRows(scored.Numeric(label_), scored.Numeric("prediction"));
    }
    default:
      ThrowInvalid("EVALUATE is not defined for {} models ({})", estimator_, TaskName(task_));
  }
}

std::vector<std::pair<std::string, std::string>> StatementModel::Describe() const {
  std::vector<std::pair<std::string, std::string>> d = {
      {"estimator", estimator_},
      {"task", std::string(TaskName(task_))},
  };
  if (!label_.empty()) d.push_back({"label", label_});
  if (classes_) d.push_back({"classes", fmt::format("{}", fmt::join(classes_->labels(), ", "))});
  if (features_) {
    d.push_back({"num_features", std::to_string(features_->dim())});
    for (auto& kv : features_->Describe()) d.push_back(std::move(kv));
  }
  for (auto& [k, v] : model_->Describe()) {
    // Internal column names are an implementation detail of the statement.
    if (v.starts_with("__")) continue;
    d.emplace_back(k, v);
  }
  const auto artifacts = Artifacts();
  if (!artifacts.empty()) d.push_back({"artifacts", fmt::format("{}", fmt::join(artifacts, ", "))});
  return d;
}

std::vector<std::string> StatementModel::Artifacts() const {
  std::vector<std::string> out = model_->Artifacts();
  for (const auto& [name, _] : kept_) out.push_back(name);
  return out;
}

Frame StatementModel::Artifact(const std::string& name) const {
  for (const auto& [n, f] : kept_) {
    if (n == name) return f;
  }
  const auto names = Artifacts();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    ThrowInvalid("Model has no artifact {}; it has: {}", name,
                 names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", ")));
  }
  return model_->Artifact(name);
}

std::vector<uint8_t> StatementModel::Save() const {
  Writer w;
  w.U32(kBundleVersion);
  w.Str(estimator_);
  w.U8(static_cast<uint8_t>(task_));
  w.Str(label_);
  w.Bool(features_ != nullptr);
  if (features_) features_->Save(w);
  w.Bool(classes_ != nullptr);
  if (classes_) classes_->Save(w);
  w.Bytes(SaveModel(*model_));
  w.U64(kept_.size());
  for (const auto& [name, f] : kept_) {
    w.Str(name);
    SaveScalarFrame(f, w);
  }
  return w.Take();
}

StatementModel StatementModel::Load(std::span<const uint8_t> bytes) {
  Reader r(bytes);
  const uint32_t version = r.U32();
  if (version != kBundleVersion) ThrowInvalid("Model bundle version {} is not supported", version);
  StatementModel m;
  m.estimator_ = r.Str();
  const uint8_t task = r.U8();
  if (task > static_cast<uint8_t>(Task::kFeature)) ThrowInvalid("Corrupt model: task {}", task);
  m.task_ = static_cast<Task>(task);
  m.label_ = r.Str();
  if (r.Bool()) {
    auto f = AutoFeatures::Load(r);
    m.features_.reset(static_cast<AutoFeatures*>(f.release()));
  }
  if (r.Bool()) m.classes_ = std::make_unique<LabelEncoder>(LabelEncoder::Load(r));
  const std::vector<uint8_t> model = r.Bytes();
  m.model_ = LoadModel(model);
  const size_t kept = r.Count(8);
  for (size_t i = 0; i < kept; ++i) {
    std::string name = r.Str();
    m.kept_.emplace_back(std::move(name), LoadScalarFrame(r));
  }
  if (!r.done()) ThrowInvalid("Corrupt model: trailing bytes");
  return m;
}

void SaveScalarFrame(const Frame& f, Writer& out) {
  out.U64(f.num_columns());
  out.U64(f.num_rows());
  for (const auto& c : f.columns()) {
    const exec::Column& col = std::get<exec::Column>(c.data);
    out.Str(c.name);
    out.Str(col.type.ToCql());
    for (size_t r = 0; r < f.num_rows(); ++r) {
      Value v = exec::CqlValueAt(col, r);
      out.Bool(v.has_value());
      if (v) out.Str(*v);
    }
  }
}

Frame LoadScalarFrame(Reader& in) {
  const size_t columns = in.Count(8);
  const size_t rows = in.U64();
  Frame f;
  for (size_t i = 0; i < columns; ++i) {
    std::string name = in.Str();
    auto type = ParseDataType(in.Str());
    if (!type) ThrowInvalid("Corrupt model: bad artifact column type");
    exec::Column c = exec::Column::Make(*type);
    for (size_t r = 0; r < rows; ++r) {
      Value v;
      if (in.Bool()) v = in.Str();
      exec::AppendCqlValue(&c, v);
    }
    f.Add(std::move(name), std::move(c));
  }
  return f;
}

}  // namespace helenus::ml

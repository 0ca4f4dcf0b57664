#pragma once

// Evaluation metrics on plain arrays, with MLlib's semantics (and
// scikit-learn's where MLlib has none). Evaluators (evaluator.h) read Frame
// columns and call these.
//
// Conventions:
// - weights: empty = every row weighs 1; otherwise one finite non-negative weight per row.
// - classification labels and predictions are class indices 0, 1, 2, ... as doubles.
// - divisions by zero give 0 (scikit-learn's zero_division=0, MLlib's behaviour).

#include <cstddef>
#include <span>
#include <vector>

#include "helenus/ml/context.h"
#include "helenus/ml/vectors.h"

namespace helenus::ml {

// ---------------------------------------------------------------- classification

// Weighted counts of (true label, predicted label) pairs, k x k; rows are the
// true label and columns the prediction (scikit-learn's confusion_matrix layout).
struct ConfusionMatrix {
  size_t num_classes = 0;
  std::vector<double> counts;  // row-major: counts[truth * num_classes + predicted]

  // The count of rows of class truth predicted as predicted.
  double at(size_t truth, size_t predicted) const {
    return counts[truth * num_classes + predicted];
  }
  // Sum of all counts.
  double Total() const;
  // Rows whose true label is c (the row sum; scikit-learn's support).
  double Support(size_t c) const;
  // Rows predicted as c (the column sum).
  double Predicted(size_t c) const;
};

// Counts labels against predictions; k = max(num_classes, largest index + 1).
// Invalid for labels or predictions that are not non-negative integers, NaN
// or negative weights, or arrays of different lengths.
ConfusionMatrix ComputeConfusionMatrix(std::span<const double> labels,
                                       std::span<const double> predictions,
                                       std::span<const double> weights = {},
                                       size_t num_classes = 0);

// Fraction of rows predicted right.
double Accuracy(const ConfusionMatrix& cm);
// Fraction of rows predicted wrong (MLlib's hammingLoss; 1 - accuracy for single labels).
double HammingLoss(const ConfusionMatrix& cm);
// Precision of class c: TP / (TP + FP); 0 when nothing was predicted as c.
double Precision(const ConfusionMatrix& cm, size_t c);
// Recall (true positive rate) of class c: TP / (TP + FN); 0 when c never occurs.
double Recall(const ConfusionMatrix& cm, size_t c);
// F-measure of class c: (1 + b^2) P R / (b^2 P + R); 0 when P + R = 0.
double FMeasure(const ConfusionMatrix& cm, size_t c, double beta = 1.0);
// False positive rate of class c: FP / (FP + TN); 0 when every row is of class c.
double FalsePositiveRate(const ConfusionMatrix& cm, size_t c);

// Averages weighted by each class's support (scikit-learn average='weighted',
// MLlib weightedPrecision / weightedRecall / weightedFMeasure / weighted...Rate).
double WeightedPrecision(const ConfusionMatrix& cm);
double WeightedRecall(const ConfusionMatrix& cm);
double WeightedFMeasure(const ConfusionMatrix& cm, double beta = 1.0);
double WeightedFalsePositiveRate(const ConfusionMatrix& cm);
// Unweighted means over the classes that occur as a label or a prediction
// (scikit-learn average='macro'; MLlib has no macro averages).
double MacroPrecision(const ConfusionMatrix& cm);
double MacroRecall(const ConfusionMatrix& cm);
double MacroFMeasure(const ConfusionMatrix& cm, double beta = 1.0);

// MLlib's logLoss: mean of -log p(true class), p clipped to [eps, 1 - eps].
// probabilities holds num_classes values per row (row-major).
double LogLoss(std::span<const double> labels, std::span<const double> probabilities,
               size_t num_classes, std::span<const double> weights = {}, double eps = 1e-15);

// ---------------------------------------------------------------- binary

// Cumulative counts of a binary classifier's scores: one entry per distinct
// score (ties grouped), scores descending; entry i counts the rows with
// score >= thresholds[i]. A label > 0.5 is positive (MLlib's rule).
struct BinaryConfusions {
  std::vector<double> thresholds;  // descending
  std::vector<double> tp;          // cumulative weight of positives
  std::vector<double> fp;          // cumulative weight of negatives
  double positives = 0;
  double negatives = 0;
};

// Sorts and groups scores. num_bins > 0 down-samples like MLlib's numBins:
// with d distinct scores and g = d / num_bins >= 2, consecutive runs of g
// distinct scores merge into one point (threshold = the run's first score);
// 0 keeps every distinct score (exact curves). Invalid for NaN scores.
BinaryConfusions ComputeBinaryConfusions(std::span<const double> scores,
                                         std::span<const double> labels,
                                         std::span<const double> weights = {}, size_t num_bins = 0);

// One point of a ROC curve: the rates of "score >= threshold".
struct RocPoint {
  double threshold;
  double fpr;
  double tpr;
};

// One point of a precision-recall curve.
struct PrPoint {
  double threshold;
  double recall;
  double precision;
};

// The ROC curve: (threshold +inf, 0, 0), one point per threshold, then
// (threshold -inf, 1, 1) only when the last threshold does not reach (1, 1)
// (MLlib's roc() always appends (1, 1); scikit-learn's roc_curve with
// drop_intermediate=False has the same points, +inf being its first
// threshold since 1.3). A rate whose denominator is 0 (no positives or no
// negatives) is 0, as in MLlib.
std::vector<RocPoint> RocCurve(const BinaryConfusions& c);
// Area under the ROC curve by trapezoids (ties count one half).
double AreaUnderRoc(const BinaryConfusions& c);

// MLlib's pr(): (threshold +inf, recall 0, precision of the first threshold)
// then (recall, precision) per threshold.
std::vector<PrPoint> PrCurve(const BinaryConfusions& c);
// MLlib's areaUnderPR: trapezoids over PrCurve. Linear interpolation of
// precision makes it differ from scikit-learn's average_precision_score.
double AreaUnderPr(const BinaryConfusions& c);
// scikit-learn's average_precision_score: sum over thresholds of
// (R_i - R_{i-1}) * P_i (step interpolation).
double AveragePrecision(const BinaryConfusions& c);

// ---------------------------------------------------------------- regression

// MLlib's RegressionMetrics over (label, prediction) pairs.
struct RegressionMetrics {
  double count = 0;  // total weight
  double mse = 0;    // mean squared error
  double rmse = 0;   // square root of mse
  double mae = 0;    // mean absolute error
  // 1 - SSerr / SStot, SStot = sum w (y - mean y)^2 (scikit-learn's r2_score);
  // through the origin: 1 - SSerr / sum w y^2 (MLlib's throughOrigin).
  double r2 = 0;
  // MLlib's explainedVariance ("var"): sum w (prediction - mean y)^2 / count.
  // NOT scikit-learn's explained_variance_score; see explained_variance_score.
  double explained_variance = 0;
  // scikit-learn's explained_variance_score: 1 - Var(y - prediction) / Var(y).
  double explained_variance_score = 0;
};

// All regression metrics in two passes. Invalid for NaN values, no rows, or zero total weight.
RegressionMetrics ComputeRegressionMetrics(std::span<const double> labels,
                                           std::span<const double> predictions,
                                           std::span<const double> weights = {},
                                           bool through_origin = false);

// ---------------------------------------------------------------- clustering

// The distance a silhouette is measured with.
enum class SilhouetteDistance {
  kSquaredEuclidean,  // MLlib's default: ||x - y||^2 (scikit-learn metric='sqeuclidean')
  kCosine,            // 1 - cos(x, y) (scikit-learn metric='cosine')
};

// MLlib's ClusteringEvaluator silhouette: the (weighted) mean over points of
// s = (b - a) / max(a, b), a = mean distance to the other points of its
// cluster, b = the smallest mean distance to another cluster's points;
// s = 0 for a point alone in its cluster. Computed in O(n k d) from
// per-cluster sums (count, sum of vectors, sum of squared norms), not O(n^2).
// Note: MLlib's default uses SQUARED euclidean distances, so it differs from
// scikit-learn's default silhouette_score (plain euclidean).
// clusters holds non-negative integer cluster ids; Invalid with fewer than two clusters.
double Silhouette(const Vectors& x, std::span<const double> clusters, SilhouetteDistance distance,
                  const Context& ctx, std::span<const double> weights = {});

// ---------------------------------------------------------------- ranking

// One query of a ranking: the items in predicted order and the relevant items.
struct RankingQuery {
  std::vector<double> predicted;
  std::vector<double> relevant;  // a set: duplicates count once
};

// MLlib's RankingMetrics, averaged over queries. A query without relevant
// items scores 0 (MLlib logs a warning and counts it as 0). Invalid for k < 1.
// Relevant items among the first k predictions, divided by k (even when fewer
// than k items were predicted).
double PrecisionAtK(std::span<const RankingQuery> queries, size_t k);
// Relevant items among the first k predictions, divided by the number of relevant items.
double RecallAtK(std::span<const RankingQuery> queries, size_t k);
// Binary-relevance NDCG over the first k positions (gain 1 / log(i + 2)).
double NdcgAtK(std::span<const RankingQuery> queries, size_t k);
// Mean average precision over the whole predicted list (divides by the number of relevant items).
double MeanAveragePrecision(std::span<const RankingQuery> queries);
// MAP over the first k predictions, divided by min(k, number of relevant items).
double MeanAveragePrecisionAtK(std::span<const RankingQuery> queries, size_t k);

}  // namespace helenus::ml

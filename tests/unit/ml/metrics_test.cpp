#include "helenus/ml/metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "helenus/common/error.h"
#include "helenus/exec/pool.h"
#include "helenus/ml/random.h"

namespace helenus::ml {
namespace {

constexpr double kTol = 1e-12;

// The workshop's precision/recall lesson: 100 patients, 9 malignant (1), the
// model flags 2 as malignant and 1 of them rightly.
TEST(ClassificationMetrics, TumourFixture) {
  std::vector<double> label(100, 0.0), prediction(100, 0.0);
  for (int i = 0; i < 9; ++i) label[i] = 1;
  prediction[0] = 1;   // the one malignant tumour found
  prediction[50] = 1;  // a benign one flagged
  const ConfusionMatrix cm = ComputeConfusionMatrix(label, prediction);
  ASSERT_EQ(cm.num_classes, 2u);
  EXPECT_EQ(cm.at(1, 1), 1);   // TP
  EXPECT_EQ(cm.at(0, 1), 1);   // FP
  EXPECT_EQ(cm.at(1, 0), 8);   // FN
  EXPECT_EQ(cm.at(0, 0), 90);  // TN
  EXPECT_NEAR(Accuracy(cm), 0.91, kTol);
  EXPECT_NEAR(Precision(cm, 1), 0.5, kTol);
  EXPECT_NEAR(Recall(cm, 1), 1.0 / 9, kTol);
  EXPECT_NEAR(Recall(cm, 1), 0.111, 1e-3);
  EXPECT_NEAR(HammingLoss(cm), 0.09, kTol);
}

// Reference values: scikit-learn 1.2 on
//   y_true = [0,1,2,2,1,0,0,2,1,1,0,2], y_pred = [0,2,2,2,1,0,1,0,1,1,3,1]
// (class 3 is only ever predicted).
const std::vector<double> kY = {0, 1, 2, 2, 1, 0, 0, 2, 1, 1, 0, 2};
const std::vector<double> kPred = {0, 2, 2, 2, 1, 0, 1, 0, 1, 1, 3, 1};
const std::vector<double> kW = {1, 2, 1, 1, 0.5, 1, 3, 1, 1, 2, 1, 1.5};

TEST(ClassificationMetrics, MatchScikitLearn) {
  const ConfusionMatrix cm = ComputeConfusionMatrix(kY, kPred);
  ASSERT_EQ(cm.num_classes, 4u);
  // confusion_matrix(y, yp)
  const std::vector<double> expected = {2, 1, 0, 1, 0, 3, 1, 0, 1, 1, 2, 0, 0, 0, 0, 0};
  EXPECT_EQ(cm.counts, expected);
  EXPECT_NEAR(Accuracy(cm), 0.5833333333333334, kTol);  // accuracy_score
  // precision_score / recall_score / f1_score(average=None, zero_division=0)
  const double prec[] = {0.6666666666666666, 0.6, 0.6666666666666666, 0.0};
  const double rec[] = {0.5, 0.75, 0.5, 0.0};
  const double f1[] = {0.5714285714285715, 0.6666666666666665, 0.5714285714285715, 0.0};
  for (size_t c = 0; c < 4; ++c) {
    EXPECT_NEAR(Precision(cm, c), prec[c], kTol) << c;
    EXPECT_NEAR(Recall(cm, c), rec[c], kTol) << c;
    EXPECT_NEAR(FMeasure(cm, c), f1[c], kTol) << c;
  }
  // average='weighted' (= MLlib weightedPrecision / weightedRecall / weightedFMeasure)
  EXPECT_NEAR(WeightedPrecision(cm), 0.6444444444444444, kTol);
  EXPECT_NEAR(WeightedRecall(cm), 0.5833333333333334, kTol);
  EXPECT_NEAR(WeightedFMeasure(cm), 0.6031746031746033, kTol);
  // fbeta_score(beta=2, average='weighted')
  EXPECT_NEAR(WeightedFMeasure(cm, 2.0), 0.5889724310776941, kTol);
  // average='macro' (over the 4 classes seen as label or prediction)
  EXPECT_NEAR(MacroPrecision(cm), 0.4833333333333333, kTol);
  EXPECT_NEAR(MacroRecall(cm), 0.4375, kTol);
  EXPECT_NEAR(MacroFMeasure(cm), 0.45238095238095244, kTol);
  EXPECT_NEAR(HammingLoss(cm), 0.4166666666666667, kTol);  // hamming_loss
  // False positive rate of class 1: 2 of the 8 rows that are not 1.
  EXPECT_NEAR(FalsePositiveRate(cm, 1), 2.0 / 8, kTol);
}

TEST(ClassificationMetrics, WeightedMatchScikitLearnSampleWeight) {
  const ConfusionMatrix cm = ComputeConfusionMatrix(kY, kPred, kW);
  // accuracy_score / precision_score / recall_score / f1_score(average='weighted', sample_weight=w)
  EXPECT_NEAR(Accuracy(cm), 0.46875, kTol);
  EXPECT_NEAR(WeightedPrecision(cm), 0.541015625, kTol);
  EXPECT_NEAR(WeightedRecall(cm), 0.46875, kTol);
  EXPECT_NEAR(WeightedFMeasure(cm), 0.477260348583878, kTol);
}

// numpy.random.RandomState(3).dirichlet([1,1,1], size=12), rows 0 and 1 set
// to exact 0/1 probabilities to exercise the eps clipping.
const std::vector<double> kProbs = {1.0,
                                    0.0,
                                    0.0,
                                    0.0,
                                    0.0,
                                    1.0,
                                    0.32007545057654463,
                                    0.5539009248401536,
                                    0.12602362458330174,
                                    0.47569235713309294,
                                    0.024822571764609672,
                                    0.49948507110229734,
                                    0.4186865975755726,
                                    0.130479458233856,
                                    0.4508339441905714,
                                    0.5147006070666018,
                                    0.013979906642603743,
                                    0.4713194862907945,
                                    0.25653040961266915,
                                    0.45845913056750986,
                                    0.285010459819821,
                                    0.6112730371228834,
                                    0.30043662472514254,
                                    0.08829033815197407,
                                    0.29485418993104867,
                                    0.5680393875027633,
                                    0.13710642256618816,
                                    0.07177192873300411,
                                    0.1404058166659001,
                                    0.7878222546010958,
                                    0.519665082956237,
                                    0.1554897128400682,
                                    0.3248452042036948,
                                    0.7658271216155971,
                                    0.19453332059514417,
                                    0.039639557789258775};

TEST(ClassificationMetrics, LogLossMatchesScikitLearn) {
  // log_loss(y, P, labels=[0,1,2], eps=1e-15) and with sample_weight=w. MLlib's
  // eps is 1e-15; scikit-learn 1.2 defaults to eps='auto' (2.2e-16), which
  // gives 4.309061685753252 here because two rows put 0 on the true class.
  EXPECT_NEAR(LogLoss(kY, kProbs, 3), 4.183655269569379, 1e-12);
  EXPECT_NEAR(LogLoss(kY, kProbs, 3, kW), 5.626410515361969, 1e-12);
  EXPECT_THROW(LogLoss(kY, kProbs, 2), CqlError);
  EXPECT_THROW(LogLoss({{5.0}}, std::vector<double>{0.5, 0.5}, 2), CqlError);
}

TEST(ClassificationMetrics, RejectsBadInput) {
  EXPECT_THROW(ComputeConfusionMatrix({{0.5}}, {{0.0}}), CqlError);
  EXPECT_THROW(ComputeConfusionMatrix({{-1.0}}, {{0.0}}), CqlError);
  EXPECT_THROW(ComputeConfusionMatrix({{std::nan("")}}, {{0.0}}), CqlError);
  EXPECT_THROW(ComputeConfusionMatrix({{0.0, 1.0}}, {{0.0}}), CqlError);
  EXPECT_THROW(ComputeConfusionMatrix({{0.0}}, {{0.0}}, {{-1.0}}), CqlError);
  EXPECT_THROW(ComputeConfusionMatrix({{1e9}}, {{0.0}}), CqlError);
}

// scores with ties (0.8, 0.6 x3, 0.2 x2) and labels; scikit-learn 1.2:
//   roc_curve(l, s, drop_intermediate=False), roc_auc_score, average_precision_score,
//   precision_recall_curve; MLlib's areaUnderPR computed by its definition.
const std::vector<double> kScores = {0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.4, 0.3, 0.2, 0.2, 0.1};
const std::vector<double> kBin = {1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0};

TEST(BinaryMetrics, RocCurveWithTiesMatchesScikitLearn) {
  const BinaryConfusions c = ComputeBinaryConfusions(kScores, kBin);
  EXPECT_EQ(c.positives, 5);
  EXPECT_EQ(c.negatives, 7);
  const auto roc = RocCurve(c);
  const double fpr[] = {0.0, 0.0, 1.0 / 7, 1.0 / 7, 3.0 / 7, 4.0 / 7, 4.0 / 7, 6.0 / 7, 1.0};
  const double tpr[] = {0.0, 0.2, 0.4, 0.6, 0.8, 0.8, 1.0, 1.0, 1.0};
  const double thr[] = {
      std::numeric_limits<double>::infinity(), 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1};
  ASSERT_EQ(roc.size(), 9u);
  for (size_t i = 0; i < roc.size(); ++i) {
    EXPECT_NEAR(roc[i].fpr, fpr[i], kTol) << i;
    EXPECT_NEAR(roc[i].tpr, tpr[i], kTol) << i;
    EXPECT_EQ(roc[i].threshold, thr[i]) << i;
  }
  EXPECT_NEAR(AreaUnderRoc(c), 0.7857142857142858, kTol);
}

TEST(BinaryMetrics, PrCurveAndAreasMatchReferences) {
  const BinaryConfusions c = ComputeBinaryConfusions(kScores, kBin);
  const auto pr = PrCurve(c);
  // precision_recall_curve gives these reversed (recall 0 last, with precision 1).
  const double precision[] = {1.0,
                              1.0,
                              0.6666666666666666,
                              0.75,
                              0.5714285714285714,
                              0.5,
                              0.5555555555555556,
                              0.45454545454545453,
                              0.4166666666666667};
  const double recall[] = {0.0, 0.2, 0.4, 0.6, 0.8, 0.8, 1.0, 1.0, 1.0};
  ASSERT_EQ(pr.size(), 9u);
  for (size_t i = 0; i < pr.size(); ++i) {
    EXPECT_NEAR(pr[i].precision, precision[i], kTol) << i;
    EXPECT_NEAR(pr[i].recall, recall[i], kTol) << i;
  }
  EXPECT_NEAR(AreaUnderPr(c), 0.7460317460317459, kTol);       // MLlib trapezoids from (0, p1)
  EXPECT_NEAR(AveragePrecision(c), 0.7087301587301588, kTol);  // average_precision_score
}

TEST(BinaryMetrics, WeightedMatchScikitLearn) {
  const BinaryConfusions c = ComputeBinaryConfusions(kScores, kBin, kW);
  EXPECT_NEAR(AreaUnderRoc(c), 0.8291666666666666, kTol);      // roc_auc_score(sample_weight=w)
  EXPECT_NEAR(AveragePrecision(c), 0.7246758199847444, kTol);  // average_precision_score(...)
}

TEST(BinaryMetrics, AllTiedScoresGiveHalfAndOrderDoesNotMatter) {
  std::vector<double> s(10, 0.5), l = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
  EXPECT_NEAR(AreaUnderRoc(ComputeBinaryConfusions(s, l)), 0.5, kTol);
  std::vector<double> s2 = kScores, l2 = kBin;
  std::reverse(s2.begin(), s2.end());
  std::reverse(l2.begin(), l2.end());
  EXPECT_EQ(AreaUnderRoc(ComputeBinaryConfusions(s2, l2)),
            AreaUnderRoc(ComputeBinaryConfusions(kScores, kBin)));
}

TEST(BinaryMetrics, DownSamplingLikeMLlibNumBins) {
  // 8 distinct scores, num_bins 3: runs of 8 / 3 = 2 distinct scores merge.
  const BinaryConfusions c = ComputeBinaryConfusions(kScores, kBin, {}, 3);
  EXPECT_EQ(c.thresholds, (std::vector<double>{0.8, 0.6, 0.3, 0.1}));
  EXPECT_EQ(c.tp, (std::vector<double>{2, 4, 5, 5}));
  EXPECT_EQ(c.fp, (std::vector<double>{1, 3, 4, 7}));
  // ROC (0,0) (1/7,.4) (3/7,.8) (4/7,1) (1,1)
  EXPECT_NEAR(AreaUnderRoc(c), 5.3 / 7, kTol);
  // Too few distinct scores for the bins: exact.
  EXPECT_EQ(ComputeBinaryConfusions(kScores, kBin, {}, 1000).thresholds.size(), 8u);
}

TEST(BinaryMetrics, OneClassFollowsMLlib) {
  std::vector<double> s = {0.1, 0.4, 0.8};
  // No negatives: FPR is 0 throughout and the curve closes at (1, 1): area 1.
  EXPECT_NEAR(AreaUnderRoc(ComputeBinaryConfusions(s, {{1.0, 1.0, 1.0}})), 1.0, kTol);
  // No positives: TPR is 0 throughout: area 0.
  EXPECT_NEAR(AreaUnderRoc(ComputeBinaryConfusions(s, {{0.0, 0.0, 0.0}})), 0.0, kTol);
  EXPECT_THROW(ComputeBinaryConfusions({}, {}), CqlError);
  EXPECT_THROW(ComputeBinaryConfusions({{std::nan("")}}, {{1.0}}), CqlError);
}

// y_true = [3,-0.5,2,7,4.2,1.1], y_pred = [2.5,0,2,8,3.9,1.5]; scikit-learn
// mean_squared_error, mean_absolute_error, r2_score, explained_variance_score;
// MLlib's "var" = mean((y_pred - mean(y_true))^2).
TEST(RegressionMetrics, MatchScikitLearnAndMLlib) {
  const std::vector<double> y = {3, -0.5, 2, 7, 4.2, 1.1}, p = {2.5, 0.0, 2, 8, 3.9, 1.5};
  const RegressionMetrics m = ComputeRegressionMetrics(y, p);
  EXPECT_NEAR(m.mse, 0.2916666666666667, kTol);
  EXPECT_NEAR(m.rmse, 0.5400617248673217, kTol);
  EXPECT_NEAR(m.mae, 0.45, kTol);
  EXPECT_NEAR(m.r2, 0.9486200822078684, kTol);
  EXPECT_NEAR(m.explained_variance, 6.418333333333332, kTol);
  EXPECT_NEAR(m.explained_variance_score, 0.9545410060677236, kTol);
  // sample_weight = [1,2,0.5,1,1,3]
  const std::vector<double> w = {1, 2, 0.5, 1, 1, 3};
  const RegressionMetrics mw = ComputeRegressionMetrics(y, p, w);
  EXPECT_NEAR(mw.mse, 0.27294117647058824, kTol);
  EXPECT_NEAR(mw.mae, 0.47058823529411764, kTol);
  EXPECT_NEAR(mw.r2, 0.9492791831170668, kTol);
  // Through the origin: 1 - SSerr / sum y^2.
  double ss_err = 0, ss_y = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    ss_err += (y[i] - p[i]) * (y[i] - p[i]);
    ss_y += y[i] * y[i];
  }
  EXPECT_NEAR(ComputeRegressionMetrics(y, p, {}, true).r2, 1 - ss_err / ss_y, kTol);
  // A constant target: r2 is 1 when matched exactly, else 0 (never NaN).
  EXPECT_EQ(ComputeRegressionMetrics({{2.0, 2.0}}, {{2.0, 2.0}}).r2, 1.0);
  EXPECT_EQ(ComputeRegressionMetrics({{2.0, 2.0}}, {{2.0, 3.0}}).r2, 0.0);
  EXPECT_THROW(ComputeRegressionMetrics({}, {}), CqlError);
  EXPECT_THROW(ComputeRegressionMetrics({{1.0}}, {{std::nan("")}}), CqlError);
}

Vectors DenseOf(const std::vector<std::vector<double>>& rows) {
  Vectors v = Vectors::Dense(0, rows.empty() ? 0 : rows[0].size());
  for (const auto& r : rows) v.AppendDense(r);
  return v;
}

// Twelve 2-d points in three clusters; scikit-learn silhouette_score with
// metric='sqeuclidean' (MLlib's default distance) and metric='cosine'.
TEST(Silhouette, MatchesScikitLearn) {
  const Vectors x = DenseOf({{1, 1},
                             {1.5, 2},
                             {2, 1.2},
                             {1.2, 1.7},
                             {8, 8},
                             {8.5, 9},
                             {9, 8.2},
                             {7.5, 8.8},
                             {1, 8},
                             {2, 9},
                             {1.5, 8.5},
                             {5, 5}});
  const std::vector<double> c = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 1};
  Context ctx;
  EXPECT_NEAR(Silhouette(x, c, SilhouetteDistance::kSquaredEuclidean, ctx), 0.8610318554288786,
              1e-12);
  EXPECT_NEAR(Silhouette(x, c, SilhouetteDistance::kCosine, ctx), 0.3794522548091306, 1e-12);
  // scikit-learn's default (plain euclidean) gives 0.7410295086732784: a different number.
  EXPECT_THROW(Silhouette(x, std::vector<double>(12, 1.0), SilhouetteDistance::kCosine, ctx),
               CqlError);
}

// MLlib's formula computed pair by pair: a = weighted mean distance to the
// other points of the cluster, b = smallest weighted mean distance to another
// non-empty cluster, s = 0 alone in a cluster.
double BruteSilhouette(const std::vector<std::vector<double>>& x, const std::vector<double>& c,
                       const std::vector<double>& w, bool cosine) {
  auto dist = [&](size_t i, size_t j) {
    double d = 0, dot = 0, ni = 0, nj = 0;
    for (size_t t = 0; t < x[i].size(); ++t) {
      d += (x[i][t] - x[j][t]) * (x[i][t] - x[j][t]);
      dot += x[i][t] * x[j][t];
      ni += x[i][t] * x[i][t];
      nj += x[j][t] * x[j][t];
    }
    return cosine ? 1 - dot / std::sqrt(ni * nj) : d;
  };
  size_t k = 0;
  for (double v : c) k = std::max(k, static_cast<size_t>(v) + 1);
  double num = 0, den = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    std::vector<double> sum(k, 0), weight(k, 0);
    for (size_t j = 0; j < x.size(); ++j) {
      weight[static_cast<size_t>(c[j])] += w[j];
      if (j != i) sum[static_cast<size_t>(c[j])] += w[j] * dist(i, j);
    }
    const size_t own = static_cast<size_t>(c[i]);
    double s = 0;
    if (weight[own] != w[i]) {
      const double a = sum[own] / (weight[own] - w[i]);
      double b = std::numeric_limits<double>::infinity();
      for (size_t o = 0; o < k; ++o) {
        if (o != own && weight[o] > 0) b = std::min(b, sum[o] / weight[o]);
      }
      s = (b - a) / std::max(a, b);
    }
    num += w[i] * s;
    den += w[i];
  }
  return num / den;
}

TEST(Silhouette, MatchesBruteForceOfMLlibFormula) {
  Rng rng(11);
  const size_t n = 400, d = 5;
  std::vector<std::vector<double>> rows(n, std::vector<double>(d));
  std::vector<double> c(n), w(n);
  for (size_t i = 0; i < n; ++i) {
    // Clusters 0..3, cluster 4 left empty, one point alone in cluster 6.
    c[i] = i == 7 ? 6 : static_cast<double>(rng.Below(4));
    for (size_t t = 0; t < d; ++t) rows[i][t] = rng.Normal() + 3 * c[i] * (t == c[i] ? 1 : 0.2);
    w[i] = 0.5 + rng.Uniform() * 1.5;
  }
  const Vectors x = DenseOf(rows);
  Context ctx;
  for (bool cosine : {false, true}) {
    const auto dm = cosine ? SilhouetteDistance::kCosine : SilhouetteDistance::kSquaredEuclidean;
    const std::vector<double> ones(n, 1.0);
    EXPECT_NEAR(Silhouette(x, c, dm, ctx), BruteSilhouette(rows, c, ones, cosine), 1e-9);
    EXPECT_NEAR(Silhouette(x, c, dm, ctx, w), BruteSilhouette(rows, c, w, cosine), 1e-9);
  }
}

TEST(Silhouette, SparseEqualsDenseAndThreadsDoNotMatter) {
  Rng rng(5);
  const size_t n = 30000, d = 6;
  Vectors dense = Vectors::Dense(n, d);
  Vectors sparse = Vectors::Sparse(d);
  std::vector<double> c(n);
  for (size_t i = 0; i < n; ++i) {
    c[i] = static_cast<double>(rng.Below(3));
    std::vector<uint32_t> idx;
    std::vector<double> val;
    for (size_t t = 0; t < d; ++t) {
      if (rng.Uniform() < 0.5) continue;
      const double v = rng.Normal() + c[i];
      dense.MutableRow(i)[t] = v;
      idx.push_back(static_cast<uint32_t>(t));
      val.push_back(v);
    }
    if (idx.empty()) {  // cosine needs non-zero vectors
      idx.push_back(0);
      val.push_back(1.0);
      dense.MutableRow(i)[0] = 1.0;
    }
    sparse.AppendSparse(idx, val);
  }
  exec::ComputePool one(1), two(2);
  Context c1, c2;
  c1.pool = &one;
  c2.pool = &two;
  for (auto dm : {SilhouetteDistance::kSquaredEuclidean, SilhouetteDistance::kCosine}) {
    const double s1 = Silhouette(dense, c, dm, c1);
    EXPECT_EQ(s1, Silhouette(dense, c, dm, c2));
    EXPECT_NEAR(s1, Silhouette(sparse, c, dm, c2), 1e-12);
  }
}

TEST(Silhouette, NeedsTwoClusters) {
  const Vectors x = DenseOf({{1, 2}, {3, 4}});
  Context ctx;
  EXPECT_THROW(Silhouette(x, {{0.0, 0.0}}, SilhouetteDistance::kSquaredEuclidean, ctx), CqlError);
  EXPECT_THROW(Silhouette(x, {{0.0, 0.5}}, SilhouetteDistance::kSquaredEuclidean, ctx), CqlError);
  // Two singletons: every point is alone, silhouette 0.
  EXPECT_EQ(Silhouette(x, {{0.0, 1.0}}, SilhouetteDistance::kSquaredEuclidean, ctx), 0.0);
}

// The example of MLlib's RankingMetrics documentation (pyspark.mllib.evaluation):
// precisionAt(1) 0.33.., precisionAt(5) 0.26.., precisionAt(15) 0.17..,
// meanAveragePrecision 0.35.., meanAveragePrecisionAt(1) 0.333.., (2) 0.25..,
// ndcgAt(3) 0.33.., ndcgAt(10) 0.48.., recallAt(1) 0.06.., (5) 0.35.., (15) 0.66..
// The full digits below come from MLlib's formulas evaluated in Python.
TEST(RankingMetrics, MLlibDocumentedExample) {
  const std::vector<RankingQuery> q = {
      {{1, 6, 2, 7, 8, 3, 9, 10, 4, 5}, {1, 2, 3, 4, 5}},
      {{4, 1, 5, 6, 2, 7, 3, 8, 9, 10}, {1, 2, 3}},
      {{1, 2, 3, 4, 5}, {}},
  };
  EXPECT_NEAR(PrecisionAtK(q, 1), 1.0 / 3, kTol);
  EXPECT_NEAR(PrecisionAtK(q, 2), 1.0 / 3, kTol);
  EXPECT_NEAR(PrecisionAtK(q, 3), 1.0 / 3, kTol);
  EXPECT_NEAR(PrecisionAtK(q, 4), 0.75 / 3, kTol);
  EXPECT_NEAR(PrecisionAtK(q, 5), 0.8 / 3, kTol);
  EXPECT_NEAR(PrecisionAtK(q, 10), 0.8 / 3, kTol);
  EXPECT_NEAR(PrecisionAtK(q, 15), 8.0 / 45, kTol);
  EXPECT_NEAR(MeanAveragePrecision(q), 0.35502645502645497, kTol);
  EXPECT_NEAR(MeanAveragePrecisionAtK(q, 1), 1.0 / 3, kTol);
  EXPECT_NEAR(MeanAveragePrecisionAtK(q, 2), 0.25, kTol);
  EXPECT_NEAR(MeanAveragePrecisionAtK(q, 3), 0.2407407407407407, kTol);
  EXPECT_NEAR(MeanAveragePrecisionAtK(q, 10), MeanAveragePrecision(q), kTol);
  EXPECT_NEAR(NdcgAtK(q, 3), 1.0 / 3, 1e-12);
  EXPECT_NEAR(NdcgAtK(q, 5), 0.3287880038045473, kTol);
  EXPECT_NEAR(NdcgAtK(q, 10), 0.48791274569166343, kTol);
  EXPECT_NEAR(NdcgAtK(q, 15), NdcgAtK(q, 10), kTol);
  EXPECT_NEAR(RecallAtK(q, 1), 1.0 / 15, kTol);
  EXPECT_NEAR(RecallAtK(q, 5), 0.35555555555555557, kTol);
  EXPECT_NEAR(RecallAtK(q, 15), 2.0 / 3, kTol);
  EXPECT_THROW(PrecisionAtK(q, 0), CqlError);
  EXPECT_THROW(MeanAveragePrecision({}), CqlError);
}

}  // namespace
}  // namespace helenus::ml

namespace helenus::ml {
namespace {

// Timings for the report (run with --gtest_also_run_disabled_tests).
TEST(MetricsBench, DISABLED_SilhouetteAndAuc) {
  for (size_t n : {size_t{20000}, size_t{1000000}}) {
    const size_t d = 10, k = 8;
    Rng rng(1);
    Vectors x = Vectors::Dense(n, d);
    std::vector<double> c(n), score(n), label(n);
    for (size_t i = 0; i < n; ++i) {
      c[i] = static_cast<double>(rng.Below(k));
      for (size_t t = 0; t < d; ++t) x.MutableRow(i)[t] = rng.Normal() + (t == c[i] ? 3 : 0);
      label[i] = rng.Uniform() < 0.3 ? 1 : 0;
      score[i] = std::round((label[i] + rng.Normal()) * 1000) / 1000;  // many ties
    }
    Context ctx;
    auto t0 = std::chrono::steady_clock::now();
    const double s = Silhouette(x, c, SilhouetteDistance::kSquaredEuclidean, ctx);
    auto t1 = std::chrono::steady_clock::now();
    const double auc = AreaUnderRoc(ComputeBinaryConfusions(score, label));
    auto t2 = std::chrono::steady_clock::now();
    std::printf("n=%zu silhouette=%.6f in %.1f ms; auc=%.6f in %.1f ms (%zu threads)\n", n, s,
                std::chrono::duration<double, std::milli>(t1 - t0).count(), auc,
                std::chrono::duration<double, std::milli>(t2 - t1).count(), ctx.pool->threads());
  }
}

}  // namespace
}  // namespace helenus::ml

#pragma once

// What logistic_regression, linear_regression and linear_svc share: their
// common parameters, feature statistics for standardization, the penalty
// weights of each coefficient, a loss over margins of standardized features
// (computed block-wise through SumRows), and the coefficients table.
//
// As in Spark, coefficients are optimized in the standardized space
// (x_j / std_j, centered virtually when there is an intercept, so sparse
// vectors stay sparse) and mapped back to the original space at the end.

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "helenus/ml/context.h"
#include "helenus/ml/frame.h"
#include "helenus/ml/params.h"
#include "helenus/ml/predictor.h"
#include "helenus/ml/serialize.h"
#include "ml/optim.h"

namespace helenus::ml {

// The parameters MLlib's linear models share.
struct LinearParams {
  int64_t max_iter = 100;          // optimizer iterations
  double reg_param = 0.0;          // penalty strength
  double elastic_net_param = 0.0;  // 0 = L2, 1 = L1
  double tol = 1e-6;               // optimizer convergence tolerance
  bool fit_intercept = true;       // fit an (unpenalized) intercept
  bool standardization = true;     // penalize standardized coefficients

  // Their specs; linear_svc has no elastic_net_param.
  static std::vector<ParamSpec> Specs(bool elastic_net);
  // The values set in p (defaults otherwise).
  static LinearParams From(const Params& p);
  // Writes them into / reads them back from a saved model.
  void Save(Writer& out) const;
  static LinearParams Load(Reader& in);
  // Describe() lines of these parameters (elastic_net: include elastic_net_param).
  void Describe(std::vector<std::pair<std::string, std::string>>* out,
                bool elastic_net = true) const;
};

// Weighted statistics of the training features (and label), as MLlib's Summarizer computes them.
struct FeatureStats {
  double weight_sum = 0;        // W, the sum of the row weights
  std::vector<double> mean;     // weighted mean of each feature
  std::vector<double> std;      // unbiased weighted standard deviation; 0 for constant columns
  std::vector<double> inv_std;  // 1 / std, 0 where std is 0 (the feature is left out)
  double label_mean = 0;        // with_label only
  double label_std = 0;         // with_label only
};

// Checks that every feature (and the label when with_label) is finite and
// computes the statistics in two deterministic passes.
FeatureStats ComputeFeatureStats(const Context& ctx, const LabeledData& data, bool with_label);

// Per-parameter penalty weights of theta (k x dim coefficients, then intercepts).
struct Penalty {
  std::vector<double> l2;  // the objective adds 0.5 * l2[i] * theta[i]^2
  std::vector<double> l1;  // the objective adds l1[i] * |theta[i]|; empty when there is no L1
};

// Spark's elastic net in the standardized space: reg_param * scale split into
// (1 - a) L2 and a L1 on the coefficients (never the intercepts); without
// standardization each coefficient's weight is divided by std (L1) or std^2 (L2)
// so that the original-space coefficients are what is penalized.
Penalty MakePenalty(const LinearParams& p, const FeatureStats& s, size_t k, size_t num_params,
                    double scale = 1.0);

// A loss over margins: given the margins of rows [begin, end) (rows x k,
// row-major), writes d(weighted loss)/d(margin) into g and returns the
// weighted loss sum of those rows.
using BlockLoss = std::function<double(size_t begin, size_t end, const double* margins, double* g)>;

// Mean loss over margins of standardized features plus an L2 term, as a
// DiffFunction of theta = [k x dim standardized coefficients, then k
// intercepts when `intercept`]. One pass over the rows per evaluation.
class LinearObjective {
 public:
  // center: standardized features are also centered (fit_intercept).
  LinearObjective(const Context& ctx, const LabeledData& data, const FeatureStats& stats, size_t k,
                  bool center, bool intercept, BlockLoss loss, std::vector<double> l2);

  // The objective at theta and its gradient.
  double operator()(const std::vector<double>& theta, std::vector<double>& grad) const;
  // Size of theta.
  size_t num_params() const { return k_ * dim_ + (intercept_ ? k_ : 0); }
  // Coefficients (k x dim) and intercepts (k) of theta in the original feature space.
  void Unscale(const std::vector<double>& theta, std::vector<double>* coef,
               std::vector<double>* intercepts) const;

 private:
  const Context& ctx_;
  const LabeledData& data_;
  const FeatureStats& stats_;
  size_t k_;
  size_t dim_;
  bool center_;
  bool intercept_;
  BlockLoss loss_;
  std::vector<double> l2_;
};

// What a linear model minimizes: a loss over k margins per row plus the elastic net.
struct LinearProblem {
  size_t k = 1;                            // coefficient sets (classes of a multinomial model)
  BlockLoss loss;                          // the data term
  bool center = true;                      // center the standardized features (fit_intercept)
  bool intercept = true;                   // optimize k intercepts
  std::vector<double> initial_intercepts;  // their starting values (empty = 0)
  bool orthant_wise = false;               // OWL-QN's line search even without L1 (hinge loss)
  double reg_scale = 1.0;                  // multiplies reg_param (regression: 1 / label std)
};

// A fitted linear model's coefficients.
struct LinearFit {
  std::vector<double> coef;        // k x dim, original feature space
  std::vector<double> intercepts;  // k (the centering is folded in; 0 without intercept)
  LbfgsResult result;              // iterations, objective history, stop reason
};

// Minimizes problem's objective with L-BFGS (OWL-QN when there is an L1 term).
LinearFit FitLinear(const Context& ctx, const LabeledData& data, const FeatureStats& stats,
                    const LinearParams& p, const LinearProblem& problem);

// out (rows x k) = X[begin, end) * w for k weight vectors w (dim x k, row-major:
// feature-major, so that a sparse row's classes share cache lines).
void BlockMargins(const Vectors& x, size_t begin, size_t end, const double* w, size_t k,
                  double* out);
// acc (dim x k) += X[begin, end)^T * g where g is rows x k.
void BlockGradient(const Vectors& x, size_t begin, size_t end, const double* g, size_t k,
                   double* acc);

// L-BFGS settings from the linear parameters, reporting iterations to ctx and
// checking for cancellation between them.
LbfgsOptions MakeLbfgsOptions(const LinearParams& p, const Context& ctx);

// The names of a features column's slots: its attributes, else "f0", "f1", ...
std::vector<std::string> FeatureNames(const Frame& f, const std::string& column, size_t dim);

// The coefficients table: (class,) feature, coefficient, one row per
// coefficient then one "(intercept)" row per class when fit_intercept.
// classes empty = no class column; coef is classes x features (or one row).
Frame CoefficientsFrame(const std::vector<std::string>& classes,
                        const std::vector<std::string>& features, const std::vector<double>& coef,
                        const std::vector<double>& intercepts, bool fit_intercept);

// "[a, b, c]" with up to `limit` values then "...".
std::string JoinNumbers(const std::vector<double>& v, size_t limit = 20);

}  // namespace helenus::ml

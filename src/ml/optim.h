#pragma once

// Quasi-Newton minimization for the linear models, as Spark runs them through
// Breeze: L-BFGS with a strong Wolfe line search for smooth objectives, and
// OWL-QN (orthant-wise L-BFGS, Andrew & Gao 2007) when an L1 term is present
// or the objective is not smooth (hinge loss). Convergence follows Breeze's
// default check so that `tol` means what it means in MLlib.

#include <functional>
#include <string>
#include <vector>

namespace helenus::ml {

// The smooth part of an objective: returns f(x) and writes its gradient into grad (x.size()).
using DiffFunction = std::function<double(const std::vector<double>& x, std::vector<double>& grad)>;

// Settings of MinimizeLbfgs.
struct LbfgsOptions {
  int max_iter = 100;         // iterations (one line search each); MLlib's max_iter
  double tol = 1e-6;          // relative tolerance on function values and gradient (Breeze)
  int memory = 10;            // correction pairs kept
  std::vector<double> l1;     // per-coordinate L1 weights added to f (empty = no L1 term)
  bool orthant_wise = false;  // backtracking OWL-QN search even without L1 (non-smooth f)
  std::function<void(int iteration)> on_iteration;  // after each iteration (progress; may throw)
};

// What MinimizeLbfgs found.
struct LbfgsResult {
  std::vector<double> x;        // the minimizer found
  double value = 0;             // objective at x, L1 term included
  int iterations = 0;           // iterations run
  std::vector<double> history;  // objective at the start and after each iteration
  std::string stop_reason;      // "max iterations", "function values converged", ...
};

// Minimizes f(x) + sum_i l1[i] * |x_i| from x0.
LbfgsResult MinimizeLbfgs(const DiffFunction& f, std::vector<double> x0,
                          const LbfgsOptions& options);

}  // namespace helenus::ml

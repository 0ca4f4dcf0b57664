#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

#include "ml/optim.h"

namespace helenus::ml {
namespace {

// Sufficient decrease and curvature constants of the line searches (Breeze's).
constexpr double kArmijo = 1e-4;
constexpr double kWolfe = 0.9;
// Evaluations allowed to bracket a step, then to zoom into the bracket.
constexpr int kBracketEvals = 10;
constexpr int kZoomEvals = 10;
// Breeze's BacktrackingLineSearch gives up after this many shrinks.
constexpr int kBacktrackEvals = 20;
// Breeze remembers this many objective values for its function-value test.
constexpr size_t kValueMemory = 20;

double Dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

double Norm(const std::vector<double>& a) {
  return std::sqrt(Dot(a, a));
}

double Sign(double v) {
  return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0);
}

// An evaluated point: smooth value and gradient, and the value with the L1 term.
struct Point {
  std::vector<double> x;
  std::vector<double> g;
  double f = 0;
  double value = 0;
};

// One end of a line-search bracket: step, value, directional derivative and point.
struct Trial {
  double step = 0;
  double phi = 0;
  double dphi = 0;
  Point point;
};

// Minimizer of the cubic through (a0, f0, d0) and (a1, f1, d1); NaN when it has none.
double CubicMin(double a0, double f0, double d0, double a1, double f1, double d1) {
  const double t = d0 + d1 - 3 * (f0 - f1) / (a0 - a1);
  const double disc = t * t - d0 * d1;
  if (!(disc >= 0) || !std::isfinite(disc)) return std::nan("");
  const double r = std::copysign(std::sqrt(disc), a1 - a0);
  return a1 - (a1 - a0) * (d1 + r - t) / (d1 - d0 + 2 * r);
}

class Minimizer {
 public:
  Minimizer(const DiffFunction& f, const LbfgsOptions& o) : f_(f), o_(o) {}

  LbfgsResult Run(std::vector<double> x0) {
    const bool orthant = o_.orthant_wise || !o_.l1.empty();
    LbfgsResult res;
    Point cur;
    cur.x = std::move(x0);
    Evaluate(&cur);
    res.history.push_back(cur.value);
    const double initial = cur.value;
    std::deque<double> values = {std::numeric_limits<double>::infinity()};
    std::vector<double> pg, dir;
    int iter = 0;
    while (true) {
      PseudoGradient(cur, &pg);
      if (iter >= o_.max_iter) {
        res.stop_reason = "max iterations";
        break;
      }
      // Breeze's tests: the gradient is small relative to the value, or the
      // value moved less than tol (relative to the start) over the last 20.
      if (Norm(pg) <= std::max(o_.tol * cur.value, 1e-8)) {
        res.stop_reason = "gradient converged";
        break;
      }
      if (values.size() >= 2 &&
          std::abs(cur.value - *std::max_element(values.begin(), values.end())) <=
              o_.tol * std::abs(initial)) {
        res.stop_reason = "function values converged";
        break;
      }
      Point next;
      bool found = false;
      for (int attempt = 0; attempt < 2 && !found; ++attempt) {
        if (attempt == 1) {
          if (s_.empty()) break;
          ClearMemory();  // a stale curvature model can misdirect: retry steepest descent
        }
        Direction(pg, orthant, &dir);
        double slope = Dot(dir, pg);
        if (!(slope < 0)) {
          ClearMemory();
          for (size_t i = 0; i < dir.size(); ++i) dir[i] = -pg[i];
          slope = Dot(dir, pg);
          if (!(slope < 0)) break;
        }
        const double step = (iter == 0 || s_.empty()) ? 1.0 / Norm(dir) : 1.0;
        found = orthant ? Backtrack(cur, pg, dir, step, iter == 0 ? 0.1 : 0.5, &next)
                        : StrongWolfe(cur, dir, slope, step, &next);
      }
      if (!found) {
        res.stop_reason = "line search failed";
        break;
      }
      Remember(cur, next);
      cur = std::move(next);
      ++iter;
      res.history.push_back(cur.value);
      values.push_back(cur.value);
      if (values.size() > kValueMemory) values.pop_front();
      if (o_.on_iteration) o_.on_iteration(iter);
    }
    res.x = std::move(cur.x);
    res.value = cur.value;
    res.iterations = iter;
    return res;
  }

 private:
  void Evaluate(Point* p) const {
    p->g.assign(p->x.size(), 0.0);
    p->f = f_(p->x, p->g);
    p->value = p->f;
    for (size_t i = 0; i < o_.l1.size(); ++i) p->value += o_.l1[i] * std::abs(p->x[i]);
  }

  // The steepest-descent direction of f + L1 is minus this (Andrew & Gao's
  // pseudo-gradient); without L1 it is the gradient.
  void PseudoGradient(const Point& p, std::vector<double>* pg) const {
    *pg = p.g;
    for (size_t i = 0; i < o_.l1.size(); ++i) {
      const double l = o_.l1[i];
      if (l == 0) continue;
      if (p.x[i] > 0) {
        (*pg)[i] += l;
      } else if (p.x[i] < 0) {
        (*pg)[i] -= l;
      } else if (p.g[i] + l < 0) {
        (*pg)[i] += l;
      } else if (p.g[i] - l > 0) {
        (*pg)[i] -= l;
      } else {
        (*pg)[i] = 0;
      }
    }
  }

  // -H * grad by the two-loop recursion; OWL-QN keeps only the components
  // that agree in sign with the steepest descent.
  void Direction(const std::vector<double>& grad, bool orthant, std::vector<double>* dir) const {
    std::vector<double> q = grad;
    const size_t m = s_.size();
    std::vector<double> alpha(m);
    for (size_t k = m; k-- > 0;) {
      alpha[k] = rho_[k] * Dot(s_[k], q);
      for (size_t i = 0; i < q.size(); ++i) q[i] -= alpha[k] * y_[k][i];
    }
    const double gamma = m == 0 ? 1.0 : Dot(s_[m - 1], y_[m - 1]) / Dot(y_[m - 1], y_[m - 1]);
    for (double& v : q) v *= gamma;
    for (size_t k = 0; k < m; ++k) {
      const double beta = rho_[k] * Dot(y_[k], q);
      for (size_t i = 0; i < q.size(); ++i) q[i] += s_[k][i] * (alpha[k] - beta);
    }
    dir->resize(q.size());
    for (size_t i = 0; i < q.size(); ++i) {
      const double d = -q[i];
      (*dir)[i] = (!orthant || d * grad[i] < 0) ? d : 0.0;
    }
  }

  void Remember(const Point& from, const Point& to) {
    std::vector<double> s(from.x.size()), y(from.x.size());
    for (size_t i = 0; i < s.size(); ++i) {
      s[i] = to.x[i] - from.x[i];
      y[i] = to.g[i] - from.g[i];
    }
    const double sy = Dot(s, y);
    const double yy = Dot(y, y);
    // A pair without positive curvature would make H indefinite (possible
    // with a non-smooth f); skip it.
    if (!(sy > 1e-12 * yy) || !(yy > 0)) return;
    s_.push_back(std::move(s));
    y_.push_back(std::move(y));
    rho_.push_back(1.0 / sy);
    if (s_.size() > static_cast<size_t>(std::max(1, o_.memory))) {
      s_.pop_front();
      y_.pop_front();
      rho_.pop_front();
    }
  }

  void ClearMemory() {
    s_.clear();
    y_.clear();
    rho_.clear();
  }

  Trial Probe(const Point& from, const std::vector<double>& dir, double step) const {
    Trial t;
    t.step = step;
    t.point.x.resize(from.x.size());
    for (size_t i = 0; i < dir.size(); ++i) t.point.x[i] = from.x[i] + step * dir[i];
    Evaluate(&t.point);
    t.phi = t.point.f;
    t.dphi = Dot(t.point.g, dir);
    return t;
  }

  // Nocedal & Wright's algorithms 3.5 and 3.6 with cubic interpolation.
  bool StrongWolfe(const Point& from, const std::vector<double>& dir, double slope, double step,
                   Point* to) const {
    const double phi0 = from.f;
    auto armijo = [&](const Trial& t) {
      return std::isfinite(t.phi) && t.phi <= phi0 + kArmijo * t.step * slope;
    };
    auto curvature = [&](const Trial& t) { return std::abs(t.dphi) <= -kWolfe * slope; };
    Trial lo;
    lo.phi = phi0;
    lo.dphi = slope;
    Trial hi;
    bool bracketed = false;
    for (int i = 0; i < kBracketEvals && !bracketed; ++i) {
      Trial t = Probe(from, dir, step);
      if (!armijo(t) || (i > 0 && t.phi >= lo.phi)) {
        hi = std::move(t);
        bracketed = true;
      } else if (curvature(t)) {
        *to = std::move(t.point);
        return true;
      } else if (t.dphi >= 0) {
        hi = std::move(lo);
        lo = std::move(t);
        bracketed = true;
      } else {
        lo = std::move(t);
        step *= 2;
      }
    }
    for (int j = 0; bracketed && j < kZoomEvals; ++j) {
      const double a = std::min(lo.step, hi.step);
      const double b = std::max(lo.step, hi.step);
      double s = std::isfinite(hi.phi)
                     ? CubicMin(lo.step, lo.phi, lo.dphi, hi.step, hi.phi, hi.dphi)
                     : std::nan("");
      const double margin = 0.1 * (b - a);
      if (!(s >= a + margin && s <= b - margin)) s = 0.5 * (a + b);
      Trial t = Probe(from, dir, s);
      if (!armijo(t) || t.phi >= lo.phi) {
        hi = std::move(t);
      } else {
        if (curvature(t)) {
          *to = std::move(t.point);
          return true;
        }
        if (t.dphi * (hi.step - lo.step) >= 0) hi = std::move(lo);
        lo = std::move(t);
      }
      if (b - a <= 1e-16 * b) break;
    }
    // No Wolfe point within budget: a step that decreased f enough still makes progress.
    if (lo.step > 0) {
      *to = std::move(lo.point);
      return true;
    }
    return false;
  }

  // Backtracking along dir, projecting every trial onto the orthant of the start.
  bool Backtrack(const Point& from, const std::vector<double>& pg, const std::vector<double>& dir,
                 double step, double shrink, Point* to) const {
    const size_t n = from.x.size();
    std::vector<double> orthant(n);
    for (size_t i = 0; i < n; ++i) {
      orthant[i] = from.x[i] != 0 ? Sign(from.x[i]) : Sign(-pg[i]);
    }
    Point p;
    p.x.resize(n);
    for (int t = 0; t < kBacktrackEvals; ++t, step *= shrink) {
      for (size_t i = 0; i < n; ++i) {
        const double v = from.x[i] + step * dir[i];
        p.x[i] = Sign(v) == orthant[i] ? v : 0.0;
      }
      Evaluate(&p);
      double decrease = 0;
      for (size_t i = 0; i < n; ++i) decrease += pg[i] * (p.x[i] - from.x[i]);
      if (std::isfinite(p.value) && p.value <= from.value + kArmijo * decrease) {
        *to = std::move(p);
        return true;
      }
    }
    return false;
  }

  const DiffFunction& f_;
  const LbfgsOptions& o_;
  std::deque<std::vector<double>> s_;
  std::deque<std::vector<double>> y_;
  std::deque<double> rho_;
};

}  // namespace

LbfgsResult MinimizeLbfgs(const DiffFunction& f, std::vector<double> x0,
                          const LbfgsOptions& options) {
  Minimizer m(f, options);
  return m.Run(std::move(x0));
}

}  // namespace helenus::ml

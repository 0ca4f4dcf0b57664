#include "ml/als_solver.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "helenus/ml/random.h"

namespace helenus::ml {
namespace {

// Entities per parallel task.
constexpr size_t kEntityBlock = 32;
// Coordinate-descent sweeps allowed for one non-negative solve.
constexpr int kNonnegativeSweeps = 2000;

// Spark's initial factors: normal random vectors scaled to unit length,
// from a generator per entity (side 0 = users, 1 = items).
void InitFactors(const Context& ctx, size_t n, size_t rank, uint64_t seed, uint64_t side,
                 std::vector<double>* factors) {
  factors->assign(n * rank, 0.0);
  ctx.pool->ParallelFor((n + kEntityBlock - 1) / kEntityBlock, [&](size_t b) {
    for (size_t e = b * kEntityBlock; e < std::min(n, (b + 1) * kEntityBlock); ++e) {
      Rng rng = Rng::Stream(seed, 2 * e + side);
      double* f = factors->data() + e * rank;
      double norm = 0;
      for (size_t k = 0; k < rank; ++k) {
        f[k] = rng.Normal();
        norm += f[k] * f[k];
      }
      norm = std::sqrt(norm);
      for (size_t k = 0; k < rank; ++k) f[k] /= norm;
    }
  });
}

// min 1/2 x'Ax - b'x subject to x >= 0 (A symmetric positive definite), by
// cyclic coordinate descent: exact per coordinate, converges for such A.
void SolveNonnegative(const Eigen::MatrixXd& a, const Eigen::VectorXd& b, Eigen::VectorXd* x) {
  const Eigen::Index n = b.size();
  x->setZero();
  for (int sweep = 0; sweep < kNonnegativeSweeps; ++sweep) {
    double change = 0, largest = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!(a(i, i) > 0)) continue;
      const double g = b(i) - a.row(i).dot(*x) + a(i, i) * (*x)(i);
      const double xi = std::max(0.0, g / a(i, i));
      change = std::max(change, std::fabs(xi - (*x)(i)));
      largest = std::max(largest, xi);
      (*x)(i) = xi;
    }
    if (change <= 1e-12 * std::max(1.0, largest)) break;
  }
}

// Solves every entity of `blocks` against the fixed factors `src`.
void SolveSide(const Context& ctx, const RatingBlocks& blocks, const std::vector<double>& src,
               const AlsOptions& o, std::vector<double>* dst) {
  const size_t rank = o.rank;
  const size_t n = blocks.size();
  const Eigen::Index r = static_cast<Eigen::Index>(rank);
  Eigen::Map<const Eigen::MatrixXd> y(src.data(), r, static_cast<Eigen::Index>(src.size() / rank));
  // Implicit feedback: every entity of the other side counts with
  // confidence 1, so Y'Y is shared and each entity adds only its ratings.
  Eigen::MatrixXd yty;
  if (o.implicit_prefs) {
    yty = Eigen::MatrixXd::Zero(r, r);
    yty.selfadjointView<Eigen::Lower>().rankUpdate(y);
  }
  dst->assign(n * rank, 0.0);
  ctx.pool->ParallelFor((n + kEntityBlock - 1) / kEntityBlock, [&](size_t block) {
    Eigen::MatrixXd a(r, r), yu;
    Eigen::VectorXd b(r), x(r), w;
    for (size_t e = block * kEntityBlock; e < std::min(n, (block + 1) * kEntityBlock); ++e) {
      const uint64_t begin = blocks.offsets[e];
      const Eigen::Index m = static_cast<Eigen::Index>(blocks.offsets[e + 1] - begin);
      yu.resize(r, m);
      for (Eigen::Index i = 0; i < m; ++i) yu.col(i) = y.col(blocks.others[begin + i]);
      Eigen::Map<const Eigen::VectorXd> ratings(blocks.values.data() + begin, m);
      double count = 0;  // ratings that weigh in the regularization (Spark's numExplicits)
      if (!o.implicit_prefs) {
        a.setZero();
        a.selfadjointView<Eigen::Lower>().rankUpdate(yu);
        b.noalias() = yu * ratings;
        count = static_cast<double>(m);
      } else {
        w.resize(m);
        for (Eigen::Index i = 0; i < m; ++i) {
          const double c1 = o.alpha * std::fabs(ratings(i));
          w(i) = ratings(i) > 0 ? 1.0 + c1 : 0.0;
          count += ratings(i) > 0 ? 1 : 0;
        }
        b.noalias() = yu * w;
        for (Eigen::Index i = 0; i < m; ++i)
          yu.col(i) *= std::sqrt(o.alpha * std::fabs(ratings(i)));
        a = yty;
        a.selfadjointView<Eigen::Lower>().rankUpdate(yu);
      }
      a.diagonal().array() += o.reg_param * count;
      if (o.nonnegative) {
        a.triangularView<Eigen::StrictlyUpper>() = a.transpose();
        SolveNonnegative(a, b, &x);
      } else {
        Eigen::LLT<Eigen::MatrixXd, Eigen::Lower> llt(a);
        if (llt.info() == Eigen::Success) {
          x = llt.solve(b);
        } else {
          x = a.selfadjointView<Eigen::Lower>().ldlt().solve(b);
        }
      }
      if (!x.allFinite()) x.setZero();
      std::copy_n(x.data(), rank, dst->data() + e * rank);
    }
  });
}

}  // namespace

RatingBlocks GroupRatings(const std::vector<uint32_t>& by, const std::vector<uint32_t>& other,
                          const std::vector<double>& rating, size_t n) {
  RatingBlocks g;
  g.offsets.assign(n + 1, 0);
  for (uint32_t e : by) ++g.offsets[e + 1];
  for (size_t e = 0; e < n; ++e) g.offsets[e + 1] += g.offsets[e];
  std::vector<uint64_t> pos(g.offsets.begin(), g.offsets.end() - 1);
  g.others.resize(by.size());
  g.values.resize(by.size());
  for (size_t r = 0; r < by.size(); ++r) {
    const uint64_t k = pos[by[r]]++;
    g.others[k] = other[r];
    g.values[k] = rating[r];
  }
  return g;
}

void TrainAls(const Context& ctx, const RatingBlocks& by_user, const RatingBlocks& by_item,
              const AlsOptions& options, std::vector<double>* user_factors,
              std::vector<double>* item_factors) {
  InitFactors(ctx, by_user.size(), options.rank, options.seed, 0, user_factors);
  InitFactors(ctx, by_item.size(), options.rank, options.seed, 1, item_factors);
  const uint64_t total = static_cast<uint64_t>(options.max_iter);
  for (uint64_t iter = 1; iter <= total; ++iter) {
    ctx.CheckCancelled();
    SolveSide(ctx, by_item, *user_factors, options, item_factors);
    SolveSide(ctx, by_user, *item_factors, options, user_factors);
    ctx.Step(iter, total);
  }
}

}  // namespace helenus::ml

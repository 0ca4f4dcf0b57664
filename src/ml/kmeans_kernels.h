#pragma once

// Nearest-centre search for k-means, shared by training, k-means|| and
// prediction. Centres are also kept transposed (one row of k values per
// feature), so dense rows are scored against four centres per vector
// instruction, several rows at a time. The hot kernels are compiled twice
// (x86-64-v3 with AVX2/FMA, and the baseline) and the CPU picks one at load
// time: results are identical whatever the thread count on one machine.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "helenus/ml/context.h"
#include "helenus/ml/vectors.h"

namespace helenus::ml {

// How k-means measures distance.
enum class KMeansDistance { kEuclidean, kCosine };

// k cluster centres prepared for nearest-centre queries.
class CenterSet {
 public:
  // centers: k * dim values, row-major. Cosine centres are scaled to unit
  // length (cosine distance ignores their length); Invalid for a zero one.
  CenterSet(std::vector<double> centers, size_t dim, KMeansDistance distance);

  // Number of centres.
  size_t k() const { return k_; }
  // Dimension of each centre.
  size_t dim() const { return dim_; }
  // The distance this set measures.
  KMeansDistance distance() const { return distance_; }
  // The centres, row-major (unit length for cosine).
  const std::vector<double>& centers() const { return centers_; }
  // Centre c (dim values).
  const double* Center(size_t c) const { return centers_.data() + c * dim_; }
  // Doubles of scratch that Nearest needs.
  size_t scratch_size() const { return kp_; }

  // The nearest centre of row r of x (first one on ties); *dist gets its
  // squared Euclidean or cosine distance. norm is |x_r| (used by cosine and
  // sparse rows). scratch holds scratch_size() doubles.
  uint32_t Nearest(const Vectors& x, size_t r, double norm, double* scratch, double* dist) const;
  // Nearest for rows [begin, end): best[i] and dist[i] for row begin + i.
  // norms[r] = |x_r|, needed for sparse rows and cosine (else may be null).
  // Dense rows go through a blocked kernel (AVX2/FMA where the CPU has it).
  void NearestRows(const Vectors& x, size_t begin, size_t end, const double* norms, uint32_t* best,
                   double* dist) const;
  // Squared Euclidean distances for n contiguous dense rows (n x dim) whose
  // squared norms are xx: the nearest centre, its distance and the
  // second-nearest distance, all by |x|^2 + |c|^2 - 2 x.c (within
  // Rounding(xx) of exact); ties[i] = 1 when the best two are too close for
  // that form to order (rank those rows with Nearest).
  void NearestDense(const double* rows, size_t n, const double* xx, uint32_t* best, double* dist,
                    double* second, uint8_t* ties) const;
  // Bound on the error of NearestDense's squared distances for |x|^2 = xx.
  double Rounding(double xx) const { return tie_ * (xx + max_sq_norm_); }
  // Distance from a dense point (dim values, Euclidean norm `norm`) to centre c.
  double Distance(const double* point, double norm, size_t c) const;

 private:
  size_t k_ = 0;
  size_t dim_ = 0;
  size_t kp_ = 0;  // k rounded up to a multiple of 4 (zero-padded centres)
  KMeansDistance distance_ = KMeansDistance::kEuclidean;
  std::vector<double> centers_;       // k x dim
  std::vector<double> transposed_;    // dim x kp
  std::vector<double> sq_norms_;      // kp
  std::vector<double> sq_norms_inf_;  // kp, +infinity past the k centres
  double max_sq_norm_ = 0;
  double tie_ = 0;  // relative rounding of |x|^2 + |c|^2 - 2 x.c
};

// sums[best[i] * dim ..] += scale[i] * row i of the n dense rows at `rows`
// (scale null = 1): the centroid sums of Lloyd iterations.
void AddDenseRows(const double* rows, size_t n, size_t dim, const uint32_t* best,
                  const double* scale, double* sums);

// Squared Euclidean distance of two dense points, vectorized: the
// summation order differs from PointDistance's (use it for bounds).
double FastSquaredDistance(const double* a, const double* b, size_t dim);

// Distance between two dense points of dimension dim with norms na and nb.
double PointDistance(const double* a, double na, const double* b, double nb, size_t dim,
                     KMeansDistance distance);

// Euclidean norm of every row of x (0 for NULL rows).
std::vector<double> RowNorms(const Context& ctx, const Vectors& x);

// Initial centres by Spark's k-means|| (Bahmani et al.): `steps` rounds that
// each sample about 2k rows with probability proportional to their cost,
// then k-means++ and Lloyd on the distinct candidates weighted by the rows
// nearest to each. Fewer than k centres when there are fewer distinct rows.
std::vector<double> InitKMeansParallel(const Context& ctx, const Vectors& x,
                                       const std::vector<double>& norms, size_t k, int steps,
                                       uint64_t seed, KMeansDistance distance);

// Initial centres: k distinct random rows (fewer when there are fewer distinct rows).
std::vector<double> InitKMeansRandom(const Context& ctx, const Vectors& x, size_t k, uint64_t seed);

}  // namespace helenus::ml

// Facebook Live sellers in Thailand: the UCI file, or posts of its shape.
#include <algorithm>
#include <array>
#include <cmath>

#include "csv_file.h"
#include "helenus/ml/random.h"
#include "sources.h"

namespace helenus::workshop {
namespace {

const std::vector<std::string> kHeader = {
    "status_id", "status_type", "num_reactions", "num_comments", "num_shares", "num_likes",
    "num_loves", "num_wows",    "num_hahas",     "num_sads",     "num_angrys"};

// Per post type: how many, and the log-scale median/spread of likes, comments
// and shares, fitted to the UCI file's percentiles.
struct TypeShape {
  const char* type;
  int count;
  double likes_mu, likes_sigma, comments_mu, comments_sigma, shares_mu;
};
constexpr std::array<TypeShape, 4> kTypes = {{
    {"photo", 4288, 3.5, 1.85, 1.1, 1.65, 0.3},
    {"video", 2334, 4.8, 1.3, 3.7, 2.9, 2.6},
    {"status", 365, 4.8, 1.8, 2.4, 1.5, 0.3},
    {"link", 63, 3.9, 2.0, 0.7, 1.2, 0.3},
}};
// The largest counts in the file: no post of these sellers went further.
constexpr int64_t kMaxLikes = 4710, kMaxComments = 20990, kMaxShares = 3424;

int64_t LogNormalCount(ml::Rng& rng, double mu, double sigma, int64_t max) {
  const double v = std::floor(std::exp(mu + sigma * rng.Normal()) - 1);
  return std::clamp<int64_t>(static_cast<int64_t>(std::min(v, 1e15)), 0, max);
}

void Generate(CsvOut& out) {
  ml::Rng rng(7050);
  // Interleave the types as a seller's timeline would, in a fixed order.
  std::vector<size_t> order;
  for (size_t t = 0; t < kTypes.size(); ++t) order.insert(order.end(), kTypes[t].count, t);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
  int64_t id = 0;
  for (size_t t : order) {
    const TypeShape& s = kTypes[t];
    const int64_t likes = LogNormalCount(rng, s.likes_mu, s.likes_sigma, kMaxLikes);
    const int64_t comments = LogNormalCount(rng, s.comments_mu, s.comments_sigma, kMaxComments);
    const int64_t shares = LogNormalCount(rng, s.shares_mu, 1.5, kMaxShares);
    const int64_t loves = LogNormalCount(rng, t == 1 ? 1.4 : 0.3, 1.2, 657);
    std::array<int64_t, 4> small{};
    for (auto& v : small) v = rng.Uniform() < 0.1 ? static_cast<int64_t>(rng.Below(4)) : 0;
    const int64_t reactions = likes + loves + small[0] + small[1] + small[2] + small[3];
    std::vector<std::string> row = {std::to_string(++id),      s.type,
                                    std::to_string(reactions), std::to_string(comments),
                                    std::to_string(shares),    std::to_string(likes),
                                    std::to_string(loves)};
    for (int64_t v : small) row.push_back(std::to_string(v));
    out.Row(row);
  }
}

}  // namespace

PreparedFile PrepareSocialMedia(const std::filesystem::path& out_dir, const WorkshopDir& dir) {
  CsvOut out(out_dir / "socialmedia.csv", kHeader);
  std::string source;
  if (auto path = Existing(dir, "socialMedia.csv")) {
    int64_t id = 0;
    ReadCsv(*path, ',', 10, [&](const std::vector<shell::CsvField>& fields) {
      std::vector<std::string> row = {std::to_string(++id)};
      for (const auto& f : fields) row.push_back(f.text);
      out.Row(row);
    });
    source = path->string();
  } else {
    Generate(out);
    source = "generated (7,050 posts: photo, video, status, link; UCI Facebook Live shape)";
  }
  out.Close();
  return {"socialmedia.csv", out.rows(), source};
}

}  // namespace helenus::workshop

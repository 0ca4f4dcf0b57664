// MovieLens ratings and titles: the GroupLens files, or rows of their shape.
#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_set>

#include <fmt/format.h>

#include "csv_file.h"
#include "helenus/ml/random.h"
#include "sources.h"

namespace helenus::workshop {
namespace {

constexpr int kMovies = 27278;
constexpr int kRatedMovies = 9066;
constexpr int kUsers = 671;
constexpr int64_t kRatings = 100000;
constexpr int kRank = 3;

constexpr std::array<const char*, 16> kWords = {
    "Night",  "River", "Summer", "Stranger", "Garden",  "Return", "Shadow",  "Island",
    "Winter", "Dream", "Letter", "Machine",  "Journey", "Secret", "Promise", "City"};
constexpr std::array<const char*, 12> kGenres = {"Action", "Adventure", "Animation", "Children",
                                                 "Comedy", "Crime",     "Drama",     "Fantasy",
                                                 "Horror", "Romance",   "Sci-Fi",    "Thriller"};

// Titles in MovieLens' own spelling: "Name, The (1995)" holds a comma, some
// hold quotes, so the file needs RFC 4180 quoting as the real one does.
std::string Title(ml::Rng& rng, int id) {
  const char* a = kWords[rng.Below(kWords.size())];
  const char* b = kWords[rng.Below(kWords.size())];
  const int year = 1920 + static_cast<int>(rng.Below(96));
  switch (id % 9) {
    case 0:
      return fmt::format("{} of the {}, The ({})", a, b, year);
    case 4:
      return fmt::format("\"{}\" {} {} ({})", a, b, id, year);
    default:
      return fmt::format("{} {} {} ({})", a, b, id, year);
  }
}

std::string Genres(ml::Rng& rng) {
  std::string out = kGenres[rng.Below(kGenres.size())];
  for (uint64_t extra = rng.Below(3); extra > 0; --extra) {
    const char* g = kGenres[rng.Below(kGenres.size())];
    if (out.find(g) == std::string::npos) out = out + "|" + g;
  }
  return out;
}

std::string Timestamp(ml::Rng& rng) {
  return fmt::format("{}/{}/{:02d} {}:{:02d}", 1 + rng.Below(12), 1 + rng.Below(28),
                     (96 + rng.Below(21)) % 100, rng.Below(24), rng.Below(60));
}

// Ratings a taste model would give: biases plus a rank-3 affinity, in half stars.
void GenerateRatings(CsvOut& out, const std::vector<int>& rated_ids) {
  ml::Rng rng(671);
  std::vector<double> item_bias(kRatedMovies), item_f(kRatedMovies * kRank);
  for (auto& b : item_bias) b = 0.4 * rng.Normal();
  for (auto& f : item_f) f = 0.5 * rng.Normal();
  // Popularity falls off as a power of rank, as in MovieLens.
  std::vector<double> cumulative(kRatedMovies);
  double total = 0;
  for (int j = 0; j < kRatedMovies; ++j) cumulative[j] = total += std::pow(j + 10.0, -0.9);
  // Ratings per user: heavy-tailed, at least 20 (MovieLens' rule), summing to kRatings.
  std::vector<double> raw(kUsers);
  double raw_sum = 0;
  for (auto& r : raw) raw_sum += r = std::exp(4.3 + 1.0 * rng.Normal());
  std::vector<int64_t> counts(kUsers);
  int64_t assigned = 0;
  for (int u = 0; u < kUsers; ++u) {
    counts[u] = std::clamp<int64_t>(std::llround(raw[u] / raw_sum * (kRatings - 20 * kUsers)) + 20,
                                    20, kRatedMovies / 2);
    assigned += counts[u];
  }
  for (int u = 0; assigned != kRatings; u = (u + 1) % kUsers) {
    const int64_t step = assigned < kRatings ? 1 : -1;
    if (counts[u] + step < 20 || counts[u] + step > kRatedMovies / 2) continue;
    counts[u] += step;
    assigned += step;
  }
  for (int u = 0; u < kUsers; ++u) {
    const double bias = 0.4 * rng.Normal();
    std::array<double, kRank> taste{};
    for (auto& t : taste) t = 0.5 * rng.Normal();
    std::unordered_set<int> seen;
    std::vector<int> items;
    while (static_cast<int64_t>(items.size()) < counts[u]) {
      const double x = rng.Uniform() * total;
      const int j = static_cast<int>(std::upper_bound(cumulative.begin(), cumulative.end(), x) -
                                     cumulative.begin());
      if (j < kRatedMovies && seen.insert(j).second) items.push_back(j);
    }
    std::sort(items.begin(), items.end(),
              [&](int a, int b) { return rated_ids[a] < rated_ids[b]; });
    for (int j : items) {
      double r = 3.6 + bias + item_bias[j] + 0.6 * rng.Normal();
      for (int k = 0; k < kRank; ++k) r += taste[k] * item_f[j * kRank + k];
      r = std::clamp(std::round(r * 2) / 2, 0.5, 5.0);
      out.Row({std::to_string(u + 1), std::to_string(rated_ids[j]), Num(r), Timestamp(rng)});
    }
  }
}

}  // namespace

std::vector<PreparedFile> PrepareMovies(const std::filesystem::path& out_dir,
                                        const WorkshopDir& dir) {
  CsvOut ratings(out_dir / "movieratings.csv", {"userid", "movieid", "rating", "ts"});
  CsvOut movies(out_dir / "movies.csv", {"movieid", "title", "genres"});
  std::string ratings_source, movies_source;
  auto ratings_path = Existing(dir, "ratings.csv");
  auto movies_path = Existing(dir, "movies.csv");
  if (ratings_path && movies_path) {
    ReadCsv(*ratings_path, ',', 4, [&](const std::vector<shell::CsvField>& f) {
      ratings.Row({f[0].text, f[1].text, f[2].text, f[3].text});
    });
    ReadCsv(*movies_path, ',', 3, [&](const std::vector<shell::CsvField>& f) {
      movies.Row({f[0].text, f[1].text, f[2].text});
    });
    ratings_source = ratings_path->string();
    movies_source = movies_path->string();
  } else {
    ml::Rng rng(27278);
    std::vector<int> rated_ids;
    for (int id = 1; id <= kMovies; ++id) {
      movies.Row({std::to_string(id), Title(rng, id), Genres(rng)});
    }
    // The rated movies: a fixed sample of the catalogue, in random popularity order.
    std::vector<int> ids(kMovies);
    for (int i = 0; i < kMovies; ++i) ids[i] = i + 1;
    for (int i = kMovies; i > 1; --i) std::swap(ids[i - 1], ids[rng.Below(i)]);
    rated_ids.assign(ids.begin(), ids.begin() + kRatedMovies);
    GenerateRatings(ratings, rated_ids);
    ratings_source = "generated (671 users, 100,000 ratings; MovieLens shape)";
    movies_source = "generated (27,278 titles; MovieLens shape)";
  }
  ratings.Close();
  movies.Close();
  return {{"movieratings.csv", ratings.rows(), ratings_source},
          {"movies.csv", movies.rows(), movies_source}};
}

}  // namespace helenus::workshop

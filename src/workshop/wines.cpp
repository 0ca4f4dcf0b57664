// Wine quality: the UCI red and white files, or rows of their shape.
#include <array>
#include <cmath>

#include "csv_file.h"
#include "helenus/ml/random.h"
#include "sources.h"

namespace helenus::workshop {
namespace {

// wineid, the measurements, then the quality score.
std::vector<std::string> Header() {
  std::vector<std::string> h = {"wineid"};
  h.insert(h.end(), WineFeatures().begin(), WineFeatures().end());
  h.push_back("quality");
  return h;
}

// Per feature: red mean, white mean, spread, change per quality point above 5,
// and the digits the UCI files print.
struct FeatureShape {
  double red, white, sd, per_quality;
  int decimals;
};
constexpr std::array<FeatureShape, 11> kFeatures = {{
    {8.3, 6.85, 1.2, 0.1, 1},             // fixed acidity
    {0.53, 0.28, 0.12, -0.06, 3},         // volatile acidity
    {0.27, 0.33, 0.15, 0.03, 2},          // citric acid
    {2.5, 6.4, 2.5, -0.3, 1},             // residual sugar
    {0.087, 0.046, 0.02, -0.006, 3},      // chlorides
    {16, 35, 9, 1.0, 0},                  // free sulfur dioxide
    {46, 138, 30, -6, 0},                 // total sulfur dioxide
    {0.9967, 0.994, 0.0018, -0.0007, 4},  // density
    {3.31, 3.19, 0.15, 0.01, 2},          // pH
    {0.66, 0.49, 0.13, 0.05, 2},          // sulphates
    {10.4, 10.5, 0.9, 0.65, 1},           // alcohol
}};

// Quality 3..9 in the proportions of the UCI files.
int DrawQuality(ml::Rng& rng) {
  static constexpr std::array<double, 7> kShare = {0.005, 0.033, 0.329, 0.437, 0.166, 0.03, 0.001};
  double u = rng.Uniform();
  for (size_t i = 0; i < kShare.size(); ++i) {
    if (u < kShare[i]) return static_cast<int>(i) + 3;
    u -= kShare[i];
  }
  return 6;
}

void Generate(CsvOut& out) {
  ml::Rng rng(20090101);
  int64_t id = 0;
  for (const bool red : {true, false}) {
    const int n = red ? 1599 : 4898;
    for (int i = 0; i < n; ++i) {
      const int quality = DrawQuality(rng);
      std::vector<std::string> row = {std::to_string(++id)};
      for (const auto& f : kFeatures) {
        const double mean = (red ? f.red : f.white) + f.per_quality * (quality - 5);
        // Concentrations are positive: draw around the mean, folded above a floor.
        const double v =
            std::max(std::abs(mean + f.sd * rng.Normal()), std::pow(10.0, -f.decimals));
        row.push_back(Num(std::round(v * std::pow(10.0, f.decimals)) / std::pow(10.0, f.decimals)));
      }
      row.push_back(std::to_string(quality));
      out.Row(row);
    }
  }
}

}  // namespace

const std::vector<std::string>& WineFeatures() {
  static const std::vector<std::string> kFeatures = {"fixed_acidity",
                                                     "volatile_acidity",
                                                     "citric_acid",
                                                     "residual_sugar",
                                                     "chlorides",
                                                     "free_sulfur_dioxide",
                                                     "total_sulfur_dioxide",
                                                     "density",
                                                     "ph",
                                                     "sulphates",
                                                     "alcohol"};
  return kFeatures;
}

PreparedFile PrepareWines(const std::filesystem::path& out_dir, const WorkshopDir& dir) {
  CsvOut out(out_dir / "wines.csv", Header());
  auto red = Existing(dir, "winequality-red.csv");
  auto white = Existing(dir, "winequality-white.csv");
  std::string source;
  if (red && white) {
    int64_t id = 0;
    for (const auto& path : {*red, *white}) {
      ReadCsv(path, ';', 12, [&](const std::vector<shell::CsvField>& fields) {
        std::vector<std::string> row = {std::to_string(++id)};
        for (const auto& f : fields) row.push_back(f.text);
        // Quality is an integer score; the files spell it so already.
        out.Row(row);
      });
    }
    source = red->string() + " + " + white->string();
  } else {
    Generate(out);
    source = "generated (1,599 red + 4,898 white, UCI wine quality shape)";
  }
  out.Close();
  return {"wines.csv", out.rows(), source};
}

}  // namespace helenus::workshop

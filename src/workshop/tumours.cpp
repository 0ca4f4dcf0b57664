// The Wisconsin diagnostic breast cancer data, as scikit-learn ships it.
#include <array>
#include <cmath>

#include "csv_file.h"
#include "helenus/ml/random.h"
#include "sources.h"

namespace helenus::workshop {
namespace {

// Debian's python3-sklearn installs the file here (load_breast_cancer reads it).
constexpr const char* kDebianFile =
    "/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv";

constexpr std::array<const char*, 10> kMeasures = {
    "radius",      "texture",   "perimeter",      "area",     "smoothness",
    "compactness", "concavity", "concave_points", "symmetry", "fractal_dimension"};

std::vector<std::string> Header() {
  std::vector<std::string> h = {"tumourid"};
  for (const char* m : kMeasures) h.push_back(std::string("mean_") + m);
  for (const char* m : kMeasures) h.push_back(std::string(m) + "_error");
  for (const char* m : kMeasures) h.push_back(std::string("worst_") + m);
  h.push_back("diagnosis");
  return h;
}

// Benign and malignant means of the ten measures (the "error" and "worst"
// groups scale them), so that the classes overlap as in the real data.
constexpr std::array<double, 10> kBenign = {12.1,  17.9,  78.1,  463,   0.092,
                                            0.080, 0.046, 0.026, 0.174, 0.063};
constexpr std::array<double, 10> kMalignant = {17.5,  21.6,  115,   978,   0.103,
                                               0.145, 0.161, 0.088, 0.193, 0.063};

void Generate(CsvOut& out) {
  ml::Rng rng(569);
  for (int id = 1; id <= 569; ++id) {
    const bool malignant = rng.Uniform() < 212.0 / 569.0;
    const auto& mean = malignant ? kMalignant : kBenign;
    std::vector<std::string> row = {std::to_string(id)};
    std::array<double, 10> size{};
    for (size_t m = 0; m < 10; ++m) size[m] = mean[m] * std::exp(0.18 * rng.Normal());
    for (double v : size) row.push_back(Num(v, 4));
    for (double v : size) row.push_back(Num(v * 0.07 * std::exp(0.3 * rng.Normal()), 4));
    for (double v : size) row.push_back(Num(v * 1.2 * std::exp(0.05 * rng.Normal()), 4));
    row.push_back(malignant ? "malignant" : "benign");
    out.Row(row);
  }
}

}  // namespace

PreparedFile PrepareTumours(const std::filesystem::path& out_dir) {
  CsvOut out(out_dir / "tumours.csv", Header());
  std::string source;
  std::error_code ec;
  if (std::filesystem::is_regular_file(kDebianFile, ec)) {
    // Its first line is "569,30,malignant,benign": sizes and the target names.
    int64_t id = 0;
    ReadCsv(
        kDebianFile, ',', 31,
        [&](const std::vector<shell::CsvField>& f) {
          std::vector<std::string> row = {std::to_string(++id)};
          for (size_t i = 0; i < 30; ++i) row.push_back(f[i].text);
          row.push_back(f[30].text == "0" ? "malignant" : "benign");
          out.Row(row);
        },
        /*skip_records=*/1);
    source = std::string(kDebianFile) + " (python3-sklearn)";
  } else {
    Generate(out);
    source = "generated (569 tumours, 212 malignant; Wisconsin breast cancer shape)";
  }
  out.Close();
  return {"tumours.csv", out.rows(), source};
}

}  // namespace helenus::workshop

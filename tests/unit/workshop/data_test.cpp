#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "helenus/common/error.h"
#include "helenus/shell/csv.h"
#include "helenus/workshop/data.h"

namespace helenus::workshop {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("helenus-workshop-test-" +
             std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// Every record of a prepared file (the header first).
std::vector<std::vector<std::string>> Records(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  shell::CsvReader reader(in, shell::CsvOptions{});
  std::vector<std::vector<std::string>> out;
  while (auto r = reader.Next()) {
    EXPECT_TRUE(r->error.empty()) << p << ":" << r->line << " " << r->error;
    std::vector<std::string> fields;
    for (const auto& f : r->fields) fields.push_back(f.text);
    out.push_back(fields);
  }
  return out;
}

const PreparedFile& Find(const std::vector<PreparedFile>& files, const std::string& name) {
  for (const auto& f : files) {
    if (f.name == name) return f;
  }
  ADD_FAILURE() << "no " << name;
  return files.front();
}

TEST(WorkshopData, ConvertsTheWorkshopFiles) {
  TempDir dir;
  const fs::path in = dir.path() / "in";
  fs::create_directories(in);
  Write(in / "winequality-red.csv",
        "7.4;0.7;0;1.9;0.076;11;34;0.9978;3.51;0.56;9.4;5\n"
        "7.8;0.88;0;2.6;0.098;25;67;0.9968;3.2;0.68;9.8;6\n");
  Write(in / "winequality-white.csv", "7;0.27;0.36;20.7;0.045;45;170;1.001;3;0.45;8.8;7\n");
  Write(in / "socialMedia.csv",
        "\xEF\xBB\xBFvideo,529,512,262,432,92,3,1,1,0\r\n"
        "photo,150,0,0,150,0,0,0,0,0\r\n");
  Write(in / "ratings.csv", "1,2,3.5,4/2/05 23:53\n1,29,3.5,4/2/05 23:31\n");
  Write(in / "movies.csv",
        "1,Toy Story (1995),Adventure|Animation\n"
        "11,\"American President, The (1995)\",Comedy|Drama|Romance\n");
  const auto files = PrepareData(dir.path() / "out", in);

  auto wines = Records(dir.path() / "out" / "wines.csv");
  ASSERT_EQ(wines.size(), 4u);
  EXPECT_EQ(wines[0].front(), "wineid");
  EXPECT_EQ(wines[0].back(), "quality");
  // Red first, ids in file order.
  EXPECT_EQ(wines[1], (std::vector<std::string>{"1", "7.4", "0.7", "0", "1.9", "0.076", "11", "34",
                                                "0.9978", "3.51", "0.56", "9.4", "5"}));
  EXPECT_EQ(wines[3][0], "3");
  EXPECT_EQ(wines[3].back(), "7");
  EXPECT_EQ(Find(files, "wines.csv").rows, 3);

  auto social = Records(dir.path() / "out" / "socialmedia.csv");
  ASSERT_EQ(social.size(), 3u);
  EXPECT_EQ(social[1][0], "1");
  EXPECT_EQ(social[1][1], "video");  // the BOM is gone
  EXPECT_EQ(social[2][1], "photo");

  auto movies = Records(dir.path() / "out" / "movies.csv");
  ASSERT_EQ(movies.size(), 3u);
  EXPECT_EQ(movies[2][1], "American President, The (1995)");
  EXPECT_NE(Slurp(dir.path() / "out" / "movies.csv").find("\"American President, The (1995)\""),
            std::string::npos);
  auto ratings = Records(dir.path() / "out" / "movieratings.csv");
  EXPECT_EQ(ratings[0], (std::vector<std::string>{"userid", "movieid", "rating", "ts"}));
  EXPECT_EQ(ratings[2], (std::vector<std::string>{"1", "29", "3.5", "4/2/05 23:31"}));
  EXPECT_NE(Find(files, "wines.csv").source.find("winequality-red.csv"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "SOURCES.txt"));
}

TEST(WorkshopData, GeneratesTheWorkshopShapesDeterministically) {
  TempDir dir;
  const auto a = PrepareData(dir.path() / "a", std::nullopt);
  const auto b = PrepareData(dir.path() / "b", dir.path() / "a");  // a dir without workshop files
  const std::map<std::string, int64_t> expected = {{"wines.csv", 6497},
                                                   {"socialmedia.csv", 7050},
                                                   {"movieratings.csv", 100000},
                                                   {"movies.csv", 27278},
                                                   {"tumours.csv", 569}};
  for (const auto& [name, rows] : expected) {
    EXPECT_EQ(Find(a, name).rows, rows) << name;
    EXPECT_EQ(Slurp(dir.path() / "a" / name), Slurp(dir.path() / "b" / name)) << name;
  }

  auto wines = Records(dir.path() / "a" / "wines.csv");
  std::set<std::string> qualities;
  for (size_t i = 1; i < wines.size(); ++i) {
    ASSERT_EQ(wines[i].size(), 13u);
    EXPECT_EQ(wines[i][0], std::to_string(i));
    for (size_t c = 1; c < 12; ++c) EXPECT_GT(std::stod(wines[i][c]), 0) << wines[i][c];
    qualities.insert(wines[i][12]);
  }
  EXPECT_GE(qualities.size(), 5u);

  // MovieLens keeps users with at least 20 ratings; ratings are half stars.
  std::map<std::string, int> per_user;
  std::set<std::pair<std::string, std::string>> pairs;
  auto ratings = Records(dir.path() / "a" / "movieratings.csv");
  for (size_t i = 1; i < ratings.size(); ++i) {
    ++per_user[ratings[i][0]];
    EXPECT_TRUE(pairs.insert({ratings[i][0], ratings[i][1]}).second) << "duplicate rating";
    const double r = std::stod(ratings[i][2]);
    EXPECT_GE(r, 0.5);
    EXPECT_LE(r, 5.0);
    EXPECT_EQ(r * 2, static_cast<int>(r * 2));
  }
  EXPECT_EQ(per_user.size(), 671u);
  for (const auto& [user, n] : per_user) EXPECT_GE(n, 20) << user;

  auto social = Records(dir.path() / "a" / "socialmedia.csv");
  std::map<std::string, int> types;
  for (size_t i = 1; i < social.size(); ++i) ++types[social[i][1]];
  EXPECT_EQ(types["photo"], 4288);
  EXPECT_EQ(types["video"], 2334);

  auto tumours = Records(dir.path() / "a" / "tumours.csv");
  EXPECT_EQ(tumours[0].size(), 32u);
  EXPECT_EQ(tumours[0].back(), "diagnosis");
}

TEST(WorkshopData, BadInputIsAClearError) {
  TempDir dir;
  EXPECT_THROW(PrepareData(dir.path() / "out", dir.path() / "missing"), CqlError);
  const fs::path in = dir.path() / "in";
  fs::create_directories(in);
  Write(in / "winequality-red.csv", "7.4;0.7;0\n");
  Write(in / "winequality-white.csv", "7;0.27;0.36;20.7;0.045;45;170;1.001;3;0.45;8.8;7\n");
  try {
    PrepareData(dir.path() / "out", in);
    FAIL() << "a short row was accepted";
  } catch (const CqlError& e) {
    EXPECT_NE(std::string(e.what()).find("winequality-red.csv:1: expected 12 fields"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace helenus::workshop

#include <gtest/gtest.h>

#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/frame.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/params.h"
#include "helenus/ml/random.h"
#include "helenus/ml/serialize.h"

namespace helenus::ml {
namespace {

TEST(Serialize, RoundTripsEveryType) {
  Writer w;
  w.U8(7);
  w.U32(123456);
  w.I64(-5);
  w.F64(0.25);
  w.Str("gini");
  w.F64s(std::vector<double>{1.5, -2.0});
  w.Strs({"a", "", "ccc"});
  Reader r(w.data());
  EXPECT_EQ(r.U8(), 7);
  EXPECT_EQ(r.U32(), 123456u);
  EXPECT_EQ(r.I64(), -5);
  EXPECT_EQ(r.F64(), 0.25);
  EXPECT_EQ(r.Str(), "gini");
  EXPECT_EQ(r.F64s(), (std::vector<double>{1.5, -2.0}));
  EXPECT_EQ(r.Strs(), (std::vector<std::string>{"a", "", "ccc"}));
  EXPECT_TRUE(r.done());
}

TEST(Serialize, TruncatedOrHugeCountsAreInvalidNotCrashes) {
  Writer w;
  w.F64s(std::vector<double>{1, 2, 3});
  auto bytes = w.Take();
  bytes.resize(bytes.size() - 1);
  Reader r(bytes);
  EXPECT_THROW(r.F64s(), CqlError);
  Writer huge;
  huge.U64(uint64_t{1} << 60);
  Reader r2(huge.data());
  EXPECT_THROW(r2.F64s(), CqlError);
}

TEST(Params, ValidatesNamesTypesRangesAndChoices) {
  std::vector<ParamSpec> spec = {
      IntParam("num_trees", 20, "trees", 1, 10000),
      StringParam("impurity", "gini", "", {"gini", "entropy"}),
      BoolParam("bootstrap", true, ""),
  };
  Params p;
  p.Set("numTrees", 10.0);
  EXPECT_TRUE(p.Has("num_trees"));
  EXPECT_NO_THROW(p.Validate(spec, "rf"));
  EXPECT_EQ(p.Int(spec, "num_trees"), 10);
  EXPECT_EQ(p.String(spec, "impurity"), "gini");
  EXPECT_TRUE(p.Bool(spec, "bootstrap"));
  EXPECT_THROW(Params().Set("num_trees", 2.5).Validate(spec, "rf"), CqlError);
  EXPECT_THROW(Params().Set("num_trees", 0.0).Validate(spec, "rf"), CqlError);
  EXPECT_THROW(Params().Set("impurity", std::string("variance")).Validate(spec, "rf"), CqlError);
  EXPECT_THROW(Params().Set("bootstrap", 1.0).Validate(spec, "rf"), CqlError);
  try {
    Params().Set("num_tree", 3.0).Validate(spec, "rf");
    FAIL();
  } catch (const CqlError& e) {
    EXPECT_NE(std::string(e.what()).find("Unknown option num_tree"), std::string::npos);
  }
}

TEST(SumRows, IsIdenticalWhateverTheThreadCount) {
  const size_t n = 100000;
  std::vector<double> x(n);
  Rng rng(42);
  for (auto& v : x) v = rng.Normal() * 1e6;
  auto sum = [&](exec::ComputePool* pool) {
    Context ctx;
    ctx.pool = pool;
    return SumRows(ctx, n, 2, [&](size_t b, size_t e, double* acc) {
      for (size_t i = b; i < e; ++i) {
        acc[0] += x[i];
        acc[1] += x[i] * x[i];
      }
    });
  };
  exec::ComputePool one(1), four(4);
  EXPECT_EQ(sum(&one), sum(&four));
}

TEST(Rng, StreamsAreReproducibleAndDistinct) {
  Rng a = Rng::Stream(1234, 0), b = Rng::Stream(1234, 0), c = Rng::Stream(1234, 1);
  const uint64_t va = a.Next();
  EXPECT_EQ(va, b.Next());
  EXPECT_NE(va, c.Next());
  Rng u(7);
  double mean = 0;
  for (int i = 0; i < 10000; ++i) mean += u.Uniform() / 10000;
  EXPECT_NEAR(mean, 0.5, 0.02);
}

TEST(Frame, AddsReplacesTakesAndReadsNumbers) {
  Frame f;
  exec::Column a = exec::Column::Make(DataType::Of(TypeKind::kInt));
  a.AppendInt(1);
  a.AppendNull();
  a.AppendInt(3);
  f.Add("a", std::move(a));
  Vectors v = Vectors::Sparse(4);
  std::vector<uint32_t> idx = {1, 3};
  std::vector<double> val = {0.5, 2.0};
  v.AppendSparse(idx, val);
  v.AppendSparse({}, {});
  v.AppendSparse(idx, val);
  f.Add("features", std::move(v));
  EXPECT_EQ(f.num_rows(), 3u);
  auto nums = f.Numeric("a");
  EXPECT_EQ(nums[0], 1.0);
  EXPECT_TRUE(std::isnan(nums[1]));
  EXPECT_EQ(f.VectorsOf("features").TextAt(0), "(4,[1,3],[0.5,2.0])");
  EXPECT_EQ(f.VectorsOf("features").ToDense().TextAt(0), "[0.0,0.5,0.0,2.0]");
  Frame t = f.Take({2, 0});
  EXPECT_EQ(t.Numeric("a")[0], 3.0);
  EXPECT_THROW(f.Scalar("features"), CqlError);
  EXPECT_THROW(f.VectorsOf("a"), CqlError);
  EXPECT_THROW(f.Numeric("missing"), CqlError);
  exec::Rows rows = f.ToRows();
  EXPECT_EQ(rows.schema.fields[1].type.ToCql(), "frozen<list<double>>");
  EXPECT_EQ(exec::TextAt(rows.batches[0].columns[1], 0), "[0, 0.5, 0, 2]");
}

}  // namespace
}  // namespace helenus::ml

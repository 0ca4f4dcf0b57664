// Feature transformers over scalar and vector columns: VectorAssembler,
// StringIndexer, IndexToString, OneHotEncoder, StandardScaler,
// MinMaxScaler, Imputer, Bucketizer.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "helenus/common/error.h"
#include "helenus/ml/frame.h"
#include "helenus/ml/registry.h"
#include "ml/feature_common.h"

namespace helenus::ml {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A double column; NaN entries of `nulls` positions become NULL.
exec::Column Doubles(const std::vector<double>& v, const std::vector<size_t>& nulls = {}) {
  exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kDouble));
  for (size_t i = 0; i < v.size(); ++i) {
    if (std::find(nulls.begin(), nulls.end(), i) != nulls.end()) {
      c.AppendNull();
    } else {
      c.AppendDouble(v[i]);
    }
  }
  return c;
}

exec::Column Ints(const std::vector<std::optional<int64_t>>& v, TypeKind kind = TypeKind::kInt) {
  exec::Column c = exec::Column::Make(DataType::Of(kind));
  for (const auto& x : v) {
    if (x) {
      c.AppendInt(*x);
    } else {
      c.AppendNull();
    }
  }
  return c;
}

exec::Column Texts(const std::vector<std::optional<std::string>>& v) {
  exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kText));
  for (const auto& x : v) {
    if (x) {
      c.AppendString(*x);
    } else {
      c.AppendNull();
    }
  }
  return c;
}

Vectors DenseRows(const std::vector<std::vector<double>>& rows) {
  Vectors v = Vectors::Dense(0, rows.empty() ? 0 : rows[0].size());
  for (const auto& r : rows) v.AppendDense(r);
  return v;
}

std::unique_ptr<Model> Fit(std::string_view name, const Params& p, const Frame& f) {
  return Registry::Default().MakeEstimator(name, p)->Fit(f, Context{});
}

std::unique_ptr<Transformer> Make(std::string_view name, const Params& p) {
  return Registry::Default().MakeTransformer(name, p);
}

// The model after a save/load round trip.
std::unique_ptr<Model> RoundTrip(const Model& m) {
  const auto bytes = SaveModel(m);
  return LoadModel(bytes);
}

std::vector<double> Values(const Frame& f, std::string_view name) {
  return f.Scalar(name).doubles;
}

// The rows of a vector column as Spark prints them.
std::vector<std::string> Texts(const Frame& f, std::string_view name) {
  const Vectors& v = f.VectorsOf(name);
  std::vector<std::string> out;
  for (size_t r = 0; r < v.rows; ++r) out.push_back(v.TextAt(r));
  return out;
}

// The message of the CqlError fn throws ("" when it does not throw).
template <typename Fn>
std::string ErrorOf(Fn&& fn) {
  try {
    fn();
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalid);
    return e.what();
  }
  return "";
}

bool Contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

std::string Describe(const Model& m, std::string_view key) {
  for (const auto& [k, v] : m.Describe()) {
    if (k == key) return v;
  }
  return "<missing>";
}

// ---- VectorAssembler -------------------------------------------------------

TEST(VectorAssembler, ConcatenatesNumbersBooleansAndVectorsWithNames) {
  Frame f;
  f.Add("x", Doubles({1.5, 0, 3}));
  f.Add("n", Ints({1, 2, 3}, TypeKind::kBigint));
  exec::Column b = exec::Column::Make(DataType::Of(TypeKind::kBoolean));
  b.AppendInt(1);
  b.AppendInt(0);
  b.AppendInt(1);
  f.Add("flag", std::move(b));
  f.Add("v", DenseRows({{7, 8}, {0, 0}, {9, 10}}));
  auto t = Make("vector_assembler", Params().Set("input_cols", std::string("x, n,flag,v")));
  Frame out = t->Transform(f, Context{});
  EXPECT_EQ(out.num_columns(), 5u);
  EXPECT_EQ(Texts(out, "features"),
            (std::vector<std::string>{"[1.5,1.0,1.0,7.0,8.0]", "[0.0,2.0,0.0,0.0,0.0]",
                                      "[3.0,3.0,1.0,9.0,10.0]"}));
  EXPECT_EQ(out.AttrsOf("features").feature_names,
            (std::vector<std::string>{"x", "n", "flag", "v_0", "v_1"}));
  // Inputs' own feature names pass through.
  f.Add("v", DenseRows({{7, 8}, {0, 0}, {9, 10}}), Attributes{{}, {"a", "b"}});
  out = t->Transform(f, Context{});
  EXPECT_EQ(out.AttrsOf("features").feature_names,
            (std::vector<std::string>{"x", "n", "flag", "a", "b"}));
  auto loaded = RoundTrip(*t);
  EXPECT_EQ(Texts(loaded->Transform(f, Context{}), "features"), Texts(out, "features"));
  EXPECT_EQ(Describe(*loaded, "input_cols"), "'x, n,flag,v'");
}

TEST(VectorAssembler, ChoosesSparseForMostlyZeroRows) {
  Frame f;
  Vectors s = Vectors::Sparse(100);
  std::vector<uint32_t> idx = {3};
  std::vector<double> val = {2.0};
  s.AppendSparse(idx, val);
  s.AppendSparse({}, {});
  f.Add("s", std::move(s));
  f.Add("y", Doubles({0, 5}));
  Frame out =
      Make("vector_assembler", Params().Set("input_cols", std::string("y,s")))->Transform(f, {});
  const Vectors& v = out.VectorsOf("features");
  EXPECT_TRUE(v.sparse);
  EXPECT_EQ(v.TextAt(0), "(101,[4],[2.0])");
  EXPECT_EQ(v.TextAt(1), "(101,[0],[5.0])");
}

TEST(VectorAssembler, HandlesNullAndNaNByOption) {
  Frame f;
  f.Add("a", Doubles({1, kNaN, 3, 4}, {3}));
  f.Add("b", Doubles({10, 20, 30, 40}));
  Params p;
  p.Set("input_cols", std::string("a,b"));
  std::string err = ErrorOf([&] { Make("vector_assembler", p)->Transform(f, {}); });
  EXPECT_TRUE(Contains(err, "column a is NaN at row 1")) << err;
  p.Set("handle_invalid", std::string("skip"));
  Frame skipped = Make("vector_assembler", p)->Transform(f, {});
  EXPECT_EQ(skipped.num_rows(), 2u);
  EXPECT_EQ(Texts(skipped, "features"), (std::vector<std::string>{"[1.0,10.0]", "[3.0,30.0]"}));
  EXPECT_EQ(Values(skipped, "b"), (std::vector<double>{10, 30}));
  p.Set("handle_invalid", std::string("keep"));
  Frame kept = Make("vector_assembler", p)->Transform(f, {});
  EXPECT_EQ(kept.num_rows(), 4u);
  const Vectors& kv = kept.VectorsOf("features");
  EXPECT_TRUE(std::isnan(kv.Row(3)[0]));
  EXPECT_EQ(kv.Row(3)[1], 40.0);
}

TEST(VectorAssembler, RejectsTextMissingColumnsAndBadOptions) {
  Frame f;
  f.Add("t", Texts({"a"}));
  std::string err = ErrorOf([&] {
    Make("vector_assembler", Params().Set("input_cols", std::string("t")))->Transform(f, {});
  });
  EXPECT_TRUE(Contains(err, "column t of type text is not supported")) << err;
  err = ErrorOf([&] {
    Make("vector_assembler", Params().Set("input_cols", std::string("zz")))->Transform(f, {});
  });
  EXPECT_EQ(err, "Undefined column name zz");
  EXPECT_THROW(Make("vector_assembler", Params()), CqlError);
  EXPECT_THROW(
      Make("vector_assembler",
           Params().Set("input_cols", std::string("t")).Set("handle_invalid", std::string("drop"))),
      CqlError);
}

// ---- StringIndexer / IndexToString -----------------------------------------

Frame Letters() {
  Frame f;
  f.Add("c", Texts({"b", "a", "c", "a", "b", "d"}));
  return f;
}

std::vector<std::string> LabelsOf(std::string_view order) {
  auto m =
      Fit("string_indexer",
          Params().Set("input_col", std::string("c")).Set("string_order_type", std::string(order)),
          Letters());
  return m->Transform(Letters(), {}).AttrsOf("c_index").labels;
}

TEST(StringIndexer, OrdersLabelsLikeSparkWithAlphabeticalTies) {
  EXPECT_EQ(LabelsOf("frequencyDesc"), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(LabelsOf("frequencyAsc"), (std::vector<std::string>{"c", "d", "a", "b"}));
  EXPECT_EQ(LabelsOf("alphabetDesc"), (std::vector<std::string>{"d", "c", "b", "a"}));
  EXPECT_EQ(LabelsOf("alphabetAsc"), (std::vector<std::string>{"a", "b", "c", "d"}));
  Frame f;
  f.Add("c", Texts({"x", "y", "y", "z", "y", "x"}));
  auto m = Fit("string_indexer",
               Params().Set("input_col", std::string("c")).Set("output_col", std::string("i")), f);
  Frame out = m->Transform(f, {});
  EXPECT_EQ(Values(out, "i"), (std::vector<double>{1, 0, 0, 2, 0, 1}));
  EXPECT_EQ(out.AttrsOf("i").labels, (std::vector<std::string>{"y", "x", "z"}));
  EXPECT_EQ(Describe(*m, "num_labels"), "3");
  EXPECT_EQ(Describe(*m, "labels"), "y, x, z");
  Frame labels = m->Artifact("labels");
  EXPECT_EQ(labels.Scalar("label").strings, (std::vector<std::string>{"y", "x", "z"}));
}

TEST(StringIndexer, HandlesNullAndUnseenByOption) {
  Frame train;
  train.Add("c", Texts({"a", "b", "a", std::nullopt}));
  Frame test;
  test.Add("c", Texts({"b", "e", std::nullopt, "a"}));
  test.Add("k", Doubles({1, 2, 3, 4}));
  Params p;
  p.Set("input_col", std::string("c"));
  auto m = Fit("string_indexer", p, train);  // NULLs are not labels
  EXPECT_EQ(m->Transform(train.Take({0, 1, 2}), {}).AttrsOf("c_index").labels,
            (std::vector<std::string>{"a", "b"}));
  std::string err = ErrorOf([&] { m->Transform(test, {}); });
  EXPECT_TRUE(Contains(err, "Unseen label: e")) << err;
  EXPECT_TRUE(Contains(ErrorOf([&] { m->Transform(test.Take({2}), {}); }), "NULL"));

  p.Set("handle_invalid", std::string("skip"));
  Frame skipped = Fit("string_indexer", p, train)->Transform(test, {});
  EXPECT_EQ(skipped.num_rows(), 2u);
  EXPECT_EQ(Values(skipped, "c_index"), (std::vector<double>{1, 0}));
  EXPECT_EQ(Values(skipped, "k"), (std::vector<double>{1, 4}));

  p.Set("handle_invalid", std::string("keep"));
  auto keep = Fit("string_indexer", p, train);
  Frame kept = keep->Transform(test, {});
  EXPECT_EQ(Values(kept, "c_index"), (std::vector<double>{1, 2, 2, 0}));
  EXPECT_EQ(kept.AttrsOf("c_index").labels, (std::vector<std::string>{"a", "b", "__unknown"}));
  auto loaded = RoundTrip(*keep);
  EXPECT_EQ(Values(loaded->Transform(test, {}), "c_index"), Values(kept, "c_index"));
  EXPECT_EQ(loaded->kind(), "string_indexer");
}

TEST(StringIndexer, RendersNumbersAsSparkCastsThem) {
  Frame f;
  f.Add("i", Ints({5, 5, 3, 12}));
  f.Add("d", Doubles({5.0, 1.5, 5.0, 1e7}));
  f.Add("v", DenseRows({{1}, {2}, {3}, {4}}));
  auto m = Fit("string_indexer", Params().Set("input_col", std::string("i")), f);
  EXPECT_EQ(m->Transform(f, {}).AttrsOf("i_index").labels,
            (std::vector<std::string>{"5", "12", "3"}));
  m = Fit("string_indexer", Params().Set("input_col", std::string("d")), f);
  EXPECT_EQ(m->Transform(f, {}).AttrsOf("d_index").labels,
            (std::vector<std::string>{"5.0", "1.0E7", "1.5"}));
  EXPECT_EQ(ErrorOf([&] { Fit("string_indexer", Params().Set("input_col", std::string("x")), f); }),
            "Undefined column name x");
  EXPECT_TRUE(Contains(
      ErrorOf([&] { Fit("string_indexer", Params().Set("input_col", std::string("v")), f); }),
      "holds vectors"));
  EXPECT_THROW(Fit("string_indexer", Params(), f), CqlError);
  EXPECT_THROW(Fit("string_indexer",
                   Params()
                       .Set("input_col", std::string("i"))
                       .Set("string_order_type", std::string("random")),
                   f),
               CqlError);
  Frame nulls;
  nulls.Add("c", Texts({std::nullopt}));
  EXPECT_THROW(Fit("string_indexer", Params().Set("input_col", std::string("c")), nulls), CqlError);
}

TEST(IndexToString, MapsIndicesBackFromAttributesOrLabels) {
  auto m = Fit("string_indexer", Params().Set("input_col", std::string("c")), Letters());
  Frame indexed = m->Transform(Letters(), {});
  auto back = Make(
      "index_to_string",
      Params().Set("input_col", std::string("c_index")).Set("output_col", std::string("orig")));
  Frame out = back->Transform(indexed, {});
  EXPECT_EQ(out.Scalar("orig").strings, Letters().Scalar("c").strings);
  Frame f;
  f.Add("p", Doubles({1, 0, 2, 0}, {3}));
  auto named = Make(
      "index_to_string",
      Params().Set("input_col", std::string("p")).Set("labels", std::string("no, yes, maybe")));
  Frame named_out = RoundTrip(*named)->Transform(f, {});
  const exec::Column& s = named_out.Scalar("p_string");
  EXPECT_EQ(s.strings[0], "yes");
  EXPECT_EQ(s.strings[1], "no");
  EXPECT_EQ(s.strings[2], "maybe");
  EXPECT_TRUE(s.IsNull(3));
  Frame bad;
  bad.Add("p", Doubles({3}));
  EXPECT_TRUE(Contains(ErrorOf([&] { named->Transform(bad, {}); }), "Unseen index: 3.0"));
  EXPECT_TRUE(Contains(
      ErrorOf([&] {
        Make("index_to_string", Params().Set("input_col", std::string("p")))->Transform(bad, {});
      }),
      "has no labels"));
}

// ---- OneHotEncoder ---------------------------------------------------------

TEST(OneHotEncoder, EncodesWithDropLastLikeSpark) {
  Frame f;
  f.Add("c", Doubles({0, 1, 2, 1}));
  Params p;
  p.Set("input_col", std::string("c"));
  auto m = Fit("one_hot_encoder", p, f);
  Frame out = m->Transform(f, {});
  EXPECT_EQ(Texts(out, "c_vec"), (std::vector<std::string>{"(2,[0],[1.0])", "(2,[1],[1.0])",
                                                           "(2,[],[])", "(2,[1],[1.0])"}));
  EXPECT_EQ(out.AttrsOf("c_vec").feature_names, (std::vector<std::string>{"c_0", "c_1"}));
  p.Set("drop_last", false);
  out = Fit("one_hot_encoder", p, f)->Transform(f, {});
  EXPECT_EQ(Texts(out, "c_vec")[2], "(3,[2],[1.0])");
  auto loaded = RoundTrip(*m);
  EXPECT_EQ(Texts(loaded->Transform(f, {}), "c_vec"), Texts(m->Transform(f, {}), "c_vec"));
  EXPECT_EQ(Describe(*loaded, "category_sizes"), "3");
}

TEST(OneHotEncoder, HandlesUnseenAndNullByOption) {
  Frame train;
  train.Add("c", Doubles({0, 1, 2}));
  Frame test;
  test.Add("c", Doubles({1, 5, 0, -1}, {3}));
  Params p;
  p.Set("input_col", std::string("c"));
  auto err = ErrorOf([&] { Fit("one_hot_encoder", p, train)->Transform(test, {}); });
  EXPECT_TRUE(Contains(err, "Unseen value: 5.0")) << err;
  EXPECT_TRUE(Contains(
      ErrorOf([&] { Fit("one_hot_encoder", p, train)->Transform(test.Take({3}), {}); }), "NULL"));
  p.Set("handle_invalid", std::string("keep"));
  // keep + drop_last: 3 categories + 1 invalid - 1 dropped = 3 slots, invalid is dropped.
  Frame out = Fit("one_hot_encoder", p, train)->Transform(test, {});
  EXPECT_EQ(Texts(out, "c_vec"),
            (std::vector<std::string>{"(3,[1],[1.0])", "(3,[],[])", "(3,[0],[1.0])", "(3,[],[])"}));
  p.Set("drop_last", false);
  out = Fit("one_hot_encoder", p, train)->Transform(test, {});
  EXPECT_EQ(Texts(out, "c_vec")[1], "(4,[3],[1.0])");
  EXPECT_EQ(out.AttrsOf("c_vec").feature_names,
            (std::vector<std::string>{"c_0", "c_1", "c_2", "c_invalidValues"}));
  EXPECT_THROW(
      Fit("one_hot_encoder",
          Params().Set("input_col", std::string("c")).Set("handle_invalid", std::string("skip")),
          train),
      CqlError);
}

TEST(OneHotEncoder, UsesIndexerLabelsAndSeveralColumns) {
  Frame f = Letters();
  f = Fit("string_indexer", Params().Set("input_col", std::string("c")), f)->Transform(f, {});
  f.Add("n", Ints({2, 0, 1, 0, 0, 1}));
  auto m = Fit("one_hot_encoder",
               Params()
                   .Set("input_cols", std::string("c_index,n"))
                   .Set("output_cols", std::string("c_vec,n_vec")),
               f);
  Frame out = m->Transform(f, {});
  EXPECT_EQ(out.AttrsOf("c_vec").feature_names,
            (std::vector<std::string>{"c_index_a", "c_index_b", "c_index_c"}));
  EXPECT_EQ(out.VectorsOf("c_vec").TextAt(0), "(3,[1],[1.0])");
  EXPECT_EQ(out.VectorsOf("n_vec").TextAt(0), "(2,[],[])");
  Frame frac;
  frac.Add("c", Doubles({0, 1.5}));
  EXPECT_TRUE(Contains(
      ErrorOf([&] { Fit("one_hot_encoder", Params().Set("input_col", std::string("c")), frac); }),
      "must be category indices"));
  EXPECT_THROW(Fit("one_hot_encoder", Params(), frac), CqlError);
}

// ---- StandardScaler / MinMaxScaler -----------------------------------------

Frame Numbers() {
  Frame f;
  f.Add("x", DenseRows({{1, 10, 3}, {2, 20, 3}, {4, 30, 3}, {7, 50, 3}}));
  return f;
}

TEST(StandardScaler, MatchesNumpySampleStd) {
  Params p;
  p.Set("input_col", std::string("x"));
  auto m = Fit("standard_scaler", p, Numbers());
  // numpy: X.std(0, ddof=1) = [2.64575131, 17.07825128, 0]
  Frame out = m->Transform(Numbers(), {});
  const Vectors& v = out.VectorsOf("x_scaled");
  EXPECT_NEAR(v.Row(0)[0], 0.377964473, 1e-9);
  EXPECT_NEAR(v.Row(3)[1], 2.92770022, 1e-8);
  EXPECT_EQ(v.Row(2)[2], 0.0);  // constant feature -> 0
  p.Set("with_mean", true);
  m = Fit("standard_scaler", p, Numbers());
  const Vectors c = m->Transform(Numbers(), {}).VectorsOf("x_scaled");
  const double expect[4][2] = {{-0.94491118, -1.02469508},
                               {-0.56694671, -0.43915503},
                               {0.18898224, 0.14638501},
                               {1.32287566, 1.3174651}};
  for (size_t r = 0; r < 4; ++r) {
    EXPECT_NEAR(c.Row(r)[0], expect[r][0], 1e-8);
    EXPECT_NEAR(c.Row(r)[1], expect[r][1], 1e-8);
  }
  EXPECT_EQ(Describe(*m, "mean"), "3.5, 27.5, 3.0");
  auto loaded = RoundTrip(*m);
  EXPECT_EQ(loaded->Transform(Numbers(), {}).VectorsOf("x_scaled").values, c.values);
  EXPECT_EQ(m->Artifact("statistics").Scalar("std").doubles.size(), 3u);
}

TEST(StandardScaler, KeepsSparseWithoutMeanAndChecksInput) {
  Frame f;
  Vectors s = Vectors::Sparse(2);
  std::vector<uint32_t> i0 = {0}, i1 = {1}, i2 = {0, 1};
  std::vector<double> v0 = {2}, v1 = {4}, v2 = {4, 8};
  s.AppendSparse(i0, v0);
  s.AppendSparse(i1, v1);
  s.AppendSparse(i2, v2);
  s.AppendNull();
  f.Add("x", std::move(s));
  auto m = Fit("standard_scaler", Params().Set("input_col", std::string("x")), f);
  const Vectors out = m->Transform(f, {}).VectorsOf("x_scaled");
  EXPECT_TRUE(out.sparse);
  EXPECT_TRUE(out.IsNull(3));
  // column 0 = {2, 0, 4}: sample std 2; column 1 = {0, 4, 8}: sample std 4.
  EXPECT_EQ(out.TextAt(2), "(2,[0,1],[2.0,2.0])");
  Frame nan;
  nan.Add("x", DenseRows({{1}, {kNaN}}));
  EXPECT_TRUE(Contains(
      ErrorOf([&] { Fit("standard_scaler", Params().Set("input_col", std::string("x")), nan); }),
      "NaN"));
  Frame wide;
  wide.Add("x", DenseRows({{1, 2, 3, 4}}));
  EXPECT_THROW(m->Transform(wide, {}), CqlError);
  Frame scalar;
  scalar.Add("x", Doubles({1}));
  EXPECT_THROW(m->Transform(scalar, {}), CqlError);
}

TEST(MinMaxScaler, RescalesToRangeWithConstantsInTheMiddle) {
  auto m = Fit("min_max_scaler", Params().Set("input_col", std::string("x")), Numbers());
  const Vectors v = m->Transform(Numbers(), {}).VectorsOf("x_scaled");
  EXPECT_DOUBLE_EQ(v.Row(0)[0], 0.0);
  EXPECT_DOUBLE_EQ(v.Row(2)[0], 0.5);
  EXPECT_DOUBLE_EQ(v.Row(3)[1], 1.0);
  EXPECT_DOUBLE_EQ(v.Row(1)[2], 0.5);
  auto m2 = Fit("min_max_scaler",
                Params()
                    .Set("input_col", std::string("x"))
                    .Set("output_col", std::string("y"))
                    .Set("min", -1.0)
                    .Set("max", 1.0),
                Numbers());
  auto loaded = RoundTrip(*m2);
  const Vectors w = loaded->Transform(Numbers(), {}).VectorsOf("y");
  EXPECT_DOUBLE_EQ(w.Row(0)[1], -1.0);
  EXPECT_DOUBLE_EQ(w.Row(1)[1], -0.5);
  EXPECT_DOUBLE_EQ(w.Row(1)[2], 0.0);
  EXPECT_EQ(Describe(*loaded, "original_max"), "7.0, 50.0, 3.0");
  EXPECT_THROW(
      Fit("min_max_scaler",
          Params().Set("input_col", std::string("x")).Set("min", 2.0).Set("max", 1.0), Numbers()),
      CqlError);
  // Implicit zeros of sparse rows count towards the minimum.
  Frame f;
  Vectors s = Vectors::Sparse(1);
  std::vector<uint32_t> i0 = {0};
  std::vector<double> v0 = {4};
  s.AppendSparse(i0, v0);
  s.AppendSparse({}, {});
  f.Add("x", std::move(s));
  auto ms = Fit("min_max_scaler", Params().Set("input_col", std::string("x")), f);
  EXPECT_EQ(Describe(*ms, "original_min"), "0.0");
}

// ---- Imputer ---------------------------------------------------------------

TEST(Imputer, FillsMeanMedianAndMode) {
  Frame f;
  f.Add("a", Doubles({1, kNaN, 3, 0, 4, 3}, {3}));
  f.Add("b", Doubles({1, 2, 3, 4, kNaN, kNaN}));
  Params p;
  p.Set("input_cols", std::string("a,b"));
  auto mean = Fit("imputer", p, f);
  Frame out = mean->Transform(f, {});
  EXPECT_DOUBLE_EQ(out.Scalar("a").doubles[1], 11.0 / 4);
  EXPECT_FALSE(out.Scalar("a").IsNull(3));
  EXPECT_DOUBLE_EQ(out.Scalar("a").doubles[3], 11.0 / 4);
  EXPECT_DOUBLE_EQ(out.Scalar("b").doubles[4], 2.5);
  p.Set("strategy", std::string("median"));
  out = Fit("imputer", p, f)->Transform(f, {});
  // Spark's median is the lower middle value: a = {1,3,3,4} -> 3, b = {1,2,3,4} -> 2.
  EXPECT_DOUBLE_EQ(out.Scalar("a").doubles[1], 3.0);
  EXPECT_DOUBLE_EQ(out.Scalar("b").doubles[5], 2.0);
  p.Set("strategy", std::string("mode"));
  auto mode = Fit("imputer", p, f);
  out = RoundTrip(*mode)->Transform(f, {});
  EXPECT_DOUBLE_EQ(out.Scalar("a").doubles[1], 3.0);
  EXPECT_DOUBLE_EQ(out.Scalar("b").doubles[5], 1.0);  // ties: the smallest
  EXPECT_EQ(Describe(*mode, "surrogates"), "3.0, 1.0");
}

TEST(Imputer, KeepsIntegerTypesAndHonoursMissingValue) {
  Frame f;
  f.Add("n", Ints({1, std::nullopt, 2, 2}));
  f.Add("z", Doubles({0, 5, kNaN, 7}));
  auto m = Fit("imputer",
               Params().Set("input_col", std::string("n")).Set("output_col", std::string("m")), f);
  Frame out = m->Transform(f, {});
  EXPECT_EQ(out.Scalar("m").type.kind, TypeKind::kInt);
  EXPECT_EQ(out.Scalar("m").ints, (std::vector<int64_t>{1, 1, 2, 2}));  // 5/3 cast to int
  EXPECT_TRUE(out.Scalar("n").IsNull(1));
  auto z = Fit("imputer", Params().Set("input_col", std::string("z")).Set("missing_value", 0.0), f);
  Frame zo = z->Transform(f, {});
  EXPECT_DOUBLE_EQ(zo.Scalar("z").doubles[0], 6.0);
  EXPECT_TRUE(std::isnan(zo.Scalar("z").doubles[2]));  // NaN is not missing_value 0
  Frame empty;
  empty.Add("a", Doubles({kNaN, 0}, {1}));
  EXPECT_TRUE(
      Contains(ErrorOf([&] { Fit("imputer", Params().Set("input_col", std::string("a")), empty); }),
               "surrogate cannot be computed"));
  Frame text;
  text.Add("t", Texts({"x"}));
  EXPECT_THROW(Fit("imputer", Params().Set("input_col", std::string("t")), text), CqlError);
  EXPECT_THROW(
      Fit("imputer",
          Params().Set("input_col", std::string("z")).Set("strategy", std::string("max")), f),
      CqlError);
  EXPECT_THROW(
      Fit("imputer",
          Params().Set("input_col", std::string("z")).Set("input_cols", std::string("z,n")), f),
      CqlError);
}

// ---- Bucketizer ------------------------------------------------------------

TEST(Bucketizer, BucketsWithInfiniteAndClosedLastEdges) {
  Frame f;
  f.Add("x", Doubles({-5, 0, 5, 10, 100, 0}, {5}));
  auto b = Make("bucketizer", Params()
                                  .Set("input_col", std::string("x"))
                                  .Set("splits", std::vector<double>{-1e308, 0, 10, 1e308}));
  Frame out = b->Transform(f, {});
  const exec::Column& c = out.Scalar("x_bucket");
  EXPECT_EQ(std::vector<double>(c.doubles.begin(), c.doubles.begin() + 5),
            (std::vector<double>{0, 1, 1, 2, 2}));
  EXPECT_TRUE(c.IsNull(5));
  EXPECT_EQ(out.AttrsOf("x_bucket").labels,
            (std::vector<std::string>{"-Infinity, 0.0", "0.0, 10.0", "10.0, Infinity"}));
  auto closed = Make(
      "bucketizer",
      Params().Set("input_col", std::string("x")).Set("splits", std::vector<double>{-10, 0, 10}));
  Frame edge;
  edge.Add("x", Ints({10, -10, 0}));
  EXPECT_EQ(Values(RoundTrip(*closed)->Transform(edge, {}), "x_bucket"),
            (std::vector<double>{1, 0, 1}));
  std::string err = ErrorOf([&] { closed->Transform(f, {}); });
  EXPECT_TRUE(Contains(err, "Feature value 100.0 out of bucketizer bounds")) << err;
}

TEST(Bucketizer, HandlesNaNAndRejectsBadSplits) {
  Frame f;
  f.Add("x", Doubles({1, kNaN, 3, 2}, {3}));
  Params p;
  p.Set("input_col", std::string("x")).Set("splits", std::vector<double>{0, 2, 4});
  EXPECT_TRUE(Contains(ErrorOf([&] { Make("bucketizer", p)->Transform(f, {}); }), "NaN"));
  p.Set("handle_invalid", std::string("keep"));
  Frame kept = Make("bucketizer", p)->Transform(f, {});
  EXPECT_EQ(kept.Scalar("x_bucket").doubles[1], 2.0);
  p.Set("handle_invalid", std::string("skip"));
  Frame skipped = Make("bucketizer", p)->Transform(f, {});
  EXPECT_EQ(Values(skipped, "x_bucket"), (std::vector<double>{0, 1}));
  EXPECT_THROW(
      Make("bucketizer",
           Params().Set("input_col", std::string("x")).Set("splits", std::vector<double>{0, 2})),
      CqlError);
  EXPECT_THROW(Make("bucketizer", Params()
                                      .Set("input_col", std::string("x"))
                                      .Set("splits", std::vector<double>{0, 2, 2, 3})),
               CqlError);
  EXPECT_THROW(Make("bucketizer", Params().Set("input_col", std::string("x"))), CqlError);
  Frame text;
  text.Add("x", Texts({"a"}));
  EXPECT_THROW(
      Make("bucketizer",
           Params().Set("input_col", std::string("x")).Set("splits", std::vector<double>{0, 1, 2}))
          ->Transform(text, {}),
      CqlError);
}

// Many chunks of rows, one thread or four: identical output.
TEST(ColumnFeatures, AreIdenticalWhateverTheThreadCount) {
  const size_t n = 40000;
  Frame f;
  std::vector<double> x(n), y(n);
  std::vector<size_t> nulls;
  exec::Column cat = exec::Column::Make(DataType::Of(TypeKind::kText));
  for (size_t r = 0; r < n; ++r) {
    x[r] = std::sin(static_cast<double>(r)) * 1e3 + 5e6;
    y[r] = static_cast<double>(r % 13);
    if (r % 1001 == 7) nulls.push_back(r);
    cat.AppendString("c" + std::to_string(r * r % 17));
  }
  f.Add("x", Doubles(x, nulls));
  f.Add("y", Doubles(y));
  f.Add("cat", std::move(cat));
  auto run = [&](exec::ComputePool* pool) {
    Context ctx;
    ctx.pool = pool;
    Frame out = f;
    auto fit = [&](std::string_view name, const Params& p) {
      out = Registry::Default().MakeEstimator(name, p)->Fit(out, ctx)->Transform(out, ctx);
    };
    fit("string_indexer", Params().Set("input_col", std::string("cat")));
    fit("one_hot_encoder", Params().Set("input_col", std::string("cat_index")));
    out = Make("vector_assembler", Params()
                                       .Set("input_cols", std::string("x,y,cat_index_vec"))
                                       .Set("handle_invalid", std::string("skip")))
              ->Transform(out, ctx);
    fit("standard_scaler", Params()
                               .Set("input_col", std::string("features"))
                               .Set("output_col", std::string("std"))
                               .Set("with_mean", true));
    fit("min_max_scaler", Params().Set("input_col", std::string("features")));
    return out;
  };
  exec::ComputePool one(1), four(4);
  Frame a = run(&one), b = run(&four);
  EXPECT_EQ(a.num_rows(), n - 40);
  EXPECT_EQ(a.VectorsOf("features").dim, 2u + 8u);  // 9 categories (squares mod 17), one dropped
  for (const char* col : {"features", "std", "features_scaled", "cat_index_vec"}) {
    EXPECT_EQ(a.VectorsOf(col).values, b.VectorsOf(col).values) << col;
    EXPECT_EQ(a.VectorsOf(col).indices, b.VectorsOf(col).indices) << col;
  }
  // Scaled x has mean 0 and sample std 1.
  const Vectors& s = a.VectorsOf("std");
  double sum = 0, sq = 0;
  for (size_t r = 0; r < s.rows; ++r) {
    sum += s.Row(r)[0];
    sq += s.Row(r)[0] * s.Row(r)[0];
  }
  EXPECT_NEAR(sum / static_cast<double>(s.rows), 0.0, 1e-9);
  EXPECT_NEAR(sq / static_cast<double>(s.rows - 1), 1.0, 1e-9);
}

TEST(FeatureCommon, RendersNumbersLikeJavaAndSplitsNames) {
  EXPECT_EQ(JavaNumber(1e7), "1.0E7");
  EXPECT_EQ(JavaNumber(1234567.0), "1234567.0");
  EXPECT_EQ(JavaNumber(0.001), "0.001");
  EXPECT_EQ(JavaNumber(1e-4), "1.0E-4");
  EXPECT_EQ(JavaNumber(-2.5), "-2.5");
  EXPECT_EQ(JavaNumber(123.456), "123.456");
  EXPECT_EQ(JavaNumber(1.5e300), "1.5E300");
  EXPECT_EQ(JavaNumber(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(JavaNumber(kNaN), "NaN");
  EXPECT_EQ(SplitNames(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitNames(" , ").empty());
  EXPECT_EQ(LowerUtf8("ÀÉÎ ΣΑΒ ЖЁ Ÿ İ"), "àéî σαβ жё ÿ İ");
}

TEST(FeatureRegistry, RegistersEveryTransformerAndEstimator) {
  const Registry& r = Registry::Default();
  for (const char* t : {"vector_assembler", "index_to_string", "bucketizer", "tokenizer",
                        "regex_tokenizer", "stop_words_remover", "hashing_tf"}) {
    EXPECT_NE(r.FindTransformer(t), nullptr) << t;
  }
  for (const char* e : {"string_indexer", "one_hot_encoder", "standard_scaler", "min_max_scaler",
                        "imputer", "count_vectorizer", "idf"}) {
    const EstimatorInfo* info = r.FindEstimator(e);
    ASSERT_NE(info, nullptr) << e;
    EXPECT_EQ(info->task, Task::kFeature);
  }
}

}  // namespace
}  // namespace helenus::ml

// Text feature transformers: Tokenizer, RegexTokenizer, StopWordsRemover,
// HashingTF, CountVectorizer, IDF, and the list<text> column helpers.

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"
#include "helenus/ml/frame.h"
#include "helenus/ml/registry.h"
#include "ml/text_lists.h"

namespace helenus::ml {
namespace {

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

// A list<text> column; nullopt rows are NULL.
exec::Column Lists(const std::vector<std::optional<std::vector<std::string>>>& rows) {
  exec::Column c = exec::Column::Make(TextListType());
  for (const auto& r : rows) {
    if (!r) {
      c.AppendNull();
      continue;
    }
    std::string encoded;
    EncodeTextList(std::span<const std::string>(*r), &encoded);
    c.AppendString(encoded);
  }
  return c;
}

// Row r of a list<text> column (empty optional for NULL).
std::optional<std::vector<std::string>> ListAt(const exec::Column& c, size_t r) {
  if (c.IsNull(r)) return std::nullopt;
  std::vector<std::string_view> views;
  DecodeTextList(c.strings[r], &views);
  return std::vector<std::string>(views.begin(), views.end());
}

using Tokens = std::vector<std::string>;

std::unique_ptr<Model> Fit(std::string_view name, const Params& p, const Frame& f) {
  return Registry::Default().MakeEstimator(name, p)->Fit(f, Context{});
}

std::unique_ptr<Transformer> Make(std::string_view name, const Params& p) {
  return Registry::Default().MakeTransformer(name, p);
}

std::unique_ptr<Model> RoundTrip(const Model& m) {
  const auto bytes = SaveModel(m);
  return LoadModel(bytes);
}

std::vector<std::string> Rows(const Frame& f, std::string_view name) {
  const Vectors& v = f.VectorsOf(name);
  std::vector<std::string> out;
  for (size_t r = 0; r < v.rows; ++r) out.push_back(v.TextAt(r));
  return out;
}

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

std::string Describe(const Model& m, std::string_view key) {
  for (const auto& [k, v] : m.Describe()) {
    if (k == key) return v;
  }
  return "<missing>";
}

// An independent byte-at-a-time MurmurHash3_x86_32 (the reference algorithm).
uint32_t ReferenceMurmur3(const std::string& s, uint32_t seed) {
  auto rotl = [](uint32_t x, int r) { return (x << r) | (x >> (32 - r)); };
  uint32_t h = seed;
  const size_t n = s.size();
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    uint32_t k = 0;
    for (int b = 3; b >= 0; --b) k = (k << 8) | static_cast<unsigned char>(s[i + b]);
    k *= 0xcc9e2d51;
    k = rotl(k, 15);
    k *= 0x1b873593;
    h ^= k;
    h = rotl(h, 13);
    h = h * 5 + 0xe6546b64;
  }
  uint32_t k = 0;
  switch (n & 3) {
    case 3:
      k ^= static_cast<uint32_t>(static_cast<unsigned char>(s[i + 2])) << 16;
      [[fallthrough]];
    case 2:
      k ^= static_cast<uint32_t>(static_cast<unsigned char>(s[i + 1])) << 8;
      [[fallthrough]];
    case 1:
      k ^= static_cast<unsigned char>(s[i]);
      k *= 0xcc9e2d51;
      k = rotl(k, 15);
      k *= 0x1b873593;
      h ^= k;
  }
  h ^= static_cast<uint32_t>(n);
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

// ---- list<text> helpers ----------------------------------------------------

TEST(TextLists, EncodeAsCqlListsAndRejectMalformedBytes) {
  std::vector<std::string> items = {"a", "", "héllo"};
  std::string encoded;
  EncodeTextList(std::span<const std::string>(items), &encoded);
  std::vector<Bytes> elems = cql::DecodeCollection(encoded);
  EXPECT_EQ(elems, (std::vector<Bytes>{"a", "", "héllo"}));
  EXPECT_EQ(cql::ToLiteral(TextListType(), encoded), "['a', '', 'héllo']");
  std::vector<std::string_view> views;
  DecodeTextList(cql::EncodeCollection({"x", "yz"}), &views);
  EXPECT_EQ(views, (std::vector<std::string_view>{"x", "yz"}));
  EXPECT_THROW(DecodeTextList(encoded.substr(0, encoded.size() - 1), &views), CqlError);
  EXPECT_THROW(DecodeTextList("\x7f\xff\xff\xff", &views), CqlError);
  EXPECT_THROW(DecodeTextList("", &views), CqlError);
  EXPECT_TRUE(IsTextListType(DataType::Set(DataType::Of(TypeKind::kText), true)));
  EXPECT_FALSE(IsTextListType(DataType::List(DataType::Of(TypeKind::kInt))));
}

// ---- Tokenizer / RegexTokenizer --------------------------------------------

TEST(Tokenizer, LowerCasesAndSplitsOnEachWhitespaceLikeSpark) {
  Frame f;
  f.Add("text", Texts({"Hello  World\tFOO ", "", std::nullopt, "Ünïcode ÉTÉ Ωμέγα", " lead"}));
  auto t =
      Make("tokenizer",
           Params().Set("input_col", std::string("text")).Set("output_col", std::string("words")));
  Frame out = RoundTrip(*t)->Transform(f, {});
  const exec::Column& w = out.Scalar("words");
  EXPECT_EQ(w.type, TextListType());
  // Java's split("\\s"): runs of blanks give empty tokens, trailing ones are dropped.
  EXPECT_EQ(ListAt(w, 0), (Tokens{"hello", "", "world", "foo"}));
  EXPECT_EQ(ListAt(w, 1), (Tokens{""}));
  EXPECT_EQ(ListAt(w, 2), std::nullopt);
  EXPECT_EQ(ListAt(w, 3), (Tokens{"ünïcode", "été", "ωμέγα"}));
  EXPECT_EQ(ListAt(w, 4), (Tokens{"", "lead"}));
  Frame ints;
  ints.Add("text", exec::Column::Make(DataType::Of(TypeKind::kInt)));
  EXPECT_THROW(t->Transform(ints, {}), CqlError);
  EXPECT_EQ(ErrorOf([&] { t->Transform(Frame(), {}); }), "Undefined column name text");
  EXPECT_THROW(Make("tokenizer", Params()), CqlError);
}

TEST(RegexTokenizer, SplitsOrMatchesWithMinimumLength) {
  Frame f;
  f.Add("text", Texts({"Hi  there, you  ALL", "a b"}));
  Params p;
  p.Set("input_col", std::string("text"));
  Frame out = Make("regex_tokenizer", p)->Transform(f, {});
  EXPECT_EQ(ListAt(out.Scalar("text_tokens"), 0), (Tokens{"hi", "there,", "you", "all"}));
  p.Set("pattern", std::string("\\w+")).Set("gaps", false).Set("min_token_length", 3.0);
  auto t = Make("regex_tokenizer", p);
  out = RoundTrip(*t)->Transform(f, {});
  EXPECT_EQ(ListAt(out.Scalar("text_tokens"), 0), (Tokens{"there", "you", "all"}));
  EXPECT_EQ(ListAt(out.Scalar("text_tokens"), 1), (Tokens{}));
  p.Set("pattern", std::string("[unclosed"));
  EXPECT_THROW(Make("regex_tokenizer", p), CqlError);
}

// ---- StopWordsRemover ------------------------------------------------------

TEST(StopWordsRemover, DropsEnglishStopWordsIgnoringCase) {
  Frame f;
  f.Add("raw", Lists({Tokens{"I", "saw", "the", "red", "balloon"},
                      Tokens{"Mary", "had", "a", "little", "lamb"}, std::nullopt}));
  Params p;
  p.Set("input_col", std::string("raw")).Set("output_col", std::string("filtered"));
  auto t = Make("stop_words_remover", p);
  Frame out = RoundTrip(*t)->Transform(f, {});
  const exec::Column& c = out.Scalar("filtered");
  EXPECT_EQ(ListAt(c, 0), (Tokens{"saw", "red", "balloon"}));
  EXPECT_EQ(ListAt(c, 1), (Tokens{"Mary", "little", "lamb"}));
  EXPECT_EQ(ListAt(c, 2), std::nullopt);
  EXPECT_EQ(Describe(*t, "num_stop_words"), "153");
  p.Set("case_sensitive", true);
  out = Make("stop_words_remover", p)->Transform(f, {});
  EXPECT_EQ(ListAt(out.Scalar("filtered"), 0), (Tokens{"I", "saw", "red", "balloon"}));
  p.Set("case_sensitive", false).Set("stop_words", std::string("RED, lamb"));
  out = Make("stop_words_remover", p)->Transform(f, {});
  EXPECT_EQ(ListAt(out.Scalar("filtered"), 0), (Tokens{"I", "saw", "the", "balloon"}));
  Frame text;
  text.Add("raw", Texts({"a b"}));
  std::string err = ErrorOf([&] { t->Transform(text, {}); });
  EXPECT_NE(err.find("is not a list<text>"), std::string::npos) << err;
}

// ---- HashingTF -------------------------------------------------------------

TEST(HashingTf, UsesSparksMurmur3Slots) {
  // Expected slots from sklearn.utils.murmurhash3_32(term, seed=42) mod n,
  // and pyspark's documented HashingTF(numFeatures=10) of [a, b, c]:
  // SparseVector(10, {5: 1.0, 7: 1.0, 8: 1.0}).
  Frame f;
  f.Add("w", Lists({Tokens{"a", "b", "c"}, Tokens{"hello", "a", "a"}, Tokens{}, std::nullopt}));
  Params p;
  p.Set("input_col", std::string("w")).Set("num_features", 10.0);
  auto t = Make("hashing_tf", p);
  Frame out = RoundTrip(*t)->Transform(f, {});
  EXPECT_EQ(Rows(out, "w_tf"),
            (std::vector<std::string>{"(10,[5,7,8],[1.0,1.0,1.0])", "(10,[7,9],[2.0,1.0])",
                                      "(10,[],[])", "null"}));
  p.Set("binary", true);
  EXPECT_EQ(Rows(Make("hashing_tf", p)->Transform(f, {}), "w_tf")[1], "(10,[7,9],[1.0,1.0])");
  // Default 2^18 slots: sklearn gives hello -> -488910111, a -> -1293573533.
  Frame out18 = Make("hashing_tf", Params().Set("input_col", std::string("w")))->Transform(f, {});
  EXPECT_EQ(out18.VectorsOf("w_tf").TextAt(1), "(262144,[107107,250593],[2.0,1.0])");
}

TEST(HashingTf, AgreesWithAReferenceMurmur3) {
  const std::vector<std::string> terms = {"",      "x",     "ab",    "abc",    "abcd",
                                          "abcde", "spark", "héllo", "日本語", "hi there"};
  const int64_t n = 1000003;
  Frame f;
  std::vector<std::optional<Tokens>> rows;
  for (const auto& t : terms) rows.push_back(Tokens{t});
  f.Add("w", Lists(rows));
  Frame out =
      Make("hashing_tf",
           Params().Set("input_col", std::string("w")).Set("num_features", static_cast<double>(n)))
          ->Transform(f, {});
  const Vectors& v = out.VectorsOf("w_tf");
  for (size_t r = 0; r < terms.size(); ++r) {
    const auto h = static_cast<int32_t>(ReferenceMurmur3(terms[r], 42));
    const int64_t slot = ((h % n) + n) % n;
    ASSERT_EQ(v.offsets[r + 1] - v.offsets[r], 1u) << terms[r];
    EXPECT_EQ(v.indices[v.offsets[r]], static_cast<uint32_t>(slot)) << terms[r];
  }
  // Known vectors of the reference itself (sklearn's murmurhash3_32, seed 42).
  EXPECT_EQ(static_cast<int32_t>(ReferenceMurmur3("hello", 42)), -488910111);
  EXPECT_EQ(static_cast<int32_t>(ReferenceMurmur3("abcde", 42)), -1361433616);
  EXPECT_EQ(static_cast<int32_t>(ReferenceMurmur3("", 42)), 142593372);
  EXPECT_THROW(
      Make("hashing_tf", Params().Set("input_col", std::string("w")).Set("num_features", 0.0)),
      CqlError);
}

// ---- CountVectorizer -------------------------------------------------------

Frame Docs() {
  Frame f;
  f.Add("words", Lists({Tokens{"a", "b", "c"}, Tokens{"a", "b", "b", "c", "a"}, std::nullopt}));
  return f;
}

TEST(CountVectorizer, LearnsVocabularyLikeSparksExample) {
  Params p;
  p.Set("input_col", std::string("words"))
      .Set("output_col", std::string("features"))
      .Set("vocab_size", 3.0)
      .Set("min_df", 2.0);
  auto m = Fit("count_vectorizer", p, Docs());
  Frame out = m->Transform(Docs(), {});
  EXPECT_EQ(Rows(out, "features"), (std::vector<std::string>{"(3,[0,1,2],[1.0,1.0,1.0])",
                                                             "(3,[0,1,2],[2.0,2.0,1.0])", "null"}));
  EXPECT_EQ(out.AttrsOf("features").feature_names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Describe(*m, "vocabulary_size"), "3");
  auto loaded = RoundTrip(*m);
  EXPECT_EQ(Rows(loaded->Transform(Docs(), {}), "features"), Rows(out, "features"));
  EXPECT_EQ(m->Artifact("vocabulary").Scalar("term").strings, (Tokens{"a", "b", "c"}));
}

TEST(CountVectorizer, AppliesVocabSizeMinDfMinTfAndBinary) {
  Frame f;
  f.Add("w", Lists({Tokens{"x", "y", "y", "z", "z", "z"}, Tokens{"y", "q"}, Tokens{"q", "z"}}));
  Params p;
  p.Set("input_col", std::string("w"));
  auto m = Fit("count_vectorizer", p, f);
  // z: 4, y: 3, q: 2, x: 1.
  EXPECT_EQ(Describe(*m, "vocabulary"), "z, y, q, x");
  p.Set("vocab_size", 2.0);
  EXPECT_EQ(Describe(*Fit("count_vectorizer", p, f), "vocabulary"), "z, y");
  p.Set("vocab_size", 10.0).Set("min_df", 0.6);  // at least 2 of 3 rows
  EXPECT_EQ(Describe(*Fit("count_vectorizer", p, f), "vocabulary"), "z, y, q");
  p.Set("min_df", 1.0).Set("min_tf", 0.3).Set("binary", true);
  Frame out = Fit("count_vectorizer", p, f)->Transform(f, {});
  // Row 0 has 6 terms: counts >= 1.8 are kept (y: 2, z: 3).
  EXPECT_EQ(out.VectorsOf("w_counts").TextAt(0), "(4,[0,1],[1.0,1.0])");
  p.Set("min_tf", 1.0).Set("binary", false).Set("min_df", 5.0);
  EXPECT_TRUE(ErrorOf([&] { Fit("count_vectorizer", p, f); }).find("vocabulary is empty") !=
              std::string::npos);
  EXPECT_THROW(
      Fit("count_vectorizer", Params().Set("input_col", std::string("w")).Set("min_df", -1.0), f),
      CqlError);
}

// ---- IDF -------------------------------------------------------------------

TEST(Idf, WeighsByLogOfSmoothedDocumentFrequency) {
  Frame f;
  Vectors tf = Vectors::Dense(0, 4);
  tf.AppendDense(std::vector<double>{1, 0, 2, 0});
  tf.AppendDense(std::vector<double>{0, 0, 1, 0});
  tf.AppendDense(std::vector<double>{3, 1, 0, 0});
  f.Add("tf", std::move(tf));
  Params p;
  p.Set("input_col", std::string("tf"));
  auto m = Fit("idf", p, f);
  // df = [2, 1, 2, 0], m = 3: log(4 / 3), log(2), log(4 / 3), log(4).
  const std::vector<double> idf = {std::log(4.0 / 3), std::log(2.0), std::log(4.0 / 3),
                                   std::log(4.0)};
  EXPECT_NEAR(idf[0], 0.28768207245178085, 1e-15);
  Frame out = RoundTrip(*m)->Transform(f, {});
  const Vectors& v = out.VectorsOf("tf_idf");
  EXPECT_DOUBLE_EQ(v.Row(0)[0], idf[0]);
  EXPECT_DOUBLE_EQ(v.Row(0)[2], 2 * idf[2]);
  EXPECT_DOUBLE_EQ(v.Row(2)[1], idf[1]);
  EXPECT_EQ(Describe(*m, "num_docs"), "3.0");
  EXPECT_DOUBLE_EQ(m->Artifact("idf").Scalar("idf").doubles[3], idf[3]);
  p.Set("min_doc_freq", 2.0);
  const Vectors w = Fit("idf", p, f)->Transform(f, {}).VectorsOf("tf_idf");
  EXPECT_EQ(w.Row(2)[1], 0.0);
  EXPECT_DOUBLE_EQ(w.Row(2)[0], 3 * idf[0]);
}

TEST(Idf, KeepsSparseVectorsFromHashingTf) {
  Frame f;
  f.Add("w", Lists({Tokens{"a", "b", "a"}, Tokens{"b"}, Tokens{"c"}}));
  f = Make("hashing_tf", Params().Set("input_col", std::string("w")).Set("num_features", 10.0))
          ->Transform(f, {});
  auto m = Fit("idf", Params().Set("input_col", std::string("w_tf")), f);
  const Vectors v = m->Transform(f, {}).VectorsOf("w_tf_idf");
  ASSERT_TRUE(v.sparse);
  // a (slot 7) in 1 of 3 rows, b (slot 5) in 2.
  EXPECT_EQ(v.indices[0], 5u);
  EXPECT_DOUBLE_EQ(v.values[0], std::log(4.0 / 3));
  EXPECT_DOUBLE_EQ(v.values[1], 2 * std::log(2.0));
  Frame text;
  text.Add("w_tf", Texts({"x"}));
  EXPECT_THROW(Fit("idf", Params().Set("input_col", std::string("w_tf")), text), CqlError);
  EXPECT_THROW(
      Fit("idf", Params().Set("input_col", std::string("w_tf")).Set("min_doc_freq", -1.0), f),
      CqlError);
}

// A whole text pipeline: tokenize, remove stop words, count, weigh.
TEST(TextPipeline, TokensToTfIdf) {
  Frame f;
  f.Add("text", Texts({"The cat sat", "The dog sat on the cat", "A bird"}));
  f = Make("tokenizer", Params().Set("input_col", std::string("text")))->Transform(f, {});
  f = Make("stop_words_remover", Params().Set("input_col", std::string("text_tokens")))
          ->Transform(f, {});
  auto cv =
      Fit("count_vectorizer", Params().Set("input_col", std::string("text_tokens_filtered")), f);
  f = cv->Transform(f, {});
  EXPECT_EQ(Describe(*cv, "vocabulary"), "cat, sat, bird, dog");
  auto idf = Fit("idf", Params().Set("input_col", std::string("text_tokens_filtered_counts")), f);
  f = idf->Transform(f, {});
  const Vectors& v = f.VectorsOf("text_tokens_filtered_counts_idf");
  EXPECT_EQ(v.dim, 4u);
  EXPECT_EQ(v.TextAt(2), "(4,[2],[0.6931471805599453])");
}

// Many chunks of rows, one thread or four: identical output, NULL rows in place.
TEST(TextFeatures, AreIdenticalWhateverTheThreadCount) {
  const size_t n = 30000;
  std::vector<std::optional<Tokens>> rows;
  for (size_t r = 0; r < n; ++r) {
    if (r % 997 == 5) {
      rows.push_back(std::nullopt);
      continue;
    }
    Tokens t;
    for (size_t k = 0; k < r % 7 + 1; ++k)
      t.push_back("w" + std::to_string((r * 31 + k * 17) % 101));
    rows.push_back(t);
  }
  Frame f;
  f.Add("w", Lists(rows));
  auto run = [&](exec::ComputePool* pool) {
    Context ctx;
    ctx.pool = pool;
    Frame out =
        Make("hashing_tf", Params().Set("input_col", std::string("w")).Set("num_features", 64.0))
            ->Transform(f, ctx);
    auto cv = Registry::Default()
                  .MakeEstimator("count_vectorizer", Params().Set("input_col", std::string("w")))
                  ->Fit(out, ctx);
    out = cv->Transform(out, ctx);
    auto idf = Registry::Default()
                   .MakeEstimator("idf", Params().Set("input_col", std::string("w_counts")))
                   ->Fit(out, ctx);
    return idf->Transform(out, ctx);
  };
  exec::ComputePool one(1), four(4);
  Frame a = run(&one), b = run(&four);
  for (const char* col : {"w_tf", "w_counts", "w_counts_idf"}) {
    const Vectors& va = a.VectorsOf(col);
    const Vectors& vb = b.VectorsOf(col);
    EXPECT_EQ(va.values, vb.values) << col;
    EXPECT_EQ(va.indices, vb.indices) << col;
    EXPECT_EQ(va.offsets, vb.offsets) << col;
    EXPECT_EQ(va.valid, vb.valid) << col;
    EXPECT_EQ(va.rows, n);
    EXPECT_TRUE(va.IsNull(5));
    EXPECT_FALSE(va.IsNull(6));
  }
  EXPECT_EQ(a.VectorsOf("w_counts").dim, 101u);
  // Row r = 29000 holds (r % 7 + 1) tokens.
  double sum = 0;
  a.VectorsOf("w_tf").ForEach(29000, [&](uint32_t, double v) { sum += v; });
  EXPECT_EQ(sum, static_cast<double>(29000 % 7 + 1));
}

TEST(TextFeatures, CorruptSavedModelsAreInvalid) {
  auto m = Fit("count_vectorizer", Params().Set("input_col", std::string("words")), Docs());
  auto bytes = SaveModel(*m);
  for (size_t cut : {bytes.size() - 1, bytes.size() / 2, size_t{20}}) {
    std::vector<uint8_t> part(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
    EXPECT_THROW(LoadModel(part), CqlError) << cut;
  }
  auto t = Make("tokenizer", Params().Set("input_col", std::string("text")));
  auto tb = SaveModel(*t);
  tb.push_back(0);
  EXPECT_THROW(LoadModel(tb), CqlError);
}

}  // namespace
}  // namespace helenus::ml

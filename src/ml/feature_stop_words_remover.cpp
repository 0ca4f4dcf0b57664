// StopWordsRemover: common words dropped from token lists (MLlib's StopWordsRemover).

#include <unordered_set>

#include "helenus/common/error.h"
#include "ml/feature_common.h"
#include "ml/text_lists.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "stop_words_remover";

// Spark's default English list (StopWordsRemover.loadDefaultStopWords("english")).
constexpr const char* kEnglish[] = {
    "i",       "me",      "my",      "myself",   "we",         "our",    "ours",    "ourselves",
    "you",     "your",    "yours",   "yourself", "yourselves", "he",     "him",     "his",
    "himself", "she",     "her",     "hers",     "herself",    "it",     "its",     "itself",
    "they",    "them",    "their",   "theirs",   "themselves", "what",   "which",   "who",
    "whom",    "this",    "that",    "these",    "those",      "am",     "is",      "are",
    "was",     "were",    "be",      "been",     "being",      "have",   "has",     "had",
    "having",  "do",      "does",    "did",      "doing",      "a",      "an",      "the",
    "and",     "but",     "if",      "or",       "because",    "as",     "until",   "while",
    "of",      "at",      "by",      "for",      "with",       "about",  "against", "between",
    "into",    "through", "during",  "before",   "after",      "above",  "below",   "to",
    "from",    "up",      "down",    "in",       "out",        "on",     "off",     "over",
    "under",   "again",   "further", "then",     "once",       "here",   "there",   "when",
    "where",   "why",     "how",     "all",      "any",        "both",   "each",    "few",
    "more",    "most",    "other",   "some",     "such",       "no",     "nor",     "not",
    "only",    "own",     "same",    "so",       "than",       "too",    "very",    "s",
    "t",       "can",     "will",    "just",     "don",        "should", "now",     "d",
    "ll",      "m",       "o",       "re",       "ve",         "y",      "ain",     "aren",
    "couldn",  "didn",    "doesn",   "hadn",     "hasn",       "haven",  "isn",     "ma",
    "mightn",  "mustn",   "needn",   "shan",     "shouldn",    "wasn",   "weren",   "won",
    "wouldn",
};

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_col", "", "list<text> column of tokens"),
      StringParam("output_col", "", "output list<text> column ('' = <input_col>_filtered)"),
      StringParam("stop_words", "",
                  "comma-separated words to drop ('' = Spark's default English list)"),
      BoolParam("case_sensitive", false, "compare words with their case"),
  };
  return spec;
}

// True when lower-casing would not change s (no ASCII capital, nothing beyond ASCII).
bool IsLower(std::string_view s) {
  for (char c : s) {
    if ((c >= 'A' && c <= 'Z') || (static_cast<unsigned char>(c) & 0x80)) return false;
  }
  return true;
}

class StopWordsRemover final : public FeatureTransformer {
 public:
  explicit StopWordsRemover(Params p) : FeatureTransformer(kName, Spec(), std::move(p)) {
    RequiredColumn(params(), spec(), "input_col", kName);
    std::vector<std::string> words = SplitNames(Str("stop_words"));
    if (words.empty()) words.assign(std::begin(kEnglish), std::end(kEnglish));
    case_sensitive_ = Flag("case_sensitive");
    for (auto& w : words) words_.insert(case_sensitive_ ? w : LowerUtf8(w));
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params(), spec(), "input_col", kName);
    const exec::Column& col = TextListColumn(input, in_name, kName);
    exec::Column out = BuildColumn(ctx, TextListType(), col.size(), [&](size_t r, exec::Column* o) {
      if (col.IsNull(r)) {
        o->AppendNull();
        return;
      }
      thread_local std::vector<std::string_view> tokens;
      thread_local std::string encoded;
      DecodeTextList(col.strings[r], &tokens);
      size_t kept = 0;
      for (std::string_view t : tokens) {
        const bool stop = case_sensitive_ || IsLower(t) ? words_.find(t) != words_.end()
                                                        : words_.count(LowerUtf8(t)) > 0;
        if (!stop) tokens[kept++] = t;
      }
      tokens.resize(kept);
      encoded.clear();
      EncodeTextList(tokens, &encoded);
      o->AppendString(encoded);
    });
    Frame result = input;
    result.Add(OutputColumn(params(), spec(), in_name, "_filtered"), std::move(out));
    return result;
  }

 protected:
  std::vector<std::pair<std::string, std::string>> DescribeState() const override {
    return {{"num_stop_words", std::to_string(words_.size())}};
  }

 private:
  bool case_sensitive_ = false;
  std::unordered_set<std::string, TextHash, std::equal_to<>> words_;
};

}  // namespace

void RegisterStopWordsRemover(Registry& r) {
  AddParamTransformer(r, TransformerInfo{
                             kName,
                             "drops stop words (English by default) from token lists",
                             Spec(),
                             [](const Params& p) { return std::make_unique<StopWordsRemover>(p); },
                         });
}

}  // namespace helenus::ml

// RegexTokenizer: text split by (or matched against) a regular expression
// into a list<text> column (MLlib's RegexTokenizer).

#include <regex>

#include "helenus/common/error.h"
#include "ml/feature_common.h"
#include "ml/text_lists.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "regex_tokenizer";

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_col", "", "text column"),
      StringParam("output_col", "", "output list<text> column ('' = <input_col>_tokens)"),
      StringParam("pattern", "\\s+", "regular expression (ECMAScript syntax)"),
      BoolParam("gaps", true, "true: the pattern matches separators; false: it matches tokens"),
      IntParam("min_token_length", 1, "shorter tokens (in characters) are dropped", 0),
      BoolParam("to_lowercase", true, "lower-case the text before tokenizing"),
  };
  return spec;
}

// Characters (UTF-8 code points) in s.
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

class RegexTokenizer final : public FeatureTransformer {
 public:
  explicit RegexTokenizer(Params p) : FeatureTransformer(kName, Spec(), std::move(p)) {
    RequiredColumn(params(), spec(), "input_col", kName);
    try {
      regex_ = std::regex(Str("pattern"), std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      ThrowInvalid("{}: bad pattern '{}': {}", kName, Str("pattern"), e.what());
    }
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params(), spec(), "input_col", kName);
    const exec::Column& col = input.Scalar(in_name);
    if (col.type.kind != TypeKind::kText && col.type.kind != TypeKind::kAscii) {
      ThrowInvalid("{}: column {} of type {} is not text", kName, in_name, col.type.ToCql());
    }
    const bool gaps = Flag("gaps"), lower = Flag("to_lowercase");
    const auto min_len = static_cast<size_t>(Int("min_token_length"));
    exec::Column out = BuildColumn(ctx, TextListType(), col.size(), [&](size_t r, exec::Column* o) {
      if (col.IsNull(r)) {
        o->AppendNull();
        return;
      }
      thread_local std::vector<std::string_view> tokens;
      thread_local std::string encoded;
      const std::string text = lower ? LowerUtf8(col.strings[r]) : col.strings[r];
      tokens.clear();
      auto add = [&](std::string_view t) {
        if (CodePoints(t) >= min_len) tokens.push_back(t);
      };
      if (gaps) {
        // Java's Pattern.split: pieces between matches, trailing empties dropped.
        size_t start = 0;
        bool matched = false;
        std::vector<std::string_view> pieces;
        for (std::cregex_iterator it(text.data(), text.data() + text.size(), regex_), end;
             it != end; ++it) {
          const size_t at = static_cast<size_t>(it->position(0));
          if (it->length(0) == 0 && at == 0) continue;
          matched = true;
          pieces.emplace_back(text.data() + start, at - start);
          start = at + static_cast<size_t>(it->length(0));
        }
        pieces.emplace_back(text.data() + start, text.size() - start);
        while (matched && !pieces.empty() && pieces.back().empty()) pieces.pop_back();
        for (auto p : pieces) add(p);
      } else {
        for (std::cregex_iterator it(text.data(), text.data() + text.size(), regex_), end;
             it != end; ++it) {
          add(std::string_view(text.data() + it->position(0), static_cast<size_t>(it->length(0))));
        }
      }
      encoded.clear();
      EncodeTextList(tokens, &encoded);
      o->AppendString(encoded);
    });
    Frame result = input;
    result.Add(OutputColumn(params(), spec(), in_name, "_tokens"), std::move(out));
    return result;
  }

 private:
  std::regex regex_;
};

}  // namespace

void RegisterRegexTokenizer(Registry& r) {
  AddParamTransformer(r, TransformerInfo{
                             kName,
                             "splits text into a list<text> by a regular expression",
                             Spec(),
                             [](const Params& p) { return std::make_unique<RegexTokenizer>(p); },
                         });
}

}  // namespace helenus::ml

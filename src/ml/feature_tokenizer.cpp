// Tokenizer: text lower-cased and split on whitespace into a list<text>
// column (MLlib's Tokenizer).

#include "helenus/common/error.h"
#include "ml/feature_common.h"
#include "ml/text_lists.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "tokenizer";

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_col", "", "text column"),
      StringParam("output_col", "", "output list<text> column ('' = <input_col>_tokens)"),
  };
  return spec;
}

// Java's \s: space, tab, newline, vertical tab, form feed, carriage return.
bool IsJavaSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\x0B' || c == '\f' || c == '\r';
}

// Spark's text.toLowerCase.split("\\s"): every whitespace character ends a
// token (so runs of blanks give empty tokens), trailing empty tokens are
// dropped, and text without whitespace is one token (even when empty).
void SplitOnWhitespace(std::string_view text, std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0;
  bool split = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsJavaSpace(text[i])) {
      out->push_back(text.substr(start, i - start));
      start = i + 1;
      split = true;
    }
  }
  out->push_back(text.substr(start));
  if (!split) return;
  while (!out->empty() && out->back().empty()) out->pop_back();
}

class Tokenizer final : public FeatureTransformer {
 public:
  explicit Tokenizer(Params p) : FeatureTransformer(kName, Spec(), std::move(p)) {
    RequiredColumn(params(), spec(), "input_col", kName);
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params(), spec(), "input_col", kName);
    const exec::Column& col = input.Scalar(in_name);
    if (col.type.kind != TypeKind::kText && col.type.kind != TypeKind::kAscii) {
      ThrowInvalid("{}: column {} of type {} is not text", kName, in_name, col.type.ToCql());
    }
    exec::Column out = BuildColumn(ctx, TextListType(), col.size(), [&](size_t r, exec::Column* o) {
      if (col.IsNull(r)) {
        o->AppendNull();
        return;
      }
      thread_local std::vector<std::string_view> tokens;
      thread_local std::string encoded;
      const std::string lower = LowerUtf8(col.strings[r]);
      SplitOnWhitespace(lower, &tokens);
      encoded.clear();
      EncodeTextList(tokens, &encoded);
      o->AppendString(encoded);
    });
    Frame result = input;
    result.Add(OutputColumn(params(), spec(), in_name, "_tokens"), std::move(out));
    return result;
  }
};

}  // namespace

void RegisterTokenizer(Registry& r) {
  AddParamTransformer(r, TransformerInfo{
                             kName,
                             "lower-cases text and splits it on whitespace into a list<text>",
                             Spec(),
                             [](const Params& p) { return std::make_unique<Tokenizer>(p); },
                         });
}

}  // namespace helenus::ml

// HashingTF: token lists as term-frequency vectors over hashed slots
// (MLlib's HashingTF, Spark 3 hashing: MurmurHash3_x86_32, seed 42).

#include <algorithm>
#include <bit>

#include "helenus/common/error.h"
#include "ml/feature_common.h"
#include "ml/text_lists.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "hashing_tf";
// Spark's HashingTF seed.
constexpr uint32_t kSeed = 42;

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_col", "", "list<text> column of terms"),
      StringParam("output_col", "", "output vector column ('' = <input_col>_tf)"),
      IntParam("num_features", 1 << 18, "number of hashed slots", 1, 2147483647.0),
      BoolParam("binary", false, "1.0 for present terms instead of their counts"),
  };
  return spec;
}

uint32_t MixK1(uint32_t k1) {
  k1 *= 0xcc9e2d51u;
  k1 = std::rotl(k1, 15);
  return k1 * 0x1b873593u;
}

// MurmurHash3_x86_32 of the bytes (Spark's Murmur3_x86_32.hashUnsafeBytes2).
uint32_t Murmur3X86(std::string_view data, uint32_t seed) {
  uint32_t h1 = seed;
  const size_t blocks = data.size() / 4;
  for (size_t i = 0; i < blocks; ++i) {
    const auto* b = reinterpret_cast<const unsigned char*>(data.data() + 4 * i);
    const uint32_t k1 =
        uint32_t{b[0]} | (uint32_t{b[1]} << 8) | (uint32_t{b[2]} << 16) | (uint32_t{b[3]} << 24);
    h1 ^= MixK1(k1);
    h1 = std::rotl(h1, 13);
    h1 = h1 * 5 + 0xe6546b64u;
  }
  uint32_t k1 = 0;
  for (size_t i = blocks * 4, shift = 0; i < data.size(); ++i, shift += 8) {
    k1 ^= uint32_t{static_cast<unsigned char>(data[i])} << shift;
  }
  h1 ^= MixK1(k1);
  h1 ^= static_cast<uint32_t>(data.size());
  h1 ^= h1 >> 16;
  h1 *= 0x85ebca6bu;
  h1 ^= h1 >> 13;
  h1 *= 0xc2b2ae35u;
  h1 ^= h1 >> 16;
  return h1;
}

class HashingTf final : public FeatureTransformer {
 public:
  explicit HashingTf(Params p) : FeatureTransformer(kName, Spec(), std::move(p)) {
    RequiredColumn(params(), spec(), "input_col", kName);
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params(), spec(), "input_col", kName);
    const exec::Column& col = TextListColumn(input, in_name, kName);
    const auto dim = static_cast<int64_t>(Int("num_features"));
    const bool binary = Flag("binary");
    Vectors out = BuildSparse(ctx, static_cast<size_t>(dim), col.size(),
                              [&](size_t r, std::vector<uint32_t>* idx, std::vector<double>* val) {
                                if (col.IsNull(r)) return false;
                                thread_local std::vector<std::string_view> terms;
                                thread_local std::vector<uint32_t> slots;
                                DecodeTextList(col.strings[r], &terms);
                                slots.clear();
                                for (std::string_view t : terms) {
                                  // Spark's nonNegativeMod of the signed 32-bit hash.
                                  const auto h = static_cast<int32_t>(Murmur3X86(t, kSeed));
                                  int64_t m = h % dim;
                                  if (m < 0) m += dim;
                                  slots.push_back(static_cast<uint32_t>(m));
                                }
                                std::sort(slots.begin(), slots.end());
                                for (size_t i = 0; i < slots.size();) {
                                  size_t j = i;
                                  while (j < slots.size() && slots[j] == slots[i]) ++j;
                                  idx->push_back(slots[i]);
                                  val->push_back(binary ? 1.0 : static_cast<double>(j - i));
                                  i = j;
                                }
                                return true;
                              });
    Frame result = input;
    result.Add(OutputColumn(params(), spec(), in_name, "_tf"), std::move(out));
    return result;
  }
};

}  // namespace

void RegisterHashingTf(Registry& r) {
  AddParamTransformer(r, TransformerInfo{
                             kName,
                             "hashes token lists into term-frequency vectors (Spark-compatible)",
                             Spec(),
                             [](const Params& p) { return std::make_unique<HashingTf>(p); },
                         });
}

}  // namespace helenus::ml

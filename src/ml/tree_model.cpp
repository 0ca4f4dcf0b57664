#include "ml/tree_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "helenus/common/error.h"

namespace helenus::ml {

std::string ScalaDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  const double a = std::fabs(v);
  if (a == 0 || (a >= 1e-3 && a < 1e7)) {
    std::string s = fmt::format("{}", v);
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string s(buf, res.ptr);
  const size_t e = s.find('e');
  std::string mantissa = s.substr(0, e);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  int exponent = std::stoi(s.substr(e + 1));
  return fmt::format("{}E{}", mantissa, exponent);
}

int Tree::Depth() const {
  // Children come after their parent, so one forward pass sees every parent first.
  std::vector<int> depth(size(), 0);
  int deepest = 0;
  for (size_t n = 0; n < size(); ++n) {
    if (feature[n] < 0) continue;
    depth[left[n]] = depth[right[n]] = depth[n] + 1;
    deepest = std::max(deepest, depth[n] + 1);
  }
  return deepest;
}

double Tree::SparseAt(const Vectors& x, size_t r, int32_t j) {
  const uint32_t* begin = x.indices.data() + x.offsets[r];
  const uint32_t* end = x.indices.data() + x.offsets[r + 1];
  const uint32_t* it = std::lower_bound(begin, end, static_cast<uint32_t>(j));
  return it != end && *it == static_cast<uint32_t>(j) ? x.values[it - x.indices.data()] : 0.0;
}

std::string Tree::DebugString(const std::function<std::string(const double*)>& predict_text,
                              int indent) const {
  std::string out;
  std::function<void(size_t, int)> walk = [&](size_t n, int level) {
    const std::string pad(static_cast<size_t>(level), ' ');
    if (feature[n] < 0) {
      out += fmt::format("{}Predict: {}\n", pad, predict_text(Value(n)));
      return;
    }
    const std::string t = ScalaDouble(threshold[n]);
    out += fmt::format("{}If (feature {} <= {})\n", pad, feature[n], t);
    walk(left[n], level + 1);
    out += fmt::format("{}Else (feature {} > {})\n", pad, feature[n], t);
    walk(right[n], level + 1);
  };
  walk(0, indent);
  return out;
}

void Tree::Save(Writer& out) const {
  out.U64(value_dim);
  std::vector<int64_t> f(feature.begin(), feature.end());
  std::vector<int64_t> l(left.begin(), left.end());
  std::vector<int64_t> r(right.begin(), right.end());
  out.I64s(f);
  out.F64s(threshold);
  out.I64s(l);
  out.I64s(r);
  out.F64s(gain);
  out.F64s(weight);
  out.F64s(values);
}

Tree Tree::Load(Reader& in, size_t num_features) {
  Tree t;
  t.value_dim = in.U64();
  const auto f = in.I64s();
  t.threshold = in.F64s();
  const auto l = in.I64s();
  const auto r = in.I64s();
  t.gain = in.F64s();
  t.weight = in.F64s();
  t.values = in.F64s();
  const size_t n = f.size();
  if (n == 0 || n > (size_t{1} << 31) || t.value_dim == 0 || t.value_dim > (1u << 24) ||
      t.threshold.size() != n || l.size() != n || r.size() != n || t.gain.size() != n ||
      t.weight.size() != n || t.values.size() != n * t.value_dim) {
    ThrowInvalid("Corrupt model: inconsistent tree arrays");
  }
  t.feature.resize(n);
  t.left.resize(n);
  t.right.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const bool leaf = f[i] == -1;
    const bool ok = leaf ? (l[i] == -1 && r[i] == -1)
                         : (f[i] >= 0 && static_cast<size_t>(f[i]) < num_features &&
                            l[i] > static_cast<int64_t>(i) && r[i] > static_cast<int64_t>(i) &&
                            static_cast<size_t>(l[i]) < n && static_cast<size_t>(r[i]) < n);
    if (!ok) ThrowInvalid("Corrupt model: bad tree node {}", i);
    t.feature[i] = static_cast<int32_t>(f[i]);
    t.left[i] = static_cast<int32_t>(l[i]);
    t.right[i] = static_cast<int32_t>(r[i]);
  }
  return t;
}

}  // namespace helenus::ml

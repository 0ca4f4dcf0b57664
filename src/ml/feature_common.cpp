#include "ml/feature_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "helenus/common/error.h"
#include "helenus/exec/expr.h"
#include "helenus/ml/parallel.h"

namespace helenus::ml {

void RegisterFeatures(Registry& r) {
  RegisterVectorAssembler(r);
  RegisterStringIndexer(r);
  RegisterIndexToString(r);
  RegisterOneHotEncoder(r);
  RegisterStandardScaler(r);
  RegisterMinMaxScaler(r);
  RegisterImputer(r);
  RegisterBucketizer(r);
  RegisterTokenizer(r);
  RegisterRegexTokenizer(r);
  RegisterStopWordsRemover(r);
  RegisterHashingTf(r);
  RegisterCountVectorizer(r);
  RegisterIdf(r);
}

HandleInvalid ParseHandleInvalid(std::string_view s) {
  if (s == "skip") return HandleInvalid::kSkip;
  if (s == "keep") return HandleInvalid::kKeep;
  return HandleInvalid::kError;
}

std::vector<std::string> SplitNames(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(start, end - start);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) {
      item.remove_prefix(1);
    }
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) {
      item.remove_suffix(1);
    }
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

namespace {

// Tags of the saved parameter value types.
enum class ParamTag : uint8_t { kDouble = 0, kBool = 1, kString = 2, kDoubles = 3 };

}  // namespace

void SaveParams(Writer& out, const Params& params) {
  out.U64(params.values().size());
  for (const auto& [name, value] : params.values()) {
    out.Str(name);
    if (const auto* d = std::get_if<double>(&value)) {
      out.U8(static_cast<uint8_t>(ParamTag::kDouble));
      out.F64(*d);
    } else if (const auto* b = std::get_if<bool>(&value)) {
      out.U8(static_cast<uint8_t>(ParamTag::kBool));
      out.Bool(*b);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      out.U8(static_cast<uint8_t>(ParamTag::kString));
      out.Str(*s);
    } else {
      out.U8(static_cast<uint8_t>(ParamTag::kDoubles));
      out.F64s(std::get<std::vector<double>>(value));
    }
  }
}

Params LoadParams(Reader& in) {
  Params p;
  const size_t n = in.Count(6);
  for (size_t i = 0; i < n; ++i) {
    std::string name = in.Str();
    switch (static_cast<ParamTag>(in.U8())) {
      case ParamTag::kDouble:
        p.Set(name, in.F64());
        break;
      case ParamTag::kBool:
        p.Set(name, in.Bool());
        break;
      case ParamTag::kString:
        p.Set(name, in.Str());
        break;
      case ParamTag::kDoubles:
        p.Set(name, in.F64s());
        break;
      default:
        ThrowInvalid("Corrupt model: unknown type of option {}", name);
    }
  }
  return p;
}

std::string RequiredColumn(const Params& p, const std::vector<ParamSpec>& spec,
                           std::string_view option, std::string_view what) {
  std::string name = p.String(spec, option);
  if (name.empty()) ThrowInvalid("{} needs option {}", what, option);
  return name;
}

std::string OutputColumn(const Params& p, const std::vector<ParamSpec>& spec,
                         const std::string& input, std::string_view suffix) {
  std::string name = p.String(spec, "output_col");
  return name.empty() ? input + std::string(suffix) : name;
}

Frame WithRescaled(const Frame& input, const Params& p, const std::vector<ParamSpec>& spec,
                   const std::string& in_name, std::string_view suffix, Vectors out) {
  Attributes attrs;
  attrs.feature_names = input.AttrsOf(in_name).feature_names;
  Frame result = input;
  result.Add(OutputColumn(p, spec, in_name, suffix), std::move(out), std::move(attrs));
  return result;
}

std::vector<std::pair<std::string, std::string>> ColumnPairs(const Params& p,
                                                             const std::vector<ParamSpec>& spec,
                                                             std::string_view what,
                                                             std::string_view suffix) {
  const std::string one = p.String(spec, "input_col");
  const std::vector<std::string> many = SplitNames(p.String(spec, "input_cols"));
  if (one.empty() == many.empty()) {
    ThrowInvalid("{} needs exactly one of the options input_col and input_cols", what);
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  if (!one.empty()) {
    if (!p.String(spec, "output_cols").empty()) {
      ThrowInvalid("{}: use output_col with input_col (output_cols goes with input_cols)", what);
    }
    pairs.emplace_back(one, OutputColumn(p, spec, one, suffix));
    return pairs;
  }
  if (!p.String(spec, "output_col").empty()) {
    ThrowInvalid("{}: use output_cols with input_cols (output_col goes with input_col)", what);
  }
  const std::vector<std::string> outs = SplitNames(p.String(spec, "output_cols"));
  if (!outs.empty() && outs.size() != many.size()) {
    ThrowInvalid("{}: input_cols names {} columns but output_cols names {}", what, many.size(),
                 outs.size());
  }
  for (size_t i = 0; i < many.size(); ++i) {
    pairs.emplace_back(many[i], outs.empty() ? many[i] + std::string(suffix) : outs[i]);
  }
  return pairs;
}

std::vector<ParamSpec> MultiColumnSpecs(std::string_view output_doc) {
  return {
      StringParam("input_col", "", "input column (or use input_cols)"),
      StringParam("output_col", "", fmt::format("output column ('' = {})", output_doc)),
      StringParam("input_cols", "", "comma-separated input columns (instead of input_col)"),
      StringParam("output_cols", "",
                  fmt::format("comma-separated output columns ('' = {})", output_doc)),
  };
}

std::string JavaNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  // Shortest round-trip digits, then Java's layout of them: plain between
  // 1e-3 and 1e7, computerized scientific notation ("1.0E10") outside.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);
  std::string sign;
  if (sci.front() == '-') {
    sign = "-";
    sci.remove_prefix(1);
  }
  const size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exp = 0;
  std::string_view exp_text = sci.substr(e + 1);
  if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  const double a = std::abs(v);
  if (a >= 1e-3 && a < 1e7) {
    std::string s;
    if (exp >= 0) {
      const size_t int_len = static_cast<size_t>(exp) + 1;
      std::string int_part = digits.substr(0, std::min(int_len, digits.size()));
      int_part.append(int_len - int_part.size(), '0');
      std::string frac = digits.size() > int_len ? digits.substr(int_len) : "0";
      s = int_part + "." + frac;
    } else {
      s = "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
    }
    return sign + s;
  }
  std::string frac = digits.size() > 1 ? digits.substr(1) : "0";
  return fmt::format("{}{}.{}E{}", sign, digits[0], frac, exp);
}

std::string Preview(const std::vector<std::string>& items, size_t max) {
  std::string s;
  for (size_t i = 0; i < items.size() && i < max; ++i) {
    if (i) s += ", ";
    s += items[i];
  }
  if (items.size() > max) s += fmt::format(", ... ({} in all)", items.size());
  return s;
}

std::string Preview(const std::vector<double>& items, size_t max) {
  std::vector<std::string> text;
  for (size_t i = 0; i < items.size() && i < max; ++i) text.push_back(JavaNumber(items[i]));
  std::string s = Preview(text, max);
  if (items.size() > max) s += fmt::format(", ... ({} in all)", items.size());
  return s;
}

namespace {

// Lower case of a code point for the scripts LowerUtf8 covers.
uint32_t LowerCodePoint(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0xC0) return c;
  if ((c <= 0xDE && c != 0xD7)) return c + 32;  // Latin-1 letters
  if (c >= 0x100 && c <= 0x137 && c % 2 == 0 && c != 0x130) return c + 1;
  if (c >= 0x139 && c <= 0x148 && c % 2 == 1) return c + 1;
  if (c >= 0x14A && c <= 0x177 && c % 2 == 0) return c + 1;
  if (c == 0x178) return 0xFF;
  if ((c == 0x179 || c == 0x17B || c == 0x17D)) return c + 1;
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;  // Greek
  if (c >= 0x386 && c <= 0x38F) {
    switch (c) {
      case 0x386:
        return 0x3AC;
      case 0x388:
      case 0x389:
      case 0x38A:
        return c + 37;
      case 0x38C:
        return 0x3CC;
      case 0x38E:
      case 0x38F:
        return c + 63;
      default:
        return c;
    }
  }
  if (c >= 0x410 && c <= 0x42F) return c + 32;  // Cyrillic
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

}  // namespace

std::string LowerUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      out += static_cast<char>(b0 >= 'A' && b0 <= 'Z' ? b0 + 32 : b0);
      ++i;
      continue;
    }
    // Only two-byte sequences hold letters this covers; others are copied.
    if ((b0 & 0xE0) == 0xC0 && i + 1 < s.size() &&
        (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
      const uint32_t cp = ((b0 & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      const uint32_t lower = LowerCodePoint(cp);
      if (lower < 0x800 && lower >= 0x80) {
        out += static_cast<char>(0xC0 | (lower >> 6));
        out += static_cast<char>(0x80 | (lower & 0x3F));
      } else {
        out.append(s.substr(i, 2));
      }
      i += 2;
      continue;
    }
    out += s[i];
    ++i;
  }
  return out;
}

namespace {

// Evaluates CAST(v AS type) over a one-column batch of `column`.
exec::Column Cast(const exec::Column& column, const DataType& type) {
  exec::Schema schema;
  schema.fields.push_back({"v", column.type, ""});
  exec::Batch batch;
  batch.num_rows = column.size();
  batch.columns.push_back(column);
  auto expr = exec::Expr::Cast(exec::Expr::Col("v"), type);
  return exec::Bind(*expr, schema)->Evaluate(batch);
}

}  // namespace

const exec::Column& AsText(const exec::Column& column, exec::Column* scratch) {
  const TypeKind k = column.type.kind;
  if (k == TypeKind::kText || k == TypeKind::kAscii) return column;
  try {
    *scratch = Cast(column, DataType::Of(TypeKind::kText));
  } catch (const CqlError&) {
    // Types the engine cannot cast to text are rendered as CQL literals.
    exec::Column out = exec::Column::Make(DataType::Of(TypeKind::kText), column.size());
    for (size_t r = 0; r < column.size(); ++r) {
      if (column.IsNull(r)) {
        out.AppendNull();
      } else {
        out.AppendString(exec::TextAt(column, r));
      }
    }
    *scratch = std::move(out);
  }
  return *scratch;
}

exec::Column CastColumn(const exec::Column& column, const DataType& type) {
  if (column.type == type) return column;
  return Cast(column, type);
}

exec::Column BuildColumn(const Context& ctx, const DataType& type, size_t rows,
                         const std::function<void(size_t, exec::Column*)>& fn) {
  const size_t chunks = NumChunks(rows);
  std::vector<exec::Column> parts(chunks);
  ctx.pool->ParallelFor(chunks, [&](size_t c) {
    const size_t begin = c * kChunkRows, end = std::min(rows, begin + kChunkRows);
    parts[c] = exec::Column::Make(type, end - begin);
    for (size_t r = begin; r < end; ++r) fn(r, &parts[c]);
  });
  if (chunks == 1) return std::move(parts[0]);
  exec::Column out = exec::Column::Make(type, rows);
  for (const auto& part : parts) out.AppendRange(part, 0, part.size());
  return out;
}

Vectors BuildSparse(
    const Context& ctx, size_t dim, size_t rows,
    const std::function<bool(size_t, std::vector<uint32_t>*, std::vector<double>*)>& fn) {
  const size_t chunks = NumChunks(rows);
  std::vector<Vectors> parts(chunks);
  ctx.pool->ParallelFor(chunks, [&](size_t c) {
    const size_t begin = c * kChunkRows, end = std::min(rows, begin + kChunkRows);
    Vectors& part = parts[c];
    part = Vectors::Sparse(dim);
    part.offsets.reserve(end - begin + 1);
    for (size_t r = begin; r < end; ++r) {
      if (fn(r, &part.indices, &part.values)) {
        part.offsets.push_back(part.values.size());
        if (!part.valid.empty()) part.valid.push_back(1);
        ++part.rows;
      } else {
        // A NULL row keeps no entries (drop anything fn appended).
        part.indices.resize(part.offsets.back());
        part.values.resize(part.offsets.back());
        part.AppendNull();
      }
    }
  });
  Vectors out = Vectors::Sparse(dim);
  size_t nnz = 0;
  bool nulls = false;
  for (const auto& p : parts) {
    nnz += p.values.size();
    nulls = nulls || !p.valid.empty();
  }
  out.indices.reserve(nnz);
  out.values.reserve(nnz);
  out.offsets.reserve(rows + 1);
  if (nulls) out.valid.reserve(rows);
  for (const auto& p : parts) {
    const uint64_t base = out.values.size();
    out.indices.insert(out.indices.end(), p.indices.begin(), p.indices.end());
    out.values.insert(out.values.end(), p.values.begin(), p.values.end());
    for (size_t r = 1; r < p.offsets.size(); ++r) out.offsets.push_back(base + p.offsets[r]);
    if (nulls) {
      if (p.valid.empty()) {
        out.valid.insert(out.valid.end(), p.rows, 1);
      } else {
        out.valid.insert(out.valid.end(), p.valid.begin(), p.valid.end());
      }
    }
    out.rows += p.rows;
  }
  return out;
}

size_t CheckFitVectors(const Vectors& x, std::string_view column, std::string_view what) {
  size_t n = 0;
  for (size_t r = 0; r < x.rows; ++r) {
    if (x.IsNull(r)) continue;
    ++n;
    bool nan = false;
    x.ForEach(r, [&](uint32_t, double v) { nan = nan || std::isnan(v); });
    if (nan) {
      ThrowInvalid("{}: column {} has a NaN value at row {} (impute missing values first)", what,
                   column, r);
    }
  }
  if (n == 0) ThrowInvalid("{}: column {} has no vectors to fit on", what, column);
  return n;
}

void FeatureTransformer::Save(Writer& out) const {
  SaveParams(out, params_);
  SaveState(out);
}

std::vector<std::pair<std::string, std::string>> FeatureTransformer::Describe() const {
  std::vector<std::pair<std::string, std::string>> lines;
  for (const auto& s : *spec_) {
    auto it = params_.values().find(s.name);
    lines.emplace_back(s.name,
                       ParamText(it == params_.values().end() ? s.default_value : it->second));
  }
  for (auto& line : DescribeState()) lines.push_back(std::move(line));
  return lines;
}

void AddParamTransformer(Registry& r, TransformerInfo info) {
  r.AddLoader(info.name, [name = info.name, spec = info.params, make = info.make](Reader& in) {
    Params p = LoadParams(in);
    p.Validate(spec, name);
    std::unique_ptr<Model> model = make(p);
    return model;
  });
  r.Add(std::move(info));
}

void AddFeatureEstimator(Registry& r, EstimatorInfo info,
                         std::function<std::unique_ptr<Model>(Params, Reader&)> load) {
  r.AddLoader(info.name, [name = info.name, spec = info.params, load](Reader& in) {
    Params p = LoadParams(in);
    p.Validate(spec, name);
    return load(std::move(p), in);
  });
  r.Add(std::move(info));
}

void MergeCounts(TermCounts* into, const TermCounts& from) {
  for (const auto& [term, c] : from) {
    auto it = into->find(term);
    if (it == into->end()) it = into->emplace(term, TermCount{}).first;
    it->second.count += c.count;
    it->second.docs += c.docs;
  }
}

void AllReduceCounts(const Context& ctx, TermCounts* counts) {
  if (ctx.collective->size() <= 1) return;
  Writer w;
  w.U64(counts->size());
  for (const auto& [term, c] : *counts) {
    w.Str(term);
    w.I64(c.count);
    w.I64(c.docs);
  }
  auto all = ctx.collective->AllGather(w.data());
  TermCounts merged;
  for (const auto& bytes : all) {
    Reader r(bytes);
    const size_t n = r.Count(20);
    for (size_t i = 0; i < n; ++i) {
      std::string term = r.Str();
      TermCount c;
      c.count = r.I64();
      c.docs = r.I64();
      auto it = merged.find(term);
      if (it == merged.end()) it = merged.emplace(std::move(term), TermCount{}).first;
      it->second.count += c.count;
      it->second.docs += c.docs;
    }
  }
  *counts = std::move(merged);
}

}  // namespace helenus::ml

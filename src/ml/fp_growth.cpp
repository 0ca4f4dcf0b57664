// FP-Growth (Spark MLlib's FPGrowth): frequent itemsets of a column of
// transactions, association rules with a single-item consequent, and
// predictions of the items the rules add to a transaction.
//
// The items column is a CQL list or set (any element type; itemsets and
// predictions keep it), or a text column whose items are separated by
// commas and/or white space (itemsets are then list<text>).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/registry.h"
#include "ml/fp_growth_mining.h"

namespace helenus::ml {
namespace {

constexpr std::string_view kKind = "fp_growth";
// More frequent itemsets than this means min_support is far too low.
constexpr size_t kMaxItemsets = 20'000'000;

std::vector<ParamSpec> FpGrowthSpec() {
  return {
      DoubleParam("min_support", 0.3, "minimum fraction of transactions holding an itemset", 0, 1),
      DoubleParam("min_confidence", 0.8, "minimum confidence of an association rule", 0, 1),
      StringParam("items_col", "items", "transactions: list or set of items, or separated text"),
      StringParam("prediction_col", "prediction", "items the rules predict for a transaction"),
      IntParam("num_partitions", 0, "accepted for Spark compatibility; ignored", 0, 1e9),
  };
}

// How a column holds its transactions.
struct ItemsFormat {
  bool text = false;  // text of separated items
  DataType element;   // type of one item
  DataType output;    // collection type of itemsets and predictions

  static ItemsFormat Of(const DataType& type, std::string_view column) {
    ItemsFormat f;
    if (type.kind == TypeKind::kList || type.kind == TypeKind::kSet) {
      f.element = type.params.at(0);
      f.output = type;
    } else if (type.kind == TypeKind::kText || type.kind == TypeKind::kAscii) {
      f.text = true;
      f.element = DataType::Of(TypeKind::kText);
      f.output = DataType::List(f.element);
    } else {
      ThrowInvalid("Items column {} has type {}; a list, a set or text of items is needed", column,
                   type.ToCql());
    }
    return f;
  }
};

bool IsSeparator(char c) {
  return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The items of row r (element bytes; text is split at separators).
void RowItems(const exec::Column& col, size_t r, bool text, std::vector<std::string>* out) {
  out->clear();
  const std::string& s = col.strings[r];
  if (!text) {
    *out = cql::DecodeCollection(s);
    return;
  }
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsSeparator(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !IsSeparator(s[j])) ++j;
    if (j > i) out->emplace_back(s.substr(i, j - i));
    i = j;
  }
}

// Association rules: antecedent sets (ids ascending) with one consequent each.
struct Rules {
  ItemSets antecedents;
  std::vector<uint32_t> consequent;
  std::vector<double> confidence, lift, support;
  size_t size() const { return consequent.size(); }
};

// Everything a fitted FP-Growth model holds.
struct FpState {
  std::string items_col;
  std::string prediction_col;
  double min_support = 0.3;
  double min_confidence = 0.8;
  int64_t num_records = 0;
  bool text = false;
  DataType output;
  std::vector<std::string> items;  // frequent items (element bytes), in CQL order
  std::vector<int64_t> item_freq;
  ItemSets sets;  // frequent itemsets: freq desc, then size, then items
};

std::string SetKey(const uint32_t* begin, size_t n) {
  return std::string(reinterpret_cast<const char*>(begin), n * sizeof(uint32_t));
}

// Spark's rules: for every frequent itemset and every item c of it,
// antecedent = the rest, confidence = freq(set) / freq(antecedent),
// lift = confidence / support(c), support = freq(set) / records. Sorted by
// confidence, lift and support (highest first), then by the items.
Rules MakeRules(const FpState& s) {
  std::unordered_map<std::string, int64_t> freq;
  freq.reserve(s.sets.size());
  for (size_t i = 0; i < s.sets.size(); ++i) {
    const uint64_t b = s.sets.offsets[i], e = s.sets.offsets[i + 1];
    freq.emplace(SetKey(s.sets.items.data() + b, e - b), s.sets.counts[i]);
  }
  const double n = static_cast<double>(s.num_records);
  Rules all;
  std::vector<uint32_t> ante;
  for (size_t i = 0; i < s.sets.size(); ++i) {
    const uint64_t b = s.sets.offsets[i], e = s.sets.offsets[i + 1];
    if (e - b < 2) continue;
    for (uint64_t c = b; c < e; ++c) {
      ante.clear();
      for (uint64_t j = b; j < e; ++j) {
        if (j != c) ante.push_back(s.sets.items[j]);
      }
      auto it = freq.find(SetKey(ante.data(), ante.size()));
      if (it == freq.end()) continue;  // cannot happen for a complete set of itemsets
      const double confidence = static_cast<double>(s.sets.counts[i]) / it->second;
      if (confidence < s.min_confidence) continue;
      const uint32_t item = s.sets.items[c];
      all.antecedents.Append(ante.data(), ante.size(), it->second);
      all.consequent.push_back(item);
      all.confidence.push_back(confidence);
      all.lift.push_back(confidence / (s.item_freq[item] / n));
      all.support.push_back(s.sets.counts[i] / n);
    }
  }
  std::vector<size_t> order(all.size());
  std::iota(order.begin(), order.end(), 0);
  auto items_of = [&](size_t r) {
    return std::pair(all.antecedents.items.begin() + all.antecedents.offsets[r],
                     all.antecedents.items.begin() + all.antecedents.offsets[r + 1]);
  };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (all.confidence[a] != all.confidence[b]) return all.confidence[a] > all.confidence[b];
    if (all.lift[a] != all.lift[b]) return all.lift[a] > all.lift[b];
    if (all.support[a] != all.support[b]) return all.support[a] > all.support[b];
    auto [ab, ae] = items_of(a);
    auto [bb, be] = items_of(b);
    if (ae - ab != be - bb) return ae - ab < be - bb;
    if (!std::equal(ab, ae, bb)) return std::lexicographical_compare(ab, ae, bb, be);
    return all.consequent[a] < all.consequent[b];
  });
  Rules sorted;
  for (size_t r : order) {
    auto [ab, ae] = items_of(r);
    sorted.antecedents.Append(&*ab, static_cast<size_t>(ae - ab), all.antecedents.counts[r]);
    sorted.consequent.push_back(all.consequent[r]);
    sorted.confidence.push_back(all.confidence[r]);
    sorted.lift.push_back(all.lift[r]);
    sorted.support.push_back(all.support[r]);
  }
  return sorted;
}

class FpGrowthModel final : public Model {
 public:
  explicit FpGrowthModel(FpState s) : s_(std::move(s)), rules_(MakeRules(s_)) {
    for (uint32_t i = 0; i < s_.items.size(); ++i) index_.emplace(s_.items[i], i);
  }

  std::string kind() const override { return std::string(kKind); }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const exec::Column& col = input.Scalar(s_.items_col);
    const ItemsFormat format = ItemsFormat::Of(col.type, s_.items_col);
    if (!(format.element == s_.output.params.at(0))) {
      ThrowInvalid("Items column {} holds {} items, the model was trained on {}", s_.items_col,
                   format.element.ToCql(), s_.output.params.at(0).ToCql());
    }
    const size_t n = input.num_rows();
    const bool sorted_output = s_.output.kind == TypeKind::kSet;
    std::vector<std::string> predicted(n);
    ForRows(ctx, n, [&](size_t begin, size_t end) {
      std::vector<uint8_t> present(s_.items.size(), 0), added(s_.items.size(), 0);
      std::vector<std::string> row;
      std::vector<uint32_t> known, out;
      for (size_t r = begin; r < end; ++r) {
        // Spark: a NULL transaction is an empty one.
        row.clear();
        if (!col.IsNull(r)) RowItems(col, r, format.text, &row);
        known.clear();
        for (const auto& item : row) {
          auto it = index_.find(item);
          if (it != index_.end()) {
            known.push_back(it->second);
            present[it->second] = 1;
          }
        }
        out.clear();
        for (size_t k = 0; k < rules_.size(); ++k) {
          const uint32_t c = rules_.consequent[k];
          if (present[c] || added[c]) continue;
          bool applies = true;
          for (uint64_t i = rules_.antecedents.offsets[k]; i < rules_.antecedents.offsets[k + 1];
               ++i) {
            if (!present[rules_.antecedents.items[i]]) {
              applies = false;
              break;
            }
          }
          if (!applies) continue;
          added[c] = 1;
          out.push_back(c);
        }
        for (uint32_t id : known) present[id] = 0;
        for (uint32_t id : out) added[id] = 0;
        if (sorted_output) std::sort(out.begin(), out.end());
        predicted[r] = Encode(out.data(), out.size());
      }
    });
    exec::Column p = exec::Column::Make(s_.output, n);
    for (auto& v : predicted) p.AppendString(v);
    Frame result = input;
    result.Add(s_.prediction_col, std::move(p));
    return result;
  }

  void Save(Writer& out) const override {
    out.Str(s_.items_col);
    out.Str(s_.prediction_col);
    out.F64(s_.min_support);
    out.F64(s_.min_confidence);
    out.I64(s_.num_records);
    out.Bool(s_.text);
    out.Str(s_.output.ToCql());
    out.Strs(s_.items);
    out.I64s(s_.item_freq);
    out.U32s(s_.sets.items);
    out.U64s(s_.sets.offsets);
    out.I64s(s_.sets.counts);
  }

  static std::unique_ptr<Model> Load(Reader& in) {
    FpState s;
    s.items_col = in.Str();
    s.prediction_col = in.Str();
    s.min_support = in.F64();
    s.min_confidence = in.F64();
    s.num_records = in.I64();
    s.text = in.Bool();
    auto type = ParseDataType(in.Str());
    if (!type || (type->kind != TypeKind::kList && type->kind != TypeKind::kSet) ||
        type->params.size() != 1) {
      ThrowInvalid("Corrupt model: FP-Growth item type");
    }
    s.output = *type;
    s.items = in.Strs();
    s.item_freq = in.I64s();
    s.sets.items = in.U32s();
    s.sets.offsets = in.U64s();
    s.sets.counts = in.I64s();
    const auto& o = s.sets.offsets;
    bool ok = s.num_records > 0 && s.item_freq.size() == s.items.size() && !o.empty() &&
              o.front() == 0 && o.back() == s.sets.items.size() &&
              s.sets.counts.size() == o.size() - 1 && std::is_sorted(o.begin(), o.end());
    for (uint32_t id : s.sets.items) ok = ok && id < s.items.size();
    for (int64_t f : s.item_freq) ok = ok && f > 0;
    for (int64_t f : s.sets.counts) ok = ok && f > 0;
    if (!ok) ThrowInvalid("Corrupt model: FP-Growth itemsets");
    return std::make_unique<FpGrowthModel>(std::move(s));
  }

  std::vector<std::pair<std::string, std::string>> Describe() const override {
    size_t longest = 0;
    for (size_t i = 0; i < s_.sets.size(); ++i) {
      longest = std::max<size_t>(longest, s_.sets.offsets[i + 1] - s_.sets.offsets[i]);
    }
    return {
        {"min_support", fmt::format("{}", s_.min_support)},
        {"min_confidence", fmt::format("{}", s_.min_confidence)},
        {"items", s_.text ? "text (separated by commas or spaces)" : s_.output.ToCql()},
        {"num_training_records", std::to_string(s_.num_records)},
        {"num_frequent_items", std::to_string(s_.items.size())},
        {"num_freq_itemsets", std::to_string(s_.sets.size())},
        {"max_itemset_size", std::to_string(longest)},
        {"num_association_rules", std::to_string(rules_.size())},
    };
  }

  std::vector<std::string> Artifacts() const override {
    return {"freq_itemsets", "association_rules"};
  }

  Frame Artifact(std::string_view name) const override {
    if (name == "freq_itemsets") return Itemsets();
    if (name == "association_rules") return RulesFrame();
    return Model::Artifact(name);
  }

 private:
  std::string Encode(const uint32_t* ids, size_t n) const {
    std::vector<std::string> elements(n);
    for (size_t i = 0; i < n; ++i) elements[i] = s_.items[ids[i]];
    return cql::EncodeCollection(elements);
  }

  Frame Itemsets() const {
    const size_t m = s_.sets.size();
    exec::Column items = exec::Column::Make(s_.output, m);
    exec::Column freq = exec::Column::Make(DataType::Of(TypeKind::kBigint), m);
    for (size_t i = 0; i < m; ++i) {
      const uint64_t b = s_.sets.offsets[i], e = s_.sets.offsets[i + 1];
      items.AppendString(Encode(s_.sets.items.data() + b, e - b));
      freq.AppendInt(s_.sets.counts[i]);
    }
    Frame f;
    f.Add("items", std::move(items));
    f.Add("freq", std::move(freq));
    return f;
  }

  Frame RulesFrame() const {
    const size_t m = rules_.size();
    exec::Column ante = exec::Column::Make(s_.output, m);
    exec::Column cons = exec::Column::Make(s_.output, m);
    auto doubles = [&](const std::vector<double>& v) {
      exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kDouble), m);
      for (double d : v) c.AppendDouble(d);
      return c;
    };
    for (size_t i = 0; i < m; ++i) {
      const uint64_t b = rules_.antecedents.offsets[i], e = rules_.antecedents.offsets[i + 1];
      ante.AppendString(Encode(rules_.antecedents.items.data() + b, e - b));
      cons.AppendString(Encode(&rules_.consequent[i], 1));
    }
    Frame f;
    f.Add("antecedent", std::move(ante));
    f.Add("consequent", std::move(cons));
    f.Add("confidence", doubles(rules_.confidence));
    f.Add("lift", doubles(rules_.lift));
    f.Add("support", doubles(rules_.support));
    return f;
  }

  FpState s_;
  Rules rules_;
  std::unordered_map<std::string, uint32_t> index_;
};

// An item as a message shows it.
std::string ItemText(const DataType& element, const std::string& bytes) {
  if (element.kind == TypeKind::kText || element.kind == TypeKind::kAscii) return bytes;
  return cql::ToLiteral(element, bytes);
}

class FpGrowth final : public Estimator {
 public:
  explicit FpGrowth(const Params& p) {
    const auto spec = FpGrowthSpec();
    s_.items_col = p.String(spec, "items_col");
    s_.prediction_col = p.String(spec, "prediction_col");
    s_.min_support = p.Double(spec, "min_support");
    s_.min_confidence = p.Double(spec, "min_confidence");
  }

  std::string kind() const override { return std::string(kKind); }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const exec::Column& col = input.Scalar(s_.items_col);
    const ItemsFormat format = ItemsFormat::Of(col.type, s_.items_col);
    FpState s = s_;
    s.text = format.text;
    s.output = format.output;

    // Transactions as ids in order of first appearance; NULL rows are not
    // transactions (Spark drops them).
    std::unordered_map<std::string, uint32_t> dict;
    std::vector<const std::string*> names;
    ItemSets tx;
    std::vector<std::string> row;
    std::vector<uint32_t> ids;
    for (size_t r = 0; r < col.size(); ++r) {
      if (col.IsNull(r)) continue;
      RowItems(col, r, format.text, &row);
      ids.clear();
      for (auto& item : row) {
        auto [it, inserted] = dict.try_emplace(std::move(item), static_cast<uint32_t>(dict.size()));
        if (inserted) names.push_back(&it->first);
        ids.push_back(it->second);
      }
      tx.Append(ids.data(), ids.size(), 1);
      std::sort(ids.begin(), ids.end());
      if (auto dup = std::adjacent_find(ids.begin(), ids.end()); dup != ids.end()) {
        ThrowInvalid("Items in a transaction must be unique; row {} repeats {}", r,
                     ItemText(format.element, *names[*dup]));
      }
    }
    s.num_records = static_cast<int64_t>(tx.size());
    if (s.num_records == 0) ThrowInvalid("The training set is empty");
    const int64_t min_count = std::max<int64_t>(
        1, static_cast<int64_t>(std::ceil(s.min_support * static_cast<double>(s.num_records))));

    // Frequent items, renumbered in CQL order so sorted ids are sorted items.
    std::vector<int64_t> count(names.size(), 0);
    for (uint32_t id : tx.items) ++count[id];
    std::vector<uint32_t> frequent;
    for (uint32_t id = 0; id < names.size(); ++id) {
      if (count[id] >= min_count) frequent.push_back(id);
    }
    std::sort(frequent.begin(), frequent.end(), [&](uint32_t a, uint32_t b) {
      return cql::Compare(format.element, *names[a], *names[b]) < 0;
    });
    std::vector<uint32_t> renumber(names.size(), UINT32_MAX);
    for (uint32_t i = 0; i < frequent.size(); ++i) {
      renumber[frequent[i]] = i;
      s.items.push_back(*names[frequent[i]]);
      s.item_freq.push_back(count[frequent[i]]);
    }
    ItemSets kept;
    for (size_t t = 0; t < tx.size(); ++t) {
      ids.clear();
      for (uint64_t i = tx.offsets[t]; i < tx.offsets[t + 1]; ++i) {
        if (renumber[tx.items[i]] != UINT32_MAX) ids.push_back(renumber[tx.items[i]]);
      }
      kept.Append(ids.data(), ids.size(), 1);
    }
    tx = ItemSets();

    ItemSets sets = MineFrequentItemsets(ctx, kept, frequent.size(), min_count, kMaxItemsets);
    std::vector<size_t> order(sets.size());
    std::iota(order.begin(), order.end(), 0);
    auto span_of = [&](size_t i) {
      return std::pair(sets.items.begin() + sets.offsets[i],
                       sets.items.begin() + sets.offsets[i + 1]);
    };
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      if (sets.counts[a] != sets.counts[b]) return sets.counts[a] > sets.counts[b];
      auto [ab, ae] = span_of(a);
      auto [bb, be] = span_of(b);
      if (ae - ab != be - bb) return ae - ab < be - bb;
      return std::lexicographical_compare(ab, ae, bb, be);
    });
    for (size_t i : order) {
      auto [b, e] = span_of(i);
      s.sets.Append(&*b, static_cast<size_t>(e - b), sets.counts[i]);
    }
    ctx.Step(1, 1);
    return std::make_unique<FpGrowthModel>(std::move(s));
  }

 private:
  FpState s_;
};

}  // namespace

void RegisterFpGrowth(Registry& r) {
  r.Add(EstimatorInfo{
      .name = std::string(kKind),
      .task = Task::kAssociation,
      .doc = "FP-Growth frequent itemsets and association rules",
      .params = FpGrowthSpec(),
      .make = [](const Params& p) { return std::make_unique<FpGrowth>(p); },
  });
  r.AddLoader(std::string(kKind), [](Reader& in) { return FpGrowthModel::Load(in); });
}

}  // namespace helenus::ml

#include "aggregate_functions.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"
#include "helenus/exec/operators.h"
#include "op_hash.h"

namespace helenus::exec::ops {

namespace {

// Serialized std::string overhead counted per held value.
constexpr size_t kStringOverhead = sizeof(std::string);

bool IsIntegral(TypeKind k) {
  return k == TypeKind::kTinyint || k == TypeKind::kSmallint || k == TypeKind::kInt ||
         k == TypeKind::kBigint || k == TypeKind::kCounter;
}

bool IsNumeric(TypeKind k) {
  return IsIntegral(k) || k == TypeKind::kFloat || k == TypeKind::kDouble ||
         k == TypeKind::kVarint || k == TypeKind::kDecimal;
}

double VarintToDouble(std::string_view b) {
  if (b.empty()) return 0;
  double v = static_cast<int8_t>(b[0]);
  for (size_t i = 1; i < b.size(); ++i) v = v * 256.0 + static_cast<uint8_t>(b[i]);
  return v;
}

double DecimalToDouble(std::string_view b) {
  if (b.size() < 4) return 0;
  int32_t scale = cql::DecodeInt(b.substr(0, 4));
  return VarintToDouble(b.substr(4)) * std::pow(10.0, -scale);
}

// Calls fn(i, x) for the present rows of a numeric column, as doubles.
template <typename Fn>
void ForEachDouble(const Column& c, size_t n, Fn&& fn) {
  bool nulls = !c.valid.empty();
  switch (c.physical()) {
    case Physical::kInt64:
      for (size_t i = 0; i < n; ++i) {
        if (!nulls || c.valid[i]) fn(i, static_cast<double>(c.ints[i]));
      }
      break;
    case Physical::kDouble:
      for (size_t i = 0; i < n; ++i) {
        if (!nulls || c.valid[i]) fn(i, c.doubles[i]);
      }
      break;
    case Physical::kString: {
      bool decimal = c.type.kind == TypeKind::kDecimal;
      for (size_t i = 0; i < n; ++i) {
        if (nulls && !c.valid[i]) continue;
        fn(i, decimal ? DecimalToDouble(c.strings[i]) : VarintToDouble(c.strings[i]));
      }
      break;
    }
  }
}

// Raw fixed-width (de)serialization of trivially copyable state fields.
template <typename T>
void Put(std::string* out, const T& v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
T Get(std::string_view* in) {
  T v;
  std::memcpy(&v, GetBytes(in, sizeof v).data(), sizeof v);
  return v;
}

void PutString(std::string* out, std::string_view s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}

std::string_view GetString(std::string_view* in) {
  uint32_t len = GetU32(in);
  return GetBytes(in, len);
}

int CompareDoubles(double a, double b) {
  bool na = std::isnan(a);
  bool nb = std::isnan(b);
  if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
  return a < b ? -1 : (a > b ? 1 : 0);
}

// Order of serialized values of type: the CQL order, then bytes (a total order
// whose equality is byte equality).
int CompareSerialized(const DataType& type, std::string_view a, std::string_view b) {
  if (a == b) return 0;
  if (type.kind != TypeKind::kText && type.kind != TypeKind::kAscii) {
    int c = cql::Compare(type, a, b);
    if (c != 0) return c;
  }
  return a < b ? -1 : 1;
}

class CountState : public AggState {
 public:
  explicit CountState(bool star) : star_(star) {}
  void Resize(size_t n) override { counts_.resize(n, 0); }
  void Update(const Column* arg, const uint32_t* gids, size_t n) override {
    if (star_ || arg->valid.empty()) {
      for (size_t i = 0; i < n; ++i) ++counts_[gids[i]];
    } else {
      for (size_t i = 0; i < n; ++i) counts_[gids[i]] += arg->valid[i] != 0;
    }
  }
  void Merge(const AggState& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    const auto& o = static_cast<const CountState&>(other);
    for (size_t i = 0; i < n; ++i) counts_[dst[i]] += o.counts_[src[i]];
  }
  void Finish(size_t begin, size_t end, Column* out) const override {
    for (size_t g = begin; g < end; ++g) out->AppendInt(counts_[g]);
  }
  void Serialize(uint32_t g, std::string* out) const override { Put(out, counts_[g]); }
  void Deserialize(std::string_view* in, uint32_t g) override { counts_[g] += Get<int64_t>(in); }
  size_t MemoryBytes() const override { return counts_.capacity() * sizeof(int64_t); }

 private:
  bool star_;
  std::vector<int64_t> counts_;
};

// sum() of integers (bigint, wrapping on overflow as Spark does) or of other
// numbers (double).
template <typename T>
class SumState : public AggState {
 public:
  void Resize(size_t n) override {
    sums_.resize(n, 0);
    has_.resize(n, 0);
  }
  void Update(const Column* arg, const uint32_t* gids, size_t n) override {
    if constexpr (std::is_same_v<T, int64_t>) {
      bool nulls = !arg->valid.empty();
      for (size_t i = 0; i < n; ++i) {
        if (nulls && !arg->valid[i]) continue;
        uint32_t g = gids[i];
        sums_[g] = Add(sums_[g], arg->ints[i]);
        has_[g] = 1;
      }
    } else {
      ForEachDouble(*arg, n, [&](size_t i, double x) {
        uint32_t g = gids[i];
        sums_[g] += x;
        has_[g] = 1;
      });
    }
  }
  void Merge(const AggState& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    const auto& o = static_cast<const SumState&>(other);
    for (size_t i = 0; i < n; ++i) {
      if (!o.has_[src[i]]) continue;
      sums_[dst[i]] = Add(sums_[dst[i]], o.sums_[src[i]]);
      has_[dst[i]] = 1;
    }
  }
  void Finish(size_t begin, size_t end, Column* out) const override {
    for (size_t g = begin; g < end; ++g) {
      if (!has_[g]) {
        out->AppendNull();
      } else if constexpr (std::is_same_v<T, int64_t>) {
        out->AppendInt(sums_[g]);
      } else {
        out->AppendDouble(sums_[g]);
      }
    }
  }
  void Serialize(uint32_t g, std::string* out) const override {
    out->push_back(static_cast<char>(has_[g]));
    Put(out, sums_[g]);
  }
  void Deserialize(std::string_view* in, uint32_t g) override {
    bool has = GetBytes(in, 1)[0] != 0;
    T v = Get<T>(in);
    if (!has) return;
    sums_[g] = Add(sums_[g], v);
    has_[g] = 1;
  }
  size_t MemoryBytes() const override { return sums_.capacity() * sizeof(T) + has_.capacity(); }

 private:
  static T Add(T a, T b) {
    if constexpr (std::is_same_v<T, int64_t>) {
      return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
    } else {
      return a + b;
    }
  }

  std::vector<T> sums_;
  std::vector<uint8_t> has_;
};

// avg(): integers are summed exactly in 128 bits; other numbers with
// Neumaier's compensated summation. One struct per group keeps each update
// to a single cache line.
template <bool kIntegral>
class AvgState : public AggState {
 public:
  void Resize(size_t n) override { acc_.resize(n); }
  void Update(const Column* arg, const uint32_t* gids, size_t n) override {
    if constexpr (kIntegral) {
      bool nulls = !arg->valid.empty();
      for (size_t i = 0; i < n; ++i) {
        if (nulls && !arg->valid[i]) continue;
        Acc& a = acc_[gids[i]];
        a.sum += arg->ints[i];
        ++a.count;
      }
    } else {
      ForEachDouble(*arg, n, [&](size_t i, double x) {
        Acc& a = acc_[gids[i]];
        Add(&a, x, 0);
        ++a.count;
      });
    }
  }
  void Merge(const AggState& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    const auto& o = static_cast<const AvgState&>(other);
    for (size_t i = 0; i < n; ++i) Combine(&acc_[dst[i]], o.acc_[src[i]]);
  }
  void Finish(size_t begin, size_t end, Column* out) const override {
    for (size_t g = begin; g < end; ++g) {
      const Acc& a = acc_[g];
      if (a.count == 0) {
        out->AppendNull();
      } else if constexpr (kIntegral) {
        out->AppendDouble(static_cast<double>(static_cast<long double>(a.sum) / a.count));
      } else {
        out->AppendDouble((a.sum + a.comp) / static_cast<double>(a.count));
      }
    }
  }
  void Serialize(uint32_t g, std::string* out) const override { Put(out, acc_[g]); }
  void Deserialize(std::string_view* in, uint32_t g) override { Combine(&acc_[g], Get<Acc>(in)); }
  size_t MemoryBytes() const override { return acc_.capacity() * sizeof(Acc); }

 private:
  struct IntAcc {
    __int128 sum = 0;
    int64_t count = 0;
  };
  struct DoubleAcc {
    double sum = 0;
    double comp = 0;  // lost low-order bits of sum
    int64_t count = 0;
  };
  using Acc = std::conditional_t<kIntegral, IntAcc, DoubleAcc>;

  static void Add(DoubleAcc* a, double x, double comp) {
    double t = a->sum + x;
    if (std::isfinite(t)) {
      a->comp += std::fabs(a->sum) >= std::fabs(x) ? (a->sum - t) + x : (x - t) + a->sum;
    }
    a->sum = t;
    a->comp += comp;
  }
  static void Combine(Acc* a, const Acc& b) {
    if constexpr (kIntegral) {
      a->sum += b.sum;
    } else {
      Add(a, b.sum, b.comp);
    }
    a->count += b.count;
  }

  std::vector<Acc> acc_;
};

// Variance and standard deviation: Welford's (n, mean, M2) per group,
// merged with Chan et al.'s pairwise formula, so large groups and large
// means do not lose precision.
class MomentState : public AggState {
 public:
  explicit MomentState(AggKind kind) : kind_(kind) {}
  void Resize(size_t n) override { m_.resize(n); }
  void Update(const Column* arg, const uint32_t* gids, size_t n) override {
    ForEachDouble(*arg, n, [&](size_t i, double x) {
      Moments& m = m_[gids[i]];
      ++m.n;
      double d = x - m.mean;
      m.mean += d / static_cast<double>(m.n);
      m.m2 += d * (x - m.mean);
    });
  }
  void Merge(const AggState& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    const auto& o = static_cast<const MomentState&>(other);
    for (size_t i = 0; i < n; ++i) Combine(&m_[dst[i]], o.m_[src[i]]);
  }
  void Finish(size_t begin, size_t end, Column* out) const override {
    for (size_t g = begin; g < end; ++g) {
      const Moments& m = m_[g];
      bool sample = kind_ == AggKind::kVarSamp || kind_ == AggKind::kStddevSamp;
      int64_t denominator = sample ? m.n - 1 : m.n;
      if (denominator <= 0) {
        out->AppendNull();
        continue;
      }
      double var = std::max(0.0, m.m2) / static_cast<double>(denominator);
      if (std::isnan(m.m2)) var = m.m2;
      bool stddev = kind_ == AggKind::kStddevSamp || kind_ == AggKind::kStddevPop;
      out->AppendDouble(stddev ? std::sqrt(var) : var);
    }
  }
  void Serialize(uint32_t g, std::string* out) const override { Put(out, m_[g]); }
  void Deserialize(std::string_view* in, uint32_t g) override { Combine(&m_[g], Get<Moments>(in)); }
  size_t MemoryBytes() const override { return m_.capacity() * sizeof(Moments); }

 private:
  struct Moments {
    int64_t n = 0;
    double mean = 0;
    double m2 = 0;
  };

  static void Combine(Moments* a, const Moments& b) {
    if (b.n == 0) return;
    if (a->n == 0) {
      *a = b;
      return;
    }
    double na = static_cast<double>(a->n);
    double nb = static_cast<double>(b.n);
    double n = na + nb;
    double d = b.mean - a->mean;
    a->mean += d * nb / n;
    a->m2 += b.m2 + d * d * na * nb / n;
    a->n += b.n;
  }

  AggKind kind_;
  std::vector<Moments> m_;
};

// min() / max() of physical kInt64 or kDouble values (NaN above every number).
template <typename T, bool kMax>
class MinMaxNumberState : public AggState {
 public:
  void Resize(size_t n) override {
    values_.resize(n, T{});
    has_.resize(n, 0);
  }
  void Update(const Column* arg, const uint32_t* gids, size_t n) override {
    const std::vector<T>& v = Values(*arg);
    bool nulls = !arg->valid.empty();
    for (size_t i = 0; i < n; ++i) {
      if (nulls && !arg->valid[i]) continue;
      Offer(gids[i], v[i]);
    }
  }
  void Merge(const AggState& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    const auto& o = static_cast<const MinMaxNumberState&>(other);
    for (size_t i = 0; i < n; ++i) {
      if (o.has_[src[i]]) Offer(dst[i], o.values_[src[i]]);
    }
  }
  void Finish(size_t begin, size_t end, Column* out) const override {
    for (size_t g = begin; g < end; ++g) {
      if (!has_[g]) {
        out->AppendNull();
      } else if constexpr (std::is_same_v<T, int64_t>) {
        out->AppendInt(values_[g]);
      } else {
        out->AppendDouble(values_[g]);
      }
    }
  }
  void Serialize(uint32_t g, std::string* out) const override {
    out->push_back(static_cast<char>(has_[g]));
    Put(out, values_[g]);
  }
  void Deserialize(std::string_view* in, uint32_t g) override {
    bool has = GetBytes(in, 1)[0] != 0;
    T v = Get<T>(in);
    if (has) Offer(g, v);
  }
  size_t MemoryBytes() const override { return values_.capacity() * sizeof(T) + has_.capacity(); }

 private:
  static const std::vector<T>& Values(const Column& c) {
    if constexpr (std::is_same_v<T, int64_t>) {
      return c.ints;
    } else {
      return c.doubles;
    }
  }
  static bool Better(T x, T current) {
    if constexpr (std::is_same_v<T, int64_t>) {
      return kMax ? x > current : x < current;
    } else {
      int c = CompareDoubles(x, current);
      return kMax ? c > 0 : c < 0;
    }
  }
  void Offer(uint32_t g, T x) {
    if (!has_[g] || Better(x, values_[g])) {
      values_[g] = x;
      has_[g] = 1;
    }
  }

  std::vector<T> values_;
  std::vector<uint8_t> has_;
};

// min() / max() of physical kString values in their CQL type's order.
template <bool kMax>
class MinMaxStringState : public AggState {
 public:
  explicit MinMaxStringState(DataType type) : type_(std::move(type)) {}
  void Resize(size_t n) override {
    values_.resize(n);
    has_.resize(n, 0);
  }
  void Update(const Column* arg, const uint32_t* gids, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      if (!arg->IsNull(i)) Offer(gids[i], arg->strings[i]);
    }
  }
  void Merge(const AggState& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    const auto& o = static_cast<const MinMaxStringState&>(other);
    for (size_t i = 0; i < n; ++i) {
      if (o.has_[src[i]]) Offer(dst[i], o.values_[src[i]]);
    }
  }
  void Finish(size_t begin, size_t end, Column* out) const override {
    for (size_t g = begin; g < end; ++g) {
      if (has_[g]) {
        out->AppendString(values_[g]);
      } else {
        out->AppendNull();
      }
    }
  }
  void Serialize(uint32_t g, std::string* out) const override {
    out->push_back(static_cast<char>(has_[g]));
    PutString(out, values_[g]);
  }
  void Deserialize(std::string_view* in, uint32_t g) override {
    bool has = GetBytes(in, 1)[0] != 0;
    std::string_view v = GetString(in);
    if (has) Offer(g, v);
  }
  size_t MemoryBytes() const override {
    return values_.capacity() * kStringOverhead + has_.capacity() + bytes_;
  }

 private:
  void Offer(uint32_t g, std::string_view x) {
    if (has_[g]) {
      int c = CompareSerialized(type_, x, values_[g]);
      if (kMax ? c <= 0 : c >= 0) return;
    }
    bytes_ += x.size();
    values_[g].assign(x);
    has_[g] = 1;
  }

  DataType type_;
  std::vector<std::string> values_;
  std::vector<uint8_t> has_;
  size_t bytes_ = 0;
};

// collect_list / collect_set: the CQL-serialized elements of each group.
// Sets drop duplicates as they grow (sort + unique once a group doubles), so
// they hold at most about twice their distinct values.
template <bool kSet>
class CollectState : public AggState {
 public:
  explicit CollectState(DataType element) : element_(std::move(element)) {}
  void Resize(size_t n) override {
    values_.resize(n);
    if constexpr (kSet) compacted_.resize(n, 0);
  }
  void Update(const Column* arg, const uint32_t* gids, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      Value v = CqlValueAt(*arg, i);
      if (v) Add(gids[i], std::move(*v));
    }
  }
  void Merge(const AggState& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    const auto& o = static_cast<const CollectState&>(other);
    for (size_t i = 0; i < n; ++i) {
      for (const std::string& v : o.values_[src[i]]) Add(dst[i], v);
    }
  }
  void Finish(size_t begin, size_t end, Column* out) const override {
    for (size_t g = begin; g < end; ++g) {
      if constexpr (kSet) {
        std::vector<std::string> set = values_[g];
        SortUnique(&set);
        out->AppendString(cql::EncodeCollection(set));
      } else {
        out->AppendString(cql::EncodeCollection(values_[g]));
      }
    }
  }
  void Serialize(uint32_t g, std::string* out) const override {
    PutU32(out, static_cast<uint32_t>(values_[g].size()));
    for (const std::string& v : values_[g]) PutString(out, v);
  }
  void Deserialize(std::string_view* in, uint32_t g) override {
    uint32_t count = GetU32(in);
    for (uint32_t i = 0; i < count; ++i) Add(g, std::string(GetString(in)));
  }
  size_t MemoryBytes() const override {
    return values_.capacity() * sizeof(std::vector<std::string>) + bytes_;
  }

 private:
  void SortUnique(std::vector<std::string>* v) const {
    std::sort(v->begin(), v->end(), [this](const std::string& a, const std::string& b) {
      return CompareSerialized(element_, a, b) < 0;
    });
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  void Add(uint32_t g, std::string v) {
    std::vector<std::string>& values = values_[g];
    bytes_ += v.size() + kStringOverhead;
    values.push_back(std::move(v));
    if constexpr (kSet) {
      if (values.size() >= 2 * compacted_[g] + 16) {
        for (const std::string& s : values) bytes_ -= s.size() + kStringOverhead;
        SortUnique(&values);
        for (const std::string& s : values) bytes_ += s.size() + kStringOverhead;
        compacted_[g] = static_cast<uint32_t>(values.size());
      }
    }
  }

  DataType element_;
  std::vector<std::vector<std::string>> values_;
  std::vector<uint32_t> compacted_;
  size_t bytes_ = 0;
};

// DISTINCT variants: the distinct values of each group (normalized key
// encodings, deduplicated as they grow), fed to the plain aggregate at the end.
class DistinctState : public AggState {
 public:
  explicit DistinctState(AggFunction inner) : inner_(std::move(inner)) {}
  void Resize(size_t n) override {
    values_.resize(n);
    compacted_.resize(n, 0);
  }
  void Update(const Column* arg, const uint32_t* gids, size_t n) override {
    std::string key;
    for (size_t i = 0; i < n; ++i) {
      if (arg->IsNull(i)) continue;
      key.clear();
      EncodeValue(*arg, i, true, &key);
      Add(gids[i], key);
    }
  }
  void Merge(const AggState& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    const auto& o = static_cast<const DistinctState&>(other);
    for (size_t i = 0; i < n; ++i) {
      for (const std::string& v : o.values_[src[i]]) Add(dst[i], v);
    }
  }
  void Finish(size_t begin, size_t end, Column* out) const override {
    Column values = Column::Make(inner_.arg_type, 0);
    std::vector<uint32_t> gids;
    for (size_t g = begin; g < end; ++g) {
      std::vector<std::string> distinct = values_[g];
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      for (const std::string& v : distinct) {
        std::string_view in = v;
        DecodeValue(&in, &values);
        gids.push_back(static_cast<uint32_t>(g - begin));
      }
    }
    std::unique_ptr<AggState> state = inner_.NewState();
    state->Resize(end - begin);
    state->Update(&values, gids.data(), gids.size());
    state->Finish(0, end - begin, out);
  }
  void Serialize(uint32_t g, std::string* out) const override {
    PutU32(out, static_cast<uint32_t>(values_[g].size()));
    for (const std::string& v : values_[g]) PutString(out, v);
  }
  void Deserialize(std::string_view* in, uint32_t g) override {
    uint32_t count = GetU32(in);
    for (uint32_t i = 0; i < count; ++i) Add(g, GetString(in));
  }
  size_t MemoryBytes() const override {
    return values_.capacity() * sizeof(std::vector<std::string>) + bytes_;
  }

 private:
  void Add(uint32_t g, std::string_view v) {
    std::vector<std::string>& values = values_[g];
    bytes_ += v.size() + kStringOverhead;
    values.emplace_back(v);
    if (values.size() >= 2 * compacted_[g] + 16) {
      bytes_ -= values.size() * kStringOverhead;
      for (const std::string& s : values) bytes_ -= s.size();
      std::sort(values.begin(), values.end());
      values.erase(std::unique(values.begin(), values.end()), values.end());
      bytes_ += values.size() * kStringOverhead;
      for (const std::string& s : values) bytes_ += s.size();
      compacted_[g] = static_cast<uint32_t>(values.size());
    }
  }

  AggFunction inner_;
  std::vector<std::vector<std::string>> values_;
  std::vector<uint32_t> compacted_;
  size_t bytes_ = 0;
};

DataType ElementType(const DataType& arg) {
  if (arg.IsCollection() && !arg.frozen) {
    DataType frozen = arg;
    frozen.frozen = true;
    return frozen;
  }
  return arg;
}

void RequireNumeric(std::string_view function, const DataType& arg) {
  if (!IsNumeric(arg.kind)) {
    ThrowInvalid("Invalid argument of type {} for aggregate function {}", arg.ToCql(), function);
  }
}

}  // namespace

std::unique_ptr<AggState> AggFunction::NewState() const {
  if (distinct && kind != AggKind::kCountStar) {
    AggFunction inner = *this;
    inner.distinct = false;
    return std::make_unique<DistinctState>(std::move(inner));
  }
  switch (kind) {
    case AggKind::kCountStar:
      return std::make_unique<CountState>(true);
    case AggKind::kCount:
      return std::make_unique<CountState>(false);
    case AggKind::kSum:
      if (IsIntegral(arg_type.kind)) return std::make_unique<SumState<int64_t>>();
      return std::make_unique<SumState<double>>();
    case AggKind::kAvg:
      if (PhysicalOf(arg_type) == Physical::kInt64) return std::make_unique<AvgState<true>>();
      return std::make_unique<AvgState<false>>();
    case AggKind::kMin:
    case AggKind::kMax: {
      bool max = kind == AggKind::kMax;
      switch (PhysicalOf(arg_type)) {
        case Physical::kInt64:
          if (max) return std::make_unique<MinMaxNumberState<int64_t, true>>();
          return std::make_unique<MinMaxNumberState<int64_t, false>>();
        case Physical::kDouble:
          if (max) return std::make_unique<MinMaxNumberState<double, true>>();
          return std::make_unique<MinMaxNumberState<double, false>>();
        case Physical::kString:
          if (max) return std::make_unique<MinMaxStringState<true>>(arg_type);
          return std::make_unique<MinMaxStringState<false>>(arg_type);
      }
      break;
    }
    case AggKind::kVarSamp:
    case AggKind::kVarPop:
    case AggKind::kStddevSamp:
    case AggKind::kStddevPop:
      return std::make_unique<MomentState>(kind);
    case AggKind::kCollectList:
      return std::make_unique<CollectState<false>>(ElementType(arg_type));
    case AggKind::kCollectSet:
      return std::make_unique<CollectState<true>>(ElementType(arg_type));
  }
  throw CqlError(ErrorCode::kServer, "unknown aggregate kind");
}

AggFunction ResolveAggregate(std::string_view function, const DataType* arg, bool distinct) {
  AggFunction f;
  f.distinct = distinct;
  std::string name(function);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (name == "count") {
    f.kind = arg == nullptr ? AggKind::kCountStar : AggKind::kCount;
    if (arg != nullptr) f.arg_type = *arg;
    f.result_type = DataType::Of(TypeKind::kBigint);
    return f;
  }
  if (arg == nullptr) ThrowInvalid("Aggregate function {} requires an argument", name);
  f.arg_type = *arg;
  if (name == "sum") {
    RequireNumeric(name, *arg);
    f.kind = AggKind::kSum;
    f.result_type = DataType::Of(IsIntegral(arg->kind) ? TypeKind::kBigint : TypeKind::kDouble);
    return f;
  }
  if (name == "min" || name == "max") {
    f.kind = name == "min" ? AggKind::kMin : AggKind::kMax;
    f.result_type = *arg;
    return f;
  }
  if (name == "collect_list" || name == "collect_set") {
    bool set = name == "collect_set";
    f.kind = set ? AggKind::kCollectSet : AggKind::kCollectList;
    f.result_type = set ? DataType::Set(ElementType(*arg)) : DataType::List(ElementType(*arg));
    return f;
  }
  if (name == "avg" || name == "mean") {
    f.kind = AggKind::kAvg;
  } else if (name == "stddev" || name == "stddev_samp" || name == "std") {
    f.kind = AggKind::kStddevSamp;
  } else if (name == "stddev_pop") {
    f.kind = AggKind::kStddevPop;
  } else if (name == "variance" || name == "var_samp") {
    f.kind = AggKind::kVarSamp;
  } else if (name == "var_pop") {
    f.kind = AggKind::kVarPop;
  } else {
    ThrowInvalid("Unknown aggregate function {}", name);
  }
  RequireNumeric(name, *arg);
  f.result_type = DataType::Of(TypeKind::kDouble);
  return f;
}

}  // namespace helenus::exec::ops

namespace helenus::exec {

DataType AggregateResultType(std::string_view function, const DataType& arg) {
  // count's result does not depend on its argument (count(*) has none).
  std::string name(function);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool count = name == "count";
  return ops::ResolveAggregate(function, count ? nullptr : &arg, false).result_type;
}

}  // namespace helenus::exec

// Math functions, with Spark's results on invalid domains: sqrt(-1) and
// asin(2) are NaN, logarithms of non-positive numbers are NULL.
#include <cmath>
#include <numbers>

#include "exec/expr_internal.h"

namespace helenus::exec::eval {
namespace {

const DataType& DoubleType() {
  static const DataType t = TypeOf(TypeKind::kDouble);
  return t;
}

// f(x) over one number, as double; f returns double or optional<double>.
template <typename F>
Binder UnaryNumber(F f) {
  return [f](const std::string& name, std::vector<NodePtr> args) {
    args = CheckArgs(name, std::move(args), {Param::kNumber});
    return MakeCall(DoubleType(), std::move(args), [f](const Args& a, size_t rows) {
      const ArgValues& x = a[0];
      return MapRows(DoubleType(), rows, a, [&](size_t i) { return f(x.Dbl(i)); });
    });
  };
}

// f(x, y) over two numbers, as double.
template <typename F>
Binder BinaryNumber(F f) {
  return [f](const std::string& name, std::vector<NodePtr> args) {
    args = CheckArgs(name, std::move(args), {Param::kNumber, Param::kNumber});
    return MakeCall(DoubleType(), std::move(args), [f](const Args& a, size_t rows) {
      const ArgValues& x = a[0];
      const ArgValues& y = a[1];
      return MapRows(DoubleType(), rows, a, [&](size_t i) { return f(x.Dbl(i), y.Dbl(i)); });
    });
  };
}

// A constant function of no arguments.
Binder Constant(double v) {
  return [v](const std::string& name, std::vector<NodePtr> args) {
    if (!args.empty()) ThrowArgs(name, "()", args);
    return MakeCall(DoubleType(), {}, [v](const Args& a, size_t rows) {
      return MapRows(DoubleType(), rows, a, [v](size_t) { return v; });
    });
  };
}

std::optional<double> Ln(double x) {
  if (!(x > 0)) return std::nullopt;
  return std::log(x);
}

// log(x) is ln(x); log(base, x) as Spark's Logarithm.
NodePtr BindLog(const std::string& name, std::vector<NodePtr> args) {
  if (args.size() == 1) return UnaryNumber(Ln)(name, std::move(args));
  return BinaryNumber([](double base, double x) -> std::optional<double> {
    if (!(base > 0) || !(x > 0)) return std::nullopt;
    return std::log(x) / std::log(base);
  })(name, std::move(args));
}

// abs keeps integers integral (bigint, wrapping at the minimum like Java).
NodePtr BindAbs(const std::string& name, std::vector<NodePtr> args) {
  if (args.size() == 1 && !args[0]->UntypedNull() && IsIntegral(args[0]->type())) {
    return MakeCall(TypeOf(TypeKind::kBigint), std::move(args), [](const Args& a, size_t rows) {
      const ArgValues& x = a[0];
      return MapRows(TypeOf(TypeKind::kBigint), rows, a, [&](size_t i) {
        uint64_t v = static_cast<uint64_t>(x.Int(i));
        return static_cast<int64_t>(x.Int(i) < 0 ? 0 - v : v);
      });
    });
  }
  return UnaryNumber([](double x) { return std::fabs(x); })(name, std::move(args));
}

// floor/ceil: bigint (Spark), integers unchanged.
template <typename F>
Binder Rounding(F f) {
  return [f](const std::string& name, std::vector<NodePtr> args) {
    DataType bigint = TypeOf(TypeKind::kBigint);
    if (args.size() == 1 && !args[0]->UntypedNull() && IsIntegral(args[0]->type())) {
      return Coerce(args[0], bigint);
    }
    args = CheckArgs(name, std::move(args), {Param::kNumber});
    return MakeCall(bigint, std::move(args), [f, bigint](const Args& a, size_t rows) {
      const ArgValues& x = a[0];
      return MapRows(bigint, rows, a, [&](size_t i) { return DoubleToLong(f(x.Dbl(i))); });
    });
  };
}

// x rounded half up to d decimal places (d < 0: to tens, hundreds...).
// Spark rounds the decimal text of a double (1.005 -> 1.01), so this works
// on its shortest digits rather than on the binary value.
double RoundHalfUp(double x, int64_t d) {
  if (!std::isfinite(x) || x == 0) return x;
  if (d == 0) {
    // The nearest integer's text has no fraction to round, so the binary
    // value rounds the same way; only the sign of zero differs.
    double r = std::round(x);
    return r == 0 ? 0.0 : r;
  }
  if (d > 400) return x;
  if (d < -400) return 0.0;
  std::string digits;
  int e = 0;
  ShortestDigits(x, &digits, &e);
  int64_t keep = e + d;  // significant digits left of the rounding position
  if (keep >= static_cast<int64_t>(digits.size())) return x;
  std::string kept;
  if (keep < 0) {
    kept = "0";
  } else {
    bool up = digits[static_cast<size_t>(keep)] >= '5';
    kept = keep == 0 ? "0" : digits.substr(0, static_cast<size_t>(keep));
    if (up) {
      // Decimal increment of the kept digits.
      size_t i = kept.size();
      while (i > 0 && kept[i - 1] == '9') kept[--i] = '0';
      if (i == 0) {
        kept.insert(kept.begin(), '1');
      } else {
        ++kept[i - 1];
      }
    }
  }
  if (kept == "0") return 0.0;  // no negative zero, like Spark's BigDecimal
  std::string text = (x < 0 ? "-" : "") + kept + "e" + std::to_string(-d);
  return std::strtod(text.c_str(), nullptr);
}

// An integer rounded half up to 10^k (k > 0).
int64_t RoundIntHalfUp(int64_t v, int64_t k) {
  if (k >= 19) return 0;
  int64_t p = 1;
  for (int64_t i = 0; i < k; ++i) p *= 10;
  int64_t q = v / p, r = v % p;
  if (r >= 0 ? r * 2 >= p : -(r * 2) >= p) q += v < 0 ? -1 : 1;
  return static_cast<int64_t>(static_cast<uint64_t>(q) * static_cast<uint64_t>(p));
}

NodePtr BindRound(const std::string& name, std::vector<NodePtr> args) {
  if (!args.empty() && !args[0]->UntypedNull() && IsIntegral(args[0]->type())) {
    DataType bigint = TypeOf(TypeKind::kBigint);
    args = CheckArgs(name, std::move(args), {Param::kInteger, Param::kInteger}, 1);
    if (args.size() == 1) return Coerce(args[0], bigint);
    return MakeCall(bigint, std::move(args), [bigint](const Args& a, size_t rows) {
      const ArgValues& x = a[0];
      const ArgValues& d = a[1];
      return MapRows(bigint, rows, a, [&](size_t i) {
        return d.Int(i) >= 0 ? x.Int(i) : RoundIntHalfUp(x.Int(i), -d.Int(i));
      });
    });
  }
  args = CheckArgs(name, std::move(args), {Param::kNumber, Param::kInteger}, 1);
  return MakeCall(DoubleType(), std::move(args), [](const Args& a, size_t rows) {
    const ArgValues& x = a[0];
    if (a.size() == 1) {
      return MapRows(DoubleType(), rows, a, [&](size_t i) { return RoundHalfUp(x.Dbl(i), 0); });
    }
    const ArgValues& d = a[1];
    return MapRows(DoubleType(), rows, a,
                   [&](size_t i) { return RoundHalfUp(x.Dbl(i), d.Int(i)); });
  });
}

double Sign(double x) {
  return x > 0 ? 1.0 : x < 0 ? -1.0 : x;
}

}  // namespace

void RegisterMathFunctions(FunctionRegistry* r) {
  r->Add("abs", BindAbs);
  r->Add("sqrt", UnaryNumber([](double x) { return std::sqrt(x); }));
  r->Add("cbrt", UnaryNumber([](double x) { return std::cbrt(x); }));
  r->Add("exp", UnaryNumber([](double x) { return std::exp(x); }));
  r->Add("expm1", UnaryNumber([](double x) { return std::expm1(x); }));
  r->Add("ln", UnaryNumber(Ln));
  r->Add("log", BindLog);
  r->Add("log10", UnaryNumber([](double x) -> std::optional<double> {
           if (!(x > 0)) return std::nullopt;
           return std::log10(x);
         }));
  r->Add("log2", UnaryNumber([](double x) -> std::optional<double> {
           if (!(x > 0)) return std::nullopt;
           return std::log2(x);
         }));
  r->Add("pow", BinaryNumber([](double x, double y) { return std::pow(x, y); }));
  r->Add("power", Forward("pow"));
  r->Add("round", BindRound);
  r->Add("floor", Rounding([](double x) { return std::floor(x); }));
  r->Add("ceil", Rounding([](double x) { return std::ceil(x); }));
  r->Add("ceiling", Forward("ceil"));
  r->Add("sign", UnaryNumber(Sign));
  r->Add("signum", UnaryNumber(Sign));
  r->Add("sin", UnaryNumber([](double x) { return std::sin(x); }));
  r->Add("cos", UnaryNumber([](double x) { return std::cos(x); }));
  r->Add("tan", UnaryNumber([](double x) { return std::tan(x); }));
  r->Add("asin", UnaryNumber([](double x) { return std::asin(x); }));
  r->Add("acos", UnaryNumber([](double x) { return std::acos(x); }));
  r->Add("atan", UnaryNumber([](double x) { return std::atan(x); }));
  r->Add("atan2", BinaryNumber([](double y, double x) { return std::atan2(y, x); }));
  r->Add("degrees", UnaryNumber([](double x) { return x * 180.0 / std::numbers::pi; }));
  r->Add("radians", UnaryNumber([](double x) { return x * std::numbers::pi / 180.0; }));
  r->Add("pi", Constant(std::numbers::pi));
  r->Add("e", Constant(std::numbers::e));
}

}  // namespace helenus::exec::eval

// Date and time functions, in UTC. Timestamps are milliseconds and dates
// days since the epoch; text arguments are parsed as CQL literals.
#include <chrono>

#include "cql/civil_time.h"
#include "exec/expr_internal.h"
#include "helenus/common/strings.h"

namespace helenus::exec::eval {
namespace {

struct Civil {
  int64_t year;
  unsigned month;
  unsigned day;
};

Civil CivilOf(int64_t days) {
  Civil c{};
  cql::CivilFromDays(days, &c.year, &c.month, &c.day);
  return c;
}

int64_t NowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// A field of a date or timestamp: f(days, millis_of_day) as int.
template <typename F>
Binder DatePart(F f) {
  return [f](const std::string& name, std::vector<NodePtr> args) {
    args = CheckArgs(name, std::move(args), {Param::kDateTime});
    bool is_date = args[0]->type().kind == TypeKind::kDate;
    DataType int_type = TypeOf(TypeKind::kInt);
    return MakeCall(int_type, std::move(args), [f, is_date, int_type](const Args& a, size_t rows) {
      const ArgValues& x = a[0];
      return MapRows(int_type, rows, a, [&](size_t i) -> int64_t {
        if (is_date) return f(x.Int(i), int64_t{0});
        int64_t days = FloorDiv(x.Int(i), kMillisPerDay);
        return f(days, x.Int(i) - days * kMillisPerDay);
      });
    });
  };
}

int64_t DayOfYear(int64_t days) {
  return days - cql::DaysFromCivil(CivilOf(days).year, 1, 1) + 1;
}

// Timestamp truncated to a unit (Spark's date_trunc units); nullopt for an
// unknown unit.
std::optional<int64_t> TruncTimestamp(std::string_view unit_text, int64_t ms) {
  std::string unit = AsciiLower(unit_text);
  int64_t days = FloorDiv(ms, kMillisPerDay);
  auto at_day = [](int64_t d) { return d * kMillisPerDay; };
  Civil c = CivilOf(days);
  if (unit == "year" || unit == "yyyy" || unit == "yy")
    return at_day(cql::DaysFromCivil(c.year, 1, 1));
  if (unit == "quarter") {
    return at_day(cql::DaysFromCivil(c.year, (c.month - 1) / 3 * 3 + 1, 1));
  }
  if (unit == "month" || unit == "mon" || unit == "mm") {
    return at_day(cql::DaysFromCivil(c.year, c.month, 1));
  }
  if (unit == "week") return at_day(days - FloorMod(days + 3, 7));  // back to Monday
  if (unit == "day" || unit == "dd") return at_day(days);
  if (unit == "hour") return ms - FloorMod(ms, 3600000);
  if (unit == "minute") return ms - FloorMod(ms, 60000);
  if (unit == "second") return ms - FloorMod(ms, 1000);
  if (unit == "millisecond" || unit == "microsecond") return ms;
  return std::nullopt;
}

NodePtr BindDateTrunc(const std::string& name, std::vector<NodePtr> args) {
  args = CheckArgs(name, std::move(args), {Param::kText, Param::kTimestamp});
  DataType ts = TypeOf(TypeKind::kTimestamp);
  return MakeCall(ts, std::move(args), [ts](const Args& a, size_t rows) {
    return MapRows(ts, rows, a, [&](size_t i) { return TruncTimestamp(a[0].Str(i), a[1].Int(i)); });
  });
}

// trunc(date, unit): the date truncated to year, quarter, month or week.
NodePtr BindTrunc(const std::string& name, std::vector<NodePtr> args) {
  args = CheckArgs(name, std::move(args), {Param::kDate, Param::kText});
  DataType date = TypeOf(TypeKind::kDate);
  return MakeCall(date, std::move(args), [date](const Args& a, size_t rows) {
    return MapRows(date, rows, a, [&](size_t i) -> std::optional<int64_t> {
      std::string unit = AsciiLower(a[1].Str(i));
      if (unit == "day" || unit == "dd" || unit.find("second") != std::string::npos ||
          unit == "hour" || unit == "minute") {
        return std::nullopt;
      }
      auto ms = TruncTimestamp(unit, a[0].Int(i) * kMillisPerDay);
      if (!ms) return std::nullopt;
      return FloorDiv(*ms, kMillisPerDay);
    });
  });
}

// The argument converted by the parameter kind (to_date, to_timestamp).
Binder Convert(Param p) {
  return [p](const std::string& name, std::vector<NodePtr> args) {
    return CheckArgs(name, std::move(args), {p})[0];
  };
}

// A per-statement clock reading: zero-argument calls fold at bind time, so
// every row of a query sees the same instant.
Binder Now(TypeKind kind) {
  return [kind](const std::string& name, std::vector<NodePtr> args) {
    if (!args.empty()) ThrowArgs(name, "()", args);
    DataType type = TypeOf(kind);
    return MakeCall(type, {}, [type](const Args& a, size_t rows) {
      int64_t ms = NowMillis();
      int64_t v = type.kind == TypeKind::kDate ? FloorDiv(ms, kMillisPerDay) : ms;
      return MapRows(type, rows, a, [v](size_t) { return v; });
    });
  };
}

// f over (date, integer) -> date.
template <typename F>
Binder DateShift(F f) {
  return [f](const std::string& name, std::vector<NodePtr> args) {
    args = CheckArgs(name, std::move(args), {Param::kDate, Param::kInteger});
    DataType date = TypeOf(TypeKind::kDate);
    return MakeCall(date, std::move(args), [f, date](const Args& a, size_t rows) {
      return MapRows(date, rows, a, [&](size_t i) { return f(a[0].Int(i), a[1].Int(i)); });
    });
  };
}

NodePtr BindDateDiff(const std::string& name, std::vector<NodePtr> args) {
  args = CheckArgs(name, std::move(args), {Param::kDate, Param::kDate});
  DataType int_type = TypeOf(TypeKind::kInt);
  return MakeCall(int_type, std::move(args), [int_type](const Args& a, size_t rows) {
    return MapRows(int_type, rows, a, [&](size_t i) { return a[0].Int(i) - a[1].Int(i); });
  });
}

NodePtr BindUnixTimestamp(const std::string& name, std::vector<NodePtr> args) {
  DataType bigint = TypeOf(TypeKind::kBigint);
  if (args.empty()) {
    return MakeCall(bigint, {}, [bigint](const Args& a, size_t rows) {
      int64_t s = FloorDiv(NowMillis(), 1000);
      return MapRows(bigint, rows, a, [s](size_t) { return s; });
    });
  }
  args = CheckArgs(name, std::move(args), {Param::kTimestamp});
  return MakeCall(bigint, std::move(args), [bigint](const Args& a, size_t rows) {
    return MapRows(bigint, rows, a, [&](size_t i) { return FloorDiv(a[0].Int(i), 1000); });
  });
}

// from_unixtime(seconds): "yyyy-MM-dd HH:mm:ss" text, Spark's default format.
NodePtr BindFromUnixTime(const std::string& name, std::vector<NodePtr> args) {
  args = CheckArgs(name, std::move(args), {Param::kInteger});
  DataType text = TypeOf(TypeKind::kText);
  return MakeCall(text, std::move(args), [text](const Args& a, size_t rows) {
    return MapRows(text, rows, a, [&](size_t i) {
      return TimestampText(static_cast<int64_t>(static_cast<uint64_t>(a[0].Int(i)) * 1000));
    });
  });
}

NodePtr BindLastDay(const std::string& name, std::vector<NodePtr> args) {
  args = CheckArgs(name, std::move(args), {Param::kDate});
  DataType date = TypeOf(TypeKind::kDate);
  return MakeCall(date, std::move(args), [date](const Args& a, size_t rows) {
    return MapRows(date, rows, a, [&](size_t i) {
      Civil c = CivilOf(a[0].Int(i));
      int64_t y = c.month == 12 ? c.year + 1 : c.year;
      unsigned m = c.month == 12 ? 1 : c.month + 1;
      return cql::DaysFromCivil(y, m, 1) - 1;
    });
  });
}

}  // namespace

void RegisterDateFunctions(FunctionRegistry* r) {
  r->Add("year", DatePart([](int64_t d, int64_t) { return CivilOf(d).year; }));
  r->Add("month", DatePart([](int64_t d, int64_t) { return int64_t{CivilOf(d).month}; }));
  r->Add("day", DatePart([](int64_t d, int64_t) { return int64_t{CivilOf(d).day}; }));
  r->Add("dayofmonth", Forward("day"));
  r->Add("quarter",
         DatePart([](int64_t d, int64_t) { return int64_t{(CivilOf(d).month - 1) / 3 + 1}; }));
  r->Add("dayofweek", DatePart([](int64_t d, int64_t) { return FloorMod(d + 4, 7) + 1; }));
  r->Add("dayofyear", DatePart([](int64_t d, int64_t) { return DayOfYear(d); }));
  r->Add("hour", DatePart([](int64_t, int64_t ms) { return ms / 3600000; }));
  r->Add("minute", DatePart([](int64_t, int64_t ms) { return ms / 60000 % 60; }));
  r->Add("second", DatePart([](int64_t, int64_t ms) { return ms / 1000 % 60; }));
  r->Add("date_trunc", BindDateTrunc);
  r->Add("trunc", BindTrunc);
  r->Add("to_date", Convert(Param::kDate));
  r->Add("current_date", Now(TypeKind::kDate));
  r->Add("current_timestamp", Now(TypeKind::kTimestamp));
  r->Add("now", Now(TypeKind::kTimestamp));
  r->Add("datediff", BindDateDiff);
  r->Add("date_add", DateShift([](int64_t d, int64_t n) { return d + n; }));
  r->Add("date_sub", DateShift([](int64_t d, int64_t n) { return d - n; }));
  r->Add("unix_timestamp", BindUnixTimestamp);
  r->Add("from_unixtime", BindFromUnixTime);
  r->Add("last_day", BindLastDay);
}

}  // namespace helenus::exec::eval

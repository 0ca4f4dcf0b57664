// Parsers of CQL literal texts into serialized values.
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "civil_time.h"
#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"
#include "varint.h"

namespace helenus::cql {

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

namespace {

// A cursor over literal text with small helpers for fixed-width fields.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool Done() const { return pos_ == s_.size(); }
  char Peek() const { return Done() ? '\0' : s_[pos_]; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  // Reads 1..max digits; false when none.
  bool Digits(size_t min, size_t max, int64_t* v, size_t* count = nullptr) {
    size_t start = pos_;
    *v = 0;
    while (pos_ < s_.size() && pos_ - start < max &&
           std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      *v = *v * 10 + (s_[pos_++] - '0');
    }
    if (count) *count = pos_ - start;
    return pos_ - start >= min;
  }
  std::string_view Rest() const { return s_.substr(pos_); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// Integer text into *v; false on overflow (std::stoll would throw a
// non-CQL exception instead).
template <typename T>
bool ToInteger(std::string_view s, T* v) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && end == s.data() + s.size();
}

// *acc += v * unit; false on int64 overflow (a duration literal is client text).
bool AddScaled(int64_t* acc, int64_t v, int64_t unit) {
  int64_t product = 0;
  return !__builtin_mul_overflow(v, unit, &product) && !__builtin_add_overflow(*acc, product, acc);
}

bool AllDigits(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool ParseDatePart(Scanner& sc, int64_t* days) {
  int64_t y, m, d;
  bool neg = sc.Eat('-');
  if (!sc.Digits(1, 9, &y) || !sc.Eat('-') || !sc.Digits(1, 2, &m) || !sc.Eat('-') ||
      !sc.Digits(1, 2, &d)) {
    return false;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  *days = DaysFromCivil(neg ? -y : y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

// HH:MM[:SS[.fraction]] into nanoseconds of the day.
bool ParseTimePart(Scanner& sc, bool seconds_required, int64_t* nanos) {
  int64_t h, mi, s = 0, frac = 0;
  size_t frac_digits = 0;
  if (!sc.Digits(1, 2, &h) || !sc.Eat(':') || !sc.Digits(1, 2, &mi)) return false;
  if (sc.Eat(':')) {
    if (!sc.Digits(1, 2, &s)) return false;
    if (sc.Eat('.')) {
      if (!sc.Digits(1, 9, &frac, &frac_digits)) return false;
    }
  } else if (seconds_required) {
    return false;
  }
  if (h > 23 || mi > 59 || s > 59) return false;
  for (size_t i = frac_digits; i < 9; ++i) frac *= 10;
  *nanos = ((h * 60 + mi) * 60 + s) * 1000000000LL + frac;
  return true;
}

}  // namespace

Bytes ParseUuid(std::string_view s) {
  auto fail = [&]() -> Bytes { ThrowInvalid("Unable to make UUID from '{}'", s); };
  if (s.size() != 36) return fail();
  Bytes out;
  out.reserve(16);
  int hi = -1;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return fail();
      continue;
    }
    int v = std::isdigit(static_cast<unsigned char>(c))    ? c - '0'
            : std::isxdigit(static_cast<unsigned char>(c)) ? (c | 0x20) - 'a' + 10
                                                           : -1;
    if (v < 0) return fail();
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<char>(hi << 4 | v));
      hi = -1;
    }
  }
  return out;
}

Bytes ParseTimestamp(std::string_view s) {
  auto fail = [&]() -> Bytes {
    ThrowInvalid("Unable to coerce '{}' to a formatted date (long)", s);
  };
  if (AllDigits(s)) {
    int64_t millis = 0;
    if (!ToInteger(s, &millis)) return fail();
    return EncodeBigint(millis);
  }
  Scanner sc(s);
  int64_t days = 0, nanos = 0;
  if (!ParseDatePart(sc, &days)) return fail();
  if (sc.Eat('T') || sc.Eat(' ')) {
    if (!ParseTimePart(sc, false, &nanos)) return fail();
  }
  int64_t offset_minutes = 0;
  while (sc.Peek() == ' ') sc.Eat(' ');
  if (sc.Eat('Z') || sc.Eat('z')) {
  } else if (sc.Peek() == '+' || sc.Peek() == '-') {
    bool neg = sc.Peek() == '-';
    sc.Eat(sc.Peek());
    int64_t hh = 0, mm = 0;
    if (!sc.Digits(2, 2, &hh)) return fail();
    sc.Eat(':');
    if (!sc.Done()) {
      if (!sc.Digits(2, 2, &mm)) return fail();
    }
    offset_minutes = (neg ? -1 : 1) * (hh * 60 + mm);
  }
  if (!sc.Done()) return fail();
  int64_t millis = days * 86400000LL + nanos / 1000000 - offset_minutes * 60000;
  return EncodeBigint(millis);
}

Bytes ParseDate(std::string_view s) {
  if (AllDigits(s) && s[0] != '-') {
    uint64_t raw = 0;
    if (!ToInteger(s, &raw) || raw > 0xFFFFFFFFULL)
      ThrowInvalid("Unable to parse a date from '{}': out of range", s);
    return EncodeInt(static_cast<int32_t>(static_cast<uint32_t>(raw)));
  }
  Scanner sc(s);
  int64_t days = 0;
  if (!ParseDatePart(sc, &days) || !sc.Done()) {
    ThrowInvalid("Unable to coerce '{}' to a formatted date (long)", s);
  }
  int64_t raw = days + (1LL << 31);
  if (raw < 0 || raw > 0xFFFFFFFFLL) ThrowInvalid("Date '{}' is out of range", s);
  return EncodeInt(static_cast<int32_t>(static_cast<uint32_t>(raw)));
}

Bytes ParseTime(std::string_view s) {
  if (AllDigits(s)) {
    int64_t v = -1;
    if (!ToInteger(s, &v) || v < 0 || v >= 86400000000000LL)
      ThrowInvalid("Time value out of range: {}", s);
    return EncodeBigint(v);
  }
  Scanner sc(s);
  int64_t nanos = 0;
  if (!ParseTimePart(sc, true, &nanos) || !sc.Done()) {
    ThrowInvalid("Unable to coerce '{}' to a formatted time (long)", s);
  }
  return EncodeBigint(nanos);
}

Bytes ParseDuration(std::string_view text) {
  std::string_view s = text;
  auto fail = [&]() -> Bytes { ThrowInvalid("Unable to convert '{}' to a duration", text); };
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  if (s.empty()) return fail();
  int64_t months = 0, days = 0, nanos = 0;
  if (s[0] == 'P' || s[0] == 'p') {
    s.remove_prefix(1);
    Scanner sc(s);
    if (s.find('-') != std::string_view::npos) {
      // Alternative ISO form: P0001-02-03T04:05:06
      int64_t y, mo, d, h, mi, sec;
      if (!sc.Digits(4, 4, &y) || !sc.Eat('-') || !sc.Digits(2, 2, &mo) || !sc.Eat('-') ||
          !sc.Digits(2, 2, &d) || !sc.Eat('T') || !sc.Digits(2, 2, &h) || !sc.Eat(':') ||
          !sc.Digits(2, 2, &mi) || !sc.Eat(':') || !sc.Digits(2, 2, &sec) || !sc.Done()) {
        return fail();
      }
      months = y * 12 + mo;
      days = d;
      nanos = ((h * 60 + mi) * 60 + sec) * 1000000000LL;
    } else {
      bool time = false;
      while (!sc.Done()) {
        if (sc.Eat('T') || sc.Eat('t')) {
          time = true;
          continue;
        }
        int64_t v;
        if (!sc.Digits(1, 18, &v)) return fail();
        char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(sc.Peek())));
        sc.Eat(sc.Peek());
        if (!time && unit == 'Y') {
          if (!AddScaled(&months, v, 12)) return fail();
        } else if (!time && unit == 'M') {
          if (!AddScaled(&months, v, 1)) return fail();
        } else if (!time && unit == 'W') {
          if (!AddScaled(&days, v, 7)) return fail();
        } else if (!time && unit == 'D') {
          if (!AddScaled(&days, v, 1)) return fail();
        } else if (time && unit == 'H') {
          if (!AddScaled(&nanos, v, 3600000000000LL)) return fail();
        } else if (time && unit == 'M') {
          if (!AddScaled(&nanos, v, 60000000000LL)) return fail();
        } else if (time && unit == 'S') {
          if (!AddScaled(&nanos, v, 1000000000LL)) return fail();
        } else {
          return fail();
        }
      }
    }
  } else {
    Scanner sc(s);
    while (!sc.Done()) {
      int64_t v;
      if (!sc.Digits(1, 18, &v)) return fail();
      std::string unit;
      while (!sc.Done() && !std::isdigit(static_cast<unsigned char>(sc.Peek()))) {
        unit.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(sc.Peek()))));
        sc.Eat(sc.Peek());
      }
      if (unit == "y") {
        if (!AddScaled(&months, v, 12)) return fail();
      } else if (unit == "mo") {
        if (!AddScaled(&months, v, 1)) return fail();
      } else if (unit == "w") {
        if (!AddScaled(&days, v, 7)) return fail();
      } else if (unit == "d") {
        if (!AddScaled(&days, v, 1)) return fail();
      } else if (unit == "h") {
        if (!AddScaled(&nanos, v, 3600000000000LL)) return fail();
      } else if (unit == "m") {
        if (!AddScaled(&nanos, v, 60000000000LL)) return fail();
      } else if (unit == "s") {
        if (!AddScaled(&nanos, v, 1000000000LL)) return fail();
      } else if (unit == "ms") {
        if (!AddScaled(&nanos, v, 1000000LL)) return fail();
      } else if (unit == "us" || unit == "\xc2\xb5s") {
        if (!AddScaled(&nanos, v, 1000LL)) return fail();
      } else if (unit == "ns") {
        if (!AddScaled(&nanos, v, 1)) return fail();
      } else {
        return fail();
      }
    }
  }
  if (neg) {
    months = -months;
    days = -days;
    nanos = -nanos;
  }
  Bytes out;
  PutSignedVint(months, &out);
  PutSignedVint(days, &out);
  PutSignedVint(nanos, &out);
  return out;
}

Bytes ParseInet(std::string_view s) {
  std::string str(s);
  unsigned char buf[16];
  if (inet_pton(AF_INET, str.c_str(), buf) == 1) return Bytes(reinterpret_cast<char*>(buf), 4);
  if (inet_pton(AF_INET6, str.c_str(), buf) == 1) return Bytes(reinterpret_cast<char*>(buf), 16);
  ThrowInvalid("Unable to make inet address from '{}'", s);
}

Bytes ParseVarint(std::string_view s) {
  return DecimalToVarint(s);
}

Bytes ParseDecimal(std::string_view text) {
  std::string_view s = text;
  auto fail = [&]() -> Bytes { ThrowInvalid("Unable to make a decimal from '{}'", text); };
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  std::string digits;
  int64_t scale = 0;
  size_t i = 0;
  bool seen_digit = false;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    digits.push_back(s[i]);
    seen_digit = true;
  }
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
      digits.push_back(s[i]);
      ++scale;
      seen_digit = true;
    }
  }
  if (!seen_digit) return fail();
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::string_view exp = s.substr(i + 1);
    if (!exp.empty() && exp[0] == '+') exp.remove_prefix(1);
    int64_t e = 0;
    if (!AllDigits(exp) || !ToInteger(exp, &e) || e > INT32_MAX || e < INT32_MIN) return fail();
    scale -= e;
    i = s.size();
  }
  if (i != s.size()) return fail();
  if (scale > INT32_MAX || scale < INT32_MIN) return fail();
  return EncodeInt(static_cast<int32_t>(scale)) + DecimalToVarint((neg ? "-" : "") + digits);
}

}  // namespace helenus::cql

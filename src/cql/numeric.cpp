// Exact arithmetic on varint and decimal values for sum() and avg(), done
// on decimal digit strings: aggregates are not a hot path for these types.
#include <algorithm>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"
#include "varint.h"

namespace helenus::cql {
namespace {

// Digits an exact decimal sum may grow to before it is refused.
constexpr int64_t kMaxSumDigits = 1 << 20;

struct Signed {
  bool neg = false;
  std::string mag;  // decimal digits, no leading zeros ("0" for zero)
};

Signed FromVarint(std::string_view b) {
  std::string d = VarintToDecimal(b);
  Signed s;
  s.neg = d[0] == '-';
  s.mag = s.neg ? d.substr(1) : d;
  return s;
}

std::string Strip(std::string d) {
  size_t i = d.find_first_not_of('0');
  return i == std::string::npos ? std::string(1, '0') : d.substr(i);
}

int CompareMag(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::string AddMag(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int x = (i < a.size() ? a[a.size() - 1 - i] - '0' : 0) +
            (i < b.size() ? b[b.size() - 1 - i] - '0' : 0) + carry;
    out.push_back(static_cast<char>('0' + x % 10));
    carry = x / 10;
  }
  std::reverse(out.begin(), out.end());
  return Strip(out);
}

// a - b with a >= b.
std::string SubMag(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int x = (a[a.size() - 1 - i] - '0') - (i < b.size() ? b[b.size() - 1 - i] - '0' : 0) - borrow;
    borrow = x < 0;
    out.push_back(static_cast<char>('0' + (x + 10) % 10));
  }
  std::reverse(out.begin(), out.end());
  return Strip(out);
}

Signed Add(const Signed& a, const Signed& b) {
  if (a.neg == b.neg) return {a.neg, AddMag(a.mag, b.mag)};
  int c = CompareMag(a.mag, b.mag);
  if (c == 0) return {false, "0"};
  return c > 0 ? Signed{a.neg, SubMag(a.mag, b.mag)} : Signed{b.neg, SubMag(b.mag, a.mag)};
}

std::string DivMag(const std::string& a, uint64_t n, uint64_t* rem) {
  std::string q;
  unsigned __int128 r = 0;
  for (char c : a) {
    r = r * 10 + static_cast<unsigned>(c - '0');
    q.push_back(static_cast<char>('0' + static_cast<int>(r / n)));
    r %= n;
  }
  *rem = static_cast<uint64_t>(r);
  return Strip(q);
}

Bytes ToVarint(const Signed& s) {
  return DecimalToVarint((s.neg && s.mag != "0" ? "-" : "") + s.mag);
}

int32_t Scale(std::string_view d) {
  return DecodeInt(d.substr(0, 4));
}

}  // namespace

Bytes AddVarint(std::string_view a, std::string_view b) {
  return ToVarint(Add(FromVarint(a), FromVarint(b)));
}

Bytes DivideVarint(std::string_view a, int64_t n) {
  if (n == 0) ThrowInvalid("Division by zero");
  Signed s = FromVarint(a);
  uint64_t rem = 0;
  s.mag = DivMag(s.mag, static_cast<uint64_t>(n < 0 ? -n : n), &rem);
  s.neg = s.neg != (n < 0);
  return ToVarint(s);
}

Bytes AddDecimal(std::string_view a, std::string_view b) {
  if (a.size() < 4 || b.size() < 4) ThrowInvalid("Invalid decimal value");
  int32_t sa = Scale(a), sb = Scale(b);
  Signed x = FromVarint(a.substr(4)), y = FromVarint(b.substr(4));
  int32_t scale = std::max(sa, sb);
  // Scales far apart would need billions of zeros (and overflow int32).
  auto widen = [&](Signed* v, int32_t s) {
    if (v->mag == "0") return;
    int64_t zeros = static_cast<int64_t>(scale) - s;
    if (zeros + static_cast<int64_t>(v->mag.size()) > kMaxSumDigits) {
      ThrowInvalid("Decimal sum needs more than {} digits", kMaxSumDigits);
    }
    v->mag.append(static_cast<size_t>(zeros), '0');
  };
  widen(&x, sa);
  widen(&y, sb);
  return EncodeInt(scale) + ToVarint(Add(x, y));
}

Bytes DivideDecimal(std::string_view a, int64_t n) {
  if (n == 0) ThrowInvalid("Division by zero");
  if (a.size() < 4) ThrowInvalid("Invalid decimal value");
  Signed s = FromVarint(a.substr(4));
  uint64_t d = static_cast<uint64_t>(n < 0 ? -n : n);
  uint64_t rem = 0;
  std::string q = DivMag(s.mag, d, &rem);
  // Round half to even on the remainder.
  unsigned __int128 twice = static_cast<unsigned __int128>(rem) * 2;
  bool odd = (q.back() - '0') % 2 == 1;
  if (twice > d || (twice == d && odd)) q = AddMag(q, "1");
  return Bytes(a.substr(0, 4)) + ToVarint({s.neg != (n < 0), q});
}

}  // namespace helenus::cql

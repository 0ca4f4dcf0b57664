#include "varint.h"

#include <algorithm>
#include <bit>
#include <vector>

#include "helenus/common/error.h"

namespace helenus::cql {

void PutSignedVint(int64_t v, std::string* out) {
  uint64_t u = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  int extra = 0;
  while (extra < 8 && (u >> (7 * (extra + 1))) != 0) ++extra;
  if (extra == 8) {
    out->push_back(static_cast<char>(0xFF));
  } else {
    uint8_t first = static_cast<uint8_t>(0xFF00 >> extra);  // extra leading ones
    first |= static_cast<uint8_t>(u >> (8 * extra));
    out->push_back(static_cast<char>(first));
  }
  for (int i = extra - 1; i >= 0; --i) out->push_back(static_cast<char>(u >> (8 * i)));
}

bool GetSignedVint(std::string_view* in, int64_t* v) {
  if (in->empty()) return false;
  auto first = static_cast<uint8_t>((*in)[0]);
  int extra = std::countl_one(first);
  if (in->size() < static_cast<size_t>(extra) + 1) return false;
  uint64_t u = extra == 8 ? 0 : (first & (0xFF >> (extra + 1)));
  for (int i = 1; i <= extra; ++i) u = u << 8 | static_cast<uint8_t>((*in)[i]);
  in->remove_prefix(extra + 1);
  *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  return true;
}

namespace {

// Magnitude as little-endian base-256 digits.
std::vector<uint8_t> Negate(std::vector<uint8_t> be) {
  // Two's complement negation of big-endian bytes.
  for (auto& b : be) b = static_cast<uint8_t>(~b);
  for (size_t i = be.size(); i-- > 0;) {
    if (++be[i] != 0) break;
  }
  return be;
}

}  // namespace

std::string DecimalToVarint(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    ThrowInvalid("Invalid integer '{}'", s);
  }
  std::vector<uint8_t> le{0};  // little-endian magnitude
  for (char c : s) {
    unsigned carry = static_cast<unsigned>(c - '0');
    for (auto& d : le) {
      unsigned x = d * 10u + carry;
      d = static_cast<uint8_t>(x);
      carry = x >> 8;
    }
    if (carry) le.push_back(static_cast<uint8_t>(carry));
  }
  std::vector<uint8_t> be(le.rbegin(), le.rend());
  // A leading zero byte keeps positive values positive.
  if (be[0] & 0x80) be.insert(be.begin(), 0);
  if (neg) {
    be = Negate(std::move(be));
    // Drop redundant 0xFF sign bytes.
    while (be.size() > 1 && be[0] == 0xFF && (be[1] & 0x80)) be.erase(be.begin());
  } else {
    while (be.size() > 1 && be[0] == 0 && !(be[1] & 0x80)) be.erase(be.begin());
  }
  return std::string(be.begin(), be.end());
}

std::string VarintToDecimal(std::string_view bytes) {
  if (bytes.empty()) return "0";
  std::vector<uint8_t> be(bytes.begin(), bytes.end());
  bool neg = be[0] & 0x80;
  if (neg) be = Negate(std::move(be));
  std::string digits;
  while (!(be.empty() || std::all_of(be.begin(), be.end(), [](uint8_t b) { return b == 0; }))) {
    unsigned rem = 0;
    for (auto& b : be) {
      unsigned x = rem << 8 | b;
      b = static_cast<uint8_t>(x / 10);
      rem = x % 10;
    }
    digits.push_back(static_cast<char>('0' + rem));
  }
  if (digits.empty()) digits.push_back('0');
  if (neg) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

int CompareVarint(std::string_view a, std::string_view b) {
  bool na = !a.empty() && (static_cast<uint8_t>(a[0]) & 0x80);
  bool nb = !b.empty() && (static_cast<uint8_t>(b[0]) & 0x80);
  if (na != nb) return na ? -1 : 1;
  // Same sign: compare as if both were sign-extended to the same width, where
  // unsigned byte order is numeric order.
  size_t n = std::max(a.size(), b.size());
  uint8_t fill = na ? 0xFF : 0x00;
  int c = 0;
  for (size_t i = 0; i < n && c == 0; ++i) {
    size_t pa = n - a.size(), pb = n - b.size();
    uint8_t x = i < pa ? fill : static_cast<uint8_t>(a[i - pa]);
    uint8_t y = i < pb ? fill : static_cast<uint8_t>(b[i - pb]);
    c = x < y ? -1 : x > y ? 1 : 0;
  }
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

int CompareDecimal(std::string_view a, std::string_view b) {
  auto split = [](std::string_view v, int32_t* scale, std::string* digits, bool* neg) {
    if (v.size() < 4) ThrowInvalid("Invalid decimal value");
    *scale = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint8_t>(v[0])) << 24 |
                                  static_cast<uint32_t>(static_cast<uint8_t>(v[1])) << 16 |
                                  static_cast<uint32_t>(static_cast<uint8_t>(v[2])) << 8 |
                                  static_cast<uint8_t>(v[3]));
    *digits = VarintToDecimal(v.substr(4));
    *neg = !digits->empty() && (*digits)[0] == '-';
    if (*neg) digits->erase(0, 1);
    if (*digits == "0") *neg = false;
  };
  int32_t sa, sb;
  std::string da, db;
  bool na, nb;
  split(a, &sa, &da, &na);
  split(b, &sb, &db, &nb);
  if (na != nb) return na ? -1 : 1;
  // Compare magnitudes digit by digit from the most significant digit's
  // power of ten; padding the smaller scale with zeros would allocate up to
  // 2^32 bytes for scales far apart.
  auto strip = [](std::string& d) {
    size_t i = d.find_first_not_of('0');
    d = i == std::string::npos ? "0" : d.substr(i);
  };
  strip(da);
  strip(db);
  int c = 0;
  if (da == "0" || db == "0") {
    c = da == db ? 0 : da == "0" ? -1 : 1;
  } else {
    int64_t ea = static_cast<int64_t>(da.size()) - sa, eb = static_cast<int64_t>(db.size()) - sb;
    if (ea != eb) {
      c = ea < eb ? -1 : 1;
    } else {
      for (size_t i = 0; i < std::max(da.size(), db.size()) && c == 0; ++i) {
        char x = i < da.size() ? da[i] : '0', y = i < db.size() ? db[i] : '0';
        c = x < y ? -1 : x > y ? 1 : 0;
      }
    }
  }
  return na ? -c : c;
}

}  // namespace helenus::cql

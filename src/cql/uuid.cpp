// Time-based and random uuids (now(), uuid(), minTimeuuid/maxTimeuuid).
#include <atomic>
#include <chrono>
#include <random>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::cql {
namespace {

// 100-ns intervals between 1582-10-15 and 1970-01-01.
constexpr int64_t kGregorianOffset = 0x01B21DD213814000LL;

uint64_t RandomBits() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng();
}

Bytes TimeUuid(uint64_t timestamp, uint64_t clock_and_node) {
  Bytes b(16, '\0');
  uint32_t time_low = static_cast<uint32_t>(timestamp);
  uint16_t time_mid = static_cast<uint16_t>(timestamp >> 32);
  uint16_t time_hi = static_cast<uint16_t>((timestamp >> 48) & 0x0FFF) | 0x1000;
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(time_low >> (24 - 8 * i));
  b[4] = static_cast<char>(time_mid >> 8);
  b[5] = static_cast<char>(time_mid);
  b[6] = static_cast<char>(time_hi >> 8);
  b[7] = static_cast<char>(time_hi);
  for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<char>(clock_and_node >> (56 - 8 * i));
  return b;
}

}  // namespace

Bytes NewTimeUuid() {
  // One random clock sequence and node per process, variant bits set.
  static const uint64_t kClockAndNode =
      (RandomBits() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  static std::atomic<uint64_t> last{0};
  auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  uint64_t ts = static_cast<uint64_t>(now / 100 + kGregorianOffset);
  // Strictly increasing within the process, so now() values never collide.
  uint64_t prev = last.load();
  while (true) {
    uint64_t next = std::max(ts, prev + 1);
    if (last.compare_exchange_weak(prev, next)) {
      ts = next;
      break;
    }
  }
  return TimeUuid(ts, kClockAndNode);
}

Bytes NewRandomUuid() {
  Bytes b(16, '\0');
  uint64_t hi = RandomBits(), lo = RandomBits();
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<char>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<char>(lo >> (56 - 8 * i));
  }
  b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);
  return b;
}

int64_t TimeUuidMicros(std::string_view u) {
  if (u.size() != 16) ThrowInvalid("Invalid timeuuid of {} bytes", u.size());
  auto byte = [&](int i) { return static_cast<uint64_t>(static_cast<uint8_t>(u[i])); };
  uint64_t ts = (byte(6) & 0x0F) << 56 | byte(7) << 48 | byte(4) << 40 | byte(5) << 32 |
                byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
  return (static_cast<int64_t>(ts) - kGregorianOffset) / 10;
}

Bytes BoundTimeUuid(int64_t millis, bool max) {
  uint64_t ts = static_cast<uint64_t>(millis * 10000 + kGregorianOffset + (max ? 9999 : 0));
  return TimeUuid(ts, max ? 0x7F7F7F7F7F7F7F7FULL : 0x8080808080808080ULL);
}

}  // namespace helenus::cql

#include "helenus/common/murmur3.h"

#include <gtest/gtest.h>

namespace helenus {
namespace {

Bytes Be(uint64_t v, int n) {
  Bytes b(n, '\0');
  for (int i = n - 1; i >= 0; --i, v >>= 8) b[i] = static_cast<char>(v & 0xFF);
  return b;
}

TEST(Murmur3Test, CassandraVectors) {
  EXPECT_EQ(Murmur3Token("123"), -7468325962851647638LL);
  EXPECT_EQ(Murmur3Token(Be(1, 4)), -4069959284402364209LL);
  EXPECT_EQ(Murmur3Token(Be(0, 4)), -3485513579396041028LL);
  EXPECT_EQ(Murmur3Token(Be(1, 8)), 6292367497774912474LL);
  EXPECT_EQ(Murmur3Token("a"), -8839064797231613815LL);
  EXPECT_EQ(Murmur3Token(Bytes(8, '\xfe')), -8927430733708461935LL);
  Bytes one = Be(1, 4);
  Bytes two = Be(2, 4);
  EXPECT_EQ(Murmur3Token(CompositePartitionKey({one, two})), 4881097376275569167LL);
}

TEST(Murmur3Test, CompositeRoundTrip) {
  Bytes a = "abc";
  Bytes b("\0\1", 2);
  Bytes key = CompositePartitionKey({a, b});
  EXPECT_EQ(key.size(), 3u + 3 + 2 + 3);
  auto parts = SplitPartitionKey(key, 2);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], a);
  EXPECT_EQ(parts[1], b);
  EXPECT_EQ(CompositePartitionKey({a}), a);
  EXPECT_TRUE(SplitPartitionKey("x", 2).empty());
}

}  // namespace
}  // namespace helenus

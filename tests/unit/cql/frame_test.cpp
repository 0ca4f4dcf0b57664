#include "helenus/cql/frame.h"

#include <random>

#include <gtest/gtest.h>

#include "helenus/common/error.h"

namespace helenus::cql {
namespace {

using namespace std::string_literals;

TEST(FrameTest, HeaderRoundTrip) {
  FrameHeader h{0x84, kFlagCompression | kFlagWarning, -1, Opcode::kEvent, 0x01020304};
  char buf[kHeaderSize];
  EncodeHeader(h, buf);
  EXPECT_EQ(std::string(buf, kHeaderSize), "\x84\x09\xFF\xFF\x0C\x01\x02\x03\x04"s);
  FrameHeader d = DecodeHeader(reinterpret_cast<const uint8_t*>(buf));
  EXPECT_EQ(d.version, 0x84);
  EXPECT_EQ(d.flags, 0x09);
  EXPECT_EQ(d.stream, -1);
  EXPECT_EQ(d.opcode, Opcode::kEvent);
  EXPECT_EQ(d.length, 0x01020304u);
}

TEST(FrameTest, DecodesRequestHeader) {
  const std::string raw = "\x04\x00\x7F\xFF\x07\x80\x00\x00\x00"s;
  FrameHeader d = DecodeHeader(reinterpret_cast<const uint8_t*>(raw.data()));
  EXPECT_EQ(d.version, 4);
  EXPECT_EQ(d.stream, 32767);
  EXPECT_EQ(d.opcode, Opcode::kQuery);
  EXPECT_EQ(d.length, 0x80000000u);
}

TEST(FrameTest, CompressionNames) {
  EXPECT_EQ(CompressionFromName("lz4"), Compression::kLz4);
  EXPECT_EQ(CompressionFromName("snappy"), Compression::kSnappy);
  EXPECT_EQ(CompressionFromName("LZ4"), Compression::kLz4);
  EXPECT_EQ(CompressionFromName("zstd"), std::nullopt);
  EXPECT_EQ(CompressionFromName(""), std::nullopt);
}

std::string SampleBody(size_t n) {
  std::string s;
  std::mt19937 rng(7);
  for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(i % 13 == 0 ? rng() : 'a' + i % 5));
  return s;
}

TEST(FrameTest, Lz4RoundTripAndPrefix) {
  for (size_t n : {0u, 1u, 100u, 70000u}) {
    std::string body = SampleBody(n);
    std::string c = Compress(Compression::kLz4, body);
    ASSERT_GE(c.size(), 4u);
    uint32_t len = static_cast<uint32_t>(static_cast<uint8_t>(c[0])) << 24 |
                   static_cast<uint32_t>(static_cast<uint8_t>(c[1])) << 16 |
                   static_cast<uint32_t>(static_cast<uint8_t>(c[2])) << 8 |
                   static_cast<uint8_t>(c[3]);
    EXPECT_EQ(len, n);
    EXPECT_EQ(Decompress(Compression::kLz4, c, 1 << 20), body);
  }
}

TEST(FrameTest, SnappyRoundTrip) {
  for (size_t n : {0u, 1u, 100u, 70000u}) {
    std::string body = SampleBody(n);
    EXPECT_EQ(Decompress(Compression::kSnappy, Compress(Compression::kSnappy, body), 1 << 20),
              body);
  }
}

TEST(FrameTest, NoneIsIdentity) {
  EXPECT_EQ(Compress(Compression::kNone, "abc"), "abc");
  EXPECT_EQ(Decompress(Compression::kNone, "abc", 10), "abc");
}

ErrorCode DecompressError(Compression c, std::string_view body, size_t max) {
  try {
    Decompress(c, body, max);
  } catch (const CqlError& e) {
    return e.code();
  }
  return ErrorCode::kServer;
}

TEST(FrameTest, CorruptInputThrowsProtocol) {
  std::string body = SampleBody(5000);
  std::string lz = Compress(Compression::kLz4, body);
  std::string sn = Compress(Compression::kSnappy, body);
  EXPECT_EQ(DecompressError(Compression::kLz4, "ab", 100), ErrorCode::kProtocol);
  EXPECT_EQ(DecompressError(Compression::kLz4, lz, 100), ErrorCode::kProtocol);  // too large
  EXPECT_EQ(DecompressError(Compression::kSnappy, sn, 100), ErrorCode::kProtocol);
  EXPECT_EQ(DecompressError(Compression::kLz4, lz.substr(0, lz.size() / 2), 1 << 20),
            ErrorCode::kProtocol);
  EXPECT_EQ(DecompressError(Compression::kSnappy, sn.substr(0, sn.size() / 2), 1 << 20),
            ErrorCode::kProtocol);
  EXPECT_EQ(DecompressError(Compression::kSnappy, "\xFF\xFF\xFF\xFF\xFF"s, 1 << 20),
            ErrorCode::kProtocol);
  // A length prefix that lies about the size.
  std::string liar = lz;
  liar[3] = static_cast<char>(liar[3] + 1);
  EXPECT_EQ(DecompressError(Compression::kLz4, liar, 1 << 20), ErrorCode::kProtocol);

  // A tiny body claiming a huge size is refused before allocating it.
  EXPECT_EQ(DecompressError(Compression::kLz4, "\x01\x00\x00\x00\x00"s, 1 << 30),
            ErrorCode::kProtocol);

  // Random corruption never crashes: it either decodes or throws kProtocol.
  std::mt19937 rng(1);
  for (int i = 0; i < 300; ++i) {
    for (auto [c, data] : {std::pair{Compression::kLz4, lz}, std::pair{Compression::kSnappy, sn}}) {
      data[rng() % data.size()] = static_cast<char>(rng());
      try {
        Decompress(c, data, 1 << 20);
      } catch (const CqlError& e) {
        EXPECT_EQ(e.code(), ErrorCode::kProtocol);
      }
    }
  }
}

}  // namespace
}  // namespace helenus::cql

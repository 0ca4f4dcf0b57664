#include "helenus/cql/frame.h"

#include <lz4.h>
#include <snappy.h>

#include <algorithm>
#include <cctype>

#include "helenus/common/error.h"

namespace helenus::cql {

FrameHeader DecodeHeader(const uint8_t* p) {
  FrameHeader h;
  h.version = p[0];
  h.flags = p[1];
  h.stream = static_cast<int16_t>(static_cast<uint16_t>(p[2] << 8 | p[3]));
  h.opcode = static_cast<Opcode>(p[4]);
  h.length = static_cast<uint32_t>(p[5]) << 24 | static_cast<uint32_t>(p[6]) << 16 |
             static_cast<uint32_t>(p[7]) << 8 | p[8];
  return h;
}

void EncodeHeader(const FrameHeader& h, char* out) {
  auto stream = static_cast<uint16_t>(h.stream);
  out[0] = static_cast<char>(h.version);
  out[1] = static_cast<char>(h.flags);
  out[2] = static_cast<char>(stream >> 8);
  out[3] = static_cast<char>(stream);
  out[4] = static_cast<char>(h.opcode);
  out[5] = static_cast<char>(h.length >> 24);
  out[6] = static_cast<char>(h.length >> 16);
  out[7] = static_cast<char>(h.length >> 8);
  out[8] = static_cast<char>(h.length);
}

std::optional<Compression> CompressionFromName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (lower == "lz4") return Compression::kLz4;
  if (lower == "snappy") return Compression::kSnappy;
  return std::nullopt;
}

std::string Compress(Compression c, std::string_view body) {
  if (c == Compression::kSnappy) {
    std::string out;
    snappy::Compress(body.data(), body.size(), &out);
    return out;
  }
  if (c == Compression::kNone) return std::string(body);
  int bound = LZ4_compressBound(static_cast<int>(body.size()));
  std::string out(4 + static_cast<size_t>(bound), '\0');
  auto n = static_cast<uint32_t>(body.size());
  out[0] = static_cast<char>(n >> 24);
  out[1] = static_cast<char>(n >> 16);
  out[2] = static_cast<char>(n >> 8);
  out[3] = static_cast<char>(n);
  int written =
      LZ4_compress_default(body.data(), out.data() + 4, static_cast<int>(body.size()), bound);
  out.resize(4 + static_cast<size_t>(written));
  return out;
}

std::string Decompress(Compression c, std::string_view body, size_t max_size) {
  if (c == Compression::kNone) return std::string(body);
  if (c == Compression::kSnappy) {
    size_t n = 0;
    if (!snappy::GetUncompressedLength(body.data(), body.size(), &n)) {
      ThrowProtocol("Corrupt Snappy-compressed frame body");
    }
    if (n > max_size) ThrowProtocol("Decompressed frame body of {} bytes is too large", n);
    std::string out;
    if (!snappy::Uncompress(body.data(), body.size(), &out)) {
      ThrowProtocol("Corrupt Snappy-compressed frame body");
    }
    return out;
  }
  if (body.size() < 4) ThrowProtocol("Corrupt LZ4-compressed frame body: no length prefix");
  size_t n = static_cast<size_t>(static_cast<uint8_t>(body[0])) << 24 |
             static_cast<size_t>(static_cast<uint8_t>(body[1])) << 16 |
             static_cast<size_t>(static_cast<uint8_t>(body[2])) << 8 |
             static_cast<uint8_t>(body[3]);
  if (n > max_size) ThrowProtocol("Decompressed frame body of {} bytes is too large", n);
  // LZ4 cannot expand more than ~255x: a larger claim is a lie, refused before
  // allocating it.
  if (n > (body.size() - 4) * 255 + 16) ThrowProtocol("Corrupt LZ4-compressed frame body");
  std::string out(n, '\0');
  int got = LZ4_decompress_safe(body.data() + 4, out.data(), static_cast<int>(body.size() - 4),
                                static_cast<int>(n));
  if (got < 0 || static_cast<size_t>(got) != n) {
    ThrowProtocol("Corrupt LZ4-compressed frame body");
  }
  return out;
}

}  // namespace helenus::cql

#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace helenus::cql {

// Message kinds of the native protocol.
enum class Opcode : uint8_t {
  kError = 0x00,
  kStartup = 0x01,
  kReady = 0x02,
  kAuthenticate = 0x03,
  kOptions = 0x05,
  kSupported = 0x06,
  kQuery = 0x07,
  kResult = 0x08,
  kPrepare = 0x09,
  kExecute = 0x0A,
  kRegister = 0x0B,
  kEvent = 0x0C,
  kBatch = 0x0D,
  kAuthChallenge = 0x0E,
  kAuthResponse = 0x0F,
  kAuthSuccess = 0x10,
};

// The 9-byte v3/v4 frame header.
struct FrameHeader {
  uint8_t version = 0;  // high bit set for responses
  uint8_t flags = 0;
  int16_t stream = 0;
  Opcode opcode = Opcode::kError;
  uint32_t length = 0;
};

inline constexpr size_t kHeaderSize = 9;
inline constexpr uint8_t kFlagCompression = 0x01;
inline constexpr uint8_t kFlagTracing = 0x02;
inline constexpr uint8_t kFlagCustomPayload = 0x04;
inline constexpr uint8_t kFlagWarning = 0x08;

// Decodes a header from 9 bytes (no validation).
FrameHeader DecodeHeader(const uint8_t* p);
// Encodes a header into 9 bytes.
void EncodeHeader(const FrameHeader& h, char* out);

// QUERY/EXECUTE parameter flags (one byte in v3/v4), shared by both sides.
namespace query_flags {
inline constexpr uint8_t kValues = 0x01;
inline constexpr uint8_t kSkipMetadata = 0x02;
inline constexpr uint8_t kPageSize = 0x04;
inline constexpr uint8_t kPagingState = 0x08;
inline constexpr uint8_t kSerialConsistency = 0x10;
inline constexpr uint8_t kDefaultTimestamp = 0x20;
inline constexpr uint8_t kNamesForValues = 0x40;
}  // namespace query_flags

// Rows metadata flags.
namespace rows_flags {
inline constexpr int32_t kGlobalTablesSpec = 0x0001;
inline constexpr int32_t kHasMorePages = 0x0002;
inline constexpr int32_t kNoMetadata = 0x0004;
}  // namespace rows_flags

// Body compression negotiated in STARTUP.
enum class Compression { kNone, kLz4, kSnappy };

// "lz4" / "snappy" (case-insensitive); nullopt for anything else.
std::optional<Compression> CompressionFromName(std::string_view name);
// Compresses a body: LZ4 = 4-byte big-endian length + raw block; Snappy = raw block.
std::string Compress(Compression c, std::string_view body);
// Decompresses a body; throws CqlError(kProtocol) on corrupt input or a size over max_size.
std::string Decompress(Compression c, std::string_view body, size_t max_size);

}  // namespace helenus::cql

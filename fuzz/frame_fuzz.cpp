// Frame body decoders on arbitrary bytes: only CqlError may escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "helenus/common/error.h"
#include "helenus/cql/frame.h"
#include "helenus/cql/messages.h"

namespace {

using helenus::CqlError;
namespace cql = helenus::cql;

// Runs one decoder; a CqlError is the expected answer to bad input.
template <typename F>
void Try(F&& f) {
  try {
    f();
  } catch (const CqlError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  // Both protocol versions the server accepts.
  for (uint8_t version : {3, 4}) {
    Try([&] { cql::DecodeQuery(body, version); });
    Try([&] { cql::DecodeExecute(body, version); });
    Try([&] { cql::DecodeBatch(body, version); });
  }
  Try([&] { cql::DecodeStartup(body); });
  Try([&] { cql::DecodePrepare(body); });
  Try([&] { cql::DecodeRegister(body); });
  // A small cap keeps the decompressors' output bounded, as the server's cap does.
  for (auto c : {cql::Compression::kLz4, cql::Compression::kSnappy}) {
    Try([&] {
      std::string out = cql::Decompress(c, body, 1 << 16);
      // What decompresses must compress and decompress back to itself.
      if (cql::Decompress(c, cql::Compress(c, out), 1 << 16) != out) __builtin_trap();
    });
  }
  if (size >= cql::kHeaderSize) {
    cql::FrameHeader h = cql::DecodeHeader(data);
    char out[cql::kHeaderSize];
    cql::EncodeHeader(h, out);
    if (std::string_view(out, sizeof(out)) != body.substr(0, cql::kHeaderSize)) __builtin_trap();
  }
  return 0;
}

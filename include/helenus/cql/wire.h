#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helenus/common/value.h"

namespace helenus::cql {

// Reads the protocol's primitive notations ([short], [string], [bytes], ...)
// from a frame body; any read past the end throws CqlError(kProtocol).
class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  uint8_t ReadByte();
  uint16_t ReadShort();
  int32_t ReadInt();
  int64_t ReadLong();
  // [string]: u16 length + UTF-8.
  std::string ReadString();
  // [long string]: i32 length + UTF-8.
  std::string ReadLongString();
  // [bytes]: i32 length, negative = null.
  Value ReadBytes();
  // [value]: like [bytes] but -2 means "not set"; *unset tells which.
  Value ReadValue(bool* unset);
  // [short bytes]: u16 length + bytes.
  std::string ReadShortBytes();
  std::vector<std::string> ReadStringList();
  std::map<std::string, std::string> ReadStringMap();
  std::map<std::string, std::vector<std::string>> ReadStringMultimap();
  // [uuid]: 16 raw bytes.
  std::string ReadUuid();
  // [inet]: a 4- or 16-byte address and an int port.
  std::pair<std::string, int32_t> ReadInet();
  // n raw bytes.
  std::string_view ReadRaw(size_t n);

  bool AtEnd() const { return pos_ == data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }

 private:
  void Need(size_t n) const;
  std::string_view data_;
  size_t pos_ = 0;
};

// Appends the protocol's primitive notations to a buffer.
class WireWriter {
 public:
  WireWriter() = default;

  void WriteByte(uint8_t v) { buf_.push_back(static_cast<char>(v)); }
  void WriteShort(uint16_t v);
  void WriteInt(int32_t v);
  void WriteLong(int64_t v);
  void WriteString(std::string_view s);
  void WriteLongString(std::string_view s);
  // [bytes]; nullopt writes length -1.
  void WriteBytes(const Value& v);
  // [bytes] of a present value without an optional wrapper.
  void WriteBytes(std::string_view v);
  void WriteShortBytes(std::string_view v);
  void WriteStringList(const std::vector<std::string>& l);
  void WriteStringMultimap(const std::map<std::string, std::vector<std::string>>& m);
  void WriteRaw(std::string_view v) { buf_.append(v); }
  // Overwrites 4 bytes at offset with a big-endian int (lengths known late).
  void PatchInt(size_t offset, int32_t v);

  size_t size() const { return buf_.size(); }
  void Reserve(size_t n) { buf_.reserve(n); }
  std::string& buffer() { return buf_; }

 private:
  std::string buf_;
};

}  // namespace helenus::cql

#include "helenus/cql/wire.h"

#include <algorithm>

#include "helenus/common/error.h"

namespace helenus::cql {

void WireReader::Need(size_t n) const {
  if (data_.size() - pos_ < n) {
    ThrowProtocol("Truncated message: needed {} more bytes at offset {} of a {}-byte body", n, pos_,
                  data_.size());
  }
}

uint8_t WireReader::ReadByte() {
  Need(1);
  return static_cast<uint8_t>(data_[pos_++]);
}

uint16_t WireReader::ReadShort() {
  Need(2);
  uint16_t v = static_cast<uint16_t>(static_cast<uint8_t>(data_[pos_]) << 8 |
                                     static_cast<uint8_t>(data_[pos_ + 1]));
  pos_ += 2;
  return v;
}

int32_t WireReader::ReadInt() {
  Need(4);
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = v << 8 | static_cast<uint8_t>(data_[pos_ + i]);
  pos_ += 4;
  return static_cast<int32_t>(v);
}

int64_t WireReader::ReadLong() {
  Need(8);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | static_cast<uint8_t>(data_[pos_ + i]);
  pos_ += 8;
  return static_cast<int64_t>(v);
}

std::string_view WireReader::ReadRaw(size_t n) {
  Need(n);
  auto v = data_.substr(pos_, n);
  pos_ += n;
  return v;
}

std::string WireReader::ReadString() {
  return std::string(ReadRaw(ReadShort()));
}

std::string WireReader::ReadLongString() {
  int32_t n = ReadInt();
  if (n < 0) ThrowProtocol("Negative length {} for a long string", n);
  return std::string(ReadRaw(static_cast<size_t>(n)));
}

Value WireReader::ReadBytes() {
  int32_t n = ReadInt();
  if (n < 0) return std::nullopt;
  return std::string(ReadRaw(static_cast<size_t>(n)));
}

Value WireReader::ReadValue(bool* unset) {
  int32_t n = ReadInt();
  *unset = n == -2;
  if (n < 0) {
    if (n < -2) ThrowProtocol("Invalid value length {}", n);
    return std::nullopt;
  }
  return std::string(ReadRaw(static_cast<size_t>(n)));
}

std::string WireReader::ReadShortBytes() {
  return std::string(ReadRaw(ReadShort()));
}

std::string WireReader::ReadUuid() {
  return std::string(ReadRaw(16));
}

std::pair<std::string, int32_t> WireReader::ReadInet() {
  uint8_t n = ReadByte();
  if (n != 4 && n != 16) ThrowProtocol("Invalid inet address length {}", n);
  std::string addr(ReadRaw(n));
  return {std::move(addr), ReadInt()};
}

std::vector<std::string> WireReader::ReadStringList() {
  uint16_t n = ReadShort();
  std::vector<std::string> out;
  // Every string takes at least its 2-byte length: bound the reserve by the body.
  out.reserve(std::min<size_t>(n, remaining() / 2));
  for (uint16_t i = 0; i < n; ++i) out.push_back(ReadString());
  return out;
}

std::map<std::string, std::string> WireReader::ReadStringMap() {
  uint16_t n = ReadShort();
  std::map<std::string, std::string> out;
  for (uint16_t i = 0; i < n; ++i) {
    auto k = ReadString();
    out[k] = ReadString();
  }
  return out;
}

std::map<std::string, std::vector<std::string>> WireReader::ReadStringMultimap() {
  uint16_t n = ReadShort();
  std::map<std::string, std::vector<std::string>> out;
  for (uint16_t i = 0; i < n; ++i) {
    auto k = ReadString();
    out[k] = ReadStringList();
  }
  return out;
}

void WireWriter::WriteShort(uint16_t v) {
  buf_.push_back(static_cast<char>(v >> 8));
  buf_.push_back(static_cast<char>(v));
}

void WireWriter::WriteInt(int32_t v) {
  auto u = static_cast<uint32_t>(v);
  char b[4] = {static_cast<char>(u >> 24), static_cast<char>(u >> 16), static_cast<char>(u >> 8),
               static_cast<char>(u)};
  buf_.append(b, 4);
}

void WireWriter::WriteLong(int64_t v) {
  auto u = static_cast<uint64_t>(v);
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(u >> (56 - 8 * i));
  buf_.append(b, 8);
}

void WireWriter::WriteString(std::string_view s) {
  WriteShort(static_cast<uint16_t>(s.size()));
  buf_.append(s);
}

void WireWriter::WriteLongString(std::string_view s) {
  WriteInt(static_cast<int32_t>(s.size()));
  buf_.append(s);
}

void WireWriter::WriteBytes(const Value& v) {
  if (!v) {
    WriteInt(-1);
    return;
  }
  WriteBytes(std::string_view(*v));
}

void WireWriter::WriteBytes(std::string_view v) {
  WriteInt(static_cast<int32_t>(v.size()));
  buf_.append(v);
}

void WireWriter::WriteShortBytes(std::string_view v) {
  WriteShort(static_cast<uint16_t>(v.size()));
  buf_.append(v);
}

void WireWriter::WriteStringList(const std::vector<std::string>& l) {
  WriteShort(static_cast<uint16_t>(l.size()));
  for (const auto& s : l) WriteString(s);
}

void WireWriter::WriteStringMultimap(const std::map<std::string, std::vector<std::string>>& m) {
  WriteShort(static_cast<uint16_t>(m.size()));
  for (const auto& [k, v] : m) {
    WriteString(k);
    WriteStringList(v);
  }
}

void WireWriter::PatchInt(size_t offset, int32_t v) {
  auto u = static_cast<uint32_t>(v);
  for (int i = 0; i < 4; ++i) buf_[offset + i] = static_cast<char>(u >> (24 - 8 * i));
}

}  // namespace helenus::cql

#include "helenus/ml/serialize.h"

#include <bit>
#include <cstring>

#include "helenus/common/error.h"

namespace helenus::ml {

namespace {

template <typename T>
void PutRaw(std::vector<uint8_t>* out, T v) {
  // Models are written little-endian, the byte order of every machine we build for.
  static_assert(std::endian::native == std::endian::little);
  const size_t at = out->size();
  out->resize(at + sizeof(T));
  std::memcpy(out->data() + at, &v, sizeof(T));
}

template <typename T>
void PutArray(std::vector<uint8_t>* out, std::span<const T> v) {
  PutRaw<uint64_t>(out, v.size());
  const size_t at = out->size();
  out->resize(at + v.size_bytes());
  if (!v.empty()) std::memcpy(out->data() + at, v.data(), v.size_bytes());
}

}  // namespace

void Writer::U8(uint8_t v) {
  data_.push_back(v);
}
void Writer::U32(uint32_t v) {
  PutRaw(&data_, v);
}
void Writer::U64(uint64_t v) {
  PutRaw(&data_, v);
}
void Writer::I64(int64_t v) {
  PutRaw(&data_, v);
}
void Writer::F64(double v) {
  PutRaw(&data_, v);
}
void Writer::Str(std::string_view s) {
  PutArray(&data_, std::span<const char>(s.data(), s.size()));
}
void Writer::F64s(std::span<const double> v) {
  PutArray(&data_, v);
}
void Writer::U32s(std::span<const uint32_t> v) {
  PutArray(&data_, v);
}
void Writer::U64s(std::span<const uint64_t> v) {
  PutArray(&data_, v);
}
void Writer::I64s(std::span<const int64_t> v) {
  PutArray(&data_, v);
}
void Writer::Bytes(std::span<const uint8_t> v) {
  PutArray(&data_, v);
}
void Writer::Strs(const std::vector<std::string>& v) {
  U64(v.size());
  for (const auto& s : v) Str(s);
}

std::span<const uint8_t> Reader::Need(size_t n) {
  if (n > data_.size() - pos_) {
    ThrowInvalid("Corrupt model: needs {} more bytes at offset {}, {} left", n, pos_,
                 data_.size() - pos_);
  }
  auto s = data_.subspan(pos_, n);
  pos_ += n;
  return s;
}

namespace {

template <typename T>
T GetRaw(std::span<const uint8_t> bytes) {
  T v;
  std::memcpy(&v, bytes.data(), sizeof(T));
  return v;
}

}  // namespace

uint8_t Reader::U8() {
  return Need(1)[0];
}
uint32_t Reader::U32() {
  return GetRaw<uint32_t>(Need(4));
}
uint64_t Reader::U64() {
  return GetRaw<uint64_t>(Need(8));
}
int64_t Reader::I64() {
  return GetRaw<int64_t>(Need(8));
}
double Reader::F64() {
  return GetRaw<double>(Need(8));
}

size_t Reader::Count(size_t min_item) {
  const uint64_t n = U64();
  if (min_item != 0 && n > (data_.size() - pos_) / min_item) {
    ThrowInvalid("Corrupt model: count {} at offset {} exceeds the {} bytes left", n, pos_,
                 data_.size() - pos_);
  }
  return static_cast<size_t>(n);
}

std::string Reader::Str() {
  const size_t n = Count(1);
  auto b = Need(n);
  return std::string(reinterpret_cast<const char*>(b.data()), n);
}

template <typename T>
std::vector<T> Reader::Array() {
  const size_t n = Count(sizeof(T));
  auto b = Need(n * sizeof(T));
  std::vector<T> v(n);
  if (n) std::memcpy(v.data(), b.data(), n * sizeof(T));
  return v;
}

std::vector<double> Reader::F64s() {
  return Array<double>();
}
std::vector<uint32_t> Reader::U32s() {
  return Array<uint32_t>();
}
std::vector<uint64_t> Reader::U64s() {
  return Array<uint64_t>();
}
std::vector<int64_t> Reader::I64s() {
  return Array<int64_t>();
}
std::vector<uint8_t> Reader::Bytes() {
  return Array<uint8_t>();
}

std::vector<std::string> Reader::Strs() {
  const size_t n = Count(8);
  std::vector<std::string> v;
  v.reserve(n);
  for (size_t i = 0; i < n; ++i) v.push_back(Str());
  return v;
}

}  // namespace helenus::ml

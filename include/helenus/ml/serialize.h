#pragma once

// The binary form models are saved in: little-endian fixed-width numbers,
// length-prefixed strings and arrays. Reading checks every bound and throws
// Invalid("Corrupt model: ...") rather than reading past the end.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace helenus::ml {

// Appends values to a byte buffer.
class Writer {
 public:
  void U8(uint8_t v);
  void U32(uint32_t v);
  void U64(uint64_t v);
  void I64(int64_t v);
  void F64(double v);
  void Bool(bool v) { U8(v ? 1 : 0); }
  void Str(std::string_view s);
  void F64s(std::span<const double> v);
  void U32s(std::span<const uint32_t> v);
  void U64s(std::span<const uint64_t> v);
  void I64s(std::span<const int64_t> v);
  void Strs(const std::vector<std::string>& v);
  void Bytes(std::span<const uint8_t> v);

  const std::vector<uint8_t>& data() const { return data_; }
  std::vector<uint8_t> Take() { return std::move(data_); }

 private:
  std::vector<uint8_t> data_;
};

// Reads values back in the order a Writer wrote them.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}
  uint8_t U8();
  uint32_t U32();
  uint64_t U64();
  int64_t I64();
  double F64();
  bool Bool() { return U8() != 0; }
  std::string Str();
  std::vector<double> F64s();
  std::vector<uint32_t> U32s();
  std::vector<uint64_t> U64s();
  std::vector<int64_t> I64s();
  std::vector<std::string> Strs();
  std::vector<uint8_t> Bytes();
  // A count about to be read, checked against what is left (each item >= min_item bytes).
  size_t Count(size_t min_item = 1);
  // True when everything was read.
  bool done() const { return pos_ == data_.size(); }

 private:
  std::span<const uint8_t> Need(size_t n);
  template <typename T>
  std::vector<T> Array();
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace helenus::ml

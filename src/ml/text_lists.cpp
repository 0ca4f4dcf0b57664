#include "ml/text_lists.h"

#include "helenus/common/error.h"

namespace helenus::ml {

DataType TextListType() {
  return DataType::List(DataType::Of(TypeKind::kText));
}

bool IsTextListType(const DataType& type) {
  if (type.kind != TypeKind::kList && type.kind != TypeKind::kSet) return false;
  if (type.params.size() != 1) return false;
  const TypeKind e = type.params[0].kind;
  return e == TypeKind::kText || e == TypeKind::kAscii;
}

const exec::Column& TextListColumn(const Frame& f, std::string_view name, std::string_view what) {
  const auto& c = f.column(f.Require(name));
  if (c.is_vector()) {
    ThrowInvalid("{}: column {} holds vectors, a list<text> column of tokens is needed", what,
                 name);
  }
  const auto& col = std::get<exec::Column>(c.data);
  if (!IsTextListType(col.type)) {
    ThrowInvalid("{}: column {} of type {} is not a list<text> of tokens (tokenize it first)", what,
                 name, col.type.ToCql());
  }
  return col;
}

namespace {

// A big-endian 32-bit signed integer at p.
int32_t ReadInt(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<int32_t>((uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) |
                              (uint32_t{u[2]} << 8) | uint32_t{u[3]});
}

void PutInt(int32_t v, std::string* out) {
  const auto u = static_cast<uint32_t>(v);
  out->push_back(static_cast<char>(u >> 24));
  out->push_back(static_cast<char>((u >> 16) & 0xff));
  out->push_back(static_cast<char>((u >> 8) & 0xff));
  out->push_back(static_cast<char>(u & 0xff));
}

template <typename Str>
void Encode(std::span<const Str> items, std::string* out) {
  size_t bytes = 4;
  for (const auto& s : items) bytes += 4 + s.size();
  out->reserve(out->size() + bytes);
  PutInt(static_cast<int32_t>(items.size()), out);
  for (const auto& s : items) {
    PutInt(static_cast<int32_t>(s.size()), out);
    out->append(s.data(), s.size());
  }
}

}  // namespace

void DecodeTextList(std::string_view list, std::vector<std::string_view>* out) {
  out->clear();
  if (list.size() < 4) ThrowInvalid("Malformed list value ({} bytes)", list.size());
  const int32_t n = ReadInt(list.data());
  if (n < 0 || static_cast<size_t>(n) > (list.size() - 4) / 4) {
    ThrowInvalid("Malformed list value: {} elements in {} bytes", n, list.size());
  }
  out->reserve(static_cast<size_t>(n));
  size_t pos = 4;
  for (int32_t i = 0; i < n; ++i) {
    if (list.size() - pos < 4) ThrowInvalid("Malformed list value: truncated element {}", i);
    const int32_t len = ReadInt(list.data() + pos);
    pos += 4;
    if (len < 0) continue;
    if (static_cast<size_t>(len) > list.size() - pos) {
      ThrowInvalid("Malformed list value: element {} of {} bytes is truncated", i, len);
    }
    out->emplace_back(list.data() + pos, static_cast<size_t>(len));
    pos += static_cast<size_t>(len);
  }
  if (pos != list.size())
    ThrowInvalid("Malformed list value: {} trailing bytes", list.size() - pos);
}

void EncodeTextList(std::span<const std::string_view> items, std::string* out) {
  Encode(items, out);
}

void EncodeTextList(std::span<const std::string> items, std::string* out) {
  Encode(items, out);
}

}  // namespace helenus::ml

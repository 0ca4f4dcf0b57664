#include "helenus/cql/wire.h"

#include <gtest/gtest.h>

#include "helenus/common/error.h"

namespace helenus::cql {
namespace {

using namespace std::string_literals;

ErrorCode CodeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const CqlError& e) {
    return e.code();
  }
  return ErrorCode::kServer;
}

TEST(WireTest, PrimitivesRoundTrip) {
  WireWriter w;
  w.WriteByte(0xAB);
  w.WriteShort(0xFFFE);
  w.WriteInt(-2);
  w.WriteLong(INT64_MIN);
  w.WriteString("héllo");
  w.WriteLongString("long");
  w.WriteBytes(Value{"xyz"});
  w.WriteBytes(Value{});
  w.WriteShortBytes("id");
  w.WriteStringList({"a", "bc"});
  w.WriteStringMultimap({{"K", {"v1", "v2"}}, {"E", {}}});

  WireReader r(w.buffer());
  EXPECT_EQ(r.ReadByte(), 0xAB);
  EXPECT_EQ(r.ReadShort(), 0xFFFE);
  EXPECT_EQ(r.ReadInt(), -2);
  EXPECT_EQ(r.ReadLong(), INT64_MIN);
  EXPECT_EQ(r.ReadString(), "héllo");
  EXPECT_EQ(r.ReadLongString(), "long");
  EXPECT_EQ(r.ReadBytes(), Value{"xyz"});
  EXPECT_EQ(r.ReadBytes(), std::nullopt);
  EXPECT_EQ(r.ReadShortBytes(), "id");
  EXPECT_EQ(r.ReadStringList(), (std::vector<std::string>{"a", "bc"}));
  auto mm = r.ReadStringMultimap();
  EXPECT_EQ(mm.size(), 2u);
  EXPECT_EQ(mm["K"], (std::vector<std::string>{"v1", "v2"}));
  EXPECT_TRUE(mm["E"].empty());
  EXPECT_TRUE(r.AtEnd());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(WireTest, BigEndianLayout) {
  WireWriter w;
  w.WriteShort(0x0102);
  w.WriteInt(0x03040506);
  w.WriteLong(0x0708090A0B0C0D0ELL);
  w.WriteString("a");
  w.WriteBytes(Value{});
  EXPECT_EQ(w.buffer(),
            "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0A\x0B\x0C\x0D\x0E\x00\x01"
            "a\xFF\xFF\xFF\xFF"s);
}

TEST(WireTest, PatchIntOverwritesLaterLength) {
  WireWriter w;
  size_t at = w.size();
  w.WriteInt(0);
  w.WriteRaw("abc");
  w.PatchInt(at, 3);
  EXPECT_EQ(w.buffer(),
            "\x00\x00\x00\x03"
            "abc"s);
}

TEST(WireTest, ValueStates) {
  WireWriter w;
  w.WriteInt(-1);
  w.WriteInt(-2);
  w.WriteInt(1);
  w.WriteByte('x');
  w.WriteInt(-3);
  WireReader r(w.buffer());
  bool unset = true;
  EXPECT_EQ(r.ReadValue(&unset), std::nullopt);
  EXPECT_FALSE(unset);
  EXPECT_EQ(r.ReadValue(&unset), std::nullopt);
  EXPECT_TRUE(unset);
  EXPECT_EQ(r.ReadValue(&unset), Value{"x"});
  EXPECT_FALSE(unset);
  EXPECT_EQ(CodeOf([&] { r.ReadValue(&unset); }), ErrorCode::kProtocol);
}

TEST(WireTest, UuidAndInet) {
  WireWriter w;
  std::string uuid(16, '\x11');
  w.WriteRaw(uuid);
  w.WriteByte(4);
  w.WriteRaw("\x7F\x00\x00\x01"s);
  w.WriteInt(9042);
  WireReader r(w.buffer());
  EXPECT_EQ(r.ReadUuid(), uuid);
  auto [addr, port] = r.ReadInet();
  EXPECT_EQ(addr, "\x7F\x00\x00\x01"s);
  EXPECT_EQ(port, 9042);
  EXPECT_TRUE(r.AtEnd());

  const std::string bad_inet = "\x05\x01\x02\x03\x04\x05\x00\x00\x00\x00"s;
  WireReader bad(bad_inet);
  EXPECT_EQ(CodeOf([&] { bad.ReadInet(); }), ErrorCode::kProtocol);
}

TEST(WireTest, EveryTruncationThrowsProtocol) {
  WireWriter w;
  w.WriteShort(7);
  w.WriteInt(1);
  w.WriteLong(2);
  w.WriteString("abc");
  w.WriteLongString("defg");
  w.WriteBytes(Value{"hi"});
  w.WriteShortBytes("id");
  w.WriteStringList({"x"});
  w.WriteStringMultimap({{"k", {"v"}}});
  const std::string full = w.buffer();
  for (size_t cut = 0; cut < full.size(); ++cut) {
    WireReader r(std::string_view(full).substr(0, cut));
    auto code = CodeOf([&] {
      r.ReadShort();
      r.ReadInt();
      r.ReadLong();
      r.ReadString();
      r.ReadLongString();
      r.ReadBytes();
      r.ReadShortBytes();
      r.ReadStringList();
      r.ReadStringMultimap();
    });
    EXPECT_EQ(code, ErrorCode::kProtocol) << "cut at " << cut;
  }
}

TEST(WireTest, HugeLengthsDoNotAllocate) {
  const std::string huge = "\x7F\xFF\xFF\xFF"s, negative = "\xFF\xFF\xFF\xF0"s, many = "\xFF\xFF"s;
  WireReader r(huge);
  EXPECT_EQ(CodeOf([&] { r.ReadBytes(); }), ErrorCode::kProtocol);
  WireReader s(negative);
  EXPECT_EQ(CodeOf([&] { s.ReadLongString(); }), ErrorCode::kProtocol);
  WireReader l(many);
  EXPECT_EQ(CodeOf([&] { l.ReadStringList(); }), ErrorCode::kProtocol);
}

}  // namespace
}  // namespace helenus::cql

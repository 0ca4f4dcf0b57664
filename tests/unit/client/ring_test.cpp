#include "client/ring.h"

#include <gtest/gtest.h>

#include "helenus/client/statement.h"
#include "helenus/client/values.h"
#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::client {
namespace {

TEST(TokenRingTest, OwnerIsTheFirstTokenAtOrAfterWithWrapAround) {
  TokenRing ring;
  EXPECT_EQ(ring.Owner(0), -1);
  ring.Add(0, {-100, 50});
  ring.Add(1, {0, 1000});
  ring.Build();
  EXPECT_EQ(ring.size(), 4u);
  EXPECT_EQ(ring.Owner(-100), 0);
  EXPECT_EQ(ring.Owner(-99), 1);
  EXPECT_EQ(ring.Owner(0), 1);
  EXPECT_EQ(ring.Owner(1), 0);
  EXPECT_EQ(ring.Owner(51), 1);
  EXPECT_EQ(ring.Owner(1001), 0);  // wraps to the smallest token
  EXPECT_EQ(ring.Owner(INT64_MIN), 0);
}

TEST(StatementTest, IdempotenceDefaultsToReads) {
  EXPECT_TRUE(Statement("  select * from t").IsIdempotent());
  EXPECT_FALSE(Statement("INSERT INTO t (k) VALUES (1)").IsIdempotent());
  Statement w("UPDATE t SET v = 1 WHERE k = 1");
  w.idempotent = true;
  EXPECT_TRUE(w.IsIdempotent());
  Statement r("SELECT 1");
  r.idempotent = false;
  EXPECT_FALSE(r.IsIdempotent());
}

TEST(ValuesTest, BuildersSerializeLikeTheCodec) {
  EXPECT_EQ(Int(7).bytes, cql::EncodeInt(7));
  EXPECT_EQ(Bigint(-1).bytes, cql::EncodeBigint(-1));
  EXPECT_EQ(Double(0.5).bytes, cql::EncodeDouble(0.5));
  EXPECT_EQ(Boolean(true).bytes, cql::EncodeBoolean(true));
  EXPECT_EQ(Null().state, cql::BoundValue::State::kNull);
  EXPECT_EQ(Unset().state, cql::BoundValue::State::kUnset);
  EXPECT_EQ(Uuid("123e4567-e89b-12d3-a456-426655440000").bytes.size(), 16u);
  EXPECT_THROW(Uuid("nope"), CqlError);
  EXPECT_EQ(FromText(DataType::Of(TypeKind::kInt), "42").bytes, cql::EncodeInt(42));
  EXPECT_EQ(FromText(DataType::Of(TypeKind::kDouble), "2.5").bytes, cql::EncodeDouble(2.5));
  EXPECT_EQ(FromText(DataType::Of(TypeKind::kBoolean), "TRUE").bytes, cql::EncodeBoolean(true));
  EXPECT_EQ(FromText(DataType::Of(TypeKind::kText), "a,b").bytes, "a,b");
  EXPECT_EQ(FromText(DataType::Of(TypeKind::kBlob), "0x0aff").bytes, std::string("\x0a\xff"));
  EXPECT_EQ(FromText(DataType::Of(TypeKind::kTimestamp), "2020-01-02").bytes,
            cql::ParseTimestamp("2020-01-02"));
  EXPECT_THROW(FromText(DataType::Of(TypeKind::kInt), "4x"), CqlError);
  EXPECT_THROW(FromText(DataType::Of(TypeKind::kInt), "99999999999"), CqlError);
  EXPECT_THROW(FromText(DataType::List(DataType::Of(TypeKind::kInt)), "[1]"), CqlError);
}

}  // namespace
}  // namespace helenus::client

#include "helenus/shell/copy.h"

#include <gtest/gtest.h>

#include "helenus/common/error.h"
#include "helenus/shell/histogram.h"

namespace helenus::shell {
namespace {

TEST(ParseCopy, FromWithOptions) {
  auto c = ParseCopy(
      "COPY ks.wines (a, \"B\") FROM '/tmp/x.csv' WITH DELIMITER=';' AND HEADER=false "
      "AND NULL='NA' AND QUOTE='\"' AND ESCAPE='\\' AND MAXBATCHSIZE=50 AND MAXREQUESTS=64 "
      "AND ERRFILE='bad.err'");
  EXPECT_TRUE(c.from);
  EXPECT_EQ(c.keyspace, "ks");
  EXPECT_EQ(c.table, "wines");
  EXPECT_EQ(c.columns, (std::vector<std::string>{"a", "B"}));
  EXPECT_EQ(c.file, "/tmp/x.csv");
  EXPECT_EQ(c.load.csv.delimiter, ';');
  EXPECT_EQ(c.load.csv.null_marker, "NA");
  EXPECT_EQ(c.load.csv.escape, '\\');
  EXPECT_FALSE(c.load.header);
  EXPECT_EQ(c.load.max_batch_size, 50);
  EXPECT_EQ(c.load.max_requests, 64);
  EXPECT_EQ(c.load.reject_file, "bad.err");
}

TEST(ParseCopy, ToAndErrors) {
  auto c = ParseCopy("copy t TO 'out.csv' with header = true and delimiter = '\\t'");
  EXPECT_FALSE(c.from);
  EXPECT_EQ(c.keyspace, "");
  EXPECT_TRUE(c.load.header);
  EXPECT_EQ(c.load.csv.delimiter, '\t');
  EXPECT_TRUE(IsCopyStatement("  COPY t FROM 'x'"));
  EXPECT_FALSE(IsCopyStatement("COPYING"));
  EXPECT_THROW(ParseCopy("COPY t INTO 'x'"), CqlError);
  EXPECT_THROW(ParseCopy("COPY t FROM 'x' WITH BOGUS=1"), CqlError);
  EXPECT_THROW(ParseCopy("COPY t FROM 'x' WITH HEADER=maybe"), CqlError);
}

TEST(LatencyHistogram, PercentilesWithinResolution) {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 100000; ++v) h.Record(v);
  EXPECT_EQ(h.count(), 100000u);
  auto near = [](uint64_t got, double want) {
    return std::abs(static_cast<double>(got) - want) <= want * 0.04;
  };
  EXPECT_TRUE(near(h.Percentile(0.5), 50000)) << h.Percentile(0.5);
  EXPECT_TRUE(near(h.Percentile(0.99), 99000)) << h.Percentile(0.99);
  EXPECT_TRUE(near(h.Percentile(0.999), 99900)) << h.Percentile(0.999);
  EXPECT_EQ(h.max(), 100000u);
  LatencyHistogram small;
  small.Record(3);
  EXPECT_EQ(small.Percentile(0.5), 3u);
  h.Merge(small);
  EXPECT_EQ(h.count(), 100001u);
}

}  // namespace
}  // namespace helenus::shell

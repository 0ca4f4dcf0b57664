#include <random>

#include <gtest/gtest.h>

#include "helenus/common/error.h"
#include "helenus/cql/parser.h"

namespace helenus::cql {
namespace {

// Valid statements whose mutations exercise the error paths.
constexpr const char* kSeeds[] = {
    "SELECT a, count(*), writetime(b) AS w FROM ks.t WHERE k = ? AND c IN (1, 2) AND "
    "(x, y) > (1, 'a') AND token(k) > 5 ORDER BY c DESC LIMIT 10 ALLOW FILTERING",
    "INSERT INTO t (a, b, c, d) VALUES ('x', [1, 2], {'k': 0x01}, (int) ?) IF NOT EXISTS USING "
    "TTL 5",
    "UPDATE t USING TIMESTAMP 3 SET a = a + 1, m['k'] = :v, l = [1] + l WHERE k = 1 IF v = 2",
    "DELETE m['a'], b FROM t WHERE k = 1 AND c >= 2 IF EXISTS",
    "BEGIN UNLOGGED BATCH INSERT INTO t (k) VALUES (1); DELETE FROM t WHERE k = 2; APPLY BATCH",
    "CREATE TABLE IF NOT EXISTS ks.t (k int, c text, v map<text, frozen<list<int>>>, s int "
    "static, PRIMARY KEY ((k), c)) WITH CLUSTERING ORDER BY (c DESC) AND comment = 'x'",
    "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    "ALTER TABLE t RENAME a TO b AND c TO d",
    "CREATE CUSTOM INDEX i ON t (KEYS(m)) USING 'c' WITH OPTIONS = {'a': 'b'}",
    "SELECT JSON DISTINCT CAST(a AS text), u.f, m[1] FROM t WHERE x = 1h30m AND y = -NaN",
};

// Every mutation either parses or throws CqlError; nothing else escapes and
// nothing crashes (run under ASan to check memory safety too).
TEST(ParserRobustnessTest, MutatedStatementsOnlyThrowCqlError) {
  std::mt19937 rng(12345);
  const std::string alphabet = "()[]{},;.:*?=<>!+-'\"$/ \n0123456789abcxyzKEY";
  size_t parsed = 0;
  size_t rejected = 0;
  for (const char* seed : kSeeds) {
    ASSERT_NO_THROW(ParseStatement(seed)) << seed;
    for (int i = 0; i < 2000; ++i) {
      std::string s = seed;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !s.empty(); ++e) {
        size_t at = rng() % s.size();
        switch (rng() % 4) {
          case 0:
            s.erase(at, 1 + rng() % 3);
            break;
          case 1:
            s.insert(at, 1, alphabet[rng() % alphabet.size()]);
            break;
          case 2:
            s[at] = alphabet[rng() % alphabet.size()];
            break;
          default:
            s.resize(at);
            break;
        }
      }
      try {
        ParseStatement(s);
        SplitStatements(s);
        ++parsed;
      } catch (const CqlError&) {
        ++rejected;
      }
    }
  }
  EXPECT_GT(rejected, 0u);
  EXPECT_GT(parsed, 0u);
}

TEST(ParserRobustnessTest, BinaryGarbage) {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 64, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 256);
    try {
      ParseStatement(s);
    } catch (const CqlError&) {
    }
    SplitStatements(s);
  }
}

}  // namespace
}  // namespace helenus::cql

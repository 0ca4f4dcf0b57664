#include <random>

#include <gtest/gtest.h>

#include "helenus/common/error.h"
#include "helenus/sql/analyzer.h"
#include "helenus/sql/parser.h"

namespace helenus::sql {
namespace {

// Valid statements whose mutations exercise the error paths.
constexpr const char* kSeeds[] = {
    "SELECT a, count(*) AS n, avg(c) FROM ks.t WHERE a > 1 AND b LIKE 'x%' GROUP BY a "
    "HAVING count(*) > 1 ORDER BY n DESC NULLS LAST LIMIT 10 OFFSET 2 ALLOW FILTERING",
    "SELECT t.*, u.b || '!' FROM t JOIN u ON t.a = u.a LEFT JOIN v ON v.c = t.c CROSS JOIN w, x "
    "WHERE t.c BETWEEN 1.5 AND 2e3 OR u.a NOT IN (1, 2, 3)",
    "SELECT DISTINCT CASE a WHEN 1 THEN 'one' ELSE 'many' END, CAST(c AS bigint) % 7 / 2 "
    "FROM (SELECT a, c FROM t UNION ALL SELECT a, c FROM u) s ORDER BY 1",
    "(SELECT a FROM t ORDER BY a LIMIT 1) UNION (SELECT a FROM u) ORDER BY 1",
    "INSERT INTO ks.t (a, b) SELECT a, b FROM u WHERE c IS NOT NULL",
    "SELECT * FROM t FULL JOIN u USING (a, b) WHERE t.c > u.c",
    "CREATE TABLE ks.t (a int PRIMARY KEY, n bigint) AS SELECT a, count(*) FROM u GROUP BY 1",
    "EXPLAIN SELECT -a, NOT b = 'x', 0xcafe, 123e4567-e89b-12d3-a456-426655440000, NaN FROM t "
    "LEFT SEMI JOIN u ON t.a = u.a",
};

exec::PlanPtr AnyTable(std::string_view, std::string_view table, std::string_view alias) {
  exec::Schema schema;
  std::string q = alias.empty() ? std::string(table) : std::string(alias);
  schema.fields = {{"a", DataType::Of(TypeKind::kInt), q},
                   {"b", DataType::Of(TypeKind::kText), q},
                   {"c", DataType::Of(TypeKind::kDouble), q}};
  return exec::PlanValues(schema, {});
}

// The query a statement runs, or nullptr for those without one (ML statements
// other than CREATE MODEL, whose ON query is optional or absent).
const Query* QueryOf(const Statement& s) {
  return std::visit(
      [](const auto& x) -> const Query* {
        if constexpr (requires { x.query; }) {
          return &x.query;
        } else {
          return nullptr;
        }
      },
      s);
}

// Every mutation either parses and plans or throws CqlError; nothing else
// escapes and nothing crashes (run under ASan to check memory safety too).
TEST(SqlRobustnessTest, MutatedStatementsOnlyThrowCqlError) {
  std::mt19937 rng(2024);
  const std::string alphabet = "()[]{},;.:*?=<>!+-/%|'\"$ \n0123456789abctuxyzASONJ";
  size_t planned = 0;
  size_t rejected = 0;
  for (const char* seed : kSeeds) {
    ASSERT_NO_THROW(PlanQuery(*QueryOf(Parse(seed)), AnyTable)) << seed;
    for (int i = 0; i < 1500; ++i) {
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
        const Statement parsed = Parse(s);
        if (const Query* q = QueryOf(parsed)) {
          exec::PlanPhysical(PlanQuery(*q, AnyTable));
          ++planned;
        }
      } catch (const CqlError&) {
        ++rejected;
      }
    }
  }
  EXPECT_GT(rejected, 0u);
  EXPECT_GT(planned, 0u);
}

TEST(SqlRobustnessTest, BinaryGarbage) {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 64, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 256);
    if (i % 2) s = "SELECT " + s;
    try {
      Parse(s);
    } catch (const CqlError&) {
    }
  }
}

}  // namespace
}  // namespace helenus::sql

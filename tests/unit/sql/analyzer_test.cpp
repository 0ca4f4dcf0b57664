#include "helenus/sql/analyzer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "helenus/common/error.h"
#include "helenus/exec/pool.h"
#include "helenus/sql/parser.h"

namespace helenus::sql {
namespace {

using exec::Batch;
using exec::Column;
using exec::PlanPtr;
using exec::Schema;

DataType T(TypeKind k) {
  return DataType::Of(k);
}

// A cell of a test table: an int, a double, a string or NULL.
struct Cell {
  enum class Kind { kNull, kInt, kDouble, kText } kind;
  int64_t i = 0;
  double d = 0;
  std::string s;
  Cell(std::nullptr_t) : kind(Kind::kNull) {}       // NOLINT implicit
  Cell(int v) : kind(Kind::kInt), i(v) {}           // NOLINT implicit
  Cell(double v) : kind(Kind::kDouble), d(v) {}     // NOLINT implicit
  Cell(const char* v) : kind(Kind::kText), s(v) {}  // NOLINT implicit
};

// A table in memory: fields (unqualified) and rows.
struct Table {
  std::vector<exec::Field> fields;
  std::vector<std::vector<Cell>> rows;
};

Batch MakeBatch(const Table& t) {
  Batch b;
  for (size_t c = 0; c < t.fields.size(); ++c) {
    Column col = Column::Make(t.fields[c].type);
    for (const auto& row : t.rows) {
      const Cell& cell = row[c];
      switch (cell.kind) {
        case Cell::Kind::kNull:
          col.AppendNull();
          break;
        case Cell::Kind::kInt:
          col.AppendInt(cell.i);
          break;
        case Cell::Kind::kDouble:
          col.AppendDouble(cell.d);
          break;
        case Cell::Kind::kText:
          col.AppendString(cell.s);
          break;
      }
    }
    b.columns.push_back(std::move(col));
  }
  b.num_rows = t.rows.size();
  return b;
}

class AnalyzerTest : public ::testing::Test {
 protected:
  AnalyzerTest() {
    tables_["movies"] =
        Table{{{"id", T(TypeKind::kInt), ""},
               {"title", T(TypeKind::kText), ""},
               {"year", T(TypeKind::kInt), ""}},
              {{1, "Alien", 1979}, {2, "Brazil", 1985}, {3, "Cube", 1997}, {4, "Dune", nullptr}}};
    tables_["ratings"] =
        Table{{{"movie", T(TypeKind::kInt), ""},
               {"user_id", T(TypeKind::kInt), ""},
               {"rating", T(TypeKind::kDouble), ""}},
              {{1, 10, 4.0}, {1, 11, 5.0}, {2, 10, 3.0}, {2, 12, 4.0}, {2, 13, 2.0}, {5, 10, 1.0}}};
    tables_["reviews"] = Table{{{"id", T(TypeKind::kInt), ""}, {"note", T(TypeKind::kText), ""}},
                               {{1, "scary"}, {3, "square"}, {7, "lost"}}};
  }

  // The resolver the caller of PlanQuery provides: fields qualified by the
  // alias, else the table name, as PlanScan does.
  TableResolver Resolver() {
    return [this](std::string_view ks, std::string_view table, std::string_view alias) {
      ++resolved_;
      auto it = tables_.find(std::string(table));
      if (it == tables_.end() || !(ks.empty() || ks == "ks")) {
        ThrowInvalid("table {} does not exist", table);
      }
      Schema schema;
      schema.fields = it->second.fields;
      for (auto& f : schema.fields) f.qualifier = alias.empty() ? std::string(table) : alias;
      return exec::PlanValues(schema, {MakeBatch(it->second)});
    };
  }

  PlanPtr Plan(std::string_view sql) {
    Statement s = Parse(sql);
    return PlanQuery(std::get<Select>(s).query, Resolver());
  }

  // The result rows as "a|b|c" lines, in result order.
  std::vector<std::string> Rows(std::string_view sql) {
    PlanPtr plan = Plan(sql);
    exec::ExecContext ctx;
    ctx.pool = &exec::ComputePool::Default();
    std::vector<std::string> out;
    for (const Batch& b : exec::CollectAll(exec::PlanPhysical(plan), ctx)) {
      for (size_t r = 0; r < b.num_rows; ++r) {
        std::string line;
        for (size_t c = 0; c < b.columns.size(); ++c) {
          if (c) line += '|';
          const Column& col = b.columns[c];
          // Doubles in the shortest form that reads back, whatever TextAt prefers.
          bool plain_double = col.physical() == exec::Physical::kDouble && !col.IsNull(r);
          line += plain_double ? fmt::format("{}", col.doubles[r]) : exec::TextAt(col, r);
        }
        out.push_back(std::move(line));
      }
    }
    return out;
  }

  // Rows in sorted order, for queries without ORDER BY.
  std::vector<std::string> SortedRows(std::string_view sql) {
    auto rows = Rows(sql);
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  // "name:type" of each output column.
  std::string Columns(std::string_view sql) {
    PlanPtr plan = Plan(sql);
    std::string out;
    for (const auto& f : plan->schema.fields) {
      if (!out.empty()) out += ", ";
      out += (f.qualifier.empty() ? "" : f.qualifier + ".") + f.name + ":" + f.type.ToCql();
    }
    return out;
  }

  void ExpectInvalid(std::string_view sql, std::string_view want) {
    try {
      Plan(sql);
      ADD_FAILURE() << "planned without error: " << sql;
    } catch (const CqlError& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalid) << e.what();
      EXPECT_NE(std::string(e.what()).find(want), std::string::npos)
          << "message: " << e.what() << "\nwanted: " << want << "\nquery: " << sql;
    }
  }

  std::map<std::string, Table> tables_;
  int resolved_ = 0;
};

using Lines = std::vector<std::string>;

// The node kinds of a plan, outermost first, following first inputs.
std::string Shape(const PlanPtr& plan) {
  static constexpr const char* kNames[] = {"Scan",      "Values", "Filter", "Project",
                                           "Aggregate", "Join",   "Sort",   "Limit",
                                           "Distinct",  "Union",  "Split",  "Alias"};
  std::string out = kNames[plan->node.index()];
  PlanPtr child = std::visit(
      [](const auto& n) -> PlanPtr {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, exec::ScanNode> || std::is_same_v<N, exec::ValuesNode>) {
          return nullptr;
        } else if constexpr (std::is_same_v<N, exec::JoinNode>) {
          return nullptr;
        } else if constexpr (std::is_same_v<N, exec::UnionNode>) {
          return nullptr;
        } else {
          return n.input;
        }
      },
      plan->node);
  return child ? out + "(" + Shape(child) + ")" : out;
}

// The first node of type N met going down first inputs (null when none).
template <typename N>
const N* FindNode(const PlanPtr& plan) {
  if (const auto* n = std::get_if<N>(&plan->node)) return n;
  if (const auto* j = std::get_if<exec::JoinNode>(&plan->node)) {
    if (const N* n = FindNode<N>(j->left)) return n;
    return FindNode<N>(j->right);
  }
  if (const auto* u = std::get_if<exec::UnionNode>(&plan->node)) return FindNode<N>(u->inputs[0]);
  PlanPtr child = std::visit(
      [](const auto& n) -> PlanPtr {
        if constexpr (requires { n.input; }) {
          return n.input;
        } else {
          return nullptr;
        }
      },
      plan->node);
  return child ? FindNode<N>(child) : nullptr;
}

// ---------------------------------------------------------------- select lists

TEST_F(AnalyzerTest, SelectStar) {
  EXPECT_EQ(Columns("SELECT * FROM movies"), "movies.id:int, movies.title:text, movies.year:int");
  EXPECT_EQ(Columns("SELECT * FROM movies m"), "m.id:int, m.title:text, m.year:int");
  EXPECT_EQ(SortedRows("SELECT * FROM movies"),
            (Lines{"1|Alien|1979", "2|Brazil|1985", "3|Cube|1997", "4|Dune|null"}));
}

TEST_F(AnalyzerTest, OutputNames) {
  EXPECT_EQ(Columns("SELECT id, title AS t, year + 1, lower(title), m.year FROM movies m"),
            "m.id:int, m.t:text, (year + 1):bigint, lower(title):text, m.year:int");
  EXPECT_EQ(Columns("SELECT count(*), avg(rating) FROM ratings"),
            "count(*):bigint, avg(rating):double");
}

TEST_F(AnalyzerTest, QualifiedStar) {
  EXPECT_EQ(Columns("SELECT r.*, m.title FROM movies m JOIN ratings r ON m.id = r.movie"),
            "r.movie:int, r.user_id:int, r.rating:double, m.title:text");
  ExpectInvalid("SELECT x.* FROM movies m", "Unknown table or alias x in x.*");
}

TEST_F(AnalyzerTest, Where) {
  EXPECT_EQ(SortedRows("SELECT title FROM movies WHERE year > 1980"), (Lines{"Brazil", "Cube"}));
  EXPECT_EQ(SortedRows("SELECT title FROM movies WHERE title LIKE 'B%' OR id IN (3, 9)"),
            (Lines{"Brazil", "Cube"}));
  EXPECT_EQ(SortedRows("SELECT id FROM movies WHERE year BETWEEN 1980 AND 1990 OR year IS NULL"),
            (Lines{"2", "4"}));
  EXPECT_EQ(SortedRows("SELECT CASE WHEN year < 1990 THEN 'old' ELSE 'new' END, "
                       "CAST(id AS bigint) * 2 FROM movies WHERE year IS NOT NULL"),
            (Lines{"new|6", "old|2", "old|4"}));
}

TEST_F(AnalyzerTest, UnknownAndAmbiguousColumns) {
  ExpectInvalid("SELECT nosuch FROM movies", "Undefined column name nosuch");
  ExpectInvalid("SELECT id FROM movies WHERE nosuch = 1", "Undefined column name nosuch");
  ExpectInvalid("SELECT m.nosuch FROM movies m", "Undefined column name m.nosuch");
  ExpectInvalid("SELECT id FROM movies a JOIN movies b ON a.id = b.id",
                "Column reference id is ambiguous");
  ExpectInvalid("SELECT a.id FROM movies a JOIN movies b ON id = 1",
                "Column reference id is ambiguous");
  ExpectInvalid("SELECT id FROM nosuch", "table nosuch does not exist");
}

TEST_F(AnalyzerTest, AggregatesInWhere) {
  ExpectInvalid("SELECT movie FROM ratings WHERE count(*) > 1",
                "Aggregate functions are not allowed in WHERE");
  ExpectInvalid("SELECT movie FROM ratings WHERE avg(rating) > 1 GROUP BY movie",
                "Aggregate functions are not allowed in WHERE");
}

// ---------------------------------------------------------------- aggregation

TEST_F(AnalyzerTest, GroupBy) {
  EXPECT_EQ(Columns("SELECT movie, count(*), avg(rating) FROM ratings GROUP BY movie"),
            "ratings.movie:int, count(*):bigint, avg(rating):double");
  EXPECT_EQ(Rows("SELECT movie, count(*), avg(rating) FROM ratings GROUP BY movie ORDER BY movie"),
            (Lines{"1|2|4.5", "2|3|3", "5|1|1"}));
}

TEST_F(AnalyzerTest, GlobalAggregates) {
  EXPECT_EQ(Rows("SELECT count(*), max(rating), min(rating), count(DISTINCT user_id) FROM ratings"),
            (Lines{"6|5|1|4"}));
  EXPECT_EQ(Rows("SELECT count(*), sum(rating) FROM ratings WHERE rating > 100"),
            (Lines{"0|null"}));
  EXPECT_EQ(Rows("SELECT count(*) + 1 AS n FROM ratings"), (Lines{"7"}));
}

TEST_F(AnalyzerTest, EachAggregateIsComputedOnce) {
  const char* sql =
      "SELECT movie, avg(rating), avg(rating) * 2 AS twice, count(*) FROM ratings GROUP BY movie "
      "HAVING avg(rating) > 2 AND count(*) > 1 ORDER BY avg(rating) DESC";
  PlanPtr plan = Plan(sql);
  const auto* agg = FindNode<exec::AggregateNode>(plan);
  ASSERT_NE(agg, nullptr);
  EXPECT_EQ(agg->keys.size(), 1u);
  ASSERT_EQ(agg->aggregates.size(), 2u);
  EXPECT_EQ(agg->agg_names, (std::vector<std::string>{"avg(rating)", "count(*)"}));
  EXPECT_EQ(Rows(sql), (Lines{"1|4.5|9|2", "2|3|6|3"}));
}

TEST_F(AnalyzerTest, GroupByAliasesAndPositions) {
  EXPECT_EQ(Rows("SELECT movie AS m, count(*) AS n FROM ratings GROUP BY m ORDER BY n DESC, m"),
            (Lines{"2|3", "1|2", "5|1"}));
  EXPECT_EQ(Rows("SELECT movie, count(*) FROM ratings GROUP BY 1 ORDER BY 1"),
            (Lines{"1|2", "2|3", "5|1"}));
  // An input column wins over an alias of the same name in GROUP BY.
  ExpectInvalid("SELECT user_id AS movie, count(*) FROM ratings GROUP BY movie",
                "column user_id must appear in the GROUP BY clause");
  ExpectInvalid("SELECT movie, count(*) FROM ratings GROUP BY 3",
                "GROUP BY position 3 is not in select list");
  ExpectInvalid("SELECT movie, count(*) FROM ratings GROUP BY 2",
                "Aggregate functions are not allowed in GROUP BY");
}

TEST_F(AnalyzerTest, GroupByExpressionsMatchStructurally) {
  EXPECT_EQ(Rows("SELECT year - year % 10 AS decade, count(*) FROM movies WHERE year IS NOT NULL "
                 "GROUP BY year - year % 10 ORDER BY 1"),
            (Lines{"1970|1", "1980|1", "1990|1"}));
  // `m.year` and `year` are the same column.
  EXPECT_EQ(SortedRows("SELECT m.year + 1 FROM movies m GROUP BY year"),
            (Lines{"1980", "1986", "1998", "null"}));
  EXPECT_EQ(Rows("SELECT lower(title) || '!' FROM movies GROUP BY title ORDER BY title"),
            (Lines{"alien!", "brazil!", "cube!", "dune!"}));
}

TEST_F(AnalyzerTest, Having) {
  EXPECT_EQ(Rows("SELECT movie, count(*) AS n FROM ratings GROUP BY movie HAVING n > 1 "
                 "ORDER BY movie"),
            (Lines{"1|2", "2|3"}));
  EXPECT_EQ(Rows("SELECT movie FROM ratings GROUP BY movie HAVING max(rating) >= 4 ORDER BY 1"),
            (Lines{"1", "2"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM ratings HAVING count(*) > 100"), Lines{});
  ExpectInvalid("SELECT movie FROM ratings GROUP BY movie HAVING rating > 1",
                "column rating must appear in the GROUP BY clause or be used in an aggregate "
                "function");
}

TEST_F(AnalyzerTest, NonGroupedColumns) {
  ExpectInvalid("SELECT movie, user_id, count(*) FROM ratings GROUP BY movie",
                "column user_id must appear in the GROUP BY clause or be used in an aggregate "
                "function");
  ExpectInvalid("SELECT r.user_id, count(*) FROM ratings r",
                "column r.user_id must appear in the GROUP BY clause");
  ExpectInvalid("SELECT movie, count(*) FROM ratings GROUP BY movie ORDER BY rating",
                "column rating must appear in the GROUP BY clause");
  ExpectInvalid("SELECT * FROM ratings GROUP BY movie",
                "column ratings.user_id must appear in the GROUP BY clause");
  // Unknown names are reported as such, not as ungrouped.
  ExpectInvalid("SELECT nosuch, count(*) FROM ratings GROUP BY movie",
                "Undefined column name nosuch");
}

TEST_F(AnalyzerTest, AggregateInOrderByMakesAnAggregateQuery) {
  EXPECT_EQ(Rows("SELECT movie FROM ratings GROUP BY movie ORDER BY count(*) DESC, movie"),
            (Lines{"2", "1", "5"}));
  ExpectInvalid("SELECT movie FROM ratings ORDER BY count(*)",
                "column movie must appear in the GROUP BY clause");
}

TEST_F(AnalyzerTest, NestedAggregates) {
  ExpectInvalid("SELECT sum(count(*)) FROM ratings", "not allowed");
}

// ---------------------------------------------------------------- joins

TEST_F(AnalyzerTest, InnerJoin) {
  EXPECT_EQ(Rows("SELECT m.title, r.rating FROM movies m JOIN ratings r ON m.id = r.movie "
                 "ORDER BY m.title, r.rating"),
            (Lines{"Alien|4", "Alien|5", "Brazil|2", "Brazil|3", "Brazil|4"}));
  EXPECT_EQ(Columns("SELECT * FROM movies m JOIN ratings r ON m.id = r.movie"),
            "m.id:int, m.title:text, m.year:int, r.movie:int, r.user_id:int, r.rating:double");
}

TEST_F(AnalyzerTest, OuterJoins) {
  EXPECT_EQ(SortedRows("SELECT m.id, r.rating FROM movies m LEFT JOIN ratings r ON m.id = r.movie "
                       "AND r.rating > 3"),
            (Lines{"1|4", "1|5", "2|4", "3|null", "4|null"}));
  EXPECT_EQ(SortedRows("SELECT m.id, r.movie FROM movies m RIGHT OUTER JOIN ratings r "
                       "ON m.id = r.movie WHERE r.user_id = 10"),
            (Lines{"1|1", "2|2", "null|5"}));
  EXPECT_EQ(SortedRows("SELECT m.id, v.id FROM movies m FULL JOIN reviews v ON m.id = v.id"),
            (Lines{"1|1", "2|null", "3|3", "4|null", "null|7"}));
}

TEST_F(AnalyzerTest, SemiAndAntiJoins) {
  EXPECT_EQ(Columns("SELECT * FROM movies m LEFT SEMI JOIN ratings r ON m.id = r.movie"),
            "m.id:int, m.title:text, m.year:int");
  EXPECT_EQ(SortedRows("SELECT title FROM movies m LEFT SEMI JOIN ratings r ON m.id = r.movie"),
            (Lines{"Alien", "Brazil"}));
  EXPECT_EQ(SortedRows("SELECT title FROM movies m LEFT ANTI JOIN ratings r ON m.id = r.movie"),
            (Lines{"Cube", "Dune"}));
}

TEST_F(AnalyzerTest, CrossAndCommaJoins) {
  EXPECT_EQ(Rows("SELECT count(*) FROM movies CROSS JOIN ratings"), (Lines{"24"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM movies, ratings"), (Lines{"24"}));
  // WHERE conditions relating both sides become the join's condition.
  const char* sql =
      "SELECT m.title, v.note FROM movies m, ratings r, reviews v "
      "WHERE m.id = r.movie AND v.id = m.id AND r.rating > 4 AND m.year < 2000";
  PlanPtr plan = Plan(sql);
  const auto* top = FindNode<exec::JoinNode>(plan);
  ASSERT_NE(top, nullptr);
  ASSERT_TRUE(top->condition);
  EXPECT_EQ(top->condition->ToString(), "(id = id)");
  const auto* inner = std::get_if<exec::JoinNode>(&top->left->node);
  ASSERT_NE(inner, nullptr);
  ASSERT_TRUE(inner->condition);
  EXPECT_EQ(inner->condition->ToString(), "(id = movie)");
  EXPECT_EQ(Rows(sql), (Lines{"Alien|scary"}));
}

TEST_F(AnalyzerTest, JoinUsing) {
  EXPECT_EQ(Columns("SELECT * FROM movies JOIN reviews USING (id)"),
            "movies.id:int, movies.title:text, movies.year:int, reviews.note:text");
  EXPECT_EQ(SortedRows("SELECT id, title, note FROM movies JOIN reviews USING (id)"),
            (Lines{"1|Alien|scary", "3|Cube|square"}));
  EXPECT_EQ(SortedRows("SELECT id, note FROM movies RIGHT JOIN reviews USING (id)"),
            (Lines{"1|scary", "3|square", "7|lost"}));
  EXPECT_EQ(Columns("SELECT * FROM movies FULL JOIN reviews USING (id)"),
            "id:int, movies.title:text, movies.year:int, reviews.note:text");
  EXPECT_EQ(SortedRows("SELECT id, title FROM movies FULL JOIN reviews USING (id)"),
            (Lines{"1|Alien", "2|Brazil", "3|Cube", "4|Dune", "7|null"}));
  EXPECT_EQ(SortedRows("SELECT * FROM movies LEFT ANTI JOIN reviews USING (id)"),
            (Lines{"2|Brazil|1985", "4|Dune|null"}));
  ExpectInvalid("SELECT * FROM movies JOIN ratings USING (id)",
                "USING column id does not exist in the right table");
  ExpectInvalid("SELECT * FROM movies JOIN reviews USING (id, id)",
                "Column id appears more than once in USING");
}

TEST_F(AnalyzerTest, JoinUsingSubqueriesWithTheSameQualifier) {
  EXPECT_EQ(SortedRows("SELECT * FROM (SELECT id, title FROM movies) "
                       "JOIN (SELECT id, year FROM movies WHERE year > 1980) USING (id)"),
            (Lines{"2|Brazil|1985", "3|Cube|1997"}));
}

TEST_F(AnalyzerTest, JoinConditionErrors) {
  ExpectInvalid("SELECT * FROM movies m JOIN ratings r ON m.title",
                "JOIN condition must be boolean");
  ExpectInvalid("SELECT * FROM movies m JOIN ratings r ON count(*) > 1",
                "Aggregate functions are not allowed in JOIN conditions");
}

// ---------------------------------------------------------------- subqueries

TEST_F(AnalyzerTest, SubqueryInFrom) {
  const char* sql =
      "SELECT s.movie, s.n FROM (SELECT movie, count(*) AS n FROM ratings GROUP BY movie) AS s "
      "WHERE s.n > 1 ORDER BY s.movie";
  EXPECT_EQ(Columns(sql), "s.movie:int, s.n:bigint");
  EXPECT_EQ(Rows(sql), (Lines{"1|2", "2|3"}));
  EXPECT_EQ(Rows("SELECT m.title, s.best FROM movies m JOIN (SELECT movie, max(rating) AS best "
                 "FROM ratings GROUP BY movie) s ON m.id = s.movie ORDER BY 2 DESC"),
            (Lines{"Alien|5", "Brazil|4"}));
}

// ---------------------------------------------------------------- ORDER BY, LIMIT, DISTINCT

TEST_F(AnalyzerTest, OrderByHiddenColumns) {
  const char* sql = "SELECT title FROM movies ORDER BY year DESC";
  EXPECT_EQ(Columns(sql), "movies.title:text");
  // DESC puts NULLs last, ASC first, unless told otherwise.
  EXPECT_EQ(Rows(sql), (Lines{"Cube", "Brazil", "Alien", "Dune"}));
  EXPECT_EQ(Rows("SELECT title FROM movies ORDER BY year"),
            (Lines{"Dune", "Alien", "Brazil", "Cube"}));
  EXPECT_EQ(Rows("SELECT title FROM movies ORDER BY year NULLS LAST"),
            (Lines{"Alien", "Brazil", "Cube", "Dune"}));
  EXPECT_EQ(Rows("SELECT title FROM movies ORDER BY year DESC NULLS FIRST"),
            (Lines{"Dune", "Cube", "Brazil", "Alien"}));
  EXPECT_EQ(Rows("SELECT id FROM movies ORDER BY length(title) DESC, id"),
            (Lines{"2", "1", "3", "4"}));
}

TEST_F(AnalyzerTest, OrderByPositionsAndAliases) {
  EXPECT_EQ(Rows("SELECT title AS t, year FROM movies ORDER BY 2 DESC NULLS LAST"),
            (Lines{"Cube|1997", "Brazil|1985", "Alien|1979", "Dune|null"}));
  EXPECT_EQ(Rows("SELECT id AS title FROM movies ORDER BY title DESC"),
            (Lines{"4", "3", "2", "1"}));
  EXPECT_EQ(Rows("SELECT id, -id AS neg FROM movies ORDER BY neg LIMIT 2"),
            (Lines{"4|-4", "3|-3"}));
  EXPECT_EQ(Rows("SELECT id + 1 FROM movies ORDER BY id + 1 DESC LIMIT 1"), (Lines{"5"}));
  // Aliases inside ORDER BY expressions, and qualified names of selected columns.
  EXPECT_EQ(Rows("SELECT id AS k FROM movies ORDER BY k % 2, k DESC"), (Lines{"4", "2", "3", "1"}));
  EXPECT_EQ(Rows("SELECT m.title FROM movies m ORDER BY m.title DESC LIMIT 1"), (Lines{"Dune"}));
  ExpectInvalid("SELECT id FROM movies ORDER BY 2", "ORDER BY position 2 is not in select list");
  ExpectInvalid("SELECT id FROM movies ORDER BY 0", "ORDER BY position 0 is not in select list");
  ExpectInvalid("SELECT id AS x, title AS x FROM movies ORDER BY x", "ORDER BY x is ambiguous");
}

TEST_F(AnalyzerTest, OrderByRepeatedNames) {
  const char* sql =
      "SELECT m.id, r.movie AS id FROM movies m JOIN ratings r ON m.id = r.movie "
      "ORDER BY 2 DESC, r.user_id LIMIT 2";
  EXPECT_EQ(Columns(sql), "m.id:int, r.id:int");
  EXPECT_EQ(Rows(sql), (Lines{"2|2", "2|2"}));
}

TEST_F(AnalyzerTest, LimitAndOffset) {
  EXPECT_EQ(Rows("SELECT id FROM movies ORDER BY id LIMIT 2 OFFSET 1"), (Lines{"2", "3"}));
  EXPECT_EQ(Rows("SELECT id FROM movies ORDER BY id OFFSET 3"), (Lines{"4"}));
  EXPECT_EQ(Rows("SELECT id FROM movies LIMIT 0"), Lines{});
  EXPECT_EQ(Rows("SELECT id FROM movies ORDER BY id LIMIT 9223372036854775807 OFFSET 2"),
            (Lines{"3", "4"}));
  EXPECT_EQ(Rows("SELECT id FROM movies ORDER BY id OFFSET 9223372036854775807"), Lines{});
  // ORDER BY + LIMIT stay adjacent so the physical planner can keep a top-N.
  EXPECT_EQ(Shape(Plan("SELECT title FROM movies ORDER BY year LIMIT 2")),
            "Project(Limit(Sort(Project(Values))))");
  EXPECT_EQ(Shape(Plan("SELECT title FROM movies ORDER BY title LIMIT 2")),
            "Limit(Sort(Project(Values)))");
}

TEST_F(AnalyzerTest, Distinct) {
  EXPECT_EQ(Rows("SELECT DISTINCT movie FROM ratings ORDER BY movie"), (Lines{"1", "2", "5"}));
  EXPECT_EQ(Rows("SELECT DISTINCT user_id = 10 AS ten FROM ratings ORDER BY 1"),
            (Lines{"false", "true"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT DISTINCT movie, user_id FROM ratings) d"),
            (Lines{"6"}));
  ExpectInvalid("SELECT DISTINCT movie FROM ratings ORDER BY rating",
                "For SELECT DISTINCT, ORDER BY expressions must appear in the select list");
}

// ---------------------------------------------------------------- UNION

TEST_F(AnalyzerTest, UnionAll) {
  const char* sql = "SELECT id FROM movies UNION ALL SELECT movie FROM ratings";
  EXPECT_EQ(Columns(sql), "movies.id:int");
  EXPECT_EQ(Rows(std::string(sql) + " ORDER BY 1 DESC LIMIT 3"), (Lines{"5", "4", "3"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT id FROM movies UNION ALL SELECT movie FROM "
                 "ratings UNION ALL SELECT id FROM reviews) u"),
            (Lines{"13"}));
  EXPECT_EQ(Shape(Plan("SELECT id FROM movies UNION ALL SELECT movie FROM ratings UNION ALL "
                       "SELECT id FROM reviews")),
            "Union");
  EXPECT_EQ(std::get<exec::UnionNode>(Plan("SELECT id FROM movies UNION ALL SELECT movie FROM "
                                           "ratings UNION ALL SELECT id FROM reviews")
                                          ->node)
                .inputs.size(),
            3u);
}

TEST_F(AnalyzerTest, UnionCastsToACommonType) {
  const char* sql = "SELECT id FROM movies UNION ALL SELECT rating FROM ratings";
  EXPECT_EQ(Columns(sql), "id:double");
  EXPECT_EQ(Rows(std::string(sql) + " ORDER BY 1 LIMIT 3"), (Lines{"1", "1", "2"}));
  EXPECT_EQ(Rows("SELECT id FROM movies WHERE id < 3 UNION ALL SELECT rating FROM ratings WHERE "
                 "rating > 4 ORDER BY 1"),
            (Lines{"1", "2", "5"}));
}

TEST_F(AnalyzerTest, UnionDistinct) {
  EXPECT_EQ(Rows("SELECT movie FROM ratings UNION SELECT id FROM movies ORDER BY 1"),
            (Lines{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(Shape(Plan("SELECT movie FROM ratings UNION SELECT id FROM movies")),
            "Distinct(Union)");
}

TEST_F(AnalyzerTest, UnionErrors) {
  ExpectInvalid("SELECT id, title FROM movies UNION ALL SELECT movie FROM ratings",
                "Each UNION query must have the same number of columns (2 and 1)");
  ExpectInvalid("SELECT id FROM movies UNION ALL SELECT 0xff FROM ratings",
                "UNION column 1 (id) has incompatible types int and blob");
}

TEST_F(AnalyzerTest, ParenthesisedQueries) {
  EXPECT_EQ(Rows("(SELECT id FROM movies ORDER BY id DESC LIMIT 2) ORDER BY id"),
            (Lines{"3", "4"}));
  EXPECT_EQ(SortedRows("(SELECT id FROM movies ORDER BY id LIMIT 1) UNION ALL "
                       "(SELECT id FROM reviews ORDER BY id DESC LIMIT 1)"),
            (Lines{"1", "7"}));
}

TEST_F(AnalyzerTest, KeyspacesReachTheResolver) {
  EXPECT_EQ(Rows("SELECT count(*) FROM ks.movies"), (Lines{"4"}));
  ExpectInvalid("SELECT count(*) FROM other.movies", "table movies does not exist");
}

}  // namespace
}  // namespace helenus::sql

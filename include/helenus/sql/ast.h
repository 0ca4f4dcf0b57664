#pragma once

// The syntax tree of analytic SQL statements (sql::Parse in parser.h).
// Expressions are unbound exec::Expr trees; the analyzer (analyzer.h) turns
// a Query into a logical plan. Identifiers are normalized as in CQL:
// unquoted ones lowercased, "Quoted" ones verbatim.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "helenus/cql/ast.h"
#include "helenus/exec/expr.h"
#include "helenus/ml/params.h"

namespace helenus::sql {

struct Query;
// Queries nest (FROM subqueries, UNION inputs); a parsed tree is immutable.
using QueryPtr = std::shared_ptr<const Query>;

// One item of a select list: `expr [AS alias]`, `*` or `t.*`.
struct SelectItem {
  exec::ExprPtr expr;          // null for `*` and `t.*`
  std::string alias;           // "" when not given
  bool star = false;           // `*` or `t.*`
  std::string star_qualifier;  // t of `t.*`; "" for `*`
};

struct TableRef;
// FROM items nest (joins); immutable once parsed.
using TableRefPtr = std::shared_ptr<const TableRef>;

// `[ks.]table [[AS] alias]`.
struct NamedTable {
  std::string keyspace;  // "" = the current keyspace
  std::string table;
  std::string alias;  // "" when not given
};

// `(query) [[AS] alias]`.
struct DerivedTable {
  QueryPtr query;
  std::string alias;  // "" when not given
};

// The join kinds as written.
enum class JoinKind {
  kInner,  // [INNER] JOIN
  kLeft,   // LEFT [OUTER] JOIN
  kRight,  // RIGHT [OUTER] JOIN
  kFull,   // FULL [OUTER] JOIN
  kSemi,   // LEFT SEMI JOIN
  kAnti,   // LEFT ANTI JOIN
  kCross,  // CROSS JOIN, or a comma between FROM items
};

// `left <kind> JOIN right [ON condition | USING (columns)]`.
struct JoinedTable {
  TableRefPtr left;
  TableRefPtr right;
  JoinKind kind = JoinKind::kInner;
  exec::ExprPtr condition;                 // ON; null when absent
  std::vector<std::string> using_columns;  // USING; empty when absent
};

// One item of FROM.
struct TableRef {
  std::variant<NamedTable, DerivedTable, JoinedTable> ref;
};

// One ORDER BY item.
struct OrderItem {
  exec::ExprPtr expr;
  bool ascending = true;
  std::optional<bool> nulls_first;  // nullopt: SQL's default (first for ASC, last for DESC)
};

// `SELECT [DISTINCT] items FROM from [WHERE] [GROUP BY] [HAVING]`.
struct SelectCore {
  bool distinct = false;
  std::vector<SelectItem> items;
  TableRefPtr from;
  exec::ExprPtr where;                  // null when absent
  std::vector<exec::ExprPtr> group_by;  // may hold ordinals (integer literals) and aliases
  exec::ExprPtr having;                 // null when absent
};

// `left UNION [ALL] right`.
struct SetOperation {
  QueryPtr left;
  QueryPtr right;
  bool all = true;  // false: UNION [DISTINCT]
};

// A complete query: a body, then ORDER BY / LIMIT / OFFSET over its result.
struct Query {
  // A select, a union, or a parenthesised query that has its own ORDER BY or LIMIT.
  std::variant<SelectCore, SetOperation, QueryPtr> body;
  std::vector<OrderItem> order_by;
  std::optional<int64_t> limit;
  int64_t offset = 0;
  bool allow_filtering = false;  // ended with ALLOW FILTERING
};

// A query statement: `<query>`.
struct Select {
  Query query;
};

// `INSERT INTO [ks.]table [(col, ...)] <query>`.
struct InsertSelect {
  cql::ast::QualifiedName table;
  std::vector<std::string> columns;  // empty: all columns, in the query's order
  Query query;
};

// `CREATE TABLE ... (columns, PRIMARY KEY (...)) [WITH ...] AS <query>`.
struct CreateTableAs {
  cql::ast::CreateTable table;  // everything before AS, as the CQL parser read it
  std::string ddl;              // the CQL text before AS, run as CQL to create the table
  Query query;
};

// `EXPLAIN <query>`.
struct Explain {
  Query query;
};

// One `name = value` of CREATE MODEL's WITH clause.
struct ModelOption {
  std::string name;
  ml::ParamValue value;
};

// `CREATE [OR REPLACE] MODEL [IF NOT EXISTS] [ks.]name USING estimator
// [WITH opt = v AND ...] AS <query>`.
struct CreateModel {
  cql::ast::QualifiedName model;
  bool or_replace = false;
  bool if_not_exists = false;
  std::string estimator;
  std::vector<ModelOption> options;
  Query query;
  std::string query_text;  // the query as written, kept with the model
};

// `EVALUATE MODEL [ks.]name [ON <query>]`.
struct EvaluateModel {
  cql::ast::QualifiedName model;
  std::optional<Query> on;  // absent: the rows held out at training
};

// `PREDICT [ks.]name [ON <query>] [INTO [ks.]table]`.
struct PredictModel {
  cql::ast::QualifiedName model;
  std::optional<Query> on;  // absent: the rows held out at training
  std::optional<cql::ast::QualifiedName> into;
};

// `RECOMMEND [ks.]name FOR USERS|ITEMS [LIMIT n] [INTO [ks.]table]`.
struct RecommendModel {
  cql::ast::QualifiedName model;
  bool for_users = true;
  int64_t limit = 10;
  std::optional<cql::ast::QualifiedName> into;
};

// `DESCRIBE MODEL [ks.]name [ARTIFACT name [INTO [ks.]table]]`.
struct DescribeModel {
  cql::ast::QualifiedName model;
  std::string artifact;                         // "" = the model's summary
  std::optional<cql::ast::QualifiedName> into;  // write the artifact's rows there
};

// `DROP MODEL [IF EXISTS] [ks.]name`.
struct DropModel {
  cql::ast::QualifiedName model;
  bool if_exists = false;
};

// `EXPORT MODEL [ks.]name TO 'file'`: the stored model, written to a file on the server.
struct ExportModel {
  cql::ast::QualifiedName model;
  std::string path;
};

// `IMPORT MODEL [ks.]name FROM 'file'`: a file written by EXPORT MODEL, stored as name.
struct ImportModel {
  cql::ast::QualifiedName model;
  std::string path;
};

// Any analytic SQL or ML statement.
using Statement =
    std::variant<Select, InsertSelect, CreateTableAs, Explain, CreateModel, EvaluateModel,
                 PredictModel, RecommendModel, DescribeModel, DropModel, ExportModel, ImportModel>;

}  // namespace helenus::sql

#pragma once

// The CQL abstract syntax tree: plain value types, one struct per statement,
// std::variant for alternatives. Produced by cql::ParseStatement (parser.h).
//
// Conventions:
//  - identifiers are already normalized: unquoted ones lowercased, "Quoted"
//    ones kept verbatim (with "" unescaped);
//  - literal constants keep their lexical kind and source text, so the
//    executor types them against the receiving column;
//  - user-defined types in column definitions are DataType{kUdt} with the
//    type's (possibly "ks.name" qualified) name in DataType::custom_class.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "helenus/common/data_type.h"

namespace helenus::cql::ast {

// A heap-allocated value with value semantics (deep copy), for recursive nodes.
template <typename T>
class Box {
 public:
  // Wraps a value.
  Box(T value) : ptr_(std::make_unique<T>(std::move(value))) {}  // NOLINT implicit
  Box(const Box& other) : ptr_(other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this != &other) ptr_ = other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr;
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  ~Box() = default;

  // Access to the boxed value.
  T& operator*() { return *ptr_; }
  const T& operator*() const { return *ptr_; }
  T* operator->() { return ptr_.get(); }
  const T* operator->() const { return ptr_.get(); }
  T& get() { return *ptr_; }
  const T& get() const { return *ptr_; }

 private:
  std::unique_ptr<T> ptr_;
};

// `ks.name` or `name`; keyspace is empty when not given.
struct QualifiedName {
  std::string keyspace;  // may be empty: use the session keyspace
  std::string name;
  bool operator==(const QualifiedName&) const = default;
};

struct Term;

// A constant as written: its lexical kind plus its source text.
struct Literal {
  // The lexical kind of a constant.
  enum class Kind {
    kString,    // text = unescaped content, without quotes
    kInteger,   // text = digits, with a leading '-' when negative
    kFloat,     // text = e.g. "1.5", "-3.2E-5", "1e10"
    kBoolean,   // text = "true" or "false" (lowercased)
    kUuid,      // text = the 36-character uuid as written
    kHex,       // text = "0x..." blob constant as written
    kDuration,  // text = e.g. "12h30m", "-1d", "P1DT2H", "P0001-01-01T00:00:00"
    kNaN,       // text = "NaN"
    kInfinity,  // text = "Infinity" or "-Infinity"
  };
  Kind kind = Kind::kString;
  std::string text;
};

// The NULL constant.
struct Null {};

// A bind marker: `?` (name empty) or `:name`.
struct BindMarker {
  size_t index = 0;  // position among all markers of the statement, in order
  std::string name;  // "" for '?'
};

// [a, b], {a, b}, {k: v, ...} or the ambiguous {}.
struct CollectionLiteral {
  // Which bracket form was written.
  enum class Kind {
    kList,         // [ ... ]  -> elements
    kSet,          // { a, b } -> elements
    kMap,          // { k: v } -> entries
    kEmptyBraces,  // {}: an empty set or map, depending on the receiver
  };
  Kind kind = Kind::kList;
  std::vector<Term> elements;
  std::vector<std::pair<Term, Term>> entries;

  // Out of line: Term is incomplete here, and clang instantiates inline
  // special members of std::pair<Term, Term> too early.
  CollectionLiteral();
  CollectionLiteral(const CollectionLiteral&);
  CollectionLiteral(CollectionLiteral&&) noexcept;
  CollectionLiteral& operator=(const CollectionLiteral&);
  CollectionLiteral& operator=(CollectionLiteral&&) noexcept;
  ~CollectionLiteral();
};

// (a, b, c): a tuple constant (also the right side of multi-column relations).
struct TupleLiteral {
  std::vector<Term> elements;
};

// { field: term, ... } with identifier keys: a user-defined type value.
struct UserTypeLiteral {
  std::vector<std::pair<std::string, Term>> fields;

  // Out of line for the same reason as CollectionLiteral's.
  UserTypeLiteral();
  UserTypeLiteral(const UserTypeLiteral&);
  UserTypeLiteral(UserTypeLiteral&&) noexcept;
  UserTypeLiteral& operator=(const UserTypeLiteral&);
  UserTypeLiteral& operator=(UserTypeLiteral&&) noexcept;
  ~UserTypeLiteral();
};

// A function call in term position: now(), uuid(), toTimestamp(now()),
// minTimeuuid('...'), token(...), system.blobAsText(...), ...
struct FunctionCall {
  std::string keyspace;  // "" unless written `ks.fn(...)`
  std::string name;      // lowercased unless quoted
  std::vector<Term> args;
};

// `(type) term`, e.g. `(int) ?`.
struct TypeCast {
  DataType type;
  Box<Term> term;
};

// Any value expression of a statement.
struct Term {
  using Value = std::variant<Literal, Null, BindMarker, CollectionLiteral, TupleLiteral,
                             UserTypeLiteral, FunctionCall, TypeCast>;
  Value value;

  // Typed accessors: nullptr when the term is something else.
  template <typename T>
  const T* As() const {
    return std::get_if<T>(&value);
  }
  template <typename T>
  bool Is() const {
    return std::holds_alternative<T>(value);
  }
};

// Renders a term back as CQL text (e.g. "'a''b'", "[1, 2]", "?", ":x", "now()").
std::string ToCql(const Term& term);

// Operators of WHERE relations and IF conditions.
enum class Operator {
  kEq,           // =
  kLt,           // <
  kLe,           // <=
  kGt,           // >
  kGe,           // >=
  kNe,           // !=
  kIn,           // IN (...) or IN ?
  kContains,     // CONTAINS
  kContainsKey,  // CONTAINS KEY
  kLike,         // LIKE
  kIsNotNull,    // IS NOT NULL (materialized views); values empty
};

// The CQL spelling of an operator ("=", "IN", "CONTAINS KEY", ...).
std::string_view OperatorName(Operator op);

// One WHERE relation.
struct Relation {
  // Which left-hand side form was written.
  enum class Kind {
    kSingle,       // col op term            (columns.size() == 1)
    kToken,        // token(a, b) op term    (columns = token arguments)
    kMultiColumn,  // (c1, c2) op (t1, t2)   (values hold TupleLiteral terms or markers)
  };
  using Op = Operator;

  Kind kind = Kind::kSingle;
  std::vector<std::string> columns;
  Op op = Op::kEq;
  // One term, except for IN (...): one per element. `IN ?` is a single
  // BindMarker with op kIn. IS NOT NULL: empty.
  std::vector<Term> values;
  // `col[key] op term` (map element filtering); only for kSingle.
  std::optional<Term> map_key;
};

// One IF condition of a conditional UPDATE/DELETE.
struct Condition {
  using Op = Operator;

  std::string column;
  std::optional<Term> element;  // IF c[key] op term
  std::string field;            // IF c.field op term ("" when absent)
  Op op = Op::kEq;
  std::vector<Term> values;  // as Relation::values (IN lists have several)
};

// USING TTL t AND TIMESTAMP t.
struct UsingClause {
  std::optional<Term> ttl;
  std::optional<Term> timestamp;
};

// A column definition in CREATE TABLE / ALTER TABLE ADD.
struct ColumnDef {
  std::string name;
  DataType type;
  bool is_static = false;
};

// A WITH property value (generic form, kept for every property).
struct PropertyValue {
  std::string text;                        // string constants unquoted; others as written
  std::map<std::string, std::string> map;  // parsed entries when the value is a map literal
  bool is_map = false;
};

// USE ks
struct UseStatement {
  std::string keyspace;
};

// CREATE KEYSPACE [IF NOT EXISTS] ks WITH replication = {...} [AND durable_writes = b]
struct CreateKeyspace {
  std::string name;
  bool if_not_exists = false;
  std::map<std::string, std::string> replication;  // values unquoted: "class" -> "SimpleStrategy"
  std::optional<bool> durable_writes;
  std::map<std::string, PropertyValue> options;  // every WITH property, including the above
};

// ALTER KEYSPACE ks WITH ...
struct AlterKeyspace {
  std::string name;
  bool if_exists = false;
  std::map<std::string, std::string> replication;  // empty when not given
  std::optional<bool> durable_writes;
  std::map<std::string, PropertyValue> options;
};

// DROP KEYSPACE [IF EXISTS] ks
struct DropKeyspace {
  std::string name;
  bool if_exists = false;
};

// CREATE TABLE [IF NOT EXISTS] ks.t (...) [WITH ...]
struct CreateTable {
  QualifiedName table;
  bool if_not_exists = false;
  std::vector<ColumnDef> columns;  // in declaration order
  std::vector<std::string> partition_key;
  std::vector<std::string> clustering;
  std::vector<std::pair<std::string, bool>> clustering_order;  // (column, descending)
  // Other WITH properties: string constants unquoted ("comment" -> "x"),
  // numbers/booleans as written, map literals as source text ("{'class': 'X'}").
  std::map<std::string, std::string> options;
  // Map-valued properties parsed (compaction, compression, caching, ...).
  std::map<std::string, std::map<std::string, std::string>> map_options;
  bool compact_storage = false;
};

// ALTER TABLE ... ADD c int | ADD (c int, d text)
struct AlterTableAdd {
  std::vector<ColumnDef> columns;
  bool if_not_exists = false;
};

// ALTER TABLE ... DROP c | DROP (c, d)
struct AlterTableDrop {
  std::vector<std::string> columns;
  bool if_exists = false;
  std::optional<Term> timestamp;  // DROP c USING TIMESTAMP t
};

// ALTER TABLE ... RENAME a TO b AND c TO d
struct AlterTableRename {
  std::vector<std::pair<std::string, std::string>> renames;  // (from, to)
};

// ALTER TABLE ... ALTER c TYPE t
struct AlterTableAlterType {
  std::string column;
  DataType type;
};

// ALTER TABLE ... WITH prop = value AND ...
struct AlterTableWith {
  std::map<std::string, std::string> options;  // as CreateTable::options
  std::map<std::string, std::map<std::string, std::string>> map_options;
};

// ALTER TABLE ks.t <action>
struct AlterTable {
  // Nested spellings of the actions (AlterTable::Add, ...).
  using Add = AlterTableAdd;
  using Drop = AlterTableDrop;
  using Rename = AlterTableRename;
  using AlterType = AlterTableAlterType;
  using With = AlterTableWith;
  using Action = std::variant<Add, Drop, Rename, AlterType, With>;

  QualifiedName table;
  bool if_exists = false;
  Action action;
};

// DROP TABLE [IF EXISTS] ks.t
struct DropTable {
  QualifiedName table;
  bool if_exists = false;
};

// TRUNCATE [TABLE] ks.t
struct TruncateTable {
  QualifiedName table;
};

// CREATE [CUSTOM] INDEX [IF NOT EXISTS] [name] ON ks.t (target) [USING 'class']
struct CreateIndex {
  std::string name;  // "" when not given
  bool if_not_exists = false;
  bool custom = false;
  QualifiedName table;
  std::string column;  // "" for no target
  // "" (plain column), "keys", "values", "entries" or "full".
  std::string target_kind;
  std::string using_class;  // USING 'class'
  std::map<std::string, PropertyValue> options;
};

// DROP INDEX [IF EXISTS] ks.name
struct DropIndex {
  QualifiedName name;
  bool if_exists = false;
};

// CREATE TYPE [IF NOT EXISTS] ks.name (field type, ...)
struct CreateType {
  QualifiedName name;
  bool if_not_exists = false;
  std::vector<std::pair<std::string, DataType>> fields;
};

// DROP TYPE [IF EXISTS] ks.name
struct DropType {
  QualifiedName name;
  bool if_exists = false;
};

// INSERT INTO ks.t (cols) VALUES (terms) | INSERT INTO ks.t JSON term
struct Insert {
  QualifiedName table;
  std::vector<std::string> columns;  // empty for JSON
  std::vector<Term> values;          // parallel to columns; JSON: the one JSON term
  bool json = false;
  bool json_default_unset = false;  // JSON ... DEFAULT UNSET (default is NULL)
  bool if_not_exists = false;
  UsingClause using_clause;
};

// One SET clause item of an UPDATE.
struct Assignment {
  // The assignment form.
  enum class Op {
    kSet,         // c = t          (or c.field = t when field is set)
    kAdd,         // c = c + t, c += t   (counters, list append, set/map add)
    kPrepend,     // c = t + c      (lists)
    kSubtract,    // c = c - t, c -= t
    kSetElement,  // c[k] = t       (map put / list set-by-index)
  };
  std::string column;
  Op op = Op::kSet;
  std::optional<Term> key;  // kSetElement only
  std::string field;        // c.field = t (UDT field); "" otherwise
  Term value;
};

// UPDATE ks.t [USING ...] SET ... WHERE ... [IF ...]
struct Update {
  QualifiedName table;
  UsingClause using_clause;
  std::vector<Assignment> assignments;
  std::vector<Relation> where;
  bool if_exists = false;
  std::vector<Condition> if_conditions;
};

// One DELETE selection: c, c[key] or c.field.
struct DeleteTarget {
  std::string column;
  std::optional<Term> element;  // c[key]
  std::string field;            // c.field; "" otherwise
};

// DELETE [targets] FROM ks.t [USING TIMESTAMP t] WHERE ... [IF ...]
struct Delete {
  QualifiedName table;
  std::vector<DeleteTarget> columns;  // empty: whole row(s)
  UsingClause using_clause;
  std::vector<Relation> where;
  bool if_exists = false;
  std::vector<Condition> if_conditions;
};

// A statement inside a batch.
using BatchChild = std::variant<Insert, Update, Delete>;

// BEGIN [UNLOGGED|COUNTER] BATCH [USING TIMESTAMP t] ... APPLY BATCH
struct Batch {
  // The batch kind.
  enum class Type { kLogged, kUnlogged, kCounter };
  Type type = Type::kLogged;
  UsingClause using_clause;
  std::vector<BatchChild> statements;
};

struct SelectorExpr;

// A column reference in a selector.
struct ColumnRef {
  std::string name;
};

// fn(args): count(*), writetime(c), ttl(c), token(a, b), min(c), toJson(c), ...
struct FunctionSelector {
  std::string keyspace;  // "" unless written `ks.fn(...)`
  std::string name;      // lowercased unless quoted; count(*) -> "count"
  std::vector<SelectorExpr> args;
  bool star = false;  // count(*)
};

// CAST(expr AS type)
struct CastSelector {
  Box<SelectorExpr> expr;
  DataType type;
};

// expr.field (UDT field access)
struct FieldSelector {
  Box<SelectorExpr> expr;
  std::string field;
};

// expr[key] (collection element access, e.g. m['k'] or l[0])
struct ElementSelector {
  Box<SelectorExpr> expr;
  Term key;
};

// One selector expression.
struct SelectorExpr {
  using Value =
      std::variant<ColumnRef, FunctionSelector, Term, CastSelector, FieldSelector, ElementSelector>;
  Value value;

  // Typed accessors: nullptr when the expression is something else.
  template <typename T>
  const T* As() const {
    return std::get_if<T>(&value);
  }
};

// One SELECT output: expression and optional alias (AS x).
struct Selector {
  SelectorExpr expr;
  std::string alias;  // "" when not given
};

// SELECT [JSON] [DISTINCT] selectors FROM ks.t [WHERE ...] [GROUP BY ...]
// [ORDER BY ...] [PER PARTITION LIMIT n] [LIMIT n] [ALLOW FILTERING]
struct Select {
  QualifiedName table;
  bool distinct = false;
  bool json = false;
  std::vector<Selector> selectors;  // empty = '*'
  std::vector<Relation> where;
  std::vector<std::string> group_by;
  std::vector<std::pair<std::string, bool>> order_by;  // (column, descending)
  std::optional<Term> limit;
  std::optional<Term> per_partition_limit;
  bool allow_filtering = false;
};

// A recognised statement Helenus does not implement (roles, permissions,
// functions, aggregates, materialized views, triggers, ALTER TYPE ...): the
// executor answers it with a clean "not supported" error.
struct UnsupportedStatement {
  std::string kind;  // e.g. "CREATE ROLE", "GRANT", "CREATE MATERIALIZED VIEW"
};

// Any CQL statement.
using Statement =
    std::variant<UseStatement, CreateKeyspace, AlterKeyspace, DropKeyspace, CreateTable, AlterTable,
                 DropTable, TruncateTable, CreateIndex, DropIndex, CreateType, DropType, Insert,
                 Update, Delete, Batch, Select, UnsupportedStatement>;

}  // namespace helenus::cql::ast

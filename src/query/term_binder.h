#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "helenus/common/data_type.h"
#include "helenus/common/value.h"
#include "helenus/cql/ast.h"
#include "helenus/cql/messages.h"

namespace helenus::query {

// A term's value once bound: serialized bytes, null, or "unset" (a bind
// value the client marked as not set: the column is left untouched).
struct BoundTerm {
  enum class State { kValue, kNull, kUnset };
  State state = State::kNull;
  Bytes bytes;

  bool is_value() const { return state == State::kValue; }
  // The value as a nullable Value (unset reads as null).
  Value AsValue() const { return is_value() ? Value(bytes) : std::nullopt; }
};

// Turns AST terms into serialized values of a receiver type: literals are
// typed against the receiver, bind markers read from the request's values.
class TermBinder {
 public:
  // values: the request's bound values; names: their names when the request
  // used named values (flag 0x40), matched against the statement's markers.
  TermBinder(const std::vector<cql::BoundValue>* values, const std::vector<std::string>* names,
             const std::vector<std::string>* marker_names, size_t marker_count);

  // Binds term for a receiver called receiver_name of type type.
  BoundTerm Bind(const cql::ast::Term& term, const DataType& type,
                 std::string_view receiver_name) const;
  // Binds and requires a non-null, set value (keys, LIMIT, ...).
  Bytes BindRequired(const cql::ast::Term& term, const DataType& type,
                     std::string_view receiver_name) const;
  // Binds an `IN ?` marker or literal list into its elements.
  std::vector<Bytes> BindInList(const std::vector<cql::ast::Term>& terms, const DataType& type,
                                std::string_view receiver_name) const;

 private:
  const cql::BoundValue* Marker(const cql::ast::BindMarker& m) const;
  Bytes BindLiteral(const cql::ast::Literal& lit, const DataType& type,
                    std::string_view receiver_name) const;
  BoundTerm BindFunction(const cql::ast::FunctionCall& f, const DataType& type,
                         std::string_view receiver_name) const;

  const std::vector<cql::BoundValue>* values_;
  std::vector<int> marker_to_value_;  // marker index -> index into values_
};

// Parses a CQL literal (as the AST keeps it) into a value of type; throws
// Invalid with Cassandra's "Invalid X constant (..) for "c" of type t".
Bytes LiteralToBytes(const cql::ast::Literal& lit, const DataType& type,
                     std::string_view receiver_name);

}  // namespace helenus::query

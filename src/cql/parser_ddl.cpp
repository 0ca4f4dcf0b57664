// Schema statements: CREATE/ALTER/DROP of keyspaces, tables, indexes, types.

#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "parser_internal.h"

namespace helenus::cql::detail {
namespace {

// Keyspace WITH properties: replication and durable_writes get typed slots;
// all of them stay in `options` for the executor's validation.
template <typename Stmt>
void ApplyKeyspaceProperty(Stmt& s, const std::string& name, const ast::PropertyValue& v) {
  if (name == "replication" && v.is_map) s.replication = v.map;
  if (name == "durable_writes") {
    std::string t = v.text;
    for (char& c : t) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    // Anything but true/false is left unset; the executor rejects it from options.
    if (t == "true") s.durable_writes = true;
    if (t == "false") s.durable_writes = false;
  }
  s.options[name] = v;
}

}  // namespace

ast::ColumnDef Parser::ColumnDefinition() {
  ast::ColumnDef def;
  def.name = Ident();
  def.type = Type();
  if (AcceptKeyword("static")) def.is_static = true;
  return def;
}

ast::CreateKeyspace Parser::CreateKeyspace() {
  ast::CreateKeyspace ks;
  ks.if_not_exists = IfNotExists();
  ks.name = Ident();
  ExpectKeyword("with");
  do {
    auto [name, value] = Property();
    ApplyKeyspaceProperty(ks, name, value);
  } while (AcceptKeyword("and"));
  return ks;
}

ast::AlterKeyspace Parser::AlterKeyspace() {
  ast::AlterKeyspace ks;
  ks.if_exists = IfExists();
  ks.name = Ident();
  ExpectKeyword("with");
  do {
    auto [name, value] = Property();
    ApplyKeyspaceProperty(ks, name, value);
  } while (AcceptKeyword("and"));
  return ks;
}

ast::CreateTable Parser::CreateTable() {
  ast::CreateTable t;
  t.if_not_exists = IfNotExists();
  t.table = QualName();
  Expect(TokenKind::kLParen);
  int primary_keys = 0;
  do {
    if (AtKeyword("primary") && AtKeyword("key", 1)) {
      pos_ += 2;
      ++primary_keys;
      Expect(TokenKind::kLParen);
      t.partition_key.clear();
      t.clustering.clear();
      if (Accept(TokenKind::kLParen)) {
        do {
          t.partition_key.push_back(Ident());
        } while (Accept(TokenKind::kComma));
        Expect(TokenKind::kRParen);
      } else {
        t.partition_key.push_back(Ident());
      }
      while (Accept(TokenKind::kComma)) t.clustering.push_back(Ident());
      Expect(TokenKind::kRParen);
      continue;
    }
    ast::ColumnDef def = ColumnDefinition();
    if (AtKeyword("primary")) {
      Next();
      ExpectKeyword("key");
      ++primary_keys;
      t.partition_key = {def.name};
      t.clustering.clear();
    }
    t.columns.push_back(std::move(def));
  } while (Accept(TokenKind::kComma));
  Expect(TokenKind::kRParen);
  // Cassandra reports these as invalid requests (its message keeps the typo).
  if (primary_keys == 0) ThrowInvalid("No PRIMARY KEY specifed (exactly one required)");
  if (primary_keys > 1) ThrowInvalid("Multiple PRIMARY KEYs specified (exactly one required)");
  if (AcceptKeyword("with")) {
    do {
      if (AtKeyword("clustering") && AtKeyword("order", 1)) {
        pos_ += 2;
        ExpectKeyword("by");
        Expect(TokenKind::kLParen);
        do {
          std::string col = Ident();
          bool desc = false;
          if (AcceptKeyword("desc")) {
            desc = true;
          } else if (!AcceptKeyword("asc")) {
            FailMismatch("K_ASC");
          }
          t.clustering_order.emplace_back(std::move(col), desc);
        } while (Accept(TokenKind::kComma));
        Expect(TokenKind::kRParen);
      } else if (AtKeyword("compact") && AtKeyword("storage", 1)) {
        pos_ += 2;
        t.compact_storage = true;
      } else {
        auto [name, value] = Property();
        if (value.is_map) t.map_options[name] = value.map;
        t.options[name] = std::move(value.text);
      }
    } while (AcceptKeyword("and"));
  }
  return t;
}

ast::AlterTable Parser::AlterTable() {
  ast::AlterTable a;
  a.if_exists = IfExists();
  a.table = QualName();
  if (AcceptKeyword("add")) {
    ast::AlterTable::Add add;
    add.if_not_exists = IfNotExists();
    if (Accept(TokenKind::kLParen)) {
      do {
        add.columns.push_back(ColumnDefinition());
      } while (Accept(TokenKind::kComma));
      Expect(TokenKind::kRParen);
    } else {
      add.columns.push_back(ColumnDefinition());
    }
    a.action = std::move(add);
  } else if (AcceptKeyword("drop")) {
    ast::AlterTable::Drop drop;
    drop.if_exists = IfExists();
    if (Accept(TokenKind::kLParen)) {
      do {
        drop.columns.push_back(Ident());
      } while (Accept(TokenKind::kComma));
      Expect(TokenKind::kRParen);
    } else {
      drop.columns.push_back(Ident());
    }
    if (AcceptKeyword("using")) {
      ExpectKeyword("timestamp");
      drop.timestamp = Term();
    }
    a.action = std::move(drop);
  } else if (AcceptKeyword("rename")) {
    ast::AlterTable::Rename rename;
    IfExists();
    do {
      std::string from = Ident();
      ExpectKeyword("to");
      rename.renames.emplace_back(std::move(from), Ident());
    } while (AcceptKeyword("and"));
    a.action = std::move(rename);
  } else if (AcceptKeyword("alter")) {
    ast::AlterTable::AlterType alter;
    alter.column = Ident();
    ExpectKeyword("type");
    alter.type = Type();
    a.action = std::move(alter);
  } else if (AcceptKeyword("with")) {
    ast::AlterTable::With with;
    do {
      auto [name, value] = Property();
      if (value.is_map) with.map_options[name] = value.map;
      with.options[name] = std::move(value.text);
    } while (AcceptKeyword("and"));
    a.action = std::move(with);
  } else {
    FailNoViable();
  }
  return a;
}

ast::CreateIndex Parser::CreateIndex(bool custom) {
  ast::CreateIndex idx;
  idx.custom = custom;
  idx.if_not_exists = IfNotExists();
  if (!AtKeyword("on")) idx.name = Ident();
  ExpectKeyword("on");
  idx.table = QualName();
  Expect(TokenKind::kLParen);
  if (!At(TokenKind::kRParen)) {
    if ((AtKeyword("keys") || AtKeyword("values") || AtKeyword("entries") || AtKeyword("full")) &&
        At(TokenKind::kLParen, 1)) {
      idx.target_kind = Next().text;
      Next();
      idx.column = Ident();
      Expect(TokenKind::kRParen);
    } else {
      idx.column = Ident();
    }
  }
  Expect(TokenKind::kRParen);
  if (AcceptKeyword("using")) {
    idx.using_class = Expect(TokenKind::kString).text;
    if (AcceptKeyword("with")) {
      ExpectKeyword("options");
      Expect(TokenKind::kEq);
      idx.options["options"] = PropertyValueText();
    }
  }
  return idx;
}

ast::CreateType Parser::CreateType() {
  ast::CreateType t;
  t.if_not_exists = IfNotExists();
  t.name = QualName();
  Expect(TokenKind::kLParen);
  do {
    std::string field = Ident();
    t.fields.emplace_back(std::move(field), Type());
  } while (Accept(TokenKind::kComma));
  Expect(TokenKind::kRParen);
  return t;
}

ast::Statement Parser::Create() {
  ExpectKeyword("create");
  if (AcceptKeyword("keyspace") || AcceptKeyword("schema")) return CreateKeyspace();
  if (AcceptKeyword("table") || AcceptKeyword("columnfamily")) return CreateTable();
  if (AcceptKeyword("index")) return CreateIndex(false);
  if (AtKeyword("custom") && AtKeyword("index", 1)) {
    pos_ += 2;
    return CreateIndex(true);
  }
  if (AcceptKeyword("type")) return CreateType();
  if (AtKeyword("materialized") && AtKeyword("view", 1)) {
    return Unsupported("CREATE MATERIALIZED VIEW");
  }
  if (AtKeyword("or") && AtKeyword("replace", 1)) {
    std::string kind = "CREATE OR REPLACE";
    if (Peek(2).kind == TokenKind::kIdentifier) kind += " " + AsciiUpper(Peek(2).text);
    return Unsupported(std::move(kind));
  }
  for (std::string_view what : {"function", "aggregate", "role", "user", "trigger"}) {
    if (AtKeyword(what)) return Unsupported("CREATE " + AsciiUpper(what));
  }
  FailNoViable();
}

ast::Statement Parser::Alter() {
  ExpectKeyword("alter");
  if (AcceptKeyword("keyspace") || AcceptKeyword("schema")) return AlterKeyspace();
  if (AcceptKeyword("table") || AcceptKeyword("columnfamily")) return AlterTable();
  if (AtKeyword("materialized") && AtKeyword("view", 1)) {
    return Unsupported("ALTER MATERIALIZED VIEW");
  }
  for (std::string_view what : {"type", "role", "user"}) {
    if (AtKeyword(what)) return Unsupported("ALTER " + AsciiUpper(what));
  }
  FailNoViable();
}

ast::Statement Parser::Drop() {
  ExpectKeyword("drop");
  if (AcceptKeyword("keyspace") || AcceptKeyword("schema")) {
    ast::DropKeyspace d;
    d.if_exists = IfExists();
    d.name = Ident();
    return d;
  }
  if (AcceptKeyword("table") || AcceptKeyword("columnfamily")) {
    ast::DropTable d;
    d.if_exists = IfExists();
    d.table = QualName();
    return d;
  }
  if (AcceptKeyword("index")) {
    ast::DropIndex d;
    d.if_exists = IfExists();
    d.name = QualName();
    return d;
  }
  if (AcceptKeyword("type")) {
    ast::DropType d;
    d.if_exists = IfExists();
    d.name = QualName();
    return d;
  }
  if (AtKeyword("materialized") && AtKeyword("view", 1)) {
    return Unsupported("DROP MATERIALIZED VIEW");
  }
  for (std::string_view what : {"function", "aggregate", "role", "user", "trigger"}) {
    if (AtKeyword(what)) return Unsupported("DROP " + AsciiUpper(what));
  }
  FailNoViable();
}

}  // namespace helenus::cql::detail

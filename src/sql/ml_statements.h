#pragma once

// Runs the ML statements (CREATE MODEL, EVALUATE, PREDICT, RECOMMEND,
// DESCRIBE MODEL, DROP MODEL, EXPORT/IMPORT MODEL) on the analytics engine; models are kept in
// system_ml.models (model_store.h). Grammar: docs/ml-statements.md.

#include <optional>
#include <string>

#include "helenus/exec/dataframe.h"
#include "helenus/ml/statement_model.h"
#include "helenus/query/processor.h"
#include "helenus/sql/analyzer.h"
#include "helenus/sql/ast.h"
#include "model_store.h"

namespace helenus::sql {

// The ML statements of one server (or embedded session).
class MlStatements {
 public:
  MlStatements(query::QueryProcessor* cql, exec::Engine* engine);

  // Runs stmt (one of the ML alternatives of Statement); the rows to return,
  // or nullopt for a statement that returns none.
  std::optional<exec::Rows> Run(query::ClientState& state, const Statement& stmt,
                                const std::string& text);

 private:
  exec::Rows Create(query::ClientState& state, const CreateModel& s, const std::string& text);
  exec::Rows Evaluate(query::ClientState& state, const EvaluateModel& s, const std::string& text);
  exec::Rows Predict(query::ClientState& state, const PredictModel& s, const std::string& text);
  exec::Rows Recommend(query::ClientState& state, const RecommendModel& s, const std::string& text);
  exec::Rows Describe(query::ClientState& state, const DescribeModel& s);
  exec::Rows Export(query::ClientState& state, const ExportModel& s);
  exec::Rows Import(query::ClientState& state, const ImportModel& s);
  // A stored model, loaded.
  struct Loaded {
    std::string keyspace;
    ModelRecord record;
    ml::StatementModel model;
  };
  // The model `name` (in the session's keyspace when unqualified); Invalid when there is none.
  Loaded Load(const query::ClientState& state, const cql::ast::QualifiedName& name);
  // The rows the model held out at training: its query again, split with its seed.
  ml::Frame HeldOut(const Loaded& m, const ml::Context& ctx);
  // The stored model ks.name; Invalid when there is none.
  ModelRecord Require(const std::string& ks, const std::string& name);

  query::QueryProcessor* cql_;
  exec::Engine* engine_;
  ModelStore store_;
};

}  // namespace helenus::sql

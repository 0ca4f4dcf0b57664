#pragma once

// Models live in the table system_ml.models, one row per model, so that any
// process on the data (server, shell, MPI workers) can load them:
//
//   CREATE TABLE system_ml.models (
//     keyspace_name text, model_name text, version int, estimator text,
//     task text, created_at timestamp, training_rows bigint, test_rows bigint,
//     training_ms bigint, label text, features frozen<list<text>>,
//     options frozen<map<text, text>>, query text,
//     metrics frozen<map<text, double>>, format_version int, model blob,
//     PRIMARY KEY ((keyspace_name), model_name))
//
// CQL clients can read it (SELECT) but not write it: keyspaces named
// system* are read-only to CQL writes.

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "helenus/exec/dataframe.h"
#include "helenus/query/processor.h"

namespace helenus::sql {

// One stored model and what it was trained with.
struct ModelRecord {
  std::string keyspace;
  std::string name;
  int32_t version = 1;
  std::string estimator;
  std::string task;
  int64_t created_at_ms = 0;
  int64_t training_rows = 0;
  int64_t test_rows = 0;
  int64_t training_ms = 0;
  std::string label;
  std::vector<std::string> features;
  std::vector<std::pair<std::string, std::string>> options;
  std::string query;
  std::vector<std::pair<std::string, double>> metrics;
  std::vector<uint8_t> model;  // ml::SaveModel-style bytes of the statement model
};

// A model as a self-contained file (EXPORT/IMPORT MODEL): magic "HLNSMREC",
// a format version, then every field of the record but its keyspace and name.
std::vector<uint8_t> EncodeModelFile(const ModelRecord& record);
// The record of a model file (keyspace and name left empty); Invalid for
// foreign, newer or corrupt bytes.
ModelRecord DecodeModelFile(std::span<const uint8_t> bytes);

// Reads and writes system_ml.models.
class ModelStore {
 public:
  ModelStore(query::QueryProcessor* cql, exec::Engine* engine) : cql_(cql), engine_(engine) {}

  // The keyspace and table of the store.
  static constexpr std::string_view kKeyspace = "system_ml";
  static constexpr std::string_view kTable = "models";

  // The model ks.name, or nullopt.
  std::optional<ModelRecord> Get(const std::string& ks, const std::string& name);
  // Writes (or replaces) the model's row; creates the table on first use.
  void Put(const ModelRecord& record);
  // Deletes the model's row; false when there was none.
  bool Drop(const std::string& ks, const std::string& name);

 private:
  // Creates system_ml.models unless it exists.
  void Ensure();
  bool Exists() const;

  query::QueryProcessor* cql_;
  exec::Engine* engine_;
  std::mutex mu_;  // serializes creation and writes
};

}  // namespace helenus::sql

// Bulk loading of CSV files: parse, convert by column type, insert with many
// prepared statements in flight, grouped by partition.
#include "helenus/shell/loader.h"

#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "helenus/client/client.h"
#include "helenus/common/error.h"
#include "helenus/shell/progress.h"
#include "helenus/shell/schema.h"
#include "helenus/shell/value_text.h"

namespace helenus::shell {
namespace {

using Clock = std::chrono::steady_clock;

// One converted row waiting to be inserted, with what a reject needs.
struct PendingRow {
  client::Statement statement;
  std::string partition;  // concatenated partition key bytes (grouping key)
  int64_t line = 0;
  std::string raw;
};

// A rejected row for the reject file.
struct Reject {
  int64_t line;
  std::string raw;
  std::string reason;
};

std::string ErrorText(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const CqlError& err) {
    return fmt::format("server error code=0x{:04x}: {}", static_cast<int>(err.code()), err.what());
  } catch (const client::ClientError& err) {
    return fmt::format("client error ({}): {}", client::ClientErrorKindName(err.kind()),
                       err.what());
  } catch (const std::exception& err) {
    return err.what();
  }
}

// Keeps at most `limit` requests in flight and collects their outcomes; the
// callbacks only touch counters and queues, so they never block an I/O thread.
class Flight {
 public:
  explicit Flight(size_t limit) : limit_(limit) {}

  void Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return in_flight_ < limit_; });
    ++in_flight_;
  }
  void Done(int64_t loaded, std::vector<PendingRow> failed_batch, std::vector<Reject> rejects) {
    std::lock_guard lock(mu_);
    loaded_ += loaded;
    for (auto& r : failed_batch) retry_.push_back(std::move(r));
    for (auto& r : rejects) rejects_.push_back(std::move(r));
    --in_flight_;
    cv_.notify_all();
  }
  void WaitAll() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return in_flight_ == 0; });
  }
  // Moves out rows whose batch failed (to be retried one by one) and rejects.
  void Take(std::vector<PendingRow>* retry, std::vector<Reject>* rejects) {
    std::lock_guard lock(mu_);
    retry->swap(retry_);
    rejects->swap(rejects_);
    retry_.clear();
    rejects_.clear();
  }
  int64_t loaded() {
    std::lock_guard lock(mu_);
    return loaded_;
  }

 private:
  size_t limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t in_flight_ = 0;
  int64_t loaded_ = 0;
  std::vector<PendingRow> retry_;
  std::vector<Reject> rejects_;
};

class Loader {
 public:
  Loader(client::Session& session, const std::string& path, const LoadOptions& options)
      : session_(session), path_(path), options_(options), flight_(options.max_requests) {}

  LoadStats Run() {
    auto start = Clock::now();
    std::ifstream file;
    std::istream* in = &std::cin;
    uint64_t total_bytes = 0;
    if (path_ != "-") {
      file.open(path_, std::ios::binary);
      if (!file) ThrowInvalid("Can't open '{}': {}", path_, std::strerror(errno));
      std::error_code ec;
      total_bytes = std::filesystem::file_size(path_, ec);
      in = &file;
    }
    std::string keyspace = options_.keyspace.empty() ? session_.keyspace() : options_.keyspace;
    if (keyspace.empty()) ThrowInvalid("No keyspace given for table {}", options_.table);
    auto table = FetchTable(session_, keyspace, options_.table);
    if (!table) ThrowInvalid("Table {}.{} does not exist", keyspace, options_.table);
    table_ = *table;

    CsvReader reader(*in, options_.csv);
    std::vector<std::string> names = options_.columns;
    if (options_.header) {
      auto header = reader.Next();
      if (header && names.empty()) {
        for (auto& f : header->fields) names.push_back(f.text);
      }
    }
    if (names.empty()) {
      for (const auto& c : table_.columns) names.push_back(c.name);
    }
    Prepare(keyspace, names);

    std::string label = "Loading " + std::filesystem::path(path_).filename().string();
    Progress progress(label, total_bytes, options_.progress);
    std::vector<PendingRow> chunk;
    // Rows are grouped by partition within chunks of this many, so rows of one
    // partition that sit close together in the file travel in one batch.
    constexpr size_t kChunkRows = 4096;
    int64_t skipped = 0;
    while (auto rec = reader.Next()) {
      if (skipped < options_.skip_rows) {
        ++skipped;
        continue;
      }
      if (options_.max_rows >= 0 && stats_.rows_read >= options_.max_rows) break;
      ++stats_.rows_read;
      Convert(std::move(*rec), &chunk);
      if (chunk.size() >= kChunkRows) {
        Send(&chunk);
        Collect();
      }
      progress.Update(static_cast<uint64_t>(flight_.loaded()), reader.bytes_read(),
                      static_cast<uint64_t>(rejects_written_ + pending_rejects_.size()));
      if (TooManyErrors()) break;
    }
    Send(&chunk);
    // Failed batches come back as single rows; retry until nothing is left.
    for (int round = 0; round < 1000; ++round) {
      flight_.WaitAll();
      if (!Collect()) break;
    }
    flight_.WaitAll();
    Collect();
    progress.Update(static_cast<uint64_t>(flight_.loaded()), reader.bytes_read(),
                    static_cast<uint64_t>(rejects_written_));
    progress.Stop();
    stats_.rows_loaded = flight_.loaded();
    stats_.rows_rejected = rejects_written_;
    stats_.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (rejects_written_ > 0) stats_.reject_file = RejectPath();
    return stats_;
  }

 private:
  void Prepare(const std::string& keyspace, const std::vector<std::string>& names) {
    std::string cols, marks;
    for (const auto& n : names) {
      const ColumnMeta* c = table_.Find(n);
      if (!c) {
        ThrowInvalid("Invalid column name {} for table {}.{}", n, keyspace, options_.table);
      }
      columns_.push_back(c);
      cols += (cols.empty() ? "" : ", ") + QuoteIdent(n);
      marks += marks.empty() ? "?" : ", ?";
    }
    for (const auto* pk : table_.PartitionKey()) {
      bool found = false;
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (columns_[i] == pk) {
          pk_fields_.push_back(i);
          found = true;
        }
      }
      if (!found) ThrowInvalid("Primary key column '{}' missing from the column list", pk->name);
    }
    for (const auto* ck : table_.Clustering()) {
      bool found = false;
      for (const auto* c : columns_) found = found || c == ck;
      if (!found) ThrowInvalid("Primary key column '{}' missing from the column list", ck->name);
    }
    prepared_ =
        session_.Prepare(fmt::format("INSERT INTO {}.{} ({}) VALUES ({})", QuoteIdent(keyspace),
                                     QuoteIdent(options_.table), cols, marks));
  }

  void Convert(CsvRecord rec, std::vector<PendingRow>* chunk) {
    auto reject = [&](std::string reason) {
      pending_rejects_.push_back({rec.line, std::move(rec.raw), std::move(reason)});
    };
    if (!rec.error.empty()) return reject(rec.error);
    if (rec.fields.size() != columns_.size()) {
      return reject(fmt::format("expected {} fields, got {}", columns_.size(), rec.fields.size()));
    }
    std::vector<client::BoundValue> values;
    values.reserve(columns_.size());
    for (size_t i = 0; i < columns_.size(); ++i) {
      const auto& f = rec.fields[i];
      const ColumnMeta* c = columns_[i];
      if (!f.quoted && f.text == options_.csv.null_marker) {
        if (c->role == ColumnRole::kPartitionKey || c->role == ColumnRole::kClustering) {
          return reject(fmt::format("primary key column '{}' is null", c->name));
        }
        values.push_back(client::Null());
        continue;
      }
      try {
        values.push_back(client::Raw(ParseValueText(c->type, f.text)));
      } catch (const std::exception& e) {
        return reject(fmt::format("column '{}' ({}): {}", c->name, c->type_text, e.what()));
      }
    }
    PendingRow row;
    for (size_t i : pk_fields_) {
      const auto& b = values[i].bytes;
      row.partition += std::to_string(b.size()) + ":" + b;
    }
    row.statement = prepared_->Bind(std::move(values));
    row.statement.idempotent = true;  // a plain INSERT applies the same cells twice
    row.line = rec.line;
    row.raw = std::move(rec.raw);
    chunk->push_back(std::move(row));
  }

  // Sends a chunk: rows of one partition together as unlogged batches, the rest alone.
  void Send(std::vector<PendingRow>* chunk) {
    std::map<std::string, std::vector<PendingRow>> groups;
    for (auto& r : *chunk) groups[r.partition].push_back(std::move(r));
    chunk->clear();
    for (auto& [key, rows] : groups) {
      size_t batch = static_cast<size_t>(std::max(1, options_.max_batch_size));
      for (size_t i = 0; i < rows.size(); i += batch) {
        std::vector<PendingRow> part(
            std::make_move_iterator(rows.begin() + i),
            std::make_move_iterator(rows.begin() + std::min(rows.size(), i + batch)));
        SendRows(std::move(part), /*single=*/false);
      }
    }
  }

  void SendRows(std::vector<PendingRow> rows, bool single) {
    flight_.Acquire();
    auto shared = std::make_shared<std::vector<PendingRow>>(std::move(rows));
    auto on_done = [this, shared, single](client::Result, std::exception_ptr error) {
      if (!error) return flight_.Done(static_cast<int64_t>(shared->size()), {}, {});
      if (shared->size() > 1 && !single) {
        // One bad row fails its whole batch: retry the rows alone to find it.
        return flight_.Done(0, std::move(*shared), {});
      }
      std::vector<Reject> rejects;
      for (auto& r : *shared) rejects.push_back({r.line, std::move(r.raw), ErrorText(error)});
      flight_.Done(0, {}, std::move(rejects));
    };
    // A request the driver refuses up front must still release its slot and
    // reject its rows, or WaitAll would wait forever.
    try {
      if (shared->size() == 1) {
        session_.ExecuteAsync((*shared)[0].statement, on_done);
        return;
      }
      client::Batch batch(client::BatchType::kUnlogged);
      batch.idempotent = true;
      for (const auto& r : *shared) batch.Add(r.statement);
      session_.ExecuteAsync(std::move(batch), on_done);
    } catch (...) {
      on_done(client::Result(), std::current_exception());
    }
  }

  // Retries failed batch rows singly and writes rejects; true when it sent retries.
  bool Collect() {
    std::vector<PendingRow> retry;
    std::vector<Reject> rejects;
    flight_.Take(&retry, &rejects);
    for (auto& r : rejects) pending_rejects_.push_back(std::move(r));
    WriteRejects();
    for (auto& r : retry) {
      std::vector<PendingRow> one;
      one.push_back(std::move(r));
      SendRows(std::move(one), /*single=*/true);
    }
    return !retry.empty();
  }

  std::string RejectPath() const {
    if (!options_.reject_file.empty()) return options_.reject_file;
    auto dir =
        path_ == "-" ? std::filesystem::path(".") : std::filesystem::path(path_).parent_path();
    return (dir / (options_.table + ".err")).string();
  }

  void WriteRejects() {
    if (pending_rejects_.empty()) return;
    if (!reject_out_.is_open()) {
      reject_out_.open(RejectPath(), std::ios::binary | std::ios::trunc);
      if (!reject_out_) {
        std::cerr << "Cannot write reject file " << RejectPath() << "\n";
      }
    }
    for (const auto& r : pending_rejects_) {
      // The reason as a comment line, then the record exactly as read, so the
      // file says why and can be fixed and loaded again.
      reject_out_ << "# line " << r.line << ": " << r.reason << "\n" << r.raw << "\n";
      if (rejects_written_ < 5) {
        std::cerr << "Rejected line " << r.line << ": " << r.reason << "\n";
      }
      ++rejects_written_;
    }
    reject_out_.flush();
    pending_rejects_.clear();
  }

  bool TooManyErrors() const {
    return options_.max_errors >= 0 &&
           rejects_written_ + static_cast<int64_t>(pending_rejects_.size()) > options_.max_errors;
  }

  client::Session& session_;
  std::string path_;
  const LoadOptions& options_;
  TableMeta table_;
  std::vector<const ColumnMeta*> columns_;
  std::vector<size_t> pk_fields_;
  std::shared_ptr<const client::PreparedStatement> prepared_;
  Flight flight_;
  LoadStats stats_;
  std::vector<Reject> pending_rejects_;
  int64_t rejects_written_ = 0;
  std::ofstream reject_out_;
};

}  // namespace

LoadStats LoadCsv(client::Session& session, const std::string& path, const LoadOptions& options) {
  Loader loader(session, path, options);
  return loader.Run();
}

std::string LoadSummary(const LoadStats& s, const std::string& path) {
  double rate = s.seconds > 0 ? static_cast<double>(s.rows_loaded) / s.seconds : 0;
  std::string out = fmt::format(
      "Processed: {} rows; Loaded: {} rows; Rejected: {} rows; in {} ({:.0f} rows/s)",
      FormatCount(static_cast<uint64_t>(s.rows_read)),
      FormatCount(static_cast<uint64_t>(s.rows_loaded)),
      FormatCount(static_cast<uint64_t>(s.rows_rejected)), FormatSeconds(s.seconds), rate);
  if (!s.reject_file.empty())
    out += fmt::format("\nRejected rows (with line numbers and reasons) are in {}", s.reject_file);
  return out;
}

}  // namespace helenus::shell

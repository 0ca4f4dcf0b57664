// The life of one request: host plan, sending, re-prepare on Unprepared,
// retries where safe, and turning the answer into a Result.
#include <fmt/format.h>

#include "helenus/common/murmur3.h"
#include "helenus/cql/client_codec.h"
#include "session_core.h"

namespace helenus::client {
namespace {

// Re-prepares allowed per request (a server that forgets ids in a loop must not spin us).
constexpr int kMaxReprepares = 3;

cql::QueryParameters ParametersOf(const Statement& s) {
  cql::QueryParameters p;
  p.consistency = static_cast<uint16_t>(s.consistency);
  p.values = s.values;
  p.names = s.value_names;
  p.page_size = s.page_size;
  p.paging_state = s.paging_state;
  if (s.serial_consistency) p.serial_consistency = static_cast<uint16_t>(*s.serial_consistency);
  p.default_timestamp = s.timestamp;
  // Rows need no metadata when the prepared statement already has it.
  p.skip_metadata = s.prepared && !s.prepared->result_columns()->empty();
  return p;
}

// One request in progress; owns itself through the callbacks it hands out.
class Run : public std::enable_shared_from_this<Run> {
 public:
  enum class Kind { kStatement, kBatch, kPrepare };

  Run(std::shared_ptr<SessionCore> core, Kind kind, ResultCallback callback)
      : core_(std::move(core)), kind_(kind), callback_(std::move(callback)) {}

  std::shared_ptr<const Statement> statement;
  std::shared_ptr<const Batch> batch;
  std::string prepare_query;
  std::function<void(cql::PreparedResult)> on_prepared;

  void Start(std::chrono::milliseconds timeout, std::optional<int64_t> token) {
    if (timeout.count() <= 0) timeout = core_->options().request_timeout;
    deadline_ = Clock::now() + timeout;
    plan_ = core_->Plan(token);
    if (!plan_.empty()) plan_.push_back(plan_.front());  // one more try on another connection
    Next(nullptr);
  }

 private:
  bool Idempotent() const {
    switch (kind_) {
      case Kind::kStatement:
        return statement->IsIdempotent();
      case Kind::kBatch:
        return batch->idempotent.value_or(false);
      case Kind::kPrepare:
        return true;
    }
    return false;
  }

  std::pair<cql::Opcode, std::string> Encode() const {
    uint8_t v = core_->version();
    switch (kind_) {
      case Kind::kStatement: {
        const Statement& s = *statement;
        if (s.prepared) {
          if (s.values.size() != s.prepared->bind_columns().size()) {
            throw ClientError(ClientErrorKind::kUsage,
                              fmt::format("statement has {} bind markers but {} values were given",
                                          s.prepared->bind_columns().size(), s.values.size()));
          }
          return {cql::Opcode::kExecute, cql::EncodeExecute(s.prepared->id(), ParametersOf(s), v)};
        }
        return {cql::Opcode::kQuery, cql::EncodeQuery(s.query, ParametersOf(s), v)};
      }
      case Kind::kBatch: {
        cql::BatchRequest b;
        b.type = static_cast<uint8_t>(batch->type);
        b.consistency = static_cast<uint16_t>(batch->consistency);
        if (batch->serial_consistency) {
          b.serial_consistency = static_cast<uint16_t>(*batch->serial_consistency);
        }
        b.default_timestamp = batch->timestamp;
        for (const auto& s : batch->statements) {
          cql::BatchStatement bs;
          bs.is_prepared = s.prepared != nullptr;
          bs.query_or_id = s.prepared ? s.prepared->id() : s.query;
          bs.values = s.values;
          b.statements.push_back(std::move(bs));
        }
        return {cql::Opcode::kBatch, cql::EncodeBatch(b, v)};
      }
      case Kind::kPrepare:
        return {cql::Opcode::kPrepare, cql::EncodePrepare(prepare_query)};
    }
    return {};
  }

  // Moves to the next host of the plan after error (null at the start).
  void Next(std::exception_ptr error) {
    if (pos_ >= plan_.size()) {
      if (plan_.empty()) {
        return Finish({}, std::make_exception_ptr(ClientError(ClientErrorKind::kNoHostAvailable,
                                                              "no host available: none known")));
      }
      std::string why = "unknown error";
      try {
        if (error) std::rethrow_exception(error);
      } catch (const std::exception& e) {
        why = e.what();
      }
      return Finish({}, std::make_exception_ptr(ClientError(
                            ClientErrorKind::kNoHostAvailable,
                            fmt::format("no host available after {} attempts; last error: {}",
                                        plan_.size(), why))));
    }
    Send(plan_[pos_++]);
  }

  void Send(size_t host) {
    std::pair<cql::Opcode, std::string> request;
    try {
      request = Encode();
    } catch (...) {
      return Finish({}, std::current_exception());
    }
    core_->pool(host)->Submit(
        request.first, std::move(request.second), deadline_,
        [self = shared_from_this(), host](std::exception_ptr err, Frame frame) {
          self->OnResponse(host, err, std::move(frame));
        });
  }

  void OnResponse(size_t host, std::exception_ptr err, Frame frame) {
    if (err) {
      bool not_sent = false, retryable = false;
      try {
        std::rethrow_exception(err);
      } catch (const NotSentError&) {
        not_sent = true;
      } catch (const ClientError& e) {
        retryable = e.kind() == ClientErrorKind::kConnection;
      } catch (...) {
      }
      if (Clock::now() < deadline_ && (not_sent || (retryable && Idempotent()))) {
        if (pos_ < plan_.size()) core_->CountRetry();
        return Next(err);
      }
      return Finish({}, err);
    }
    try {
      if (frame.opcode == cql::Opcode::kError) {
        CqlError e = cql::DecodeError(frame.body);
        if (e.code() == ErrorCode::kUnprepared && reprepares_ < kMaxReprepares) {
          if (auto query = QueryOf(e.prepared_id)) return Reprepare(host, *query, e.prepared_id);
        }
        return Finish({}, std::make_exception_ptr(e));
      }
      if (frame.opcode != cql::Opcode::kResult) {
        throw ClientError(ClientErrorKind::kProtocol, fmt::format("unexpected response opcode {}",
                                                                  static_cast<int>(frame.opcode)));
      }
      cql::ResultMessage msg = cql::DecodeResult(frame.body, core_->version());
      Finish(std::move(msg), nullptr);
    } catch (const CqlError& e) {
      // A response we cannot decode is a client-side protocol failure.
      Finish({}, std::make_exception_ptr(ClientError(ClientErrorKind::kProtocol,
                                                     fmt::format("bad response: {}", e.what()))));
    } catch (...) {
      Finish({}, std::current_exception());
    }
  }

  // The prepared statement the server no longer knows.
  std::shared_ptr<const PreparedStatement> PreparedOf(const std::string& id) const {
    if (kind_ == Kind::kStatement) return statement->prepared;
    if (kind_ == Kind::kBatch) {
      for (const auto& s : batch->statements) {
        if (s.prepared && s.prepared->id() == id) return s.prepared;
      }
      for (const auto& s : batch->statements) {
        if (s.prepared) return s.prepared;
      }
    }
    return nullptr;
  }

  std::optional<std::string> QueryOf(const std::string& id) const {
    auto p = PreparedOf(id);
    if (!p) return std::nullopt;
    return p->query();
  }

  void Reprepare(size_t host, const std::string& query, const std::string& old_id) {
    ++reprepares_;
    core_->CountReprepare();
    auto target = PreparedOf(old_id);
    core_->pool(host)->Submit(
        cql::Opcode::kPrepare, cql::EncodePrepare(query), deadline_,
        [self = shared_from_this(), host, target](std::exception_ptr err, Frame frame) {
          if (err) return self->OnResponse(host, err, {});
          try {
            if (frame.opcode == cql::Opcode::kError) {
              return self->Finish({}, std::make_exception_ptr(cql::DecodeError(frame.body)));
            }
            auto msg = cql::DecodeResult(frame.body, self->core_->version());
            auto* prepared = std::get_if<cql::PreparedResult>(&msg);
            if (!prepared) {
              throw ClientError(ClientErrorKind::kProtocol, "PREPARE did not return Prepared");
            }
            target->Update(prepared->id, prepared->result_metadata.columns);
          } catch (...) {
            return self->Finish({}, std::current_exception());
          }
          self->Send(host);  // the same host now knows the statement
        });
  }

  void Finish(cql::ResultMessage msg, std::exception_ptr err) {
    if (finished_) return;
    finished_ = true;
    core_->CountFinish(err);
    Result result;
    if (!err) {
      try {
        result = Build(std::move(msg));
      } catch (...) {
        err = std::current_exception();
      }
    }
    try {
      callback_(std::move(result), err);
    } catch (...) {
      // A throwing callback must not take the I/O thread down.
    }
  }

  Result Build(cql::ResultMessage msg) {
    auto page = std::make_shared<Page>();
    ResultKind kind = ResultKind::kVoid;
    std::string keyspace;
    std::optional<cql::SchemaChange> change;
    if (auto* rows = std::get_if<cql::RowsResult>(&msg)) {
      kind = ResultKind::kRows;
      page->paging_state = std::move(rows->metadata.paging_state);
      page->columns = std::move(rows->metadata.columns);
      if (rows->metadata.no_metadata && kind_ == Kind::kStatement && statement->prepared) {
        auto known = statement->prepared->result_columns();
        if (known->size() == page->columns.size()) {
          page->columns = *known;
        } else {
          // The table changed under the statement: keep the values reachable
          // by index, as blobs, rather than misreading them.
          for (size_t i = 0; i < page->columns.size(); ++i) {
            page->columns[i].name = "column" + std::to_string(i);
            page->columns[i].type = DataType::Of(TypeKind::kBlob);
          }
        }
      }
      page->rows = std::move(rows->rows);
    } else if (auto* ks = std::get_if<cql::SetKeyspaceResult>(&msg)) {
      kind = ResultKind::kSetKeyspace;
      keyspace = ks->keyspace;
    } else if (auto* sc = std::get_if<cql::SchemaChange>(&msg)) {
      kind = ResultKind::kSchemaChange;
      change = *sc;
    } else if (auto* prepared = std::get_if<cql::PreparedResult>(&msg)) {
      kind = ResultKind::kPrepared;
      if (on_prepared) on_prepared(std::move(*prepared));
    }
    Result r = Result::Make(kind, std::move(page), core_, statement);
    r.SetPayload(std::move(keyspace), std::move(change));
    return r;
  }

  std::shared_ptr<SessionCore> core_;
  Kind kind_;
  ResultCallback callback_;
  Clock::time_point deadline_;
  std::vector<size_t> plan_;
  size_t pos_ = 0;
  int reprepares_ = 0;
  bool finished_ = false;
};

}  // namespace

std::optional<int64_t> SessionCore::RoutingToken(const Statement& s) const {
  if (s.routing_key) return Murmur3Token(*s.routing_key);
  if (!s.prepared || s.prepared->pk_indexes().empty()) return std::nullopt;
  std::vector<std::string_view> parts;
  for (uint16_t i : s.prepared->pk_indexes()) {
    if (i >= s.values.size() || s.values[i].state != cql::BoundValue::State::kSet) {
      return std::nullopt;
    }
    parts.push_back(s.values[i].bytes);
  }
  if (parts.size() == 1) return Murmur3Token(parts[0]);
  return Murmur3Token(CompositePartitionKey(parts));
}

void SessionCore::Execute(std::shared_ptr<const Statement> statement, ResultCallback callback,
                          bool block) {
  BeginRequest(block);
  auto self = shared_from_this();
  auto run = std::make_shared<Run>(
      self, Run::Kind::kStatement,
      [self, callback = std::move(callback)](Result r, std::exception_ptr e) {
        if (!e && r.kind() == ResultKind::kSetKeyspace && r.keyspace() != self->keyspace()) {
          // A USE through Execute switches the whole session.
          std::lock_guard lock(self->mu_);
          self->keyspace_ = r.keyspace();
          for (auto& p : self->pools_) p->SetKeyspace(self->keyspace_);
        }
        callback(std::move(r), e);
        self->EndRequest();
      });
  run->statement = statement;
  std::optional<int64_t> token;
  if (options_.token_aware) token = RoutingToken(*statement);
  run->Start(statement->timeout, token);
}

void SessionCore::ExecuteBatch(std::shared_ptr<const Batch> batch, ResultCallback callback,
                               bool block) {
  BeginRequest(block);
  auto self = shared_from_this();
  auto run =
      std::make_shared<Run>(self, Run::Kind::kBatch,
                            [self, callback = std::move(callback)](Result r, std::exception_ptr e) {
                              callback(std::move(r), e);
                              self->EndRequest();
                            });
  run->batch = batch;
  // A batch goes to the owner of its first statement's partition.
  std::optional<int64_t> token;
  if (options_.token_aware && !batch->statements.empty()) {
    token = RoutingToken(batch->statements.front());
  }
  run->Start(batch->timeout, token);
}

void SessionCore::Prepare(std::string query, PrepareCallback callback) {
  std::string ks = keyspace();
  std::string cache_key = ks + '\0' + query;
  {
    std::lock_guard lock(mu_);
    auto it = prepared_.find(cache_key);
    if (it != prepared_.end()) return callback(it->second, nullptr);
  }
  BeginRequest(false);
  auto self = shared_from_this();
  auto made = std::make_shared<std::shared_ptr<const PreparedStatement>>();
  auto run = std::make_shared<Run>(
      self, Run::Kind::kPrepare,
      [self, made, callback = std::move(callback)](Result, std::exception_ptr e) {
        if (!e && !*made) {
          e = std::make_exception_ptr(
              ClientError(ClientErrorKind::kProtocol, "PREPARE did not return Prepared"));
        }
        callback(e ? nullptr : *made, e);
        self->EndRequest();
      });
  run->prepare_query = query;
  run->on_prepared = [self, made, query, ks, cache_key](cql::PreparedResult p) {
    auto stmt = std::make_shared<const PreparedStatement>(query, ks, std::move(p));
    std::lock_guard lock(self->mu_);
    auto [it, inserted] = self->prepared_.emplace(cache_key, stmt);
    *made = it->second;
  };
  run->Start(options_.request_timeout, std::nullopt);
}

}  // namespace helenus::client

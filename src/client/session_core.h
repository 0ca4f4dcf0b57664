#pragma once

#include <asio.hpp>
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "connection.h"
#include "helenus/client/session.h"
#include "pool.h"
#include "ring.h"

namespace helenus::client {

// True on the session's I/O threads (where blocking on a request would deadlock).
bool OnIoThread();

// The shared state behind Session (and the Results that fetch more pages).
class SessionCore : public std::enable_shared_from_this<SessionCore> {
 public:
  // Starts the I/O threads; Connect does the rest.
  explicit SessionCore(ClusterOptions options);
  // Stops everything.
  ~SessionCore();

  // Control connection, discovery, pools. Throws ClientError / CqlError.
  void Connect();
  // Runs a statement; callback gets the first page. Counts as in flight.
  void Execute(std::shared_ptr<const Statement> statement, ResultCallback callback, bool block);
  // Runs a batch.
  void ExecuteBatch(std::shared_ptr<const Batch> batch, ResultCallback callback, bool block);
  // Prepares (cached by keyspace + text).
  void Prepare(std::string query, PrepareCallback callback);
  // Waits for an asynchronous call; throws its error.
  Result Wait(const std::function<void(ResultCallback)>& start);
  // USE keyspace on every connection, now and later.
  void SetKeyspace(const std::string& keyspace);
  // The session keyspace.
  std::string keyspace() const;
  // Negotiated protocol version.
  uint8_t version() const { return version_; }
  // Known hosts.
  std::vector<HostInfo> Hosts() const;
  // Token of the statement's partition, when computable.
  std::optional<int64_t> RoutingToken(const Statement& statement) const;
  // Address of the owner of token.
  std::string ReplicaFor(int64_t token) const;
  // Requests in flight.
  size_t in_flight() const;
  // Counters.
  SessionStats stats() const;
  // Counts a retry / a re-prepare / a finished request (from Run).
  void CountRetry() { ++retries_; }
  void CountReprepare() { ++reprepares_; }
  void CountFinish(std::exception_ptr error);
  // Waits until no request is in flight.
  void Drain();
  // Closes connections and stops the I/O threads.
  void Close();

  // Hosts to try for a statement, best first.
  std::vector<size_t> Plan(std::optional<int64_t> token);
  // The pool of host i.
  const std::shared_ptr<Pool>& pool(size_t i) const { return pools_[i]; }
  // Options in use.
  const ClusterOptions& options() const { return options_; }

 private:
  struct Endpoint {
    std::string host;
    int port;
  };
  Endpoint ParseContactPoint(const std::string& cp) const;
  std::shared_ptr<Connection> OpenControl(const Endpoint& ep);
  void Discover(const std::shared_ptr<Connection>& control, const Endpoint& ep);
  Frame ControlRequest(const std::shared_ptr<Connection>& conn, cql::Opcode opcode,
                       std::string body);
  void BeginRequest(bool block);
  void EndRequest();

  ClusterOptions options_;
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::atomic<int> running_threads_{0};
  uint8_t version_ = 4;
  std::vector<HostInfo> hosts_;
  std::vector<std::shared_ptr<Pool>> pools_;
  TokenRing ring_;
  std::atomic<size_t> round_robin_{0};

  mutable std::mutex mu_;
  std::string keyspace_;
  std::map<std::string, std::shared_ptr<const PreparedStatement>> prepared_;

  mutable std::mutex flight_mu_;
  std::condition_variable flight_cv_;
  size_t in_flight_ = 0;
  std::atomic<bool> closed_{false};
  std::atomic<uint64_t> requests_{0}, retries_{0}, reprepares_{0}, timeouts_{0}, errors_{0};
};

}  // namespace helenus::client

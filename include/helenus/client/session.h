#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/client/error.h"
#include "helenus/client/result.h"
#include "helenus/client/statement.h"
#include "helenus/client/values.h"
#include "helenus/cql/frame.h"

namespace helenus::client {

// How to reach and talk to a cluster.
struct ClusterOptions {
  std::vector<std::string> contact_points = {"127.0.0.1"};  // "host" or "host:port"
  int port = 9042;                                          // when a contact point has none
  std::string keyspace;                                     // USE'd on every connection
  int connections_per_host = 2;
  int max_streams_per_connection = 1024;  // requests in flight on one connection (<= 32768)
  size_t max_requests_in_flight = 4096;   // whole session; ExecuteAsync blocks beyond it
  std::chrono::milliseconds request_timeout{12000};
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds heartbeat_interval{0};         // OPTIONS on idle connections; 0 = off
  cql::Compression compression = cql::Compression::kNone;  // kLz4 recommended for bulk work
  uint8_t max_protocol_version = 4;  // 3 or 4 (no v5 framing); stepped down when refused
  bool token_aware = true;           // route to the replica owning the partition
  bool discover_peers = true;        // read system.peers and connect to every host
  int io_threads = 1;                // threads running the event loop and callbacks
};

// One node of the cluster, from system.local / system.peers.
struct HostInfo {
  std::string address;  // where we connect (rpc_address, or the contact point)
  int port = 9042;
  std::string host_id;  // uuid text
  std::string data_center;
  std::string rack;
  std::string release_version;
  std::vector<int64_t> tokens;
  bool up = true;
};

// Counters since the session started.
struct SessionStats {
  uint64_t requests = 0;    // statements, batches and prepares started
  uint64_t retries = 0;     // attempts after the first on another host or connection
  uint64_t reprepares = 0;  // transparent re-prepares after Unprepared
  uint64_t timeouts = 0;    // requests failed with kTimeout
  uint64_t errors = 0;      // requests failed with any error
};

// Callback of PrepareAsync; error is null on success.
using PrepareCallback = std::function<void(std::shared_ptr<const PreparedStatement> prepared,
                                           std::exception_ptr error)>;

// A connected driver: pools of connections to every host, the token ring,
// the prepared statement cache. Thread-safe; share one per process.
class Session {
 public:
  // Connects to the first reachable contact point, negotiates the protocol,
  // discovers the hosts and opens their pools. Throws ClientError or CqlError.
  static std::shared_ptr<Session> Connect(ClusterOptions options);
  // Closes every connection (pending requests fail with kConnection).
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs a statement and waits for its first page; throws CqlError / ClientError.
  Result Execute(const Statement& statement);
  // Runs a simple statement with positional values (Execute("...") takes the Statement overload).
  Result Execute(std::string_view query, std::vector<BoundValue> values);
  // Runs a batch and waits.
  Result Execute(const Batch& batch);

  // Starts a statement; the callback gets the result or the error.
  void ExecuteAsync(Statement statement, ResultCallback callback);
  // Starts a statement; the future yields the result or throws.
  std::future<Result> ExecuteAsync(Statement statement);
  // Starts a batch; the callback gets the result or the error.
  void ExecuteAsync(Batch batch, ResultCallback callback);
  // Starts a batch; the future yields the result or throws.
  std::future<Result> ExecuteAsync(Batch batch);

  // Prepares (or returns the cached statement for this text and keyspace).
  std::shared_ptr<const PreparedStatement> Prepare(std::string_view query);
  // Prepares asynchronously.
  void PrepareAsync(std::string query, PrepareCallback callback);

  // Switches every connection (present and future) to keyspace.
  void SetKeyspace(std::string_view keyspace);
  // The current keyspace ("" when none).
  std::string keyspace() const;
  // The negotiated protocol version.
  uint8_t protocol_version() const;
  // The known hosts.
  std::vector<HostInfo> Hosts() const;
  // The token of a statement's partition (from its routing key or the prepared
  // pk_indexes and values); nullopt when it cannot be computed.
  std::optional<int64_t> RoutingToken(const Statement& statement) const;
  // The address of the host owning token on the ring ("" when the ring is empty).
  std::string ReplicaFor(int64_t token) const;
  // Requests currently in flight.
  size_t in_flight() const;
  // Counters of requests, retries, re-prepares, timeouts and errors.
  SessionStats stats() const;
  // Waits until no request is in flight.
  void Drain();
  // Closes all connections now.
  void Close();

  // Used by Connect; call Connect instead.
  explicit Session(std::shared_ptr<SessionCore> core);

 private:
  std::shared_ptr<SessionCore> core_;
};

}  // namespace helenus::client

#pragma once

#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "helenus/client/error.h"
#include "helenus/cql/frame.h"

namespace helenus::client {

using Clock = std::chrono::steady_clock;

// A ClientError for a request that never reached the server: retrying it is
// always safe, idempotent or not.
class NotSentError : public ClientError {
 public:
  using ClientError::ClientError;
};

// One response frame, body already decompressed.
struct Frame {
  cql::Opcode opcode = cql::Opcode::kError;
  std::string body;
};

// Completion of one request: error (ClientError) or the response frame.
using FrameHandler = std::function<void(std::exception_ptr error, Frame frame)>;

// What a connection needs to open.
struct ConnectionConfig {
  std::string host;
  int port = 9042;
  uint8_t version = 4;
  cql::Compression compression = cql::Compression::kNone;
  std::string keyspace;  // USE'd after READY when not empty
  int max_streams = 1024;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds handshake_timeout{12000};
  std::chrono::milliseconds heartbeat_interval{0};
};

// One TCP connection speaking CQL v3/v4 with many streams in flight. All its
// state lives on its strand; Send may be called from any thread.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // A closed connection; call Open.
  Connection(asio::io_context& io, ConnectionConfig config);

  // Connects, sends STARTUP (and USE); done gets null or the error (a
  // ClientError, or the server's CqlError such as an unsupported version).
  void Open(std::function<void(std::exception_ptr)> done);
  // Reserves a stream; false when the connection is full or not usable.
  bool TryAcquire();
  // Sends a request on a reserved stream; handler runs exactly once on the strand.
  void Send(cql::Opcode opcode, std::string body, Clock::time_point deadline, FrameHandler handler);
  // Closes the connection; requests in flight fail with kConnection.
  void Close();
  // Called (on the strand) whenever a stream becomes free or the connection dies.
  void SetOnRelease(std::function<void()> on_release) { on_release_ = std::move(on_release); }

  // Open and not failed.
  bool usable() const { return state_.load() == State::kReady; }
  // True once the connection failed or was closed.
  bool defunct() const { return state_.load() == State::kDefunct; }
  // Streams reserved.
  int in_flight() const { return in_flight_.load(); }
  // "host:port".
  std::string endpoint() const;
  // The keyspace the connection last switched to.
  const std::string& keyspace() const { return config_.keyspace; }
  // Records the keyspace after a USE on this connection.
  void SetKeyspace(std::string ks);

 private:
  enum class State { kNew, kOpening, kReady, kDefunct };
  struct Pending {
    FrameHandler handler;
    Clock::time_point deadline;
    bool active = false;    // a request is out on this stream
    bool orphaned = false;  // timed out; the stream is freed when its answer comes
  };

  void Handshake(std::function<void(std::exception_ptr)> done);
  void SendOnStrand(cql::Opcode opcode, std::string body, Clock::time_point deadline,
                    FrameHandler handler);
  void StartRead();
  void ProcessFrames();
  void Deliver(int16_t stream, Frame frame);
  void WriteNext();
  void ScheduleSweep();
  void Sweep();
  void Fail(const std::string& reason);
  void ReleaseStream(int16_t stream);

  asio::strand<asio::io_context::executor_type> strand_;
  asio::ip::tcp::socket socket_;
  asio::ip::tcp::resolver resolver_;
  asio::steady_timer timer_;
  ConnectionConfig config_;
  std::atomic<State> state_{State::kNew};
  std::atomic<int> in_flight_{0};
  bool compress_ = false;
  std::vector<Pending> pending_;
  std::vector<int16_t> free_streams_;
  std::string read_buf_;
  size_t read_pos_ = 0;
  std::deque<std::string> write_queue_;
  bool writing_ = false;
  Clock::time_point last_activity_;
  bool heartbeat_out_ = false;
  std::function<void()> on_release_;
};

}  // namespace helenus::client

#pragma once

#include <array>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <asio.hpp>

#include "helenus/cql/frame.h"
#include "helenus/cql/messages.h"
#include "helenus/query/processor.h"
#include "helenus/server/server.h"

namespace helenus::server {

class EventHub;

// One client connection: reads frames, runs requests on the worker pool and
// writes responses in completion order, so many streams run at once.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::ip::tcp::socket socket, asio::thread_pool* workers,
             query::RequestHandler* processor, EventHub* events, const ServerOptions* options);

  // Starts reading frames.
  void Start();
  // Queues an EVENT frame (stream -1) if the client registered for it.
  void PushEvent(const std::string& body);
  // Closes the socket; pending work finishes and is dropped.
  void Close();

 private:
  void ReadHeader();
  // Dispatches every complete frame in the read buffer; false once closing.
  bool ParseFrames();
  void Dispatch(cql::FrameHeader header, std::string body);
  void RunOnWorker(cql::FrameHeader header, std::string body);
  std::string Handle(const cql::FrameHeader& header, const std::string& body,
                     query::ClientState& state, cql::Opcode* opcode,
                     std::optional<std::string>* new_keyspace);
  void Send(int16_t stream, cql::Opcode opcode, std::string body, bool close_after = false);
  void WriteNext();
  void MaybeResumeReading();

  asio::ip::tcp::socket socket_;
  asio::strand<asio::any_io_executor> strand_;
  asio::thread_pool* workers_;
  query::RequestHandler* processor_;
  EventHub* events_;
  const ServerOptions* options_;

  std::string read_buf_;  // bytes received, frames not yet dispatched
  size_t read_end_ = 0;   // read_buf_[0, read_end_) holds received bytes
  // Connection state below is touched only on strand_.
  query::ClientState state_;
  uint8_t version_ = 0;  // fixed by the first accepted frame
  cql::Compression compression_ = cql::Compression::kNone;
  bool compress_responses_ = false;
  std::deque<std::string> write_queue_;
  size_t queued_bytes_ = 0;  // bytes in write_queue_ and in the write under way
  bool writing_ = false;
  bool reading_paused_ = false;
  bool closing_ = false;
  int in_flight_ = 0;
};

// Connections that registered for schema-change events.
class EventHub {
 public:
  // Remembers conn for future events.
  void Register(const std::shared_ptr<Connection>& conn);
  // Sends body to every live registered connection.
  void Broadcast(const std::string& body);

 private:
  std::mutex mu_;
  std::vector<std::weak_ptr<Connection>> conns_;
};

}  // namespace helenus::server

#pragma once

#include <asio.hpp>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connection.h"

namespace helenus::client {

// The connections to one host: picks the least loaded one, queues requests
// while every stream is busy (or while connecting), reconnects failed ones.
class Pool : public std::enable_shared_from_this<Pool> {
 public:
  // A pool of config.host with size connections (opened by Fill).
  Pool(asio::io_context& io, ConnectionConfig config, int size);

  // Opens connections up to the pool size (asynchronously).
  void Fill();
  // Sends a request on some connection, now or when a stream frees up;
  // handler gets a kConnection error when the host cannot be reached.
  void Submit(cql::Opcode opcode, std::string body, Clock::time_point deadline,
              FrameHandler handler);
  // Runs fn on every usable connection (e.g. to switch keyspaces).
  std::vector<std::shared_ptr<Connection>> UsableConnections();
  // Sets the keyspace new connections USE.
  void SetKeyspace(const std::string& ks);
  // Closes every connection; queued requests fail.
  void Close();
  // True when at least one connection is open or being opened without a recent failure.
  bool LooksUp();
  // "host:port".
  std::string endpoint() const;

 private:
  struct Waiting {
    cql::Opcode opcode;
    std::string body;
    Clock::time_point deadline;
    FrameHandler handler;
  };
  void OnRelease();
  void OpenOne();
  void Drain();
  void FailWaiting(const std::string& reason);

  asio::io_context& io_;
  std::mutex mu_;
  ConnectionConfig config_;
  int size_;
  std::vector<std::shared_ptr<Connection>> connections_;
  int opening_ = 0;
  bool closed_ = false;
  Clock::time_point last_failure_{};
  std::deque<Waiting> waiting_;
};

}  // namespace helenus::client

#include "helenus/server/server.h"

#include <algorithm>
#include <thread>

#include <spdlog/spdlog.h>

#include "connection.h"

namespace helenus::server {

// Owns the event loop, the acceptor and the worker pool.
class ServerImpl {
 public:
  ServerImpl(ServerOptions options, query::RequestHandler* processor)
      : options_(std::move(options)),
        processor_(processor),
        acceptor_(io_),
        workers_(WorkerCount(options_)) {
    processor_->OnSchemaChange([this](const cql::SchemaChange& change) {
      events_.Broadcast(cql::EncodeSchemaChangeEvent(change));
    });
  }

  std::string Bind() {
    asio::error_code ec;
    auto address = asio::ip::make_address(options_.host, ec);
    if (ec) return "invalid listen address " + options_.host + ": " + ec.message();
    asio::ip::tcp::endpoint ep(address, static_cast<uint16_t>(options_.port));
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      return fmt::format("cannot listen on {}:{}: {}", options_.host, options_.port, ec.message());
    return "";
  }

  int port() const { return acceptor_.local_endpoint().port(); }

  void Run() {
    Accept();
    std::vector<std::thread> extra;
    for (int i = 1; i < options_.io_threads; ++i) extra.emplace_back([this] { io_.run(); });
    io_.run();
    for (auto& t : extra) t.join();
    workers_.join();
  }

  void Stop() {
    asio::post(io_, [this] {
      asio::error_code ec;
      acceptor_.close(ec);
      io_.stop();
    });
  }

 private:
  static size_t WorkerCount(const ServerOptions& o) {
    if (o.worker_threads > 0) return o.worker_threads;
    // Writes wait on the WAL fsync; more waiting writers than cores lets
    // RocksDB group-commit them, while CPU-bound work stays within the pool.
    return std::max(16u, 4 * std::thread::hardware_concurrency());
  }

  void Accept() {
    acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
      if (ec) {
        if (ec != asio::error::operation_aborted) spdlog::warn("accept failed: {}", ec.message());
        if (!acceptor_.is_open()) return;
      } else {
        std::make_shared<Connection>(std::move(socket), &workers_, processor_, &events_, &options_)
            ->Start();
      }
      Accept();
    });
  }

  ServerOptions options_;
  query::RequestHandler* processor_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  asio::thread_pool workers_;
  EventHub events_;
};

Server::Server(ServerOptions options, query::RequestHandler* processor)
    : impl_(std::make_unique<ServerImpl>(std::move(options), processor)) {}
Server::~Server() = default;
std::string Server::Bind() {
  return impl_->Bind();
}
int Server::port() const {
  return impl_->port();
}
void Server::Run() {
  impl_->Run();
}
void Server::Stop() {
  impl_->Stop();
}

}  // namespace helenus::server

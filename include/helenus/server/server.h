#pragma once

#include <memory>
#include <string>

#include "helenus/query/processor.h"

namespace helenus::server {

// Network settings of `helenus serve`.
struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 9042;
  int io_threads = 1;      // event loops; never blocked by statements
  int worker_threads = 0;  // statement pool; 0 = sized from the machine
  size_t max_frame_bytes = 256u << 20;
  int max_in_flight_per_connection = 1024;
};

class ServerImpl;

// The CQL native protocol server: accepts connections and hands requests to
// the query processor on a worker pool.
class Server {
 public:
  Server(ServerOptions options, query::RequestHandler* processor);
  ~Server();

  // Binds the listening socket; returns an error text or "".
  std::string Bind();
  // The bound port (useful with port 0).
  int port() const;
  // Serves until Stop() is called.
  void Run();
  // Stops accepting and closes connections; safe from a signal-handling thread.
  void Stop();

 private:
  std::unique_ptr<ServerImpl> impl_;
};

}  // namespace helenus::server

// Connecting the command-line tools to a server.
#include "helenus/shell/connect.h"

#include <fmt/format.h>

#include "helenus/client/error.h"
#include "helenus/common/error.h"

namespace helenus::shell {

void SplitHostPort(const std::string& s, std::string* host, int* port, int default_port) {
  *port = default_port;
  *host = s.empty() ? "127.0.0.1" : s;
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    *host = s.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    if (close != std::string::npos && close + 1 < s.size() && s[close + 1] == ':') {
      *port = std::stoi(s.substr(close + 2));
    }
    return;
  }
  auto colon = s.find(':');
  // More than one colon without brackets is a bare IPv6 address.
  if (colon != std::string::npos && s.find(':', colon + 1) == std::string::npos) {
    *host = s.substr(0, colon);
    *port = std::stoi(s.substr(colon + 1));
  }
}

std::shared_ptr<client::Session> ConnectTo(const std::string& host_port,
                                           const std::string& keyspace) {
  client::ClusterOptions options;
  std::string host;
  int port = 9042;
  SplitHostPort(host_port, &host, &port);
  options.contact_points = {host};
  options.port = port;
  options.keyspace = keyspace;
  options.max_requests_in_flight = 8192;
  return client::Session::Connect(options);
}

std::string DescribeError(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const CqlError& e) {
    return fmt::format("code={:04X} {}", static_cast<int>(e.code()), e.what());
  } catch (const client::ClientError& e) {
    return fmt::format("{}: {}", client::ClientErrorKindName(e.kind()), e.what());
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace helenus::shell

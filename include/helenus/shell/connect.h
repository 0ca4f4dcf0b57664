#pragma once

#include <memory>
#include <string>

#include "helenus/client/session.h"

namespace helenus::shell {

// Connects to "HOST[:PORT]" (default 127.0.0.1:9042) with options fit for
// interactive and bulk work; throws ClientError/CqlError.
std::shared_ptr<client::Session> ConnectTo(const std::string& host_port,
                                           const std::string& keyspace = "");

// Splits "host[:port]" ("[::1]:9042" for IPv6); port stays default_port when absent.
void SplitHostPort(const std::string& s, std::string* host, int* port, int default_port = 9042);

// A one-line description of an exception from the client ("code=2200 [Invalid query] ...").
std::string DescribeError(std::exception_ptr error);

}  // namespace helenus::shell

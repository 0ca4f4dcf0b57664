#pragma once

#include <stdexcept>
#include <string>

namespace helenus::client {

// What went wrong on the client side (server errors are helenus::CqlError).
enum class ClientErrorKind {
  kTimeout,          // no response within the request timeout
  kConnection,       // the connection failed or closed with the request in flight
  kNoHostAvailable,  // no host could be reached (all tried, or none known)
  kProtocol,         // the server's response could not be decoded
  kUsage,            // wrong use of the API (wrong value count, null column, unknown column)
};

// The name of a kind ("timeout", "connection", ...).
const char* ClientErrorKindName(ClientErrorKind kind);

// A client-side failure, distinct from CqlError which carries the server's code.
class ClientError : public std::runtime_error {
 public:
  // An error of kind with a human-readable message.
  ClientError(ClientErrorKind kind, std::string message)
      : std::runtime_error(std::move(message)), kind_(kind) {}

  // The kind of failure.
  ClientErrorKind kind() const { return kind_; }

 private:
  ClientErrorKind kind_;
};

}  // namespace helenus::client

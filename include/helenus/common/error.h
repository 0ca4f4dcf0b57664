#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace helenus {

// CQL native protocol error codes; the query front ends report through these.
enum class ErrorCode : int32_t {
  kServer = 0x0000,
  kProtocol = 0x000A,
  kBadCredentials = 0x0100,
  kUnavailable = 0x1000,
  kOverloaded = 0x1001,
  kIsBootstrapping = 0x1002,
  kTruncate = 0x1003,
  kWriteTimeout = 0x1100,
  kReadTimeout = 0x1200,
  kReadFailure = 0x1300,
  kFunctionFailure = 0x1400,
  kWriteFailure = 0x1500,
  kSyntax = 0x2000,
  kUnauthorized = 0x2100,
  kInvalid = 0x2200,
  kConfig = 0x2300,
  kAlreadyExists = 0x2400,
  kUnprepared = 0x2500,
};

// A typed error that the server turns into exactly one ERROR frame.
class CqlError : public std::runtime_error {
 public:
  CqlError(ErrorCode code, std::string message)
      : std::runtime_error(std::move(message)), code_(code) {}

  ErrorCode code() const { return code_; }
  // AlreadyExists: the keyspace and table ("" for a keyspace).
  std::string keyspace;
  std::string table;
  // Unprepared: the unknown statement id.
  std::string prepared_id;

 private:
  ErrorCode code_;
};

// Throws CqlError(kInvalid, formatted message).
template <typename... Args>
[[noreturn]] void ThrowInvalid(fmt::format_string<Args...> f, Args&&... args) {
  throw CqlError(ErrorCode::kInvalid, fmt::format(f, std::forward<Args>(args)...));
}

// Throws CqlError(kSyntax, formatted message).
template <typename... Args>
[[noreturn]] void ThrowSyntax(fmt::format_string<Args...> f, Args&&... args) {
  throw CqlError(ErrorCode::kSyntax, fmt::format(f, std::forward<Args>(args)...));
}

// Throws CqlError(kProtocol, formatted message).
template <typename... Args>
[[noreturn]] void ThrowProtocol(fmt::format_string<Args...> f, Args&&... args) {
  throw CqlError(ErrorCode::kProtocol, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace helenus

#include "helenus/client/error.h"

namespace helenus::client {

const char* ClientErrorKindName(ClientErrorKind kind) {
  switch (kind) {
    case ClientErrorKind::kTimeout:
      return "timeout";
    case ClientErrorKind::kConnection:
      return "connection";
    case ClientErrorKind::kNoHostAvailable:
      return "no host available";
    case ClientErrorKind::kProtocol:
      return "protocol";
    case ClientErrorKind::kUsage:
      return "usage";
  }
  return "unknown";
}

}  // namespace helenus::client

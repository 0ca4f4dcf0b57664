// Timeouts and connection failures against fake servers we control.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "helenus/client/session.h"
#include "helenus/cql/client_codec.h"
#include "test_server.h"

namespace helenus::client {
namespace {

using Ms = std::chrono::milliseconds;

// A loopback listener. With answer_startup, it answers STARTUP with READY,
// queries on system tables with an Invalid error, and nothing else ever.
class FakeServer {
 public:
  explicit FakeServer(bool answer_startup, int max_version = 4, bool hang_up_on_query = false)
      : answer_startup_(answer_startup),
        max_version_(max_version),
        hang_up_on_query_(hang_up_on_query) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 16);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
    for (int c : clients_) close(c);
    for (auto& t : client_threads_) t.join();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  void Serve() {
    while (!stop_) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      clients_.push_back(c);
      if (answer_startup_) client_threads_.emplace_back([this, c] { Answer(c); });
    }
  }
  static bool ReadFull(int fd, char* p, size_t n) {
    while (n > 0) {
      ssize_t r = read(fd, p, n);
      if (r <= 0) return false;
      p += r;
      n -= static_cast<size_t>(r);
    }
    return true;
  }
  void Reply(int c, const cql::FrameHeader& req, cql::Opcode op, const std::string& body) {
    auto version = static_cast<uint8_t>(0x80 | std::min<int>(req.version, max_version_));
    cql::FrameHeader h{version, 0, req.stream, op, static_cast<uint32_t>(body.size())};
    std::string frame(cql::kHeaderSize, '\0');
    cql::EncodeHeader(h, frame.data());
    frame += body;
    (void)!write(c, frame.data(), frame.size());
  }
  void Answer(int c) {
    while (!stop_) {
      char header[cql::kHeaderSize];
      if (!ReadFull(c, header, sizeof(header))) return;
      auto h = cql::DecodeHeader(reinterpret_cast<const uint8_t*>(header));
      std::string body(h.length, '\0');
      if (!ReadFull(c, body.data(), body.size())) return;
      if (h.version > max_version_) {
        // Like Cassandra: the error names the versions we speak, then we hang up.
        Reply(c, h, cql::Opcode::kError,
              cql::EncodeError(CqlError(
                  ErrorCode::kProtocol,
                  fmt::format("Invalid or unsupported protocol version ({}); supported versions "
                              "are (3/v3)",
                              h.version))));
        shutdown(c, SHUT_RDWR);
        return;
      }
      if (h.opcode == cql::Opcode::kStartup) {
        Reply(c, h, cql::Opcode::kReady, "");
      } else if (h.opcode == cql::Opcode::kQuery &&
                 cql::DecodeQuery(body, 4).query.find("system.") != std::string::npos) {
        Reply(c, h, cql::Opcode::kError,
              cql::EncodeError(CqlError(ErrorCode::kInvalid, "no system tables here")));
      } else if (hang_up_on_query_) {
        shutdown(c, SHUT_RDWR);  // the connection dies with the request in flight
        return;
      }
      // Anything else: silence.
    }
  }

  bool answer_startup_;
  int max_version_;
  bool hang_up_on_query_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<int> clients_;
  std::vector<std::thread> client_threads_;
};

TEST(TimeoutTest, ConnectToASilentListenerTimesOut) {
  FakeServer silent(false);
  ClusterOptions o;
  o.contact_points = {silent.address()};
  o.request_timeout = Ms(500);
  auto start = std::chrono::steady_clock::now();
  try {
    Session::Connect(o);
    FAIL() << "connected to a silent listener";
  } catch (const ClientError& e) {
    EXPECT_EQ(e.kind(), ClientErrorKind::kTimeout) << e.what();
  }
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, Ms(450));
  EXPECT_LT(took, Ms(3000));
}

TEST(TimeoutTest, RequestsTimeOutInTheConfiguredTime) {
  FakeServer server(true);
  ClusterOptions o;
  o.contact_points = {server.address()};
  o.request_timeout = Ms(400);
  auto session = Session::Connect(o);
  for (auto timeout : {Ms(0), Ms(900)}) {
    Statement s("SELECT * FROM ks.t");
    s.timeout = timeout;
    auto want = timeout.count() ? timeout : o.request_timeout;
    auto start = std::chrono::steady_clock::now();
    try {
      session->Execute(s);
      FAIL() << "no timeout";
    } catch (const ClientError& e) {
      EXPECT_EQ(e.kind(), ClientErrorKind::kTimeout) << e.what();
    }
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, want - Ms(10));
    EXPECT_LT(took, want + Ms(1500));
  }
  // Many in flight time out together, through the async API.
  std::vector<std::future<Result>> futures;
  for (int i = 0; i < 200; ++i) futures.push_back(session->ExecuteAsync(Statement("SELECT 1")));
  for (auto& f : futures) {
    try {
      f.get();
      FAIL() << "no timeout";
    } catch (const ClientError& e) {
      EXPECT_EQ(e.kind(), ClientErrorKind::kTimeout);
    }
  }
}

TEST(TimeoutTest, ProtocolVersionStepsDownWhenRefused) {
  FakeServer v3_only(true, 3);
  ClusterOptions o;
  o.contact_points = {v3_only.address()};
  o.request_timeout = Ms(500);
  auto session = Session::Connect(o);
  EXPECT_EQ(session->protocol_version(), 3);
}

TEST(TimeoutTest, OnlyIdempotentStatementsAreRetriedAfterAConnectionLoss) {
  FakeServer server(true, 4, true);
  ClusterOptions o;
  o.contact_points = {server.address()};
  o.request_timeout = Ms(2000);
  auto session = Session::Connect(o);
  auto kind_of = [&](const Statement& s) {
    try {
      session->Execute(s);
    } catch (const ClientError& e) {
      return e.kind();
    }
    ADD_FAILURE() << "no error for " << s.query;
    return ClientErrorKind::kUsage;
  };
  EXPECT_EQ(kind_of(Statement("INSERT INTO ks.t (k) VALUES (1)")), ClientErrorKind::kConnection);
  EXPECT_EQ(session->stats().retries, 0u);
  EXPECT_EQ(kind_of(Statement("SELECT * FROM ks.t")), ClientErrorKind::kNoHostAvailable);
  uint64_t after_select = session->stats().retries;
  EXPECT_GE(after_select, 1u);
  Statement marked("UPDATE ks.t SET v = 1 WHERE k = 1");
  marked.idempotent = true;
  EXPECT_EQ(kind_of(marked), ClientErrorKind::kNoHostAvailable);
  EXPECT_GT(session->stats().retries, after_select);
}

TEST(TimeoutTest, NoListenerIsAConnectionError) {
  ClusterOptions o;
  o.contact_points = {"127.0.0.1:" + std::to_string(testing::FreePort())};
  o.request_timeout = Ms(500);
  try {
    Session::Connect(o);
    FAIL() << "connected to nothing";
  } catch (const ClientError& e) {
    EXPECT_EQ(e.kind(), ClientErrorKind::kConnection) << e.what();
  }
  o.contact_points.push_back("127.0.0.1:" + std::to_string(testing::FreePort()));
  try {
    Session::Connect(o);
    FAIL() << "connected to nothing";
  } catch (const ClientError& e) {
    EXPECT_EQ(e.kind(), ClientErrorKind::kNoHostAvailable) << e.what();
  }
}

}  // namespace
}  // namespace helenus::client

#pragma once

// Starts and stops a real `helenus serve` for the client tests (the C++
// counterpart of tests/harness.py): the binary comes from $HELENUS_BIN or the
// newest build/*/helenus; each server gets a free port and a temp data dir.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace helenus::client::testing {

namespace fs = std::filesystem;

// The helenus binary, or "" when none is found.
inline std::string FindHelenusBinary() {
  if (const char* env = std::getenv("HELENUS_BIN"); env && *env) return env;
  // This file is tests/unit/client/test_server.h: the repository is three up.
  std::vector<fs::path> roots = {fs::path(__FILE__).parent_path() / "../../..", fs::current_path(),
                                 fs::current_path() / "..", fs::current_path() / "../.."};
  fs::path best;
  fs::file_time_type best_time{};
  for (const auto& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root / "build", ec)) continue;
    for (const auto& dir : fs::directory_iterator(root / "build", ec)) {
      fs::path bin = dir.path() / "helenus";
      if (!fs::is_regular_file(bin, ec) || access(bin.c_str(), X_OK) != 0) continue;
      auto t = fs::last_write_time(bin, ec);
      if (best.empty() || t > best_time) {
        best = bin;
        best_time = t;
      }
    }
    if (!best.empty()) break;
  }
  return best.empty() ? std::string() : fs::canonical(best).string();
}

// A free loopback TCP port.
inline int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// True when something accepts connections on the loopback port.
inline bool PortOpen(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

// One `helenus serve` process on a free port with its own data directory.
class TestServer {
 public:
  // Picks the binary, a port and a data directory (nothing starts yet).
  TestServer() {
    binary_ = FindHelenusBinary();
    port_ = FreePort();
    char tmpl[] = "/tmp/helenus-client-test-XXXXXX";
    data_dir_ = mkdtemp(tmpl);
    log_path_ = data_dir_ + ".log";
  }
  // Kills the server and removes its data.
  ~TestServer() {
    Stop();
    std::error_code ec;
    fs::remove_all(data_dir_, ec);
    fs::remove(log_path_, ec);
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Starts the server and waits until it listens; throws with a clear message otherwise.
  void Start() {
    if (binary_.empty()) {
      throw std::runtime_error(
          "helenus binary not found: set HELENUS_BIN or build it (cmake --build --preset dev)");
    }
    pid_ = fork();
    if (pid_ == 0) {
      std::string listen = "127.0.0.1:" + std::to_string(port_);
      FILE* log = fopen(log_path_.c_str(), "a");
      if (log) {
        dup2(fileno(log), 1);
        dup2(fileno(log), 2);
      }
      execl(binary_.c_str(), binary_.c_str(), "serve", "--data", data_dir_.c_str(), "--listen",
            listen.c_str(), "--commitlog-sync", "periodic", static_cast<char*>(nullptr));
      _exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("helenus serve exited early:\n" + Log());
      }
      if (Log().find("listening on") != std::string::npos && PortOpen(port_)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Stop();
    throw std::runtime_error("helenus serve not ready after 30 s:\n" + Log());
  }

  // SIGTERM, then SIGKILL after 15 s.
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 1500; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  // The loopback port.
  int port() const { return port_; }
  // "127.0.0.1:port".
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // The server's stderr so far.
  std::string Log() const {
    std::ifstream in(log_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  std::string binary_;
  std::string data_dir_;
  std::string log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace helenus::client::testing

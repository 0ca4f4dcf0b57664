#include "session_core.h"

#include <algorithm>
#include <future>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "helenus/common/strings.h"
#include "helenus/cql/client_codec.h"
#include "helenus/cql/value_codec.h"

namespace helenus::client {
namespace {

thread_local bool t_on_io_thread = false;

// A double-quoted CQL identifier ("" inside doubled).
std::string Quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string InetText(const Value& v) {
  if (!v) return {};
  if (v->size() == 4) {
    asio::ip::address_v4::bytes_type b;
    std::copy(v->begin(), v->end(), b.begin());
    return asio::ip::address_v4(b).to_string();
  }
  if (v->size() == 16) {
    asio::ip::address_v6::bytes_type b;
    std::copy(v->begin(), v->end(), b.begin());
    return asio::ip::address_v6(b).to_string();
  }
  return {};
}

// Reads one system table row into a HostInfo (absent columns stay empty).
void ReadHostRow(const Row& row, HostInfo* host) {
  const auto& page_cols = row.columns();
  auto text = [&](std::string_view name) -> std::string {
    for (size_t i = 0; i < page_cols.size(); ++i) {
      if (page_cols[i].name == name && row.Get(i)) return *row.Get(i);
    }
    return {};
  };
  auto value = [&](std::string_view name) -> Value {
    for (size_t i = 0; i < page_cols.size(); ++i) {
      if (page_cols[i].name == name) return row.Get(i);
    }
    return std::nullopt;
  };
  host->data_center = text("data_center");
  host->rack = text("rack");
  host->release_version = text("release_version");
  if (auto id = value("host_id"); id && id->size() == 16) {
    host->host_id = cql::ToLiteral(DataType::Of(TypeKind::kUuid), *id);
  }
  if (auto tokens = value("tokens")) {
    for (const auto& t : cql::DecodeCollection(*tokens)) {
      try {
        host->tokens.push_back(std::stoll(t));
      } catch (...) {
        // Not a Murmur3 token: token-aware routing is off for this host.
      }
    }
  }
}

}  // namespace

bool OnIoThread() {
  return t_on_io_thread;
}

SessionCore::SessionCore(ClusterOptions options) : options_(std::move(options)) {
  keyspace_ = options_.keyspace;
  version_ = std::clamp<uint8_t>(options_.max_protocol_version, 3, 4);
  work_.emplace(asio::make_work_guard(io_));
  int n = std::max(1, options_.io_threads);
  for (int i = 0; i < n; ++i) {
    ++running_threads_;
    threads_.emplace_back([this] {
      t_on_io_thread = true;
      io_.run();
      --running_threads_;
    });
  }
}

SessionCore::~SessionCore() {
  Close();
}

void SessionCore::Close() {
  if (closed_.exchange(true)) return;
  for (auto& p : pools_) p->Close();
  work_.reset();
  // Connections finish failing their requests, then the loop runs dry; a
  // socket we lost track of must not keep it running forever.
  auto deadline = Clock::now() + std::chrono::seconds(5);
  while (running_threads_.load() > 0 && Clock::now() < deadline && !OnIoThread()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (running_threads_.load() > 0 && !OnIoThread()) io_.stop();
  for (auto& t : threads_) {
    if (t.get_id() == std::this_thread::get_id()) {
      t.detach();  // closed from a callback: the thread ends on its own
    } else if (t.joinable()) {
      t.join();
    }
  }
  threads_.clear();
}

SessionCore::Endpoint SessionCore::ParseContactPoint(const std::string& cp) const {
  Endpoint ep{cp, options_.port};
  auto colon = cp.rfind(':');
  // "host:port" but not a bare IPv6 address; "[v6]:port" is accepted.
  if (colon != std::string::npos && cp.find(':') == colon) {
    ep.host = cp.substr(0, colon);
    ep.port = std::stoi(cp.substr(colon + 1));
  } else if (!cp.empty() && cp.front() == '[') {
    auto close = cp.find(']');
    ep.host = cp.substr(1, close - 1);
    if (close + 1 < cp.size() && cp[close + 1] == ':') ep.port = std::stoi(cp.substr(close + 2));
  }
  return ep;
}

std::shared_ptr<Connection> SessionCore::OpenControl(const Endpoint& ep) {
  while (true) {
    ConnectionConfig config;
    config.host = ep.host;
    config.port = ep.port;
    config.version = version_;
    config.compression = options_.compression;
    config.max_streams = 16;
    config.connect_timeout = options_.connect_timeout;
    config.handshake_timeout = options_.request_timeout;
    auto conn = std::make_shared<Connection>(io_, config);
    std::promise<std::exception_ptr> opened;
    conn->Open([&opened](std::exception_ptr err) { opened.set_value(err); });
    std::exception_ptr err = opened.get_future().get();
    if (!err) return conn;
    try {
      std::rethrow_exception(err);
    } catch (const CqlError& e) {
      // Step down one version at a time, as the server tells us to.
      if (e.code() == ErrorCode::kProtocol &&
          AsciiLower(e.what()).find("unsupported protocol version") != std::string::npos &&
          version_ > 3) {
        --version_;
        continue;
      }
      throw;
    }
  }
}

Frame SessionCore::ControlRequest(const std::shared_ptr<Connection>& conn, cql::Opcode opcode,
                                  std::string body) {
  if (!conn->TryAcquire()) {
    throw ClientError(ClientErrorKind::kConnection, "control connection unusable");
  }
  std::promise<std::pair<std::exception_ptr, Frame>> done;
  conn->Send(opcode, std::move(body), Clock::now() + options_.request_timeout,
             [&done](std::exception_ptr err, Frame f) {
               done.set_value({err, std::move(f)});
             });
  auto [err, frame] = done.get_future().get();
  if (err) std::rethrow_exception(err);
  if (frame.opcode == cql::Opcode::kError) throw cql::DecodeError(frame.body);
  return frame;
}

void SessionCore::Discover(const std::shared_ptr<Connection>& control, const Endpoint& ep) {
  auto rows_of = [&](const std::string& query) -> std::shared_ptr<Page> {
    cql::QueryParameters params;
    Frame f =
        ControlRequest(control, cql::Opcode::kQuery, cql::EncodeQuery(query, params, version_));
    auto msg = cql::DecodeResult(f.body, version_);
    auto page = std::make_shared<Page>();
    if (auto* rows = std::get_if<cql::RowsResult>(&msg)) {
      page->columns = std::move(rows->metadata.columns);
      page->rows = std::move(rows->rows);
    }
    return page;
  };
  HostInfo local;
  local.address = ep.host;
  local.port = ep.port;
  try {
    auto page = rows_of("SELECT * FROM system.local WHERE key='local'");
    if (!page->rows.empty()) ReadHostRow(Row(page, 0), &local);
  } catch (const CqlError&) {
    // A server without system.local still serves queries: no ring, round-robin.
  }
  hosts_.push_back(local);
  if (options_.discover_peers) {
    try {
      auto page = rows_of("SELECT * FROM system.peers");
      for (size_t i = 0; i < page->rows.size(); ++i) {
        Row row(page, i);
        HostInfo peer;
        peer.port = ep.port;
        int rpc = page->ColumnIndex("rpc_address");
        int addr = page->ColumnIndex("peer");
        peer.address = rpc >= 0 ? InetText(row.Get(static_cast<size_t>(rpc))) : "";
        if ((peer.address.empty() || peer.address == "0.0.0.0") && addr >= 0) {
          peer.address = InetText(row.Get(static_cast<size_t>(addr)));
        }
        if (peer.address.empty()) continue;
        ReadHostRow(row, &peer);
        hosts_.push_back(peer);
      }
    } catch (const CqlError&) {
      // No system.peers: a single node.
    }
  }
  for (size_t i = 0; i < hosts_.size(); ++i) ring_.Add(i, hosts_[i].tokens);
  ring_.Build();
}

void SessionCore::Connect() {
  std::vector<std::string> errors;
  std::exception_ptr last;
  for (const auto& cp : options_.contact_points) {
    Endpoint ep = ParseContactPoint(cp);
    std::shared_ptr<Connection> control;
    try {
      control = OpenControl(ep);
      if (!keyspace_.empty()) {
        // Fail now, with the server's error, if the keyspace does not exist.
        cql::QueryParameters params;
        ControlRequest(control, cql::Opcode::kQuery,
                       cql::EncodeQuery("USE " + Quoted(keyspace_), params, version_));
      }
      Discover(control, ep);
      control->Close();
      last = nullptr;
      break;
    } catch (const CqlError& e) {
      if (control) control->Close();
      throw;  // the server answered: retrying elsewhere will not change its mind
    } catch (const std::exception& e) {
      if (control) control->Close();
      errors.push_back(fmt::format("{}: {}", cp, e.what()));
      last = std::current_exception();
    }
  }
  if (hosts_.empty()) {
    if (last && options_.contact_points.size() == 1) std::rethrow_exception(last);
    throw ClientError(
        ClientErrorKind::kNoHostAvailable,
        fmt::format("cannot connect to any contact point: {}", fmt::join(errors, "; ")));
  }
  for (const auto& h : hosts_) {
    ConnectionConfig config;
    config.host = h.address;
    config.port = h.port;
    config.version = version_;
    config.compression = options_.compression;
    config.keyspace = keyspace_;
    config.max_streams = options_.max_streams_per_connection;
    config.connect_timeout = options_.connect_timeout;
    config.handshake_timeout = options_.request_timeout;
    config.heartbeat_interval = options_.heartbeat_interval;
    auto pool = std::make_shared<Pool>(io_, config, options_.connections_per_host);
    pool->Fill();
    pools_.push_back(pool);
  }
  // Wait for the first host's pool so that the first request does not queue.
  auto deadline = Clock::now() + options_.connect_timeout;
  while (Clock::now() < deadline && pools_[0]->UsableConnections().empty() &&
         pools_[0]->LooksUp()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

std::vector<size_t> SessionCore::Plan(std::optional<int64_t> token) {
  std::vector<size_t> plan;
  size_t n = pools_.size();
  if (n == 0) return plan;
  int owner = token ? ring_.Owner(*token) : -1;
  if (owner >= 0) plan.push_back(static_cast<size_t>(owner));
  size_t start = round_robin_.fetch_add(1) % n;
  for (size_t i = 0; i < n; ++i) {
    size_t h = (start + i) % n;
    if (static_cast<int>(h) != owner) plan.push_back(h);
  }
  // Hosts that failed recently go last.
  std::stable_partition(plan.begin(), plan.end(), [&](size_t h) { return pools_[h]->LooksUp(); });
  return plan;
}

std::string SessionCore::ReplicaFor(int64_t token) const {
  int owner = ring_.Owner(token);
  return owner < 0 ? std::string() : hosts_[static_cast<size_t>(owner)].address;
}

std::vector<HostInfo> SessionCore::Hosts() const {
  std::vector<HostInfo> out = hosts_;
  for (size_t i = 0; i < out.size() && i < pools_.size(); ++i) out[i].up = pools_[i]->LooksUp();
  return out;
}

std::string SessionCore::keyspace() const {
  std::lock_guard lock(mu_);
  return keyspace_;
}

void SessionCore::SetKeyspace(const std::string& keyspace) {
  if (OnIoThread()) throw ClientError(ClientErrorKind::kUsage, "SetKeyspace on an I/O thread");
  std::string use = "USE " + Quoted(keyspace);
  // The first USE reports a missing keyspace with the server's error.
  Wait([&](ResultCallback cb) { Execute(std::make_shared<Statement>(use), std::move(cb), true); });
  {
    std::lock_guard lock(mu_);
    keyspace_ = keyspace;
    for (auto& p : pools_) p->SetKeyspace(keyspace);
  }
  // Then every open connection switches before SetKeyspace returns.
  std::vector<std::future<std::exception_ptr>> pending;
  for (auto& p : pools_) {
    for (auto& conn : p->UsableConnections()) {
      auto deadline = Clock::now() + options_.request_timeout;
      while (!conn->TryAcquire()) {
        if (!conn->usable() || Clock::now() > deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      if (!conn->usable()) continue;
      auto done = std::make_shared<std::promise<std::exception_ptr>>();
      pending.push_back(done->get_future());
      cql::QueryParameters params;
      conn->Send(cql::Opcode::kQuery, cql::EncodeQuery(use, params, version_), deadline,
                 [done, conn, keyspace](std::exception_ptr err, Frame f) {
                   if (!err && f.opcode == cql::Opcode::kError) {
                     err = std::make_exception_ptr(cql::DecodeError(f.body));
                   }
                   if (!err) conn->SetKeyspace(keyspace);
                   done->set_value(err);
                 });
    }
  }
  for (auto& f : pending) {
    if (auto err = f.get()) std::rethrow_exception(err);
  }
}

Result SessionCore::Wait(const std::function<void(ResultCallback)>& start) {
  if (OnIoThread()) {
    throw ClientError(ClientErrorKind::kUsage,
                      "a synchronous call from a callback would deadlock; use the async API");
  }
  std::promise<Result> done;
  auto future = done.get_future();
  start([&done](Result r, std::exception_ptr e) {
    if (e) {
      done.set_exception(e);
    } else {
      done.set_value(std::move(r));
    }
  });
  return future.get();
}

void SessionCore::BeginRequest(bool block) {
  std::unique_lock lock(flight_mu_);
  // Back-pressure: callers outside the I/O threads wait for room; callbacks
  // (on I/O threads) never block, they may overshoot the limit a little.
  if (block && !OnIoThread()) {
    flight_cv_.wait(lock, [&] { return in_flight_ < options_.max_requests_in_flight; });
  }
  ++in_flight_;
  ++requests_;
}

SessionStats SessionCore::stats() const {
  return SessionStats{requests_.load(), retries_.load(), reprepares_.load(), timeouts_.load(),
                      errors_.load()};
}

void SessionCore::CountFinish(std::exception_ptr error) {
  if (!error) return;
  ++errors_;
  try {
    std::rethrow_exception(error);
  } catch (const ClientError& e) {
    if (e.kind() == ClientErrorKind::kTimeout) ++timeouts_;
  } catch (...) {
  }
}

void SessionCore::EndRequest() {
  std::lock_guard lock(flight_mu_);
  --in_flight_;
  flight_cv_.notify_all();
}

size_t SessionCore::in_flight() const {
  std::lock_guard lock(flight_mu_);
  return in_flight_;
}

void SessionCore::Drain() {
  std::unique_lock lock(flight_mu_);
  flight_cv_.wait(lock, [&] { return in_flight_ == 0; });
}

}  // namespace helenus::client

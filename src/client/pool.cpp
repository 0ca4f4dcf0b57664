#include "pool.h"

#include <algorithm>

#include <fmt/format.h>

#include "helenus/client/error.h"

namespace helenus::client {
namespace {

// After a failed connect, requests fail fast (so others hosts get them) for this long.
constexpr std::chrono::milliseconds kReconnectBackoff{1000};

}  // namespace

Pool::Pool(asio::io_context& io, ConnectionConfig config, int size)
    : io_(io), config_(std::move(config)), size_(std::max(1, size)) {}

std::string Pool::endpoint() const {
  return fmt::format("{}:{}", config_.host, config_.port);
}

void Pool::Fill() {
  std::lock_guard lock(mu_);
  std::erase_if(connections_, [](const auto& c) { return c->defunct(); });
  while (!closed_ && static_cast<int>(connections_.size()) + opening_ < size_) OpenOne();
}

void Pool::OpenOne() {
  // Called with mu_ held.
  ++opening_;
  auto conn = std::make_shared<Connection>(io_, config_);
  std::weak_ptr<Pool> weak = weak_from_this();
  conn->SetOnRelease([weak] {
    if (auto self = weak.lock()) self->OnRelease();
  });
  conn->Open([weak, conn](std::exception_ptr err) {
    auto self = weak.lock();
    if (!self) return;
    {
      std::lock_guard lock(self->mu_);
      --self->opening_;
      if (err) {
        self->last_failure_ = Clock::now();
      } else if (self->closed_) {
        conn->Close();
      } else {
        self->connections_.push_back(conn);
      }
    }
    if (err) {
      // Nothing usable and nothing being opened: whoever waits would wait forever.
      bool none;
      {
        std::lock_guard lock(self->mu_);
        none = self->opening_ == 0 &&
               std::none_of(self->connections_.begin(), self->connections_.end(),
                            [](const auto& c) { return c->usable(); });
      }
      if (none) {
        std::string why = "connect failed";
        try {
          std::rethrow_exception(err);
        } catch (const std::exception& e) {
          why = e.what();
        }
        self->FailWaiting(why);
      }
      return;
    }
    self->Drain();
  });
}

bool Pool::LooksUp() {
  std::lock_guard lock(mu_);
  for (const auto& c : connections_) {
    if (c->usable()) return true;
  }
  return Clock::now() - last_failure_ >= kReconnectBackoff;
}

void Pool::Submit(cql::Opcode opcode, std::string body, Clock::time_point deadline,
                  FrameHandler handler) {
  std::shared_ptr<Connection> best;
  std::unique_lock lock(mu_);
  if (closed_) {
    lock.unlock();
    return handler(std::make_exception_ptr(
                       NotSentError(ClientErrorKind::kConnection, "the session is closed")),
                   {});
  }
  // Least loaded usable connection with a free stream.
  // In-flight counts change under us on I/O threads: sort a snapshot of them,
  // never the live values (an inconsistent order makes std::sort overrun).
  std::vector<std::pair<int, std::shared_ptr<Connection>>> candidates;
  for (const auto& c : connections_) {
    if (c->usable()) candidates.emplace_back(c->in_flight(), c);
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [load, c] : candidates) {
    if (c->TryAcquire()) {
      best = c;
      break;
    }
  }
  bool defunct_seen = std::any_of(connections_.begin(), connections_.end(),
                                  [](const auto& c) { return c->defunct(); });
  if (defunct_seen || static_cast<int>(connections_.size()) + opening_ < size_) {
    std::erase_if(connections_, [](const auto& c) { return c->defunct(); });
    bool backoff = candidates.empty() && Clock::now() - last_failure_ < kReconnectBackoff;
    if (!backoff) {
      while (static_cast<int>(connections_.size()) + opening_ < size_) OpenOne();
    }
  }
  if (best) {
    lock.unlock();
    best->Send(opcode, std::move(body), deadline, std::move(handler));
    return;
  }
  if (candidates.empty() && opening_ == 0) {
    lock.unlock();
    return handler(
        std::make_exception_ptr(NotSentError(
            ClientErrorKind::kConnection,
            fmt::format("no connection to {} (reconnecting after a failure)", endpoint()))),
        {});
  }
  waiting_.push_back(Waiting{opcode, std::move(body), deadline, std::move(handler)});
}

void Pool::OnRelease() {
  Drain();
}

void Pool::Drain() {
  // Hands queued requests to connections with free streams, oldest first.
  while (true) {
    std::unique_lock lock(mu_);
    if (waiting_.empty()) return;
    std::shared_ptr<Connection> best;
    for (const auto& c : connections_) {
      if (c->usable() && (!best || c->in_flight() < best->in_flight())) best = c;
    }
    if (!best) {
      bool hopeless = opening_ == 0;
      if (hopeless && !closed_ && Clock::now() - last_failure_ >= kReconnectBackoff) {
        std::erase_if(connections_, [](const auto& c) { return c->defunct(); });
        while (static_cast<int>(connections_.size()) + opening_ < size_) OpenOne();
        return;
      }
      if (!hopeless) return;
      lock.unlock();
      return FailWaiting(fmt::format("no connection to {}", endpoint()));
    }
    if (Clock::now() >= waiting_.front().deadline) {
      // Expired while queued: report the timeout without using a stream.
      Waiting w = std::move(waiting_.front());
      waiting_.pop_front();
      lock.unlock();
      w.handler(std::make_exception_ptr(ClientError(
                    ClientErrorKind::kTimeout,
                    fmt::format("request timed out waiting for a stream to {}", endpoint()))),
                {});
      continue;
    }
    if (!best->TryAcquire()) return;
    Waiting w = std::move(waiting_.front());
    waiting_.pop_front();
    lock.unlock();
    best->Send(w.opcode, std::move(w.body), w.deadline, std::move(w.handler));
  }
}

void Pool::FailWaiting(const std::string& reason) {
  auto error = std::make_exception_ptr(NotSentError(ClientErrorKind::kConnection, reason));
  std::deque<Waiting> failed;
  {
    std::lock_guard lock(mu_);
    failed.swap(waiting_);
  }
  for (auto& w : failed) w.handler(error, {});
}

std::vector<std::shared_ptr<Connection>> Pool::UsableConnections() {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<Connection>> out;
  for (const auto& c : connections_) {
    if (c->usable()) out.push_back(c);
  }
  return out;
}

void Pool::SetKeyspace(const std::string& ks) {
  std::lock_guard lock(mu_);
  config_.keyspace = ks;
}

void Pool::Close() {
  std::vector<std::shared_ptr<Connection>> conns;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    conns.swap(connections_);
  }
  for (auto& c : conns) c->Close();
  FailWaiting("the session is closed");
}

}  // namespace helenus::client

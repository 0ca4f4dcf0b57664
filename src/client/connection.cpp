#include "connection.h"

#include <algorithm>

#include <fmt/format.h>

#include "helenus/client/error.h"
#include "helenus/common/error.h"
#include "helenus/cql/client_codec.h"

namespace helenus::client {
namespace {

// Responses above this size are refused (the server's own limit is 256 MB).
constexpr uint32_t kMaxFrameBytes = 256u << 20;
// Granularity of timeout checks: a request times out at most this late.
constexpr std::chrono::milliseconds kSweepPeriod{20};
constexpr size_t kReadChunk = 64 << 10;

std::exception_ptr MakeError(ClientErrorKind kind, std::string message) {
  return std::make_exception_ptr(ClientError(kind, std::move(message)));
}

}  // namespace

Connection::Connection(asio::io_context& io, ConnectionConfig config)
    : strand_(asio::make_strand(io)),
      socket_(strand_),
      resolver_(strand_),
      timer_(strand_),
      config_(std::move(config)) {
  int n = std::clamp(config_.max_streams, 1, 32768);
  config_.max_streams = n;
  pending_.resize(static_cast<size_t>(n));
  free_streams_.reserve(static_cast<size_t>(n));
  // Lowest ids are handed out first (popped from the back).
  for (int i = n - 1; i >= 0; --i) free_streams_.push_back(static_cast<int16_t>(i));
}

std::string Connection::endpoint() const {
  return fmt::format("{}:{}", config_.host, config_.port);
}

void Connection::SetKeyspace(std::string ks) {
  asio::post(strand_, [self = shared_from_this(), ks = std::move(ks)]() mutable {
    self->config_.keyspace = std::move(ks);
  });
}

void Connection::Open(std::function<void(std::exception_ptr)> done) {
  state_ = State::kOpening;
  asio::post(strand_, [self = shared_from_this(), done = std::move(done)]() mutable {
    // One timer bounds resolve + connect; the handshake has its own deadline.
    self->timer_.expires_after(self->config_.connect_timeout);
    auto connected = std::make_shared<bool>(false);
    self->timer_.async_wait([self, connected](const asio::error_code& ec) {
      if (ec || *connected) return;
      asio::error_code ignored;
      self->resolver_.cancel();
      self->socket_.close(ignored);
    });
    self->resolver_.async_resolve(
        self->config_.host, std::to_string(self->config_.port),
        [self, done, connected](const asio::error_code& ec,
                                asio::ip::tcp::resolver::results_type results) mutable {
          if (ec) {
            self->state_ = State::kDefunct;
            return done(
                MakeError(ClientErrorKind::kConnection,
                          fmt::format("cannot resolve {}: {}", self->endpoint(), ec.message())));
          }
          asio::async_connect(
              self->socket_, results,
              [self, done, connected](const asio::error_code& ec2, const asio::ip::tcp::endpoint&) {
                *connected = true;
                self->timer_.cancel();
                if (ec2) {
                  self->state_ = State::kDefunct;
                  return done(MakeError(
                      ClientErrorKind::kConnection,
                      fmt::format("cannot connect to {}: {}", self->endpoint(),
                                  ec2 == asio::error::operation_aborted ? "connect timed out"
                                                                        : ec2.message())));
                }
                asio::error_code ignored;
                self->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
                self->last_activity_ = Clock::now();
                self->StartRead();
                self->ScheduleSweep();
                self->Handshake(std::move(done));
              });
        });
  });
}

void Connection::Handshake(std::function<void(std::exception_ptr)> done) {
  std::map<std::string, std::string> options{{"CQL_VERSION", "3.0.0"}};
  if (config_.compression == cql::Compression::kLz4) options["COMPRESSION"] = "lz4";
  if (config_.compression == cql::Compression::kSnappy) options["COMPRESSION"] = "snappy";
  auto deadline = Clock::now() + config_.handshake_timeout;
  ++in_flight_;
  SendOnStrand(cql::Opcode::kStartup, cql::EncodeStartup(options), deadline,
               [self = shared_from_this(), done, deadline](std::exception_ptr err, Frame frame) {
                 if (!err && frame.opcode == cql::Opcode::kError) {
                   err = std::make_exception_ptr(cql::DecodeError(frame.body));
                 } else if (!err && frame.opcode != cql::Opcode::kReady) {
                   err = MakeError(ClientErrorKind::kProtocol,
                                   fmt::format("expected READY from {}, got opcode {}",
                                               self->endpoint(), static_cast<int>(frame.opcode)));
                 }
                 if (err) {
                   self->Fail("handshake failed");
                   return done(err);
                 }
                 // Every frame after READY is compressed, both ways.
                 self->compress_ = self->config_.compression != cql::Compression::kNone;
                 if (self->config_.keyspace.empty()) {
                   self->state_ = State::kReady;
                   return done(nullptr);
                 }
                 cql::QueryParameters params;
                 std::string use = "USE \"";
                 for (char c : self->config_.keyspace)
                   use += c == '"' ? std::string("\"\"") : std::string(1, c);
                 use += '"';
                 ++self->in_flight_;
                 self->SendOnStrand(cql::Opcode::kQuery,
                                    cql::EncodeQuery(use, params, self->config_.version), deadline,
                                    [self, done](std::exception_ptr err2, Frame f2) {
                                      if (!err2 && f2.opcode == cql::Opcode::kError) {
                                        err2 = std::make_exception_ptr(cql::DecodeError(f2.body));
                                      }
                                      if (err2) {
                                        self->Fail("USE failed");
                                        return done(err2);
                                      }
                                      self->state_ = State::kReady;
                                      done(nullptr);
                                    });
               });
}

bool Connection::TryAcquire() {
  if (state_.load() != State::kReady) return false;
  int cur = in_flight_.load();
  while (cur < config_.max_streams) {
    if (in_flight_.compare_exchange_weak(cur, cur + 1)) return true;
  }
  return false;
}

void Connection::Send(cql::Opcode opcode, std::string body, Clock::time_point deadline,
                      FrameHandler handler) {
  asio::post(strand_, [self = shared_from_this(), opcode, body = std::move(body), deadline,
                       handler = std::move(handler)]() mutable {
    self->SendOnStrand(opcode, std::move(body), deadline, std::move(handler));
  });
}

void Connection::SendOnStrand(cql::Opcode opcode, std::string body, Clock::time_point deadline,
                              FrameHandler handler) {
  if (state_.load() == State::kDefunct || free_streams_.empty()) {
    --in_flight_;
    handler(
        std::make_exception_ptr(NotSentError(
            ClientErrorKind::kConnection, fmt::format("connection to {} is closed", endpoint()))),
        {});
    if (on_release_) on_release_();
    return;
  }
  int16_t stream = free_streams_.back();
  free_streams_.pop_back();
  Pending& p = pending_[static_cast<size_t>(stream)];
  p.handler = std::move(handler);
  p.deadline = deadline;
  p.active = true;
  p.orphaned = false;

  uint8_t flags = 0;
  if (compress_ && !body.empty()) {
    body = cql::Compress(config_.compression, body);
    flags |= cql::kFlagCompression;
  }
  cql::FrameHeader h{config_.version, flags, stream, opcode, static_cast<uint32_t>(body.size())};
  std::string frame(cql::kHeaderSize, '\0');
  cql::EncodeHeader(h, frame.data());
  frame += body;
  write_queue_.push_back(std::move(frame));
  if (!writing_) WriteNext();
}

void Connection::WriteNext() {
  if (write_queue_.empty() || state_.load() == State::kDefunct) {
    writing_ = false;
    return;
  }
  writing_ = true;
  // Coalesce queued frames: with thousands in flight this turns many small
  // sends into a few large ones.
  auto batch = std::make_shared<std::string>(std::move(write_queue_.front()));
  write_queue_.pop_front();
  while (!write_queue_.empty() && batch->size() < (1u << 20)) {
    *batch += write_queue_.front();
    write_queue_.pop_front();
  }
  asio::async_write(socket_, asio::buffer(*batch),
                    [self = shared_from_this(), batch](const asio::error_code& ec, size_t) {
                      if (ec) return self->Fail("write failed: " + ec.message());
                      self->WriteNext();
                    });
}

void Connection::StartRead() {
  if (read_pos_ > 0 && read_pos_ * 2 >= read_buf_.size()) {
    read_buf_.erase(0, read_pos_);
    read_pos_ = 0;
  }
  size_t have = read_buf_.size();
  read_buf_.resize(have + kReadChunk);
  socket_.async_read_some(
      asio::buffer(read_buf_.data() + have, kReadChunk),
      [self = shared_from_this(), have](const asio::error_code& ec, size_t n) {
        self->read_buf_.resize(have + n);
        if (ec) {
          return self->Fail(ec == asio::error::eof ? "closed by the server" : ec.message());
        }
        self->last_activity_ = Clock::now();
        self->ProcessFrames();
        if (self->state_.load() != State::kDefunct) self->StartRead();
      });
}

void Connection::ProcessFrames() {
  while (read_buf_.size() - read_pos_ >= cql::kHeaderSize) {
    auto h = cql::DecodeHeader(reinterpret_cast<const uint8_t*>(read_buf_.data() + read_pos_));
    if ((h.version & 0x80) == 0 || h.length > kMaxFrameBytes) {
      return Fail(fmt::format("malformed response frame (version byte 0x{:02x}, length {})",
                              h.version, h.length));
    }
    if (read_buf_.size() - read_pos_ < cql::kHeaderSize + h.length) {
      // Make room for the whole body up front instead of growing by chunks.
      read_buf_.reserve(read_pos_ + cql::kHeaderSize + h.length + kReadChunk);
      return;
    }
    Frame frame;
    frame.opcode = h.opcode;
    std::string_view body(read_buf_.data() + read_pos_ + cql::kHeaderSize, h.length);
    read_pos_ += cql::kHeaderSize + h.length;
    try {
      frame.body = (h.flags & cql::kFlagCompression)
                       ? cql::Decompress(config_.compression, body, kMaxFrameBytes)
                       : std::string(body);
    } catch (const std::exception& e) {
      return Fail(std::string("cannot decompress a response: ") + e.what());
    }
    // Tracing ids and warnings precede the body proper; we skip them.
    if (h.flags & (cql::kFlagTracing | cql::kFlagWarning | cql::kFlagCustomPayload)) {
      try {
        cql::WireReader r(frame.body);
        if (h.flags & cql::kFlagTracing) r.ReadUuid();
        if (h.flags & cql::kFlagWarning) r.ReadStringList();
        if (h.flags & cql::kFlagCustomPayload) {
          uint16_t n = r.ReadShort();
          for (uint16_t i = 0; i < n; ++i) {
            r.ReadString();
            r.ReadBytes();
          }
        }
        frame.body.erase(0, frame.body.size() - r.remaining());
      } catch (const std::exception& e) {
        return Fail(std::string("malformed response prefix: ") + e.what());
      }
    }
    Deliver(h.stream, std::move(frame));
    if (state_.load() == State::kDefunct) return;
  }
  if (read_pos_ == read_buf_.size()) {
    read_buf_.clear();
    read_pos_ = 0;
  }
}

void Connection::Deliver(int16_t stream, Frame frame) {
  if (stream < 0) return;  // events: we do not register for any
  if (stream >= config_.max_streams) return;
  Pending& p = pending_[static_cast<size_t>(stream)];
  if (!p.active) return;
  FrameHandler handler = std::move(p.handler);
  bool orphaned = p.orphaned;
  ReleaseStream(stream);
  if (!orphaned && handler) handler(nullptr, std::move(frame));
  if (on_release_) on_release_();
}

void Connection::ReleaseStream(int16_t stream) {
  Pending& p = pending_[static_cast<size_t>(stream)];
  p.active = false;
  p.orphaned = false;
  p.handler = nullptr;
  free_streams_.push_back(stream);
  --in_flight_;
}

void Connection::ScheduleSweep() {
  timer_.expires_after(kSweepPeriod);
  timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (ec || self->state_.load() == State::kDefunct) return;
    self->Sweep();
    self->ScheduleSweep();
  });
}

void Connection::Sweep() {
  auto now = Clock::now();
  int orphans = 0;
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    if (!p.active) continue;
    if (p.orphaned) {
      ++orphans;
      continue;
    }
    if (now >= p.deadline) {
      // The stream stays reserved until its late answer arrives, so that the
      // answer is never mistaken for that of a newer request.
      p.orphaned = true;
      ++orphans;
      FrameHandler handler = std::move(p.handler);
      p.handler = nullptr;
      if (handler) {
        handler(MakeError(ClientErrorKind::kTimeout,
                          fmt::format("request timed out on {}", endpoint())),
                {});
      }
    }
  }
  if (state_.load() == State::kDefunct) return;
  if (orphans > config_.max_streams / 2) {
    return Fail("too many requests without answers");
  }
  if (config_.heartbeat_interval.count() > 0 && state_.load() == State::kReady && !heartbeat_out_ &&
      now - last_activity_ >= config_.heartbeat_interval) {
    if (TryAcquire()) {
      heartbeat_out_ = true;
      SendOnStrand(cql::Opcode::kOptions, cql::EncodeOptions(), now + config_.handshake_timeout,
                   [self = shared_from_this()](std::exception_ptr err, Frame) {
                     self->heartbeat_out_ = false;
                     if (err) self->Fail("heartbeat failed");
                   });
    }
  }
}

void Connection::Fail(const std::string& reason) {
  if (state_.exchange(State::kDefunct) == State::kDefunct) return;
  asio::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
  write_queue_.clear();
  auto error = MakeError(ClientErrorKind::kConnection,
                         fmt::format("connection to {} failed: {}", endpoint(), reason));
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    if (!p.active) continue;
    FrameHandler handler = std::move(p.handler);
    ReleaseStream(static_cast<int16_t>(i));
    if (handler) handler(error, {});
  }
  if (on_release_) on_release_();
}

void Connection::Close() {
  asio::post(strand_, [self = shared_from_this()] { self->Fail("closed by the client"); });
}

}  // namespace helenus::client

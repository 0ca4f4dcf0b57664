#include "connection.h"

#include <algorithm>
#include <cstring>

#include <spdlog/spdlog.h>

#include "helenus/common/error.h"

namespace helenus::server {
namespace {

constexpr uint8_t kMinVersion = 3;
constexpr uint8_t kMaxVersion = 4;
// Room made for each socket read; the buffer grows past it only while a
// large frame is arriving.
constexpr size_t kReadChunk = 64 << 10;
// Response bytes queued for a client before we stop reading its requests.
constexpr size_t kMaxQueuedBytes = 8 << 20;

// A request version byte we serve (the response bit must be clear).
bool SupportedVersion(uint8_t version) {
  return version >= kMinVersion && version <= kMaxVersion;
}

std::string UnsupportedVersionMessage(int version) {
  return fmt::format(
      "Invalid or unsupported protocol version ({}); supported versions are (3/v3, 4/v4)", version);
}

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, asio::thread_pool* workers,
                       query::RequestHandler* processor, EventHub* events,
                       const ServerOptions* options)
    : socket_(std::move(socket)),
      strand_(asio::make_strand(socket_.get_executor())),
      workers_(workers),
      processor_(processor),
      events_(events),
      options_(options) {}

void Connection::Start() {
  asio::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  asio::post(strand_, [self = shared_from_this()] { self->ReadHeader(); });
}

void Connection::Close() {
  asio::post(strand_, [self = shared_from_this()] {
    self->closing_ = true;
    asio::error_code ec;
    self->socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    self->socket_.close(ec);
  });
}

void Connection::ReadHeader() {
  if (closing_) return;
  if (in_flight_ >= options_->max_in_flight_per_connection || queued_bytes_ > kMaxQueuedBytes) {
    // Back-pressure: stop reading until responses drain (a client that never
    // reads its responses must not make us queue them without bound).
    reading_paused_ = true;
    return;
  }
  // One read takes whatever the socket has, often dozens of pipelined
  // frames; a frame-at-a-time read would cost two syscalls per request.
  size_t free_space = read_buf_.size() - read_end_;
  if (free_space < kReadChunk)
    read_buf_.resize(std::max(read_buf_.size() * 2, read_end_ + kReadChunk));
  socket_.async_read_some(asio::buffer(read_buf_.data() + read_end_, read_buf_.size() - read_end_),
                          asio::bind_executor(strand_, [self = shared_from_this()](
                                                           const asio::error_code& ec, size_t n) {
                            if (ec) return self->Close();
                            self->read_end_ += n;
                            if (self->ParseFrames()) self->ReadHeader();
                          }));
}

bool Connection::ParseFrames() {
  size_t pos = 0;
  while (!closing_) {
    size_t avail = read_end_ - pos;
    const auto* p = reinterpret_cast<const uint8_t*>(read_buf_.data() + pos);
    // v1/v2 headers are 8 bytes: judge the version from the first byte
    // rather than wait for a ninth byte that may never come.
    if (avail >= 1 && !SupportedVersion(p[0])) {
      int16_t stream = avail >= 4 ? static_cast<int16_t>(p[2] << 8 | p[3]) : 0;
      CqlError err(ErrorCode::kProtocol, UnsupportedVersionMessage(p[0]));
      version_ = kMaxVersion;
      Send(stream, cql::Opcode::kError, cql::EncodeError(err), true);
      return false;
    }
    if (avail < cql::kHeaderSize) break;
    cql::FrameHeader h = cql::DecodeHeader(p);
    if (h.length > options_->max_frame_bytes) {
      CqlError err(ErrorCode::kProtocol,
                   fmt::format("Request is too big: length {} exceeds maximum allowed length {}",
                               h.length, options_->max_frame_bytes));
      version_ = h.version & 0x7F;
      Send(h.stream, cql::Opcode::kError, cql::EncodeError(err), true);
      return false;
    }
    // The buffer grows only as bytes arrive (see ReadHeader), so a header
    // alone never makes us allocate the length it declares.
    if (avail < cql::kHeaderSize + h.length) break;
    Dispatch(h, std::string(read_buf_.data() + pos + cql::kHeaderSize, h.length));
    pos += cql::kHeaderSize + h.length;
  }
  if (pos > 0) {
    std::memmove(read_buf_.data(), read_buf_.data() + pos, read_end_ - pos);
    read_end_ -= pos;
  }
  // Give memory back after a large frame has gone through.
  if (read_end_ < kReadChunk && read_buf_.size() > 4 * kReadChunk) read_buf_.resize(kReadChunk);
  return !closing_;
}

void Connection::Dispatch(cql::FrameHeader header, std::string body) {
  uint8_t version = header.version & 0x7F;
  if (version_ == 0) version_ = version;
  if (version != version_) {
    CqlError err(ErrorCode::kProtocol,
                 fmt::format("Invalid message version. Got {} but previous messages on this "
                             "connection had version {}",
                             version, version_));
    return Send(header.stream, cql::Opcode::kError, cql::EncodeError(err));
  }
  if ((header.flags & cql::kFlagCompression) && compression_ == cql::Compression::kNone) {
    CqlError err(ErrorCode::kProtocol,
                 "Received a compressed frame, but no compression was negotiated in STARTUP");
    return Send(header.stream, cql::Opcode::kError, cql::EncodeError(err));
  }
  if (header.flags & cql::kFlagCompression) {
    try {
      body = cql::Decompress(compression_, body, options_->max_frame_bytes);
    } catch (const CqlError& e) {
      return Send(header.stream, cql::Opcode::kError, cql::EncodeError(e));
    }
  }
  switch (header.opcode) {
    case cql::Opcode::kStartup: {
      try {
        auto opts = cql::DecodeStartup(body);
        auto it = opts.find("COMPRESSION");
        if (it != opts.end()) {
          auto c = cql::CompressionFromName(it->second);
          if (!c) {
            throw CqlError(ErrorCode::kProtocol,
                           fmt::format("Unknown compression algorithm: {}", it->second));
          }
          compression_ = *c;
        }
        Send(header.stream, cql::Opcode::kReady, cql::EncodeReady());
        // READY itself goes out uncompressed; everything after is compressed.
        compress_responses_ = compression_ != cql::Compression::kNone;
      } catch (const CqlError& e) {
        Send(header.stream, cql::Opcode::kError, cql::EncodeError(e));
      }
      return;
    }
    case cql::Opcode::kOptions:
      return Send(header.stream, cql::Opcode::kSupported,
                  cql::EncodeSupported({{"CQL_VERSION", {"3.4.5"}},
                                        {"COMPRESSION", {"lz4", "snappy"}},
                                        {"PROTOCOL_VERSIONS", {"3/v3", "4/v4"}}}));
    case cql::Opcode::kRegister:
      try {
        cql::DecodeRegister(body);
        events_->Register(shared_from_this());
        Send(header.stream, cql::Opcode::kReady, cql::EncodeReady());
      } catch (const CqlError& e) {
        Send(header.stream, cql::Opcode::kError, cql::EncodeError(e));
      }
      return;
    case cql::Opcode::kQuery:
    case cql::Opcode::kPrepare:
    case cql::Opcode::kExecute:
    case cql::Opcode::kBatch:
      ++in_flight_;
      return RunOnWorker(header, std::move(body));
    default: {
      CqlError err(ErrorCode::kProtocol,
                   fmt::format("Unknown or unexpected opcode 0x{:02x} for a request",
                               static_cast<int>(header.opcode)));
      return Send(header.stream, cql::Opcode::kError, cql::EncodeError(err));
    }
  }
}

void Connection::RunOnWorker(cql::FrameHeader header, std::string body) {
  // Statements run on the worker pool so the event loop never blocks; the
  // client state is copied in and a USE result is folded back on the strand.
  asio::post(*workers_,
             [self = shared_from_this(), header, body = std::move(body), state = state_]() mutable {
               cql::Opcode opcode = cql::Opcode::kResult;
               std::optional<std::string> new_keyspace;
               std::string response = self->Handle(header, body, state, &opcode, &new_keyspace);
               asio::post(self->strand_, [self, header, opcode, response = std::move(response),
                                          new_keyspace = std::move(new_keyspace)]() mutable {
                 if (new_keyspace) self->state_.keyspace = std::move(*new_keyspace);
                 --self->in_flight_;
                 self->Send(header.stream, opcode, std::move(response));
                 self->MaybeResumeReading();
               });
             });
}

std::string Connection::Handle(const cql::FrameHeader& header, const std::string& body,
                               query::ClientState& state, cql::Opcode* opcode,
                               std::optional<std::string>* new_keyspace) {
  uint8_t version = header.version & 0x7F;
  state.protocol_version = version;
  try {
    cql::ResultMessage result;
    switch (header.opcode) {
      case cql::Opcode::kQuery: {
        auto req = cql::DecodeQuery(body, version);
        result = processor_->Query(state, req.query, req.params);
        break;
      }
      case cql::Opcode::kPrepare:
        result = processor_->Prepare(state, cql::DecodePrepare(body));
        break;
      case cql::Opcode::kExecute: {
        auto req = cql::DecodeExecute(body, version);
        result = processor_->Execute(state, req.id, req.params);
        break;
      }
      default:
        result = processor_->Batch(state, cql::DecodeBatch(body, version));
        break;
    }
    *opcode = cql::Opcode::kResult;
    if (auto* use = std::get_if<cql::SetKeyspaceResult>(&result)) *new_keyspace = use->keyspace;
    return cql::EncodeResult(result, version);
  } catch (const CqlError& e) {
    *opcode = cql::Opcode::kError;
    return cql::EncodeError(e);
  } catch (const std::exception& e) {
    spdlog::error("request failed: {}", e.what());
    *opcode = cql::Opcode::kError;
    return cql::EncodeError(CqlError(ErrorCode::kServer, e.what()));
  }
}

void Connection::Send(int16_t stream, cql::Opcode opcode, std::string body, bool close_after) {
  uint8_t flags = 0;
  if (compress_responses_ && !body.empty()) {
    body = cql::Compress(compression_, body);
    flags |= cql::kFlagCompression;
  }
  cql::FrameHeader h{static_cast<uint8_t>(0x80 | (version_ ? version_ : kMaxVersion)), flags,
                     stream, opcode, static_cast<uint32_t>(body.size())};
  std::string frame(cql::kHeaderSize, '\0');
  cql::EncodeHeader(h, frame.data());
  frame += body;
  queued_bytes_ += frame.size();
  write_queue_.push_back(std::move(frame));
  if (close_after) closing_ = true;
  if (!writing_) WriteNext();
}

void Connection::WriteNext() {
  if (write_queue_.empty()) {
    writing_ = false;
    if (closing_) {
      asio::error_code ec;
      socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
      socket_.close(ec);
    }
    return;
  }
  writing_ = true;
  // Coalesce queued frames into one write: under many streams this turns
  // hundreds of small sends into a few large ones.
  auto batch = std::make_shared<std::string>(std::move(write_queue_.front()));
  write_queue_.pop_front();
  while (!write_queue_.empty() && batch->size() < (1u << 20)) {
    *batch += write_queue_.front();
    write_queue_.pop_front();
  }
  asio::async_write(socket_, asio::buffer(*batch),
                    asio::bind_executor(strand_, [self = shared_from_this(), batch](
                                                     const asio::error_code& ec, size_t) {
                      self->queued_bytes_ -= batch->size();
                      if (ec) {
                        self->write_queue_.clear();
                        self->queued_bytes_ = 0;
                        self->writing_ = false;
                        return self->Close();
                      }
                      self->WriteNext();
                      self->MaybeResumeReading();
                    }));
}

void Connection::MaybeResumeReading() {
  if (reading_paused_ && in_flight_ < options_->max_in_flight_per_connection &&
      queued_bytes_ <= kMaxQueuedBytes) {
    reading_paused_ = false;
    ReadHeader();
  }
}

void Connection::PushEvent(const std::string& body) {
  asio::post(strand_, [self = shared_from_this(), body] {
    if (!self->closing_) self->Send(-1, cql::Opcode::kEvent, body);
  });
}

void EventHub::Register(const std::shared_ptr<Connection>& conn) {
  std::lock_guard lock(mu_);
  for (const auto& w : conns_) {
    if (w.lock() == conn) return;
  }
  conns_.push_back(conn);
}

void EventHub::Broadcast(const std::string& body) {
  std::lock_guard lock(mu_);
  std::erase_if(conns_, [](const auto& w) { return w.expired(); });
  for (const auto& w : conns_) {
    if (auto c = w.lock()) c->PushEvent(body);
  }
}

}  // namespace helenus::server

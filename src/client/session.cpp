#include "helenus/client/session.h"

#include "session_core.h"

namespace helenus::client {

std::shared_ptr<Session> Session::Connect(ClusterOptions options) {
  auto core = std::make_shared<SessionCore>(std::move(options));
  core->Connect();
  return std::make_shared<Session>(std::move(core));
}

Session::Session(std::shared_ptr<SessionCore> core) : core_(std::move(core)) {}

Session::~Session() {
  core_->Close();
}

Result Session::Execute(const Statement& statement) {
  auto s = std::make_shared<const Statement>(statement);
  Result r = core_->Wait([&](ResultCallback cb) { core_->Execute(s, std::move(cb), true); });
  // A USE through Execute switches every connection before returning.
  if (r.kind() == ResultKind::kSetKeyspace) core_->SetKeyspace(r.keyspace());
  return r;
}

Result Session::Execute(std::string_view query, std::vector<BoundValue> values) {
  return Execute(Statement(std::string(query), std::move(values)));
}

Result Session::Execute(const Batch& batch) {
  auto b = std::make_shared<const Batch>(batch);
  return core_->Wait([&](ResultCallback cb) { core_->ExecuteBatch(b, std::move(cb), true); });
}

void Session::ExecuteAsync(Statement statement, ResultCallback callback) {
  core_->Execute(std::make_shared<const Statement>(std::move(statement)), std::move(callback),
                 true);
}

std::future<Result> Session::ExecuteAsync(Statement statement) {
  auto done = std::make_shared<std::promise<Result>>();
  auto future = done->get_future();
  ExecuteAsync(std::move(statement), [done](Result r, std::exception_ptr e) {
    if (e) {
      done->set_exception(e);
    } else {
      done->set_value(std::move(r));
    }
  });
  return future;
}

void Session::ExecuteAsync(Batch batch, ResultCallback callback) {
  core_->ExecuteBatch(std::make_shared<const Batch>(std::move(batch)), std::move(callback), true);
}

std::future<Result> Session::ExecuteAsync(Batch batch) {
  auto done = std::make_shared<std::promise<Result>>();
  auto future = done->get_future();
  ExecuteAsync(std::move(batch), [done](Result r, std::exception_ptr e) {
    if (e) {
      done->set_exception(e);
    } else {
      done->set_value(std::move(r));
    }
  });
  return future;
}

std::shared_ptr<const PreparedStatement> Session::Prepare(std::string_view query) {
  if (OnIoThread()) {
    throw ClientError(ClientErrorKind::kUsage, "Prepare on an I/O thread; use PrepareAsync");
  }
  std::promise<std::shared_ptr<const PreparedStatement>> done;
  auto future = done.get_future();
  core_->Prepare(std::string(query),
                 [&done](std::shared_ptr<const PreparedStatement> p, std::exception_ptr e) {
                   if (e) {
                     done.set_exception(e);
                   } else {
                     done.set_value(std::move(p));
                   }
                 });
  return future.get();
}

void Session::PrepareAsync(std::string query, PrepareCallback callback) {
  core_->Prepare(std::move(query), std::move(callback));
}

void Session::SetKeyspace(std::string_view keyspace) {
  core_->SetKeyspace(std::string(keyspace));
}

std::string Session::keyspace() const {
  return core_->keyspace();
}

uint8_t Session::protocol_version() const {
  return core_->version();
}

std::vector<HostInfo> Session::Hosts() const {
  return core_->Hosts();
}

std::optional<int64_t> Session::RoutingToken(const Statement& statement) const {
  return core_->RoutingToken(statement);
}

std::string Session::ReplicaFor(int64_t token) const {
  return core_->ReplicaFor(token);
}

size_t Session::in_flight() const {
  return core_->in_flight();
}

SessionStats Session::stats() const {
  return core_->stats();
}

void Session::Drain() {
  core_->Drain();
}

void Session::Close() {
  core_->Close();
}

}  // namespace helenus::client

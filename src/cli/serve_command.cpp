#include <csignal>
#include <filesystem>
#include <thread>

#include <spdlog/spdlog.h>

#include "commands.h"
#include "helenus/query/processor.h"
#include "helenus/server/server.h"
#include "helenus/sql/frontend.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"

namespace helenus::cli {
namespace {

struct ServeArgs {
  std::string data_dir = "data";
  std::string listen = "127.0.0.1:9042";
  std::string commitlog_sync = "batch";
  int commitlog_sync_period_ms = 10000;
  int workers = 0;
};

bool SplitHostPort(const std::string& s, std::string* host, int* port) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  *host = s.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[') *host = host->substr(1, host->size() - 2);
  try {
    *port = std::stoi(s.substr(colon + 1));
  } catch (...) {
    return false;
  }
  return *port >= 0 && *port < 65536;
}

int RunServe(const ServeArgs& args) {
  server::ServerOptions options;
  if (!SplitHostPort(args.listen, &options.host, &options.port)) {
    spdlog::error("--listen wants HOST:PORT, got '{}'", args.listen);
    return 2;
  }
  options.worker_threads = args.workers;

  // Signals are taken by one thread with sigwait, so no handler ever runs
  // inside RocksDB or the event loop.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::error_code ec;
  std::filesystem::create_directories(args.data_dir, ec);
  auto data_dir = std::filesystem::absolute(args.data_dir).string();

  storage::StoreOptions store_options;
  if (args.commitlog_sync == "periodic") {
    store_options.sync_each_write = false;
    store_options.periodic_sync_ms = args.commitlog_sync_period_ms;
  } else if (args.commitlog_sync != "batch") {
    spdlog::error("--commitlog-sync is batch or periodic, got '{}'", args.commitlog_sync);
    return 2;
  }
  auto store = storage::Store::Open(data_dir, store_options);
  if (!store.ok()) {
    spdlog::error("cannot open data directory {}: {}", data_dir, store.status().message());
    return 1;
  }
  auto catalog = storage::Catalog::Load(store->get());
  if (!catalog.ok()) {
    spdlog::error("cannot load schema from {}: {}", data_dir, catalog.status().message());
    return 1;
  }
  query::NodeInfo node;
  node.listen_address = options.host;
  query::QueryProcessor processor(store->get(), catalog->get(), node);
  exec::Engine engine(store->get(), catalog->get());
  sql::Frontend frontend(&processor, &engine);
  server::Server server(options, &frontend);
  if (auto err = server.Bind(); !err.empty()) {
    spdlog::error("{}", err);
    return 1;
  }
  spdlog::info("Helenus data in {} (commitlog_sync: {})", data_dir,
               store_options.sync_each_write
                   ? std::string("batch, every write synced")
                   : fmt::format("periodic, every {} ms", store_options.periodic_sync_ms));
  spdlog::info("listening on {}:{} for CQL native protocol v3/v4 clients", options.host,
               server.port());

  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    server.Stop();
  });
  server.Run();
  // Run() also returns when the server stops by itself; wake the waiter.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Run the CQL server on a local data directory");
  cmd->add_option("--data", args->data_dir, "Data directory")->capture_default_str();
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on")->capture_default_str();
  cmd->add_option("--commitlog-sync", args->commitlog_sync,
                  "batch: every acknowledged write is on disk; periodic: synced every period")
      ->capture_default_str();
  cmd->add_option("--commitlog-sync-period-ms", args->commitlog_sync_period_ms,
                  "Sync period in periodic mode")
      ->capture_default_str();
  cmd->add_option("--workers", args->workers, "Statement worker threads (0 = auto)");
  cmd->callback([args] { std::exit(RunServe(*args)); });
}

}  // namespace helenus::cli

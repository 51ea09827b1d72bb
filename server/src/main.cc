// ledgerd: initializes a data directory, or serves it.
//
//   ledgerd init --data DIR      creates the database and prints the root credential once
//   ledgerd [--data DIR] [--listen HOST:PORT] [--durability sync|async] [--config FILE] ...
//
// Settings: flags > LEDGER_* environment variables > config file > defaults (config.h).
// SIGINT or SIGTERM: stop accepting, finish the requests in flight, flush, exit 0.
// Exit codes: 0 done, 1 failure, 2 usage error.
#include <fmt/format.h>
#include <rocksdb/env.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <thread>

#include "ledger/engine/ledger.h"
#include "ledger/projections/projector.h"
#include "ledger/server/config.h"
#include "ledger/server/data_directory.h"
#include "ledger/server/logging.h"
#include "ledger/server/server.h"

namespace {

using ledger::Status;
namespace server = ledger::server;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Init(const std::string& data) {
  spdlog::set_level(spdlog::level::warn);
  auto credential = server::InitDataDirectory(data);
  if (!credential.ok()) {
    std::fprintf(stderr, "ledgerd init: %s\n", credential.status().ToString().c_str());
    return kExitFailure;
  }
  std::printf(
      "Initialized %s.\n"
      "Root credential (shown once; only its hash is kept, in %s):\n\n  %s\n\n",
      data.c_str(), server::RootHashPath(data).c_str(), credential->c_str());
  return 0;
}

/// Niceness of the projector's threads: the views are derived and asynchronous, so under a
/// burst the durable write path gets the CPU first and the views catch up when it eases.
constexpr int kProjectorNiceness = 10;

/// Exits 0 without closing what is still open (a database left as after a crash, for the next
/// start to recover): no destructor, static or not, runs under it.
[[noreturn]] void ExitLeavingDatabasesOpen(spdlog::logger& log) {
  log.flush();
  spdlog::shutdown();
  std::fflush(nullptr);
  std::_Exit(0);
}

/// Starts the projector from a thread running at kProjectorNiceness: the threads it starts
/// inherit that niceness (Linux keeps it per thread), the rest of ledgerd keeps its own.
Status StartBehindTheWritePath(ledger::projections::Projector& projector) {
  Status started;
  std::thread starter([&] {
    (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kProjectorNiceness);
    started = projector.Start();
  });
  starter.join();
  return started;
}

/// Descriptors ledgerd needs besides its connections: the storage's files (RocksDB keeps its
/// tables open), the listener, pipes and the io wakeups.
constexpr rlim_t kDescriptorsBesidesConnections = 512;

/// Raises the soft limit of open files to the hard one. Services often start with a soft
/// limit of 1024, below the connection cap plus the storage's files, and a server out of
/// descriptors can neither serve nor refuse a connection (it waits in the kernel's queue)
/// nor open a table file. Returns how many of `wanted` connections the limit leaves room for.
std::uint32_t FitConnectionsToOpenFiles(std::uint32_t wanted, spdlog::logger& log) {
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return wanted;
  if (files.rlim_cur < files.rlim_max) {
    const rlim_t soft = files.rlim_cur;
    files.rlim_cur = files.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &files) != 0) files.rlim_cur = soft;
  }
  const rlim_t needed = wanted + kDescriptorsBesidesConnections;
  if (files.rlim_cur == RLIM_INFINITY || files.rlim_cur >= needed) return wanted;
  const auto fits = static_cast<std::uint32_t>(files.rlim_cur > 2 * kDescriptorsBesidesConnections
                                                   ? files.rlim_cur - kDescriptorsBesidesConnections
                                                   : files.rlim_cur / 2);
  log.warn(
      "ledgerd may open only {} files (RLIMIT_NOFILE) where {} connections need {}; serving at "
      "most {} connections (raise the limit: ulimit -n, or LimitNOFILE= under systemd)",
      files.rlim_cur, wanted, needed, fits);
  return fits;
}

int Serve(const server::ResolvedConfig& resolved) {
  // Compactions are background work: they yield to the write path and to queries.
  (void)rocksdb::Env::Default()->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::LOW,
                                                            rocksdb::CpuPriority::kLow);
  const server::ServerConfig& config = resolved.config;
  auto loggers = server::MakeLoggers(config.log_format, config.log_level);
  if (!loggers.ok()) {
    std::fprintf(stderr, "ledgerd: %s\n", loggers.status().ToString().c_str());
    return kExitUsage;
  }
  auto& log = *loggers->server;
  // Before the storage opens its files.
  const std::uint32_t connections_max = FitConnectionsToOpenFiles(config.connections_max, log);
  auto root = server::LoadRootHash(config.data);
  if (!root.ok()) {
    log.error("{}", root.status().ToString());
    return kExitFailure;
  }
  ledger::LedgerOptions options;
  options.log.path = server::LogPath(config.data);
  options.log.durability = config.durability;
  options.log.logger = loggers->log;
  options.logger = loggers->ledger;
  options.snapshot_every_events = config.snapshot_every_events;
  options.hot_orders_max = static_cast<std::size_t>(config.hot_orders_max);
  auto opened = ledger::Ledger::Open(std::move(options));
  if (!opened.ok()) {
    log.error("cannot open the ledger: {}", opened.status().ToString());
    return kExitFailure;
  }
  ledger::projections::ProjectorOptions views;
  views.path = server::ViewsPath(config.data);
  views.log = &(*opened)->log();
  views.logger = loggers->projections;
  auto projector = ledger::projections::Projector::Open(std::move(views));
  Status projecting = projector.ok() ? StartBehindTheWritePath(**projector) : projector.status();
  if (!projecting.ok()) {
    log.error("cannot start the projections: {}", projecting.ToString());
    return kExitFailure;
  }
  server::ServerOptions server_options;
  Status parsed =
      server::ParseListenAddress(config.listen, &server_options.host, &server_options.port);
  server_options.root_secret_sha256 = *root;
  server_options.data_directory = config.data;
  server_options.connections_max = connections_max;
  server_options.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
  server_options.logger = loggers->server;
  auto started = server::Server::Start(std::move(server_options), **opened, projector->get());
  if (!parsed.ok() || !started.ok()) {
    log.error("{}", parsed.ok() ? started.status().ToString() : parsed.ToString());
    return kExitFailure;
  }
  log.info("durability {}{}", config.durability == ledger::Durability::kSync ? "sync" : "async",
           config.durability == ledger::Durability::kSync
               ? ""
               : ": acknowledged events survive a process crash, not a power loss");
  std::printf("listening on %s:%u\n", config.listen.substr(0, config.listen.rfind(':')).c_str(),
              static_cast<unsigned>((*started)->port()));
  std::fflush(stdout);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int received = 0;
  sigwait(&signals, &received);
  log.info("received {}: shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
  (*started)->Stop();
  started->reset();
  // Views that stopped on a failure may have failed a write: their database is not closed
  // (Debian's RocksDB asserts on closing a write-ahead log whose last write failed), as after a
  // crash. They are derived from the log and replayed from their checkpoints at the next start.
  const bool views_failed = !(*projector)->Stats().failure.empty();
  if (views_failed) {
    (*projector)->Stop();
    log.warn("the views stopped on a failure: their database is left for the next start");
    static_cast<void>(projector->release());
  } else {
    projector->reset();  // Stops after the batch being applied; views stay consistent.
  }
  if ((*opened)->log().Stats().writes_refused) {
    // After a storage failure, closing RocksDB closes a write-ahead log file whose last write
    // failed, and Debian's RocksDB build aborts on that assertion. Everything acknowledged is
    // on disk already: leave the files as a crash would, for the next start to recover.
    log.warn(
        "the log refused writes after a storage failure: its files are left for the next "
        "start to recover (everything acknowledged is on disk); ledgerd stopped");
    ExitLeavingDatabasesOpen(log);
  }
  opened->reset();  // Waits for queued commands, writes a snapshot, closes the log.
  log.info("ledgerd stopped cleanly");
  if (views_failed) ExitLeavingDatabasesOpen(log);  // The views' database is still open.
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App app{"ledgerd: the Ledger server"};
  app.set_version_flag("--version", "ledgerd 0.1.0");
  std::map<std::string, std::string> values;
  std::map<std::string, CLI::Option*> options;
  for (const auto& setting : server::Settings()) {
    std::string name(setting.name);
    options[name] = app.add_option(
        "--" + name, values[name],
        fmt::format("{} (env {})", setting.description, setting.environment_variable));
  }
  std::string config_file;
  auto* config_option = app.add_option("--config", config_file,
                                       "config file of key = value lines (env LEDGER_CONFIG)");
  bool print_config = false;
  app.add_flag("--print-config", print_config, "print the effective configuration and exit");
  auto* init = app.add_subcommand("init", "create a data directory and its root credential");
  std::string init_data = "./data";
  init->add_option("--data", init_data, "the data directory to create");
  init->fallthrough();  // `ledgerd init --config FILE` as well as `ledgerd --config FILE init`.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }

  std::map<std::string, std::string> flags;
  for (const auto& [name, option] : options) {
    if (option->count() > 0) flags[name] = values[name];
  }
  std::optional<std::string> file;
  if (config_option->count() > 0) file = config_file;
  auto resolved = server::ResolveConfig(flags, file, server::ProcessEnvironment());
  if (!resolved.ok()) {
    std::fprintf(stderr, "ledgerd: %s\n", resolved.status().message().c_str());
    return kExitUsage;
  }
  if (init->parsed()) {
    // Without `init --data DIR`, the directory a start would serve: --data, LEDGER_DATA, the
    // config file, ./data.
    if (init->get_option("--data")->count() == 0) init_data = resolved->config.data;
    return Init(init_data);
  }
  if (print_config) {
    std::fputs(server::FormatConfig(*resolved).c_str(), stdout);
    return 0;
  }
  return Serve(*resolved);
}

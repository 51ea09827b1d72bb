// ledgerd's network server: accepts TCP connections, authenticates each one, and serves
// the protocol of docs/protocol.md on top of a Ledger (and its projections when given).
//
// One io thread runs every connection (Boost.Asio, C++20 coroutines); reads that may block
// (log ranges, verify, queries, exports) run on a small pool; commands go to the Ledger's
// writer and come back on its commit thread. Every input is bounded by limits.h; a client
// that breaks a limit gets an error and is disconnected while everyone else is served.
//
// Stop() is graceful: the listener closes, connections stop reading, requests in flight are
// answered and flushed, then connections close. Thread-safety: every public member may be
// called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "ledger/engine/ledger.h"
#include "ledger/engine/status.h"
#include "ledger/engine/types.h"
#include "ledger/limits.h"

namespace spdlog {
class logger;
}
namespace ledger::projections {
class Projector;
}

namespace ledger::server {

struct ServerOptions {
  /// Address to listen on, and port (0: a free port, see Server::port()).
  std::string host = "127.0.0.1";
  std::uint16_t port = 7400;
  /// SHA-256 of the root credential's secret (data_directory.h).
  Hash256 root_secret_sha256{};
  /// The data directory served (empty: not known); backups are refused inside it.
  std::string data_directory;
  /// Connections served at once; more are answered `Overloaded` and closed.
  std::size_t connections_max = limits::kConnectionsMax;
  /// Deadlines (each at most its limit in limits.h; tests shorten them).
  std::chrono::milliseconds idle_timeout{limits::kIdleTimeoutMs};
  std::chrono::milliseconds authenticate_timeout{limits::kAuthenticateTimeoutMs};
  std::chrono::milliseconds frame_read_timeout{limits::kFrameReadTimeoutMs};
  /// How long Stop() waits for requests in flight before closing connections anyway.
  std::chrono::milliseconds shutdown_drain_timeout{10'000};
  /// Threads for reads that may block (log ranges, verify, queries, exports).
  std::size_t blocking_threads = 2;
  /// Version string sent to clients in Authenticated.
  std::string server_version = "0.1.0";
  /// Logger for connections, authentication and limits. Default: spdlog's "server".
  std::shared_ptr<spdlog::logger> logger;
};

class Server {
 public:
  /// Binds, listens and starts serving. `ledger` (and `projector`, which may be null) must
  /// outlive the server.
  static Result<std::unique_ptr<Server>> Start(ServerOptions options, Ledger& ledger,
                                               projections::Projector* projector);
  /// Stop(), then joins the threads.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The port listened on (the chosen one when options.port was 0).
  std::uint16_t port() const;
  /// Graceful stop; returns once every connection is closed. Idempotent.
  void Stop();
  /// Connections open now.
  std::size_t connection_count() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ledger::server

// What every connection shares: the ledger, the projections, the options, the logger, the
// io context and the blocking pool, the authentication lockout, the metrics, the registry of
// connections and whether a backup is being written. Owned by the Server; outlives every
// Session.
#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "auth_lockout.h"
#include "command_batcher.h"
#include "ledger/engine/ledger.h"
#include "ledger/server/server.h"
#include "server_metrics.h"
#include "session_registry.h"
#include "views_waiter.h"

namespace ledger::server {

struct Services {
  Ledger& ledger;
  projections::Projector* projector;
  const ServerOptions& options;
  spdlog::logger& logger;
  /// Shared with every Responder (see responder.h).
  std::shared_ptr<boost::asio::io_context> io;
  boost::asio::thread_pool& blocking;
  AuthLockout& lockout;
  ServerMetrics& metrics;
  SessionRegistry& sessions;
  CommandBatcher& batcher;
  /// Where requests wait for the views to reach their min_sequence (views_waiter.h).
  ViewsWaiter& views_waiter;
  /// Set while a CreateBackup runs: one at a time, so that a backup holds one thread of the
  /// blocking pool at most and two never write into one directory.
  std::atomic<bool>& backup_running;
};

}  // namespace ledger::server

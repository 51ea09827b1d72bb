// What every connection shares: the ledger, the projections, the options, the logger, the
// io context and the blocking pool, the authentication lockout, the metrics and the
// registry of connections. Owned by the Server; outlives every Session.
#pragma once

#include <spdlog/logger.h>

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
};

}  // namespace ledger::server

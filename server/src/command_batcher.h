// Gathers the ExecuteCommands requests that arrive together (from any connection) into one
// Ledger::ExecuteAsync call, and hands each request its own slice of the results.
//
// Requests read in the same turn of the io loop are merged: the first one schedules a flush
// behind the read completions already queued, so under load many small requests (one event
// each, from many connections) reach the log's writer as one job and come back as one
// completion, instead of one job, one wake-up and one callback each. A lone request waits
// for nothing but that one turn. Merged requests keep their own principals and results: each
// command still succeeds or fails on its own. At most limits::kBatchCommandsMax commands are
// merged. Thread-safety: io thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ledger/engine/ledger.h"
#include "responder.h"

namespace ledger::server {

class CommandBatcher {
 public:
  /// Builds the response frame of one request from its results.
  using Encoder = std::string (*)(std::uint64_t request_id, std::span<const CommandResult>);

  CommandBatcher(std::shared_ptr<boost::asio::io_context> io, Ledger& ledger, Encoder encoder);

  /// Queues `commands` (at most limits::kBatchCommandsMax) for one request.
  void Add(std::vector<CommandRequest> commands, const Responder& responder);

 private:
  struct Waiting {
    std::size_t first = 0;
    std::size_t count = 0;
    Responder responder;
  };
  void Flush();

  /// Shared: a completion arriving after the server stopped posts into a context still alive.
  std::shared_ptr<boost::asio::io_context> io_;
  Ledger& ledger_;
  Encoder encoder_;
  std::vector<CommandRequest> commands_;
  std::vector<Waiting> waiting_;
  bool flush_scheduled_ = false;
};

}  // namespace ledger::server

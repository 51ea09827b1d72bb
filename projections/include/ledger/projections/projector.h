// The projector: tails the log and keeps the views (views.h) up to date in their own
// RocksDB database.
//
// One reader thread reads the log from the lowest checkpoint and decodes each event once;
// one applier thread applies every event, in order, to each projection that has not seen
// it yet, and writes each batch's rows together with the checkpoints of the projections it
// advanced in one RocksDB WriteBatch. A crash therefore never applies an event twice nor
// skips one: the views resume exactly where the last batch left them. The views database is
// written without fsync (a lost tail is re-applied from the log on the next open).
//
// On Open each checkpoint is checked against the log (the event at the checkpoint must have
// the recorded hash) and against the code's row layout; a projection that fails either is
// rebuilt from sequence 0. Rebuild() drops a projection's rows and replays it.
//
// Thread-safety: every public member may be called from any thread; Start, Stop and
// Rebuild are serialized with each other. The log must outlive the projector.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "ledger/engine/log.h"
#include "ledger/engine/status.h"
#include "ledger/engine/types.h"
#include "ledger/projections/types.h"
#include "ledger/projections/views.h"

namespace spdlog {
class logger;
}

namespace ledger::projections {

struct ProjectorOptions {
  /// Directory of the views database (for example "<data dir>/views"). Created if missing.
  std::string path;
  /// The log to tail; never written.
  const Log* log = nullptr;
  /// Most events per batch (one WriteBatch). Default and cap: limits::kProjectionBatchEventsMax.
  std::size_t batch_events_max = 0;
  /// RocksDB block cache of the views database, bytes. Default: 64 MiB.
  std::size_t block_cache_bytes = 64u << 20;
  /// Logger for state changes (open, rebuild, stall). Default: spdlog's "projections".
  std::shared_ptr<spdlog::logger> logger;
  /// TEST ONLY: runs on the applier thread after each batch is written.
  std::function<void(SequenceNumber)> after_batch_for_tests;
};

/// Where one projection stands.
struct ProjectionStats {
  ProjectionId id = ProjectionId::kDirectory;
  SequenceNumber checkpoint;
  /// Log head − checkpoint, in events.
  std::uint64_t lag = 0;
  /// Events applied per second over the last second or so (0 when idle).
  double apply_rate_events_per_second = 0;
  /// Events applied since Open.
  std::uint64_t events_applied = 0;
};

struct ProjectorStats {
  ChainPoint log_head;
  bool running = false;
  /// Why the projector stopped on its own (an undecodable event, a failed write); empty
  /// when it did not.
  std::string failure;
  std::uint64_t batches_written = 0;
  std::array<ProjectionStats, kProjectionCount> projections{};
};

class Projector {
 public:
  static Result<std::unique_ptr<Projector>> Open(ProjectorOptions options);
  /// Stops the threads; the views stay consistent with their checkpoints.
  ~Projector();
  Projector(const Projector&) = delete;
  Projector& operator=(const Projector&) = delete;

  /// Starts tailing the log. Ok when already running.
  Status Start();
  /// Stops after the batch being applied is written. Idempotent.
  void Stop();
  /// Drops the rows of `ids` and resets their checkpoints to 0 in one write; a running
  /// projector then replays them from the start while the others go on tailing.
  Status Rebuild(std::span<const ProjectionId> ids);
  Status RebuildAll() { return Rebuild(kAllProjections); }
  /// Blocks until every projection has applied `sequence` or `timeout` passes.
  bool WaitForSequence(SequenceNumber sequence, std::chrono::milliseconds timeout) const;

  ProjectorStats Stats() const;
  const Views& views() const;

  struct Impl;

 private:
  explicit Projector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ledger::projections

// The projector's applier: owns the projections and their checkpoints, applies decoded
// batches to every projection that has not seen them, and stages each batch's rows with the
// checkpoints it advanced in one WriteBatch, which the projector's writer thread writes
// while the next batch is being applied.
//
// Invariant: each stored checkpoint names the last event whose rows are stored, because
// both are in the same WriteBatch. The caches run ahead of the database by the batches
// staged but not yet written; if a write fails the projector stops, and Recover() (called
// by every Start) drops the caches and rereads the checkpoints, so nothing unwritten is
// ever built upon.
// Thread-safety: Prepare, Recover and Drop from one thread at a time (the applier thread,
// or the owner while the threads are stopped); Complete and the stats from any thread.
#pragma once

#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <span>

#include "batch_reader.h"
#include "ledger/engine/log.h"
#include "projection.h"
#include "row_batch.h"
#include "store.h"

namespace spdlog {
class logger;
}

namespace ledger::projections::internal {

/// Events applied during the last second.
class RateMeter {
 public:
  using Clock = std::chrono::steady_clock;
  void Add(std::uint64_t events, Clock::time_point now);
  double EventsPerSecond(Clock::time_point now) const;

 private:
  std::deque<std::pair<Clock::time_point, std::uint64_t>> samples_;
};

/// One batch's rows and checkpoints, ready to be written.
struct PreparedWrite {
  rocksdb::WriteBatch batch;
  /// Events applied per projection (0: its checkpoint is not in the batch).
  std::array<std::uint64_t, kProjectionCount> applied{};
  /// The batch's last event.
  ChainPoint point;
};

class Applier {
 public:
  Applier(ViewStore& store, const Log& log, std::shared_ptr<spdlog::logger> logger);

  /// Drops the caches and rereads the checkpoints; drops each projection whose checkpoint
  /// names an event the log does not hold (with that hash) or whose rows have another
  /// layout than this build writes.
  Status Recover();
  /// The first sequence some projection still needs.
  SequenceNumber NextToRead() const;
  /// Applies a batch and stages its rows and checkpoints.
  Result<PreparedWrite> Prepare(const DecodedBatch& batch);
  /// After `written` reached the database: publishes its checkpoints, counts its events.
  void Complete(const PreparedWrite& written);
  /// Deletes the projections' rows and resets their checkpoints to 0, in one write.
  Status Drop(std::span<const ProjectionId> ids);

  std::uint64_t EventsApplied(ProjectionId id) const;
  double ApplyRate(ProjectionId id) const;
  std::uint64_t BatchesWritten() const;

 private:
  Projection& projection(ProjectionId id) { return *projections_[static_cast<std::size_t>(id)]; }
  Checkpoint& checkpoint(ProjectionId id) { return checkpoints_[static_cast<std::size_t>(id)]; }
  /// Flushes the projections that applied events into `prepared`, with their checkpoints.
  Status Stage(PreparedWrite* prepared);
  Result<bool> MatchesLog(ProjectionId id, const Checkpoint& checkpoint) const;
  void ResetCaches();
  void Count(const std::array<std::uint64_t, kProjectionCount>& applied);

  ViewStore& store_;
  const Log& log_;
  std::shared_ptr<spdlog::logger> logger_;
  std::array<std::unique_ptr<Projection>, kProjectionCount> projections_;
  std::array<Checkpoint, kProjectionCount> checkpoints_{};
  /// Reused from batch to batch: its arena keeps its capacity.
  RowBatch rows_;

  mutable std::mutex stats_mutex_;
  std::array<std::uint64_t, kProjectionCount> events_applied_{};
  std::array<RateMeter, kProjectionCount> rates_{};
  std::uint64_t batches_written_ = 0;
};

}  // namespace ledger::projections::internal

// The projector's applier: owns the projections and their checkpoints, applies decoded
// batches to every projection that has not seen them, and writes each batch's rows with
// the checkpoints it advanced in one WriteBatch.
//
// Invariant: after ApplyBatch returns, each projection's stored checkpoint names the last
// event whose rows are stored, and the cached rows equal the stored ones. A failed apply or
// write resets every cache, so nothing unwritten is ever built upon.
// Thread-safety: ApplyBatch, Recover and Drop from one thread at a time (the applier thread,
// or the owner while that thread is stopped); the stats accessors from any thread.
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

class Applier {
 public:
  Applier(ViewStore& store, const Log& log, std::shared_ptr<spdlog::logger> logger);

  /// Drops each projection whose checkpoint names an event the log does not hold (with that
  /// hash) or whose rows have another layout than this build writes.
  Status Recover();
  /// The first sequence some projection still needs.
  SequenceNumber NextToRead() const;
  Status ApplyBatch(const DecodedBatch& batch);
  /// Deletes the projections' rows and resets their checkpoints to 0, in one write.
  Status Drop(std::span<const ProjectionId> ids);

  std::uint64_t EventsApplied(ProjectionId id) const;
  double ApplyRate(ProjectionId id) const;
  std::uint64_t BatchesWritten() const;

 private:
  Projection& projection(ProjectionId id) { return *projections_[static_cast<std::size_t>(id)]; }
  Checkpoint& checkpoint(ProjectionId id) { return checkpoints_[static_cast<std::size_t>(id)]; }
  /// Flushes the projections that applied events, then writes their rows and checkpoints.
  Status Write(const std::array<std::uint64_t, kProjectionCount>& applied, const ChainPoint& point);
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

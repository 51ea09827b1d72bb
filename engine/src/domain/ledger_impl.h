// Ledger::Impl: the log, the domain state, and the jobs that decide commands in the log's
// writer thread.
//
// Who touches the state: on Open, the opening thread (nobody else exists yet); afterwards only
// the log's writer thread mutates it (CommandJob::Stage), taking `state_mutex` exclusively
// around each Apply, order load and eviction sweep; readers on other threads take it shared.
// Deciding runs in the writer thread without the lock, because nothing else mutates the state.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "domain/state.h"
#include "ledger/engine/ledger.h"

namespace ledger {

struct Ledger::Impl {
  LedgerOptions options;
  std::shared_ptr<spdlog::logger> logger;
  std::unique_ptr<Log> log;
  /// Held to read `log` from the snapshot publisher, which may run while the ledger closes
  /// it; the closing thread takes `log` away under it (~Ledger).
  std::mutex log_lifetime_mutex;

  /// Mutated by the writer thread only (see the file comment).
  domain::State state;
  mutable std::shared_mutex state_mutex;

  /// Set when a group holding this ledger's events failed to commit: the state may hold
  /// events that are not in the log, so every later command is refused.
  std::atomic<bool> failed{false};
  std::atomic<bool> closing{false};

  /// Domain events applied since the last snapshot, and whether one is queued.
  std::atomic<std::uint64_t> events_since_snapshot{0};
  std::atomic<bool> snapshot_queued{false};
  std::atomic<std::uint64_t> snapshot_sequence{0};
  std::atomic<std::uint64_t> snapshots_written{0};
  std::atomic<std::uint64_t> snapshot_pause_ms_max{0};
  /// Set once a snapshot's copy of the state is dropped: the writer thread then settles the
  /// id table's overlay (domain/id_table.h) into its shards.
  std::atomic<bool> ids_unsettled{false};
  /// Orders loaded back from the log, and orders evicted, since Open.
  std::atomic<std::uint64_t> orders_loaded{0};
  std::atomic<std::uint64_t> orders_evicted{0};
  std::uint64_t replayed_on_open = 0;
  std::uint64_t open_log_ms = 0;
  std::uint64_t open_snapshot_ms = 0;
  std::uint64_t open_replay_ms = 0;

  std::string snapshot_path() const { return options.snapshot_path; }
  std::string snapshot_temp_path() const { return options.snapshot_path + ".tmp"; }

  /// Writer thread: decides one command and stages its event. Sets *storage_failed (and
  /// returns nothing meaningful) when the log's storage failed.
  CommandResult StageOne(StagingBatch& batch, const CommandRequest& request,
                         const Fingerprint& fingerprint, bool* storage_failed);
  /// Writer thread: what a rejected command with an idempotency key gets: the original
  /// result for a retry, a key-reuse conflict for another command, else `rejected`.
  CommandResult ResolveKeyOfRejected(StagingBatch& batch, const CommandRequest& request,
                                     const Fingerprint& fingerprint, CommandResult rejected,
                                     bool* storage_failed);
  /// Writer thread: makes sure the order `command` names is in memory if it exists, loading
  /// it from the log when it is not (ledger_orders.cc). An error means a read of the log
  /// failed; nothing was decided.
  Status HoldOrderNamedBy(StagingBatch& batch, const domain::Command& command);
  /// Open: the same for the order of a replayed event at version `version` of its stream.
  Status HoldOrderBefore(const domain::Event& event, StreamVersion version);
  /// Evicts orders past options.hot_orders_max whose events are at or before `durable`.
  /// Writer thread or Open; takes the state's lock itself.
  void EvictColdOrders(SequenceNumber durable);
  /// Loads the snapshot (if usable) and replays the log after it.
  Status Recover();
  /// Queues a snapshot job; `done` gets its outcome. False when one is already queued.
  bool QueueSnapshot(std::function<void(Status)> done);
  /// Records (and logs, with the time it `took`) a snapshot's outcome, clears
  /// `snapshot_queued` and calls `done`.
  void FinishSnapshot(SequenceNumber sequence, const Status& outcome,
                      std::function<void(Status)> done,
                      std::chrono::milliseconds took = std::chrono::milliseconds(0));
  /// Fsyncs and publishes the last snapshot file; joined before the next one and on close.
  std::mutex publisher_mutex;
  std::thread publisher;
};

/// The log's chain point at durable event `sequence` (0: the genesis point, zero hash).
Result<ChainPoint> ChainPointAt(const Log& log, SequenceNumber sequence);

/// Builds the WriteJob that decides and stages a batch of commands.
std::unique_ptr<WriteJob> MakeCommandJob(Ledger::Impl& impl, std::vector<CommandRequest> batch,
                                         Ledger::ExecuteCallback done);
/// Builds the WriteJob that writes a snapshot at its position in the log.
std::unique_ptr<WriteJob> MakeSnapshotJob(Ledger::Impl& impl, std::function<void(Status)> done);

}  // namespace ledger

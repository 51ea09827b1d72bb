// How work reaches the log's single writer: a WriteJob is staged into the group commit being
// built, then completed once that group is durable (or has failed).
//
// The writer thread calls Stage() for each queued job in arrival order, against a
// StagingBatch that sees every event staged before it (even those not yet durable), so
// decisions made in Stage() are serializable. Stage() must not block, do I/O of its own or
// throw. Complete() is called exactly once, from the log's commit or completion thread (in
// job order either way), after the group's fsync (sync durability) or WAL write (async)
// succeeded, or with the failure that stopped it.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "ledger/engine/append.h"
#include "ledger/engine/status.h"
#include "ledger/engine/types.h"

namespace ledger {

/// A durable idempotency record: the command that first used a key, and its result.
struct IdempotencyRecord {
  SequenceNumber first_sequence;
  StreamVersion first_version;
  std::uint32_t event_count = 0;
  Fingerprint fingerprint{};
};

/// The header shared by the events of one command. It views the caller's strings: they must
/// outlive the StageCommand call.
struct CommandHeader {
  const EventMetadata& metadata;
  std::string_view idempotency_scope;
  std::string_view idempotency_key;
  Fingerprint fingerprint{};
};

/// An idempotency key as a command carries it.
struct ScopedKey {
  std::string_view scope;
  std::string_view key;
};

/// The commands, of a job's `count`, whose keys the job hands to PrefetchIdempotency (and
/// PrefetchStreams) just before staging command `next`: [begin, end), empty when none. Runs of
/// 256 commands; jobs under 8 commands read each key on its own.
struct PrefetchRun {
  std::size_t begin = 0;
  std::size_t end = 0;
  static PrefetchRun Before(std::size_t next, std::size_t count) {
    constexpr std::size_t kCommands = 256;
    constexpr std::size_t kJobCommandsMin = 8;
    if (count < kJobCommandsMin || next % kCommands != 0) return {};
    return {next, next + kCommands < count ? next + kCommands : count};
  }
  bool empty() const { return begin == end; }
};

/// The group commit being built. Used only by the writer thread, inside WriteJob::Stage().
class StagingBatch {
 public:
  virtual ~StagingBatch() = default;

  /// The stream's last version, counting staged events; 0 when the stream does not exist.
  virtual Result<StreamVersion> CurrentVersion(std::string_view stream) = 0;
  /// The record of an idempotency key, counting staged commands.
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(std::string_view scope,
                                                                   std::string_view key) = 0;
  /// The sequence of the event holding `claim` (EventDraft::claim), counting staged events;
  /// nullopt when no event claimed it.
  virtual Result<std::optional<SequenceNumber>> FindClaim(std::string_view claim) = 0;
  /// Stages one command: checks its key (duplicate or conflict), its fields, its streams'
  /// expected versions and its events' claims, then sequences, hashes and writes its events;
  /// or stages nothing and says why. A Status failure means storage failed (the log stops writing).
  virtual Result<AppendResult> StageCommand(const CommandHeader& header,
                                            std::span<const EventDraft> events) = 0;
  /// Fails the group being built as a storage failure does: nothing of it is written, each of
  /// its jobs completes with `failure`, and the log refuses writes until reopened. For a job
  /// whose own reads of the log failed while it staged (it must not decide on a guess).
  virtual void FailGroup(Status failure) = 0;
  /// Optional: the keys of the commands about to be staged, so that their lookups in the
  /// durable index are made together, in one batched read, rather than one read each.
  /// Lookups are exact with or without it; it only makes them cheaper.
  virtual void PrefetchIdempotency(std::span<const ScopedKey> keys) { (void)keys; }
  /// Likewise for the streams the commands about to be staged write to.
  virtual void PrefetchStreams(std::span<const std::string_view> streams) { (void)streams; }
  /// The sequence of the last event staged so far, in this group or before it (durable or
  /// not). A job that records derived state (the domain's snapshot) names its position; the
  /// event's hash is known once the group is durable (Log::ReadRange), not while staging.
  virtual SequenceNumber StagedThrough() const = 0;
};

class WriteJob {
 public:
  virtual ~WriteJob() = default;
  /// How many events the job may stage, so the writer can bound a group commit.
  virtual std::size_t EventCountHint() const = 0;
  virtual void Stage(StagingBatch& batch) = 0;
  virtual void Complete(const Status& status) = 0;
};

}  // namespace ledger

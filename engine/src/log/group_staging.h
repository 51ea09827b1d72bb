// StagingBatch for one group commit: checks a command, then sequences and stages its events
// into the group's packs and the index tail (the commit thread hashes them, log_impl.h).
//
// Thread-safety: the writer thread only.
#pragma once

#include <string>
#include <vector>

#include "ledger/engine/write_job.h"
#include "log/log_impl.h"

namespace ledger::log {

class GroupStaging final : public StagingBatch {
 public:
  GroupStaging(LogImpl& log, CommitGroup& group, std::int64_t recorded_at_us)
      : log_(log), group_(group), recorded_at_us_(recorded_at_us) {}

  Result<StreamVersion> CurrentVersion(std::string_view stream) override;
  Result<std::optional<IdempotencyRecord>> FindIdempotency(std::string_view scope,
                                                           std::string_view key) override;
  Result<std::optional<SequenceNumber>> FindClaim(std::string_view claim) override;
  Result<AppendResult> StageCommand(const CommandHeader& header,
                                    std::span<const EventDraft> events) override;
  void FailGroup(Status failure) override { (void)Fail(std::move(failure)); }
  void PrefetchIdempotency(std::span<const ScopedKey> keys) override;
  void PrefetchStreams(std::span<const std::string_view> streams) override;
  SequenceNumber StagedThrough() const override {
    return SequenceNumber{log_.next_sequence_.value - 1};
  }

 private:
  /// Fills `versions` with the version each event will get, or says which check failed.
  Result<AppendResult> CheckVersions(std::span<const EventDraft> events,
                                     std::vector<StreamVersion>* versions);
  /// Says which event's claim is taken, by an earlier event or one before it in `events`.
  Result<AppendResult> CheckClaims(std::span<const EventDraft> events);
  Status Fail(Status failure);

  LogImpl& log_;
  CommitGroup& group_;
  std::int64_t recorded_at_us_;
  // Reused by every command staged, so staging one allocates nothing of its own.
  std::string composite_key_;
  std::string claim_key_;
  /// The last claim FindClaim found free, while nothing was staged since (the domain asks
  /// before staging the event that takes it; StageCommand then need not look again).
  std::string free_claim_;
  SequenceNumber free_claim_before_;
  std::vector<StreamVersion> versions_;
};

/// The first field of a command that breaks a bound or charset, or nullopt.
std::optional<std::string> InvalidCommandField(const CommandHeader& header,
                                               std::span<const EventDraft> events);

}  // namespace ledger::log

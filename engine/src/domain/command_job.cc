// The write jobs of the ledger: deciding a batch of commands, and writing a snapshot, both
// inside the log's writer thread so that they see the state exactly at their log position.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <future>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "domain/apply.h"
#include "domain/check.h"
#include "domain/decide.h"
#include "domain/ledger_impl.h"
#include "domain/snapshot.h"
#include "ledger/engine/domain/event_codec.h"

namespace ledger {
namespace {

using domain::ResultCode;

CommandResult Rejected(ResultCode code, std::string message) {
  CommandResult result;
  result.code = code;
  result.message = std::move(message);
  return result;
}

CommandResult Duplicate(SequenceNumber first_sequence, StreamVersion first_version,
                        std::uint32_t event_count) {
  CommandResult result;
  result.code = ResultCode::kDuplicate;
  result.first_sequence = first_sequence;
  result.first_version = first_version;
  result.event_count = event_count;
  return result;
}

/// The claims of the events staged so far, the group being built included, as the log holds
/// them. A lookup that fails counts as taken (nothing is accepted on a guess) and fails the
/// group.
class StagedClaims final : public domain::Claims {
 public:
  explicit StagedClaims(StagingBatch& batch) : batch_(batch) {}
  bool Taken(std::string_view claim) const override {
    Result<std::optional<SequenceNumber>> holder = batch_.FindClaim(claim);
    if (!holder.ok()) {
      failed_ = true;
      return true;
    }
    return holder->has_value();
  }
  bool failed() const { return failed_; }

 private:
  StagingBatch& batch_;
  mutable bool failed_ = false;
};

class CommandJob final : public WriteJob {
 public:
  CommandJob(Ledger::Impl& impl, std::vector<CommandRequest> requests, Ledger::ExecuteCallback done)
      : impl_(impl), requests_(std::move(requests)), done_(std::move(done)) {
    // Fingerprints are pure: compute them here, on the caller's thread, not the writer's.
    fingerprints_.reserve(requests_.size());
    for (const CommandRequest& request : requests_) {
      fingerprints_.push_back(request.idempotency_key.empty()
                                  ? Fingerprint{}
                                  : domain::FingerprintOf(request.principal, request.command));
    }
  }

  std::size_t EventCountHint() const override { return requests_.size(); }

  void Stage(StagingBatch& batch) override {
    if (impl_.ids_unsettled.exchange(false)) {
      std::unique_lock lock(impl_.state_mutex);
      impl_.state.withdrawal_ids.Settle();
    }
    results_.reserve(requests_.size());
    std::vector<ScopedKey> ahead;
    for (std::size_t i = 0; i < requests_.size(); ++i) {
      if (auto run = PrefetchRun::Before(i, requests_.size()); !run.empty()) {
        // Read the durable records of the next keys together, not one read each.
        ahead.clear();
        for (std::size_t j = run.begin; j < run.end; ++j) {
          ahead.push_back(
              {domain::IdempotencyScopeOf(requests_[j].command), requests_[j].idempotency_key});
        }
        batch.PrefetchIdempotency(ahead);
      }
      if (Status held = impl_.HoldOrderNamedBy(batch, requests_[i].command); !held.ok()) {
        batch.FailGroup(std::move(held));
        return;  // Complete() says why.
      }
      bool storage_failed = false;
      CommandResult result = impl_.StageOne(batch, requests_[i], fingerprints_[i], &storage_failed);
      if (storage_failed) return;  // The group fails; Complete() says why.
      if (result.code == ResultCode::kAccepted) staged_ += result.event_count;
      results_.push_back(std::move(result));
    }
    impl_.EvictColdOrders(impl_.log->Head().sequence);
  }

  void Complete(const Status& status) override {
    if (!status.ok()) {
      if (staged_ > 0) impl_.failed.store(true);
      results_.clear();
    } else {
      impl_.events_since_snapshot.fetch_add(staged_);
    }
    done_(status, std::move(results_));
  }

 private:
  Ledger::Impl& impl_;
  std::vector<CommandRequest> requests_;
  std::vector<Fingerprint> fingerprints_;
  std::vector<CommandResult> results_;
  std::uint64_t staged_ = 0;
  Ledger::ExecuteCallback done_;
};

/// Hands memory the allocator keeps free back to the system. A snapshot's copy-on-write leaves
/// the live state with fresh copies of the chunks it wrote while the snapshot was written, and
/// frees the old ones once the copy is dropped; glibc keeps such blocks in its per-thread
/// arenas, where the resident size grows by up to a hundred MiB at two million orders.
void ReturnFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

/// Takes a copy of the state in Stage (it then matches the staged events exactly) and hands it
/// to the publisher thread, which waits until everything up to there is durable (Complete),
/// then writes it with the hash of the last event while appends go on, and publishes the file.
class SnapshotJob final : public WriteJob {
 public:
  SnapshotJob(Ledger::Impl& impl, std::function<void(Status)> done)
      : impl_(impl), done_(std::move(done)) {}

  std::size_t EventCountHint() const override { return 0; }

  void Stage(StagingBatch& batch) override {
    // Appends wait only for the copy of the small parts of the state (docs/domain.md).
    const auto start = std::chrono::steady_clock::now();
    sequence_ = batch.StagedThrough();
    std::shared_ptr<const domain::State> copy;
    {
      std::unique_lock lock(impl_.state_mutex);  // Settling the id table moves its keys.
      copy = std::make_shared<const domain::State>(domain::CopyForSnapshot(impl_.state));
    }
    const auto pause_ms =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now() - start)
                                       .count());
    if (pause_ms > impl_.snapshot_pause_ms_max.load()) impl_.snapshot_pause_ms_max.store(pause_ms);

    Ledger::Impl& impl = impl_;
    std::lock_guard lock(impl.publisher_mutex);
    staged_ = true;
    impl.publisher =
        std::thread([&impl, copy = std::move(copy), sequence = sequence_,
                     durable = durable_.get_future(), done = std::move(done_)]() mutable {
          { std::lock_guard assigned(impl.publisher_mutex); }  // `publisher` names this thread.
          Status committed = Status::Internal("the log dropped the snapshot job");
          try {
            committed = durable.get();
          } catch (const std::future_error&) {
            // The job was destroyed without completing (the log closed first): nothing to publish.
          }
          const auto writing = std::chrono::steady_clock::now();
          Result<ChainPoint> position = [&]() -> Result<ChainPoint> {
            if (!committed.ok()) return committed;
            std::lock_guard open(impl.log_lifetime_mutex);
            if (!impl.log) return Status(StatusCode::kShuttingDown, "the log closed");
            return ChainPointAt(*impl.log, sequence);
          }();
          Status written =
              position.ok() ? domain::WriteSnapshotFile(*copy, *position, impl.snapshot_temp_path())
                            : position.status();
          {
            // The live state's tables are its own again. Dropped under the state's lock: the
            // writer, which applies events under it, then sees a table's copy count fall to one
            // only after this thread's reads of it (happens-before), and may write in place.
            std::unique_lock released(impl.state_mutex);
            copy.reset();
          }
          ReturnFreedMemory();
          impl.ids_unsettled.store(true);
          Status outcome = !written.ok() ? written
                                         : domain::PublishSnapshotFile(impl.snapshot_temp_path(),
                                                                       impl.snapshot_path());
          impl.FinishSnapshot(sequence, outcome, std::move(done),
                              std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - writing));
        });
  }

  void Complete(const Status& status) override {
    if (staged_) {
      durable_.set_value(status);
      return;
    }
    // Refused before it was staged (the log failed): nothing was copied or written.
    impl_.FinishSnapshot(
        sequence_,
        status.ok() ? Status(StatusCode::kInternal, "the snapshot was not staged") : status,
        std::move(done_));
  }

 private:
  Ledger::Impl& impl_;
  std::function<void(Status)> done_;
  SequenceNumber sequence_;
  bool staged_ = false;
  std::promise<Status> durable_;
};

}  // namespace

CommandResult Ledger::Impl::ResolveKeyOfRejected(StagingBatch& batch, const CommandRequest& request,
                                                 const Fingerprint& fingerprint,
                                                 CommandResult rejected, bool* storage_failed) {
  if (request.idempotency_key.empty()) return rejected;
  auto found =
      batch.FindIdempotency(domain::IdempotencyScopeOf(request.command), request.idempotency_key);
  if (!found.ok()) {
    *storage_failed = true;
    return {};
  }
  if (!found->has_value()) return rejected;
  const IdempotencyRecord& record = **found;
  if (record.fingerprint == fingerprint) {
    return Duplicate(record.first_sequence, record.first_version, record.event_count);
  }
  if (auto hidden = domain::CheckScopeVisible(state, request.principal, request.command)) {
    return Rejected(hidden->code, std::move(hidden->message));
  }
  return Rejected(ResultCode::kIdempotencyKeyReusedWithDifferentCommand,
                  fmt::format("idempotency key '{}' was used for a different command recorded "
                              "at sequence {}",
                              request.idempotency_key, record.first_sequence.value));
}

// The idempotency key is checked before anything is written, but looked up only once: a
// rejected command looks it up here (a retry is answered with the original result even though
// deciding again refuses it, or its stream has moved past the version it expected); an
// accepted one lets StageCommand check it, which stages nothing for a key already used.
//
// The caller's expected version is checked against the domain's version of the stream, the
// one the event is then staged with as the log's own expectation (Exact or NoStream): the log
// confirms the two agree, so the caller's expectation holds against the log itself, in the
// writer thread, atomically with sequencing.
CommandResult Ledger::Impl::StageOne(StagingBatch& batch, const CommandRequest& request,
                                     const Fingerprint& fingerprint, bool* storage_failed) {
  // The log would refuse such a key only after the decision, as a failed append.
  if (auto problem = IdempotencyKeyProblem(request.idempotency_key)) {
    return Rejected(ResultCode::kIdempotencyKeyIsMalformed, std::move(*problem));
  }
  StagedClaims claims(batch);
  domain::Decision decision = domain::Decide(state, claims, request.principal, request.command);
  if (claims.failed()) {
    *storage_failed = true;
    return {};
  }
  if (!decision.accepted()) {
    return ResolveKeyOfRejected(batch, request, fingerprint,
                                Rejected(decision.code, std::move(decision.message)),
                                storage_failed);
  }
  if (auto violation = request.expected.Violation(decision.stream, decision.current_version)) {
    return ResolveKeyOfRejected(batch, request, fingerprint,
                                Rejected(ResultCode::kWrongExpectedVersion, std::move(*violation)),
                                storage_failed);
  }
  EventDraft draft;
  draft.stream = std::move(decision.stream);
  draft.expected = decision.current_version.value == 0
                       ? ExpectedVersion::NoStream()
                       : ExpectedVersion::Exact(decision.current_version);
  draft.type = domain::TypeOf(decision.event);
  draft.payload = domain::EncodeEvent(decision.event);
  draft.claim = std::move(decision.claim);
  const EventMetadata metadata{request.principal.Actor(),        decision.environment,
                               std::move(decision.organization), std::move(decision.platform),
                               request.correlation_id,           request.causation_id};
  const CommandHeader header{metadata, domain::IdempotencyScopeOf(request.command),
                             request.idempotency_key, fingerprint};
  Result<AppendResult> appended = batch.StageCommand(header, {&draft, 1});
  if (!appended.ok()) {
    *storage_failed = true;
    return {};
  }
  switch (appended->code) {
    case AppendCode::kAppended:
      break;
    case AppendCode::kDuplicate:
      return Duplicate(appended->first_sequence, appended->first_version, appended->event_count);
    case AppendCode::kIdempotencyKeyReusedWithDifferentCommand:
      return Rejected(ResultCode::kIdempotencyKeyReusedWithDifferentCommand,
                      std::move(appended->message));
    default:
      return Rejected(ResultCode::kLogRefusedTheAppend,
                      fmt::format("the log refused the event ({}): {}",
                                  AppendCodeName(appended->code), appended->message));
  }
  {
    std::unique_lock lock(state_mutex);
    domain::Apply(state, decision.event, appended->first_sequence);
    LEDGER_CHECK(appended->first_sequence > state.applied_through);
    state.applied_through = appended->first_sequence;
  }
  CommandResult accepted;
  accepted.first_sequence = appended->first_sequence;
  accepted.first_version = appended->first_version;
  accepted.event_count = 1;
  return accepted;
}

void Ledger::Impl::FinishSnapshot(SequenceNumber sequence, const Status& outcome,
                                  std::function<void(Status)> done,
                                  std::chrono::milliseconds took) {
  if (outcome.ok()) {
    snapshot_sequence.store(sequence.value);
    snapshots_written.fetch_add(1);
    logger->info("domain snapshot at sequence {} written in {} ms", sequence.value, took.count());
  } else {
    std::error_code ignored;
    std::filesystem::remove(snapshot_temp_path(), ignored);
    logger->warn("domain snapshot not written: {}", outcome.ToString());
  }
  snapshot_queued.store(false);
  done(outcome);
}

bool Ledger::Impl::QueueSnapshot(std::function<void(Status)> done) {
  if (snapshot_queued.exchange(true)) return false;
  // The previous snapshot's publisher is done (it cleared snapshot_queued last thing).
  std::lock_guard lock(publisher_mutex);
  if (publisher.joinable()) publisher.join();
  events_since_snapshot.store(0);
  (void)log->Submit(MakeSnapshotJob(*this, std::move(done)));
  return true;
}

std::unique_ptr<WriteJob> MakeCommandJob(Ledger::Impl& impl, std::vector<CommandRequest> batch,
                                         Ledger::ExecuteCallback done) {
  return std::make_unique<CommandJob>(impl, std::move(batch), std::move(done));
}

std::unique_ptr<WriteJob> MakeSnapshotJob(Ledger::Impl& impl, std::function<void(Status)> done) {
  return std::make_unique<SnapshotJob>(impl, std::move(done));
}

}  // namespace ledger

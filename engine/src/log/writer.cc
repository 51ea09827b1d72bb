// The write path of LogImpl: the queue, the writer thread and the commit thread.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/one_shot.h"
#include "ledger/limits.h"
#include "log/group_staging.h"
#include "log/keys.h"
#include "log/log_impl.h"

namespace ledger::log {
namespace {

/// Jobs queued before the writer, with a group waiting for the busy commit thread, is woken
/// to stage them.
constexpr std::size_t kStageEagerlyJobs = 16;
/// Groups of at most this many jobs are completed on the commit thread (CommitLoop).
constexpr std::size_t kCompleteHereJobsMax = 2;

/// A batch of plain appends, each one a command of one event.
class AppendJob final : public WriteJob {
 public:
  AppendJob(std::vector<AppendRequest> requests, Log::AppendCallback done)
      : requests_(std::move(requests)), done_(std::move(done)) {
    // Fingerprints are pure: compute them here, on the caller's thread, not the writer's.
    fingerprints_.reserve(requests_.size());
    for (const AppendRequest& request : requests_) {
      fingerprints_.push_back(request.idempotency_key.empty() ? Fingerprint{}
                                                              : FingerprintOf(request));
    }
  }

  std::size_t EventCountHint() const override { return requests_.size(); }

  void Stage(StagingBatch& batch) override {
    results_.reserve(requests_.size());
    std::vector<ScopedKey> ahead;
    std::vector<std::string_view> streams;
    for (std::size_t i = 0; i < requests_.size(); ++i) {
      if (auto run = PrefetchRun::Before(i, requests_.size()); !run.empty()) {
        // Read the durable entries of the next keys and streams together, not one read each.
        ahead.clear();
        streams.clear();
        for (std::size_t j = run.begin; j < run.end; ++j) {
          ahead.push_back({requests_[j].idempotency_scope, requests_[j].idempotency_key});
          streams.push_back(requests_[j].event.stream);
        }
        batch.PrefetchIdempotency(ahead);
        batch.PrefetchStreams(streams);
      }
      const AppendRequest& request = requests_[i];
      CommandHeader header{request.metadata, request.idempotency_scope, request.idempotency_key,
                           fingerprints_[i]};
      Result<AppendResult> result = batch.StageCommand(header, {&request.event, 1});
      if (!result.ok()) return;  // Storage failed: the group fails and Complete says why.
      results_.push_back(std::move(result).value());
    }
  }

  void Complete(const Status& status) override {
    if (!status.ok()) results_.clear();
    done_(status, std::move(results_));
  }

 private:
  std::vector<AppendRequest> requests_;
  std::vector<Fingerprint> fingerprints_;
  std::vector<AppendResult> results_;
  Log::AppendCallback done_;
};

}  // namespace

Status LogImpl::Submit(std::unique_ptr<WriteJob> job) {
  bool wake_writer = false;
  if (writes_refused_.load()) {
    Status refusal = WriteRefusal();
    job->Complete(refusal);
    return refusal;
  }
  {
    std::lock_guard lock(queue_mutex_);
    if (stopping_) {
      Status closing(StatusCode::kShuttingDown, "the log is closing");
      job->Complete(closing);
      return closing;
    }
    if (queue_.size() >= limits::kWriteQueueBatchesMax) {
      Status overloaded = Status::Overloaded(fmt::format(
          "the write queue holds {} batches, its limit", limits::kWriteQueueBatchesMax));
      job->Complete(overloaded);
      return overloaded;
    }
    queue_.push_back(std::move(job));
    // The writer waits for the first job, or for enough of them while the commit thread is
    // busy (WriterLoop): waking it for each job would cost a context switch per append.
    wake_writer = queue_.size() == 1 || queue_.size() >= kStageEagerlyJobs;
  }
  if (wake_writer) queue_wake_.notify_one();
  return Status::Ok();
}

void LogImpl::AppendAsync(std::vector<AppendRequest> batch, AppendCallback done) {
  if (batch.size() > limits::kBatchCommandsMax) {
    done(Status::InvalidArgument(fmt::format("a batch holds at most {} appends, not {}",
                                             limits::kBatchCommandsMax, batch.size())),
         {});
    return;
  }
  (void)Submit(std::make_unique<AppendJob>(std::move(batch), std::move(done)));
}

Result<std::vector<AppendResult>> LogImpl::Append(std::vector<AppendRequest> batch) {
  OneShot<Result<std::vector<AppendResult>>> appended;
  AppendAsync(std::move(batch), appended.ResultSetter<std::vector<AppendResult>>());
  return appended.Wait();
}

bool LogImpl::GroupHasRoomFor(const CommitGroup* group, const WriteJob& job) const {
  if (group == nullptr || group->jobs.empty()) return true;
  return group->staged_event_hint + job.EventCountHint() <= limits::kGroupCommitEventsMax &&
         group->handed_off_bytes + group->piece_bytes + pack_.bytes() <
             limits::kGroupCommitBytesMax;
}

void LogImpl::WriterLoop() {
  // The group being staged. While the commit thread is busy with the previous group, jobs
  // that arrive keep joining this one, so one fsync covers everything that waited for it.
  std::unique_ptr<CommitGroup> group;
  while (true) {
    std::vector<std::unique_ptr<WriteJob>> jobs;
    {
      std::unique_lock lock(queue_mutex_);
      queue_wake_.wait(lock, [&] {
        // While the commit thread is busy with the previous group, staging each job as it
        // arrives would wake this thread once per job; it waits for several instead, or for
        // the commit thread to become idle, whichever comes first.
        bool worth_taking = group == nullptr || !commit_busy_ || queue_.size() >= kStageEagerlyJobs;
        bool can_take =
            !queue_.empty() && worth_taking && GroupHasRoomFor(group.get(), *queue_.front());
        bool can_hand_off = group != nullptr && CanHandOffGroup();
        return can_take || can_hand_off || (stopping_ && queue_.empty() && group == nullptr);
      });
      if (stopping_ && queue_.empty() && group == nullptr) break;
      std::size_t hint = group ? group->staged_event_hint : 0;
      while (!queue_.empty() && (jobs.empty() ? GroupHasRoomFor(group.get(), *queue_.front())
                                              : hint + queue_.front()->EventCountHint() <=
                                                    limits::kGroupCommitEventsMax)) {
        hint += queue_.front()->EventCountHint();
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (!jobs.empty()) {
      if (!group) group = std::make_unique<CommitGroup>();
      StageJobs(*group, std::move(jobs));
    }
    std::lock_guard lock(queue_mutex_);
    if (group && CanHandOffGroup()) {
      ClosePack(*group);  // Sealing moves the pack's bytes, it does not copy them.
      commit_busy_ = true;
      commit_idle_.store(false, std::memory_order_relaxed);
      pending_commit_ = std::move(group);
      commit_wake_.notify_one();
    }
  }
  std::lock_guard lock(queue_mutex_);
  writer_done_ = true;
  commit_wake_.notify_one();
}

void LogImpl::StageJobs(CommitGroup& group, std::vector<std::unique_ptr<WriteJob>> jobs) {
  // Recorded times never go backwards along the log, even when the wall clock does.
  last_recorded_at_us_ = std::max(last_recorded_at_us_, options_.clock());
  GroupStaging staging(*this, group, last_recorded_at_us_);
  for (auto& job : jobs) {
    group.staged_event_hint += job->EventCountHint();
    if (group.failure.ok() && !writes_refused_.load()) job->Stage(staging);
    group.jobs.push_back(std::move(job));
  }
  if (!group.failure.ok()) {
    pack_.Clear();  // The group fails whole; nothing of it may lead the next one.
    RefuseWrites(group.failure);
  } else {
    index_->FreezeIfFull();
  }
}

void LogImpl::ClosePack(CommitGroup& group) {
  if (pack_.empty() || !group.failure.ok()) return;
  group.piece_bytes += pack_.bytes();
  group.piece.push_back(pack_.Seal());
}

void LogImpl::HandOffPieceIfIdle(CommitGroup& group) {
  // Below this many events a piece's own write costs more than the overlap gains.
  constexpr std::size_t kPieceEventsMin = 64;
  if (group.piece_event_count < kPieceEventsMin || !commit_idle_.load(std::memory_order_relaxed) ||
      !group.failure.ok()) {
    return;
  }
  ClosePack(group);
  {
    std::lock_guard lock(queue_mutex_);
    if (commit_busy_) return;
    commit_busy_ = true;
    commit_idle_.store(false, std::memory_order_relaxed);
    group.handed_off_bytes += group.piece_bytes;
    pending_piece_ = std::make_unique<CommitPiece>(std::move(group.piece));
  }
  group.piece.clear();  // Valid and empty again after the move.
  group.piece_bytes = 0;
  group.piece_event_count = 0;
  commit_wake_.notify_one();
}

void LogImpl::CommitLoop() {
  while (true) {
    std::unique_ptr<CommitPiece> piece;
    std::unique_ptr<CommitGroup> group;
    {
      std::unique_lock lock(queue_mutex_);
      commit_wake_.wait(lock, [this] {
        return writer_done_ || pending_piece_ != nullptr || pending_commit_ != nullptr;
      });
      // A group handed off behind its own piece waits for it: pieces go first.
      if (pending_piece_ != nullptr) {
        piece = std::move(pending_piece_);
      } else if (pending_commit_ != nullptr) {
        group = std::move(pending_commit_);
      } else {
        break;
      }
      commit_on_piece_ = piece != nullptr;
    }
    if (piece) {
      CommitPieceNow(*piece);
    } else {
      CommitGroupNow(*group);
      // A group of a few jobs is completed right here: handing it over would add a thread
      // hop to every small append. Only when nothing is waiting for the completion thread,
      // so that jobs are still completed in order.
      bool complete_here = false;
      {
        std::lock_guard lock(completion_mutex_);
        complete_here =
            group->jobs.size() <= kCompleteHereJobsMax && completions_.empty() && !completer_busy_;
        if (!complete_here) completions_.push_back(std::move(group));
      }
      if (complete_here) {
        for (auto& job : group->jobs) job->Complete(group->outcome);
      } else {
        completion_wake_.notify_one();
      }
    }
    {
      std::lock_guard lock(queue_mutex_);
      commit_on_piece_ = false;
      if (pending_piece_ != nullptr || pending_commit_ != nullptr) continue;  // Still busy.
      commit_busy_ = false;
      commit_idle_.store(true, std::memory_order_relaxed);
    }
    queue_wake_.notify_all();
  }
  {
    std::lock_guard lock(completion_mutex_);
    committer_done_ = true;
  }
  completion_wake_.notify_one();
}

void LogImpl::CompleteLoop() {
  while (true) {
    std::deque<std::unique_ptr<CommitGroup>> done;
    {
      std::unique_lock lock(completion_mutex_);
      completion_wake_.wait(lock, [this] { return committer_done_ || !completions_.empty(); });
      if (completions_.empty()) return;
      done.swap(completions_);
      completer_busy_ = true;
    }
    for (auto& group : done) {
      for (auto& job : group->jobs) job->Complete(group->outcome);
    }
    done.clear();
    std::lock_guard lock(completion_mutex_);
    completer_busy_ = false;
  }
}

Status LogImpl::LinkAndPut(CommitPiece& piece) {
  commit_batch_.Clear();
  for (SealedPack& pack : piece) {
    pack.Link(&chain_hash_);
    rocksdb::Status put = pack.PutInto(&commit_batch_, store_->events());
    if (!put.ok()) return FromRocks(put, "staging events");
    linked_through_ = pack.last();
  }
  return Status::Ok();
}

void LogImpl::CommitPieceNow(CommitPiece& piece) {
  if (writes_refused_.load()) return;
  // No fsync and no head: the group's last piece brings both (see log_impl.h).
  Status status = LinkAndPut(piece);
  if (status.ok()) {
    rocksdb::WriteOptions write;
    write.sync = false;
    status =
        FromRocks(store_->db()->Write(write, &commit_batch_), "writing part of a group commit");
  }
  if (!status.ok()) RefuseWrites(status);
}

void LogImpl::CommitGroupNow(CommitGroup& group) {
  Status status = group.failure;
  if (status.ok() && writes_refused_.load()) status = WriteRefusal();
  if (status.ok() && group.event_count > 0) {
    status = LinkAndPut(group.piece);
    if (status.ok() && linked_through_ != group.head.sequence) {
      status = Status::Internal(fmt::format("the group ends at sequence {} but its packs at {}",
                                            group.head.sequence.value, linked_through_.value));
    }
    if (status.ok()) {
      group.head.hash = chain_hash_;
      status = FromRocks(
          commit_batch_.Put(store_->metadata(), std::string(kHeadKey), EncodeHead(group.head)),
          "staging the head");
    }
    if (status.ok()) {
      rocksdb::WriteOptions write;
      write.sync =
          options_.durability == Durability::kSync && !options_.unsafe_skip_fsync_for_tests;
      status = FromRocks(store_->db()->Write(write, &commit_batch_), "writing a group commit");
    }
    if (!status.ok()) {
      RefuseWrites(status);
    } else {
      {
        std::lock_guard lock(head_mutex_);
        durable_head_ = group.head;
      }
      head_advanced_.notify_all();
      index_->OnDurable(group.head.sequence);
      marker_->Publish(group.head);
      group_commits_.fetch_add(1, std::memory_order_relaxed);
      events_appended_.fetch_add(group.event_count, std::memory_order_relaxed);
    }
  }
  if (!status.ok() && status.code() != StatusCode::kWritesRefusedAfterFailure) {
    status = Status(StatusCode::kWritesRefusedAfterFailure, status.ToString());
  }
  group.outcome = status;
}

void LogImpl::RefuseWrites(const Status& failure) {
  {
    std::lock_guard lock(failure_mutex_);
    if (!failure_.ok()) return;
    failure_ = failure;
  }
  writes_refused_.store(true);
  logger_->error("the log refuses writes until reopened: {}", failure.ToString());
}

Status LogImpl::WriteRefusal() const {
  std::lock_guard lock(failure_mutex_);
  return Status(StatusCode::kWritesRefusedAfterFailure,
                "a write failed earlier; the log refuses writes until reopened (" +
                    failure_.ToString() + ")");
}

}  // namespace ledger::log

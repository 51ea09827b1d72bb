// The write path of LogImpl: the queue, the writer thread and the commit thread.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <future>

#include "ledger/limits.h"
#include "log/group_staging.h"
#include "log/keys.h"
#include "log/log_impl.h"

namespace ledger::log {
namespace {

/// A batch of plain appends, each one a command of one event.
class AppendJob final : public WriteJob {
 public:
  AppendJob(std::vector<AppendRequest> requests, Log::AppendCallback done)
      : requests_(std::move(requests)), done_(std::move(done)) {}

  std::size_t EventCountHint() const override { return requests_.size(); }

  void Stage(StagingBatch& batch) override {
    results_.reserve(requests_.size());
    for (const AppendRequest& request : requests_) {
      CommandHeader header{
          request.metadata, request.idempotency_scope, request.idempotency_key, {}};
      if (!request.idempotency_key.empty()) header.fingerprint = FingerprintOf(request);
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
  std::vector<AppendResult> results_;
  Log::AppendCallback done_;
};

}  // namespace

Status LogImpl::Submit(std::unique_ptr<WriteJob> job) {
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
  }
  queue_wake_.notify_one();
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
  std::promise<Result<std::vector<AppendResult>>> promise;
  auto future = promise.get_future();
  AppendAsync(std::move(batch), [&promise](Status status, std::vector<AppendResult> results) {
    if (status.ok()) {
      promise.set_value(std::move(results));
    } else {
      promise.set_value(std::move(status));
    }
  });
  return future.get();
}

bool LogImpl::GroupHasRoomFor(const CommitGroup* group, const WriteJob& job) const {
  if (group == nullptr || group->jobs.empty()) return true;
  return group->staged_event_hint + job.EventCountHint() <= limits::kGroupCommitEventsMax &&
         group->batch.GetDataSize() < limits::kGroupCommitBytesMax;
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
        bool can_take = !queue_.empty() && GroupHasRoomFor(group.get(), *queue_.front());
        bool can_hand_off = group != nullptr && !commit_busy_;
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
    if (group && !commit_busy_) {
      SealGroup(*group);
      commit_busy_ = true;
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
    RefuseWrites(group.failure);
  } else {
    index_->FreezeIfFull();
  }
}

void LogImpl::SealGroup(CommitGroup& group) {
  if (!group.failure.ok() || group.event_count == 0) return;
  rocksdb::Status put =
      group.batch.Put(store_->metadata(), std::string(kHeadKey), EncodeHead(group.head));
  if (!put.ok()) {
    group.failure = FromRocks(put, "staging the head");
    RefuseWrites(group.failure);
  }
}

void LogImpl::CommitLoop() {
  while (true) {
    std::unique_ptr<CommitGroup> group;
    {
      std::unique_lock lock(queue_mutex_);
      commit_wake_.wait(lock, [this] { return writer_done_ || pending_commit_ != nullptr; });
      if (pending_commit_ == nullptr) return;
      group = std::move(pending_commit_);
    }
    CommitGroupNow(*group);
    {
      std::lock_guard lock(queue_mutex_);
      commit_busy_ = false;
    }
    queue_wake_.notify_all();
  }
}

void LogImpl::CommitGroupNow(CommitGroup& group) {
  Status status = group.failure;
  if (status.ok() && writes_refused_.load()) status = WriteRefusal();
  if (status.ok() && group.event_count > 0) {
    rocksdb::WriteOptions write;
    write.sync = options_.durability == Durability::kSync && !options_.unsafe_skip_fsync_for_tests;
    status = FromRocks(store_->db()->Write(write, &group.batch), "writing a group commit");
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
  for (auto& job : group.jobs) job->Complete(status);
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

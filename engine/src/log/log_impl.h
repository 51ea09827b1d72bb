// The Log implementation: recovery on open, the writer and commit threads, reads, verify.
//
// Write path: callers queue WriteJobs (bounded queue). The writer thread drains the queue and
// stages each job into the open group (checks, sequence, envelopes in packs). When the commit
// thread is idle, or busy only with a piece of this very group (below), the writer hands the
// group over; while it is busy with the previous group (fsyncing it), new jobs keep joining the
// open group, so one fsync covers all that waited. The commit thread
// writes the group and publishes the new durable head; a completion thread then completes
// the group's jobs, in order.
// A failed write refuses every later write.
//
// A large group is written in pieces: when the commit thread is idle while the writer is still
// staging, the writer hands it the events staged so far, which it writes without the head and
// without fsync while the writer stages the rest. The commit thread also links the events into
// the hash chain (SHA-256, about a fifth of the writer's work otherwise) just before it writes
// them, so hashing one piece overlaps the staging of the next. Only the group's last piece
// carries the head and is fsynced, so nothing is visible or acknowledged before the whole group
// is durable; events found past the stored head on open belong to a group that never completed
// and are dropped (Recover).
//
// Thread-safety: public members from any thread; the writer state is the writer thread's.
#pragma once

#include <rocksdb/write_batch.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "ledger/engine/log.h"
#include "log/derived_index.h"
#include "log/event_pack.h"
#include "log/event_record.h"
#include "log/head_marker.h"
#include "log/log_store.h"

namespace ledger::log {

/// Sealed packs of a group commit, in sequence order, not yet linked into the chain.
using CommitPiece = std::vector<SealedPack>;

/// One group commit: its jobs, its packs, and the head it leads to.
struct CommitGroup {
  std::vector<std::unique_ptr<WriteJob>> jobs;
  /// The piece being staged: packs not yet handed to the commit thread.
  CommitPiece piece;
  std::size_t piece_bytes = 0;
  std::size_t event_count = 0;
  std::size_t piece_event_count = 0;
  /// Bytes of the pieces already handed to the commit thread.
  std::size_t handed_off_bytes = 0;
  /// Sum of the staged jobs' EventCountHint(): bounds the group before staging.
  std::size_t staged_event_hint = 0;
  /// The group's last event; the commit thread fills in its hash once it has linked it.
  ChainPoint head;
  Status failure;
  /// What the group's jobs are told once it was written (or not).
  Status outcome;
};

class LogImpl final : public Log {
 public:
  static Result<std::unique_ptr<Log>> Open(LogOptions options);
  ~LogImpl() override;

  Result<std::vector<AppendResult>> Append(std::vector<AppendRequest> batch) override;
  void AppendAsync(std::vector<AppendRequest> batch, AppendCallback done) override;
  Status Submit(std::unique_ptr<WriteJob> job) override;

  ChainPoint Head() const override;
  Result<std::vector<RecordedEvent>> ReadRange(SequenceNumber from,
                                               std::size_t max_count) const override;
  Result<std::vector<RecordedEvent>> ReadStream(std::string_view stream, StreamVersion from,
                                                ReadDirection direction,
                                                std::size_t max_count) const override;
  Result<StreamVersion> StreamHead(std::string_view stream) const override;
  bool WaitForSequence(SequenceNumber sequence, std::chrono::milliseconds timeout) const override;
  Result<VerifyReport> Verify(std::optional<ChainPoint> from) const override;
  Result<LogBackup> Backup(const std::string& path) const override;
  LogStats Stats() const override;

 private:
  friend class GroupStaging;
  explicit LogImpl(LogOptions options);

  /// Opens the database; salvages a write-ahead log damaged only past the acknowledged head.
  Result<std::unique_ptr<LogStore>> OpenStore();
  Status Recover();
  Status RebuildIndexTail(SequenceNumber after, SequenceNumber head);
  /// Refuses a log whose head is before the acknowledged-head marker, or disagrees with it.
  Status CheckAgainstMarker(const ChainPoint& head);
  void WriterLoop();
  void CommitLoop();
  /// Whether the writer may hand its staged group to the commit thread now: the thread is
  /// idle, or busy only with pieces of that very group (pieces are only ever cut from the
  /// group being staged, and the commit thread takes a pending piece before a pending group).
  /// REQUIRES: queue_mutex_.
  bool CanHandOffGroup() const {
    return !commit_busy_ ||
           (pending_commit_ == nullptr && (commit_on_piece_ || pending_piece_ != nullptr));
  }
  bool GroupHasRoomFor(const CommitGroup* group, const WriteJob& job) const;
  void StageJobs(CommitGroup& group, std::vector<std::unique_ptr<WriteJob>> jobs);
  /// Writes the group's last piece and sets its outcome; CompleteLoop tells its jobs.
  void CommitGroupNow(CommitGroup& group);
  /// Completes written groups' jobs, in order, off the commit thread: waking each caller
  /// costs a context switch, and the next group's write need not wait for them.
  void CompleteLoop();
  /// Writer thread: hands the events staged so far to an idle commit thread (see above).
  void HandOffPieceIfIdle(CommitGroup& group);
  void CommitPieceNow(CommitPiece& piece);
  /// Commit thread: links the piece's events into the chain after `chain_hash_` and puts
  /// them into `commit_batch_`.
  Status LinkAndPut(CommitPiece& piece);
  /// Seals the pack being filled into the group's piece: before a piece is handed off, before
  /// the group is, and whenever the pack is full (event_pack.h).
  void ClosePack(CommitGroup& group);
  /// Deletes the events in (head, last]: written by a group commit whose head never was.
  Status DropIncompleteGroup(const ChainPoint& head, SequenceNumber last);
  void RefuseWrites(const Status& failure);
  Status WriteRefusal() const;
  /// Event `sequence`, read through `cursor` (reading nothing more when its pack holds it).
  Result<RecordedEvent> ReadEvent(EventCursor& cursor, SequenceNumber sequence) const;
  /// Backup (backup.cc): opens the database's copy at `path` as a log and closes it, so that
  /// it is settled as after a clean close; checks its head against this log's and returns it.
  Result<ChainPoint> SettleBackup(const std::string& path, const ChainPoint& before) const;

  LogOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<LogStore> store_;
  std::unique_ptr<DerivedIndex> index_;
  std::unique_ptr<HeadMarker> marker_;
  /// The file system the database uses (LogOptions::env's), for the files beside it.
  std::shared_ptr<rocksdb::FileSystem> file_system_;

  // Writer thread state.
  SequenceNumber next_sequence_;
  std::int64_t last_recorded_at_us_ = 0;
  EventRecordBuilder record_builder_;
  /// The staged events not yet put in the group's batch.
  PackBuilder pack_;
  // Durable index entries read ahead of the commands that need them.
  IdempotencyAnswers idempotency_answers_;
  StreamAnswers stream_answers_;

  // Queue from callers to the writer, and the one-group hand-off from the writer to the
  // commit thread, under one mutex.
  std::mutex queue_mutex_;
  std::condition_variable queue_wake_;
  std::deque<std::unique_ptr<WriteJob>> queue_;
  bool stopping_ = false;
  std::condition_variable commit_wake_;
  std::unique_ptr<CommitGroup> pending_commit_;
  std::unique_ptr<CommitPiece> pending_piece_;
  bool commit_busy_ = false;
  /// The commit thread is writing a piece of the group being staged: the group, once staged,
  /// may be handed off right behind it (CanHandOffGroup).
  bool commit_on_piece_ = false;
  /// commit_busy_ negated, readable by the writer without the mutex between commands.
  std::atomic<bool> commit_idle_{true};
  bool writer_done_ = false;

  // Commit thread state.
  /// The hash of the last event linked into the chain (set by Recover before it starts).
  Hash256 chain_hash_{};
  SequenceNumber linked_through_;
  /// Reused for every write, so that writing allocates only when a group outgrows it.
  rocksdb::WriteBatch commit_batch_;

  // The durable head, for readers and waiters.
  mutable std::mutex head_mutex_;
  mutable std::condition_variable head_advanced_;
  ChainPoint durable_head_;

  mutable std::mutex failure_mutex_;
  Status failure_;
  std::atomic<bool> writes_refused_{false};

  std::atomic<std::uint64_t> group_commits_{0};
  std::atomic<std::uint64_t> events_appended_{0};
  /// A Backup is being written (one at a time).
  mutable std::atomic<bool> backup_running_{false};

  // Written groups waiting for CompleteLoop.
  std::mutex completion_mutex_;
  std::condition_variable completion_wake_;
  std::deque<std::unique_ptr<CommitGroup>> completions_;
  bool committer_done_ = false;
  /// The completion thread is completing groups it took from `completions_`.
  bool completer_busy_ = false;

  std::thread writer_;
  std::thread committer_;
  std::thread completer_;
};

}  // namespace ledger::log

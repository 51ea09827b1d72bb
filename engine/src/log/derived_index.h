// The stream and idempotency indexes, derived from the events.
//
// Three layers answer a lookup, newest first: the active tail (events the writer staged since
// the last freeze), frozen tails (full, waiting to be written out), and the durable index
// (sorted files ingested into RocksDB). A frozen tail is written out only once all its events
// are durable, and dropped only after its files are ingested, so every entry is always in at
// least one layer. The ingested idempotency file carries the checkpoint (the last sequence it
// covers) in the same atomic ingestion, so on open the tail is rebuilt from exactly the
// events after it.
//
// Before asking RocksDB, a lookup that missed the tails asks the key filters (key_filter.h),
// once they are complete: a key they say is absent is not in the durable index. They stay a
// superset of it because a tail's keys are added to them before its files are ingested. They
// are complete when loaded from the INDEX_FILTER file written for this very index
// (index_filter_file.h), or once a background scan of the index added every key it holds
// (keys ingested during the scan were added by the ingestion itself).
//
// Thread-safety: the writer thread calls the writer members; any thread calls the reader
// members; one internal thread writes frozen tails out, another builds the filters.
#pragma once

#include <rocksdb/file_system.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "ledger/engine/log.h"
#include "log/durable_answers.h"
#include "log/index_tail.h"
#include "log/key_filter.h"
#include "log/log_store.h"

namespace ledger::log {

class DerivedIndex {
 public:
  using FailureHandler = std::function<void(const Status&)>;

  /// `logger` (default: spdlog's default logger) hears of a failed filter scan.
  DerivedIndex(LogStore& store, std::size_t tail_events_max, FailureHandler on_failure,
               std::shared_ptr<spdlog::logger> logger = nullptr);
  ~DerivedIndex();
  DerivedIndex(const DerivedIndex&) = delete;
  DerivedIndex& operator=(const DerivedIndex&) = delete;

  /// The last sequence covered by the durable index (0 when nothing was written out).
  Result<SequenceNumber> ReadCheckpoint();
  /// Takes the key filters from the INDEX_FILTER file in `directory` if it was written for an
  /// index whose checkpoint is `head` (call only when the checkpoint is the head). Returns
  /// whether it did. REQUIRES: before Start().
  bool LoadFilters(rocksdb::FileSystem& file_system, const std::string& directory,
                   const ChainPoint& head);
  /// Saves complete key filters as INDEX_FILTER for the next open (nothing when they are not
  /// complete). REQUIRES: FlushAll() wrote every tail out, so the checkpoint is `head`.
  Status SaveFilters(rocksdb::FileSystem& file_system, const std::string& directory,
                     const ChainPoint& head);
  /// Starts the thread that writes frozen tails out and, unless the key filters are complete,
  /// the one that builds them.
  void Start();
  /// Stops the flusher thread, then writes every tail out, the active one too (on close, and
  /// after a recovery that rebuilt a full tail). Start() may be called again afterwards.
  Status FlushAll();

  // ---- Writer thread ----
  // The writer is the only thread that changes the active tail, so its own lookups read it
  // without the lock; they take it only to read the frozen tails, which the flusher drops.
  /// `answers`, when given, may stand in for the durable index (see DurableAnswers).
  Result<StreamVersion> WriterLastVersion(std::string_view stream,
                                          const StreamAnswers* answers = nullptr) const;
  Result<std::optional<IdempotencyRecord>> FindIdempotency(
      std::string_view composite_key, const IdempotencyAnswers* answers = nullptr) const;
  /// Reads the durable records of the keys not in the active tail, in one batched read, into
  /// `answers` (at most kAnswersMax keys). A key it cannot read is left out.
  void PrefetchIdempotency(std::span<const std::string_view> composite_keys,
                           IdempotencyAnswers* answers) const;
  /// Likewise for the last versions of streams.
  void PrefetchStreams(std::span<const std::string_view> streams, StreamAnswers* answers) const;
  void AddEvent(std::string_view stream, StreamVersion version, SequenceNumber sequence);
  void AddIdempotency(std::string_view composite_key, const IdempotencyRecord& record);
  void ExtendIdempotency(std::string_view composite_key);
  /// Freezes the active tail when it is full; waits while too many tails are frozen.
  void FreezeIfFull();

  // ---- Commit thread ----
  /// Tells the index that every event up to `head` is durable.
  void OnDurable(SequenceNumber head);

  // ---- Any thread ----
  Result<StreamVersion> LastVersion(std::string_view stream) const;
  /// Entries of `stream` with versions in [low, high], at most `max_count` taken from the low
  /// end (forward) or the high end (backward), only those with sequence <= `visible`.
  Result<std::vector<StreamEntry>> StreamEntries(std::string_view stream, StreamVersion low,
                                                 StreamVersion high, ReadDirection direction,
                                                 std::size_t max_count,
                                                 SequenceNumber visible) const;
  std::size_t tail_events() const;
  SequenceNumber indexed_through() const;
  /// Whether lookups use the key filters, and the memory they take.
  bool filters_complete() const;
  std::size_t filters_bytes() const;

 private:
  std::optional<StreamVersion> FrozenLastVersion(std::string_view stream, KeyHash hash) const;
  /// Whether the durable index certainly lacks the stream / the idempotency key.
  bool DurablyAbsentStream(KeyHash hash) const {
    return stream_filter_.complete() && !stream_filter_.MayContain(hash);
  }
  bool DurablyAbsentKey(KeyHash hash) const {
    return idempotency_filter_.complete() && !idempotency_filter_.MayContain(hash);
  }
  Result<StreamVersion> DurableLastVersion(std::string_view stream, KeyHash hash) const;
  Result<std::optional<IdempotencyRecord>> DurableIdempotency(std::string_view composite_key,
                                                              KeyHash hash) const;
  Status DurableStreamEntries(std::string_view stream, KeyHash hash, StreamVersion low,
                              StreamVersion high, std::vector<StreamEntry>* out) const;
  /// Adds a tail's keys to the filters (before its files are ingested).
  void AddToFilters(const IndexTail& tail);
  /// Scans the durable index into the filters, then marks them complete; stops early (leaving
  /// them incomplete) when asked to or when the scan fails.
  void BuildFilters();
  void StopFilterBuilder();
  Status WriteOut(const IndexTail& tail);
  /// Moves the active tail to the frozen ones and starts an empty one. REQUIRES: tails_mutex_.
  void FreezeActive();
  /// Drops the oldest frozen tail (its files are ingested). REQUIRES: tails_mutex_.
  void DropOldestFrozen();
  /// Whether `answers` still stand for the durable index: none was dropped since they were
  /// read. Called after the tails were checked: a tail dropped since moved its entries into
  /// the durable index behind the answers' back, and was counted before it left frozen_.
  template <typename Answer>
  bool AnswersHold(const DurableAnswers<Answer>* answers) const {
    return answers != nullptr &&
           answers->tails_dropped() == tails_dropped_.load(std::memory_order_acquire);
  }
  void FlushLoop();

  LogStore& store_;
  const std::size_t tail_events_max_;
  FailureHandler on_failure_;
  std::shared_ptr<spdlog::logger> logger_;

  mutable std::shared_mutex tails_mutex_;
  std::unique_ptr<IndexTail> active_;
  std::deque<std::shared_ptr<const IndexTail>> frozen_;
  /// frozen_.size(), so the writer skips the lock when nothing is frozen.
  std::atomic<std::size_t> frozen_count_{0};
  /// Frozen tails dropped so far (after their files were ingested).
  std::atomic<std::uint64_t> tails_dropped_{0};

  mutable std::mutex flush_mutex_;
  std::condition_variable flush_wake_;
  std::condition_variable frozen_drained_;
  SequenceNumber durable_;
  SequenceNumber indexed_through_;
  bool stopping_ = false;
  bool failed_ = false;
  std::thread flusher_;

  KeyFilter stream_filter_;
  KeyFilter idempotency_filter_;
  std::atomic<bool> builder_stopping_{false};
  std::thread filter_builder_;
};

}  // namespace ledger::log

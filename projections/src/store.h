// The views database: a RocksDB instance of its own (never the log's), with one column
// family per projection and the checkpoints in `default` (keys.h has the layout).
//
//   Checkpoint := be64:sequence ‖ hash:32 bytes ‖ be32:layout version
//
// Writes skip fsync: the views can always be rebuilt from the log, and the write-ahead log
// still makes each WriteBatch atomic across column families, so after any crash every
// projection's rows are exactly those of the events up to its checkpoint.
//
// ReadView is one query's consistent snapshot of every column family and checkpoint.
// Thread-safety: ViewStore may be used from any thread; a ReadView or RowIterator by one
// thread at a time.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "ledger/engine/status.h"
#include "ledger/engine/types.h"
#include "ledger/projections/types.h"

namespace spdlog {
class logger;
}

namespace ledger::projections::internal {

struct Checkpoint {
  ChainPoint point;
  /// The row layout the projection was built with (each projection's kLayoutVersion).
  std::uint32_t layout_version = 0;
};

Status FromRocks(const rocksdb::Status& status, std::string_view doing);

class ViewStore {
 public:
  /// RocksDB's messages go to `logger` (ledger/engine/storage_failure_policy.h).
  static Result<std::unique_ptr<ViewStore>> Open(const std::string& path,
                                                 std::size_t block_cache_bytes,
                                                 std::shared_ptr<spdlog::logger> logger);
  ~ViewStore();
  ViewStore(const ViewStore&) = delete;
  ViewStore& operator=(const ViewStore&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* family(ProjectionId id) const {
    return families_[static_cast<std::size_t>(id)];
  }

  /// The checkpoint as stored (at `snapshot`, or now); zero when none was ever written.
  Result<Checkpoint> ReadCheckpoint(ProjectionId id,
                                    const rocksdb::Snapshot* snapshot = nullptr) const;
  void PutCheckpoint(rocksdb::WriteBatch* batch, ProjectionId id,
                     const Checkpoint& checkpoint) const;
  /// Writes without fsync.
  Status Write(rocksdb::WriteBatch* batch);

  /// What queries wait on: the checkpoint each projection last wrote.
  void Publish(ProjectionId id, SequenceNumber sequence);
  SequenceNumber Published(ProjectionId id) const;
  /// True when every projection of `ids` published `sequence` within `timeout`.
  bool WaitFor(std::span<const ProjectionId> ids, SequenceNumber sequence,
               std::chrono::milliseconds timeout) const;

 private:
  ViewStore() = default;

  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* default_family_ = nullptr;
  std::array<rocksdb::ColumnFamilyHandle*, kProjectionCount> families_{};
  /// Column families this build does not know (a newer build made them): kept open only
  /// because RocksDB requires it.
  std::vector<rocksdb::ColumnFamilyHandle*> other_families_;

  mutable std::mutex mutex_;
  mutable std::condition_variable published_changed_;
  std::array<SequenceNumber, kProjectionCount> published_{};
};

/// Waits as QueryOptions ask (bounded by limits::kQueryWaitMsMax): kTimedOut when the
/// projections of `ids` have not reached `options.min_sequence` in time.
Status WaitForQuery(const ViewStore& store, std::span<const ProjectionId> ids,
                    SequenceNumber min_sequence, std::chrono::milliseconds wait);

/// The smallest key greater than every key starting with `prefix` ("" when none is).
std::string PrefixEnd(std::string_view prefix);

class ReadView;

/// An iterator over [lower, upper) of one column family, at a ReadView's snapshot.
class RowIterator {
 public:
  RowIterator(const ReadView& view, ProjectionId family, std::string lower, std::string upper);
  /// Every key starting with `prefix`.
  static RowIterator OverPrefix(const ReadView& view, ProjectionId family, std::string prefix);

  void SeekToFirst() { iterator_->SeekToFirst(); }
  void SeekToLast() { iterator_->SeekToLast(); }
  void Seek(std::string_view key) { iterator_->Seek(key); }
  void SeekForPrev(std::string_view key) { iterator_->SeekForPrev(key); }
  void Next() { iterator_->Next(); }
  void Prev() { iterator_->Prev(); }
  bool Valid() const { return iterator_->Valid(); }
  std::string_view key() const { return iterator_->key().ToStringView(); }
  std::string_view value() const { return iterator_->value().ToStringView(); }
  Status status() const { return FromRocks(iterator_->status(), "reading the views"); }

 private:
  std::unique_ptr<std::string> lower_;
  std::unique_ptr<std::string> upper_;
  std::unique_ptr<rocksdb::Slice> lower_slice_;
  std::unique_ptr<rocksdb::Slice> upper_slice_;
  std::unique_ptr<rocksdb::Iterator> iterator_;
};

class ReadView {
 public:
  explicit ReadView(const ViewStore& store);
  ~ReadView();
  ReadView(const ReadView&) = delete;
  ReadView& operator=(const ReadView&) = delete;

  const ViewStore& store() const { return store_; }
  const rocksdb::Snapshot* snapshot() const { return snapshot_; }
  /// kNotFound when the key has no row.
  Status Get(ProjectionId family, std::string_view key, std::string* value) const;
  /// The checkpoint at this snapshot.
  Result<Checkpoint> ReadCheckpoint(ProjectionId id) const {
    return store_.ReadCheckpoint(id, snapshot_);
  }

 private:
  const ViewStore& store_;
  const rocksdb::Snapshot* snapshot_;
};

}  // namespace ledger::projections::internal

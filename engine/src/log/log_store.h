// The RocksDB database under the log: its options, its column families, and opening it.
//
// Options are chosen for a ledger: paranoid checks, a WAL recovery mode that tolerates only
// a torn final record (never acknowledged, as its fsync did not finish) and refuses any other
// corruption, WAL tracking in the manifest so a missing or truncated synced WAL is caught.
// Thread-safety: after Open, the handles are safe to use from any thread.
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <string>

#include "ledger/engine/log.h"
#include "ledger/engine/status.h"

namespace ledger::log {

/// How RocksDB replays the write-ahead log on open.
enum class WalReplay : std::uint8_t {
  /// Drop only a torn final record; refuse any other damage. The normal open.
  kTolerateTornTail,
  /// Stop at the first damage and drop everything after it. Used only once the
  /// acknowledged-head marker proved that nothing acknowledged lies after the damage.
  kStopAtFirstDamage,
  /// As kStopAtFirstDamage, read-only: looks without changing any file.
  kStopAtFirstDamageReadOnly,
};

class LogStore {
 public:
  static Result<std::unique_ptr<LogStore>> Open(const LogOptions& options,
                                                WalReplay replay = WalReplay::kTolerateTornTail);
  ~LogStore();
  LogStore(const LogStore&) = delete;
  LogStore& operator=(const LogStore&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* events() const { return events_; }
  rocksdb::ColumnFamilyHandle* streams() const { return streams_; }
  rocksdb::ColumnFamilyHandle* idempotency() const { return idempotency_; }
  rocksdb::ColumnFamilyHandle* metadata() const { return metadata_; }
  const std::string& path() const { return path_; }

  /// The head stored in the metadata family.
  Result<ChainPoint> ReadStoredHead() const;
  /// Writes every memtable out (a no-op when read-only), so that the next open has no
  /// write-ahead log to replay: used on a clean close.
  Status FlushMemtables();

 private:
  LogStore() = default;
  std::string path_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_ = nullptr;
  rocksdb::ColumnFamilyHandle* idempotency_ = nullptr;
  rocksdb::ColumnFamilyHandle* metadata_ = nullptr;
  rocksdb::ColumnFamilyHandle* default_ = nullptr;
  bool read_only_ = false;
};

/// A RocksDB status as ours, with `context` saying what was being done.
Status FromRocks(const rocksdb::Status& status, std::string_view context);

}  // namespace ledger::log

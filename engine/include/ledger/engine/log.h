// The event log: one append-only, hash-chained, durable sequence of events in RocksDB.
//
// Appends from any thread are queued to one writer thread that sequences them, builds one
// RocksDB WriteBatch per group commit (events, head) and fsyncs it before acknowledging any
// of them (Durability::kSync). Readers see only durable events. Stream and idempotency
// indexes are derived from the events: recent entries live in memory, older ones in sorted
// files ingested into RocksDB, and both are rebuilt from the log on open.
//
// After any write or fsync failure the log refuses every later write until reopened.
// Thread-safety: every public member may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/engine/append.h"
#include "ledger/engine/recorded_event.h"
#include "ledger/engine/status.h"
#include "ledger/engine/types.h"
#include "ledger/engine/write_job.h"

namespace rocksdb {
class Env;
}
namespace spdlog {
class logger;
}

namespace ledger {

enum class Durability : std::uint8_t {
  /// Acknowledge after the group commit is fsynced: survives power loss. The default.
  kSync,
  /// Acknowledge after the write reached the WAL in the OS: survives a process crash, not a
  /// power loss or kernel crash.
  kAsync,
};

/// Microseconds since the Unix epoch, UTC. Injected so tests control time.
using Clock = std::function<std::int64_t()>;
std::int64_t SystemClockMicros();

struct LogOptions {
  /// Directory of the RocksDB database.
  std::string path;
  /// Create an empty log when `path` holds none. Default: false (opening a missing log fails).
  bool create_if_missing = false;
  Durability durability = Durability::kSync;
  Clock clock = SystemClockMicros;
  /// File system environment (tests inject faults here). Default: rocksdb::Env::Default().
  rocksdb::Env* env = nullptr;
  /// Events held in memory by the index tail before it is written out. Default: 256 Ki.
  std::size_t index_tail_events_max = 256 * 1024;
  /// RocksDB block cache, bytes. Default: 128 MiB.
  std::size_t block_cache_bytes = 128u << 20;
  /// Logger for state changes (open, recovery, failures). Default: spdlog's "log" logger.
  std::shared_ptr<spdlog::logger> logger;
  /// TEST ONLY: acknowledge sync appends without fsync, to prove the crash tests catch it.
  bool unsafe_skip_fsync_for_tests = false;
};

/// Where the log stands: its durable head and what its writer has done.
struct LogStats {
  ChainPoint head;
  std::uint64_t group_commits = 0;
  std::uint64_t events_appended = 0;
  std::uint64_t index_tail_events = 0;
  SequenceNumber indexed_through;
  /// Whether lookups of new keys skip RocksDB (the durable index's key filters are complete:
  /// loaded on open after a clean close, or rebuilt in the background), and their memory.
  bool index_filters_complete = false;
  std::uint64_t index_filters_bytes = 0;
  bool writes_refused = false;
};

/// What Verify found: where it stopped and the digest an auditor keeps.
struct VerifyReport {
  /// True when every event from the start point to the head checked out.
  bool ok = false;
  /// The first sequence that failed a check (when !ok).
  SequenceNumber first_bad_sequence;
  /// Why it failed (when !ok).
  std::string problem;
  /// Events checked.
  std::uint64_t events_checked = 0;
  /// The last good point of the chain: the head when ok. Empty (sequence 0, zero hash) when
  /// the audited start point itself failed: nothing was verified then.
  ChainPoint last_good;
};

enum class ReadDirection : std::uint8_t { kForward, kBackward };

/// What Log::Backup wrote.
struct LogBackup {
  /// The copy's head: it holds every event up to this point of the chain, and none after.
  ChainPoint head;
  /// Files in the copy and their bytes (a table file hard-linked to the log's counts in full).
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};

class Log {
 public:
  static Result<std::unique_ptr<Log>> Open(LogOptions options);
  virtual ~Log() = default;

  /// Appends a batch and blocks until it is durable (or refused). One result per request.
  virtual Result<std::vector<AppendResult>> Append(std::vector<AppendRequest> batch) = 0;
  using AppendCallback = std::function<void(Status, std::vector<AppendResult>)>;
  /// Appends a batch; `done` runs on the log's commit thread when it is durable or refused.
  virtual void AppendAsync(std::vector<AppendRequest> batch, AppendCallback done) = 0;
  /// Queues a job for the writer (the domain layer's commands come this way).
  virtual Status Submit(std::unique_ptr<WriteJob> job) = 0;

  /// The last durable event: (0, zeros) for an empty log.
  virtual ChainPoint Head() const = 0;
  /// Up to `max_count` durable events from `from` on, in order.
  virtual Result<std::vector<RecordedEvent>> ReadRange(SequenceNumber from,
                                                       std::size_t max_count) const = 0;
  /// Up to `max_count` durable events of a stream from version `from` (inclusive), forward or
  /// backward. Backward from StreamVersion{UINT64_MAX} reads from the last event.
  virtual Result<std::vector<RecordedEvent>> ReadStream(std::string_view stream, StreamVersion from,
                                                        ReadDirection direction,
                                                        std::size_t max_count) const = 0;
  /// The stream's last durable version; 0 when it does not exist.
  virtual Result<StreamVersion> StreamHead(std::string_view stream) const = 0;
  /// Blocks until the durable head reaches `sequence` or `timeout` passes; true if reached.
  virtual bool WaitForSequence(SequenceNumber sequence,
                               std::chrono::milliseconds timeout) const = 0;
  /// Walks the chain from genesis or from an audited point up to the head.
  virtual Result<VerifyReport> Verify(std::optional<ChainPoint> from) const = 0;
  /// Writes a consistent copy of the durable log into `path` while appends go on: a new
  /// directory (an absolute path whose parent exists, outside the log's own directory) that
  /// opens as a log by itself, with its indexes complete. Table files are hard links when
  /// `path` is on the log's file system, copies otherwise. The copy holds at least every event
  /// durable when the call began. One backup at a time: another is refused (kOverloaded). A
  /// failed backup leaves nothing at `path` and the log as it was. Takes as long as copying
  /// the files not linked; call it off latency-sensitive threads.
  virtual Result<LogBackup> Backup(const std::string& path) const = 0;
  virtual LogStats Stats() const = 0;
};

}  // namespace ledger

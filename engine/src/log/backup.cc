// Log::Backup: a consistent copy of the durable log in a new directory, taken while appends go
// on, that opens as a log by itself.
//
// The copy of the database is a RocksDB checkpoint: every memtable is flushed, then the live
// table files are hard-linked (copied across file systems) and the MANIFEST and the
// write-ahead log still needed are copied, with file deletions paused meanwhile. It is one
// point in the database's history, the same for every column family. What the log keeps
// beside the database, or only in memory, is made right for that point rather than copied:
//
// - Events past the copy's stored head: a group commit written in pieces whose last piece (the
//   one with the head) was not written yet at that point. In the copy's history they were
//   never acknowledged, and the copy's first open drops them, as an open after a crash does.
// - The index: the files ingested before that point are in the copy with their checkpoint
//   (one atomic ingestion writes both families and the checkpoint, so the copy has all or none
//   of one); the in-memory tail is not. The first open rebuilds the tail from the events after
//   the checkpoint, and its close writes it out, so the copy's index covers its head.
// - INDEX_FILTER is not copied: it describes the log's index at its last clean close, which is
//   not the copy's. The copy's close saves its own when the filters' background scan finished
//   in time; otherwise the next open scans again (the file is only a cache).
// - ACKNOWLEDGED_HEAD is not copied: the log's names what the log acknowledged, which is past
//   the copy's head as soon as appends go on after that point, and a log whose marker names a
//   sequence past its head refuses to open (acknowledged events would be missing). Once the
//   copy was opened and closed, its head is durable in it, and a marker naming exactly that
//   head is written into it: later opens of the copy check its head against it, as for any log.
//
// The copy is opened and closed here, once, so that what the caller gets has already opened as
// a log (head consistent with the last event, index complete) and needs no recovery.
#include <fmt/format.h>
#include <rocksdb/utilities/checkpoint.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "log/head_marker.h"
#include "log/log_impl.h"

namespace ledger::log {
namespace {

namespace fs = std::filesystem;

/// The copy's block cache: it is read only to open and close it.
constexpr std::size_t kBackupBlockCacheBytes = 8u << 20;

/// `path` without "." and ".." components or a trailing separator.
fs::path NormalPath(const std::string& path) {
  fs::path normal = fs::path(path).lexically_normal();
  if (!normal.has_filename() && normal != normal.root_path()) normal = normal.parent_path();
  return normal;
}

/// Whether `inner` is `outer` or lies below it. Both are absolute and free of symbolic links.
bool IsWithin(const fs::path& inner, const fs::path& outer) {
  return std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end()).first == outer.end();
}

Status CheckBackupPath(const fs::path& target, const std::string& log_path) {
  if (!target.is_absolute()) {
    return Status::InvalidArgument(
        fmt::format("a backup path must be absolute; '{}' is not", target.string()));
  }
  std::error_code error;
  const fs::path parent = target.parent_path();
  if (!fs::is_directory(parent, error)) {
    return Status::NotFound(
        fmt::format("{} is not a directory: create it before backing up into it", parent.string()));
  }
  if (fs::exists(fs::symlink_status(target, error))) {
    return Status::InvalidArgument(
        fmt::format("{} exists already: a backup goes into a new directory", target.string()));
  }
  std::error_code log_error;
  const fs::path log_directory = fs::weakly_canonical(log_path, log_error);
  const fs::path resolved = fs::weakly_canonical(target, error);
  if (error || log_error) {
    return Status::IoError(
        fmt::format("resolving {}: {}", target.string(), (error ? error : log_error).message()));
  }
  if (IsWithin(resolved, log_directory)) {
    return Status::InvalidArgument(fmt::format("{} is inside the log's own directory {}",
                                               target.string(), log_directory.string()));
  }
  return Status::Ok();
}

/// Counts the files under `directory` and their bytes into `backup`.
Status CountFiles(const fs::path& directory, LogBackup* backup) {
  std::error_code error;
  fs::recursive_directory_iterator it(directory, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file(error) || error) continue;
    const std::uintmax_t size = it->file_size(error);
    if (error) break;
    ++backup->files;
    backup->bytes += size;
  }
  if (error) {
    return Status::IoError(fmt::format("listing {}: {}", directory.string(), error.message()));
  }
  return Status::Ok();
}

}  // namespace

Result<LogBackup> LogImpl::Backup(const std::string& path) const {
  if (backup_running_.exchange(true)) {
    return Status::Overloaded("a backup of this log is being written already; retry later");
  }
  struct Release {
    std::atomic<bool>& running;
    ~Release() { running.store(false); }
  } release{backup_running_};
  const fs::path target = NormalPath(path);
  if (Status checked = CheckBackupPath(target, options_.path); !checked.ok()) return checked;

  const auto start = std::chrono::steady_clock::now();
  const ChainPoint before = Head();
  rocksdb::Checkpoint* raw = nullptr;
  Status created = FromRocks(rocksdb::Checkpoint::Create(store_->db(), &raw), "backing up the log");
  if (!created.ok()) return created;
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // Flushing first (0: whatever the write-ahead log holds) makes the copy table files, hard
  // links on the same file system, rather than a copy of the write-ahead log to replay.
  // RocksDB writes into "<target>.tmp" and renames it to `target` once complete; a failure
  // removes it.
  created = FromRocks(checkpoint->CreateCheckpoint(target.string(), 0),
                      fmt::format("writing the backup {}", target.string()));
  if (!created.ok()) return created;

  LogBackup backup;
  Result<ChainPoint> head = SettleBackup(target.string(), before);
  Status done = head.ok() ? CountFiles(target, &backup) : head.status();
  if (!done.ok()) {
    std::error_code error;
    fs::remove_all(target, error);
    if (error) {
      logger_->warn("the failed backup {} could not be removed ({}): do not use it",
                    target.string(), error.message());
    }
    return done;
  }
  backup.head = *head;
  logger_->info("backup of the log written to {} in {} ms: head {} {}, {} files, {} bytes",
                target.string(),
                std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count(),
                backup.head.sequence.value, ToHex(backup.head.hash), backup.files, backup.bytes);
  return backup;
}

Result<ChainPoint> LogImpl::SettleBackup(const std::string& path, const ChainPoint& before) const {
  LogOptions options;
  options.path = path;
  options.env = options_.env;
  options.index_tail_events_max = options_.index_tail_events_max;
  options.block_cache_bytes = kBackupBlockCacheBytes;
  options.logger = logger_;
  Result<std::unique_ptr<Log>> copy = Log::Open(std::move(options));
  if (!copy.ok()) {
    return Status(copy.status().code(),
                  "the backup does not open as a log: " + copy.status().message());
  }
  const ChainPoint head = (*copy)->Head();
  // Closing writes the index tail out and the memtables, as any clean close does.
  copy->reset();
  // The copy is a prefix of this log holding at least what was durable before it began.
  if (head.sequence < before.sequence) {
    return Status::Internal(
        fmt::format("the backup ends at sequence {}, before the head {} "
                    "that was durable when it began",
                    head.sequence.value, before.sequence.value));
  }
  if (head.sequence.value > 0) {
    Result<std::vector<RecordedEvent>> here = ReadRange(head.sequence, 1);
    if (!here.ok()) return here.status();
    if (here->empty() || here->front().hash() != head.hash) {
      return Status::Internal(
          fmt::format("the backup's event {} differs from the log's", head.sequence.value));
    }
  }
  Status marked = WriteHeadMarker(*file_system_, path, head);
  if (!marked.ok()) return marked;
  return head;
}

}  // namespace ledger::log

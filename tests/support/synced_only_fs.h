// A RocksDB file system that remembers what was synced, so a test can pull the plug.
//
// For every file written through it, it records how many bytes the file holds and how many
// of them were made durable: Sync and Fsync make the whole file durable, and so does a
// RangeSync that reaches the end of what was written; Close does not. SimulatePowerLoss()
// then does to the files what a power cut does to a disk that keeps only synced data: each
// file is cut back to its synced size, and a file that was never synced is deleted.
//
// Simplifications, kept on purpose: renames, links and deletions are durable at once
// (directory fsyncs are not modelled); a RangeSync to the end counts as a sync, though
// sync_file_range flushes no metadata; unsynced bytes are dropped whole, never torn; files
// that existed before this wrapper saw them count as durable; files opened for random
// read-write are not tracked.
//
// It also injects a dead disk: after N more writes or syncs, that operation and every later
// write, sync, file creation, rename, link, deletion and truncation fails with an IOError,
// without reaching the real file. So nothing issued after the crash point can survive, and
// nothing that failed was acknowledged by a caller that checks its statuses.
//
// Thread-safety: every member may be called from any thread, except that SimulatePowerLoss()
// requires that no database has these files open.
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace ledger::testing {

class SyncedOnlyFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit SyncedOnlyFileSystem(
      std::shared_ptr<rocksdb::FileSystem> base = rocksdb::FileSystem::Default());

  /// An Env that does its file I/O through `fs` (for LogOptions::env). Keep it, and `fs`,
  /// alive until the database using it is closed.
  static std::unique_ptr<rocksdb::Env> NewEnv(const std::shared_ptr<SyncedOnlyFileSystem>& fs);

  const char* Name() const override { return "SyncedOnlyFileSystem"; }

  /// The next `operations` writes and syncs succeed; the one after fails and the disk is dead.
  void FailAfter(std::uint64_t operations);
  /// The disk dies now: the same as FailAfter(0).
  void Freeze() { FailAfter(0); }
  /// True once an injected failure was returned.
  bool dead() const;
  /// Writes and syncs admitted so far (to size crash points).
  std::uint64_t operations() const;

  /// Drops every unsynced byte of every tracked file and deletes files never synced. Then the
  /// disk works again and every file left counts as durable.
  /// REQUIRES: no database has these files open.
  rocksdb::Status SimulatePowerLoss();

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old_name,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus RenameFile(const std::string& source, const std::string& target,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus LinkFile(const std::string& source, const std::string& target,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus DeleteFile(const std::string& name, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus Truncate(const std::string& name, size_t size,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus CreateDir(const std::string& name, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus CreateDirIfMissing(const std::string& name, const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* debug) override;

 private:
  friend class TrackedFile;

  /// What is known of one file (an inode: hard links share it). Guarded by `mutex_`.
  struct FileState {
    std::uint64_t size = 0;
    std::uint64_t synced = 0;
    bool ever_synced = false;
  };

  /// Counts one write or sync; fails when the disk is dead or dies now.
  rocksdb::IOStatus Admit();
  /// Fails when the disk is dead (for the operations that are not counted).
  rocksdb::IOStatus CheckAlive() const;
  /// Tracks `*file` (just opened as `name`) with `state`, replacing it by a wrapper.
  void Track(const std::string& name, std::shared_ptr<FileState> state,
             std::unique_ptr<rocksdb::FSWritableFile>* file);

  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<FileState>> files_;
  std::optional<std::uint64_t> operations_left_;
  bool dead_ = false;
  std::uint64_t operations_ = 0;
};

}  // namespace ledger::testing

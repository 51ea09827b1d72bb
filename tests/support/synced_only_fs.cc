#include "support/synced_only_fs.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

namespace ledger::testing {

using rocksdb::IOStatus;

/// A writable file that reports its writes and syncs to the file system, and refuses them
/// once the disk is dead. RocksDB uses a writable file from one thread at a time.
class TrackedFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  using State = SyncedOnlyFileSystem::FileState;

  TrackedFile(SyncedOnlyFileSystem& fs, std::shared_ptr<State> state,
              std::unique_ptr<rocksdb::FSWritableFile> file)
      : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), state_(std::move(state)) {}

  IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                  rocksdb::IODebugContext* debug) override {
    return Write(data.size(), std::nullopt, [&] { return target()->Append(data, options, debug); });
  }
  IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                  const rocksdb::DataVerificationInfo& info,
                  rocksdb::IODebugContext* debug) override {
    return Write(data.size(), std::nullopt,
                 [&] { return target()->Append(data, options, info, debug); });
  }
  IOStatus PositionedAppend(const rocksdb::Slice& data, std::uint64_t offset,
                            const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* debug) override {
    return Write(data.size(), offset,
                 [&] { return target()->PositionedAppend(data, offset, options, debug); });
  }
  IOStatus PositionedAppend(const rocksdb::Slice& data, std::uint64_t offset,
                            const rocksdb::IOOptions& options,
                            const rocksdb::DataVerificationInfo& info,
                            rocksdb::IODebugContext* debug) override {
    return Write(data.size(), offset,
                 [&] { return target()->PositionedAppend(data, offset, options, info, debug); });
  }
  IOStatus Truncate(std::uint64_t size, const rocksdb::IOOptions& options,
                    rocksdb::IODebugContext* debug) override {
    IOStatus status = fs_.Admit();
    if (status.ok()) status = target()->Truncate(size, options, debug);
    if (status.ok()) {
      std::lock_guard lock(fs_.mutex_);
      state_->size = size;
      state_->synced = std::min(state_->synced, size);
    }
    return status;
  }
  IOStatus Sync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* debug) override {
    return MakeDurable([&] { return target()->Sync(options, debug); });
  }
  IOStatus Fsync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* debug) override {
    return MakeDurable([&] { return target()->Fsync(options, debug); });
  }
  IOStatus RangeSync(std::uint64_t offset, std::uint64_t bytes, const rocksdb::IOOptions& options,
                     rocksdb::IODebugContext* debug) override {
    // Only a range reaching the end of what was written makes the file durable: a prefix
    // alone would not tell which earlier ranges were synced.
    return MakeDurable([&] { return target()->RangeSync(offset, bytes, options, debug); },
                       [&](std::uint64_t size) { return bytes == 0 || offset + bytes >= size; });
  }

 private:
  template <typename Call>
  IOStatus Write(std::uint64_t bytes, std::optional<std::uint64_t> offset, Call call) {
    IOStatus status = fs_.Admit();
    if (status.ok()) status = call();
    if (status.ok()) {
      std::lock_guard lock(fs_.mutex_);
      state_->size = offset ? std::max(state_->size, *offset + bytes) : state_->size + bytes;
    }
    return status;
  }

  /// Makes durable what was written before the sync began, if `covers(size)` says it does.
  template <typename Call, typename Covers>
  IOStatus MakeDurable(Call call, Covers covers) {
    IOStatus status = fs_.Admit();
    if (!status.ok()) return status;
    std::uint64_t size = 0;
    {
      std::lock_guard lock(fs_.mutex_);
      size = state_->size;
    }
    status = call();
    if (status.ok() && covers(size)) {
      std::lock_guard lock(fs_.mutex_);
      state_->synced = std::max(state_->synced, size);
      state_->ever_synced = true;
    }
    return status;
  }
  template <typename Call>
  IOStatus MakeDurable(Call call) {
    return MakeDurable(call, [](std::uint64_t) { return true; });
  }

  SyncedOnlyFileSystem& fs_;
  std::shared_ptr<State> state_;
};

SyncedOnlyFileSystem::SyncedOnlyFileSystem(std::shared_ptr<rocksdb::FileSystem> base)
    : FileSystemWrapper(base) {}

std::unique_ptr<rocksdb::Env> SyncedOnlyFileSystem::NewEnv(
    const std::shared_ptr<SyncedOnlyFileSystem>& fs) {
  return rocksdb::NewCompositeEnv(fs);
}

void SyncedOnlyFileSystem::FailAfter(std::uint64_t operations) {
  std::lock_guard lock(mutex_);
  operations_left_ = operations;
}

bool SyncedOnlyFileSystem::dead() const {
  std::lock_guard lock(mutex_);
  return dead_;
}

std::uint64_t SyncedOnlyFileSystem::operations() const {
  std::lock_guard lock(mutex_);
  return operations_;
}

IOStatus SyncedOnlyFileSystem::Admit() {
  std::lock_guard lock(mutex_);
  if (!dead_ && operations_left_) {
    dead_ = *operations_left_ == 0;
    if (!dead_) --*operations_left_;
  }
  if (dead_) return IOStatus::IOError("injected failure: the disk is dead");
  ++operations_;
  return IOStatus::OK();
}

IOStatus SyncedOnlyFileSystem::CheckAlive() const {
  std::lock_guard lock(mutex_);
  return dead_ ? IOStatus::IOError("injected failure: the disk is dead") : IOStatus::OK();
}

void SyncedOnlyFileSystem::Track(const std::string& name, std::shared_ptr<FileState> state,
                                 std::unique_ptr<rocksdb::FSWritableFile>* file) {
  {
    std::lock_guard lock(mutex_);
    files_[name] = state;
  }
  *file = std::make_unique<TrackedFile>(*this, std::move(state), std::move(*file));
}

rocksdb::Status SyncedOnlyFileSystem::SimulatePowerLoss() {
  std::lock_guard lock(mutex_);
  rocksdb::Status first_failure;
  for (const auto& [name, state] : files_) {
    // The base file system may not truncate by name (the POSIX one does not): cut directly,
    // and only ever shorten a file.
    std::error_code error;
    if (state->ever_synced) {
      const std::uintmax_t size = std::filesystem::file_size(name, error);
      if (!error && size > state->synced) std::filesystem::resize_file(name, state->synced, error);
    } else {
      std::filesystem::remove(name, error);
    }
    if (error && error != std::errc::no_such_file_or_directory && first_failure.ok()) {
      first_failure = rocksdb::Status::IOError(name, error.message());
    }
  }
  files_.clear();
  operations_left_.reset();
  dead_ = false;
  return first_failure;
}

IOStatus SyncedOnlyFileSystem::NewWritableFile(const std::string& name,
                                               const rocksdb::FileOptions& options,
                                               std::unique_ptr<rocksdb::FSWritableFile>* result,
                                               rocksdb::IODebugContext* debug) {
  IOStatus status = CheckAlive();
  if (status.ok()) status = target()->NewWritableFile(name, options, result, debug);
  if (status.ok()) Track(name, std::make_shared<FileState>(), result);
  return status;
}

IOStatus SyncedOnlyFileSystem::ReopenWritableFile(const std::string& name,
                                                  const rocksdb::FileOptions& options,
                                                  std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                  rocksdb::IODebugContext* debug) {
  IOStatus status = CheckAlive();
  if (status.ok()) status = target()->ReopenWritableFile(name, options, result, debug);
  if (!status.ok()) return status;
  std::shared_ptr<FileState> state;
  {
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(name); it != files_.end()) state = it->second;
  }
  if (!state) {
    // A file from before this wrapper: what it already holds is durable.
    state = std::make_shared<FileState>();
    status = target()->GetFileSize(name, rocksdb::IOOptions(), &state->size, debug);
    if (!status.ok()) return status;
    state->synced = state->size;
    state->ever_synced = true;
  }
  Track(name, std::move(state), result);
  return status;
}

IOStatus SyncedOnlyFileSystem::ReuseWritableFile(const std::string& name,
                                                 const std::string& old_name,
                                                 const rocksdb::FileOptions& options,
                                                 std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                 rocksdb::IODebugContext* debug) {
  IOStatus status = RenameFile(old_name, name, options.io_options, debug);
  if (status.ok()) status = NewWritableFile(name, options, result, debug);
  return status;
}

IOStatus SyncedOnlyFileSystem::RenameFile(const std::string& source, const std::string& target,
                                          const rocksdb::IOOptions& options,
                                          rocksdb::IODebugContext* debug) {
  IOStatus status = CheckAlive();
  if (status.ok()) status = FileSystemWrapper::RenameFile(source, target, options, debug);
  if (status.ok()) {
    std::lock_guard lock(mutex_);
    auto it = files_.find(source);
    if (it == files_.end()) {
      files_.erase(target);
    } else {
      files_[target] = it->second;
      files_.erase(source);
    }
  }
  return status;
}

IOStatus SyncedOnlyFileSystem::LinkFile(const std::string& source, const std::string& target,
                                        const rocksdb::IOOptions& options,
                                        rocksdb::IODebugContext* debug) {
  IOStatus status = CheckAlive();
  if (status.ok()) status = FileSystemWrapper::LinkFile(source, target, options, debug);
  if (status.ok()) {
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(source); it != files_.end()) files_[target] = it->second;
  }
  return status;
}

IOStatus SyncedOnlyFileSystem::DeleteFile(const std::string& name,
                                          const rocksdb::IOOptions& options,
                                          rocksdb::IODebugContext* debug) {
  IOStatus status = CheckAlive();
  if (status.ok()) status = FileSystemWrapper::DeleteFile(name, options, debug);
  if (status.ok()) {
    std::lock_guard lock(mutex_);
    files_.erase(name);
  }
  return status;
}

IOStatus SyncedOnlyFileSystem::Truncate(const std::string& name, size_t size,
                                        const rocksdb::IOOptions& options,
                                        rocksdb::IODebugContext* debug) {
  IOStatus status = Admit();
  if (status.ok()) status = FileSystemWrapper::Truncate(name, size, options, debug);
  if (status.ok()) {
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(name); it != files_.end()) {
      it->second->size = size;
      it->second->synced = std::min<std::uint64_t>(it->second->synced, size);
    }
  }
  return status;
}

IOStatus SyncedOnlyFileSystem::CreateDir(const std::string& name, const rocksdb::IOOptions& options,
                                         rocksdb::IODebugContext* debug) {
  IOStatus status = CheckAlive();
  return status.ok() ? FileSystemWrapper::CreateDir(name, options, debug) : status;
}

IOStatus SyncedOnlyFileSystem::CreateDirIfMissing(const std::string& name,
                                                  const rocksdb::IOOptions& options,
                                                  rocksdb::IODebugContext* debug) {
  IOStatus status = CheckAlive();
  return status.ok() ? FileSystemWrapper::CreateDirIfMissing(name, options, debug) : status;
}

}  // namespace ledger::testing

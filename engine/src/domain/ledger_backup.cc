// Ledger::Backup: the log's backup (log/backup.cc) with the domain snapshot beside it.
//
// Which snapshot: the one published before the log's copy began. Its file is opened first, and
// a snapshot is published only once the position it covers is durable (snapshot.h), so that
// position is at or before the copy's head: an open of the backup loads it and replays only the
// events after it. A snapshot published while the copy is written may cover events past the
// copy's head, and is not the one taken: the file opened first stays whole and readable when a
// newer one is renamed over its name (snapshot files are never rewritten in place). Were a
// snapshot past the head ever taken, Open would not use it (Recover checks its position against
// the log) and would replay the whole log instead: slower, never wrong.
//
// The snapshot goes whole into the backup: as a hard link when its name still names the file
// opened first, else as a copy read from that open file.
#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "domain/ledger_impl.h"
#include "domain/snapshot.h"

namespace ledger {
namespace {

constexpr std::size_t kCopyBufferBytes = 1 << 20;

Status Errno(std::string_view what, const std::string& path) {
  return Status::IoError(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

/// A file descriptor, closed when it goes.
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  ~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

/// Whether `path` names the very file open as `fd`.
bool SameFile(const std::string& path, int fd) {
  struct stat named {};
  struct stat opened {};
  return ::stat(path.c_str(), &named) == 0 && ::fstat(fd, &opened) == 0 &&
         named.st_dev == opened.st_dev && named.st_ino == opened.st_ino;
}

/// Copies the whole open file `from` into a new file `to`, and syncs it.
Status CopyOpenFile(int from, const std::string& to) {
  OpenFile out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (out.fd() < 0) return Errno("creating", to);
  std::vector<char> buffer(kCopyBufferBytes);
  off_t offset = 0;
  while (true) {
    const ssize_t n = ::pread(from, buffer.data(), buffer.size(), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("reading the domain snapshot to copy into", to);
    if (n == 0) break;
    for (ssize_t done = 0; done < n;) {
      const ssize_t written = ::write(out.fd(), buffer.data() + done, n - done);
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) return Errno("writing", to);
      done += written;
    }
    offset += n;
  }
  return ::fdatasync(out.fd()) == 0 ? Status::Ok() : Errno("syncing", to);
}

/// Puts the snapshot open as `snapshot` (published as `source`) into `directory` as
/// "domain.snapshot", durably.
Status TakeSnapshot(int snapshot, const std::string& source, const std::string& directory) {
  const std::string path = directory + "/domain.snapshot";
  const std::string temporary = path + ".tmp";
  // A published snapshot is synced already (PublishSnapshotFile): a link needs only the
  // directory's fsync. Across file systems, or once a newer snapshot took the name, copy.
  bool linked = ::link(source.c_str(), temporary.c_str()) == 0;
  if (linked && !SameFile(temporary, snapshot)) {
    if (::unlink(temporary.c_str()) != 0) return Errno("removing", temporary);
    linked = false;
  }
  if (!linked) {
    if (Status copied = CopyOpenFile(snapshot, temporary); !copied.ok()) return copied;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) return Errno("renaming", temporary);
  OpenFile handle(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (handle.fd() < 0) return Errno("opening", directory);
  return ::fsync(handle.fd()) == 0 ? Status::Ok() : Errno("syncing", directory);
}

}  // namespace

Result<LedgerBackup> Ledger::Backup(const std::string& log_path) const {
  const std::string source = impl_->snapshot_path();
  const OpenFile snapshot(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (snapshot.fd() < 0 && errno != ENOENT) {
    impl_->logger->warn("the backup goes without a domain snapshot: opening {}: {}", source,
                        std::strerror(errno));
  }
  Result<LogBackup> log = impl_->log->Backup(log_path);
  if (!log.ok()) return log.status();
  LedgerBackup backup{*log, {}};
  if (snapshot.fd() < 0) return backup;

  ChainPoint position;
  Status usable = domain::ReadSnapshotPosition(snapshot.fd(), &position);
  if (usable.ok() && position.sequence > backup.log.head.sequence) {
    usable = Status::Internal(fmt::format("it covers sequence {}, past the backup's head {}",
                                          position.sequence.value, backup.log.head.sequence.value));
  }
  if (!usable.ok()) {
    impl_->logger->warn("the backup goes without a domain snapshot: {}", usable.message());
    return backup;
  }
  struct stat info {};
  Status taken = ::fstat(snapshot.fd(), &info) == 0 ? TakeSnapshot(snapshot.fd(), source, log_path)
                                                    : Errno("reading the size of", source);
  if (!taken.ok()) {
    std::error_code error;
    std::filesystem::remove_all(log_path, error);
    return taken;
  }
  backup.snapshot_sequence = position.sequence;
  backup.log.files += 1;
  backup.log.bytes += static_cast<std::uint64_t>(info.st_size);
  return backup;
}

}  // namespace ledger

#include "ledger/server/data_directory.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/engine/ledger.h"

namespace ledger::server {
namespace {

/// root.sha256 holds the hash as hexadecimal digits and a newline.
constexpr std::uint64_t kHashHexDigits = 64;

Status WritePrivateFile(const std::string& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError(fmt::format("cannot create {}: {}", path, strerror(errno)));
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) return Status::IoError(fmt::format("cannot write {}", path));
  return Status::Ok();
}

Status SyncDirectory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(fmt::format("cannot open {}: {}", path, strerror(errno)));
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Status::IoError(fmt::format("cannot sync {}: {}", path, strerror(errno)));
  return Status::Ok();
}

/// Where a backup goes: a new directory (`*created` set once made) or an empty one.
Status PrepareBackupDirectory(const std::filesystem::path& target, bool* created) {
  namespace fs = std::filesystem;
  if (!target.is_absolute()) {
    return Status::InvalidArgument(fmt::format(
        "a backup goes to an absolute path on the server's machine; '{}' is not", target.string()));
  }
  std::error_code error;
  if (!fs::is_directory(target.parent_path(), error)) {
    return Status::NotFound(
        fmt::format("{} is not a directory: create it before backing up into it",
                    target.parent_path().string()));
  }
  const fs::file_status status = fs::symlink_status(target, error);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      return Status::InvalidArgument(fmt::format("{} is not a directory", target.string()));
    }
    const bool empty = fs::is_empty(target, error);
    if (error) {
      return Status::IoError(fmt::format("cannot read {}: {}", target.string(), error.message()));
    }
    if (!empty) {
      return Status::InvalidArgument(fmt::format(
          "{} is not empty: a backup goes into a new or empty directory", target.string()));
    }
    return Status::Ok();
  }
  if (!fs::create_directory(target, error) || error) {
    return Status::IoError(fmt::format("cannot create {}: {}", target.string(),
                                       error ? error.message() : "it appeared meanwhile"));
  }
  *created = true;
  fs::permissions(target, fs::perms::owner_all, fs::perm_options::replace, error);
  return Status::Ok();
}

/// Removes what a failed backup wrote: the directory it created, or what it put in the empty
/// directory it was given.
void RemoveFailedBackup(const std::filesystem::path& target, bool created) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (created) {
    fs::remove_all(target, error);
    return;
  }
  for (fs::directory_iterator it(target, error), end; !error && it != end; it.increment(error)) {
    std::error_code ignored;
    fs::remove_all(it->path(), ignored);
  }
}

}  // namespace

std::string LogPath(const std::string& data_directory) { return data_directory + "/log"; }
std::string ViewsPath(const std::string& data_directory) { return data_directory + "/views"; }
std::string RootHashPath(const std::string& data_directory) {
  return data_directory + "/root.sha256";
}

Result<std::string> InitDataDirectory(const std::string& data_directory) {
  std::error_code error;
  if (std::filesystem::exists(LogPath(data_directory), error) ||
      std::filesystem::exists(RootHashPath(data_directory), error)) {
    return Status::InvalidArgument(
        fmt::format("{} already holds a ledger; refusing to initialize it again", data_directory));
  }
  std::filesystem::create_directories(data_directory, error);
  if (error) {
    return Status::IoError(fmt::format("cannot create {}: {}", data_directory, error.message()));
  }
  std::filesystem::permissions(data_directory, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, error);
  {
    LedgerOptions options;
    options.log.path = LogPath(data_directory);
    options.log.create_if_missing = true;
    auto opened = Ledger::Open(std::move(options));
    if (!opened.ok()) return opened.status();
  }
  auto secret = Ledger::GenerateSecret();
  if (!secret.ok()) return secret.status();
  Hash256 hash = Ledger::HashSecret(secret->secret);
  Status written = WritePrivateFile(RootHashPath(data_directory), ToHex(hash) + "\n");
  if (!written.ok()) return written;
  return std::string(kRootCredentialId) + "." + secret->secret;
}

Result<Hash256> LoadRootHash(const std::string& data_directory) {
  const std::string path = RootHashPath(data_directory);
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    std::error_code error;
    if (std::filesystem::exists(data_directory + "/log", error)) {
      return Status::NotFound(fmt::format(
          "{} is missing: {} holds a ledger without its root credential's hash (an unfinished "
          "backup?); put back the root.sha256 of the ledger it came from",
          path, data_directory));
    }
    return Status::NotFound(
        fmt::format("{} is missing: run `ledgerd init --data {}` first", path, data_directory));
  }
  if ((info.st_mode & 077) != 0) {
    return Status::InvalidArgument(fmt::format("{} is readable by others: chmod 600 it", path));
  }
  std::ifstream in(path);
  std::string text;
  in >> text;
  Hash256 hash{};
  if (!ParseHash256(text, &hash)) {
    return Status::Corruption(fmt::format("{} does not hold 64 hexadecimal digits", path));
  }
  return hash;
}

Result<DataDirectoryBackup> BackupDataDirectory(const Ledger& ledger, const Hash256& root_hash,
                                                const std::string& served,
                                                const std::string& directory) {
  const auto start = std::chrono::steady_clock::now();
  std::filesystem::path target = std::filesystem::path(directory).lexically_normal();
  if (!served.empty() && target.is_absolute()) {
    std::error_code error;
    const auto inside = std::filesystem::weakly_canonical(target, error);
    const auto data = std::filesystem::weakly_canonical(served, error);
    if (!error &&
        std::mismatch(data.begin(), data.end(), inside.begin(), inside.end()).first == data.end()) {
      return Status::InvalidArgument(fmt::format(
          "{} is inside the data directory {}: a backup goes outside it", directory, served));
    }
  }
  if (!target.has_filename() && target != target.root_path()) target = target.parent_path();
  bool created = false;
  Status prepared = PrepareBackupDirectory(target, &created);
  if (!prepared.ok()) return prepared;
  DataDirectoryBackup backup;
  backup.path = target.string();
  Result<LedgerBackup> copied = ledger.Backup(LogPath(backup.path));
  Status done = copied.status();
  // Last: until this file is there, ledgerd refuses to start on the directory.
  if (done.ok()) done = WritePrivateFile(RootHashPath(backup.path), ToHex(root_hash) + "\n");
  if (done.ok()) done = SyncDirectory(backup.path);
  if (done.ok() && created) done = SyncDirectory(target.parent_path().string());
  if (!done.ok()) {
    RemoveFailedBackup(target, created);
    return done;
  }
  backup.ledger = *copied;
  backup.ledger.log.files += 1;
  backup.ledger.log.bytes += kHashHexDigits + 1;
  backup.duration_ms =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - start)
                                     .count());
  return backup;
}

}  // namespace ledger::server

#include "ledger/server/data_directory.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/engine/ledger.h"

namespace ledger::server {
namespace {

Status WritePrivateFile(const std::string& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError(fmt::format("cannot create {}: {}", path, strerror(errno)));
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) return Status::IoError(fmt::format("cannot write {}", path));
  return Status::Ok();
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

}  // namespace ledger::server

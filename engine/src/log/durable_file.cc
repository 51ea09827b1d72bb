#include "log/durable_file.h"

#include <fmt/format.h>

#include <memory>

#include "log/log_store.h"

namespace ledger::log {

Status ReplaceFileDurably(rocksdb::FileSystem& file_system, const std::string& directory,
                          const std::string& name, std::string_view contents,
                          std::string_view what) {
  const std::string path = directory + "/" + name;
  const std::string temporary = path + ".tmp";
  auto failed = [&](const rocksdb::IOStatus& status, std::string_view step) {
    return FromRocks(status, fmt::format("{} the {}", step, what));
  };
  rocksdb::IOOptions io;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  rocksdb::IOStatus status =
      file_system.NewWritableFile(temporary, rocksdb::FileOptions(), &file, nullptr);
  if (!status.ok()) return failed(status, "creating");
  status = file->Append(rocksdb::Slice(contents.data(), contents.size()), io, nullptr);
  if (!status.ok()) return failed(status, "writing");
  status = file->Fsync(io, nullptr);
  if (!status.ok()) return failed(status, "syncing");
  status = file->Close(io, nullptr);
  if (!status.ok()) return failed(status, "closing");
  status = file_system.RenameFile(temporary, path, io, nullptr);
  if (!status.ok()) return failed(status, "renaming");
  std::unique_ptr<rocksdb::FSDirectory> handle;
  status = file_system.NewDirectory(directory, io, &handle, nullptr);
  if (!status.ok()) return FromRocks(status, "opening the log directory");
  status = handle->FsyncWithDirOptions(io, nullptr, {});
  if (!status.ok()) return FromRocks(status, "syncing the log directory");
  return Status::Ok();
}

}  // namespace ledger::log

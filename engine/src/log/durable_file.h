// Writing a small file beside the database so that a crash leaves either the old file or the
// new one, complete: written to a temporary name, fsync'd, renamed over the old file, and the
// directory fsync'd. Through RocksDB's FileSystem, so tests that simulate a power loss see it.
#pragma once

#include <rocksdb/file_system.h>

#include <string>
#include <string_view>

#include "ledger/engine/status.h"

namespace ledger::log {

/// Replaces `directory`/`name` with `contents`; `what` names the file in errors.
Status ReplaceFileDurably(rocksdb::FileSystem& file_system, const std::string& directory,
                          const std::string& name, std::string_view contents,
                          std::string_view what);

}  // namespace ledger::log

// The data directory ledgerd serves:
//
//   DIR/log/            the event log (RocksDB) and the domain snapshot
//   DIR/views/          the projections' database (rebuilt from the log when missing)
//   DIR/root.sha256     SHA-256 of the root credential's secret, 64 hex digits, mode 0600
//
// `ledgerd init` creates it and hands the root credential out once; nothing stores the
// secret itself. A backup of a running ledger is a data directory of its own.
// Thread-safety: free functions; callers serialize use of one directory.
#pragma once

#include <cstdint>
#include <string>

#include "ledger/engine/ledger.h"
#include "ledger/engine/status.h"
#include "ledger/engine/types.h"

namespace ledger::server {

std::string LogPath(const std::string& data_directory);
std::string ViewsPath(const std::string& data_directory);
std::string RootHashPath(const std::string& data_directory);

/// The root credential's id: the credential is "root.<secret>".
inline constexpr char kRootCredentialId[] = "root";

/// Creates the directory, an empty log and the root credential; returns the credential
/// ("root.<secret>") to show once. Refuses a directory that already holds a log.
Result<std::string> InitDataDirectory(const std::string& data_directory);

/// Reads DIR/root.sha256. Refuses a missing or malformed file, or one readable by others.
Result<Hash256> LoadRootHash(const std::string& data_directory);

/// What BackupDataDirectory wrote.
struct DataDirectoryBackup {
  /// The backup's directory, as normalized.
  std::string path;
  LedgerBackup ledger;
  std::uint64_t duration_ms = 0;
};

/// Writes a backup of the open `ledger` into `directory` as a complete data directory, while
/// it goes on serving: DIR/log/ (Ledger::Backup) then DIR/root.sha256 holding `root_hash`
/// (mode 0600). `ledgerd --data DIR` serves it as it is; its views are rebuilt from the log.
/// `directory` must be an absolute path whose parent exists, and new (it is created, mode
/// 0700) or an empty directory. root.sha256 is written last, so a directory without it is not
/// a finished backup, and ledgerd refuses to start on it; a failed backup removes what it
/// wrote. Slow: run it off the network thread, one at a time.
/// `served` is the data directory the ledger is served from (empty: not known): a backup
/// inside it is refused, since it would go wherever that directory goes.
Result<DataDirectoryBackup> BackupDataDirectory(const Ledger& ledger, const Hash256& root_hash,
                                                const std::string& served,
                                                const std::string& directory);

}  // namespace ledger::server

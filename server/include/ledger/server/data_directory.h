// The data directory ledgerd serves:
//
//   DIR/log/            the event log (RocksDB) and the domain snapshot
//   DIR/views/          the projections' database (rebuilt from the log when missing)
//   DIR/root.sha256     SHA-256 of the root credential's secret, 64 hex digits, mode 0600
//
// `ledgerd init` creates it and hands the root credential out once; nothing stores the
// secret itself. Thread-safety: free functions; callers serialize use of one directory.
#pragma once

#include <string>

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

}  // namespace ledger::server

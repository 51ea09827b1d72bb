// Looks for secrets where they must never be: in a log file, and in every file of a data
// directory, both as raw bytes and, for RocksDB databases (whose tables may be compressed),
// through every key and value read back by RocksDB itself.
// Thread-safety: pure functions of the files.
#pragma once

#include <string>
#include <vector>

namespace ledger::testing {

struct SecretFound {
  std::string what;   // The name the caller gave the secret.
  std::string where;  // The file, or "<database>: key/value".
};

struct NamedSecret {
  std::string name;
  std::string text;
};

/// Every place where one of `secrets` appears under `path` (a file or a directory tree).
std::vector<SecretFound> FindSecrets(const std::string& path,
                                     const std::vector<NamedSecret>& secrets);

/// Every run of 13 to 19 digits passing the Luhn check under `path` (`what` holds the run).
std::vector<SecretFound> FindCardNumberLikeRuns(const std::string& path);

/// True when `digits` (13 to 19 of them) passes the Luhn check, like a card number.
bool PassesLuhn(const std::string& digits);
/// Every run of 13 to 19 digits in `text` that passes the Luhn check.
std::vector<std::string> CardNumberLikeRuns(const std::string& text);

/// A card-number-like 16-digit string (passes Luhn) drawn from `seed`.
std::string MakeCardNumberLike(unsigned long long seed);

}  // namespace ledger::testing

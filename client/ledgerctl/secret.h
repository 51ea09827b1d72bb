// New credentials for `ledgerctl key issue` and `token issue`: 32 random bytes as 64 hex
// digits, and the SHA-256 of that text, which is all the server ever receives.
//
// With --save FILE the credential is written before the command is sent, so that no issued
// secret can be lost: a FILE that cannot be written stops ledgerctl before anything is
// recorded, and a response lost on the way leaves the secret in FILE. Running the same command
// again with the same FILE (and the same --idempotency-key) sends the same secret: the retry
// is recognised as a duplicate instead of issuing another credential.
#pragma once

#include <string>

#include "ledger/client/commands.h"

namespace ledger::ctl {

struct NewSecret {
  std::string secret;
  client::SecretHash sha256{};
};

/// False when the system's random source failed.
bool MakeSecret(NewSecret* out);
/// The secret of `secret`'s text (64 hex digits), with its SHA-256; false for other text.
bool SecretFromText(const std::string& secret, NewSecret* out);

/// What --save FILE holds before the command is sent.
enum class SavedCredential {
  /// FILE did not exist; it now holds the new credential (mode 0600).
  kWritten,
  /// FILE held a credential of this id (an earlier run): `secret` is its secret.
  kFound,
};

/// Prepares --save `path` for credential `id`: reuses the secret a file of this id holds, or
/// writes `id` and `secret` to a new file (never overwriting another). Else false, with why.
bool PrepareSavedCredential(const std::string& path, const std::string& id, NewSecret* secret,
                            SavedCredential* outcome, std::string* error);

/// Writes "<id>.<secret>" to `path` with mode 0600, replacing what it held (the demo's
/// sample credentials); false when it cannot.
bool SaveCredential(const std::string& path, const std::string& credential);

}  // namespace ledger::ctl

// New credentials for `ledgerctl key issue` and `token issue`: 32 random bytes as 64 hex
// digits, and the SHA-256 of that text, which is all the server ever receives.
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

/// Writes "<id>.<secret>" to `path` with mode 0600; false when it cannot.
bool SaveCredential(const std::string& path, const std::string& credential);

}  // namespace ledger::ctl

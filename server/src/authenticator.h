// Turning an Authenticate request into the connection's principal, or a refusal.
//
// A credential is "<id>.<secret>". The server holds only SHA-256 of each secret (root's in
// the data directory, keys' and tokens' in the domain state) and compares hashes in constant
// time; an unknown id costs the same comparison as a known one. Refusals tell the client only
// "invalid credential"; the reason (with the id, never the secret) goes to the log.
// Thread-safety: pure functions over the ledger's thread-safe lookups.
#pragma once

#include <optional>
#include <string>

#include "ledger/engine/domain/principal.h"
#include "ledger/engine/ledger.h"
#include "ledger/schema/protocol_generated.h"

namespace ledger::server {

/// Who a connection acts as, and which credential proves it (to notice its revocation).
struct Identity {
  domain::Principal principal;
  protocol::CredentialKind kind = protocol::CredentialKind::Unspecified;
  /// The key or token id ("root" for root).
  std::string credential_id;
};

struct AuthOutcome {
  /// Ok, Unauthenticated or InvalidArgument.
  protocol::ErrorCode code = protocol::ErrorCode::Unauthenticated;
  /// For the client.
  std::string message;
  /// For the log: why, with the credential id (never the secret).
  std::string reason;
  std::optional<Identity> identity;
};

AuthOutcome Authenticate(const Ledger& ledger, const Hash256& root_secret_sha256,
                         const protocol::Authenticate& request);

/// False once the credential behind `identity` was revoked (root never is).
bool CredentialStillActive(const Ledger& ledger, const Identity& identity);

}  // namespace ledger::server

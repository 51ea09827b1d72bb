#include "authenticator.h"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "ledger/engine/domain/commands.h"
#include "ledger/limits.h"
#include "ledger/server/data_directory.h"

namespace ledger::server {
namespace {

using protocol::CredentialKind;
using protocol::ErrorCode;
using schema::Environment;

AuthOutcome Refuse(std::string reason) {
  return AuthOutcome{ErrorCode::Unauthenticated, "invalid credential", std::move(reason), {}};
}

AuthOutcome Invalid(std::string message) {
  std::string reason = message;
  return AuthOutcome{ErrorCode::InvalidArgument, std::move(message), std::move(reason), {}};
}

bool SameHash(const Hash256& a, const Hash256& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IsSandboxOrProduction(Environment environment) {
  return environment == Environment::Sandbox || environment == Environment::Production;
}

AuthOutcome Accept(domain::Principal principal, CredentialKind kind, std::string id) {
  AuthOutcome outcome{ErrorCode::Ok, {}, {}, {}};
  outcome.identity = Identity{std::move(principal), kind, std::move(id)};
  return outcome;
}

AuthOutcome AuthenticateKey(const Ledger& ledger, const std::string& id, const Hash256& hash,
                            Environment environment) {
  auto key = ledger.FindApiKey(id);
  bool matches = key.has_value() && SameHash(key->secret_sha256, hash);
  if (!key) SameHash(hash, hash);  // The same work for an unknown id.
  if (!matches) return Refuse(fmt::format("api key '{}': unknown id or wrong secret", id));
  if (!key->active) return Refuse(fmt::format("api key '{}' is revoked", id));
  if (environment != Environment::Unspecified && environment != key->environment) {
    return Refuse(fmt::format("api key '{}' belongs to {}, not {}", id,
                              domain::EnvironmentName(key->environment),
                              domain::EnvironmentName(environment)));
  }
  return Accept(domain::Principal::ApiKey(id, key->organization, key->platform, key->environment),
                CredentialKind::ApiKey, id);
}

AuthOutcome AuthenticateToken(const Ledger& ledger, const std::string& id, const Hash256& hash,
                              Environment environment) {
  auto token = ledger.FindUserToken(id);
  bool matches = token.has_value() && SameHash(token->secret_sha256, hash);
  if (!token) SameHash(hash, hash);
  if (!matches) return Refuse(fmt::format("user token '{}': unknown id or wrong secret", id));
  if (!token->active) return Refuse(fmt::format("user token '{}' is revoked", id));
  if (!IsSandboxOrProduction(environment)) {
    return Invalid("a user must choose the sandbox or the production environment");
  }
  return Accept(domain::Principal::User(token->user, environment), CredentialKind::UserToken, id);
}

}  // namespace

AuthOutcome Authenticate(const Ledger& ledger, const Hash256& root_secret_sha256,
                         const protocol::Authenticate& request) {
  if (request.protocol_version() != protocol::ProtocolVersion::V1) {
    return Invalid("unsupported protocol version (this server speaks V1)");
  }
  const auto* credential = request.credential();
  if (credential == nullptr || credential->size() > limits::kCredentialBytesMax) {
    return Refuse("missing or oversized credential");
  }
  std::string_view text = credential->string_view();
  auto dot = text.find('.');
  if (dot == std::string_view::npos || dot + 1 == text.size()) {
    return Refuse("credential is not <id>.<secret>");
  }
  std::string id(text.substr(0, dot));
  if (!domain::IsValidId(id)) return Refuse("credential id is malformed");
  const Hash256 hash = Ledger::HashSecret(text.substr(dot + 1));
  const Environment environment = request.environment();
  switch (request.kind()) {
    case CredentialKind::Root:
      if (id != kRootCredentialId || !SameHash(hash, root_secret_sha256)) {
        return Refuse("wrong root credential");
      }
      if (environment != Environment::Unspecified && !IsSandboxOrProduction(environment)) {
        return Invalid("unknown environment");
      }
      return Accept(domain::Principal::Root(environment), CredentialKind::Root, id);
    case CredentialKind::ApiKey:
      return AuthenticateKey(ledger, id, hash, environment);
    case CredentialKind::UserToken:
      return AuthenticateToken(ledger, id, hash, environment);
    case CredentialKind::Unspecified:
      break;
  }
  return Invalid("credential kind must be Root, ApiKey or UserToken");
}

bool CredentialStillActive(const Ledger& ledger, const Identity& identity) {
  switch (identity.kind) {
    case CredentialKind::Root:
      return true;
    case CredentialKind::ApiKey: {
      auto key = ledger.FindApiKey(identity.credential_id);
      return key.has_value() && key->active;
    }
    case CredentialKind::UserToken: {
      auto token = ledger.FindUserToken(identity.credential_id);
      return token.has_value() && token->active;
    }
    case CredentialKind::Unspecified:
      break;
  }
  return false;
}

}  // namespace ledger::server

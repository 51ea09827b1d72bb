// Who acts: the root credential, a user (through a user token) or a platform API key.
//
// The server authenticates the credential and builds the Principal; the domain then checks
// it against current state on every command (a revoked key or an unknown user is refused) and
// evaluates permissions with Allowed() (permissions.h). A connection is bound to one
// environment; an API key also carries the organization, platform and environment it was
// issued for. Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/schema/common_generated.h"

namespace ledger::domain {

enum class PrincipalKind : std::uint8_t {
  /// The ledger's own superuser, created at `ledgerd init`. May do everything.
  kRoot = 0,
  /// A person, authenticated by a user token; acts through role grants.
  kUser = 1,
  /// A platform's payment processing, authenticated by a platform API key.
  kApiKey = 2,
};

struct Principal {
  PrincipalKind kind = PrincipalKind::kRoot;
  /// The user id or the API key id; empty for root.
  std::string id;
  /// API keys: the organization and platform the key was issued for. Empty otherwise.
  std::string organization;
  std::string platform;
  /// API keys: the environment of the key's platform. Unspecified otherwise.
  schema::Environment key_environment = schema::Environment::Unspecified;
  /// The environment the connection is bound to (sandbox or production).
  schema::Environment environment = schema::Environment::Unspecified;

  static Principal Root(schema::Environment environment = schema::Environment::Unspecified);
  static Principal User(std::string user_id, schema::Environment environment);
  /// A key used on a connection bound to the key's own environment.
  static Principal ApiKey(std::string key_id, std::string organization, std::string platform,
                          schema::Environment environment);

  /// How events name the principal: "root", "user:<id>" or "key:<id>".
  std::string Actor() const;

  bool operator==(const Principal&) const = default;
};

/// "sandbox", "production" or "unspecified".
std::string_view EnvironmentName(schema::Environment environment);
/// "admin", "developer", "operator", "sales", "accountant" or "unspecified".
std::string_view RoleName(schema::Role role);
/// "authorization", "capture", "refund", "cancellation", "chargeback", "fee" or "unspecified".
std::string_view OperationKindName(schema::OperationKind kind);
/// "succeeded", "failed" or "unspecified".
std::string_view OperationOutcomeName(schema::OperationOutcome outcome);

}  // namespace ledger::domain

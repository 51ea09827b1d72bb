// A small ledger for the domain tests, built over the API by root: two organizations with
// sandbox and production platforms, one user per role, a platform-scoped user, API keys and
// user tokens, and connections as any of them.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "ledger/client/client.h"
#include "ledger/client/commands.h"
#include "server/server_fixture.h"

namespace ledger::testing {

struct World {
  /// Organization "acme": "acme-sbx", "acme-sbx2" (sandbox), "acme-prd" (production).
  /// Organization "globex": "globex-sbx" (sandbox).
  /// Users "admin", "developer", "operator", "sales", "accountant": that role in acme on
  /// every platform; "scoped": operator of acme-sbx2 only; "outsider": admin of globex.
  /// API keys "key-acme-sbx", "key-acme-prd", "key-globex-sbx" for those platforms.
  explicit World(TestServer& server);

  /// Connects as a user (token "tok-<user>") in an environment, or as an API key.
  std::unique_ptr<client::Client> User(const std::string& user, schema::Environment environment);
  std::unique_ptr<client::Client> Key(const std::string& key);

  TestServer& server;
  std::unique_ptr<client::Client> root;
  /// Credential id → "<id>.<secret>".
  std::map<std::string, std::string> credentials;
};

/// Runs one batch; expects the request itself to succeed; returns each command's status.
std::vector<protocol::ErrorCode> Execute(client::Client& client,
                                         std::vector<client::CommandBuilder> commands);
/// The status of the one command of a batch (or the request's error).
protocol::ErrorCode ExecuteOne(client::Client& client, client::CommandBuilder command);

/// A fresh secret: the credential text and the hash the issuing command carries.
std::pair<std::string, client::SecretHash> NewSecret();

}  // namespace ledger::testing

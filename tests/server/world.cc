#include "server/world.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace ledger::testing {

namespace p = protocol;
namespace c = client;
using schema::Environment;

std::pair<std::string, c::SecretHash> NewSecret() {
  auto secret = Ledger::GenerateSecret();
  if (!secret.ok()) throw std::runtime_error(secret.status().ToString());
  c::SecretHash hash{};
  auto digest = Ledger::HashSecret(secret->secret);
  std::copy(digest.begin(), digest.end(), hash.begin());
  return {secret->secret, hash};
}

std::vector<p::ErrorCode> Execute(c::Client& client, std::vector<c::CommandBuilder> commands) {
  auto reply = client.Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch(std::move(commands)));
  if (!reply.ok()) return {reply.error().code};
  std::vector<p::ErrorCode> out;
  for (const auto* result : *reply.body<p::CommandResults>()->results()) {
    out.push_back(result->status());
  }
  return out;
}

p::ErrorCode ExecuteOne(c::Client& client, c::CommandBuilder command) {
  auto codes = Execute(client, {std::move(command)});
  return codes.empty() ? p::ErrorCode::Internal : codes.front();
}

World::World(TestServer& test_server) : server(test_server), root(test_server.ConnectRoot()) {
  std::vector<c::CommandBuilder> batch = {
      c::CreateOrganization("acme", "Acme"),
      c::CreateOrganization("globex", "Globex"),
      c::CreatePlatform("acme", "acme-sbx", "Acme sandbox", Environment::Sandbox),
      c::CreatePlatform("acme", "acme-sbx2", "Acme second sandbox", Environment::Sandbox),
      c::CreatePlatform("acme", "acme-prd", "Acme production", Environment::Production),
      c::CreatePlatform("globex", "globex-sbx", "Globex sandbox", Environment::Sandbox),
  };
  const std::pair<const char*, schema::Role> roles[] = {{"admin", schema::Role::Admin},
                                                        {"developer", schema::Role::Developer},
                                                        {"operator", schema::Role::Operator},
                                                        {"sales", schema::Role::Sales},
                                                        {"accountant", schema::Role::Accountant}};
  auto add_user = [&](const std::string& user) {
    auto [secret, hash] = NewSecret();
    batch.push_back(c::RegisterUser(user, user + "@example.com", user));
    batch.push_back(c::IssueUserToken(user, "tok-" + user, hash));
    credentials["tok-" + user] = "tok-" + user + "." + secret;
  };
  for (const auto& [user, role] : roles) {
    add_user(user);
    batch.push_back(c::GrantRole("acme", user, role, {}));
  }
  add_user("scoped");
  batch.push_back(c::GrantRole("acme", "scoped", schema::Role::Operator, {"acme-sbx2"}));
  add_user("outsider");
  batch.push_back(c::GrantRole("globex", "outsider", schema::Role::Admin, {}));
  for (const char* platform : {"acme-sbx", "acme-prd", "globex-sbx"}) {
    auto [secret, hash] = NewSecret();
    std::string key = std::string("key-") + platform;
    batch.push_back(c::IssueApiKey(platform, key, hash));
    credentials[key] = key + "." + secret;
  }
  for (auto code : Execute(*root, std::move(batch))) {
    if (code != p::ErrorCode::Ok) throw std::runtime_error("the world could not be built");
  }
}

std::unique_ptr<c::Client> World::User(const std::string& user, Environment environment) {
  c::ClientError error;
  auto client = server.Connect(p::CredentialKind::UserToken, credentials.at("tok-" + user),
                               environment, &error);
  if (!client) throw std::runtime_error("cannot connect as " + user + ": " + error.ToString());
  return client;
}

std::unique_ptr<c::Client> World::Key(const std::string& key) {
  c::ClientError error;
  auto client = server.Connect(p::CredentialKind::ApiKey, credentials.at(key),
                               Environment::Unspecified, &error);
  if (!client) throw std::runtime_error("cannot connect as " + key + ": " + error.ToString());
  return client;
}

}  // namespace ledger::testing

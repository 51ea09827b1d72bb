#include "demo.h"

#include <filesystem>
#include <iostream>

#include "secret.h"

namespace ledger::ctl {
namespace {

namespace p = protocol;
namespace c = client;
using schema::Environment;
using schema::Role;

struct DemoUser {
  const char* id;
  const char* name;
  const char* organization;
  Role role;
  std::vector<std::string> platforms;  // Empty: every platform.
};

std::vector<DemoPlatform> Platforms() {
  return {{"acme", "acme-sandbox", "Acme Travel (test)", Environment::Sandbox, 10},
          {"acme", "acme-web", "Acme Travel website", Environment::Production, 35},
          {"acme", "acme-agencies", "Acme Travel agencies", Environment::Production, 20},
          {"globex", "globex-sandbox", "Globex Retail (test)", Environment::Sandbox, 10},
          {"globex", "globex-store", "Globex Retail store", Environment::Production, 25}};
}

const std::vector<DemoUser>& Users() {
  static const std::vector<DemoUser> kUsers = {
      {"alice", "Alice Martin", "acme", Role::Admin, {}},
      {"bob", "Bob Durand", "acme", Role::Developer, {}},
      {"carol", "Carol Petit", "acme", Role::Operator, {}},
      {"dave", "Dave Moreau", "acme", Role::Sales, {}},
      {"erin", "Erin Laurent", "acme", Role::Accountant, {}},
      {"frank", "Frank Simon", "acme", Role::Admin, {"acme-agencies"}},
      {"grace", "Grace Chen", "globex", Role::Admin, {}},
      {"heidi", "Heidi Novak", "globex", Role::Accountant, {}},
      {"ivan", "Ivan Petrov", "globex", Role::Sales, {}}};
  return kUsers;
}

/// Runs `commands` in batches; prints the first refusals. False on any failure.
bool Run(c::Client& client, std::vector<c::CommandBuilder> commands, int* duplicates = nullptr) {
  constexpr std::size_t kBatch = 1000;
  int refused = 0;
  for (std::size_t start = 0; start < commands.size(); start += kBatch) {
    std::vector<c::CommandBuilder> batch(
        commands.begin() + static_cast<std::ptrdiff_t>(start),
        commands.begin() + static_cast<std::ptrdiff_t>(std::min(commands.size(), start + kBatch)));
    auto reply = client.Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch(std::move(batch)));
    if (!reply.ok()) {
      std::cerr << "ledgerctl demo: " << reply.error().ToString() << "\n";
      return false;
    }
    for (const auto* result : ResultsOf(reply)) {
      if (result->status() == p::ErrorCode::Duplicate && duplicates != nullptr) ++*duplicates;
      if (result->status() == p::ErrorCode::Ok || result->status() == p::ErrorCode::Duplicate) {
        continue;
      }
      if (++refused <= 5) {
        std::cerr << "ledgerctl demo: refused: " << Text(result->code_name()) << ": "
                  << Text(result->message()) << "\n";
      }
    }
  }
  return refused == 0;
}

std::vector<c::CommandBuilder> Directory(const std::vector<DemoPlatform>& platforms) {
  std::vector<c::CommandBuilder> out = {
      c::CreateOrganization("acme", "Acme Travel", c::WithKey("demo/acme")),
      c::CreateOrganization("globex", "Globex Retail", c::WithKey("demo/globex"))};
  for (const auto& platform : platforms) {
    out.push_back(c::CreatePlatform(platform.organization, platform.id, platform.name,
                                    platform.environment, c::WithKey("demo/" + platform.id)));
    out.push_back(c::AddBankAccount(platform.id, platform.id + "-bank", platform.name,
                                    "FR7630006000011234567890189", "EUR",
                                    c::WithKey("demo/bank-" + platform.id)));
  }
  for (const auto& user : Users()) {
    out.push_back(c::RegisterUser(user.id, std::string(user.id) + "@example.com", user.name,
                                  c::WithKey(std::string("demo/user-") + user.id)));
    out.push_back(c::GrantRole(user.organization, user.id, user.role, user.platforms,
                               c::WithKey(std::string("demo/grant-") + user.id)));
  }
  return out;
}

/// Issues a token per user and a key per platform; saves or prints the credentials.
bool IssueCredentials(Ctl& ctl, c::Client& root, const std::vector<DemoPlatform>& platforms,
                      const std::string& directory, std::map<std::string, std::string>* keys) {
  std::vector<c::CommandBuilder> commands;
  std::vector<std::pair<std::string, std::string>> credentials;
  auto issue = [&](const std::string& id,
                   const std::function<c::CommandBuilder(c::SecretHash)>& make) {
    NewSecret secret;
    MakeSecret(&secret);
    commands.push_back(make(secret.sha256));
    credentials.emplace_back(id, id + "." + secret.secret);
  };
  for (const auto& user : Users()) {
    issue(std::string("tok-") + user.id, [&](c::SecretHash h) {
      return c::IssueUserToken(user.id, std::string("tok-") + user.id, h);
    });
  }
  for (const auto& platform : platforms) {
    issue("key-" + platform.id,
          [&](c::SecretHash h) { return c::IssueApiKey(platform.id, "key-" + platform.id, h); });
  }
  if (!Run(root, std::move(commands))) return false;
  std::vector<std::vector<std::string>> rows;
  if (!directory.empty()) std::filesystem::create_directories(directory);
  for (const auto& [id, credential] : credentials) {
    if (id.rfind("key-", 0) == 0) (*keys)[id.substr(4)] = credential;
    if (!directory.empty()) {
      std::string path = directory + "/" + id + ".credential";
      if (!SaveCredential(path, credential)) return false;
      rows.push_back({id, path});
    } else {
      rows.push_back({id, credential});
    }
  }
  if (!ctl.options.json)
    Ctl::PrintTable({"CREDENTIAL", directory.empty() ? "SECRET" : "FILE"}, rows);
  return true;
}

std::unique_ptr<c::Client> ConnectAs(Ctl& ctl, p::CredentialKind kind,
                                     const std::string& credential, Environment environment) {
  c::ConnectOptions options;
  std::string error;
  ctl.MakeConnectOptions(&options, &error);
  options.kind = kind;
  options.credential = credential;
  options.environment = environment;
  c::ClientError failure;
  auto client = c::Client::Connect(options, &failure);
  if (!client) std::cerr << "ledgerctl demo: " << failure.ToString() << "\n";
  return client;
}

}  // namespace

int RunDemo(Ctl& ctl, const DemoOptions& options) {
  c::Client* root = ctl.Connect();
  if (root == nullptr) return ctl.ConnectFailureExit();
  auto platforms = Platforms();
  int duplicates = 0;
  if (!Run(*root, Directory(platforms), &duplicates)) return kExitRejected;
  if (duplicates > 0) {
    std::cout << "The sample is already there (its commands came back as duplicates); nothing "
                 "was written.\n";
    return kExitOk;
  }
  std::map<std::string, std::string> keys;
  if (!IssueCredentials(ctl, *root, platforms, options.credentials_directory, &keys)) {
    return kExitRejected;
  }
  int orders = 0;
  int weights = 0, weight_before = 0;
  for (const auto& platform : platforms) weights += platform.weight;
  for (auto& platform : platforms) {
    // Cumulative shares, so that the platforms' orders add up to --orders exactly.
    const auto share = [&](int weight) {
      return static_cast<int>(static_cast<std::int64_t>(options.orders) * weight / weights);
    };
    const int count = share(weight_before + platform.weight) - share(weight_before);
    weight_before += platform.weight;
    auto key =
        ConnectAs(ctl, p::CredentialKind::ApiKey, keys.at(platform.id), Environment::Unspecified);
    if (!key) return kExitConnection;
    DemoOrders made = MakeDemoOrders(platform, count);
    if (!Run(*key, std::move(made.creations)) || !Run(*key, std::move(made.executions))) {
      return kExitRejected;
    }
    orders += made.orders;
    // Withdrawals: the admin asks, the bank's answer comes through the key.
    const std::int64_t slice = platform.available_eur / 8;
    std::vector<c::CommandBuilder> requests, outcomes;
    for (int w = 1; w <= 3 && slice > 0; ++w) {
      const std::string id = platform.id + "-w" + std::to_string(w);
      requests.push_back(c::RequestWithdrawal(platform.id, id, platform.id + "-bank", slice, "EUR",
                                              c::WithKey("demo/" + id)));
      outcomes.push_back(w == 2 ? c::FailWithdrawal(platform.id, id, "beneficiary bank rejected")
                                : c::SettleWithdrawal(platform.id, id, "sepa-" + id));
    }
    if (!Run(*root, std::move(requests)) || !Run(*key, std::move(outcomes))) return kExitRejected;
  }
  // A role change for the audit trail: Ivan moves from sales to operator.
  if (!Run(*root, {c::GrantRole("globex", "ivan", Role::Operator, {})})) return kExitRejected;
  if (ctl.options.json) {
    Ctl::PrintJson({{"organizations", 2},
                    {"platforms", platforms.size()},
                    {"users", Users().size()},
                    {"orders", orders}});
  } else {
    std::cout << "\nSample recorded: 2 organizations, " << platforms.size() << " platforms, "
              << Users().size() << " users, " << orders
              << " orders with their transactions, operations and withdrawals.\n";
  }
  return kExitOk;
}

}  // namespace ledger::ctl

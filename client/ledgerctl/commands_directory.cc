#include <unistd.h>

#include <iostream>
#include <map>
#include <memory>

#include "command_flags.h"
#include "commands_domain.h"
#include "secret.h"

namespace ledger::ctl {
namespace {

namespace c = client;

CLI::App* Sub(CLI::App& parent, const std::string& name, const std::string& help,
              std::shared_ptr<CommandFlags> common) {
  auto* sub = parent.add_subcommand(name, help);
  common->AddTo(*sub);
  return sub;
}

const std::map<std::string, schema::Role>& Roles() {
  static const std::map<std::string, schema::Role> kRoles = {
      {"admin", schema::Role::Admin},
      {"developer", schema::Role::Developer},
      {"operator", schema::Role::Operator},
      {"sales", schema::Role::Sales},
      {"accountant", schema::Role::Accountant}};
  return kRoles;
}

/// Issues a key or a token: a new secret (or the one --save FILE holds from an earlier run of
/// the same command, secret.h), only its hash sent, the credential printed once.
int Issue(Ctl& ctl, const std::string& command_name, const std::string& id, const std::string& save,
          const std::function<c::CommandBuilder(c::SecretHash)>& command) {
  NewSecret secret;
  if (!MakeSecret(&secret)) {
    ctl.PrintUsageError("no randomness available");
    return kExitRejected;
  }
  SavedCredential saved = SavedCredential::kWritten;
  std::string error;
  if (!save.empty() && !PrepareSavedCredential(save, id, &secret, &saved, &error)) {
    ctl.PrintUsageError(error);
    return kExitUsage;
  }
  const bool wrote_file = !save.empty() && saved == SavedCredential::kWritten;
  auto reply =
      ctl.Call(protocol::RequestBody::ExecuteCommands, c::ExecuteBatch({command(secret.sha256)}));
  if (!reply.ok()) {
    if (!save.empty()) {
      std::cerr << "ledgerctl: the outcome is unknown; the credential is in " << save
                << ": run the same command again (same --save and --idempotency-key) to learn it\n";
    }
    return ctl.ExitCodeOf(reply);
  }
  const auto results = ResultsOf(reply);
  if (results.size() != 1) return kExitConnection;
  const auto* result = results.front();
  const bool issued = result->status() == protocol::ErrorCode::Ok ||
                      result->status() == protocol::ErrorCode::Duplicate;
  if (!issued) {
    // Nothing was recorded: a file written for it would hold a credential that never works.
    if (wrote_file) ::unlink(save.c_str());
    return ctl.PrintResults({command_name}, results);
  }
  const std::string credential = id + "." + secret.secret;
  if (ctl.options.json) {
    Ctl::PrintJson({{"results", {ResultJson(command_name, *result)}}, {"credential", credential}});
  } else {
    std::cout << command_name << " " << id
              << (result->status() == protocol::ErrorCode::Duplicate ? " was issued" : " issued")
              << " at sequence " << result->sequence() << ". Its credential (shown once"
              << (save.empty() ? "" : "; also in " + save) << "):\n\n  " << credential << "\n\n";
  }
  return kExitOk;
}

void AddOrganizationAndPlatform(CLI::App& app, Ctl& ctl) {
  auto* org = app.add_subcommand("org", "organizations")->require_subcommand(1);
  auto common = std::make_shared<CommandFlags>();
  auto o = std::make_shared<std::map<std::string, std::string>>();
  auto* create = Sub(*org, "create", "create an organization (root)", common);
  create->add_option("--id", (*o)["id"], "organization id")->required();
  create->add_option("--name", (*o)["name"], "display name")->required();
  create->callback([&ctl, common, o] {
    ctl.action = [common, o](Ctl& c) {
      return c.Execute({{"create_organization",
                         client::CreateOrganization((*o)["id"], (*o)["name"], common->Options())}});
    };
  });

  auto* platform = app.add_subcommand("platform", "platforms")->require_subcommand(1);
  auto pc = std::make_shared<CommandFlags>();
  auto po = std::make_shared<std::map<std::string, std::string>>();
  auto* pcreate = Sub(*platform, "create", "create a platform of an organization", pc);
  pcreate->add_option("--org", (*po)["org"], "organization id")->required();
  pcreate->add_option("--id", (*po)["id"], "platform id")->required();
  pcreate->add_option("--name", (*po)["name"], "display name")->required();
  pcreate->add_option("--environment", (*po)["environment"], "sandbox or production")
      ->required()
      ->check(CLI::IsMember({"sandbox", "production"}));
  pcreate->callback([&ctl, pc, po] {
    ctl.action = [pc, po](Ctl& c) {
      schema::Environment environment;
      ParseEnvironment((*po)["environment"], &environment);
      return c.Execute(
          {{"create_platform", client::CreatePlatform((*po)["org"], (*po)["id"], (*po)["name"],
                                                      environment, pc->Options())}});
    };
  });
}

void AddUsersAndRoles(CLI::App& app, Ctl& ctl) {
  auto* user = app.add_subcommand("user", "users")->require_subcommand(1);
  auto uc = std::make_shared<CommandFlags>();
  auto u = std::make_shared<std::map<std::string, std::string>>();
  auto* reg = Sub(*user, "register", "register a user", uc);
  reg->add_option("--id", (*u)["id"], "user id")->required();
  reg->add_option("--email", (*u)["email"], "e-mail address")->required();
  reg->add_option("--name", (*u)["name"], "display name")->required();
  reg->callback([&ctl, uc, u] {
    ctl.action = [uc, u](Ctl& c) {
      return c.Execute({{"register_user", client::RegisterUser((*u)["id"], (*u)["email"],
                                                               (*u)["name"], uc->Options())}});
    };
  });

  auto* role = app.add_subcommand("role", "role grants")->require_subcommand(1);
  auto rc = std::make_shared<CommandFlags>();
  auto r = std::make_shared<std::map<std::string, std::string>>();
  auto platforms = std::make_shared<std::vector<std::string>>();
  auto* grant = Sub(*role, "grant", "give a user a role in an organization", rc);
  grant->add_option("--org", (*r)["org"], "organization id")->required();
  grant->add_option("--user", (*r)["user"], "user id")->required();
  grant->add_option("--role", (*r)["role"], "admin, developer, operator, sales or accountant")
      ->required()
      ->check(CLI::IsMember({"admin", "developer", "operator", "sales", "accountant"}));
  grant->add_option("--platform", *platforms, "limit the role to these platforms (repeat)");
  grant->callback([&ctl, rc, r, platforms] {
    ctl.action = [rc, r, platforms](Ctl& c) {
      return c.Execute(
          {{"grant_role", client::GrantRole((*r)["org"], (*r)["user"], Roles().at((*r)["role"]),
                                            *platforms, rc->Options())}});
    };
  });
  auto* revoke = Sub(*role, "revoke", "remove a user's role in an organization", rc);
  revoke->add_option("--org", (*r)["org"], "organization id")->required();
  revoke->add_option("--user", (*r)["user"], "user id")->required();
  revoke->callback([&ctl, rc, r] {
    ctl.action = [rc, r](Ctl& c) {
      return c.Execute(
          {{"revoke_role", client::RevokeRole((*r)["org"], (*r)["user"], rc->Options())}});
    };
  });
}

void AddCredentials(CLI::App& app, Ctl& ctl) {
  for (const bool is_key : {true, false}) {
    auto* group =
        app.add_subcommand(is_key ? "key" : "token", is_key ? "platform API keys" : "user tokens")
            ->require_subcommand(1);
    auto common = std::make_shared<CommandFlags>();
    auto o = std::make_shared<std::map<std::string, std::string>>();
    const std::string owner = is_key ? "--platform" : "--user";
    auto* issue = Sub(*group, "issue", is_key ? "issue an API key" : "issue a user token", common);
    issue->add_option(owner, (*o)["owner"], is_key ? "platform id" : "user id")->required();
    issue->add_option("--id", (*o)["id"], is_key ? "key id" : "token id")->required();
    issue->add_option("--save", (*o)["save"], "also write the credential to this file (0600)");
    issue->callback([&ctl, common, o, is_key] {
      ctl.action = [common, o, is_key](Ctl& c) {
        return Issue(c, is_key ? "issue_api_key" : "issue_user_token", (*o)["id"], (*o)["save"],
                     [&](c::SecretHash hash) {
                       return is_key ? client::IssueApiKey((*o)["owner"], (*o)["id"], hash,
                                                           common->Options())
                                     : client::IssueUserToken((*o)["owner"], (*o)["id"], hash,
                                                              common->Options());
                     });
      };
    });
    auto* revoke = Sub(*group, "revoke", is_key ? "revoke an API key" : "revoke a token", common);
    revoke->add_option(owner, (*o)["owner"], is_key ? "platform id" : "user id")->required();
    revoke->add_option("--id", (*o)["id"], is_key ? "key id" : "token id")->required();
    revoke->callback([&ctl, common, o, is_key] {
      ctl.action = [common, o, is_key](Ctl& c) {
        return c.Execute(
            {{is_key ? "revoke_api_key" : "revoke_user_token",
              is_key ? client::RevokeApiKey((*o)["owner"], (*o)["id"], common->Options())
                     : client::RevokeUserToken((*o)["owner"], (*o)["id"], common->Options())}});
      };
    });
  }
}

void AddBankAccounts(CLI::App& app, Ctl& ctl) {
  auto* bank = app.add_subcommand("bank-account", "bank accounts")->require_subcommand(1);
  auto common = std::make_shared<CommandFlags>();
  auto o = std::make_shared<std::map<std::string, std::string>>();
  auto* add = Sub(*bank, "add", "add a bank account withdrawals may be paid to", common);
  add->add_option("--platform", (*o)["platform"], "platform id")->required();
  add->add_option("--id", (*o)["id"], "bank account id")->required();
  add->add_option("--holder", (*o)["holder"], "account holder")->required();
  add->add_option("--number", (*o)["number"], "account number (IBAN); stored masked")->required();
  add->add_option("--currency", (*o)["currency"], "ISO 4217 code")->required();
  add->callback([&ctl, common, o] {
    ctl.action = [common, o](Ctl& c) {
      return c.Execute(
          {{"add_bank_account",
            client::AddBankAccount((*o)["platform"], (*o)["id"], (*o)["holder"], (*o)["number"],
                                   (*o)["currency"], common->Options())}});
    };
  });
}

}  // namespace

void AddDirectoryCommands(CLI::App& app, Ctl& ctl) {
  AddOrganizationAndPlatform(app, ctl);
  AddUsersAndRoles(app, ctl);
  AddCredentials(app, ctl);
  AddBankAccounts(app, ctl);
}

}  // namespace ledger::ctl

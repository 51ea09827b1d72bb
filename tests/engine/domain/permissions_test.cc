// The permission matrix: every role (and an API key, and root) × every action × every
// situation, generated from the one table below (DESIGN.md's matrix, restated), evaluated by
// domain::Allowed() and by Ledger::Allowed() against a real directory, and compared.
#include "ledger/engine/domain/permissions.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "engine/domain/domain_testing.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

using domain::Action;
using domain::Principal;
using schema::Environment;
using schema::Role;

constexpr bool Y = true;
constexpr bool N = false;

/// DESIGN.md's role matrix, plus what only API keys record. Columns: admin, developer,
/// operator, sales, accountant, API key (on its own platform).
struct Row {
  Action action;
  bool admin, developer, operator_, sales, accountant, api_key;
};
constexpr Row kMatrix[] = {
    {Action::kViewPayments, Y, Y, Y, Y, N, Y},
    {Action::kCreatePaymentRequests, Y, Y, Y, Y, N, Y},
    {Action::kRefund, Y, Y, Y, N, N, Y},
    {Action::kRecordPaymentExecution, N, N, N, N, N, Y},
    {Action::kCreatePlatforms, Y, Y, N, N, N, N},
    {Action::kManageApiKeys, Y, Y, N, N, N, N},
    {Action::kAddBankAccounts, Y, N, N, N, N, N},
    {Action::kRequestWithdrawals, Y, N, N, N, N, N},
    {Action::kRecordWithdrawalOutcomes, N, N, N, N, N, Y},
    {Action::kManageUsers, Y, N, N, N, N, N},
    {Action::kViewReports, Y, N, N, N, Y, N},
};
constexpr Role kRoles[] = {Role::Admin, Role::Developer, Role::Operator, Role::Sales,
                           Role::Accountant};

bool RoleColumn(const Row& row, Role role) {
  switch (role) {
    case Role::Admin:
      return row.admin;
    case Role::Developer:
      return row.developer;
    case Role::Operator:
      return row.operator_;
    case Role::Sales:
      return row.sales;
    case Role::Accountant:
      return row.accountant;
    default:
      return false;
  }
}

/// Where the principal stands relative to the target. The directory built in the test:
/// organization "acme" with sandbox platforms "p1", "p2" and production "p3"; "globex"
/// with sandbox "g1". Targets are p1 (platform level) or acme (organization level).
enum class Situation {
  kListedPlatform,      // grant lists p1; target p1
  kAllPlatforms,        // grant covers all platforms; target p1
  kOtherPlatform,       // grant lists p2; target p1
  kOrganizationAll,     // grant covers all platforms; target acme itself
  kOrganizationListed,  // grant lists p1; target acme itself
  kOtherOrganization,   // grant (all platforms) in globex; target p1
  kOtherEnvironment,    // grant covers all platforms, connection in production; target p1
};
constexpr Situation kSituations[] = {Situation::kListedPlatform,     Situation::kAllPlatforms,
                                     Situation::kOtherPlatform,      Situation::kOrganizationAll,
                                     Situation::kOrganizationListed, Situation::kOtherOrganization,
                                     Situation::kOtherEnvironment};
constexpr const char* kSituationNames[] = {"listed",     "all",       "other-platform", "org-all",
                                           "org-listed", "other-org", "other-env"};

/// The expected answer, from the one table: a role's column applies only in scope.
bool Expected(const Row& row, Role role, Situation situation) {
  const bool in_scope = situation == Situation::kListedPlatform ||
                        situation == Situation::kAllPlatforms ||
                        situation == Situation::kOrganizationAll;
  return in_scope && RoleColumn(row, role);
}

struct Case {
  Principal principal;
  domain::Target target;
  domain::RoleGrant grant;  // In the target's organization; role Unspecified: none.
};

Case MakeCase(Role role, Situation situation, const std::string& user) {
  Case c;
  c.principal = Principal::User(user, Environment::Sandbox);
  c.target = domain::Target{"acme", "p1", Environment::Sandbox};
  c.grant = domain::RoleGrant{role, true, {}};
  switch (situation) {
    case Situation::kListedPlatform:
      c.grant = domain::RoleGrant{role, false, {"p1"}};
      break;
    case Situation::kAllPlatforms:
      break;
    case Situation::kOtherPlatform:
      c.grant = domain::RoleGrant{role, false, {"p2"}};
      break;
    case Situation::kOrganizationAll:
      c.target = domain::Target{"acme", "", Environment::Unspecified};
      break;
    case Situation::kOrganizationListed:
      c.target = domain::Target{"acme", "", Environment::Unspecified};
      c.grant = domain::RoleGrant{role, false, {"p1"}};
      break;
    case Situation::kOtherOrganization:
      c.grant.role = Role::Unspecified;  // The grant is in globex: none in acme.
      break;
    case Situation::kOtherEnvironment:
      c.principal.environment = Environment::Production;
      break;
  }
  return c;
}

TEST(PermissionMatrix, EveryRoleActionAndSituationMatchesTheTable) {
  int checked = 0;
  for (const Row& row : kMatrix) {
    for (Role role : kRoles) {
      for (std::size_t s = 0; s < std::size(kSituations); ++s) {
        Case c = MakeCase(role, kSituations[s], "u");
        const domain::RoleGrant* grant = c.grant.role == Role::Unspecified ? nullptr : &c.grant;
        EXPECT_EQ(domain::Allowed(c.principal, row.action, c.target, grant),
                  Expected(row, role, kSituations[s]))
            << domain::ActionName(row.action) << " " << domain::RoleName(role) << " "
            << kSituationNames[s];
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 11 * 5 * 7);
}

TEST(PermissionMatrix, ApiKeysActOnlyOnTheirPlatformAndEnvironment) {
  for (const Row& row : kMatrix) {
    const Principal key = Principal::ApiKey("k", "acme", "p1", Environment::Sandbox);
    const domain::Target own{"acme", "p1", Environment::Sandbox};
    EXPECT_EQ(domain::Allowed(key, row.action, own, nullptr), row.api_key)
        << domain::ActionName(row.action);
    EXPECT_FALSE(domain::Allowed(key, row.action, {"acme", "p2", Environment::Sandbox}, nullptr));
    EXPECT_FALSE(domain::Allowed(key, row.action, {"acme", "", Environment::Unspecified}, nullptr));
    EXPECT_FALSE(domain::Allowed(key, row.action, {"globex", "p1", Environment::Sandbox}, nullptr));
    Principal elsewhere = key;
    elsewhere.environment = Environment::Production;
    EXPECT_FALSE(domain::Allowed(elsewhere, row.action, own, nullptr));
    EXPECT_TRUE(domain::Allowed(Principal::Root(), row.action, own, nullptr));
  }
}

TEST(PermissionMatrix, DeniedByDefault) {
  const domain::RoleGrant unspecified{Role::Unspecified, true, {}};
  const domain::RoleGrant admin{Role::Admin, true, {}};
  for (const Row& row : kMatrix) {
    const Principal user = Principal::User("u", Environment::Sandbox);
    const domain::Target target{"acme", "p1", Environment::Sandbox};
    EXPECT_FALSE(domain::Allowed(user, row.action, target, nullptr));
    EXPECT_FALSE(domain::Allowed(user, row.action, target, &unspecified));
    EXPECT_FALSE(domain::Allowed(user, row.action, {"", "p1", Environment::Sandbox}, &admin));
  }
}

/// The same matrix through Ledger::Allowed(), against a directory built by commands.
TEST(PermissionMatrix, TheLedgerAgreesOnARealDirectory) {
  TempDir dir;
  std::unique_ptr<Ledger> ledger = OpenTestLedger(dir.Child("ledger"));
  ASSERT_NE(ledger, nullptr);
  std::vector<CommandRequest> setup;
  auto add = [&setup](domain::Command command) {
    setup.push_back(
        CommandRequest{Principal::Root(), std::move(command), {}, {}, {}, ExpectedVersion::Any()});
  };
  add(domain::CreateOrganization{"acme", "Acme"});
  add(domain::CreateOrganization{"globex", "Globex"});
  add(domain::CreatePlatform{"acme", "p1", "P1", Environment::Sandbox});
  add(domain::CreatePlatform{"acme", "p2", "P2", Environment::Sandbox});
  add(domain::CreatePlatform{"acme", "p3", "P3", Environment::Production});
  add(domain::CreatePlatform{"globex", "g1", "G1", Environment::Sandbox});
  add(domain::IssueApiKey{"p1", "k", Ledger::HashSecret("k")});
  std::map<std::pair<Role, Situation>, std::string> users;
  for (Role role : kRoles) {
    for (Situation situation : kSituations) {
      std::string user = "u" + std::to_string(users.size());
      users[{role, situation}] = user;
      add(domain::RegisterUser{user, user + "@test", user});
      Case c = MakeCase(role, situation, user);
      if (c.grant.role == Role::Unspecified) {
        add(domain::GrantRole{"globex", user, role, true, {}});
      } else {
        add(domain::GrantRole{"acme", user, role, c.grant.all_platforms, c.grant.platform_ids});
      }
    }
  }
  auto results = ledger->Execute(std::move(setup));
  ASSERT_TRUE(results.ok());
  for (const CommandResult& result : *results) ASSERT_TRUE(result.ok()) << result.message;

  for (const Row& row : kMatrix) {
    for (const auto& [key, user] : users) {
      const auto [role, situation] = key;
      Case c = MakeCase(role, situation, user);
      EXPECT_EQ(ledger->Allowed(c.principal, row.action, c.target), Expected(row, role, situation))
          << domain::ActionName(row.action) << " " << domain::RoleName(role) << " "
          << kSituationNames[static_cast<int>(situation)];
    }
    const Principal key = Principal::ApiKey("k", "acme", "p1", Environment::Sandbox);
    EXPECT_EQ(ledger->Allowed(key, row.action, {"acme", "p1", Environment::Unspecified}),
              row.api_key);
    EXPECT_FALSE(ledger->Allowed(key, row.action, {"acme", "p2", Environment::Unspecified}));
    // A platform is resolved in the organization named: p1 is not globex's.
    EXPECT_FALSE(ledger->Allowed(Principal::Root(), row.action, {"globex", "p1", {}}));
    EXPECT_TRUE(ledger->Allowed(Principal::Root(), row.action, {"acme", "p1", {}}));
  }
}

}  // namespace
}  // namespace ledger::testing

// Deciding the directory commands: organizations, platforms, users, roles, API keys, user
// tokens and bank accounts. Each function runs the steps of docs/domain.md in order.
#include <fmt/format.h>

#include <algorithm>

#include "domain/decide_internal.h"
#include "ledger/limits.h"

namespace ledger::domain::internal {
namespace {

using schema::Environment;

std::optional<Rejection> CheckRole(schema::Role role) {
  if (role >= schema::Role::Admin && role <= schema::Role::Accountant) return std::nullopt;
  return Reject(ResultCode::kRoleIsUnspecified,
                fmt::format("role {} is not admin, developer, operator, sales or accountant",
                            static_cast<int>(role)));
}

/// Removing or downgrading `current` must leave the organization an organization admin.
std::optional<Rejection> CheckAdminRemains(const OrganizationState& organization,
                                           std::string_view user_id, const RoleGrant* current,
                                           const RoleGrant* replacement) {
  const bool removes_admin = current != nullptr && current->IsOrganizationAdmin() &&
                             (replacement == nullptr || !replacement->IsOrganizationAdmin());
  if (!removes_admin || organization.organization_admins > 1) return std::nullopt;
  return Reject(
      ResultCode::kLastOrganizationAdminCannotBeRemoved,
      fmt::format("user '{}' is the last organization admin of '{}'", user_id, organization.id));
}

std::optional<Rejection> CheckAccountNumber(std::string_view number) {
  bool ok = number.size() >= limits::kAccountNumberBytesMin &&
            number.size() <= limits::kAccountNumberBytesMax;
  for (char c : number) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  if (ok) return std::nullopt;
  return Reject(ResultCode::kAccountNumberIsMalformed,
                fmt::format("an account number is {} to {} characters of A-Z and 0-9",
                            limits::kAccountNumberBytesMin, limits::kAccountNumberBytesMax));
}

}  // namespace

Decision DecideOne(const Context& context, const CreateOrganization& c) {
  if (auto r = CheckId("organization", c.organization_id)) return *r;
  if (auto r = CheckText("name", c.name)) return *r;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (context.access.principal().kind != PrincipalKind::kRoot) {
    return Reject(ResultCode::kActionIsNotPermitted,
                  fmt::format("{} may not create organizations: only root may",
                              context.access.principal().Actor()));
  }
  if (context.state.FindOrganization(c.organization_id) != nullptr) {
    return Reject(ResultCode::kOrganizationAlreadyExists,
                  fmt::format("organization '{}' already exists", c.organization_id));
  }
  return Accept(OrganizationCreated{c.organization_id, c.name}, 0, Environment::Unspecified,
                c.organization_id, {});
}

Decision DecideOne(const Context& context, const CreatePlatform& c) {
  if (auto r = CheckId("organization", c.organization_id)) return *r;
  if (auto r = CheckId("platform", c.platform_id)) return *r;
  if (auto r = CheckText("name", c.name)) return *r;
  if (c.environment != Environment::Sandbox && c.environment != Environment::Production) {
    return Reject(ResultCode::kEnvironmentIsNotSandboxOrProduction,
                  fmt::format("environment {} is neither sandbox nor production",
                              static_cast<int>(c.environment)));
  }
  const OrganizationState* organization = nullptr;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (auto r = context.access.ResolveOrganization(c.organization_id, &organization)) return *r;
  if (auto r = context.access.Require(Action::kCreatePlatforms, *organization, c.environment)) {
    return *r;
  }
  if (context.state.FindPlatform(c.platform_id) != nullptr) {
    return Reject(ResultCode::kPlatformAlreadyExists,
                  fmt::format("platform '{}' already exists", c.platform_id));
  }
  return Accept(PlatformCreated{c.organization_id, c.platform_id, c.name, c.environment}, 0,
                c.environment, c.organization_id, c.platform_id);
}

Decision DecideOne(const Context& context, const RegisterUser& c) {
  if (auto r = CheckId("user", c.user_id)) return *r;
  if (auto r = CheckText("email", c.email)) return *r;
  if (auto r = CheckText("name", c.display_name)) return *r;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (!context.access.IsAnyOrganizationAdmin()) {
    return Reject(ResultCode::kActionIsNotPermitted,
                  fmt::format("{} may not register users: only root and organization admins may",
                              context.access.principal().Actor()));
  }
  if (context.state.FindUser(c.user_id) != nullptr) {
    return Reject(ResultCode::kUserAlreadyExists,
                  fmt::format("user '{}' already exists", c.user_id));
  }
  return Accept(UserRegistered{c.user_id, c.email, c.display_name}, 0, Environment::Unspecified, {},
                {});
}

Decision DecideOne(const Context& context, const GrantRole& c) {
  if (auto r = CheckId("organization", c.organization_id)) return *r;
  if (auto r = CheckId("user", c.user_id)) return *r;
  if (auto r = CheckRole(c.role)) return *r;
  if (!c.all_platforms) {
    if (c.platform_ids.empty()) {
      return Reject(ResultCode::kRoleScopeIsEmpty,
                    "a role covers all platforms or a list of at least one platform");
    }
    if (c.platform_ids.size() > limits::kRoleScopePlatformsMax) {
      return Reject(ResultCode::kRoleScopeIsTooLarge,
                    fmt::format("a role lists at most {} platforms, not {}",
                                limits::kRoleScopePlatformsMax, c.platform_ids.size()));
    }
    for (const std::string& id : c.platform_ids) {
      if (auto r = CheckId("platform", id)) return *r;
    }
  }
  const OrganizationState* organization = nullptr;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (auto r = context.access.ResolveOrganization(c.organization_id, &organization)) return *r;
  if (auto r =
          context.access.Require(Action::kManageUsers, *organization, Environment::Unspecified)) {
    return *r;
  }
  if (context.state.FindUser(c.user_id) == nullptr) {
    return Reject(ResultCode::kUserNotFound, fmt::format("user '{}' not found", c.user_id));
  }
  RoleGrant grant{c.role, c.all_platforms, {}};
  if (!c.all_platforms) {
    for (const std::string& id : c.platform_ids) {
      const PlatformState* platform = context.state.FindPlatform(id);
      if (platform == nullptr ||
          context.state.organizations[platform->organization].id != c.organization_id) {
        return Reject(ResultCode::kPlatformNotFound, fmt::format("platform '{}' not found", id));
      }
      grant.platform_ids.push_back(id);
    }
    std::sort(grant.platform_ids.begin(), grant.platform_ids.end());
    grant.platform_ids.erase(std::unique(grant.platform_ids.begin(), grant.platform_ids.end()),
                             grant.platform_ids.end());
  }
  const RoleGrant* current = context.state.FindGrant(*organization, c.user_id);
  if (auto r = CheckAdminRemains(*organization, c.user_id, current, &grant)) return *r;
  return Accept(RoleGranted{c.organization_id, c.user_id, grant.role, grant.all_platforms,
                            std::move(grant.platform_ids)},
                organization->version, Environment::Unspecified, c.organization_id, {});
}

Decision DecideOne(const Context& context, const RevokeRole& c) {
  if (auto r = CheckId("organization", c.organization_id)) return *r;
  if (auto r = CheckId("user", c.user_id)) return *r;
  const OrganizationState* organization = nullptr;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (auto r = context.access.ResolveOrganization(c.organization_id, &organization)) return *r;
  if (auto r =
          context.access.Require(Action::kManageUsers, *organization, Environment::Unspecified)) {
    return *r;
  }
  if (context.state.FindUser(c.user_id) == nullptr) {
    return Reject(ResultCode::kUserNotFound, fmt::format("user '{}' not found", c.user_id));
  }
  const RoleGrant* current = context.state.FindGrant(*organization, c.user_id);
  if (current == nullptr) {
    return Reject(
        ResultCode::kUserHasNoRoleInOrganization,
        fmt::format("user '{}' has no role in organization '{}'", c.user_id, c.organization_id));
  }
  if (auto r = CheckAdminRemains(*organization, c.user_id, current, nullptr)) return *r;
  return Accept(RoleRevoked{c.organization_id, c.user_id, current->role}, organization->version,
                Environment::Unspecified, c.organization_id, {});
}

Decision DecideOne(const Context& context, const IssueApiKey& c) {
  if (auto r = CheckId("platform", c.platform_id)) return *r;
  if (auto r = CheckId("key", c.key_id)) return *r;
  const PlatformState* platform = nullptr;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (auto r = context.access.ResolvePlatform(c.platform_id, &platform)) return *r;
  if (auto r = context.access.Require(Action::kManageApiKeys, *platform)) return *r;
  if (context.state.api_keys.contains(c.key_id)) {
    return Reject(ResultCode::kApiKeyAlreadyExists,
                  fmt::format("API key '{}' already exists", c.key_id));
  }
  const std::string& organization = context.state.organizations[platform->organization].id;
  return AcceptOnPlatform(context.state,
                          ApiKeyIssued{organization, c.platform_id, c.key_id, c.secret_sha256},
                          platform->version, *platform);
}

Decision DecideOne(const Context& context, const RevokeApiKey& c) {
  if (auto r = CheckId("platform", c.platform_id)) return *r;
  if (auto r = CheckId("key", c.key_id)) return *r;
  const PlatformState* platform = nullptr;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (auto r = context.access.ResolvePlatform(c.platform_id, &platform)) return *r;
  if (auto r = context.access.Require(Action::kManageApiKeys, *platform)) return *r;
  auto key = context.state.api_keys.find(c.key_id);
  if (key == context.state.api_keys.end() ||
      key->second.owner != context.state.IndexOf(*platform)) {
    return Reject(ResultCode::kApiKeyNotFound,
                  fmt::format("API key '{}' not found on platform '{}'", c.key_id, c.platform_id));
  }
  if (!key->second.active) {
    return Reject(ResultCode::kApiKeyIsAlreadyRevoked,
                  fmt::format("API key '{}' is already revoked", c.key_id));
  }
  const std::string& organization = context.state.organizations[platform->organization].id;
  return AcceptOnPlatform(context.state, ApiKeyRevoked{organization, c.platform_id, c.key_id},
                          platform->version, *platform);
}

Decision DecideOne(const Context& context, const IssueUserToken& c) {
  if (auto r = CheckId("user", c.user_id)) return *r;
  if (auto r = CheckId("token", c.token_id)) return *r;
  if (auto r = context.access.CheckPrincipal()) return *r;
  const UserState* user = context.state.FindUser(c.user_id);
  if (user == nullptr) {
    return Reject(ResultCode::kUserNotFound, fmt::format("user '{}' not found", c.user_id));
  }
  if (!context.access.ManagesUser(*user)) {
    return Reject(ResultCode::kActionIsNotPermitted,
                  fmt::format("{} may not issue tokens to user '{}'",
                              context.access.principal().Actor(), c.user_id));
  }
  if (context.state.user_tokens.contains(c.token_id)) {
    return Reject(ResultCode::kUserTokenAlreadyExists,
                  fmt::format("user token '{}' already exists", c.token_id));
  }
  return Accept(UserTokenIssued{c.user_id, c.token_id, c.secret_sha256}, user->version,
                Environment::Unspecified, {}, {});
}

Decision DecideOne(const Context& context, const RevokeUserToken& c) {
  if (auto r = CheckId("user", c.user_id)) return *r;
  if (auto r = CheckId("token", c.token_id)) return *r;
  if (auto r = context.access.CheckPrincipal()) return *r;
  const UserState* user = context.state.FindUser(c.user_id);
  if (user == nullptr) {
    return Reject(ResultCode::kUserNotFound, fmt::format("user '{}' not found", c.user_id));
  }
  const Principal& principal = context.access.principal();
  const bool self = principal.kind == PrincipalKind::kUser && principal.id == c.user_id;
  if (!self && !context.access.ManagesUser(*user)) {
    return Reject(
        ResultCode::kActionIsNotPermitted,
        fmt::format("{} may not revoke tokens of user '{}'", principal.Actor(), c.user_id));
  }
  auto token = context.state.user_tokens.find(c.token_id);
  if (token == context.state.user_tokens.end() ||
      context.state.users[token->second.owner].id != c.user_id) {
    return Reject(ResultCode::kUserTokenNotFound,
                  fmt::format("user token '{}' of user '{}' not found", c.token_id, c.user_id));
  }
  if (!token->second.active) {
    return Reject(ResultCode::kUserTokenIsAlreadyRevoked,
                  fmt::format("user token '{}' is already revoked", c.token_id));
  }
  return Accept(UserTokenRevoked{c.user_id, c.token_id}, user->version, Environment::Unspecified,
                {}, {});
}

Decision DecideOne(const Context& context, const AddBankAccount& c) {
  if (auto r = CheckId("platform", c.platform_id)) return *r;
  if (auto r = CheckId("bank account", c.bank_account_id)) return *r;
  if (auto r = CheckText("holder name", c.holder_name)) return *r;
  if (auto r = CheckAccountNumber(c.account_number)) return *r;
  std::uint16_t currency = 0;
  if (auto r = CheckCurrency(c.currency, &currency)) return *r;
  const PlatformState* platform = nullptr;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (auto r = context.access.ResolvePlatform(c.platform_id, &platform)) return *r;
  if (auto r = context.access.Require(Action::kAddBankAccounts, *platform)) return *r;
  if (platform->bank_accounts.contains(c.bank_account_id)) {
    return Reject(ResultCode::kBankAccountAlreadyExists,
                  fmt::format("bank account '{}' already exists on platform '{}'",
                              c.bank_account_id, c.platform_id));
  }
  const std::string& organization = context.state.organizations[platform->organization].id;
  return AcceptOnPlatform(
      context.state,
      BankAccountAdded{organization, c.platform_id, c.bank_account_id, c.holder_name,
                       MaskAccountNumber(c.account_number), c.currency},
      platform->version, *platform);
}

}  // namespace ledger::domain::internal

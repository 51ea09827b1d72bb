// The Ledger's reads of the domain state, for the server: permissions, credentials, grants
// and balances, each under the state's shared lock.
#include <mutex>
#include <shared_mutex>

#include "domain/decide_internal.h"
#include "domain/ledger_impl.h"
#include "ledger/engine/domain/money.h"

namespace ledger {

bool Ledger::Allowed(const domain::Principal& principal, domain::Action action,
                     const domain::Target& target) const {
  std::shared_lock lock(impl_->state_mutex);
  const domain::State& state = impl_->state;
  if (domain::internal::Access(state, principal).CheckPrincipal()) return false;
  const domain::OrganizationState* organization = state.FindOrganization(target.organization);
  if (organization == nullptr) return false;
  domain::Target resolved = target;
  if (!target.platform.empty()) {
    const domain::PlatformState* platform = state.FindPlatform(target.platform);
    if (platform == nullptr || state.organizations[platform->organization].id != organization->id) {
      return false;
    }
    resolved.environment = platform->environment;
  }
  const domain::RoleGrant* grant = principal.kind == domain::PrincipalKind::kUser
                                       ? state.FindGrant(*organization, principal.id)
                                       : nullptr;
  return domain::Allowed(principal, action, resolved, grant);
}

std::optional<schema::Environment> Ledger::PlatformEnvironment(std::string_view organization_id,
                                                               std::string_view platform_id) const {
  std::shared_lock lock(impl_->state_mutex);
  const domain::State& state = impl_->state;
  const domain::PlatformState* platform = state.FindPlatform(platform_id);
  if (platform == nullptr || state.organizations[platform->organization].id != organization_id) {
    return std::nullopt;
  }
  return platform->environment;
}

std::optional<CredentialInfo> Ledger::FindApiKey(std::string_view key_id) const {
  std::shared_lock lock(impl_->state_mutex);
  const domain::State& state = impl_->state;
  auto it = state.api_keys.find(key_id);
  if (it == state.api_keys.end()) return std::nullopt;
  const domain::PlatformState& platform = state.platforms[it->second.owner];
  CredentialInfo info;
  info.id = key_id;
  info.organization = state.organizations[platform.organization].id;
  info.platform = platform.id;
  info.environment = platform.environment;
  info.secret_sha256 = it->second.secret_sha256;
  info.active = it->second.active;
  return info;
}

std::optional<CredentialInfo> Ledger::FindUserToken(std::string_view token_id) const {
  std::shared_lock lock(impl_->state_mutex);
  const domain::State& state = impl_->state;
  auto it = state.user_tokens.find(token_id);
  if (it == state.user_tokens.end()) return std::nullopt;
  CredentialInfo info;
  info.id = token_id;
  info.user = state.users[it->second.owner].id;
  info.secret_sha256 = it->second.secret_sha256;
  info.active = it->second.active;
  return info;
}

std::optional<domain::RoleGrant> Ledger::FindGrant(std::string_view organization_id,
                                                   std::string_view user_id) const {
  std::shared_lock lock(impl_->state_mutex);
  const domain::OrganizationState* organization = impl_->state.FindOrganization(organization_id);
  if (organization == nullptr) return std::nullopt;
  const domain::RoleGrant* grant = impl_->state.FindGrant(*organization, user_id);
  if (grant == nullptr) return std::nullopt;
  return *grant;
}

std::optional<std::int64_t> Ledger::AvailableBalance(std::string_view platform_id,
                                                     std::string_view currency) const {
  std::shared_lock lock(impl_->state_mutex);
  const domain::State& state = impl_->state;
  const domain::PlatformState* platform = state.FindPlatform(platform_id);
  const domain::CurrencyInfo* info = domain::FindCurrency(currency);
  if (platform == nullptr || info == nullptr) return std::nullopt;
  const domain::WalletState* wallet = state.FindWallet(state.IndexOf(*platform), info->index);
  return wallet == nullptr ? 0 : wallet->balance_minor;
}

}  // namespace ledger

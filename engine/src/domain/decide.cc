// Decide(): the dispatcher, and the checks every command shares (steps 1 and 2).
#include "domain/decide.h"

#include <fmt/format.h>

#include "domain/decide_internal.h"
#include "ledger/engine/domain/money.h"
#include "ledger/limits.h"

namespace ledger::domain {
namespace internal {

Rejection Reject(ResultCode code, std::string message) { return {code, std::move(message)}; }

std::optional<Rejection> CheckId(std::string_view what, std::string_view id) {
  if (IsValidId(id)) return std::nullopt;
  return Reject(ResultCode::kIdIsMalformed,
                fmt::format("{} id '{}' must be 1 to {} bytes of A-Z a-z 0-9 _ . : -", what,
                            id.substr(0, limits::kIdBytesMax + 1), limits::kIdBytesMax));
}

std::optional<Rejection> CheckText(std::string_view what, std::string_view text) {
  if (text.size() <= limits::kTextBytesMax) return std::nullopt;
  return Reject(ResultCode::kTextIsTooLong, fmt::format("{} is {} bytes, more than {}", what,
                                                        text.size(), limits::kTextBytesMax));
}

std::optional<Rejection> CheckAmount(std::int64_t amount_minor) {
  if (amount_minor > 0) return std::nullopt;
  return Reject(ResultCode::kAmountIsNotPositive,
                fmt::format("amount must be strictly positive, not {}", amount_minor));
}

std::optional<Rejection> CheckCurrency(std::string_view code, std::uint16_t* index) {
  const CurrencyInfo* currency = FindCurrency(code);
  if (currency != nullptr) {
    *index = currency->index;
    return std::nullopt;
  }
  return Reject(
      ResultCode::kCurrencyIsUnknown,
      fmt::format("currency '{}' is not an ISO 4217 code with a minor unit", code.substr(0, 8)));
}

std::optional<Rejection> CheckPostingsFit(const State& state, const Event& event,
                                          std::uint32_t platform, std::uint16_t currency,
                                          std::string_view what) {
  for (const Posting& posting : PostingsOf(event)) {
    for (const auto& [account, sign] : {std::pair{posting.from, -1}, std::pair{posting.to, 1}}) {
      const std::int64_t balance = state.BalanceOf(platform, currency, account);
      std::int64_t after = 0;
      if (sign > 0 ? CheckedAdd(balance, posting.amount_minor, &after)
                   : CheckedSubtract(balance, posting.amount_minor, &after)) {
        continue;
      }
      return Reject(
          ResultCode::kBalanceWouldOverflow,
          fmt::format("{} of {} would take {} past the int64 range", what,
                      FormatMoney(posting.amount_minor, posting.currency), account.Name()));
    }
  }
  return std::nullopt;
}

std::optional<Rejection> Access::CheckPrincipal() const {
  bool known = false;
  switch (principal_.kind) {
    case PrincipalKind::kRoot:
      known = true;
      break;
    case PrincipalKind::kUser:
      known = state_.FindUser(principal_.id) != nullptr;
      break;
    case PrincipalKind::kApiKey: {
      auto key = state_.api_keys.find(principal_.id);
      if (key == state_.api_keys.end() || !key->second.active) break;
      const PlatformState& platform = state_.platforms[key->second.owner];
      known = platform.id == principal_.platform &&
              state_.organizations[platform.organization].id == principal_.organization &&
              platform.environment == principal_.key_environment;
      break;
    }
  }
  if (known) return std::nullopt;
  return Reject(ResultCode::kPrincipalIsUnknown,
                fmt::format("{} is not an active credential", principal_.Actor()));
}

const RoleGrant* Access::GrantIn(const OrganizationState& organization) const {
  if (principal_.kind != PrincipalKind::kUser) return nullptr;
  return state_.FindGrant(organization, principal_.id);
}

bool Access::Sees(const OrganizationState& organization) const {
  switch (principal_.kind) {
    case PrincipalKind::kRoot:
      return true;
    case PrincipalKind::kUser:
      return GrantIn(organization) != nullptr;
    case PrincipalKind::kApiKey:
      return organization.id == principal_.organization;
  }
  return false;
}

std::optional<Rejection> Access::ResolveOrganization(std::string_view id,
                                                     const OrganizationState** out) const {
  const OrganizationState* organization = state_.FindOrganization(id);
  if (organization != nullptr && Sees(*organization)) {
    *out = organization;
    return std::nullopt;
  }
  return Reject(ResultCode::kOrganizationNotFound, fmt::format("organization '{}' not found", id));
}

std::optional<Rejection> Access::ResolvePlatform(std::string_view id,
                                                 const PlatformState** out) const {
  const PlatformState* platform = state_.FindPlatform(id);
  bool visible = false;
  if (platform != nullptr) {
    const OrganizationState& organization = state_.organizations[platform->organization];
    switch (principal_.kind) {
      case PrincipalKind::kRoot:
        visible = true;
        break;
      case PrincipalKind::kUser:
        visible = Sees(organization) && platform->environment == principal_.environment;
        break;
      case PrincipalKind::kApiKey:
        visible = platform->id == principal_.platform;
        break;
    }
  }
  if (visible) {
    *out = platform;
    return std::nullopt;
  }
  return Reject(ResultCode::kPlatformNotFound, fmt::format("platform '{}' not found", id));
}

std::optional<Rejection> Access::Require(Action action, const OrganizationState& organization,
                                         schema::Environment environment) const {
  Target target{organization.id, {}, environment};
  if (Allowed(principal_, action, target, GrantIn(organization))) return std::nullopt;
  return Reject(ResultCode::kActionIsNotPermitted,
                fmt::format("{} may not {} in organization '{}'", principal_.Actor(),
                            ActionName(action), organization.id));
}

std::optional<Rejection> Access::Require(Action action, const PlatformState& platform) const {
  const OrganizationState& organization = state_.organizations[platform.organization];
  Target target{organization.id, platform.id, platform.environment};
  if (Allowed(principal_, action, target, GrantIn(organization))) return std::nullopt;
  return Reject(ResultCode::kActionIsNotPermitted,
                fmt::format("{} may not {} on platform '{}'", principal_.Actor(),
                            ActionName(action), platform.id));
}

bool Access::ManagesUser(const UserState& user) const {
  if (principal_.kind == PrincipalKind::kRoot) return true;
  for (std::uint32_t index : user.organizations) {
    const OrganizationState& organization = state_.organizations[index];
    Target target{organization.id, {}, schema::Environment::Unspecified};
    if (Allowed(principal_, Action::kManageUsers, target, GrantIn(organization))) return true;
  }
  return false;
}

bool Access::IsAnyOrganizationAdmin() const {
  if (principal_.kind == PrincipalKind::kRoot) return true;
  if (principal_.kind != PrincipalKind::kUser) return false;
  const UserState* user = state_.FindUser(principal_.id);
  if (user == nullptr) return false;
  for (std::uint32_t index : user->organizations) {
    const RoleGrant* grant = GrantIn(state_.organizations[index]);
    if (grant != nullptr && grant->IsOrganizationAdmin()) return true;
  }
  return false;
}

Decision Accept(Event event, std::uint32_t current_version, schema::Environment environment,
                std::string_view organization, std::string_view platform) {
  Decision decision;
  decision.stream = StreamOf(event);
  decision.event = std::move(event);
  decision.current_version = StreamVersion{current_version};
  decision.environment = environment;
  decision.organization = organization;
  decision.platform = platform;
  return decision;
}

Decision AcceptOnPlatform(const State& state, Event event, std::uint32_t current_version,
                          const PlatformState& platform) {
  return Accept(std::move(event), current_version, platform.environment,
                state.organizations[platform.organization].id, platform.id);
}

}  // namespace internal

std::string OperationClaim(std::string_view platform_id, std::string_view operation_id) {
  return fmt::format("op/{}/{}", platform_id, operation_id);
}

std::string TransactionClaim(std::string_view platform_id, std::string_view transaction_id) {
  return fmt::format("tx/{}/{}", platform_id, transaction_id);
}

Decision Decide(const State& state, const Claims& claims, const Principal& principal,
                const Command& command) {
  internal::Context context{state, claims, internal::Access(state, principal)};
  return std::visit([&context](const auto& c) { return internal::DecideOne(context, c); }, command);
}

std::optional<Rejection> CheckScopeVisible(const State& state, const Principal& principal,
                                           const Command& command) {
  internal::Access access(state, principal);
  if (auto rejected = access.CheckPrincipal()) return rejected;
  return std::visit(
      [&](const auto& c) -> std::optional<Rejection> {
        using C = std::decay_t<decltype(c)>;
        if constexpr (requires { c.platform_id; } && !std::is_same_v<C, CreatePlatform>) {
          const PlatformState* platform = nullptr;
          if (!IsValidId(c.platform_id)) return internal::CheckId("platform", c.platform_id);
          return access.ResolvePlatform(c.platform_id, &platform);
        } else if constexpr (requires { c.organization_id; } &&
                             !std::is_same_v<C, CreateOrganization>) {
          const OrganizationState* organization = nullptr;
          if (!IsValidId(c.organization_id)) {
            return internal::CheckId("organization", c.organization_id);
          }
          return access.ResolveOrganization(c.organization_id, &organization);
        } else {
          return std::nullopt;
        }
      },
      command);
}

}  // namespace ledger::domain

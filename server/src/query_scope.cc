#include "query_scope.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/limits.h"

namespace ledger::server {

using schema::Environment;

Result<Environment> ResolveEnvironment(const domain::Principal& principal, Environment requested) {
  if (principal.environment != Environment::Unspecified) {
    if (requested != Environment::Unspecified && requested != principal.environment) {
      return Status::NotFound("nothing of another environment is visible on this connection");
    }
    return principal.environment;
  }
  if (requested == Environment::Sandbox || requested == Environment::Production) {
    return requested;
  }
  return Status::InvalidArgument("choose the sandbox or the production environment");
}

PlatformEnvironmentLookup PlatformEnvironmentsOf(const Ledger& ledger) {
  return [&ledger](std::string_view organization_id, std::string_view platform_id) {
    return ledger.PlatformEnvironment(organization_id, platform_id);
  };
}

Result<projections::Scope> ResolveScope(const PlatformEnvironmentLookup& platform_environment,
                                        const domain::Principal& principal, Environment requested,
                                        std::string organization_id, std::string platform_id) {
  if (principal.environment == Environment::Unspecified && requested == Environment::Unspecified &&
      !organization_id.empty() && !platform_id.empty()) {
    auto found = platform_environment(organization_id, platform_id);
    if (!found) {
      return Status::NotFound(fmt::format("no organization or platform '{}' here", platform_id));
    }
    requested = *found;
  }
  auto environment = ResolveEnvironment(principal, requested);
  if (!environment.ok()) return environment.status();
  if (principal.kind == domain::PrincipalKind::kApiKey) {
    if (organization_id.empty()) organization_id = principal.organization;
    if (platform_id.empty()) platform_id = principal.platform;
  }
  if (organization_id.empty()) return Status::InvalidArgument("name an organization");
  return projections::Scope{*environment, std::move(organization_id), std::move(platform_id)};
}

projections::QueryOptions Freshness(std::uint64_t min_sequence, std::uint32_t wait_ms) {
  projections::QueryOptions options;
  options.min_sequence = SequenceNumber{min_sequence};
  options.wait =
      std::chrono::milliseconds(std::min<std::int64_t>(wait_ms, limits::kQueryWaitMsMax));
  return options;
}

projections::QueryOptions AfterTheWait(projections::QueryOptions freshness, bool reached) {
  if (!reached) freshness.wait = std::chrono::milliseconds(0);
  return freshness;
}

}  // namespace ledger::server

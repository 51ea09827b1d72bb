#include "access.h"

namespace ledger::server {
namespace {

bool SeesOrganization(const Ledger& ledger, const domain::Principal& principal,
                      const domain::Target& target) {
  switch (principal.kind) {
    case domain::PrincipalKind::kRoot:
      return true;
    case domain::PrincipalKind::kUser:
      return ledger.FindGrant(target.organization, principal.id).has_value();
    case domain::PrincipalKind::kApiKey:
      // A key sees its own platform only.
      return target.organization == principal.organization &&
             (target.platform.empty() || target.platform == principal.platform);
  }
  return false;
}

}  // namespace

Access CheckAccess(const Ledger& ledger, const domain::Principal& principal,
                   std::span<const domain::Action> actions, const domain::Target& target,
                   const std::function<bool()>& target_exists) {
  for (domain::Action action : actions) {
    if (ledger.Allowed(principal, action, target)) return Access::kAllowed;
  }
  if (!SeesOrganization(ledger, principal, target)) return Access::kNotFound;
  return target_exists() ? Access::kForbidden : Access::kNotFound;
}

}  // namespace ledger::server

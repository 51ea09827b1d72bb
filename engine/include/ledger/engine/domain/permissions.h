// Who may do what: the role matrix of DESIGN.md as one pure function, Allowed().
//
// Deny by default. A decision depends only on the principal, the action, the target
// (organization, platform, environment) and the principal's role grant in the target's
// organization, so the domain (for commands) and the server (for reads) evaluate the very
// same function. Ledger::Allowed() looks the grant up in current state and calls it.
//
// Rules, in the order they are applied:
//   1. root may do everything;
//   2. an environment-bound target (a platform, or a per-environment organization view) is
//      refused to a connection bound to the other environment;
//   3. an API key acts only on its own platform, in its own environment, with the actions
//      of ApiKeyPermits();
//   4. a user acts through their grant in the target's organization: the role must permit
//      the action (RolePermits) and the scope must cover the target. An organization-level
//      target (no platform: creating platforms, managing users, organization reports) is
//      covered only by a grant to all platforms, i.e. an organization admin, developer...
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/engine/domain/principal.h"
#include "ledger/schema/common_generated.h"

namespace ledger::domain {

/// One row of the permission matrix (plus the two things only API keys record).
enum class Action : std::uint8_t {
  /// Orders, transactions, operations: reads.
  kViewPayments = 0,
  /// Open (create) and cancel orders.
  kCreatePaymentRequests = 1,
  /// Record a refund operation.
  kRefund = 2,
  /// Record transactions and every operation but refunds: the processor's facts.
  kRecordPaymentExecution = 3,
  kCreatePlatforms = 4,
  /// Issue and revoke platform API keys.
  kManageApiKeys = 5,
  kAddBankAccounts = 6,
  kRequestWithdrawals = 7,
  /// Settle or fail a requested withdrawal: the bank's facts.
  kRecordWithdrawalOutcomes = 8,
  /// Grant and revoke roles, issue and revoke user tokens, register users.
  kManageUsers = 9,
  /// Reports and exports: payments, disbursements, journal.
  kViewReports = 10,
};

inline constexpr std::array kAllActions = {
    Action::kViewPayments,
    Action::kCreatePaymentRequests,
    Action::kRefund,
    Action::kRecordPaymentExecution,
    Action::kCreatePlatforms,
    Action::kManageApiKeys,
    Action::kAddBankAccounts,
    Action::kRequestWithdrawals,
    Action::kRecordWithdrawalOutcomes,
    Action::kManageUsers,
    Action::kViewReports,
};

/// "view_payments", "create_payment_requests", ...
std::string_view ActionName(Action action);

/// A user's role in one organization and the platforms it covers.
struct RoleGrant {
  schema::Role role = schema::Role::Unspecified;
  bool all_platforms = false;
  /// Sorted, without duplicates; empty when all_platforms.
  std::vector<std::string> platform_ids;

  /// True when the grant covers `platform_id` (every platform when all_platforms).
  bool Covers(std::string_view platform_id) const;
  /// An admin of all platforms: the only grant that manages users.
  bool IsOrganizationAdmin() const { return role == schema::Role::Admin && all_platforms; }
  bool operator==(const RoleGrant&) const = default;
};

/// What an action is on. An empty platform makes it an organization-level target.
struct Target {
  std::string_view organization;
  std::string_view platform;
  /// The platform's environment, or the environment of an organization view; Unspecified
  /// for targets that belong to no environment (roles, users, tokens).
  schema::Environment environment = schema::Environment::Unspecified;
};

/// The role matrix of DESIGN.md: may a user holding `role` perform `action` (in scope)?
bool RolePermits(schema::Role role, Action action);
/// What a platform API key may do on its own platform.
bool ApiKeyPermits(Action action);

/// May `principal` perform `action` on `target`? `grant` is the principal's grant in
/// target.organization (nullptr when it has none, and for root and API keys).
bool Allowed(const Principal& principal, Action action, const Target& target,
             const RoleGrant* grant);

}  // namespace ledger::domain

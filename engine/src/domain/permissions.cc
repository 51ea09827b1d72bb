#include "ledger/engine/domain/permissions.h"

#include <algorithm>

namespace ledger::domain {

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kViewPayments:
      return "view_payments";
    case Action::kCreatePaymentRequests:
      return "create_payment_requests";
    case Action::kRefund:
      return "refund";
    case Action::kRecordPaymentExecution:
      return "record_payment_execution";
    case Action::kCreatePlatforms:
      return "create_platforms";
    case Action::kManageApiKeys:
      return "manage_api_keys";
    case Action::kAddBankAccounts:
      return "add_bank_accounts";
    case Action::kRequestWithdrawals:
      return "request_withdrawals";
    case Action::kRecordWithdrawalOutcomes:
      return "record_withdrawal_outcomes";
    case Action::kManageUsers:
      return "manage_users";
    case Action::kViewReports:
      return "view_reports";
  }
  return "unknown";
}

bool RoleGrant::Covers(std::string_view platform_id) const {
  return all_platforms ||
         std::binary_search(platform_ids.begin(), platform_ids.end(), platform_id,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

bool RolePermits(schema::Role role, Action action) {
  using schema::Role;
  switch (action) {
    case Action::kViewPayments:
    case Action::kCreatePaymentRequests:
      return role == Role::Admin || role == Role::Developer || role == Role::Operator ||
             role == Role::Sales;
    case Action::kRefund:
      return role == Role::Admin || role == Role::Developer || role == Role::Operator;
    case Action::kCreatePlatforms:
    case Action::kManageApiKeys:
      return role == Role::Admin || role == Role::Developer;
    case Action::kAddBankAccounts:
    case Action::kRequestWithdrawals:
    case Action::kManageUsers:
      return role == Role::Admin;
    case Action::kViewReports:
      return role == Role::Admin || role == Role::Accountant;
    case Action::kRecordPaymentExecution:
    case Action::kRecordWithdrawalOutcomes:
      return false;  // Facts from the processor and the bank: API keys only.
  }
  return false;
}

bool ApiKeyPermits(Action action) {
  switch (action) {
    case Action::kViewPayments:
    case Action::kCreatePaymentRequests:
    case Action::kRefund:
    case Action::kRecordPaymentExecution:
    case Action::kRecordWithdrawalOutcomes:
      return true;
    case Action::kCreatePlatforms:
    case Action::kManageApiKeys:
    case Action::kAddBankAccounts:
    case Action::kRequestWithdrawals:
    case Action::kManageUsers:
    case Action::kViewReports:
      return false;
  }
  return false;
}

bool Allowed(const Principal& principal, Action action, const Target& target,
             const RoleGrant* grant) {
  if (principal.kind == PrincipalKind::kRoot) return true;
  if (target.organization.empty()) return false;
  if (target.environment != schema::Environment::Unspecified &&
      target.environment != principal.environment) {
    return false;
  }
  switch (principal.kind) {
    case PrincipalKind::kApiKey:
      return principal.key_environment == principal.environment &&
             principal.environment != schema::Environment::Unspecified &&
             !target.platform.empty() && target.organization == principal.organization &&
             target.platform == principal.platform && ApiKeyPermits(action);
    case PrincipalKind::kUser:
      if (grant == nullptr || !RolePermits(grant->role, action)) return false;
      return target.platform.empty() ? grant->all_platforms : grant->Covers(target.platform);
    case PrincipalKind::kRoot:
      break;
  }
  return false;
}

}  // namespace ledger::domain

// The reference model's operations and withdrawals.
#include <algorithm>

#include "engine/domain/reference_model.h"

namespace ledger::testing {
namespace {

using domain::Action;
using domain::ResultCode;
using schema::OperationKind;
using schema::OperationOutcome;

bool IdOk(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' ||
           c == '-';
  });
}

bool CurrencyOk(const std::string& c) { return c == "EUR" || c == "JPY" || c == "KWD"; }

std::string Join(const std::string& a, const std::string& b) { return a + "/" + b; }

}  // namespace

ResultCode ReferenceModel::OperationState(const domain::RecordOperation& c,
                                          const Transaction& t) const {
  if (c.kind == OperationKind::Fee) return Code::kAccepted;
  if (t.status == Status::kFailed) return Code::kTransactionIsFailed;
  if (t.status == Status::kCancelled) return Code::kTransactionIsCancelled;
  const bool captured = t.status == Status::kCaptured;
  switch (c.kind) {
    case OperationKind::Authorization:
      return captured ? Code::kAuthorizationAfterCapture : Code::kAccepted;
    case OperationKind::Capture:
      return t.status == Status::kPending ? Code::kCaptureBeforeAuthorization : Code::kAccepted;
    case OperationKind::Cancellation:
      return captured ? Code::kCancellationAfterCapture : Code::kAccepted;
    case OperationKind::Refund:
      return captured ? Code::kAccepted : Code::kRefundBeforeCapture;
    case OperationKind::Chargeback:
      return captured ? Code::kAccepted : Code::kChargebackBeforeCapture;
    default:
      return Code::kAccepted;
  }
}

ResultCode ReferenceModel::OperationMoney(const domain::RecordOperation& c, const Transaction& t,
                                          const Order& order) const {
  const std::int64_t a = c.amount_minor;
  const std::int64_t wallet = Wallet(order.platform, order.currency);
  switch (c.kind) {
    case OperationKind::Authorization:
      return a > t.amount - t.authorized ? Code::kAuthorizationExceedsTransaction : Code::kAccepted;
    case OperationKind::Capture:
      if (a > t.authorized - t.captured) return Code::kCaptureExceedsAuthorized;
      return wallet > 0 && a > INT64_MAX - wallet ? Code::kBalanceWouldOverflow : Code::kAccepted;
    case OperationKind::Cancellation:
      return a > t.amount ? Code::kCancellationExceedsTransaction : Code::kAccepted;
    case OperationKind::Refund:
      if (a > t.captured - t.reversed) return Code::kRefundExceedsCaptured;
      return a > wallet ? Code::kRefundExceedsWalletBalance : Code::kAccepted;
    case OperationKind::Chargeback:
      if (a > t.captured - t.reversed) return Code::kChargebackExceedsCaptured;
      return wallet < INT64_MIN + a ? Code::kBalanceWouldOverflow : Code::kAccepted;
    case OperationKind::Fee:
      if (a > t.amount - t.fees) return Code::kFeesExceedTransactionAmount;
      return wallet < INT64_MIN + a ? Code::kBalanceWouldOverflow : Code::kAccepted;
    default:
      return Code::kAccepted;
  }
}

void ReferenceModel::ApplyOperation(const domain::RecordOperation& c, Transaction& t,
                                    Order& order) {
  std::int64_t& wallet = wallets_[Join(order.platform, order.currency)];
  const std::int64_t a = c.amount_minor;
  if (c.outcome == OperationOutcome::Failed) {
    if (c.kind == OperationKind::Authorization && t.status == Status::kPending) {
      t.status = Status::kFailed;
      order.committed -= t.amount;
    }
    return;
  }
  switch (c.kind) {
    case OperationKind::Authorization:
      t.authorized += a;
      if (t.status == Status::kPending) t.status = Status::kAuthorized;
      break;
    case OperationKind::Capture:
      t.captured += a;
      t.status = Status::kCaptured;
      wallet += a;
      break;
    case OperationKind::Cancellation:
      t.status = Status::kCancelled;
      order.committed -= t.amount;
      break;
    case OperationKind::Refund:
    case OperationKind::Chargeback:
      t.reversed += a;
      wallet -= a;
      break;
    case OperationKind::Fee:
      t.fees += a;
      wallet -= a;
      break;
    default:
      break;
  }
}

ResultCode ReferenceModel::Do(const Principal& p, const domain::RecordOperation& c) {
  for (const std::string* id : {&c.platform_id, &c.order_id, &c.transaction_id, &c.operation_id}) {
    if (!IdOk(*id)) return Code::kIdIsMalformed;
  }
  if (c.kind < OperationKind::Authorization || c.kind > OperationKind::Fee) {
    return Code::kOperationKindIsUnspecified;
  }
  if (c.outcome != OperationOutcome::Succeeded && c.outcome != OperationOutcome::Failed) {
    return Code::kOperationOutcomeIsUnspecified;
  }
  if (c.amount_minor <= 0) return Code::kAmountIsNotPositive;
  if (!c.currency.empty() && !CurrencyOk(c.currency)) return Code::kCurrencyIsUnknown;
  if (c.occurred_at_us <= 0) return Code::kOccurredAtIsNotPositive;
  const Action action =
      c.kind == OperationKind::Refund ? Action::kRefund : Action::kRecordPaymentExecution;
  if (auto r = OnPlatform(p, c.platform_id, action)) return *r;
  const std::string order_key = Join(c.platform_id, c.order_id);
  auto order = orders_.find(order_key);
  if (order == orders_.end()) return Code::kOrderNotFound;
  auto transaction = transactions_.find(Join(c.platform_id, c.transaction_id));
  if (transaction == transactions_.end() || transaction->second.order != order_key) {
    return Code::kTransactionNotFound;
  }
  const std::string operation_key = Join(c.platform_id, c.operation_id);
  if (operations_.contains(operation_key)) return Code::kOperationAlreadyExists;
  if (!c.currency.empty() && c.currency != order->second.currency) {
    return Code::kCurrencyDiffersFromOrder;
  }
  if (Code state = OperationState(c, transaction->second); state != Code::kAccepted) return state;
  if (c.outcome == OperationOutcome::Succeeded) {
    Code money = OperationMoney(c, transaction->second, order->second);
    if (money != Code::kAccepted) return money;
  }
  operations_.insert(operation_key);
  ApplyOperation(c, transaction->second, order->second);
  return Code::kAccepted;
}

ResultCode ReferenceModel::Do(const Principal& p, const domain::RequestWithdrawal& c) {
  if (!IdOk(c.platform_id) || !IdOk(c.withdrawal_id) || !IdOk(c.bank_account_id)) {
    return Code::kIdIsMalformed;
  }
  if (c.amount_minor <= 0) return Code::kAmountIsNotPositive;
  if (!CurrencyOk(c.currency)) return Code::kCurrencyIsUnknown;
  if (auto r = OnPlatform(p, c.platform_id, Action::kRequestWithdrawals)) return *r;
  const auto& accounts = platforms_.at(c.platform_id).bank_accounts;
  auto account = accounts.find(c.bank_account_id);
  if (account == accounts.end()) return Code::kBankAccountNotFound;
  const std::string key = Join(c.platform_id, c.withdrawal_id);
  if (withdrawals_.contains(key)) return Code::kWithdrawalAlreadyExists;
  if (account->second != c.currency) return Code::kCurrencyDiffersFromBankAccount;
  std::int64_t& wallet = wallets_[Join(c.platform_id, c.currency)];
  if (c.amount_minor > wallet) return Code::kWithdrawalExceedsWalletBalance;
  wallet -= c.amount_minor;
  withdrawals_[key] = Withdrawal{c.currency, c.amount_minor, 0};
  return Code::kAccepted;
}

ResultCode ReferenceModel::Do(const Principal& p, const domain::SettleWithdrawal& c) {
  if (!IdOk(c.platform_id) || !IdOk(c.withdrawal_id)) return Code::kIdIsMalformed;
  if (auto r = OnPlatform(p, c.platform_id, Action::kRecordWithdrawalOutcomes)) return *r;
  auto withdrawal = withdrawals_.find(Join(c.platform_id, c.withdrawal_id));
  if (withdrawal == withdrawals_.end()) return Code::kWithdrawalNotFound;
  if (withdrawal->second.state == 1) return Code::kWithdrawalIsAlreadySettled;
  if (withdrawal->second.state == 2) return Code::kWithdrawalIsAlreadyFailed;
  withdrawal->second.state = 1;
  return Code::kAccepted;
}

ResultCode ReferenceModel::Do(const Principal& p, const domain::FailWithdrawal& c) {
  if (!IdOk(c.platform_id) || !IdOk(c.withdrawal_id)) return Code::kIdIsMalformed;
  if (auto r = OnPlatform(p, c.platform_id, Action::kRecordWithdrawalOutcomes)) return *r;
  auto withdrawal = withdrawals_.find(Join(c.platform_id, c.withdrawal_id));
  if (withdrawal == withdrawals_.end()) return Code::kWithdrawalNotFound;
  if (withdrawal->second.state == 1) return Code::kWithdrawalIsAlreadySettled;
  if (withdrawal->second.state == 2) return Code::kWithdrawalIsAlreadyFailed;
  withdrawal->second.state = 2;
  wallets_[Join(c.platform_id, withdrawal->second.currency)] += withdrawal->second.amount;
  return Code::kAccepted;
}

// ---- Directory ----------------------------------------------------------------------------

ResultCode ReferenceModel::Do(const Principal& p, const domain::GrantRole& c) {
  if (!IdOk(c.organization_id) || !IdOk(c.user_id)) return Code::kIdIsMalformed;
  if (c.role < schema::Role::Admin || c.role > schema::Role::Accountant) {
    return Code::kRoleIsUnspecified;
  }
  if (!c.all_platforms && c.platform_ids.empty()) return Code::kRoleScopeIsEmpty;
  if (!c.all_platforms && c.platform_ids.size() > 64) return Code::kRoleScopeIsTooLarge;
  if (!c.all_platforms) {
    for (const std::string& id : c.platform_ids) {
      if (!IdOk(id)) return Code::kIdIsMalformed;
    }
  }
  if (!Known(p)) return Code::kPrincipalIsUnknown;
  if (!SeesOrganization(p, c.organization_id)) return Code::kOrganizationNotFound;
  if (!May(p, Action::kManageUsers, c.organization_id, "", schema::Environment::Unspecified)) {
    return Code::kActionIsNotPermitted;
  }
  if (!users_.contains(c.user_id)) return Code::kUserNotFound;
  domain::RoleGrant grant{c.role, c.all_platforms, {}};
  if (!c.all_platforms) {
    for (const std::string& id : c.platform_ids) {
      auto platform = platforms_.find(id);
      if (platform == platforms_.end() || platform->second.organization != c.organization_id) {
        return Code::kPlatformNotFound;
      }
      grant.platform_ids.push_back(id);
    }
  }
  auto& grants = grants_[c.organization_id];
  auto is_org_admin = [](const domain::RoleGrant& g) {
    return g.role == schema::Role::Admin && g.all_platforms;
  };
  auto current = grants.find(c.user_id);
  if (current != grants.end() && is_org_admin(current->second) && !is_org_admin(grant) &&
      std::count_if(grants.begin(), grants.end(),
                    [&](const auto& entry) { return is_org_admin(entry.second); }) == 1) {
    return Code::kLastOrganizationAdminCannotBeRemoved;
  }
  grants[c.user_id] = grant;
  return Code::kAccepted;
}

ResultCode ReferenceModel::Do(const Principal& p, const domain::RevokeRole& c) {
  if (!IdOk(c.organization_id) || !IdOk(c.user_id)) return Code::kIdIsMalformed;
  if (!Known(p)) return Code::kPrincipalIsUnknown;
  if (!SeesOrganization(p, c.organization_id)) return Code::kOrganizationNotFound;
  if (!May(p, Action::kManageUsers, c.organization_id, "", schema::Environment::Unspecified)) {
    return Code::kActionIsNotPermitted;
  }
  if (!users_.contains(c.user_id)) return Code::kUserNotFound;
  auto& grants = grants_[c.organization_id];
  auto current = grants.find(c.user_id);
  if (current == grants.end()) return Code::kUserHasNoRoleInOrganization;
  auto is_org_admin = [](const domain::RoleGrant& g) {
    return g.role == schema::Role::Admin && g.all_platforms;
  };
  if (is_org_admin(current->second) &&
      std::count_if(grants.begin(), grants.end(),
                    [&](const auto& entry) { return is_org_admin(entry.second); }) == 1) {
    return Code::kLastOrganizationAdminCannotBeRemoved;
  }
  grants.erase(current);
  return Code::kAccepted;
}

ResultCode ReferenceModel::Do(const Principal& p, const domain::IssueApiKey& c) {
  if (!IdOk(c.platform_id) || !IdOk(c.key_id)) return Code::kIdIsMalformed;
  if (auto r = OnPlatform(p, c.platform_id, Action::kManageApiKeys)) return *r;
  if (keys_.contains(c.key_id)) return Code::kApiKeyAlreadyExists;
  keys_[c.key_id] = Key{c.platform_id, true};
  return Code::kAccepted;
}

ResultCode ReferenceModel::Do(const Principal& p, const domain::RevokeApiKey& c) {
  if (!IdOk(c.platform_id) || !IdOk(c.key_id)) return Code::kIdIsMalformed;
  if (auto r = OnPlatform(p, c.platform_id, Action::kManageApiKeys)) return *r;
  auto key = keys_.find(c.key_id);
  if (key == keys_.end() || key->second.platform != c.platform_id) return Code::kApiKeyNotFound;
  if (!key->second.active) return Code::kApiKeyIsAlreadyRevoked;
  key->second.active = false;
  return Code::kAccepted;
}

ResultCode ReferenceModel::Do(const Principal& p, const domain::AddBankAccount& c) {
  if (!IdOk(c.platform_id) || !IdOk(c.bank_account_id)) return Code::kIdIsMalformed;
  if (!CurrencyOk(c.currency)) return Code::kCurrencyIsUnknown;
  if (auto r = OnPlatform(p, c.platform_id, Action::kAddBankAccounts)) return *r;
  auto& accounts = platforms_.at(c.platform_id).bank_accounts;
  if (accounts.contains(c.bank_account_id)) return Code::kBankAccountAlreadyExists;
  accounts[c.bank_account_id] = c.currency;
  return Code::kAccepted;
}

}  // namespace ledger::testing

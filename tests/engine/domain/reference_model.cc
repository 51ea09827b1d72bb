#include "engine/domain/reference_model.h"

#include <algorithm>

namespace ledger::testing {
namespace {

using domain::Action;
using domain::ResultCode;
using schema::Environment;
using schema::OperationKind;
using schema::Role;

bool IdOk(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' ||
           c == '-';
  });
}

bool CurrencyOk(const std::string& c) { return c == "EUR" || c == "JPY" || c == "KWD"; }

/// DESIGN.md's matrix, as the model reads it.
bool RoleMay(Role role, Action action) {
  static const std::map<Action, std::set<Role>> kMatrix = {
      {Action::kViewPayments, {Role::Admin, Role::Developer, Role::Operator, Role::Sales}},
      {Action::kCreatePaymentRequests, {Role::Admin, Role::Developer, Role::Operator, Role::Sales}},
      {Action::kRefund, {Role::Admin, Role::Developer, Role::Operator}},
      {Action::kCreatePlatforms, {Role::Admin, Role::Developer}},
      {Action::kManageApiKeys, {Role::Admin, Role::Developer}},
      {Action::kAddBankAccounts, {Role::Admin}},
      {Action::kRequestWithdrawals, {Role::Admin}},
      {Action::kManageUsers, {Role::Admin}},
      {Action::kViewReports, {Role::Admin, Role::Accountant}},
  };
  auto it = kMatrix.find(action);
  return it != kMatrix.end() && it->second.contains(role);
}

bool KeyMay(Action action) {
  return action == Action::kViewPayments || action == Action::kCreatePaymentRequests ||
         action == Action::kRefund || action == Action::kRecordPaymentExecution ||
         action == Action::kRecordWithdrawalOutcomes;
}

std::string Join(const std::string& a, const std::string& b) { return a + "/" + b; }

}  // namespace

void ReferenceModel::AddPlatform(const std::string& organization, const std::string& id,
                                 Environment environment) {
  platforms_[id] = Platform{organization, environment, {}};
}

void ReferenceModel::AddKey(const std::string& platform, const std::string& id) {
  keys_[id] = Key{platform, true};
}

std::string ReferenceModel::KeyPlatform(const std::string& key) const {
  auto it = keys_.find(key);
  return it == keys_.end() ? "" : it->second.platform;
}

bool ReferenceModel::KeyActive(const std::string& key) const {
  auto it = keys_.find(key);
  return it != keys_.end() && it->second.active;
}

std::int64_t ReferenceModel::Wallet(const std::string& platform,
                                    const std::string& currency) const {
  auto it = wallets_.find(Join(platform, currency));
  return it == wallets_.end() ? 0 : it->second;
}

bool ReferenceModel::Known(const Principal& p) const {
  switch (p.kind) {
    case domain::PrincipalKind::kRoot:
      return true;
    case domain::PrincipalKind::kUser:
      return users_.contains(p.id);
    case domain::PrincipalKind::kApiKey: {
      auto key = keys_.find(p.id);
      if (key == keys_.end() || !key->second.active) return false;
      const Platform& platform = platforms_.at(key->second.platform);
      return key->second.platform == p.platform && platform.organization == p.organization &&
             platform.environment == p.key_environment;
    }
  }
  return false;
}

bool ReferenceModel::SeesOrganization(const Principal& p, const std::string& organization) const {
  if (!organizations_.contains(organization)) return false;
  if (p.kind == domain::PrincipalKind::kRoot) return true;
  if (p.kind == domain::PrincipalKind::kApiKey) return p.organization == organization;
  auto grants = grants_.find(organization);
  return grants != grants_.end() && grants->second.contains(p.id);
}

bool ReferenceModel::SeesPlatform(const Principal& p, const std::string& platform) const {
  auto it = platforms_.find(platform);
  if (it == platforms_.end()) return false;
  if (p.kind == domain::PrincipalKind::kRoot) return true;
  if (p.kind == domain::PrincipalKind::kApiKey) return p.platform == platform;
  return SeesOrganization(p, it->second.organization) && it->second.environment == p.environment;
}

bool ReferenceModel::May(const Principal& p, Action action, const std::string& organization,
                         const std::string& platform, Environment environment) const {
  if (p.kind == domain::PrincipalKind::kRoot) return true;
  if (environment != Environment::Unspecified && environment != p.environment) return false;
  if (p.kind == domain::PrincipalKind::kApiKey) {
    return p.key_environment == p.environment && p.environment != Environment::Unspecified &&
           !platform.empty() && p.organization == organization && p.platform == platform &&
           KeyMay(action);
  }
  auto grants = grants_.find(organization);
  if (grants == grants_.end() || !grants->second.contains(p.id)) return false;
  const domain::RoleGrant& grant = grants->second.at(p.id);
  if (!RoleMay(grant.role, action)) return false;
  if (platform.empty()) return grant.all_platforms;
  return grant.all_platforms || std::find(grant.platform_ids.begin(), grant.platform_ids.end(),
                                          platform) != grant.platform_ids.end();
}

std::optional<ResultCode> ReferenceModel::OnPlatform(const Principal& p,
                                                     const std::string& platform,
                                                     Action action) const {
  if (!Known(p)) return ResultCode::kPrincipalIsUnknown;
  if (!SeesPlatform(p, platform)) return ResultCode::kPlatformNotFound;
  const Platform& info = platforms_.at(platform);
  if (!May(p, action, info.organization, platform, info.environment)) {
    return ResultCode::kActionIsNotPermitted;
  }
  return std::nullopt;
}

ResultCode ReferenceModel::Execute(const Principal& principal, const domain::Command& command) {
  return std::visit([&](const auto& c) { return Do(principal, c); }, command);
}

ResultCode ReferenceModel::Do(const Principal& p, const domain::CreateOrder& c) {
  if (!IdOk(c.platform_id) || !IdOk(c.order_id)) return Code::kIdIsMalformed;
  if (c.amount_minor <= 0) return Code::kAmountIsNotPositive;
  if (!CurrencyOk(c.currency)) return Code::kCurrencyIsUnknown;
  if (auto r = OnPlatform(p, c.platform_id, Action::kCreatePaymentRequests)) return *r;
  const std::string key = Join(c.platform_id, c.order_id);
  if (orders_.contains(key)) return Code::kOrderAlreadyExists;
  orders_[key] = Order{c.platform_id, c.currency, c.amount_minor, 0, 0, false};
  return Code::kAccepted;
}

ResultCode ReferenceModel::Do(const Principal& p, const domain::CancelOrder& c) {
  if (!IdOk(c.platform_id) || !IdOk(c.order_id)) return Code::kIdIsMalformed;
  if (auto r = OnPlatform(p, c.platform_id, Action::kCreatePaymentRequests)) return *r;
  auto order = orders_.find(Join(c.platform_id, c.order_id));
  if (order == orders_.end()) return Code::kOrderNotFound;
  if (order->second.cancelled) return Code::kOrderIsCancelled;
  order->second.cancelled = true;
  return Code::kAccepted;
}

ResultCode ReferenceModel::Do(const Principal& p, const domain::CreateTransaction& c) {
  if (!IdOk(c.platform_id) || !IdOk(c.order_id) || !IdOk(c.transaction_id)) {
    return Code::kIdIsMalformed;
  }
  if (c.amount_minor <= 0) return Code::kAmountIsNotPositive;
  if (!c.currency.empty() && !CurrencyOk(c.currency)) return Code::kCurrencyIsUnknown;
  if (auto r = OnPlatform(p, c.platform_id, Action::kRecordPaymentExecution)) return *r;
  const std::string order_key = Join(c.platform_id, c.order_id);
  auto order = orders_.find(order_key);
  if (order == orders_.end()) return Code::kOrderNotFound;
  const std::string key = Join(c.platform_id, c.transaction_id);
  if (transactions_.contains(key)) return Code::kTransactionAlreadyExists;
  if (!c.currency.empty() && c.currency != order->second.currency) {
    return Code::kCurrencyDiffersFromOrder;
  }
  if (order->second.cancelled) return Code::kOrderIsCancelled;
  if (order->second.transactions >= 256) return Code::kOrderHasTooManyTransactions;
  if (c.amount_minor > order->second.amount - order->second.committed) {
    return Code::kTransactionsExceedOrderAmount;
  }
  order->second.committed += c.amount_minor;
  ++order->second.transactions;
  Transaction transaction;
  transaction.order = order_key;
  transaction.amount = c.amount_minor;
  transactions_[key] = transaction;
  return Code::kAccepted;
}

}  // namespace ledger::testing

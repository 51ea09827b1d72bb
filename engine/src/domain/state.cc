#include "domain/state.h"

#include "domain/check.h"

namespace ledger::domain {
namespace {

template <typename Vector, typename Index>
const typename Vector::value_type* FindIn(const Vector& items, const Index& index,
                                          std::string_view id) {
  auto it = index.find(id);
  return it == index.end() ? nullptr : &items[it->second];
}

}  // namespace

std::string_view TransactionStatusName(TransactionStatus status) {
  switch (status) {
    case TransactionStatus::kPending:
      return "pending";
    case TransactionStatus::kAuthorized:
      return "authorized";
    case TransactionStatus::kCaptured:
      return "captured";
    case TransactionStatus::kCancelled:
      return "cancelled";
    case TransactionStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

std::string_view WithdrawalStatusName(WithdrawalStatus status) {
  switch (status) {
    case WithdrawalStatus::kRequested:
      return "requested";
    case WithdrawalStatus::kSettled:
      return "settled";
    case WithdrawalStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

const OrganizationState* State::FindOrganization(std::string_view id) const {
  return FindIn(organizations, organization_index, id);
}

const PlatformState* State::FindPlatform(std::string_view id) const {
  return FindIn(platforms, platform_index, id);
}

const UserState* State::FindUser(std::string_view id) const {
  return FindIn(users, user_index, id);
}

const OrderState* State::FindOrder(std::string_view platform_id, std::string_view order_id,
                                   std::uint32_t* index) const {
  const std::uint32_t* found = hot.ids.Find(MakeIdKey(IdKind::kOrder, platform_id, order_id));
  if (found == nullptr) return nullptr;
  if (index != nullptr) *index = *found;
  return &hot.orders[*found];
}

const TransactionState* State::FindTransaction(const OrderState& order,
                                               std::string_view platform_id,
                                               std::string_view transaction_id) const {
  const std::uint32_t slot =
      TransactionSlot(order, MakeIdKey(IdKind::kTransaction, platform_id, transaction_id));
  return slot == kNoTransaction ? nullptr : &hot.transactions[slot];
}

std::uint32_t State::TransactionSlot(const OrderState& order, const IdKey& key) const {
  std::uint32_t slot = order.first_transaction;
  while (slot != kNoTransaction && hot.transactions[slot].key != key) {
    slot = hot.transactions[slot].next;
  }
  return slot;
}

const WithdrawalState* State::FindWithdrawal(std::string_view platform_id,
                                             std::string_view withdrawal_id) const {
  const std::uint32_t* index =
      withdrawal_ids.Find(MakeIdKey(IdKind::kWithdrawal, platform_id, withdrawal_id));
  return index == nullptr ? nullptr : &withdrawals[*index];
}

const WalletState* State::FindWallet(std::uint32_t platform, std::uint16_t currency) const {
  auto it = wallets.find(WalletKey(platform, currency));
  return it == wallets.end() ? nullptr : &it->second;
}

std::int64_t WalletState::*WalletBalanceField(AccountKind kind) {
  switch (kind) {
    case AccountKind::kWallet:
      return &WalletState::balance_minor;
    case AccountKind::kPayoutsInTransit:
      return &WalletState::in_transit_minor;
    case AccountKind::kCustomerFunds:
      return &WalletState::customer_funds_minor;
    case AccountKind::kFees:
      return &WalletState::fees_minor;
    case AccountKind::kBank:
      break;
  }
  LEDGER_CHECK(false);
  return nullptr;
}

std::int64_t State::BalanceOf(std::uint32_t platform, std::uint16_t currency,
                              const AccountRef& account) const {
  if (account.kind == AccountKind::kBank) {
    const auto& accounts = platforms[platform].bank_accounts;
    auto it = accounts.find(account.bank_account);
    return it == accounts.end() ? 0 : it->second.balance_minor;
  }
  const WalletState* wallet = FindWallet(platform, currency);
  return wallet == nullptr ? 0 : wallet->*WalletBalanceField(account.kind);
}

const RoleGrant* State::FindGrant(const OrganizationState& organization,
                                  std::string_view user_id) const {
  auto it = organization.grants.find(user_id);
  return it == organization.grants.end() ? nullptr : &it->second;
}

std::uint32_t State::IndexOf(const PlatformState& platform) const {
  LEDGER_CHECK(&platform >= platforms.data() && &platform < platforms.data() + platforms.size());
  return static_cast<std::uint32_t>(&platform - platforms.data());
}

}  // namespace ledger::domain

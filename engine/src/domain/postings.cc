#include "ledger/engine/domain/postings.h"

namespace ledger::domain {
namespace {

PostingList One(AccountRef from, AccountRef to, std::int64_t amount_minor,
                std::string_view currency) {
  PostingList list;
  list.items[0] = Posting{from, to, amount_minor, currency};
  list.size = 1;
  return list;
}

AccountRef Account(AccountKind kind, std::string_view platform) {
  return AccountRef{kind, platform, {}};
}

PostingList OfOperation(const OperationRecorded& e) {
  if (e.outcome != schema::OperationOutcome::Succeeded) return {};
  const AccountRef customer = Account(AccountKind::kCustomerFunds, e.platform_id);
  const AccountRef wallet = Account(AccountKind::kWallet, e.platform_id);
  switch (e.kind) {
    case schema::OperationKind::Capture:
      return One(customer, wallet, e.amount_minor, e.currency);
    case schema::OperationKind::Refund:
    case schema::OperationKind::Chargeback:
      return One(wallet, customer, e.amount_minor, e.currency);
    case schema::OperationKind::Fee:
      return One(wallet, Account(AccountKind::kFees, e.platform_id), e.amount_minor, e.currency);
    case schema::OperationKind::Authorization:
    case schema::OperationKind::Cancellation:
    case schema::OperationKind::Unspecified:
      break;
  }
  return {};
}

}  // namespace

std::string AccountRef::Name() const {
  std::string_view prefix;
  switch (kind) {
    case AccountKind::kCustomerFunds:
      prefix = "customer_funds:";
      break;
    case AccountKind::kWallet:
      prefix = "wallet:";
      break;
    case AccountKind::kFees:
      prefix = "fees:";
      break;
    case AccountKind::kPayoutsInTransit:
      prefix = "payouts_in_transit:";
      break;
    case AccountKind::kBank:
      return "bank:" + std::string(platform) + "/" + std::string(bank_account);
  }
  return std::string(prefix) + std::string(platform);
}

PostingList PostingsOf(const Event& event) {
  if (const auto* operation = std::get_if<OperationRecorded>(&event)) {
    return OfOperation(*operation);
  }
  if (const auto* requested = std::get_if<WithdrawalRequested>(&event)) {
    return One(Account(AccountKind::kWallet, requested->platform_id),
               Account(AccountKind::kPayoutsInTransit, requested->platform_id),
               requested->amount_minor, requested->currency);
  }
  if (const auto* settled = std::get_if<WithdrawalSettled>(&event)) {
    return One(Account(AccountKind::kPayoutsInTransit, settled->platform_id),
               AccountRef{AccountKind::kBank, settled->platform_id, settled->bank_account_id},
               settled->amount_minor, settled->currency);
  }
  if (const auto* failed = std::get_if<WithdrawalFailed>(&event)) {
    return One(Account(AccountKind::kPayoutsInTransit, failed->platform_id),
               Account(AccountKind::kWallet, failed->platform_id), failed->amount_minor,
               failed->currency);
  }
  return {};
}

}  // namespace ledger::domain

// Deciding the wallet commands: withdrawals requested, then settled or failed.
//
//   requested ──settle──▶ settled        requested ──fail──▶ failed (the amount returns)
#include <fmt/format.h>

#include "domain/decide_internal.h"
#include "ledger/engine/domain/money.h"

namespace ledger::domain::internal {
namespace {

/// Steps 1 to 4 shared by settling and failing a withdrawal.
template <typename Command>
std::optional<Rejection> ResolveOutcome(const Context& context, const Command& c,
                                        std::string_view text_name, std::string_view text,
                                        const PlatformState** platform,
                                        const WithdrawalState** withdrawal) {
  if (auto r = CheckId("platform", c.platform_id)) return r;
  if (auto r = CheckId("withdrawal", c.withdrawal_id)) return r;
  if (auto r = CheckText(text_name, text)) return r;
  if (auto r = context.access.CheckPrincipal()) return r;
  if (auto r = context.access.ResolvePlatform(c.platform_id, platform)) return r;
  if (auto r = context.access.Require(Action::kRecordWithdrawalOutcomes, **platform)) return r;
  *withdrawal = context.state.FindWithdrawal(c.platform_id, c.withdrawal_id);
  if (*withdrawal == nullptr) {
    return Reject(
        ResultCode::kWithdrawalNotFound,
        fmt::format("withdrawal '{}' not found on platform '{}'", c.withdrawal_id, c.platform_id));
  }
  switch ((*withdrawal)->status) {
    case WithdrawalStatus::kRequested:
      return std::nullopt;
    case WithdrawalStatus::kSettled:
      return Reject(ResultCode::kWithdrawalIsAlreadySettled,
                    fmt::format("withdrawal '{}' is already settled", c.withdrawal_id));
    case WithdrawalStatus::kFailed:
      return Reject(ResultCode::kWithdrawalIsAlreadyFailed,
                    fmt::format("withdrawal '{}' has already failed", c.withdrawal_id));
  }
  return std::nullopt;
}

std::uint32_t WalletVersion(const State& state, std::uint32_t platform, std::uint16_t currency) {
  const WalletState* wallet = state.FindWallet(platform, currency);
  return wallet == nullptr ? 0 : wallet->version;
}

}  // namespace

Decision DecideOne(const Context& context, const RequestWithdrawal& c) {
  if (auto r = CheckId("platform", c.platform_id)) return *r;
  if (auto r = CheckId("withdrawal", c.withdrawal_id)) return *r;
  if (auto r = CheckId("bank account", c.bank_account_id)) return *r;
  if (auto r = CheckAmount(c.amount_minor)) return *r;
  std::uint16_t currency = 0;
  if (auto r = CheckCurrency(c.currency, &currency)) return *r;
  const PlatformState* platform = nullptr;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (auto r = context.access.ResolvePlatform(c.platform_id, &platform)) return *r;
  if (auto r = context.access.Require(Action::kRequestWithdrawals, *platform)) return *r;
  auto account = platform->bank_accounts.find(c.bank_account_id);
  if (account == platform->bank_accounts.end()) {
    return Reject(ResultCode::kBankAccountNotFound,
                  fmt::format("bank account '{}' not found on platform '{}'", c.bank_account_id,
                              c.platform_id));
  }
  if (context.state.FindWithdrawal(c.platform_id, c.withdrawal_id) != nullptr) {
    return Reject(ResultCode::kWithdrawalAlreadyExists,
                  fmt::format("withdrawal '{}' already exists on platform '{}'", c.withdrawal_id,
                              c.platform_id));
  }
  if (account->second.currency != currency) {
    return Reject(ResultCode::kCurrencyDiffersFromBankAccount,
                  fmt::format("currency {} differs from bank account '{}' in {}", c.currency,
                              c.bank_account_id, CurrencyAt(account->second.currency).code));
  }
  const std::uint32_t platform_index = context.state.IndexOf(*platform);
  const WalletState* wallet = context.state.FindWallet(platform_index, currency);
  const std::int64_t balance = wallet == nullptr ? 0 : wallet->balance_minor;
  if (c.amount_minor > balance) {
    return Reject(
        ResultCode::kWithdrawalExceedsWalletBalance,
        fmt::format("withdrawal of {} exceeds the available wallet balance ({})",
                    FormatMoney(c.amount_minor, c.currency), FormatMoney(balance, c.currency)));
  }
  std::int64_t in_transit = 0;
  if (!CheckedAdd(wallet == nullptr ? 0 : wallet->in_transit_minor, c.amount_minor, &in_transit)) {
    return Reject(ResultCode::kBalanceWouldOverflow,
                  fmt::format("withdrawal of {} would take payouts in transit past the int64 "
                              "range",
                              FormatMoney(c.amount_minor, c.currency)));
  }
  return AcceptOnPlatform(context.state,
                          WithdrawalRequested{c.platform_id, c.withdrawal_id, c.bank_account_id,
                                              c.amount_minor, c.currency},
                          WalletVersion(context.state, platform_index, currency), *platform);
}

Decision DecideOne(const Context& context, const SettleWithdrawal& c) {
  const PlatformState* platform = nullptr;
  const WithdrawalState* withdrawal = nullptr;
  if (auto r = ResolveOutcome(context, c, "external reference", c.external_reference, &platform,
                              &withdrawal)) {
    return *r;
  }
  WithdrawalSettled event{c.platform_id,
                          c.withdrawal_id,
                          c.external_reference,
                          withdrawal->bank_account_id,
                          withdrawal->amount_minor,
                          std::string(CurrencyAt(withdrawal->currency).code)};
  if (auto r = CheckPostingsFit(context.state, event, withdrawal->platform, withdrawal->currency,
                                "settling the withdrawal")) {
    return *r;
  }
  return AcceptOnPlatform(context.state, std::move(event),
                          WalletVersion(context.state, withdrawal->platform, withdrawal->currency),
                          *platform);
}

Decision DecideOne(const Context& context, const FailWithdrawal& c) {
  const PlatformState* platform = nullptr;
  const WithdrawalState* withdrawal = nullptr;
  if (auto r = ResolveOutcome(context, c, "reason", c.reason, &platform, &withdrawal)) return *r;
  const WalletState* wallet = context.state.FindWallet(withdrawal->platform, withdrawal->currency);
  std::int64_t after = 0;
  if (!CheckedAdd(wallet->balance_minor, withdrawal->amount_minor, &after)) {
    return Reject(ResultCode::kBalanceWouldOverflow,
                  "returning the withdrawal would take the wallet balance past the int64 range");
  }
  return AcceptOnPlatform(context.state,
                          WithdrawalFailed{c.platform_id, c.withdrawal_id, c.reason,
                                           withdrawal->bank_account_id, withdrawal->amount_minor,
                                           std::string(CurrencyAt(withdrawal->currency).code)},
                          wallet->version, *platform);
}

}  // namespace ledger::domain::internal

// Double-entry: the postings every money event yields, derived from the event alone.
//
// A posting moves an amount of one currency from one account to another: the `to` account is
// debited (receives), the `from` account credited (gives). An account's balance is what it
// received minus what it sent, so every posting balances by construction (debit = credit)
// and the balances of all accounts of an organization sum to zero in each currency.
//
//   event                                 from                      to
//   capture succeeded                     customer_funds:<p>        wallet:<p>
//   refund succeeded                      wallet:<p>                customer_funds:<p>
//   chargeback succeeded                  wallet:<p>                customer_funds:<p>
//   fee succeeded                         wallet:<p>                fees:<p>
//   WithdrawalRequested                   wallet:<p>                payouts_in_transit:<p>
//   WithdrawalSettled                     payouts_in_transit:<p>    bank:<p>/<bank account>
//   WithdrawalFailed                      payouts_in_transit:<p>    wallet:<p>
//   anything else (authorizations, cancellations, failed operations, directory): none
//
// The wallet account's balance is the platform's available balance of DESIGN.md: captured
// − refunded − charged back − fees − withdrawals pending or settled. The domain's own wallet
// state is maintained by applying these same postings, so the two can never disagree.
// Thread-safety: pure functions; a Posting views strings of the event it came from.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/engine/domain/events.h"

namespace ledger::domain {

enum class AccountKind : std::uint8_t {
  /// Money of the platform's customers (payers) on its way in or back out.
  kCustomerFunds = 0,
  /// The platform's merchant wallet: its available balance.
  kWallet = 1,
  /// Fees the processor charged the platform.
  kFees = 2,
  /// Withdrawals requested and not yet settled or failed.
  kPayoutsInTransit = 3,
  /// A bank account of the platform that withdrawals reached.
  kBank = 4,
};

/// An account of one platform; `bank_account` only for kBank.
struct AccountRef {
  AccountKind kind = AccountKind::kWallet;
  std::string_view platform;
  std::string_view bank_account;

  /// "customer_funds:<p>", "wallet:<p>", "fees:<p>", "payouts_in_transit:<p>",
  /// "bank:<p>/<bank account>".
  std::string Name() const;
  auto operator<=>(const AccountRef&) const = default;
};

struct Posting {
  AccountRef from;
  AccountRef to;
  /// Strictly positive, in minor units of `currency`.
  std::int64_t amount_minor = 0;
  std::string_view currency;
};

/// The postings of one event (at most kPostingsPerEventMax).
struct PostingList {
  static constexpr std::size_t kPostingsPerEventMax = 1;
  std::array<Posting, kPostingsPerEventMax> items{};
  std::size_t size = 0;

  const Posting* begin() const { return items.data(); }
  const Posting* end() const { return items.data() + size; }
  bool empty() const { return size == 0; }
};

/// The postings `event` yields; they view strings of `event`, which must outlive them.
PostingList PostingsOf(const Event& event);

}  // namespace ledger::domain

// The domain state: everything deciding a command needs, and nothing more.
//
// Directory aggregates (organizations, platforms, users, credentials, bank accounts) are few
// and kept with their string ids. Payment aggregates are many, so they are kept compact and,
// for orders, bounded: only hot orders are held (HotOrders), each a fixed-size record with its
// transactions, found through an IdTable of 128-bit id keys; an order that leaves memory is
// loaded again from its stream in the log when a command names it (hot_orders.h). Withdrawals
// and wallets (keyed by platform index, currency index) are all held. Apply() (apply.h) is
// the only mutator besides eviction; Decide() (decide.h) only reads.
//
// Invariants (checked by Apply with LEDGER_CHECK): every stream version equals the number of
// events applied to that stream; a transaction's captured ≤ authorized ≤ amount, refunded +
// charged back ≤ captured, fees ≤ amount; an order's committed amount (its transactions that
// are neither failed nor cancelled) ≤ its amount; a wallet's balance is the sum of the
// postings on it; a held order holds all its transactions. Thread-safety: none; the Ledger
// serializes access.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/chunked_vector.h"
#include "domain/id_table.h"
#include "ledger/engine/domain/permissions.h"
#include "ledger/engine/domain/postings.h"
#include "ledger/engine/types.h"
#include "ledger/schema/common_generated.h"

namespace ledger::domain {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};
template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

// ---- Directory ----------------------------------------------------------------------------

struct OrganizationState {
  std::string id;
  std::uint32_t version = 0;
  /// user id → the user's role in this organization.
  StringMap<RoleGrant> grants;
  /// How many grants are organization admins (admin of all platforms).
  std::uint32_t organization_admins = 0;
};

struct BankAccountState {
  std::uint16_t currency = 0;
  /// The bank account's ledger balance: withdrawals settled to it (postings.h).
  std::int64_t balance_minor = 0;
};

struct PlatformState {
  std::string id;
  std::uint32_t organization = 0;
  schema::Environment environment = schema::Environment::Unspecified;
  std::uint32_t version = 0;
  /// bank account id → its currency and balance.
  StringMap<BankAccountState> bank_accounts;
};

struct UserState {
  std::string id;
  std::uint32_t version = 0;
  /// Indexes of the organizations where the user holds a role.
  std::vector<std::uint32_t> organizations;
};

/// An API key (owner: its platform's index) or a user token (owner: its user's index).
struct CredentialState {
  std::uint32_t owner = 0;
  Hash256 secret_sha256{};
  bool active = true;
};

// ---- Payments -----------------------------------------------------------------------------

enum class OrderStatus : std::uint8_t { kOpen = 0, kCancelled = 1 };

/// Marks the end of an order's list of transactions.
inline constexpr std::uint32_t kNoTransaction = UINT32_MAX;

struct OrderState {
  std::int64_t amount_minor = 0;
  /// Sum of the amounts of its transactions that are neither failed nor cancelled.
  std::int64_t committed_minor = 0;
  /// The log sequence of its last event: the order may leave memory once that is durable.
  std::uint64_t last_sequence = 0;
  /// Its key in HotOrders::ids, to drop it from there when it leaves memory.
  IdKey key;
  std::uint32_t platform = 0;
  /// Its stream's version; 0 marks a free slot.
  std::uint32_t version = 0;
  /// Its newest transaction's slot, or kNoTransaction; each links to the one before.
  std::uint32_t first_transaction = kNoTransaction;
  std::uint16_t currency = 0;
  std::uint16_t transaction_count = 0;
  OrderStatus status = OrderStatus::kOpen;
  /// Set by each event; the eviction sweep clears it once before it evicts (second chance).
  bool recently_used = false;
};

enum class TransactionStatus : std::uint8_t {
  kPending = 0,
  kAuthorized = 1,
  kCaptured = 2,
  kCancelled = 3,
  kFailed = 4,
};

struct TransactionState {
  std::int64_t amount_minor = 0;
  std::int64_t authorized_minor = 0;
  std::int64_t captured_minor = 0;
  /// Refunded plus charged back.
  std::int64_t reversed_minor = 0;
  std::int64_t fees_minor = 0;
  /// MakeIdKey(kTransaction, platform, id): how its order finds it.
  IdKey key;
  /// Its order's slot, and the order's next transaction in its list (or kNoTransaction).
  std::uint32_t order = 0;
  std::uint32_t next = kNoTransaction;
  TransactionStatus status = TransactionStatus::kPending;
};

enum class WithdrawalStatus : std::uint8_t { kRequested = 0, kSettled = 1, kFailed = 2 };

struct WithdrawalState {
  std::int64_t amount_minor = 0;
  std::uint32_t platform = 0;
  std::uint16_t currency = 0;
  WithdrawalStatus status = WithdrawalStatus::kRequested;
  std::string bank_account_id;
};

/// A platform's ledger accounts in one currency (postings.h), but its bank accounts.
struct WalletState {
  /// The wallet account's balance: the available balance. Negative only through facts
  /// (chargebacks, fees).
  std::int64_t balance_minor = 0;
  /// Withdrawals requested, neither settled nor failed: payouts in transit.
  std::int64_t in_transit_minor = 0;
  /// Customer funds: minus what was captured, plus what went back (refunds, chargebacks).
  std::int64_t customer_funds_minor = 0;
  /// Fees charged.
  std::int64_t fees_minor = 0;
  /// Version of the wallet stream (withdrawal events only).
  std::uint32_t version = 0;
};

/// The field of a WalletState that holds the balance of an account of `kind`.
/// REQUIRES: kind is not kBank (bank accounts keep theirs in BankAccountState).
std::int64_t WalletState::*WalletBalanceField(AccountKind kind);

std::string_view TransactionStatusName(TransactionStatus status);
std::string_view WithdrawalStatusName(WithdrawalStatus status);

/// The orders held in memory and their transactions. Slots of orders that left memory are
/// reused (free lists), so the tables grow with the number of hot orders, not of all orders.
/// Never part of a snapshot: the log holds every order's history.
struct HotOrders {
  /// Order key → order slot.
  IdTable ids;
  ChunkedVector<OrderState> orders;
  ChunkedVector<TransactionState> transactions;
  std::vector<std::uint32_t> free_orders;
  std::vector<std::uint32_t> free_transactions;
  /// Orders held, and where the eviction sweep goes on from.
  std::size_t count = 0;
  std::size_t hand = 0;

  std::size_t MemoryBytes() const {
    return ids.MemoryBytes() + orders.MemoryBytes() + transactions.MemoryBytes() +
           (free_orders.capacity() + free_transactions.capacity()) * sizeof(std::uint32_t);
  }
};

struct State {
  std::vector<OrganizationState> organizations;
  StringMap<std::uint32_t> organization_index;
  std::vector<PlatformState> platforms;
  StringMap<std::uint32_t> platform_index;
  std::vector<UserState> users;
  StringMap<std::uint32_t> user_index;
  StringMap<CredentialState> api_keys;
  StringMap<CredentialState> user_tokens;

  /// Hot orders and their transactions. Transaction and operation ids are not kept: their
  /// events claim them in the log (decide.h, Claims).
  HotOrders hot;
  /// Keys of withdrawals → withdrawal index.
  IdTable withdrawal_ids;
  std::vector<WithdrawalState> withdrawals;
  /// WalletKey(platform, currency) → wallet.
  std::unordered_map<std::uint64_t, WalletState> wallets;

  /// The last log sequence applied (0: none).
  SequenceNumber applied_through;

  const OrganizationState* FindOrganization(std::string_view id) const;
  const PlatformState* FindPlatform(std::string_view id) const;
  const UserState* FindUser(std::string_view id) const;
  /// The hot order with this id on the platform, and its slot; nullptr when none is held.
  const OrderState* FindOrder(std::string_view platform_id, std::string_view order_id,
                              std::uint32_t* index = nullptr) const;
  /// The order's transaction with this id, or nullptr.
  const TransactionState* FindTransaction(const OrderState& order, std::string_view platform_id,
                                          std::string_view transaction_id) const;
  /// The slot of the order's transaction with this key, or kNoTransaction.
  std::uint32_t TransactionSlot(const OrderState& order, const IdKey& key) const;
  const WithdrawalState* FindWithdrawal(std::string_view platform_id,
                                        std::string_view withdrawal_id) const;
  /// The wallet, or nullptr when nothing ever touched it (its balance is then 0).
  const WalletState* FindWallet(std::uint32_t platform, std::uint16_t currency) const;
  /// The balance of a ledger account of the platform (index `platform`) in `currency`; 0 for
  /// one nothing touched yet.
  std::int64_t BalanceOf(std::uint32_t platform, std::uint16_t currency,
                         const AccountRef& account) const;
  /// The user's grant in the organization, or nullptr.
  const RoleGrant* FindGrant(const OrganizationState& organization, std::string_view user_id) const;

  std::uint32_t IndexOf(const PlatformState& platform) const;
};

inline std::uint64_t WalletKey(std::uint32_t platform, std::uint16_t currency) {
  return (static_cast<std::uint64_t>(platform) << 16) | currency;
}

}  // namespace ledger::domain

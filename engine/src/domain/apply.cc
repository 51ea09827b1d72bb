#include "domain/apply.h"

#include <fmt/format.h>

#include <algorithm>

#include "domain/check.h"
#include "ledger/engine/domain/commands.h"
#include "ledger/engine/domain/money.h"
#include "ledger/engine/domain/postings.h"

namespace ledger::domain {
namespace {

using schema::OperationKind;
using schema::OperationOutcome;

template <typename Index>
std::uint32_t IndexIn(const Index& index, std::string_view id) {
  auto it = index.find(id);
  LEDGER_CHECK(it != index.end());
  return it->second;
}

std::uint16_t CurrencyIndex(std::string_view code) {
  const CurrencyInfo* currency = FindCurrency(code);
  LEDGER_CHECK(currency != nullptr);
  return currency->index;
}

std::uint32_t Push(std::size_t size) {
  LEDGER_CHECK(size < UINT32_MAX);
  return static_cast<std::uint32_t>(size);
}

/// The balance a posting's leg changes.
std::int64_t& BalanceSlot(State& state, WalletState& wallet, std::uint32_t platform,
                          const AccountRef& account) {
  if (account.kind != AccountKind::kBank) return wallet.*WalletBalanceField(account.kind);
  auto& accounts = state.platforms[platform].bank_accounts;
  auto it = accounts.find(account.bank_account);
  LEDGER_CHECK(it != accounts.end());
  return it->second.balance_minor;
}

/// Moves the event's postings through the ledger accounts of (platform, currency).
void ApplyPostings(State& state, const Event& event, std::uint32_t platform,
                   std::uint16_t currency) {
  WalletState& wallet = state.wallets[WalletKey(platform, currency)];
  for (const Posting& posting : PostingsOf(event)) {
    LEDGER_CHECK(posting.amount_minor > 0 && posting.from != posting.to);
    for (const auto& [account, sign] : {std::pair{posting.from, -1}, std::pair{posting.to, 1}}) {
      std::int64_t& balance = BalanceSlot(state, wallet, platform, account);
      const bool fits = sign > 0 ? CheckedAdd(balance, posting.amount_minor, &balance)
                                 : CheckedSubtract(balance, posting.amount_minor, &balance);
      if (fits) continue;
      // The wallet and payouts in transit were always checked before an event was recorded: a
      // sum past the range there is a bug. The other accounts were not checked at first, so a
      // log recorded then may hold one; its balance then stays at the range's bound.
      LEDGER_CHECK(account.kind != AccountKind::kWallet &&
                   account.kind != AccountKind::kPayoutsInTransit);
      balance = sign > 0 ? INT64_MAX : INT64_MIN;
    }
  }
  LEDGER_CHECK(wallet.in_transit_minor >= 0);
}

OrderState& HotOrder(State& state, std::string_view platform_id, std::string_view order_id,
                     std::uint32_t* slot = nullptr) {
  const std::uint32_t* found = state.hot.ids.Find(MakeIdKey(IdKind::kOrder, platform_id, order_id));
  LEDGER_CHECK(found != nullptr);
  if (slot != nullptr) *slot = *found;
  return state.hot.orders[*found];
}

/// A slot for a new record: a freed one, else a new one at the end.
template <typename Record>
std::uint32_t TakeSlot(ChunkedVector<Record>& records, std::vector<std::uint32_t>& free) {
  if (!free.empty()) {
    const std::uint32_t slot = free.back();
    free.pop_back();
    return slot;
  }
  const std::uint32_t slot = Push(records.size());
  records.push_back(Record{});
  return slot;
}

void Touch(OrderState& order, SequenceNumber sequence) {
  order.last_sequence = sequence.value;
  order.recently_used = true;
}

/// `with_wallets` false: the order's own records only, for an order loaded back from its
/// stream, whose money the wallets already hold.
void ApplyOperation(State& state, const OperationRecorded& e, const Event& event,
                    SequenceNumber sequence, bool with_wallets) {
  std::uint32_t order_slot = 0;
  OrderState& order = HotOrder(state, e.platform_id, e.order_id, &order_slot);
  Touch(order, sequence);
  const std::uint32_t slot = state.TransactionSlot(
      order, MakeIdKey(IdKind::kTransaction, e.platform_id, e.transaction_id));
  LEDGER_CHECK(slot != kNoTransaction);
  TransactionState& t = state.hot.transactions[slot];
  LEDGER_CHECK(t.order == order_slot);
  ++order.version;
  const std::int64_t amount = e.amount_minor;
  if (e.outcome != OperationOutcome::Succeeded) {
    // A failed operation moves no money; a failed first authorization fails the payment.
    if (e.kind == OperationKind::Authorization && t.status == TransactionStatus::kPending) {
      t.status = TransactionStatus::kFailed;
      order.committed_minor -= t.amount_minor;
    }
    return;
  }
  switch (e.kind) {
    case OperationKind::Authorization:
      t.authorized_minor += amount;
      if (t.status == TransactionStatus::kPending) t.status = TransactionStatus::kAuthorized;
      break;
    case OperationKind::Capture:
      t.captured_minor += amount;
      t.status = TransactionStatus::kCaptured;
      break;
    case OperationKind::Cancellation:
      t.status = TransactionStatus::kCancelled;
      order.committed_minor -= t.amount_minor;
      break;
    case OperationKind::Refund:
    case OperationKind::Chargeback:
      t.reversed_minor += amount;
      break;
    case OperationKind::Fee:
      t.fees_minor += amount;
      break;
    case OperationKind::Unspecified:
      LEDGER_CHECK(false);
  }
  LEDGER_CHECK(0 <= t.reversed_minor && t.reversed_minor <= t.captured_minor &&
               t.captured_minor <= t.authorized_minor && t.authorized_minor <= t.amount_minor &&
               t.fees_minor <= t.amount_minor);
  LEDGER_CHECK(0 <= order.committed_minor && order.committed_minor <= order.amount_minor);
  if (!with_wallets) return;
  ApplyPostings(state, event, order.platform, order.currency);
  if (e.kind == OperationKind::Refund) {
    LEDGER_CHECK(state.wallets[WalletKey(order.platform, order.currency)].balance_minor >= 0);
  }
}

void ApplyGrant(State& state, const std::string& organization_id, const std::string& user_id,
                const RoleGrant* grant) {
  const std::uint32_t organization_index = IndexIn(state.organization_index, organization_id);
  OrganizationState& organization = state.organizations[organization_index];
  UserState& user = state.users[IndexIn(state.user_index, user_id)];
  ++organization.version;
  auto current = organization.grants.find(user_id);
  if (current != organization.grants.end()) {
    if (current->second.IsOrganizationAdmin()) --organization.organization_admins;
    organization.grants.erase(current);
  }
  auto& memberships = user.organizations;
  memberships.erase(std::remove(memberships.begin(), memberships.end(), organization_index),
                    memberships.end());
  if (grant != nullptr) {
    if (grant->IsOrganizationAdmin()) ++organization.organization_admins;
    organization.grants.emplace(user_id, *grant);
    memberships.push_back(organization_index);
  }
}

struct Applier {
  State& state;
  const Event& event;
  SequenceNumber sequence;
  bool with_wallets;

  void operator()(const OrganizationCreated& e) {
    state.organization_index.emplace(e.organization_id, Push(state.organizations.size()));
    state.organizations.push_back(OrganizationState{e.organization_id, 1, {}, 0});
  }
  void operator()(const PlatformCreated& e) {
    const std::uint32_t organization = IndexIn(state.organization_index, e.organization_id);
    state.platform_index.emplace(e.platform_id, Push(state.platforms.size()));
    state.platforms.push_back(PlatformState{e.platform_id, organization, e.environment, 1, {}});
  }
  void operator()(const UserRegistered& e) {
    state.user_index.emplace(e.user_id, Push(state.users.size()));
    state.users.push_back(UserState{e.user_id, 1, {}});
  }
  void operator()(const RoleGranted& e) {
    RoleGrant grant{e.role, e.all_platforms, e.platform_ids};
    ApplyGrant(state, e.organization_id, e.user_id, &grant);
  }
  void operator()(const RoleRevoked& e) {
    ApplyGrant(state, e.organization_id, e.user_id, nullptr);
  }
  void operator()(const ApiKeyIssued& e) {
    const std::uint32_t platform = IndexIn(state.platform_index, e.platform_id);
    ++state.platforms[platform].version;
    state.api_keys.emplace(e.key_id, CredentialState{platform, e.secret_sha256, true});
  }
  void operator()(const ApiKeyRevoked& e) {
    ++state.platforms[IndexIn(state.platform_index, e.platform_id)].version;
    state.api_keys.at(e.key_id).active = false;
  }
  void operator()(const UserTokenIssued& e) {
    const std::uint32_t user = IndexIn(state.user_index, e.user_id);
    ++state.users[user].version;
    state.user_tokens.emplace(e.token_id, CredentialState{user, e.secret_sha256, true});
  }
  void operator()(const UserTokenRevoked& e) {
    ++state.users[IndexIn(state.user_index, e.user_id)].version;
    state.user_tokens.at(e.token_id).active = false;
  }
  void operator()(const BankAccountAdded& e) {
    PlatformState& platform = state.platforms[IndexIn(state.platform_index, e.platform_id)];
    ++platform.version;
    platform.bank_accounts.emplace(e.bank_account_id,
                                   BankAccountState{CurrencyIndex(e.currency), 0});
  }
  void operator()(const OrderCreated& e) {
    HotOrders& hot = state.hot;
    const std::uint32_t slot = TakeSlot(hot.orders, hot.free_orders);
    OrderState& order = hot.orders[slot];
    order = OrderState{};
    order.amount_minor = e.amount_minor;
    order.key = MakeIdKey(IdKind::kOrder, e.platform_id, e.order_id);
    order.platform = IndexIn(state.platform_index, e.platform_id);
    order.version = 1;
    order.currency = CurrencyIndex(e.currency);
    Touch(order, sequence);
    hot.ids.Insert(order.key, slot);
    ++hot.count;
  }
  void operator()(const OrderCancelled& e) {
    OrderState& order = HotOrder(state, e.platform_id, e.order_id);
    Touch(order, sequence);
    ++order.version;
    order.status = OrderStatus::kCancelled;
  }
  void operator()(const TransactionCreated& e) {
    HotOrders& hot = state.hot;
    std::uint32_t order_slot = 0;
    OrderState& order = HotOrder(state, e.platform_id, e.order_id, &order_slot);
    Touch(order, sequence);
    ++order.version;
    ++order.transaction_count;
    order.committed_minor += e.amount_minor;
    LEDGER_CHECK(order.committed_minor <= order.amount_minor);
    const std::uint32_t slot = TakeSlot(hot.transactions, hot.free_transactions);
    TransactionState& transaction = hot.transactions[slot];
    transaction = TransactionState{};
    transaction.amount_minor = e.amount_minor;
    transaction.key = MakeIdKey(IdKind::kTransaction, e.platform_id, e.transaction_id);
    transaction.order = order_slot;
    transaction.next = order.first_transaction;
    order.first_transaction = slot;
  }
  void operator()(const OperationRecorded& e) {
    ApplyOperation(state, e, event, sequence, with_wallets);
  }
  void operator()(const WithdrawalRequested& e) {
    WithdrawalState withdrawal{e.amount_minor, IndexIn(state.platform_index, e.platform_id),
                               CurrencyIndex(e.currency), WithdrawalStatus::kRequested,
                               e.bank_account_id};
    state.withdrawal_ids.Insert(MakeIdKey(IdKind::kWithdrawal, e.platform_id, e.withdrawal_id),
                                Push(state.withdrawals.size()));
    state.withdrawals.push_back(withdrawal);
    ++state.wallets[WalletKey(withdrawal.platform, withdrawal.currency)].version;
    ApplyPostings(state, event, withdrawal.platform, withdrawal.currency);
    LEDGER_CHECK(state.wallets[WalletKey(withdrawal.platform, withdrawal.currency)].balance_minor >=
                 0);
  }
  void operator()(const WithdrawalSettled& e) { Conclude(e, WithdrawalStatus::kSettled); }
  void operator()(const WithdrawalFailed& e) { Conclude(e, WithdrawalStatus::kFailed); }

  template <typename E>
  void Conclude(const E& e, WithdrawalStatus status) {
    WithdrawalState& withdrawal = state.withdrawals[*state.withdrawal_ids.Find(
        MakeIdKey(IdKind::kWithdrawal, e.platform_id, e.withdrawal_id))];
    LEDGER_CHECK(withdrawal.status == WithdrawalStatus::kRequested &&
                 withdrawal.amount_minor == e.amount_minor);
    withdrawal.status = status;
    ++state.wallets[WalletKey(withdrawal.platform, withdrawal.currency)].version;
    ApplyPostings(state, event, withdrawal.platform, withdrawal.currency);
  }
};

}  // namespace

void Apply(State& state, const Event& event, SequenceNumber sequence) {
  std::visit(Applier{state, event, sequence, true}, event);
}

void ApplyToHotOrder(State& state, const Event& event, SequenceNumber sequence) {
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        LEDGER_CHECK((std::is_same_v<E, OrderCreated> || std::is_same_v<E, OrderCancelled> ||
                      std::is_same_v<E, TransactionCreated> ||
                      std::is_same_v<E, OperationRecorded>));
        Applier{state, event, sequence, false}(e);
      },
      event);
}

Status CheckIsNextOfItsStream(const State& state, const RecordedEvent& recorded,
                              const Event& event) {
  const std::uint64_t sequence = recorded.sequence().value;
  Result<StreamVersion> current = CurrentVersionOf(state, event);
  if (!current.ok()) {
    return Status::Corruption(fmt::format("event {}: {}", sequence, current.status().message()));
  }
  if (current->Next() != recorded.stream_version() || StreamOf(event) != recorded.stream()) {
    return Status::Corruption(fmt::format(
        "event {} is version {} of '{}', but the domain state puts it at version {} of '{}'",
        sequence, recorded.stream_version().value, recorded.stream(), current->Next().value,
        StreamOf(event)));
  }
  return Status::Ok();
}

Result<StreamVersion> CurrentVersionOf(const State& state, const Event& event) {
  auto missing = [&event](std::string_view what) -> Result<StreamVersion> {
    return Status::Corruption(
        fmt::format("{} names {} the domain state does not hold", EventName(event), what));
  };
  return std::visit(
      [&](const auto& e) -> Result<StreamVersion> {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, OrganizationCreated> || std::is_same_v<E, RoleGranted> ||
                      std::is_same_v<E, RoleRevoked>) {
          const OrganizationState* organization = state.FindOrganization(e.organization_id);
          if (organization != nullptr) return StreamVersion{organization->version};
          if (std::is_same_v<E, OrganizationCreated>) return StreamVersion{};
          return missing("an organization");
        } else if constexpr (requires { e.key_id; } || std::is_same_v<E, PlatformCreated> ||
                             std::is_same_v<E, BankAccountAdded>) {
          const PlatformState* platform = state.FindPlatform(e.platform_id);
          if (platform != nullptr) return StreamVersion{platform->version};
          if (std::is_same_v<E, PlatformCreated>) return StreamVersion{};
          return missing("a platform");
        } else if constexpr (requires { e.user_id; }) {
          const UserState* user = state.FindUser(e.user_id);
          if (user != nullptr) return StreamVersion{user->version};
          if (std::is_same_v<E, UserRegistered>) return StreamVersion{};
          return missing("a user");
        } else if constexpr (requires { e.order_id; }) {
          if (!IsValidId(e.platform_id) || !IsValidId(e.order_id)) return missing("an order");
          const OrderState* order = state.FindOrder(e.platform_id, e.order_id);
          if (order != nullptr) return StreamVersion{order->version};
          if (std::is_same_v<E, OrderCreated>) return StreamVersion{};
          return missing("an order");
        } else {
          const PlatformState* platform = state.FindPlatform(e.platform_id);
          const CurrencyInfo* currency = FindCurrency(e.currency);
          if (platform == nullptr || currency == nullptr) return missing("a wallet");
          const WalletState* wallet = state.FindWallet(state.IndexOf(*platform), currency->index);
          return StreamVersion{wallet == nullptr ? 0u : wallet->version};
        }
      },
      event);
}

}  // namespace ledger::domain

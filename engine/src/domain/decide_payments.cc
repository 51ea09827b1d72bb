// Deciding the payment commands: orders, transactions and operations.
//
// A transaction's state machine (docs/domain.md has the table):
//   pending ──authorization✓──▶ authorized ──capture✓──▶ captured
//   pending ──authorization✗──▶ failed
//   pending | authorized ──cancellation✓──▶ cancelled
// Refunds and chargebacks need captured money; fees are facts accepted in every state. A
// failed operation is recorded but moves no money and changes no amount.
#include <fmt/format.h>

#include "domain/decide_internal.h"
#include "ledger/engine/domain/money.h"
#include "ledger/limits.h"

namespace ledger::domain::internal {
namespace {

using schema::OperationKind;
using schema::OperationOutcome;

/// The order the command names on an already resolved platform.
std::optional<Rejection> ResolveOrder(const State& state, const PlatformState& platform,
                                      std::string_view order_id, const OrderState** out) {
  *out = state.FindOrder(platform.id, order_id);
  if (*out != nullptr) return std::nullopt;
  return Reject(ResultCode::kOrderNotFound,
                fmt::format("order '{}' not found on platform '{}'", order_id, platform.id));
}

std::optional<Rejection> CheckSameCurrency(std::string_view given, const OrderState& order) {
  std::string_view expected = CurrencyAt(order.currency).code;
  if (given.empty() || given == expected) return std::nullopt;
  return Reject(ResultCode::kCurrencyDiffersFromOrder,
                fmt::format("currency {} differs from the order's {}", given, expected));
}

std::optional<Rejection> CheckOperationFields(const RecordOperation& c) {
  if (auto r = CheckId("platform", c.platform_id)) return r;
  if (auto r = CheckId("order", c.order_id)) return r;
  if (auto r = CheckId("transaction", c.transaction_id)) return r;
  if (auto r = CheckId("operation", c.operation_id)) return r;
  if (c.kind < OperationKind::Authorization || c.kind > OperationKind::Fee) {
    return Reject(ResultCode::kOperationKindIsUnspecified,
                  fmt::format("operation kind {} is not authorization, capture, refund, "
                              "cancellation, chargeback or fee",
                              static_cast<int>(c.kind)));
  }
  if (c.outcome != OperationOutcome::Succeeded && c.outcome != OperationOutcome::Failed) {
    return Reject(ResultCode::kOperationOutcomeIsUnspecified,
                  fmt::format("operation outcome {} is neither succeeded nor failed",
                              static_cast<int>(c.outcome)));
  }
  if (auto r = CheckAmount(c.amount_minor)) return r;
  std::uint16_t currency = 0;
  if (!c.currency.empty()) {
    if (auto r = CheckCurrency(c.currency, &currency)) return r;
  }
  if (auto r = CheckText("external reference", c.external_reference)) return r;
  if (c.occurred_at_us <= 0) {
    return Reject(ResultCode::kOccurredAtIsNotPositive,
                  fmt::format("occurred_at_us must be after 1970, not {}", c.occurred_at_us));
  }
  return std::nullopt;
}

Rejection StateRejection(ResultCode code, const RecordOperation& c,
                         const TransactionState& transaction) {
  return Reject(code, fmt::format("{} refused: transaction '{}' is {}", OperationKindName(c.kind),
                                  c.transaction_id, TransactionStatusName(transaction.status)));
}

/// Step 4: may an operation of this kind be recorded in the transaction's current status?
std::optional<Rejection> CheckOperationState(const RecordOperation& c,
                                             const TransactionState& transaction) {
  if (c.kind == OperationKind::Fee) return std::nullopt;  // Fees are facts, in every state.
  using S = TransactionStatus;
  const S status = transaction.status;
  if (status == S::kFailed) return StateRejection(ResultCode::kTransactionIsFailed, c, transaction);
  if (status == S::kCancelled) {
    return StateRejection(ResultCode::kTransactionIsCancelled, c, transaction);
  }
  const bool before_capture = status == S::kPending || status == S::kAuthorized;
  ResultCode code = ResultCode::kAccepted;
  switch (c.kind) {
    case OperationKind::Authorization:
      if (status == S::kCaptured) code = ResultCode::kAuthorizationAfterCapture;
      break;
    case OperationKind::Capture:
      if (status == S::kPending) code = ResultCode::kCaptureBeforeAuthorization;
      break;
    case OperationKind::Cancellation:
      if (status == S::kCaptured) code = ResultCode::kCancellationAfterCapture;
      break;
    case OperationKind::Refund:
      if (before_capture) code = ResultCode::kRefundBeforeCapture;
      break;
    case OperationKind::Chargeback:
      if (before_capture) code = ResultCode::kChargebackBeforeCapture;
      break;
    default:
      break;
  }
  if (code == ResultCode::kAccepted) return std::nullopt;
  return StateRejection(code, c, transaction);
}

Rejection Exceeds(ResultCode code, const RecordOperation& c, std::string_view limit_name,
                  std::int64_t limit_minor, std::string_view currency) {
  return Reject(code, fmt::format("{} of {} exceeds {} ({})", OperationKindName(c.kind),
                                  FormatMoney(c.amount_minor, currency), limit_name,
                                  FormatMoney(limit_minor, currency)));
}

/// Step 5, succeeded operations only: the transaction's limits, then the wallet's.
std::optional<Rejection> CheckOperationMoney(const State& state, const RecordOperation& c,
                                             const TransactionState& t, const OrderState& order) {
  const std::string_view currency = CurrencyAt(order.currency).code;
  const std::int64_t amount = c.amount_minor;
  const std::int64_t reversible = t.captured_minor - t.reversed_minor;
  switch (c.kind) {
    case OperationKind::Authorization:
      if (amount > t.amount_minor - t.authorized_minor) {
        return Exceeds(ResultCode::kAuthorizationExceedsTransaction, c, "what remains to authorize",
                       t.amount_minor - t.authorized_minor, currency);
      }
      return std::nullopt;
    case OperationKind::Capture:
      if (amount > t.authorized_minor - t.captured_minor) {
        return Exceeds(ResultCode::kCaptureExceedsAuthorized, c,
                       "the authorized amount not yet captured",
                       t.authorized_minor - t.captured_minor, currency);
      }
      break;
    case OperationKind::Cancellation:
      if (amount > t.amount_minor) {
        return Exceeds(ResultCode::kCancellationExceedsTransaction, c, "the transaction amount",
                       t.amount_minor, currency);
      }
      return std::nullopt;
    case OperationKind::Refund:
    case OperationKind::Chargeback:
      if (amount > reversible) {
        return Exceeds(c.kind == OperationKind::Refund ? ResultCode::kRefundExceedsCaptured
                                                       : ResultCode::kChargebackExceedsCaptured,
                       c, "the captured amount not yet refunded or charged back", reversible,
                       currency);
      }
      break;
    case OperationKind::Fee:
      if (amount > t.amount_minor - t.fees_minor) {
        return Exceeds(ResultCode::kFeesExceedTransactionAmount, c,
                       "the transaction amount less fees already charged",
                       t.amount_minor - t.fees_minor, currency);
      }
      break;
    default:
      return std::nullopt;
  }
  const WalletState* wallet = state.FindWallet(order.platform, order.currency);
  const std::int64_t balance = wallet == nullptr ? 0 : wallet->balance_minor;
  if (c.kind == OperationKind::Refund && amount > balance) {
    return Exceeds(ResultCode::kRefundExceedsWalletBalance, c, "the available wallet balance",
                   balance, currency);
  }
  std::int64_t after = 0;
  const bool fits = c.kind == OperationKind::Capture ? CheckedAdd(balance, amount, &after)
                                                     : CheckedSubtract(balance, amount, &after);
  if (fits) return std::nullopt;
  return Reject(ResultCode::kBalanceWouldOverflow,
                fmt::format("{} of {} would take the wallet balance past the int64 range",
                            OperationKindName(c.kind), FormatMoney(amount, currency)));
}

}  // namespace

Decision DecideOne(const Context& context, const CreateOrder& c) {
  if (auto r = CheckId("platform", c.platform_id)) return *r;
  if (auto r = CheckId("order", c.order_id)) return *r;
  if (auto r = CheckAmount(c.amount_minor)) return *r;
  std::uint16_t currency = 0;
  if (auto r = CheckCurrency(c.currency, &currency)) return *r;
  if (auto r = CheckText("module", c.module)) return *r;
  if (auto r = CheckText("reference", c.reference)) return *r;
  const PlatformState* platform = nullptr;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (auto r = context.access.ResolvePlatform(c.platform_id, &platform)) return *r;
  if (auto r = context.access.Require(Action::kCreatePaymentRequests, *platform)) return *r;
  if (context.state.FindOrder(c.platform_id, c.order_id) != nullptr) {
    return Reject(
        ResultCode::kOrderAlreadyExists,
        fmt::format("order '{}' already exists on platform '{}'", c.order_id, c.platform_id));
  }
  return AcceptOnPlatform(
      context.state,
      OrderCreated{c.platform_id, c.order_id, c.amount_minor, c.currency, c.module, c.reference}, 0,
      *platform);
}

Decision DecideOne(const Context& context, const CancelOrder& c) {
  if (auto r = CheckId("platform", c.platform_id)) return *r;
  if (auto r = CheckId("order", c.order_id)) return *r;
  if (auto r = CheckText("reason", c.reason)) return *r;
  const PlatformState* platform = nullptr;
  const OrderState* order = nullptr;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (auto r = context.access.ResolvePlatform(c.platform_id, &platform)) return *r;
  if (auto r = context.access.Require(Action::kCreatePaymentRequests, *platform)) return *r;
  if (auto r = ResolveOrder(context.state, *platform, c.order_id, &order)) return *r;
  if (order->status == OrderStatus::kCancelled) {
    return Reject(ResultCode::kOrderIsCancelled,
                  fmt::format("order '{}' is already cancelled", c.order_id));
  }
  return AcceptOnPlatform(context.state, OrderCancelled{c.platform_id, c.order_id, c.reason},
                          order->version, *platform);
}

Decision DecideOne(const Context& context, const CreateTransaction& c) {
  if (auto r = CheckId("platform", c.platform_id)) return *r;
  if (auto r = CheckId("order", c.order_id)) return *r;
  if (auto r = CheckId("transaction", c.transaction_id)) return *r;
  if (auto r = CheckAmount(c.amount_minor)) return *r;
  std::uint16_t currency = 0;
  if (!c.currency.empty()) {
    if (auto r = CheckCurrency(c.currency, &currency)) return *r;
  }
  const PlatformState* platform = nullptr;
  const OrderState* order = nullptr;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (auto r = context.access.ResolvePlatform(c.platform_id, &platform)) return *r;
  if (auto r = context.access.Require(Action::kRecordPaymentExecution, *platform)) return *r;
  if (auto r = ResolveOrder(context.state, *platform, c.order_id, &order)) return *r;
  std::string claim = TransactionClaim(c.platform_id, c.transaction_id);
  if (context.claims.Taken(claim)) {
    return Reject(ResultCode::kTransactionAlreadyExists,
                  fmt::format("transaction '{}' already exists on platform '{}'", c.transaction_id,
                              c.platform_id));
  }
  if (auto r = CheckSameCurrency(c.currency, *order)) return *r;
  if (order->status == OrderStatus::kCancelled) {
    return Reject(ResultCode::kOrderIsCancelled,
                  fmt::format("order '{}' is cancelled: it takes no new transactions", c.order_id));
  }
  if (order->transaction_count >= limits::kOrderTransactionsMax) {
    return Reject(ResultCode::kOrderHasTooManyTransactions,
                  fmt::format("order '{}' already has {} transactions, the most it may have",
                              c.order_id, limits::kOrderTransactionsMax));
  }
  const std::int64_t open_minor = order->amount_minor - order->committed_minor;
  if (c.amount_minor > open_minor) {
    const std::string_view code = CurrencyAt(order->currency).code;
    return Reject(
        ResultCode::kTransactionsExceedOrderAmount,
        fmt::format("transaction of {} exceeds what remains of order '{}' ({})",
                    FormatMoney(c.amount_minor, code), c.order_id, FormatMoney(open_minor, code)));
  }
  Decision accepted = AcceptOnPlatform(
      context.state,
      TransactionCreated{c.platform_id, c.order_id, c.transaction_id, c.amount_minor},
      order->version, *platform);
  accepted.claim = std::move(claim);
  return accepted;
}

Decision DecideOne(const Context& context, const RecordOperation& c) {
  if (auto r = CheckOperationFields(c)) return *r;
  const PlatformState* platform = nullptr;
  const OrderState* order = nullptr;
  if (auto r = context.access.CheckPrincipal()) return *r;
  if (auto r = context.access.ResolvePlatform(c.platform_id, &platform)) return *r;
  const Action action =
      c.kind == OperationKind::Refund ? Action::kRefund : Action::kRecordPaymentExecution;
  if (auto r = context.access.Require(action, *platform)) return *r;
  if (auto r = ResolveOrder(context.state, *platform, c.order_id, &order)) return *r;
  const TransactionState* transaction =
      context.state.FindTransaction(*order, c.platform_id, c.transaction_id);
  if (transaction == nullptr) {
    return Reject(
        ResultCode::kTransactionNotFound,
        fmt::format("transaction '{}' not found in order '{}'", c.transaction_id, c.order_id));
  }
  std::string claim = OperationClaim(c.platform_id, c.operation_id);
  if (context.claims.Taken(claim)) {
    return Reject(ResultCode::kOperationAlreadyExists,
                  fmt::format("operation '{}' already exists on platform '{}'", c.operation_id,
                              c.platform_id));
  }
  if (auto r = CheckSameCurrency(c.currency, *order)) return *r;
  if (auto r = CheckOperationState(c, *transaction)) return *r;
  OperationRecorded event{c.platform_id,
                          c.order_id,
                          c.transaction_id,
                          c.operation_id,
                          c.kind,
                          c.outcome,
                          c.amount_minor,
                          std::string(CurrencyAt(order->currency).code),
                          c.external_reference,
                          c.occurred_at_us};
  if (c.outcome == OperationOutcome::Succeeded) {
    if (auto r = CheckOperationMoney(context.state, c, *transaction, *order)) return *r;
    if (auto r = CheckPostingsFit(context.state, event, order->platform, order->currency,
                                  OperationKindName(c.kind))) {
      return *r;
    }
  }
  Decision accepted = AcceptOnPlatform(context.state, std::move(event), order->version, *platform);
  accepted.claim = std::move(claim);
  return accepted;
}

}  // namespace ledger::domain::internal

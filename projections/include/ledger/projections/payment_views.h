// What the payment views answer: summaries per platform and per organization, daily
// totals, orders (list and detail) and withdrawals. Plain structs, filled by Views.
//
// Money is an int64 count of minor units next to its ISO 4217 code, never floating point.
// Times are microseconds since the Unix epoch (UTC) as the log recorded them. Lists are
// newest first and paged with an opaque cursor: pass a page's `next_cursor` to get the
// next page; an empty `next_cursor` means the list is complete. A cursor stays valid while
// new rows arrive: they sort before it. Thread-safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/engine/types.h"
#include "ledger/projections/types.h"
#include "ledger/schema/common_generated.h"

namespace ledger::projections {

struct OrderFigures {
  std::int64_t count = 0;
  /// Sum of the orders' amounts.
  std::int64_t amount_minor = 0;
  bool operator==(const OrderFigures&) const = default;
};

/// The figures of one scope in one currency.
struct CurrencyFigures {
  std::string currency;
  /// Indexed by OrderStatus.
  std::array<OrderFigures, kOrderStatusCount> orders_by_status{};
  /// Succeeded operations, all time.
  std::int64_t captured_minor = 0;
  std::int64_t refunded_minor = 0;
  std::int64_t charged_back_minor = 0;
  std::int64_t fees_minor = 0;
  /// Withdrawals settled, all time.
  std::int64_t withdrawn_minor = 0;
  /// The wallet: captured − refunded − charged back − fees − withdrawals pending or settled.
  std::int64_t available_minor = 0;
  /// Withdrawals requested and neither settled nor failed yet.
  std::int64_t pending_withdrawal_minor = 0;
  bool operator==(const CurrencyFigures&) const = default;
};

struct PlatformSummary {
  SequenceNumber as_of;
  schema::Environment environment = schema::Environment::Unspecified;
  std::string organization_id;
  std::string platform_id;
  std::string name;
  /// Sorted by currency code.
  std::vector<CurrencyFigures> currencies;
};

struct OrganizationSummary {
  SequenceNumber as_of;
  schema::Environment environment = schema::Environment::Unspecified;
  std::string organization_id;
  std::string name;
  /// The organization's platforms in this environment, sorted.
  std::vector<std::string> platform_ids;
  /// Sums over those platforms, sorted by currency code.
  std::vector<CurrencyFigures> currencies;
};

/// One UTC day of one currency. The day is that of the log's recorded time.
struct DailyFigures {
  /// "2025-11-21".
  std::string day;
  std::string currency;
  std::int64_t captured_minor = 0;
  std::int64_t refunded_minor = 0;
  std::int64_t charged_back_minor = 0;
  std::int64_t fees_minor = 0;
  /// Withdrawals settled that day.
  std::int64_t withdrawn_minor = 0;
  bool operator==(const DailyFigures&) const = default;
};

struct DailyTotals {
  SequenceNumber as_of;
  /// Days with any figure, oldest first, then by currency.
  std::vector<DailyFigures> days;
};

struct OrderRecord {
  std::string platform_id;
  std::string order_id;
  OrderStatus status = OrderStatus::kOpen;
  std::int64_t amount_minor = 0;
  std::string currency;
  std::string module;
  std::string reference;
  /// Sums over the order's transactions of their succeeded operations.
  std::int64_t authorized_minor = 0;
  std::int64_t captured_minor = 0;
  std::int64_t refunded_minor = 0;
  std::int64_t charged_back_minor = 0;
  std::int64_t fees_minor = 0;
  std::uint32_t transaction_count = 0;
  std::uint32_t operation_count = 0;
  SequenceNumber created_sequence;
  std::int64_t created_at_us = 0;
  /// The order's last event.
  SequenceNumber updated_sequence;
  std::int64_t updated_at_us = 0;
  /// Set when cancelled.
  std::string cancellation_reason;
  bool operator==(const OrderRecord&) const = default;
};

struct OperationRecord {
  SequenceNumber sequence;
  std::int64_t recorded_at_us = 0;
  /// When the processor says it happened.
  std::int64_t occurred_at_us = 0;
  std::string order_id;
  std::string transaction_id;
  std::string operation_id;
  schema::OperationKind kind = schema::OperationKind::Unspecified;
  schema::OperationOutcome outcome = schema::OperationOutcome::Unspecified;
  std::int64_t amount_minor = 0;
  std::string currency;
  std::string external_reference;
  /// What it did to the wallet: +captures, −refunds, −chargebacks, −fees; 0 when failed.
  std::int64_t net_minor = 0;
  bool operator==(const OperationRecord&) const = default;
};

struct TransactionRecord {
  std::string transaction_id;
  TransactionStatus status = TransactionStatus::kPending;
  std::int64_t amount_minor = 0;
  std::int64_t authorized_minor = 0;
  std::int64_t captured_minor = 0;
  std::int64_t refunded_minor = 0;
  std::int64_t charged_back_minor = 0;
  std::int64_t fees_minor = 0;
  SequenceNumber created_sequence;
  std::int64_t created_at_us = 0;
  /// In log order.
  std::vector<OperationRecord> operations;
  bool operator==(const TransactionRecord&) const = default;
};

/// The dashboard's order page: the order, its transactions, their operations.
struct OrderDetail {
  SequenceNumber as_of;
  OrderRecord order;
  /// In creation order.
  std::vector<TransactionRecord> transactions;
};

struct OrderFilter {
  Scope scope;
  std::optional<OrderStatus> status;
  /// Orders created in [created_from_us, created_to_us).
  std::optional<std::int64_t> created_from_us;
  std::optional<std::int64_t> created_to_us;
  /// Exact match on the order's reference.
  std::optional<std::string> reference;
  std::string cursor;
  /// 0: limits::kPageRowsDefault; at most limits::kPageRowsMax.
  std::size_t limit = 0;
};

struct OrderPage {
  SequenceNumber as_of;
  /// Newest first.
  std::vector<OrderRecord> orders;
  std::string next_cursor;
};

struct WithdrawalRecord {
  std::string platform_id;
  std::string withdrawal_id;
  std::string bank_account_id;
  WithdrawalStatus status = WithdrawalStatus::kRequested;
  std::int64_t amount_minor = 0;
  std::string currency;
  /// Who asked for it ("user:<id>", "key:<id>", "root").
  std::string requested_by;
  SequenceNumber requested_sequence;
  std::int64_t requested_at_us = 0;
  /// Settlement or failure; 0 while requested.
  SequenceNumber concluded_sequence;
  std::int64_t concluded_at_us = 0;
  /// The bank's reference (settled) or the reason (failed).
  std::string external_reference;
  std::string failure_reason;
  bool operator==(const WithdrawalRecord&) const = default;
};

struct WithdrawalFilter {
  Scope scope;
  std::optional<WithdrawalStatus> status;
  /// Withdrawals requested in [requested_from_us, requested_to_us).
  std::optional<std::int64_t> requested_from_us;
  std::optional<std::int64_t> requested_to_us;
  std::string cursor;
  std::size_t limit = 0;
};

struct WithdrawalPage {
  SequenceNumber as_of;
  /// Newest first.
  std::vector<WithdrawalRecord> withdrawals;
  std::string next_cursor;
};

}  // namespace ledger::projections

// Shared vocabulary of the read side: which projection, which scope, how long a query waits.
//
// Every query names a scope (environment, organization, optionally one platform) and is
// answered from that scope only: sandbox and production never mix, and an organization's
// figures are those of its platforms in that environment. Queries check no permission; the
// server checks the caller's role and scope first, then passes the scope here.
//
// A query may carry `min_sequence`: it then waits (at most `wait`, itself at most
// limits::kQueryWaitMsMax) until the projections it reads have applied the log through that
// sequence, so a writer reads its own writes. Every answer says which sequence it reflects.
// Thread-safety: plain values.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/engine/types.h"
#include "ledger/schema/common_generated.h"

namespace ledger::projections {

/// The projections, each with its own checkpoint, rows and rebuild. Values are stored.
enum class ProjectionId : std::uint8_t {
  /// Organizations and their platforms per environment: what scopes resolve against.
  kDirectory = 0,
  /// Summaries, daily totals, orders, transactions, operations, withdrawals.
  kPayments = 1,
  /// Journal of postings, trial balance, account balance history.
  kAccounting = 2,
  /// Activity by actor, role-change history.
  kAudit = 3,
};
inline constexpr std::size_t kProjectionCount = 4;
inline constexpr std::array<ProjectionId, kProjectionCount> kAllProjections = {
    ProjectionId::kDirectory, ProjectionId::kPayments, ProjectionId::kAccounting,
    ProjectionId::kAudit};

/// "directory", "payments", "accounting", "audit".
std::string_view ProjectionName(ProjectionId id);
/// False when `name` names no projection.
bool ParseProjectionName(std::string_view name, ProjectionId* out);

/// Where a query looks. An empty platform means every platform of the organization in
/// that environment.
struct Scope {
  schema::Environment environment = schema::Environment::Unspecified;
  std::string organization_id;
  std::string platform_id;

  bool IsOrganizationWide() const { return platform_id.empty(); }
};

/// How fresh an answer must be.
struct QueryOptions {
  /// The log sequence the answer must include (0: whatever is applied now).
  SequenceNumber min_sequence;
  /// How long to wait for it before failing with kTimedOut. Capped at kQueryWaitMsMax.
  std::chrono::milliseconds wait{0};
};

/// An order's status as the views derive it from its events (docs/projections.md):
/// cancelled once an OrderCancelled is recorded; otherwise refunded when everything
/// captured was refunded or charged back; otherwise paid when captures reach the order's
/// amount, partially_paid when some were captured, open when none. Values are stored.
enum class OrderStatus : std::uint8_t {
  kOpen = 0,
  kPartiallyPaid = 1,
  kPaid = 2,
  kRefunded = 3,
  kCancelled = 4,
};
inline constexpr std::size_t kOrderStatusCount = 5;
std::string_view OrderStatusName(OrderStatus status);
bool ParseOrderStatus(std::string_view name, OrderStatus* out);

/// A transaction's state, following the domain's state machine. Values are stored.
enum class TransactionStatus : std::uint8_t {
  kPending = 0,
  kAuthorized = 1,
  kCaptured = 2,
  kCancelled = 3,
  kFailed = 4,
};
std::string_view TransactionStatusName(TransactionStatus status);

/// A withdrawal's state. Values are stored.
enum class WithdrawalStatus : std::uint8_t { kRequested = 0, kSettled = 1, kFailed = 2 };
std::string_view WithdrawalStatusName(WithdrawalStatus status);
bool ParseWithdrawalStatus(std::string_view name, WithdrawalStatus* out);

/// "sandbox", "production" (or "unspecified").
std::string_view EnvironmentName(schema::Environment environment);

}  // namespace ledger::projections

// The queries of the read side: every view of docs/projections.md, answered from the views
// database through one consistent RocksDB snapshot per query.
//
// Each query resolves its scope first (kInvalidArgument for a malformed scope, kNotFound
// when the organization or platform does not exist in that environment), waits for
// QueryOptions::min_sequence (kTimedOut when the projections do not reach it in time), and
// reads. The audit queries name an organization (and an actor or a user) rather than a
// scope: an organization that does not exist simply has no rows. Queries never write and
// never check permissions (see types.h).
// Thread-safety: every member may be called from any thread, concurrently with the
// projector applying new events.
#pragma once

#include <array>
#include <ostream>
#include <string_view>

#include "ledger/engine/status.h"
#include "ledger/engine/types.h"
#include "ledger/projections/accounting_views.h"
#include "ledger/projections/audit_views.h"
#include "ledger/projections/exports.h"
#include "ledger/projections/payment_views.h"
#include "ledger/projections/types.h"

namespace ledger::projections {

namespace internal {
class ViewStore;
class ReadView;
}  // namespace internal

/// One projection's part of the canonical digest.
struct ProjectionDigest {
  ProjectionId id = ProjectionId::kDirectory;
  /// The checkpoint: the last applied sequence and that event's hash.
  ChainPoint checkpoint;
  std::uint64_t rows = 0;
  Hash256 digest{};
};

/// SHA-256 over a canonical dump of every view: equal for equal logs, however the views
/// were built (live, by rebuild, across crashes).
struct ViewsDigest {
  Hash256 digest{};
  std::array<ProjectionDigest, kProjectionCount> projections{};
};

class Views {
 public:
  explicit Views(internal::ViewStore* store) : store_(store) {}

  // ---- Payments (platform scope, or organization scope where noted) ----------------------
  Result<PlatformSummary> GetPlatformSummary(const Scope& scope,
                                             const QueryOptions& options = {}) const;
  /// REQUIRES: an organization-wide scope.
  Result<OrganizationSummary> GetOrganizationSummary(const Scope& scope,
                                                     const QueryOptions& options = {}) const;
  /// Days of [from_us, to_us), at most limits::kDailyTotalsDaysMax; either scope.
  Result<DailyTotals> GetDailyTotals(const Scope& scope, std::int64_t from_us, std::int64_t to_us,
                                     const QueryOptions& options = {}) const;
  /// Either scope.
  Result<OrderPage> ListOrders(const OrderFilter& filter, const QueryOptions& options = {}) const;
  /// REQUIRES: a platform scope.
  Result<OrderDetail> GetOrderDetail(const Scope& scope, std::string_view order_id,
                                     const QueryOptions& options = {}) const;
  /// Either scope.
  Result<WithdrawalPage> ListWithdrawals(const WithdrawalFilter& filter,
                                         const QueryOptions& options = {}) const;

  // ---- Accounting --------------------------------------------------------------------------
  /// Either scope.
  Result<JournalPage> GetJournal(const JournalFilter& filter,
                                 const QueryOptions& options = {}) const;
  /// The organization's accounts in that environment. REQUIRES: an organization-wide scope.
  Result<TrialBalance> GetTrialBalance(const Scope& scope, const QueryOptions& options = {}) const;
  /// The account must belong to the scope (kNotFound otherwise). A sequence past what is
  /// applied waits for it like min_sequence does.
  Result<AccountBalanceAt> GetAccountBalance(const Scope& scope, std::string_view account,
                                             std::string_view currency, const PointInLog& at,
                                             const QueryOptions& options = {}) const;

  // ---- Exports (exports.h) -----------------------------------------------------------------
  /// Writes the CSV to `out` in chunks of at most limits::kExportChunkBytesMax.
  Result<ExportManifest> ExportPayments(const ExportFilter& filter, std::ostream& out,
                                        const QueryOptions& options = {}) const;
  Result<ExportManifest> ExportDisbursements(const ExportFilter& filter, std::ostream& out,
                                             const QueryOptions& options = {}) const;

  // ---- Audit -------------------------------------------------------------------------------
  Result<ActivityPage> GetActivity(const ActivityFilter& filter,
                                   const QueryOptions& options = {}) const;
  Result<RoleHistory> GetRoleHistory(const RoleHistoryFilter& filter,
                                     const QueryOptions& options = {}) const;

  // ---- Verification ------------------------------------------------------------------------
  Result<ViewsDigest> CanonicalDigest(const QueryOptions& options = {}) const;

 private:
  internal::ViewStore* store_;
};

}  // namespace ledger::projections

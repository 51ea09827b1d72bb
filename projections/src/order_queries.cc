// Views: the order list, the order detail and the withdrawal list.
#include <fmt/format.h>

#include <algorithm>

#include "keys.h"
#include "ledger/limits.h"
#include "ledger/projections/views.h"
#include "query_support.h"
#include "rows.h"

namespace ledger::projections {

using internal::ReadView;
using internal::SequenceScan;

namespace {

Result<internal::OrderRow> ReadOrder(const ReadView& view, std::string_view platform,
                                     std::string_view order) {
  std::string value;
  Status status = view.Get(ProjectionId::kPayments, internal::keys::Order(platform, order), &value);
  if (status.code() == StatusCode::kNotFound) {
    return Status::NotFound(fmt::format("order '{}' not found on platform '{}'", order, platform));
  }
  if (!status.ok()) return status;
  internal::OrderRow row;
  if (!internal::DecodeOrder(value, &row)) return Status::Corruption("an order row is malformed");
  return row;
}

/// Which index lists the orders a filter asks for: the narrowest one it names. The creation
/// list is paged; the status and reference indexes have a row per order.
std::vector<std::unique_ptr<internal::EntryCursor>> OrderCursors(
    const ReadView& view, const OrderFilter& filter, const std::vector<std::string>& platforms,
    const internal::SequenceRange& range) {
  std::vector<std::unique_ptr<internal::EntryCursor>> cursors;
  for (const std::string& platform : platforms) {
    if (filter.reference) {
      cursors.push_back(
          internal::RowCursor(view, ProjectionId::kPayments,
                              internal::keys::OrderReferencePrefix(platform, *filter.reference),
                              range.first, range.last, true));
    } else if (filter.status) {
      cursors.push_back(
          internal::RowCursor(view, ProjectionId::kPayments,
                              internal::keys::OrderStatusPrefix(platform, *filter.status),
                              range.first, range.last, true));
    } else {
      cursors.push_back(
          internal::PageCursor(view, ProjectionId::kPayments,
                               internal::keys::PlatformPrefix(internal::keys::kOrderList, platform),
                               range.first, range.last, true));
    }
  }
  return cursors;
}

/// Fills a page from a scan, examining at most kPageScanRowsMax rows; `take(row)` reads the
/// row the index names and returns whether it belongs on the page.
template <typename Take>
Result<std::string> FillPage(SequenceScan& scan, std::size_t limit, std::size_t* taken,
                             Take&& take) {
  std::size_t examined = 0;
  for (; scan.Valid() && *taken < limit && examined < limits::kPageScanRowsMax; ++examined) {
    Result<bool> kept = take(scan);
    if (!kept.ok()) return kept.status();
    if (*kept) ++*taken;
    scan.Next();
  }
  Status status = scan.status();
  if (!status.ok()) return status;
  return scan.Valid() ? internal::EncodeCursor(scan.sequence()) : std::string();
}

}  // namespace

Result<OrderPage> Views::ListOrders(const OrderFilter& filter, const QueryOptions& options) const {
  Status status = internal::AwaitProjections(
      *store_, {ProjectionId::kDirectory, ProjectionId::kPayments}, options);
  if (!status.ok()) return status;
  ReadView view(*store_);
  auto resolved = internal::ResolveScope(view, filter.scope, internal::ScopeShape::kEither);
  if (!resolved.ok()) return resolved.status();
  auto as_of = internal::AsOf(view, ProjectionId::kPayments);
  if (!as_of.ok()) return as_of.status();
  auto range = internal::PageRange(view, ProjectionId::kPayments, filter.created_from_us,
                                   filter.created_to_us, as_of->sequence, filter.cursor, true);
  if (!range.ok()) return range.status();
  OrderPage page;
  page.as_of = as_of->sequence;
  SequenceScan scan(OrderCursors(view, filter, resolved->platforms, *range), true);
  std::size_t taken = 0;
  auto cursor = FillPage(scan, internal::PageLimit(filter.limit), &taken,
                         [&](const SequenceScan& at) -> Result<bool> {
                           auto row = ReadOrder(view, resolved->platforms[at.source()], at.value());
                           if (!row.ok()) return row.status();
                           // The reference index lists every status.
                           if (filter.status && row->order.status != *filter.status) return false;
                           page.orders.push_back(std::move(row->order));
                           return true;
                         });
  if (!cursor.ok()) return cursor.status();
  page.next_cursor = std::move(cursor).value();
  return page;
}

Result<OrderDetail> Views::GetOrderDetail(const Scope& scope, std::string_view order_id,
                                          const QueryOptions& options) const {
  Status status = internal::AwaitProjections(
      *store_, {ProjectionId::kDirectory, ProjectionId::kPayments}, options);
  if (!status.ok()) return status;
  ReadView view(*store_);
  auto resolved = internal::ResolveScope(view, scope, internal::ScopeShape::kPlatform);
  if (!resolved.ok()) return resolved.status();
  auto as_of = internal::AsOf(view, ProjectionId::kPayments);
  if (!as_of.ok()) return as_of.status();
  auto row = ReadOrder(view, scope.platform_id, order_id);
  if (!row.ok()) return row.status();
  OrderDetail detail;
  detail.as_of = as_of->sequence;
  detail.order = std::move(row->order);
  detail.transactions = std::move(row->transactions);
  const std::string prefix =
      internal::keys::PlatformPrefix(internal::keys::kOperation, scope.platform_id);
  for (std::uint64_t sequence : row->operation_sequences) {
    auto entry = internal::LastEntryAtOrBefore(view, ProjectionId::kPayments, prefix,
                                               SequenceNumber{sequence});
    if (!entry.ok()) return entry.status();
    OperationRecord operation;
    if (!entry->has_value() || (*entry)->first.value != sequence ||
        !internal::DecodeOperation((*entry)->second, &operation)) {
      return Status::Corruption("an operation of the order is missing or malformed");
    }
    operation.sequence = SequenceNumber{sequence};
    auto transaction = std::find_if(
        detail.transactions.begin(), detail.transactions.end(),
        [&](const TransactionRecord& t) { return t.transaction_id == operation.transaction_id; });
    if (transaction != detail.transactions.end()) {
      transaction->operations.push_back(std::move(operation));
    }
  }
  return detail;
}

Result<WithdrawalPage> Views::ListWithdrawals(const WithdrawalFilter& filter,
                                              const QueryOptions& options) const {
  Status status = internal::AwaitProjections(
      *store_, {ProjectionId::kDirectory, ProjectionId::kPayments}, options);
  if (!status.ok()) return status;
  ReadView view(*store_);
  auto resolved = internal::ResolveScope(view, filter.scope, internal::ScopeShape::kEither);
  if (!resolved.ok()) return resolved.status();
  auto as_of = internal::AsOf(view, ProjectionId::kPayments);
  if (!as_of.ok()) return as_of.status();
  auto range = internal::PageRange(view, ProjectionId::kPayments, filter.requested_from_us,
                                   filter.requested_to_us, as_of->sequence, filter.cursor, true);
  if (!range.ok()) return range.status();
  std::vector<std::string> prefixes;
  for (const std::string& platform : resolved->platforms) {
    prefixes.push_back(internal::keys::PlatformPrefix(internal::keys::kWithdrawalList, platform));
  }
  WithdrawalPage page;
  page.as_of = as_of->sequence;
  SequenceScan scan(internal::PageCursors(view, ProjectionId::kPayments, prefixes, *range, true),
                    true);
  std::size_t taken = 0;
  std::string value;
  auto cursor = FillPage(
      scan, internal::PageLimit(filter.limit), &taken, [&](const SequenceScan& at) -> Result<bool> {
        Status read = view.Get(
            ProjectionId::kPayments,
            internal::keys::Withdrawal(resolved->platforms[at.source()], at.value()), &value);
        if (!read.ok()) return read;
        WithdrawalRecord withdrawal;
        if (!internal::DecodeWithdrawal(value, &withdrawal)) {
          return Status::Corruption("a withdrawal row is malformed");
        }
        if (filter.status && withdrawal.status != *filter.status) return false;
        page.withdrawals.push_back(std::move(withdrawal));
        return true;
      });
  if (!cursor.ok()) return cursor.status();
  page.next_cursor = std::move(cursor).value();
  return page;
}

}  // namespace ledger::projections

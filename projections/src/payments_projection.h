// The payments projection: per-scope figures (summary rows), daily totals, orders with
// their transactions, operations, withdrawals, and the indexes that list them.
//
// Invariants kept per (scope, currency), for a platform and for its organization alike:
// the orders_by_status counts sum to the orders created; available and pending_withdrawal
// are the balances of the wallet and payouts_in_transit accounts (the same postings the
// domain applies, domain/postings.h). An order's status row ('q') is rewritten only when
// its status changed during the batch, so the index always names its current status.
// Thread-safety: applier thread only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "encoding.h"
#include "keys.h"
#include "ledger/engine/domain/events.h"
#include "paged_index.h"
#include "projection.h"
#include "rows.h"
#include "time_index.h"

namespace ledger::projections::internal {

class PaymentsProjection final : public Projection {
 public:
  static constexpr std::uint32_t kLayoutVersion = 2;

  explicit PaymentsProjection(ViewStore& store);

  std::uint32_t layout_version() const override { return kLayoutVersion; }
  Status Apply(const EventContext& event, RowBatch* batch) override;
  Status Flush(RowBatch* batch) override;
  void Committed() override;
  void Reset() override;

 private:
  struct OrderEntry {
    OrderRow row;
    /// The status the 'q' index holds for this order (none before its first flush).
    std::optional<OrderStatus> indexed_status;
  };
  using OrderSlot = RowCache<OrderEntry>::Slot;
  static OrderRow& RowOf(OrderSlot* slot) { return slot->second.row.row; }

  // One overload per event the projection cares about; the template ignores the rest.
  template <typename Payload>
  Status On(const EventContext& /*event*/, const Payload& /*payload*/, RowBatch* /*batch*/) {
    return Status::Ok();
  }
  Status On(const EventContext& event, const domain::OrderCreated& created, RowBatch* batch);
  Status On(const EventContext& event, const domain::OrderCancelled& cancelled, RowBatch* batch);
  Status On(const EventContext& event, const domain::TransactionCreated& created, RowBatch* batch);
  Status On(const EventContext& event, const domain::OperationRecorded& operation, RowBatch* batch);
  Status On(const EventContext& event, const domain::WithdrawalRequested& requested,
            RowBatch* batch);
  Status On(const EventContext& event, const domain::WithdrawalSettled& settled, RowBatch* batch);
  Status On(const EventContext& event, const domain::WithdrawalFailed& failed, RowBatch* batch);

  /// One currency's rows of the event's platform and of its organization.
  template <typename Row>
  struct ScopeRows {
    Row* platform = nullptr;
    Row* organization = nullptr;
    template <typename Change>
    void Apply(Change&& change) {
      change(*platform);
      change(*organization);
    }
  };
  using FigureRows = ScopeRows<CurrencyFigures>;
  using DailyRows = ScopeRows<DailyFigures>;

  Result<FigureRows> Figures(const EventContext& event, std::string_view platform,
                             std::string_view currency);
  /// The daily totals of the event's day.
  Result<DailyRows> Days(const EventContext& event, std::string_view platform,
                         std::string_view currency);
  /// Moves the wallet and pending figures by the event's postings, which are all on the
  /// platform of `rows` (domain/postings.h).
  void ApplyPostings(const EventContext& event, FigureRows rows);
  /// Moves the order between status counts when its status changed.
  static void Restatus(FigureRows rows, const OrderRecord& order, OrderStatus before);

  /// The cached row under `key`, loaded or added (empty) if need be, marked dirty.
  template <typename Row, typename Decode>
  Result<Row*> CachedRow(RowCache<Row>& cache, Decode&& decode) {
    auto found =
        cache.Find(key_, [&](std::string_view key, Row* row) { return LoadRow(key, row, decode); });
    if (!found.ok()) return found.status();
    typename RowCache<Row>::Slot* slot = *found;
    if (slot == nullptr) slot = cache.Insert(key_, Row{});
    cache.MarkDirty(slot);
    return &slot->second.row;
  }

  Result<OrderSlot*> FindOrder(std::string_view platform, std::string_view order);
  Result<RowCache<WithdrawalRecord>::Slot*> FindWithdrawal(std::string_view platform,
                                                           std::string_view withdrawal);

  TimeIndexWriter time_index_;
  /// The order list ('l'), operations ('x') and withdrawal list ('v').
  PageWriter pages_;
  RowCache<CurrencyFigures> figures_;
  RowCache<DailyFigures> daily_;
  RowCache<OrderEntry> orders_;
  RowCache<WithdrawalRecord> withdrawals_;
  /// Buffers reused from event to event.
  std::string key_;
  std::string prefix_;
  std::string entry_;
};

/// The status an order's figures give it (types.h, OrderStatus). `was` is its status before
/// the event: cancelled stays cancelled.
OrderStatus DeriveOrderStatus(const OrderRecord& order, OrderStatus was);
/// Days since 1970-01-01 (UTC) of a time in microseconds, rounding down.
inline std::int64_t DayOf(std::int64_t time_us) {
  constexpr std::int64_t kDayUs = 86'400'000'000;
  return time_us >= 0 ? time_us / kDayUs : -((-time_us + kDayUs - 1) / kDayUs);
}

}  // namespace ledger::projections::internal

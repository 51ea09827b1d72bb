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
#include "projection.h"
#include "rows.h"
#include "time_index.h"

namespace ledger::projections::internal {

class PaymentsProjection final : public Projection {
 public:
  static constexpr std::uint32_t kLayoutVersion = 1;

  explicit PaymentsProjection(ViewStore& store);

  std::uint32_t layout_version() const override { return kLayoutVersion; }
  Status Apply(const EventContext& event, rocksdb::WriteBatch* batch) override;
  Status Flush(rocksdb::WriteBatch* batch) override;
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
  Status On(const EventContext& /*event*/, const Payload& /*payload*/,
            rocksdb::WriteBatch* /*batch*/) {
    return Status::Ok();
  }
  Status On(const EventContext& event, const domain::OrderCreated& created,
            rocksdb::WriteBatch* batch);
  Status On(const EventContext& event, const domain::OrderCancelled& cancelled,
            rocksdb::WriteBatch* batch);
  Status On(const EventContext& event, const domain::TransactionCreated& created,
            rocksdb::WriteBatch* batch);
  Status On(const EventContext& event, const domain::OperationRecorded& operation,
            rocksdb::WriteBatch* batch);
  Status On(const EventContext& event, const domain::WithdrawalRequested& requested,
            rocksdb::WriteBatch* batch);
  Status On(const EventContext& event, const domain::WithdrawalSettled& settled,
            rocksdb::WriteBatch* batch);
  Status On(const EventContext& event, const domain::WithdrawalFailed& failed,
            rocksdb::WriteBatch* batch);

  /// Calls change(figures) on the platform's and the organization's figures in `currency`.
  template <typename Change>
  Status ChangeFigures(const EventContext& event, std::string_view platform,
                       std::string_view currency, Change&& change);
  /// The same for the daily totals of the event's day.
  template <typename Change>
  Status ChangeDaily(const EventContext& event, std::string_view platform,
                     std::string_view currency, Change&& change);
  /// Moves the wallet and pending figures by the event's postings.
  Status ApplyPostings(const EventContext& event);
  /// Moves the order between status counts when its status changed.
  Status Restatus(const EventContext& event, OrderSlot* slot, OrderStatus before);

  Result<OrderSlot*> FindOrder(std::string_view platform, std::string_view order);
  Result<RowCache<WithdrawalRecord>::Slot*> FindWithdrawal(std::string_view platform,
                                                           std::string_view withdrawal);

  TimeIndexWriter time_index_;
  RowCache<CurrencyFigures> figures_;
  RowCache<DailyFigures> daily_;
  RowCache<OrderEntry> orders_;
  RowCache<WithdrawalRecord> withdrawals_;
};

/// The status an order's figures give it (types.h, OrderStatus). `was` is its status before
/// the event: cancelled stays cancelled.
OrderStatus DeriveOrderStatus(const OrderRecord& order, OrderStatus was);
/// Days since 1970-01-01 (UTC) of a time in microseconds, rounding down.
inline std::int64_t DayOf(std::int64_t time_us) {
  constexpr std::int64_t kDayUs = 86'400'000'000;
  return time_us >= 0 ? time_us / kDayUs : -((-time_us + kDayUs - 1) / kDayUs);
}

template <typename Change>
Status PaymentsProjection::ChangeFigures(const EventContext& event, std::string_view platform,
                                         std::string_view currency, Change&& change) {
  // The platform's row, then the organization's (platform "").
  for (std::string_view scope : {platform, std::string_view()}) {
    std::string key = keys::SummaryPrefix(event.environment, event.organization, scope);
    PutField(&key, currency);
    auto found = figures_.Find(key, [this](std::string_view k, CurrencyFigures* row) {
      return LoadRow(k, row, DecodeFigures);
    });
    if (!found.ok()) return found.status();
    RowCache<CurrencyFigures>::Slot* slot = *found;
    if (slot == nullptr) slot = figures_.Insert(std::move(key), CurrencyFigures{});
    change(slot->second.row);
    figures_.MarkDirty(slot);
  }
  return Status::Ok();
}

template <typename Change>
Status PaymentsProjection::ChangeDaily(const EventContext& event, std::string_view platform,
                                       std::string_view currency, Change&& change) {
  const std::int64_t day = DayOf(event.recorded_at_us);
  for (std::string_view scope : {platform, std::string_view()}) {
    std::string key = keys::DailyPrefix(event.environment, event.organization, scope);
    PutBe32(&key, keys::DayField(day));
    PutField(&key, currency);
    auto found = daily_.Find(key, [this](std::string_view k, DailyFigures* row) {
      return LoadRow(k, row, DecodeDaily);
    });
    if (!found.ok()) return found.status();
    RowCache<DailyFigures>::Slot* slot = *found;
    if (slot == nullptr) slot = daily_.Insert(std::move(key), DailyFigures{});
    change(slot->second.row);
    daily_.MarkDirty(slot);
  }
  return Status::Ok();
}

}  // namespace ledger::projections::internal

// The payments projection's plumbing (caches, flush) and its withdrawal events; orders,
// transactions and operations are in payments_orders.cc.
#include "payments_projection.h"

#include "ledger/engine/domain/postings.h"
#include "ledger/limits.h"
#include "saturating.h"

namespace ledger::projections::internal {

PaymentsProjection::PaymentsProjection(ViewStore& store)
    : Projection(store, ProjectionId::kPayments),
      time_index_(store, ProjectionId::kPayments),
      pages_(store, ProjectionId::kPayments),
      figures_(limits::kProjectionCachedRowsMax),
      daily_(limits::kProjectionCachedRowsMax),
      orders_(limits::kProjectionCachedRowsMax),
      withdrawals_(limits::kProjectionCachedRowsMax) {}

Status PaymentsProjection::Apply(const EventContext& event, RowBatch* batch) {
  Status status = time_index_.Record(event.recorded_at_us, event.sequence, batch);
  if (!status.ok() || event.event == nullptr) return status;
  return std::visit([&](const auto& payload) { return On(event, payload, batch); }, *event.event);
}

Status PaymentsProjection::Flush(RowBatch* batch) {
  time_index_.Flush(batch);
  pages_.Flush(batch);
  figures_.ForEachDirty(
      [&](const std::string& key, CurrencyFigures& row) { Put(batch, key, EncodeFigures(row)); });
  daily_.ForEachDirty(
      [&](const std::string& key, DailyFigures& row) { Put(batch, key, EncodeDaily(row)); });
  withdrawals_.ForEachDirty([&](const std::string& key, WithdrawalRecord& row) {
    Put(batch, key, EncodeWithdrawal(row));
  });
  orders_.ForEachDirty([&](const std::string& key, OrderEntry& entry) {
    const OrderRecord& order = entry.row.order;
    Put(batch, key, EncodeOrder(entry.row));
    if (entry.indexed_status == order.status) return;
    // Only the status at the end of the batch reaches the index: one delete and one put
    // however many times the status changed in between.
    if (entry.indexed_status) {
      Delete(batch,
             keys::WithSequence(keys::OrderStatusPrefix(order.platform_id, *entry.indexed_status),
                                order.created_sequence));
    }
    Put(batch,
        keys::WithSequence(keys::OrderStatusPrefix(order.platform_id, order.status),
                           order.created_sequence),
        order.order_id);
    entry.indexed_status = order.status;
  });
  return Status::Ok();
}

void PaymentsProjection::Committed() {
  pages_.Committed();
  figures_.Committed();
  daily_.Committed();
  orders_.Committed();
  withdrawals_.Committed();
}

void PaymentsProjection::Reset() {
  time_index_.Reset();
  pages_.Reset();
  figures_.Clear();
  daily_.Clear();
  orders_.Clear();
  withdrawals_.Clear();
}

Result<PaymentsProjection::FigureRows> PaymentsProjection::Figures(const EventContext& event,
                                                                   std::string_view platform,
                                                                   std::string_view currency) {
  FigureRows rows;
  // The platform's row, then the organization's (platform "").
  keys::SummaryKey(&key_, event.environment, event.organization, platform, currency);
  auto found = CachedRow(figures_, DecodeFigures);
  if (!found.ok()) return found.status();
  rows.platform = *found;
  keys::SummaryKey(&key_, event.environment, event.organization, {}, currency);
  found = CachedRow(figures_, DecodeFigures);
  if (!found.ok()) return found.status();
  rows.organization = *found;
  return rows;
}

Result<PaymentsProjection::DailyRows> PaymentsProjection::Days(const EventContext& event,
                                                               std::string_view platform,
                                                               std::string_view currency) {
  DailyRows rows;
  const std::int64_t day = DayOf(event.recorded_at_us);
  keys::DailyKey(&key_, event.environment, event.organization, platform, day, currency);
  auto found = CachedRow(daily_, DecodeDaily);
  if (!found.ok()) return found.status();
  rows.platform = *found;
  keys::DailyKey(&key_, event.environment, event.organization, {}, day, currency);
  found = CachedRow(daily_, DecodeDaily);
  if (!found.ok()) return found.status();
  rows.organization = *found;
  return rows;
}

void PaymentsProjection::ApplyPostings(const EventContext& event, FigureRows rows) {
  for (const domain::Posting& posting : domain::PostingsOf(*event.event)) {
    const std::int64_t amount = posting.amount_minor;
    for (const auto& side : {std::pair{posting.from, -amount}, std::pair{posting.to, amount}}) {
      const std::int64_t delta = side.second;
      if (side.first.kind == domain::AccountKind::kWallet) {
        rows.Apply([&](CurrencyFigures& f) { AddModular(f.available_minor, delta); });
      } else if (side.first.kind == domain::AccountKind::kPayoutsInTransit) {
        rows.Apply([&](CurrencyFigures& f) { AddModular(f.pending_withdrawal_minor, delta); });
      }
    }
  }
}

Result<PaymentsProjection::OrderSlot*> PaymentsProjection::FindOrder(std::string_view platform,
                                                                     std::string_view order) {
  keys::OrderKey(&key_, platform, order);
  return orders_.Find(key_, [this](std::string_view key, OrderEntry* e) {
    Result<bool> found = LoadRow(key, &e->row, DecodeOrder);
    if (found.ok() && *found) e->indexed_status = e->row.order.status;
    return found;
  });
}

Result<RowCache<WithdrawalRecord>::Slot*> PaymentsProjection::FindWithdrawal(
    std::string_view platform, std::string_view withdrawal) {
  return withdrawals_.Find(keys::Withdrawal(platform, withdrawal),
                           [this](std::string_view key, WithdrawalRecord* row) {
                             return LoadRow(key, row, DecodeWithdrawal);
                           });
}

Status PaymentsProjection::On(const EventContext& event, const domain::WithdrawalRequested& w,
                              RowBatch* batch) {
  WithdrawalRecord row;
  row.platform_id = w.platform_id;
  row.withdrawal_id = w.withdrawal_id;
  row.bank_account_id = w.bank_account_id;
  row.amount_minor = w.amount_minor;
  row.currency = w.currency;
  row.requested_by = std::string(event.actor);
  row.requested_sequence = event.sequence;
  row.requested_at_us = event.recorded_at_us;
  withdrawals_.Insert(keys::Withdrawal(w.platform_id, w.withdrawal_id), std::move(row));
  keys::PlatformPrefixKey(&prefix_, keys::kWithdrawalList, w.platform_id);
  Status status = pages_.Append(prefix_, event.sequence, w.withdrawal_id, batch);
  if (!status.ok()) return status;
  auto figures = Figures(event, w.platform_id, w.currency);
  if (!figures.ok()) return figures.status();
  ApplyPostings(event, *figures);
  return Status::Ok();
}

Status PaymentsProjection::On(const EventContext& event, const domain::WithdrawalSettled& w,
                              RowBatch* /*batch*/) {
  auto found = FindWithdrawal(w.platform_id, w.withdrawal_id);
  if (!found.ok()) return found.status();
  if (RowCache<WithdrawalRecord>::Slot* slot = *found) {
    WithdrawalRecord& row = slot->second.row;
    row.status = WithdrawalStatus::kSettled;
    row.concluded_sequence = event.sequence;
    row.concluded_at_us = event.recorded_at_us;
    row.external_reference = w.external_reference;
    withdrawals_.MarkDirty(slot);
  }
  auto withdrawn = [&](auto& figures) { AddSaturating(figures.withdrawn_minor, w.amount_minor); };
  auto figures = Figures(event, w.platform_id, w.currency);
  if (!figures.ok()) return figures.status();
  figures->Apply(withdrawn);
  ApplyPostings(event, *figures);
  auto days = Days(event, w.platform_id, w.currency);
  if (!days.ok()) return days.status();
  days->Apply(withdrawn);
  return Status::Ok();
}

Status PaymentsProjection::On(const EventContext& event, const domain::WithdrawalFailed& w,
                              RowBatch* /*batch*/) {
  auto found = FindWithdrawal(w.platform_id, w.withdrawal_id);
  if (!found.ok()) return found.status();
  if (RowCache<WithdrawalRecord>::Slot* slot = *found) {
    WithdrawalRecord& row = slot->second.row;
    row.status = WithdrawalStatus::kFailed;
    row.concluded_sequence = event.sequence;
    row.concluded_at_us = event.recorded_at_us;
    row.failure_reason = w.reason;
    withdrawals_.MarkDirty(slot);
  }
  auto figures = Figures(event, w.platform_id, w.currency);
  if (!figures.ok()) return figures.status();
  ApplyPostings(event, *figures);
  return Status::Ok();
}

std::unique_ptr<Projection> MakePaymentsProjection(ViewStore& store) {
  return std::make_unique<PaymentsProjection>(store);
}

}  // namespace ledger::projections::internal

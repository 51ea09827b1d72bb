// The payments projection's order events: orders, their transactions and operations.
#include <algorithm>

#include "payments_projection.h"
#include "saturating.h"

namespace ledger::projections::internal {
namespace {

using schema::OperationKind;
using schema::OperationOutcome;

/// What a succeeded operation of this kind does to the wallet, per unit.
std::int64_t WalletSign(OperationKind kind) {
  switch (kind) {
    case OperationKind::Capture:
      return 1;
    case OperationKind::Refund:
    case OperationKind::Chargeback:
    case OperationKind::Fee:
      return -1;
    default:
      return 0;
  }
}

/// Adds a succeeded operation's amount to the figure it moves (authorized, captured...).
template <typename Figures>
void AddAmount(Figures& f, OperationKind kind, std::int64_t amount) {
  switch (kind) {
    case OperationKind::Authorization:
      // Summaries and daily totals count money that moved; authorizations move none.
      if constexpr (requires { f.authorized_minor; }) AddSaturating(f.authorized_minor, amount);
      break;
    case OperationKind::Capture:
      AddSaturating(f.captured_minor, amount);
      break;
    case OperationKind::Refund:
      AddSaturating(f.refunded_minor, amount);
      break;
    case OperationKind::Chargeback:
      AddSaturating(f.charged_back_minor, amount);
      break;
    case OperationKind::Fee:
      AddSaturating(f.fees_minor, amount);
      break;
    default:
      break;
  }
}

/// The transaction's state machine (domain: decide_payments.cc), seen from its facts.
void StepTransaction(TransactionRecord& t, const domain::OperationRecorded& op) {
  using S = TransactionStatus;
  if (op.outcome != OperationOutcome::Succeeded) {
    if (op.kind == OperationKind::Authorization && t.status == S::kPending) t.status = S::kFailed;
    return;
  }
  AddAmount(t, op.kind, op.amount_minor);
  if (op.kind == OperationKind::Authorization && t.status == S::kPending) t.status = S::kAuthorized;
  if (op.kind == OperationKind::Capture) t.status = S::kCaptured;
  if (op.kind == OperationKind::Cancellation) t.status = S::kCancelled;
}

void Touch(OrderRecord& order, const EventContext& event) {
  order.updated_sequence = event.sequence;
  order.updated_at_us = event.recorded_at_us;
}

}  // namespace

OrderStatus DeriveOrderStatus(const OrderRecord& o, OrderStatus was) {
  if (was == OrderStatus::kCancelled) return OrderStatus::kCancelled;
  if (o.captured_minor <= 0) return OrderStatus::kOpen;
  if (o.refunded_minor + o.charged_back_minor >= o.captured_minor) return OrderStatus::kRefunded;
  if (o.captured_minor >= o.amount_minor) return OrderStatus::kPaid;
  return OrderStatus::kPartiallyPaid;
}

void PaymentsProjection::Restatus(FigureRows rows, const OrderRecord& order, OrderStatus before) {
  if (order.status == before) return;
  const auto from = static_cast<std::size_t>(before);
  const auto to = static_cast<std::size_t>(order.status);
  rows.Apply([&](CurrencyFigures& f) {
    f.orders_by_status[from].count -= 1;
    AddModular(f.orders_by_status[from].amount_minor, -order.amount_minor);
    f.orders_by_status[to].count += 1;
    AddModular(f.orders_by_status[to].amount_minor, order.amount_minor);
  });
}

Status PaymentsProjection::On(const EventContext& event, const domain::OrderCreated& created,
                              RowBatch* batch) {
  OrderEntry entry;
  OrderRecord& order = entry.row.order;
  order.platform_id = created.platform_id;
  order.order_id = created.order_id;
  order.status = OrderStatus::kOpen;
  order.amount_minor = created.amount_minor;
  order.currency = created.currency;
  order.module = created.module;
  order.reference = created.reference;
  order.created_sequence = event.sequence;
  order.created_at_us = event.recorded_at_us;
  Touch(order, event);
  keys::OrderKey(&key_, created.platform_id, created.order_id);
  orders_.Insert(key_, std::move(entry));
  keys::PlatformPrefixKey(&prefix_, keys::kOrderList, created.platform_id);
  Status status = pages_.Append(prefix_, event.sequence, created.order_id, batch);
  if (!status.ok()) return status;
  if (!created.reference.empty()) {
    Put(batch,
        keys::WithSequence(keys::OrderReferencePrefix(created.platform_id, created.reference),
                           event.sequence),
        created.order_id);
  }
  auto figures = Figures(event, created.platform_id, created.currency);
  if (!figures.ok()) return figures.status();
  figures->Apply([&](CurrencyFigures& f) {
    auto& open = f.orders_by_status[static_cast<std::size_t>(OrderStatus::kOpen)];
    open.count += 1;
    AddModular(open.amount_minor, created.amount_minor);
  });
  return Status::Ok();
}

Status PaymentsProjection::On(const EventContext& event, const domain::OrderCancelled& cancelled,
                              RowBatch* /*batch*/) {
  auto found = FindOrder(cancelled.platform_id, cancelled.order_id);
  if (!found.ok() || *found == nullptr) return found.status();
  orders_.MarkDirty(*found);
  OrderRecord& order = RowOf(*found).order;
  const OrderStatus before = order.status;
  order.cancellation_reason = cancelled.reason;
  order.status = OrderStatus::kCancelled;
  Touch(order, event);
  auto figures = Figures(event, order.platform_id, order.currency);
  if (!figures.ok()) return figures.status();
  Restatus(*figures, order, before);
  return Status::Ok();
}

Status PaymentsProjection::On(const EventContext& event, const domain::TransactionCreated& created,
                              RowBatch* /*batch*/) {
  auto found = FindOrder(created.platform_id, created.order_id);
  if (!found.ok() || *found == nullptr) return found.status();
  OrderRow& row = RowOf(*found);
  TransactionRecord transaction;
  transaction.transaction_id = created.transaction_id;
  transaction.amount_minor = created.amount_minor;
  transaction.created_sequence = event.sequence;
  transaction.created_at_us = event.recorded_at_us;
  row.transactions.push_back(std::move(transaction));
  row.order.transaction_count = static_cast<std::uint32_t>(row.transactions.size());
  Touch(row.order, event);
  orders_.MarkDirty(*found);
  return Status::Ok();
}

Status PaymentsProjection::On(const EventContext& event, const domain::OperationRecorded& op,
                              RowBatch* batch) {
  const bool succeeded = op.outcome == OperationOutcome::Succeeded;
  const bool moves_money = succeeded && WalletSign(op.kind) != 0;
  OperationRecord record;
  record.recorded_at_us = event.recorded_at_us;
  record.occurred_at_us = op.occurred_at_us;
  record.order_id = op.order_id;
  record.transaction_id = op.transaction_id;
  record.operation_id = op.operation_id;
  record.kind = op.kind;
  record.outcome = op.outcome;
  record.amount_minor = op.amount_minor;
  record.currency = op.currency;
  record.external_reference = op.external_reference;
  record.net_minor = succeeded ? WalletSign(op.kind) * op.amount_minor : 0;
  keys::PlatformPrefixKey(&prefix_, keys::kOperation, op.platform_id);
  entry_.clear();
  EncodeOperation(record, &entry_);
  Status status = pages_.Append(prefix_, event.sequence, entry_, batch);
  if (!status.ok()) return status;

  auto found = FindOrder(op.platform_id, op.order_id);
  if (!found.ok()) return found.status();
  OrderRecord* order = nullptr;
  OrderStatus before = OrderStatus::kOpen;
  if (OrderSlot* slot = *found) {
    OrderRow& row = RowOf(slot);
    auto transaction = std::find_if(
        row.transactions.begin(), row.transactions.end(),
        [&](const TransactionRecord& t) { return t.transaction_id == op.transaction_id; });
    if (transaction != row.transactions.end()) StepTransaction(*transaction, op);
    if (succeeded) AddAmount(row.order, op.kind, op.amount_minor);
    row.operation_sequences.push_back(event.sequence.value);
    row.order.operation_count = static_cast<std::uint32_t>(row.operation_sequences.size());
    Touch(row.order, event);
    before = row.order.status;
    row.order.status = DeriveOrderStatus(row.order, before);
    orders_.MarkDirty(slot);
    order = &row.order;
  }
  if (!moves_money && (order == nullptr || order->status == before)) return Status::Ok();
  auto figures = Figures(event, op.platform_id, op.currency);
  if (!figures.ok()) return figures.status();
  if (order != nullptr) Restatus(*figures, *order, before);
  if (!moves_money) return Status::Ok();
  auto add = [&](auto& f) { AddAmount(f, op.kind, op.amount_minor); };
  figures->Apply(add);
  ApplyPostings(event, *figures);
  auto days = Days(event, op.platform_id, op.currency);
  if (!days.ok()) return days.status();
  days->Apply(add);
  return Status::Ok();
}

}  // namespace ledger::projections::internal

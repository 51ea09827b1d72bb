// Codecs of the payment views' rows (grammar in rows.h).
#include "encoding.h"
#include "rows.h"

namespace ledger::projections::internal {
namespace {

template <typename Enum>
Enum EnumFrom(std::uint8_t value) {
  return static_cast<Enum>(value);
}

void WriteTransaction(RowWriter& w, const TransactionRecord& t) {
  w.Text(t.transaction_id).U8(static_cast<std::uint8_t>(t.status));
  w.Signed(t.amount_minor).Signed(t.authorized_minor).Signed(t.captured_minor);
  w.Signed(t.refunded_minor).Signed(t.charged_back_minor).Signed(t.fees_minor);
  w.Varint(t.created_sequence.value).Signed(t.created_at_us);
}

TransactionRecord ReadTransaction(RowReader& r) {
  TransactionRecord t;
  t.transaction_id = r.Text();
  t.status = EnumFrom<TransactionStatus>(r.U8());
  t.amount_minor = r.Signed();
  t.authorized_minor = r.Signed();
  t.captured_minor = r.Signed();
  t.refunded_minor = r.Signed();
  t.charged_back_minor = r.Signed();
  t.fees_minor = r.Signed();
  t.created_sequence = SequenceNumber{r.Varint()};
  t.created_at_us = r.Signed();
  return t;
}

}  // namespace

std::string EncodeFigures(const CurrencyFigures& f) {
  std::string row;
  RowWriter w(&row);
  for (const OrderFigures& orders : f.orders_by_status) {
    w.Signed(orders.count).Signed(orders.amount_minor);
  }
  w.Signed(f.captured_minor).Signed(f.refunded_minor).Signed(f.charged_back_minor);
  w.Signed(f.fees_minor).Signed(f.withdrawn_minor).Signed(f.available_minor);
  w.Signed(f.pending_withdrawal_minor);
  return row;
}

bool DecodeFigures(std::string_view row, CurrencyFigures* f) {
  RowReader r(row);
  for (OrderFigures& orders : f->orders_by_status) {
    orders.count = r.Signed();
    orders.amount_minor = r.Signed();
  }
  f->captured_minor = r.Signed();
  f->refunded_minor = r.Signed();
  f->charged_back_minor = r.Signed();
  f->fees_minor = r.Signed();
  f->withdrawn_minor = r.Signed();
  f->available_minor = r.Signed();
  f->pending_withdrawal_minor = r.Signed();
  return r.Finished();
}

std::string EncodeDaily(const DailyFigures& f) {
  std::string row;
  RowWriter(&row)
      .Signed(f.captured_minor)
      .Signed(f.refunded_minor)
      .Signed(f.charged_back_minor)
      .Signed(f.fees_minor)
      .Signed(f.withdrawn_minor);
  return row;
}

bool DecodeDaily(std::string_view row, DailyFigures* f) {
  RowReader r(row);
  f->captured_minor = r.Signed();
  f->refunded_minor = r.Signed();
  f->charged_back_minor = r.Signed();
  f->fees_minor = r.Signed();
  f->withdrawn_minor = r.Signed();
  return r.Finished();
}

std::string EncodeOrder(const OrderRow& row) {
  const OrderRecord& o = row.order;
  std::string out;
  out.reserve(128 + 64 * row.transactions.size() + 4 * row.operation_sequences.size());
  RowWriter w(&out);
  w.Text(o.platform_id).Text(o.order_id).U8(static_cast<std::uint8_t>(o.status));
  w.Signed(o.amount_minor).Text(o.currency).Text(o.module).Text(o.reference);
  w.Signed(o.authorized_minor).Signed(o.captured_minor).Signed(o.refunded_minor);
  w.Signed(o.charged_back_minor).Signed(o.fees_minor);
  w.Varint(o.created_sequence.value).Signed(o.created_at_us);
  w.Varint(o.updated_sequence.value).Signed(o.updated_at_us);
  w.Text(o.cancellation_reason);
  w.Varint(row.transactions.size());
  for (const TransactionRecord& t : row.transactions) WriteTransaction(w, t);
  w.Varint(row.operation_sequences.size());
  std::uint64_t previous = 0;
  for (std::uint64_t sequence : row.operation_sequences) {
    w.Varint(sequence - previous);
    previous = sequence;
  }
  return out;
}

bool DecodeOrder(std::string_view row, OrderRow* out) {
  RowReader r(row);
  OrderRecord& o = out->order;
  o.platform_id = r.Text();
  o.order_id = r.Text();
  o.status = EnumFrom<OrderStatus>(r.U8());
  o.amount_minor = r.Signed();
  o.currency = r.Text();
  o.module = r.Text();
  o.reference = r.Text();
  o.authorized_minor = r.Signed();
  o.captured_minor = r.Signed();
  o.refunded_minor = r.Signed();
  o.charged_back_minor = r.Signed();
  o.fees_minor = r.Signed();
  o.created_sequence = SequenceNumber{r.Varint()};
  o.created_at_us = r.Signed();
  o.updated_sequence = SequenceNumber{r.Varint()};
  o.updated_at_us = r.Signed();
  o.cancellation_reason = r.Text();
  const std::uint64_t transactions = r.Varint();
  out->transactions.clear();
  for (std::uint64_t i = 0; i < transactions && r.ok(); ++i) {
    out->transactions.push_back(ReadTransaction(r));
  }
  const std::uint64_t operations = r.Varint();
  out->operation_sequences.clear();
  std::uint64_t sequence = 0;
  for (std::uint64_t i = 0; i < operations && r.ok(); ++i) {
    sequence += r.Varint();
    out->operation_sequences.push_back(sequence);
  }
  o.transaction_count = static_cast<std::uint32_t>(out->transactions.size());
  o.operation_count = static_cast<std::uint32_t>(out->operation_sequences.size());
  return r.Finished();
}

void EncodeOperation(const OperationRecord& op, std::string* out) {
  RowWriter w(out);
  w.Signed(op.recorded_at_us).Signed(op.occurred_at_us);
  w.Text(op.order_id).Text(op.transaction_id).Text(op.operation_id);
  w.U8(static_cast<std::uint8_t>(op.kind)).U8(static_cast<std::uint8_t>(op.outcome));
  w.Signed(op.amount_minor).Text(op.currency).Text(op.external_reference).Signed(op.net_minor);
}

bool DecodeOperation(std::string_view row, OperationRecord* op) {
  RowReader r(row);
  op->recorded_at_us = r.Signed();
  op->occurred_at_us = r.Signed();
  op->order_id = r.Text();
  op->transaction_id = r.Text();
  op->operation_id = r.Text();
  op->kind = EnumFrom<schema::OperationKind>(r.U8());
  op->outcome = EnumFrom<schema::OperationOutcome>(r.U8());
  op->amount_minor = r.Signed();
  op->currency = r.Text();
  op->external_reference = r.Text();
  op->net_minor = r.Signed();
  return r.Finished();
}

std::string EncodeWithdrawal(const WithdrawalRecord& w) {
  std::string row;
  RowWriter out(&row);
  out.Text(w.platform_id).Text(w.withdrawal_id).Text(w.bank_account_id);
  out.U8(static_cast<std::uint8_t>(w.status)).Signed(w.amount_minor).Text(w.currency);
  out.Text(w.requested_by).Varint(w.requested_sequence.value).Signed(w.requested_at_us);
  out.Varint(w.concluded_sequence.value).Signed(w.concluded_at_us);
  out.Text(w.external_reference).Text(w.failure_reason);
  return row;
}

bool DecodeWithdrawal(std::string_view row, WithdrawalRecord* w) {
  RowReader r(row);
  w->platform_id = r.Text();
  w->withdrawal_id = r.Text();
  w->bank_account_id = r.Text();
  w->status = EnumFrom<WithdrawalStatus>(r.U8());
  w->amount_minor = r.Signed();
  w->currency = r.Text();
  w->requested_by = r.Text();
  w->requested_sequence = SequenceNumber{r.Varint()};
  w->requested_at_us = r.Signed();
  w->concluded_sequence = SequenceNumber{r.Varint()};
  w->concluded_at_us = r.Signed();
  w->external_reference = r.Text();
  w->failure_reason = r.Text();
  return r.Finished();
}

}  // namespace ledger::projections::internal

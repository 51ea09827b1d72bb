#include "projections/expected.h"

namespace ledger::testing {
namespace {

using schema::OperationKind;
using schema::OperationOutcome;

std::string Key(const std::string& a, const std::string& b) { return a + "|" + b; }

template <typename Figures>
void AddOperation(Figures& f, OperationKind kind, std::int64_t amount) {
  if (kind == OperationKind::Capture) f.captured_minor += amount;
  if (kind == OperationKind::Refund) f.refunded_minor += amount;
  if (kind == OperationKind::Chargeback) f.charged_back_minor += amount;
  if (kind == OperationKind::Fee) f.fees_minor += amount;
}

}  // namespace

Expected::Expected(const std::vector<CommittedEvent>& events, SequenceNumber through) {
  for (const CommittedEvent& committed : events) {
    if (committed.sequence > through) break;
    Apply(committed);
  }
}

void Expected::Apply(const CommittedEvent& c) {
  const EventMetadata& m = c.metadata;
  projections::ActivityEntry activity{
      c.sequence, c.recorded_at_us,        m.environment,
      m.actor,    domain::TypeOf(c.event), domain::StreamOf(c.event),
      m.platform};
  activity_.emplace_back(m.organization, activity);
  if (const auto* p = std::get_if<domain::PlatformCreated>(&c.event)) {
    platforms_[p->platform_id] = Platform{p->organization_id, p->environment};
  } else if (const auto* o = std::get_if<domain::OrderCreated>(&c.event)) {
    Order order;
    order.record.platform_id = o->platform_id;
    order.record.order_id = o->order_id;
    order.record.amount_minor = o->amount_minor;
    order.record.currency = o->currency;
    order.record.module = o->module;
    order.record.reference = o->reference;
    order.record.created_sequence = order.record.updated_sequence = c.sequence;
    order.record.created_at_us = order.record.updated_at_us = c.recorded_at_us;
    orders_[Key(o->platform_id, o->order_id)] = order;
    order_sequence_.push_back(Key(o->platform_id, o->order_id));
  } else if (const auto* x = std::get_if<domain::OrderCancelled>(&c.event)) {
    Order& order = orders_.at(Key(x->platform_id, x->order_id));
    order.cancelled = true;
    order.record.cancellation_reason = x->reason;
    order.record.updated_sequence = c.sequence;
    order.record.updated_at_us = c.recorded_at_us;
  } else if (const auto* t = std::get_if<domain::TransactionCreated>(&c.event)) {
    Order& order = orders_.at(Key(t->platform_id, t->order_id));
    projections::TransactionRecord transaction;
    transaction.transaction_id = t->transaction_id;
    transaction.amount_minor = t->amount_minor;
    transaction.created_sequence = c.sequence;
    transaction.created_at_us = c.recorded_at_us;
    order.transactions.push_back(transaction);
    order.record.updated_sequence = c.sequence;
    order.record.updated_at_us = c.recorded_at_us;
  } else if (const auto* op = std::get_if<domain::OperationRecorded>(&c.event)) {
    ApplyOperation(c, *op);
  } else if (std::holds_alternative<domain::WithdrawalRequested>(c.event) ||
             std::holds_alternative<domain::WithdrawalSettled>(c.event) ||
             std::holds_alternative<domain::WithdrawalFailed>(c.event)) {
    ApplyWithdrawal(c);
  } else if (const auto* g = std::get_if<domain::RoleGranted>(&c.event)) {
    roles_.emplace_back(g->organization_id,
                        projections::RoleChange{c.sequence, c.recorded_at_us, m.actor, g->user_id,
                                                true, g->role, g->all_platforms, g->platform_ids});
  } else if (const auto* r = std::get_if<domain::RoleRevoked>(&c.event)) {
    roles_.emplace_back(
        r->organization_id,
        projections::RoleChange{
            c.sequence, c.recorded_at_us, m.actor, r->user_id, false, r->role, false, {}});
  }
}

void Expected::ApplyWithdrawal(const CommittedEvent& c) {
  const EventMetadata& m = c.metadata;
  if (const auto* w = std::get_if<domain::WithdrawalRequested>(&c.event)) {
    projections::WithdrawalRecord& r = withdrawals_[Key(w->platform_id, w->withdrawal_id)];
    r = projections::WithdrawalRecord{};
    r.platform_id = w->platform_id;
    r.withdrawal_id = w->withdrawal_id;
    r.bank_account_id = w->bank_account_id;
    r.amount_minor = w->amount_minor;
    r.currency = w->currency;
    r.requested_by = m.actor;
    r.requested_sequence = c.sequence;
    r.requested_at_us = c.recorded_at_us;
    withdrawal_sequence_.push_back(Key(w->platform_id, w->withdrawal_id));
    Post(c, w->platform_id, "wallet:" + w->platform_id, "payouts_in_transit:" + w->platform_id,
         w->amount_minor, w->currency, w->withdrawal_id, "");
  } else if (const auto* s = std::get_if<domain::WithdrawalSettled>(&c.event)) {
    projections::WithdrawalRecord& r = withdrawals_.at(Key(s->platform_id, s->withdrawal_id));
    r.status = projections::WithdrawalStatus::kSettled;
    r.concluded_sequence = c.sequence;
    r.concluded_at_us = c.recorded_at_us;
    r.external_reference = s->external_reference;
    Post(c, s->platform_id, "payouts_in_transit:" + s->platform_id,
         "bank:" + s->platform_id + "/" + s->bank_account_id, s->amount_minor, s->currency,
         s->withdrawal_id, "");
  } else if (const auto* f = std::get_if<domain::WithdrawalFailed>(&c.event)) {
    projections::WithdrawalRecord& r = withdrawals_.at(Key(f->platform_id, f->withdrawal_id));
    r.status = projections::WithdrawalStatus::kFailed;
    r.concluded_sequence = c.sequence;
    r.concluded_at_us = c.recorded_at_us;
    r.failure_reason = f->reason;
    Post(c, f->platform_id, "payouts_in_transit:" + f->platform_id, "wallet:" + f->platform_id,
         f->amount_minor, f->currency, f->withdrawal_id, "");
  }
}

void Expected::ApplyOperation(const CommittedEvent& c, const domain::OperationRecorded& op) {
  const bool succeeded = op.outcome == OperationOutcome::Succeeded;
  projections::OperationRecord record;
  record.sequence = c.sequence;
  record.recorded_at_us = c.recorded_at_us;
  record.occurred_at_us = op.occurred_at_us;
  record.order_id = op.order_id;
  record.transaction_id = op.transaction_id;
  record.operation_id = op.operation_id;
  record.kind = op.kind;
  record.outcome = op.outcome;
  record.amount_minor = op.amount_minor;
  record.currency = op.currency;
  record.external_reference = op.external_reference;
  if (succeeded && op.kind == OperationKind::Capture) record.net_minor = op.amount_minor;
  if (succeeded && (op.kind == OperationKind::Refund || op.kind == OperationKind::Chargeback ||
                    op.kind == OperationKind::Fee)) {
    record.net_minor = -op.amount_minor;
  }
  operations_.push_back(record);
  operation_platforms_.push_back(op.platform_id);
  Order& order = orders_.at(Key(op.platform_id, op.order_id));
  order.record.updated_sequence = c.sequence;
  order.record.updated_at_us = c.recorded_at_us;
  for (projections::TransactionRecord& t : order.transactions) {
    if (t.transaction_id != op.transaction_id) continue;
    t.operations.push_back(record);
    using S = projections::TransactionStatus;
    if (!succeeded) {
      if (op.kind == OperationKind::Authorization && t.status == S::kPending) t.status = S::kFailed;
      continue;
    }
    if (op.kind == OperationKind::Authorization) {
      t.authorized_minor += op.amount_minor;
      order.record.authorized_minor += op.amount_minor;
      if (t.status == S::kPending) t.status = S::kAuthorized;
    }
    if (op.kind == OperationKind::Capture) t.status = S::kCaptured;
    if (op.kind == OperationKind::Cancellation) t.status = S::kCancelled;
    AddOperation(t, op.kind, op.amount_minor);
    AddOperation(order.record, op.kind, op.amount_minor);
  }
  if (!succeeded) return;
  const std::string wallet = "wallet:" + op.platform_id;
  const std::string customer = "customer_funds:" + op.platform_id;
  const std::string& p = op.platform_id;
  if (op.kind == OperationKind::Capture) {
    Post(c, p, customer, wallet, op.amount_minor, op.currency, op.operation_id, op.order_id);
  } else if (op.kind == OperationKind::Refund || op.kind == OperationKind::Chargeback) {
    Post(c, p, wallet, customer, op.amount_minor, op.currency, op.operation_id, op.order_id);
  } else if (op.kind == OperationKind::Fee) {
    Post(c, p, wallet, "fees:" + p, op.amount_minor, op.currency, op.operation_id, op.order_id);
  }
}

void Expected::Post(const CommittedEvent& c, const std::string& platform, const std::string& credit,
                    const std::string& debit, std::int64_t amount, const std::string& currency,
                    const std::string& source, const std::string& order) {
  journal_.push_back(projections::JournalEntry{c.sequence, c.recorded_at_us, platform,
                                               domain::TypeOf(c.event), source, order, debit,
                                               credit, amount, currency});
  balances_[Key(currency, credit)] -= amount;
  balances_[Key(currency, debit)] += amount;
  const std::string owner =
      std::to_string(static_cast<int>(c.metadata.environment)) + "|" + c.metadata.organization;
  balance_owner_[Key(currency, credit)] = owner;
  balance_owner_[Key(currency, debit)] = owner;
}

}  // namespace ledger::testing

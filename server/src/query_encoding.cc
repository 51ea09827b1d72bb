#include "query_encoding.h"

#include <flatbuffers/flatbuffers.h>

#include "ledger/schema/protocol_generated.h"
#include "responses.h"

namespace ledger::server {
namespace {

namespace p = protocol;
namespace v = projections;
using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

template <typename Item, typename Encode>
auto EncodeVector(FlatBufferBuilder& b, const std::vector<Item>& items, Encode&& encode) {
  std::vector<decltype(encode(b, items.front()))> offsets;
  offsets.reserve(items.size());
  for (const Item& item : items) offsets.push_back(encode(b, item));
  return b.CreateVector(offsets);
}

Offset<p::CurrencyFigures> Encode(FlatBufferBuilder& b, const v::CurrencyFigures& f) {
  std::vector<Offset<p::OrderFigures>> statuses;
  for (const auto& orders : f.orders_by_status) {
    statuses.push_back(p::CreateOrderFigures(b, orders.count, orders.amount_minor));
  }
  auto by_status = b.CreateVector(statuses);
  return p::CreateCurrencyFigures(b, b.CreateString(f.currency), by_status, f.captured_minor,
                                  f.refunded_minor, f.charged_back_minor, f.fees_minor,
                                  f.withdrawn_minor, f.available_minor, f.pending_withdrawal_minor);
}

Offset<p::OrderRecord> Encode(FlatBufferBuilder& b, const v::OrderRecord& o) {
  return p::CreateOrderRecordDirect(
      b, o.platform_id.c_str(), o.order_id.c_str(),
      std::string(v::OrderStatusName(o.status)).c_str(), o.amount_minor, o.currency.c_str(),
      o.module.c_str(), o.reference.c_str(), o.authorized_minor, o.captured_minor, o.refunded_minor,
      o.charged_back_minor, o.fees_minor, o.transaction_count, o.operation_count,
      o.created_sequence.value, o.created_at_us, o.updated_sequence.value, o.updated_at_us,
      o.cancellation_reason.c_str());
}

Offset<p::OperationRecord> Encode(FlatBufferBuilder& b, const v::OperationRecord& o) {
  return p::CreateOperationRecordDirect(
      b, o.sequence.value, o.recorded_at_us, o.occurred_at_us, o.order_id.c_str(),
      o.transaction_id.c_str(), o.operation_id.c_str(), o.kind, o.outcome, o.amount_minor,
      o.currency.c_str(), o.external_reference.c_str(), o.net_minor);
}

Offset<p::TransactionRecord> Encode(FlatBufferBuilder& b, const v::TransactionRecord& t) {
  auto operations =
      EncodeVector(b, t.operations, [](auto& bb, const auto& o) { return Encode(bb, o); });
  return p::CreateTransactionRecord(b, b.CreateString(t.transaction_id),
                                    b.CreateString(std::string(v::TransactionStatusName(t.status))),
                                    t.amount_minor, t.authorized_minor, t.captured_minor,
                                    t.refunded_minor, t.charged_back_minor, t.fees_minor,
                                    t.created_sequence.value, t.created_at_us, operations);
}

Offset<p::WithdrawalRecord> Encode(FlatBufferBuilder& b, const v::WithdrawalRecord& w) {
  return p::CreateWithdrawalRecordDirect(
      b, w.platform_id.c_str(), w.withdrawal_id.c_str(), w.bank_account_id.c_str(),
      std::string(v::WithdrawalStatusName(w.status)).c_str(), w.amount_minor, w.currency.c_str(),
      w.requested_by.c_str(), w.requested_sequence.value, w.requested_at_us,
      w.concluded_sequence.value, w.concluded_at_us, w.external_reference.c_str(),
      w.failure_reason.c_str());
}

std::vector<Offset<flatbuffers::String>> Strings(FlatBufferBuilder& b,
                                                 const std::vector<std::string>& texts) {
  std::vector<Offset<flatbuffers::String>> out;
  for (const auto& text : texts) out.push_back(b.CreateString(text));
  return out;
}

template <typename Body>
std::string Finish(FlatBufferBuilder& b, std::uint64_t id, p::ResponseBody type, Body body) {
  return FinishResponse(b, id, type, body.Union());
}

}  // namespace

std::string EncodePlatformSummary(std::uint64_t id, const v::PlatformSummary& s) {
  FlatBufferBuilder b(1024);
  auto currencies =
      EncodeVector(b, s.currencies, [](auto& bb, const auto& f) { return Encode(bb, f); });
  auto body =
      p::CreatePlatformSummary(b, s.as_of.value, s.environment, b.CreateString(s.organization_id),
                               b.CreateString(s.platform_id), b.CreateString(s.name), currencies);
  return Finish(b, id, p::ResponseBody::PlatformSummary, body);
}

std::string EncodeOrganizationSummary(std::uint64_t id, const v::OrganizationSummary& s) {
  FlatBufferBuilder b(1024);
  auto currencies =
      EncodeVector(b, s.currencies, [](auto& bb, const auto& f) { return Encode(bb, f); });
  auto platforms = Strings(b, s.platform_ids);
  auto body = p::CreateOrganizationSummary(
      b, s.as_of.value, s.environment, b.CreateString(s.organization_id), b.CreateString(s.name),
      b.CreateVector(platforms), currencies);
  return Finish(b, id, p::ResponseBody::OrganizationSummary, body);
}

std::string EncodeDailyTotals(std::uint64_t id, const v::DailyTotals& totals) {
  FlatBufferBuilder b(1024);
  auto days = EncodeVector(b, totals.days, [](auto& bb, const v::DailyFigures& d) {
    return p::CreateDailyFiguresDirect(bb, d.day.c_str(), d.currency.c_str(), d.captured_minor,
                                       d.refunded_minor, d.charged_back_minor, d.fees_minor,
                                       d.withdrawn_minor);
  });
  return Finish(b, id, p::ResponseBody::DailyTotals,
                p::CreateDailyTotals(b, totals.as_of.value, days));
}

std::string EncodeOrderPage(std::uint64_t id, const v::OrderPage& page) {
  FlatBufferBuilder b(4096);
  auto orders = EncodeVector(b, page.orders, [](auto& bb, const auto& o) { return Encode(bb, o); });
  return Finish(b, id, p::ResponseBody::OrderPage,
                p::CreateOrderPage(b, page.as_of.value, orders, b.CreateString(page.next_cursor)));
}

std::string EncodeOrderDetail(std::uint64_t id, const v::OrderDetail& detail) {
  FlatBufferBuilder b(2048);
  auto order = Encode(b, detail.order);
  auto transactions =
      EncodeVector(b, detail.transactions, [](auto& bb, const auto& t) { return Encode(bb, t); });
  return Finish(b, id, p::ResponseBody::OrderDetail,
                p::CreateOrderDetail(b, detail.as_of.value, order, transactions));
}

std::string EncodeWithdrawalPage(std::uint64_t id, const v::WithdrawalPage& page) {
  FlatBufferBuilder b(4096);
  auto rows =
      EncodeVector(b, page.withdrawals, [](auto& bb, const auto& w) { return Encode(bb, w); });
  return Finish(
      b, id, p::ResponseBody::WithdrawalPage,
      p::CreateWithdrawalPage(b, page.as_of.value, rows, b.CreateString(page.next_cursor)));
}

std::string EncodeJournalPage(std::uint64_t id, const v::JournalPage& page) {
  FlatBufferBuilder b(4096);
  auto entries = EncodeVector(b, page.entries, [](auto& bb, const v::JournalEntry& e) {
    return p::CreateJournalEntryDirect(
        bb, e.sequence.value, e.recorded_at_us, e.platform_id.c_str(), e.source_type,
        e.source_id.c_str(), e.order_id.c_str(), e.debit_account.c_str(), e.credit_account.c_str(),
        e.amount_minor, e.currency.c_str());
  });
  return Finish(
      b, id, p::ResponseBody::JournalPage,
      p::CreateJournalPage(b, page.as_of.value, entries, b.CreateString(page.next_cursor)));
}

std::string EncodeTrialBalance(std::uint64_t id, const v::TrialBalance& balance) {
  FlatBufferBuilder b(2048);
  auto lines = EncodeVector(b, balance.lines, [](auto& bb, const v::TrialBalanceLine& l) {
    return p::CreateTrialBalanceLineDirect(bb, l.account.c_str(), l.currency.c_str(),
                                           l.balance_minor);
  });
  auto totals = EncodeVector(b, balance.totals, [](auto& bb, const v::CurrencyTotal& t) {
    return p::CreateCurrencyTotalDirect(bb, t.currency.c_str(), t.total_minor);
  });
  return Finish(b, id, p::ResponseBody::TrialBalance,
                p::CreateTrialBalance(b, balance.as_of.value, balance.environment,
                                      b.CreateString(balance.organization_id), lines, totals));
}

std::string EncodeAccountBalance(std::uint64_t id, const v::AccountBalanceAt& balance) {
  FlatBufferBuilder b(256);
  return Finish(
      b, id, p::ResponseBody::AccountBalance,
      p::CreateAccountBalanceDirect(b, balance.as_of.value, balance.at_sequence.value,
                                    balance.account.c_str(), balance.currency.c_str(),
                                    balance.balance_minor, balance.last_change_sequence.value));
}

std::string EncodeActivityPage(std::uint64_t id, const v::ActivityPage& page) {
  FlatBufferBuilder b(4096);
  auto entries = EncodeVector(b, page.entries, [](auto& bb, const v::ActivityEntry& e) {
    return p::CreateActivityEntryDirect(bb, e.sequence.value, e.recorded_at_us, e.environment,
                                        e.actor.c_str(), e.type, e.stream.c_str(),
                                        e.platform_id.c_str());
  });
  return Finish(
      b, id, p::ResponseBody::ActivityPage,
      p::CreateActivityPage(b, page.as_of.value, entries, b.CreateString(page.next_cursor)));
}

std::string EncodeRoleHistory(std::uint64_t id, const v::RoleHistory& history) {
  FlatBufferBuilder b(2048);
  auto changes = EncodeVector(b, history.changes, [](auto& bb, const v::RoleChange& c) {
    auto platforms = Strings(bb, c.platform_ids);
    return p::CreateRoleChange(bb, c.sequence.value, c.recorded_at_us, bb.CreateString(c.actor),
                               bb.CreateString(c.user_id), c.granted, c.role, c.all_platforms,
                               bb.CreateVector(platforms));
  });
  return Finish(
      b, id, p::ResponseBody::RoleHistory,
      p::CreateRoleHistory(b, history.as_of.value, b.CreateString(history.organization_id), changes,
                           b.CreateString(history.next_cursor)));
}

}  // namespace ledger::server

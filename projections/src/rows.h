// The values of the views database (keys.h has the keys). Every row is a sequence of
// encoding.h items in the order written here; a row that does not decode exactly is
// reported as corruption.
//
//   FiguresRow    := 10 × svarint (orders_by_status: count, amount per status)
//                    7 × svarint (captured refunded charged_back fees withdrawn available
//                    pending_withdrawal)
//   DailyRow      := 5 × svarint (captured refunded charged_back fees withdrawn)
//   OrderRow      := text platform, text order, u8 status, svarint amount, text currency,
//                    text module, text reference, 5 × svarint (authorized captured refunded
//                    charged_back fees), varint created_seq, svarint created_at,
//                    varint updated_seq, svarint updated_at, text cancellation_reason,
//                    varint n, n × Transaction, varint m, m × varint sequence delta
//   Transaction   := text id, u8 status, 6 × svarint (amount authorized captured refunded
//                    charged_back fees), varint created_seq, svarint created_at
//   OperationRow  := svarint recorded_at, svarint occurred_at, text order, text
//                    transaction, text operation, u8 kind, u8 outcome, svarint amount,
//                    text currency, text external_reference, svarint net
//   WithdrawalRow := text platform, text withdrawal, text bank_account, u8 status, svarint
//                    amount, text currency, text requested_by, varint requested_seq,
//                    svarint requested_at, varint concluded_seq, svarint concluded_at,
//                    text external_reference, text failure_reason
//   TimeRow       := varint first_seq, varint last_seq
//   JournalRow    := svarint recorded_at, varint source_type, text source_id, text order,
//                    text debit_account, text credit_account, svarint amount, text currency
//   OrganizationRow := text name, varint created_seq
//   PlatformRow   := u8 environment, text organization, text name, varint created_seq
//   ActivityRow   := u8 environment, varint type, svarint recorded_at, text stream,
//                    text platform
//   RoleChangeRow := svarint recorded_at, text actor, text user, u8 granted, u8 role,
//                    u8 all_platforms, varint n, n × text platform
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/projections/accounting_views.h"
#include "ledger/projections/audit_views.h"
#include "ledger/projections/payment_views.h"

namespace ledger::projections::internal {

struct OrderRow {
  OrderRecord order;
  /// Without their operations (those are rows of their own).
  std::vector<TransactionRecord> transactions;
  /// The order's operations, in log order.
  std::vector<std::uint64_t> operation_sequences;
};

struct TimeRow {
  SequenceNumber first;
  SequenceNumber last;
};

struct OrganizationRow {
  std::string name;
  SequenceNumber created_sequence;
};

struct PlatformRow {
  schema::Environment environment = schema::Environment::Unspecified;
  std::string organization_id;
  std::string name;
  SequenceNumber created_sequence;
};

std::string EncodeFigures(const CurrencyFigures& figures);
bool DecodeFigures(std::string_view row, CurrencyFigures* figures);
std::string EncodeDaily(const DailyFigures& figures);
bool DecodeDaily(std::string_view row, DailyFigures* figures);
std::string EncodeOrder(const OrderRow& row);
bool DecodeOrder(std::string_view row, OrderRow* out);
/// The sequence comes from the key. Appends to `out`.
void EncodeOperation(const OperationRecord& operation, std::string* out);
bool DecodeOperation(std::string_view row, OperationRecord* out);
std::string EncodeWithdrawal(const WithdrawalRecord& withdrawal);
bool DecodeWithdrawal(std::string_view row, WithdrawalRecord* out);

std::string EncodeTime(const TimeRow& row);
bool DecodeTime(std::string_view row, TimeRow* out);
/// The sequence and the platform come from the key. Appends to `out`.
void EncodeJournal(const JournalEntry& entry, std::string* out);
bool DecodeJournal(std::string_view row, JournalEntry* out);
std::string EncodeBalance(std::int64_t balance_minor);
void EncodeBalance(std::int64_t balance_minor, std::string* out);
bool DecodeBalance(std::string_view row, std::int64_t* balance_minor);

std::string EncodeOrganization(const OrganizationRow& row);
bool DecodeOrganization(std::string_view row, OrganizationRow* out);
std::string EncodePlatform(const PlatformRow& row);
bool DecodePlatform(std::string_view row, PlatformRow* out);
/// The sequence, organization and actor come from the key. Appends to `out`.
void EncodeActivity(schema::Environment environment, schema::EventType type,
                    std::int64_t recorded_at_us, std::string_view stream, std::string_view platform,
                    std::string* out);
bool DecodeActivity(std::string_view row, ActivityEntry* out);
/// The sequence comes from the key.
std::string EncodeRoleChange(const RoleChange& change);
bool DecodeRoleChange(std::string_view row, RoleChange* out);

}  // namespace ledger::projections::internal

// What the accounting views answer: the journal of postings, the trial balance, and the
// balance of any account as of any past sequence or time.
//
// Accounts are named as domain/postings.h names them: "customer_funds:<platform>",
// "wallet:<platform>", "fees:<platform>", "payouts_in_transit:<platform>",
// "bank:<platform>/<bank account>". A posting debits (`to`) one account and credits
// (`from`) another by the same amount, so every organization's balances sum to zero in
// each currency, at every sequence. Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/engine/types.h"
#include "ledger/projections/types.h"
#include "ledger/schema/common_generated.h"

namespace ledger::projections {

struct JournalEntry {
  SequenceNumber sequence;
  std::int64_t recorded_at_us = 0;
  std::string platform_id;
  /// The event that yielded the posting, and the id it names (operation or withdrawal).
  schema::EventType source_type = schema::EventType::Opaque;
  std::string source_id;
  /// The order, for operations.
  std::string order_id;
  /// Receives the amount.
  std::string debit_account;
  /// Gives the amount.
  std::string credit_account;
  std::int64_t amount_minor = 0;
  std::string currency;
  bool operator==(const JournalEntry&) const = default;
};

struct JournalFilter {
  Scope scope;
  /// Postings recorded in [from_us, to_us).
  std::optional<std::int64_t> from_us;
  std::optional<std::int64_t> to_us;
  std::string cursor;
  std::size_t limit = 0;
};

struct JournalPage {
  SequenceNumber as_of;
  /// Oldest first (log order).
  std::vector<JournalEntry> entries;
  std::string next_cursor;
};

struct TrialBalanceLine {
  std::string account;
  std::string currency;
  std::int64_t balance_minor = 0;
  bool operator==(const TrialBalanceLine&) const = default;
};

struct CurrencyTotal {
  std::string currency;
  std::int64_t total_minor = 0;
  bool operator==(const CurrencyTotal&) const = default;
};

struct TrialBalance {
  SequenceNumber as_of;
  schema::Environment environment = schema::Environment::Unspecified;
  std::string organization_id;
  /// Every account that ever moved, by currency then account name.
  std::vector<TrialBalanceLine> lines;
  /// Per currency, the sum of the lines: zero unless the log broke double entry.
  std::vector<CurrencyTotal> totals;
};

/// A past point of the log: a sequence, or a time (the last event recorded at or before it).
struct PointInLog {
  std::optional<SequenceNumber> sequence;
  std::optional<std::int64_t> time_us;
};

struct AccountBalanceAt {
  /// The sequence the accounting projection had reached when answering.
  SequenceNumber as_of;
  /// The point the balance is for (the asked sequence, or the one the time resolved to).
  SequenceNumber at_sequence;
  std::string account;
  std::string currency;
  std::int64_t balance_minor = 0;
  /// The last posting on the account at or before `at_sequence` (0: none yet).
  SequenceNumber last_change_sequence;
};

}  // namespace ledger::projections

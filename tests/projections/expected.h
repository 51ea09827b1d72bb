// The views' figures recomputed from the committed events by the simplest code that could
// work: plain maps, no caching, no RocksDB, nothing shared with the projections. Postings
// follow the table of DESIGN.md, written out here again.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ledger/projections/accounting_views.h"
#include "ledger/projections/audit_views.h"
#include "ledger/projections/payment_views.h"
#include "projections/scenario.h"

namespace ledger::testing {

class Expected {
 public:
  /// Replays the events with sequence <= `through`.
  explicit Expected(const std::vector<CommittedEvent>& events,
                    SequenceNumber through = SequenceNumber{UINT64_MAX});

  /// `platform` empty: the organization's sums over its platforms in `environment`.
  std::vector<projections::CurrencyFigures> Figures(schema::Environment environment,
                                                    const std::string& organization,
                                                    const std::string& platform) const;
  std::vector<projections::DailyFigures> Daily(schema::Environment environment,
                                               const std::string& organization,
                                               const std::string& platform) const;
  std::vector<std::string> Platforms(schema::Environment environment,
                                     const std::string& organization) const;
  /// Newest first.
  std::vector<projections::OrderRecord> Orders(const std::vector<std::string>& platforms) const;
  projections::OrderDetail Detail(const std::string& platform, const std::string& order) const;
  std::vector<projections::WithdrawalRecord> Withdrawals(
      const std::vector<std::string>& platforms) const;
  /// Oldest first, every posting of those platforms.
  std::vector<projections::JournalEntry> Journal(const std::vector<std::string>& platforms) const;
  /// By currency then account.
  std::vector<projections::TrialBalanceLine> TrialBalance(schema::Environment environment,
                                                          const std::string& organization) const;
  /// "currency|account" → balance, every account ever moved.
  const std::map<std::string, std::int64_t>& Balances() const { return balances_; }
  /// Newest first.
  std::vector<projections::ActivityEntry> Activity(const std::string& organization,
                                                   const std::string& actor) const;
  std::vector<projections::RoleChange> Roles(const std::string& organization) const;

 private:
  struct Order {
    projections::OrderRecord record;
    bool cancelled = false;
    std::vector<projections::TransactionRecord> transactions;
  };
  struct Platform {
    std::string organization;
    schema::Environment environment = schema::Environment::Unspecified;
  };

  void Apply(const CommittedEvent& committed);
  void ApplyOperation(const CommittedEvent& committed, const domain::OperationRecorded& op);
  void ApplyWithdrawal(const CommittedEvent& committed);
  void Post(const CommittedEvent& committed, const std::string& platform, const std::string& credit,
            const std::string& debit, std::int64_t amount, const std::string& currency,
            const std::string& source, const std::string& order);

  std::map<std::string, Platform> platforms_;
  std::map<std::string, Order> orders_;  // "platform|order"
  std::vector<std::string> order_sequence_;
  std::vector<projections::OperationRecord> operations_;
  std::vector<std::string> operation_platforms_;
  std::map<std::string, projections::WithdrawalRecord> withdrawals_;  // "platform|id"
  std::vector<std::string> withdrawal_sequence_;
  std::vector<projections::JournalEntry> journal_;
  std::map<std::string, std::int64_t> balances_;
  std::map<std::string, std::string> balance_owner_;  // "currency|account" → "env|org"
  std::vector<std::pair<std::string, projections::ActivityEntry>> activity_;  // org
  std::vector<std::pair<std::string, projections::RoleChange>> roles_;        // org
};

}  // namespace ledger::testing

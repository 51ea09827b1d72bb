// gtest printers for the views' structs, so that a mismatch shows the fields.
#pragma once

#include <ostream>

#include "ledger/projections/accounting_views.h"
#include "ledger/projections/audit_views.h"
#include "ledger/projections/payment_views.h"

namespace ledger::projections {

inline void PrintTo(const CurrencyFigures& f, std::ostream* os) {
  *os << f.currency << " orders[";
  for (const OrderFigures& o : f.orders_by_status) *os << o.count << "/" << o.amount_minor << " ";
  *os << "] captured=" << f.captured_minor << " refunded=" << f.refunded_minor
      << " charged_back=" << f.charged_back_minor << " fees=" << f.fees_minor
      << " withdrawn=" << f.withdrawn_minor << " available=" << f.available_minor
      << " pending=" << f.pending_withdrawal_minor;
}

inline void PrintTo(const DailyFigures& f, std::ostream* os) {
  *os << f.day << " " << f.currency << " captured=" << f.captured_minor
      << " refunded=" << f.refunded_minor << " charged_back=" << f.charged_back_minor
      << " fees=" << f.fees_minor << " withdrawn=" << f.withdrawn_minor;
}

inline void PrintTo(const OrderRecord& o, std::ostream* os) {
  *os << o.platform_id << "/" << o.order_id << " " << OrderStatusName(o.status) << " "
      << o.amount_minor << " " << o.currency << " ref=" << o.reference
      << " auth=" << o.authorized_minor << " cap=" << o.captured_minor
      << " ref=" << o.refunded_minor << " cb=" << o.charged_back_minor << " fees=" << o.fees_minor
      << " tx=" << o.transaction_count << " ops=" << o.operation_count
      << " created=" << o.created_sequence.value << "@" << o.created_at_us
      << " updated=" << o.updated_sequence.value << "@" << o.updated_at_us;
}

inline void PrintTo(const OperationRecord& o, std::ostream* os) {
  *os << o.sequence.value << " " << o.operation_id << " kind=" << static_cast<int>(o.kind)
      << " outcome=" << static_cast<int>(o.outcome) << " " << o.amount_minor << " " << o.currency
      << " net=" << o.net_minor;
}

inline void PrintTo(const TransactionRecord& t, std::ostream* os) {
  *os << t.transaction_id << " " << TransactionStatusName(t.status) << " " << t.amount_minor
      << " auth=" << t.authorized_minor << " cap=" << t.captured_minor
      << " ref=" << t.refunded_minor << " cb=" << t.charged_back_minor << " fees=" << t.fees_minor
      << " ops=" << t.operations.size();
}

inline void PrintTo(const WithdrawalRecord& w, std::ostream* os) {
  *os << w.platform_id << "/" << w.withdrawal_id << " " << WithdrawalStatusName(w.status) << " "
      << w.amount_minor << " " << w.currency << " requested=" << w.requested_sequence.value
      << " concluded=" << w.concluded_sequence.value;
}

inline void PrintTo(const JournalEntry& e, std::ostream* os) {
  *os << e.sequence.value << " " << e.platform_id << " " << e.credit_account << " -> "
      << e.debit_account << " " << e.amount_minor << " " << e.currency << " " << e.source_id;
}

inline void PrintTo(const TrialBalanceLine& l, std::ostream* os) {
  *os << l.currency << " " << l.account << " " << l.balance_minor;
}

inline void PrintTo(const ActivityEntry& e, std::ostream* os) {
  *os << e.sequence.value << " " << e.actor << " type=" << static_cast<int>(e.type) << " "
      << e.stream;
}

inline void PrintTo(const RoleChange& c, std::ostream* os) {
  *os << c.sequence.value << " " << c.actor << " " << (c.granted ? "grant " : "revoke ")
      << c.user_id << " role=" << static_cast<int>(c.role);
}

}  // namespace ledger::projections

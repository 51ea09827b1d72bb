// The projections' answers as protocol responses (protocol.fbs, "Queries"): one function per
// view, each returning the whole Response frame. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "ledger/projections/accounting_views.h"
#include "ledger/projections/audit_views.h"
#include "ledger/projections/payment_views.h"

namespace ledger::server {

std::string EncodePlatformSummary(std::uint64_t request_id,
                                  const projections::PlatformSummary& summary);
std::string EncodeOrganizationSummary(std::uint64_t request_id,
                                      const projections::OrganizationSummary& summary);
std::string EncodeDailyTotals(std::uint64_t request_id, const projections::DailyTotals& totals);
std::string EncodeOrderPage(std::uint64_t request_id, const projections::OrderPage& page);
std::string EncodeOrderDetail(std::uint64_t request_id, const projections::OrderDetail& detail);
std::string EncodeWithdrawalPage(std::uint64_t request_id, const projections::WithdrawalPage& page);
std::string EncodeJournalPage(std::uint64_t request_id, const projections::JournalPage& page);
std::string EncodeTrialBalance(std::uint64_t request_id, const projections::TrialBalance& balance);
std::string EncodeAccountBalance(std::uint64_t request_id,
                                 const projections::AccountBalanceAt& balance);
std::string EncodeActivityPage(std::uint64_t request_id, const projections::ActivityPage& page);
std::string EncodeRoleHistory(std::uint64_t request_id, const projections::RoleHistory& history);

}  // namespace ledger::server

// Which events of the log a principal may read: the same permission matrix as commands
// (domain::Allowed through Ledger::Allowed), applied to the event's organization, platform
// and environment. Root reads everything. Otherwise:
//
//   orders, transactions, operations              view_payments
//   withdrawals                                   view_reports, request_withdrawals or
//                                                 record_withdrawal_outcomes
//   bank accounts                                 view_reports, add_bank_accounts or
//                                                 record_withdrawal_outcomes
//   platforms, API keys                           create_platforms or manage_api_keys
//   organizations, role grants                    manage_users (organization-level)
//   users, user tokens, opaque events             root only
//
// An event the principal may not read is skipped as if it did not exist.
// Thread-safety: reads the ledger's thread-safe state.
#pragma once

#include <span>

#include "ledger/engine/domain/permissions.h"
#include "ledger/engine/domain/principal.h"
#include "ledger/engine/ledger.h"
#include "ledger/schema/envelope_generated.h"

namespace ledger::server {

bool MayRead(const Ledger& ledger, const domain::Principal& principal,
             const schema::Envelope& envelope);

/// The actions any of which lets a principal read events of `type` (empty: root only).
std::span<const domain::Action> ReadActions(schema::EventType type);
/// The target an event concerns: its organization, platform (none for organization-level
/// events) and environment. Views the envelope's strings.
domain::Target TargetOf(const schema::Envelope& envelope);

}  // namespace ledger::server

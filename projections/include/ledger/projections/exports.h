// CSV exports for accountants: payments (one row per operation) and disbursements (one row
// per withdrawal), with stable, documented columns (docs/projections.md lists them with
// types and examples).
//
// Format: RFC 4180 (comma separated, CRLF line ends, fields with a comma, quote or line
// break quoted, quotes doubled), UTF-8, one header row. Amounts appear twice: in minor
// units (an integer) and formatted with the currency's ISO 4217 exponent ("12.34", "1500",
// "-0.050"). Times are UTC ISO 8601 with microseconds ("2025-11-21T13:16:00.000000Z").
// A text field that a spreadsheet would read as a formula (it starts with =, +, -, @, a
// tab or a carriage return) is prefixed with an apostrophe; numeric columns never are.
// The last line is a manifest, "#manifest,<key>=<value>,...", naming the export, the
// filter, the number of rows, the log sequence the export reflects and the hash of the
// event at that sequence: an auditor verifies the log up to that point
// (ledgerctl verify) and reproduces the same file from it. Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string_view>

#include "ledger/engine/types.h"
#include "ledger/projections/types.h"

namespace ledger::projections {

/// Which rows an export holds: a scope and a period of the log's recorded time.
struct ExportFilter {
  Scope scope;
  /// Rows whose event (the operation, or the withdrawal request) was recorded in
  /// [from_us, to_us). Defaults: everything.
  std::int64_t from_us = 0;
  std::int64_t to_us = INT64_MAX;
};

/// What the manifest line says.
struct ExportManifest {
  std::uint64_t rows = 0;
  /// The projection's checkpoint the export was read at, and the hash of that event.
  ChainPoint as_of;
};

/// The manifest line's version: bumped whenever a column is added, removed or changes.
inline constexpr int kExportFormatVersion = 1;

/// Header rows, for readers that check them.
inline constexpr std::string_view kPaymentsCsvHeader =
    "log_sequence,recorded_at,occurred_at,environment,organization_id,platform_id,order_id,"
    "transaction_id,operation_id,type,status,amount_minor,amount,currency,fee_minor,fee,"
    "net_minor,net,external_reference";
inline constexpr std::string_view kDisbursementsCsvHeader =
    "log_sequence,requested_at,concluded_at,concluded_sequence,environment,organization_id,"
    "platform_id,withdrawal_id,bank_account_id,type,status,amount_minor,amount,currency,"
    "fee_minor,fee,net_minor,net,external_reference,failure_reason,requested_by";

}  // namespace ledger::projections

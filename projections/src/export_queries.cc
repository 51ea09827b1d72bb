// The CSV exports of exports.h: payments (one row per operation) and disbursements (one
// row per withdrawal), each closed by its manifest line.
#include <fmt/format.h>

#include "csv.h"
#include "keys.h"
#include "ledger/engine/domain/principal.h"
#include "ledger/projections/views.h"
#include "query_support.h"
#include "rows.h"

namespace ledger::projections {

using internal::CsvWriter;
using internal::ReadView;

namespace {

/// The key prefix of one row kind for each platform in scope.
template <typename Kind>
std::vector<std::string> PlatformPrefixes(Kind kind, const std::vector<std::string>& platforms) {
  std::vector<std::string> prefixes;
  for (const std::string& platform : platforms) {
    prefixes.push_back(internal::keys::PlatformPrefix(kind, platform));
  }
  return prefixes;
}

std::string_view OutcomeName(schema::OperationOutcome outcome) {
  switch (outcome) {
    case schema::OperationOutcome::Succeeded:
      return "succeeded";
    case schema::OperationOutcome::Failed:
      return "failed";
    default:
      return "unspecified";
  }
}

/// Everything an export needs before its first row.
struct ExportStart {
  internal::ResolvedScope scope;
  ChainPoint as_of;
  internal::SequenceRange range;
};

/// Checks the period, then waits for min_sequence. The caller takes its snapshot only after
/// this: a snapshot taken before the wait would miss the very events waited for.
Status AwaitExport(const internal::ViewStore& store, const ExportFilter& filter,
                   const QueryOptions& options) {
  if (filter.to_us <= filter.from_us) {
    return Status::InvalidArgument("the period ends before it starts");
  }
  return internal::AwaitProjections(store, {ProjectionId::kDirectory, ProjectionId::kPayments},
                                    options);
}

/// REQUIRES: AwaitExport() succeeded before `view` was taken.
Result<ExportStart> StartExport(const ReadView& view, const ExportFilter& filter) {
  auto resolved = internal::ResolveScope(view, filter.scope, internal::ScopeShape::kEither);
  if (!resolved.ok()) return resolved.status();
  auto as_of = internal::AsOf(view, ProjectionId::kPayments);
  if (!as_of.ok()) return as_of.status();
  auto range = internal::SequencesRecordedIn(view, ProjectionId::kPayments, filter.from_us,
                                             filter.to_us, as_of->sequence);
  if (!range.ok()) return range.status();
  return ExportStart{std::move(resolved).value(), *as_of, *range};
}

std::string Manifest(std::string_view name, const ExportFilter& filter,
                     const ExportManifest& manifest) {
  return fmt::format(
      "#manifest,export={},format_version={},environment={},organization_id={},platform_id={},"
      "from_us={},to_us={},rows={},as_of_sequence={},head_hash={}",
      name, kExportFormatVersion, EnvironmentName(filter.scope.environment),
      filter.scope.organization_id, filter.scope.platform_id, filter.from_us, filter.to_us,
      manifest.rows, manifest.as_of.sequence.value, ToHex(manifest.as_of.hash));
}

void WriteMoney(CsvWriter& csv, std::int64_t amount_minor, std::string_view currency) {
  csv.Integer(amount_minor).Plain(internal::FormatAmount(amount_minor, currency));
}

/// What every export shares: the wait, the snapshot, the scope, the header, then one row per
/// entry of `kind` recorded in the period, oldest first, and the manifest line. `write_row`
/// (view, scan, platform, csv) writes the row of the scan's current entry.
template <typename Kind, typename WriteRow>
Result<ExportManifest> RunExport(const internal::ViewStore& store, const ExportFilter& filter,
                                 const QueryOptions& options, std::ostream& out,
                                 std::string_view name, std::string_view header, Kind kind,
                                 WriteRow write_row) {
  Status awaited = AwaitExport(store, filter, options);
  if (!awaited.ok()) return awaited;
  ReadView view(store);
  auto start = StartExport(view, filter);
  if (!start.ok()) return start.status();
  const std::vector<std::string>& platforms = start->scope.platforms;
  const std::vector<std::string> prefixes = PlatformPrefixes(kind, platforms);
  ExportManifest manifest{0, start->as_of};
  CsvWriter csv(out);
  csv.Line(header);
  internal::SequenceScan scan(
      internal::PageCursors(view, ProjectionId::kPayments, prefixes, start->range, false), false);
  for (; scan.Valid(); scan.Next()) {
    Status row = write_row(view, scan, platforms[scan.source()], csv);
    if (!row.ok()) return row;
    ++manifest.rows;
  }
  Status status = scan.status();
  if (!status.ok()) return status;
  csv.Line(Manifest(name, filter, manifest));
  status = csv.Finish();
  if (!status.ok()) return status;
  return manifest;
}

}  // namespace

Result<ExportManifest> Views::ExportPayments(const ExportFilter& filter, std::ostream& out,
                                             const QueryOptions& options) const {
  const std::string_view environment = EnvironmentName(filter.scope.environment);
  return RunExport(*store_, filter, options, out, "payments", kPaymentsCsvHeader,
                   internal::keys::kOperation,
                   [&](const ReadView&, const internal::SequenceScan& scan,
                       const std::string& platform, CsvWriter& csv) {
                     OperationRecord op;
                     if (!internal::DecodeOperation(scan.value(), &op)) {
                       return Status::Corruption("an operation row is malformed");
                     }
                     const bool fee = op.kind == schema::OperationKind::Fee &&
                                      op.outcome == schema::OperationOutcome::Succeeded;
                     csv.Integer(static_cast<std::int64_t>(scan.sequence().value));
                     csv.Plain(internal::FormatTimestamp(op.recorded_at_us));
                     csv.Plain(internal::FormatTimestamp(op.occurred_at_us)).Plain(environment);
                     csv.Text(filter.scope.organization_id).Text(platform);
                     csv.Text(op.order_id).Text(op.transaction_id).Text(op.operation_id);
                     csv.Plain(domain::OperationKindName(op.kind)).Plain(OutcomeName(op.outcome));
                     WriteMoney(csv, op.amount_minor, op.currency);
                     csv.Text(op.currency);
                     WriteMoney(csv, fee ? op.amount_minor : 0, op.currency);
                     WriteMoney(csv, op.net_minor, op.currency);
                     csv.Text(op.external_reference);
                     csv.EndRow();
                     return Status::Ok();
                   });
}

Result<ExportManifest> Views::ExportDisbursements(const ExportFilter& filter, std::ostream& out,
                                                  const QueryOptions& options) const {
  const std::string_view environment = EnvironmentName(filter.scope.environment);
  std::string value;
  return RunExport(
      *store_, filter, options, out, "disbursements", kDisbursementsCsvHeader,
      internal::keys::kWithdrawalList,
      [&](const ReadView& view, const internal::SequenceScan& scan, const std::string& platform,
          CsvWriter& csv) {
        Status status = view.Get(ProjectionId::kPayments,
                                 internal::keys::Withdrawal(platform, scan.value()), &value);
        if (!status.ok()) return status;
        WithdrawalRecord w;
        if (!internal::DecodeWithdrawal(value, &w)) {
          return Status::Corruption("a withdrawal row is malformed");
        }
        const bool concluded = w.concluded_sequence.value != 0;
        csv.Integer(static_cast<std::int64_t>(scan.sequence().value));
        csv.Plain(internal::FormatTimestamp(w.requested_at_us));
        csv.Plain(concluded ? internal::FormatTimestamp(w.concluded_at_us) : std::string());
        csv.Plain(concluded ? std::to_string(w.concluded_sequence.value) : std::string());
        csv.Plain(environment).Text(filter.scope.organization_id).Text(platform);
        csv.Text(w.withdrawal_id).Text(w.bank_account_id).Plain("withdrawal");
        csv.Plain(WithdrawalStatusName(w.status));
        WriteMoney(csv, w.amount_minor, w.currency);
        csv.Text(w.currency);
        WriteMoney(csv, 0, w.currency);
        // A failed withdrawal gave its amount back to the wallet.
        WriteMoney(csv, w.status == WithdrawalStatus::kFailed ? 0 : -w.amount_minor, w.currency);
        csv.Text(w.external_reference).Text(w.failure_reason).Text(w.requested_by);
        csv.EndRow();
        return Status::Ok();
      });
}

}  // namespace ledger::projections

// Views: activity by actor and role-change history. Organizations that do not exist simply
// have no rows: audit queries name no scope to resolve.
#include "keys.h"
#include "ledger/limits.h"
#include "ledger/projections/views.h"
#include "query_support.h"
#include "rows.h"

namespace ledger::projections {

using internal::ReadView;

Result<ActivityPage> Views::GetActivity(const ActivityFilter& filter,
                                        const QueryOptions& options) const {
  if (filter.actor.empty()) return Status::InvalidArgument("activity is listed per actor");
  Status status = internal::AwaitProjections(*store_, {ProjectionId::kAudit}, options);
  if (!status.ok()) return status;
  ReadView view(*store_);
  auto as_of = internal::AsOf(view, ProjectionId::kAudit);
  if (!as_of.ok()) return as_of.status();
  auto resume = internal::DecodeCursor(filter.cursor);
  if (!resume.ok()) return resume.status();
  ActivityPage page;
  page.as_of = as_of->sequence;
  const internal::SequenceRange range{SequenceNumber{1},
                                      std::min(resume->value_or(as_of->sequence), as_of->sequence)};
  internal::SequenceScan scan(
      internal::PageCursors(view, ProjectionId::kAudit,
                            {internal::keys::ActivityPrefix(filter.organization_id, filter.actor)},
                            range, true),
      true);
  const std::size_t limit = internal::PageLimit(filter.limit);
  bool before_range = false;
  for (std::size_t examined = 0;
       scan.Valid() && page.entries.size() < limit && examined < limits::kPageScanRowsMax;
       ++examined, scan.Next()) {
    ActivityEntry entry;
    if (!internal::DecodeActivity(scan.value(), &entry)) {
      return Status::Corruption("an activity row is malformed");
    }
    // Recorded times never decrease along the log (docs/log.md): newest first, an entry
    // before the range ends the list.
    if (filter.from_us && entry.recorded_at_us < *filter.from_us) {
      before_range = true;
      break;
    }
    const bool shown = (filter.environment == schema::Environment::Unspecified ||
                        entry.environment == filter.environment ||
                        entry.environment == schema::Environment::Unspecified) &&
                       (!filter.to_us || entry.recorded_at_us < *filter.to_us);
    if (!shown) continue;
    entry.sequence = scan.sequence();
    entry.actor = filter.actor;
    page.entries.push_back(std::move(entry));
  }
  status = scan.status();
  if (!status.ok()) return status;
  if (scan.Valid() && !before_range) page.next_cursor = internal::EncodeCursor(scan.sequence());
  return page;
}

Result<RoleHistory> Views::GetRoleHistory(const RoleHistoryFilter& filter,
                                          const QueryOptions& options) const {
  if (filter.organization_id.empty()) {
    return Status::InvalidArgument("role history is listed per organization");
  }
  Status status = internal::AwaitProjections(*store_, {ProjectionId::kAudit}, options);
  if (!status.ok()) return status;
  ReadView view(*store_);
  auto as_of = internal::AsOf(view, ProjectionId::kAudit);
  if (!as_of.ok()) return as_of.status();
  auto resume = internal::DecodeCursor(filter.cursor);
  if (!resume.ok()) return resume.status();
  RoleHistory history;
  history.as_of = as_of->sequence;
  history.organization_id = filter.organization_id;
  std::vector<std::unique_ptr<internal::EntryCursor>> cursors;
  cursors.push_back(internal::RowCursor(
      view, ProjectionId::kAudit, internal::keys::RoleChangePrefix(filter.organization_id),
      resume->value_or(SequenceNumber{1}), as_of->sequence, false));
  internal::SequenceScan scan(std::move(cursors), false);
  const std::size_t limit = internal::PageLimit(filter.limit);
  for (std::size_t examined = 0;
       scan.Valid() && history.changes.size() < limit && examined < limits::kPageScanRowsMax;
       ++examined, scan.Next()) {
    RoleChange change;
    if (!internal::DecodeRoleChange(scan.value(), &change)) {
      return Status::Corruption("a role change row is malformed");
    }
    if (!filter.user_id.empty() && change.user_id != filter.user_id) continue;
    change.sequence = scan.sequence();
    history.changes.push_back(std::move(change));
  }
  status = scan.status();
  if (!status.ok()) return status;
  if (scan.Valid()) history.next_cursor = internal::EncodeCursor(scan.sequence());
  return history;
}

}  // namespace ledger::projections

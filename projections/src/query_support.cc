#include "query_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "encoding.h"
#include "keys.h"
#include "ledger/limits.h"
#include "rows.h"

namespace ledger::projections::internal {

Result<ResolvedScope> ResolveScope(const ReadView& view, const Scope& scope, ScopeShape shape) {
  const schema::Environment environment = scope.environment;
  if (environment != schema::Environment::Sandbox &&
      environment != schema::Environment::Production) {
    return Status::InvalidArgument("a scope names the sandbox or the production environment");
  }
  if (scope.organization_id.empty()) {
    return Status::InvalidArgument("a scope names an organization");
  }
  if (shape == ScopeShape::kPlatform && scope.IsOrganizationWide()) {
    return Status::InvalidArgument("this view is per platform: the scope must name one");
  }
  if (shape == ScopeShape::kOrganization && !scope.IsOrganizationWide()) {
    return Status::InvalidArgument(
        "this view is per organization: the scope must name no platform");
  }
  ResolvedScope resolved{scope, {}, {}};
  std::string value;
  Status status =
      view.Get(ProjectionId::kDirectory, keys::Organization(scope.organization_id), &value);
  OrganizationRow organization;
  if (status.code() == StatusCode::kNotFound) {
    return Status::NotFound(fmt::format("organization '{}' not found", scope.organization_id));
  }
  if (!status.ok()) return status;
  if (!DecodeOrganization(value, &organization)) {
    return Status::Corruption("an organization row is malformed");
  }
  if (!scope.IsOrganizationWide()) {
    status = view.Get(ProjectionId::kDirectory, keys::Platform(scope.platform_id), &value);
    PlatformRow platform;
    if (status.ok() && !DecodePlatform(value, &platform)) {
      return Status::Corruption("a platform row is malformed");
    }
    if (status.code() == StatusCode::kNotFound ||
        (status.ok() && (platform.organization_id != scope.organization_id ||
                         platform.environment != environment))) {
      return Status::NotFound(fmt::format("platform '{}' not found in organization '{}' ({})",
                                          scope.platform_id, scope.organization_id,
                                          EnvironmentName(environment)));
    }
    if (!status.ok()) return status;
    resolved.name = platform.name;
    resolved.platforms.push_back(scope.platform_id);
    return resolved;
  }
  resolved.name = organization.name;
  const std::string prefix = keys::MembershipPrefix(scope.organization_id, environment);
  RowIterator it = RowIterator::OverPrefix(view, ProjectionId::kDirectory, prefix);
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    std::string_view rest = it.key().substr(prefix.size());
    std::string_view platform;
    if (!keys::ConsumeField(&rest, &platform)) {
      return Status::Corruption("a membership key is malformed");
    }
    if (resolved.platforms.size() >= limits::kScopePlatformsMax) {
      return Status::InvalidArgument(
          fmt::format("organization '{}' has more than {} platforms: name one",
                      scope.organization_id, limits::kScopePlatformsMax));
    }
    resolved.platforms.emplace_back(platform);
  }
  if (!it.status().ok()) return it.status();
  // Keys order fields by length first; callers want names in plain order.
  std::sort(resolved.platforms.begin(), resolved.platforms.end());
  return resolved;
}

Status AwaitProjections(const ViewStore& store, std::initializer_list<ProjectionId> ids,
                        const QueryOptions& options) {
  return WaitForQuery(store, std::span<const ProjectionId>(ids.begin(), ids.size()),
                      options.min_sequence, options.wait);
}

std::size_t PageLimit(std::size_t requested) {
  if (requested == 0) return limits::kPageRowsDefault;
  return std::min(requested, limits::kPageRowsMax);
}

std::string EncodeCursor(SequenceNumber resume_at) { return fmt::format("c{}", resume_at.value); }

Result<std::optional<SequenceNumber>> DecodeCursor(std::string_view cursor) {
  if (cursor.empty()) return std::optional<SequenceNumber>();
  std::uint64_t value = 0;
  const char* end = cursor.data() + cursor.size();
  if (cursor.front() != 'c' || cursor.size() < 2 ||
      std::from_chars(cursor.data() + 1, end, value).ptr != end) {
    return Status::InvalidArgument(fmt::format("'{}' is not a cursor this view returned", cursor));
  }
  return std::optional<SequenceNumber>(SequenceNumber{value});
}

Result<ChainPoint> AsOf(const ReadView& view, ProjectionId id) {
  auto checkpoint = view.ReadCheckpoint(id);
  if (!checkpoint.ok()) return checkpoint.status();
  return checkpoint->point;
}

Result<SequenceRange> PageRange(const ReadView& view, ProjectionId family,
                                std::optional<std::int64_t> from_us,
                                std::optional<std::int64_t> to_us, SequenceNumber as_of,
                                std::string_view cursor, bool newest_first) {
  auto resume = DecodeCursor(cursor);
  if (!resume.ok()) return resume.status();
  auto range = SequencesRecordedIn(view, family, from_us, to_us, as_of);
  if (!range.ok() || !resume->has_value()) return range;
  if (newest_first) {
    range->last = std::min(range->last, **resume);
  } else {
    range->first = std::max(range->first, **resume);
  }
  return range;
}

SequenceScan::SequenceScan(std::vector<std::unique_ptr<EntryCursor>> sources, bool newest_first)
    : sources_(std::move(sources)), heap_(Later{newest_first}) {
  for (std::size_t i = 0; i < sources_.size(); ++i) PushIfValid(i);
}

void SequenceScan::PushIfValid(std::size_t source) {
  if (sources_[source]->Valid()) heap_.push(Head{sources_[source]->sequence(), source});
}

void SequenceScan::Next() {
  const std::size_t source = heap_.top().source;
  heap_.pop();
  sources_[source]->Next();
  PushIfValid(source);
}

Status SequenceScan::status() const {
  for (const auto& source : sources_) {
    Status status = source->status();
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

std::vector<std::unique_ptr<EntryCursor>> PageCursors(const ReadView& view, ProjectionId family,
                                                      const std::vector<std::string>& prefixes,
                                                      const SequenceRange& range,
                                                      bool newest_first) {
  std::vector<std::unique_ptr<EntryCursor>> cursors;
  cursors.reserve(prefixes.size());
  for (const std::string& prefix : prefixes) {
    cursors.push_back(PageCursor(view, family, prefix, range.first, range.last, newest_first));
  }
  return cursors;
}

}  // namespace ledger::projections::internal

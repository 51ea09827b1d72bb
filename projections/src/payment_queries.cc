// Views: summaries (per platform, per organization) and daily totals.
#include <fmt/format.h>

#include "csv.h"
#include "encoding.h"
#include "keys.h"
#include "ledger/limits.h"
#include "ledger/projections/views.h"
#include "payments_projection.h"
#include "query_support.h"
#include "rows.h"

namespace ledger::projections {

using internal::ReadView;
using internal::RowIterator;

namespace {

/// Every currency row under a summary prefix.
Result<std::vector<CurrencyFigures>> ReadFigures(const ReadView& view, const std::string& prefix) {
  std::vector<CurrencyFigures> currencies;
  RowIterator it = RowIterator::OverPrefix(view, ProjectionId::kPayments, prefix);
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    std::string_view rest = it.key().substr(prefix.size());
    std::string_view currency;
    CurrencyFigures figures;
    if (!internal::keys::ConsumeField(&rest, &currency) || !rest.empty() ||
        !internal::DecodeFigures(it.value(), &figures)) {
      return Status::Corruption("a summary row is malformed");
    }
    figures.currency = std::string(currency);
    currencies.push_back(std::move(figures));
  }
  if (!it.status().ok()) return it.status();
  return currencies;
}

}  // namespace

Result<PlatformSummary> Views::GetPlatformSummary(const Scope& scope,
                                                  const QueryOptions& options) const {
  Status status = internal::AwaitProjections(
      *store_, {ProjectionId::kDirectory, ProjectionId::kPayments}, options);
  if (!status.ok()) return status;
  ReadView view(*store_);
  auto resolved = internal::ResolveScope(view, scope, internal::ScopeShape::kPlatform);
  if (!resolved.ok()) return resolved.status();
  auto as_of = internal::AsOf(view, ProjectionId::kPayments);
  if (!as_of.ok()) return as_of.status();
  auto currencies = ReadFigures(
      view,
      internal::keys::SummaryPrefix(scope.environment, scope.organization_id, scope.platform_id));
  if (!currencies.ok()) return currencies.status();
  PlatformSummary summary;
  summary.as_of = as_of->sequence;
  summary.environment = scope.environment;
  summary.organization_id = scope.organization_id;
  summary.platform_id = scope.platform_id;
  summary.name = resolved->name;
  summary.currencies = std::move(currencies).value();
  return summary;
}

Result<OrganizationSummary> Views::GetOrganizationSummary(const Scope& scope,
                                                          const QueryOptions& options) const {
  Status status = internal::AwaitProjections(
      *store_, {ProjectionId::kDirectory, ProjectionId::kPayments}, options);
  if (!status.ok()) return status;
  ReadView view(*store_);
  auto resolved = internal::ResolveScope(view, scope, internal::ScopeShape::kOrganization);
  if (!resolved.ok()) return resolved.status();
  auto as_of = internal::AsOf(view, ProjectionId::kPayments);
  if (!as_of.ok()) return as_of.status();
  auto currencies = ReadFigures(
      view, internal::keys::SummaryPrefix(scope.environment, scope.organization_id, {}));
  if (!currencies.ok()) return currencies.status();
  OrganizationSummary summary;
  summary.as_of = as_of->sequence;
  summary.environment = scope.environment;
  summary.organization_id = scope.organization_id;
  summary.name = resolved->name;
  summary.platform_ids = std::move(resolved->platforms);
  summary.currencies = std::move(currencies).value();
  return summary;
}

Result<DailyTotals> Views::GetDailyTotals(const Scope& scope, std::int64_t from_us,
                                          std::int64_t to_us, const QueryOptions& options) const {
  if (to_us <= from_us) return Status::InvalidArgument("the period ends before it starts");
  const std::int64_t first_day = internal::DayOf(from_us);
  const std::int64_t last_day = internal::DayOf(to_us - 1);
  if (last_day - first_day >= static_cast<std::int64_t>(limits::kDailyTotalsDaysMax)) {
    return Status::InvalidArgument(
        fmt::format("the period covers more than {} days", limits::kDailyTotalsDaysMax));
  }
  Status status = internal::AwaitProjections(
      *store_, {ProjectionId::kDirectory, ProjectionId::kPayments}, options);
  if (!status.ok()) return status;
  ReadView view(*store_);
  auto resolved = internal::ResolveScope(view, scope, internal::ScopeShape::kEither);
  if (!resolved.ok()) return resolved.status();
  auto as_of = internal::AsOf(view, ProjectionId::kPayments);
  if (!as_of.ok()) return as_of.status();
  const std::string prefix =
      internal::keys::DailyPrefix(scope.environment, scope.organization_id, scope.platform_id);
  std::string lower = prefix;
  internal::PutBe32(&lower, internal::keys::DayField(first_day));
  std::string upper = prefix;
  internal::PutBe32(&upper, internal::keys::DayField(last_day + 1));
  DailyTotals totals;
  totals.as_of = as_of->sequence;
  RowIterator it(view, ProjectionId::kPayments, std::move(lower), std::move(upper));
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    std::string_view rest = it.key().substr(prefix.size());
    std::string_view currency;
    DailyFigures figures;
    const std::int64_t day = internal::keys::DayOfField(internal::GetBe32(rest.data()));
    rest.remove_prefix(4);
    if (!internal::keys::ConsumeField(&rest, &currency) || !rest.empty() ||
        !internal::DecodeDaily(it.value(), &figures)) {
      return Status::Corruption("a daily row is malformed");
    }
    figures.day = internal::FormatDay(day);
    figures.currency = std::string(currency);
    totals.days.push_back(std::move(figures));
  }
  if (!it.status().ok()) return it.status();
  return totals;
}

}  // namespace ledger::projections

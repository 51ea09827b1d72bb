// Views: the journal of postings, the trial balance, balances as of a past point.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

#include "encoding.h"
#include "keys.h"
#include "ledger/projections/views.h"
#include "query_support.h"
#include "rows.h"
#include "time_index.h"

namespace ledger::projections {

using internal::ReadView;
using internal::RowIterator;

namespace {

/// The platform an account name belongs to: "<kind>:<platform>[/<bank account>]".
std::string_view PlatformOfAccount(std::string_view account) {
  const std::size_t colon = account.find(':');
  if (colon == std::string_view::npos) return {};
  std::string_view rest = account.substr(colon + 1);
  return rest.substr(0, rest.find('/'));
}

}  // namespace

Result<JournalPage> Views::GetJournal(const JournalFilter& filter,
                                      const QueryOptions& options) const {
  Status status = internal::AwaitProjections(
      *store_, {ProjectionId::kDirectory, ProjectionId::kAccounting}, options);
  if (!status.ok()) return status;
  ReadView view(*store_);
  auto resolved = internal::ResolveScope(view, filter.scope, internal::ScopeShape::kEither);
  if (!resolved.ok()) return resolved.status();
  auto as_of = internal::AsOf(view, ProjectionId::kAccounting);
  if (!as_of.ok()) return as_of.status();
  auto range = internal::PageRange(view, ProjectionId::kAccounting, filter.from_us, filter.to_us,
                                   as_of->sequence, filter.cursor, /*newest_first=*/false);
  if (!range.ok()) return range.status();
  std::vector<std::string> prefixes;
  for (const std::string& platform : resolved->platforms) {
    prefixes.push_back(internal::keys::PlatformPrefix(internal::keys::kJournal, platform));
  }
  JournalPage page;
  page.as_of = as_of->sequence;
  internal::SequenceScan scan(
      internal::PageCursors(view, ProjectionId::kAccounting, prefixes, *range, false), false);
  const std::size_t limit = internal::PageLimit(filter.limit);
  for (; scan.Valid() && page.entries.size() < limit; scan.Next()) {
    JournalEntry entry;
    if (!internal::DecodeJournal(scan.value(), &entry)) {
      return Status::Corruption("a journal row is malformed");
    }
    entry.sequence = scan.sequence();
    entry.platform_id = resolved->platforms[scan.source()];
    page.entries.push_back(std::move(entry));
  }
  status = scan.status();
  if (!status.ok()) return status;
  if (scan.Valid()) page.next_cursor = internal::EncodeCursor(scan.sequence());
  return page;
}

Result<TrialBalance> Views::GetTrialBalance(const Scope& scope, const QueryOptions& options) const {
  Status status = internal::AwaitProjections(
      *store_, {ProjectionId::kDirectory, ProjectionId::kAccounting}, options);
  if (!status.ok()) return status;
  ReadView view(*store_);
  auto resolved = internal::ResolveScope(view, scope, internal::ScopeShape::kOrganization);
  if (!resolved.ok()) return resolved.status();
  auto as_of = internal::AsOf(view, ProjectionId::kAccounting);
  if (!as_of.ok()) return as_of.status();
  TrialBalance balance;
  balance.as_of = as_of->sequence;
  balance.environment = scope.environment;
  balance.organization_id = scope.organization_id;
  const std::string prefix =
      internal::keys::BalancePrefix(scope.environment, scope.organization_id);
  // Every balance fits in int64, and double entry makes each currency's total 0, but a running
  // sum over several platforms' accounts may pass the range on the way: sum wider.
  __extension__ typedef __int128 WideSum;
  std::map<std::string, WideSum, std::less<>> totals;
  RowIterator it = RowIterator::OverPrefix(view, ProjectionId::kAccounting, prefix);
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    std::string_view rest = it.key().substr(prefix.size());
    std::string_view currency;
    std::string_view account;
    TrialBalanceLine line;
    if (!internal::keys::ConsumeField(&rest, &currency) ||
        !internal::keys::ConsumeField(&rest, &account) || !rest.empty() ||
        !internal::DecodeBalance(it.value(), &line.balance_minor)) {
      return Status::Corruption("a balance row is malformed");
    }
    line.account = std::string(account);
    line.currency = std::string(currency);
    totals[line.currency] += line.balance_minor;
    balance.lines.push_back(std::move(line));
  }
  if (!it.status().ok()) return it.status();
  // Keys order fields by length first; readers want plain name order.
  std::sort(balance.lines.begin(), balance.lines.end(), [](const auto& a, const auto& b) {
    return std::tie(a.currency, a.account) < std::tie(b.currency, b.account);
  });
  for (const auto& [currency, total] : totals) {
    if (total > std::numeric_limits<std::int64_t>::max() ||
        total < std::numeric_limits<std::int64_t>::min()) {
      return Status::Corruption(fmt::format("the balances in {} do not sum to zero", currency));
    }
    balance.totals.push_back({currency, static_cast<std::int64_t>(total)});
  }
  return balance;
}

Result<AccountBalanceAt> Views::GetAccountBalance(const Scope& scope, std::string_view account,
                                                  std::string_view currency, const PointInLog& at,
                                                  const QueryOptions& options) const {
  if (at.sequence && at.time_us) {
    return Status::InvalidArgument("a balance is as of a sequence or a time, not both");
  }
  QueryOptions wait = options;
  if (at.sequence) wait.min_sequence = std::max(wait.min_sequence, *at.sequence);
  Status status = internal::AwaitProjections(
      *store_, {ProjectionId::kDirectory, ProjectionId::kAccounting}, wait);
  if (!status.ok()) return status;
  ReadView view(*store_);
  auto resolved = internal::ResolveScope(view, scope, internal::ScopeShape::kEither);
  if (!resolved.ok()) return resolved.status();
  auto as_of = internal::AsOf(view, ProjectionId::kAccounting);
  if (!as_of.ok()) return as_of.status();
  // The account must be one of the scope's: it has a trial-balance row there.
  std::string key = internal::keys::BalancePrefix(scope.environment, scope.organization_id);
  internal::PutField(&key, currency);
  internal::PutField(&key, account);
  std::string value;
  status = view.Get(ProjectionId::kAccounting, key, &value);
  const bool in_scope =
      scope.IsOrganizationWide() || PlatformOfAccount(account) == scope.platform_id;
  if (status.code() == StatusCode::kNotFound || (status.ok() && !in_scope)) {
    return Status::NotFound(
        fmt::format("account '{}' has no {} balance in this scope", account, currency));
  }
  if (!status.ok()) return status;
  AccountBalanceAt result;
  result.as_of = as_of->sequence;
  result.account = std::string(account);
  result.currency = std::string(currency);
  result.at_sequence = std::min(at.sequence.value_or(as_of->sequence), as_of->sequence);
  if (at.time_us) {
    auto resolved_time =
        internal::LastSequenceAtOrBefore(view, ProjectionId::kAccounting, *at.time_us);
    if (!resolved_time.ok()) return resolved_time.status();
    result.at_sequence = std::min(*resolved_time, as_of->sequence);
  }
  auto entry = internal::LastEntryAtOrBefore(view, ProjectionId::kAccounting,
                                             internal::keys::HistoryPrefix(account, currency),
                                             result.at_sequence);
  if (!entry.ok()) return entry.status();
  if (entry->has_value()) {
    if (!internal::DecodeBalance((*entry)->second, &result.balance_minor)) {
      return Status::Corruption("a balance history entry is malformed");
    }
    result.last_change_sequence = (*entry)->first;
  }
  return result;
}

}  // namespace ledger::projections

#include "query_handlers.h"

#include <fmt/format.h>

#include <boost/asio/post.hpp>

#include "access.h"
#include "export_stream.h"
#include "ledger/projections/projector.h"
#include "query_encoding.h"
#include "query_scope.h"
#include "responses.h"

namespace ledger::server {
namespace {

namespace p = protocol;
namespace v = projections;
using domain::Action;

constexpr Action kPaymentReaders[] = {Action::kViewPayments};
constexpr Action kWithdrawalReaders[] = {Action::kViewReports, Action::kRequestWithdrawals,
                                         Action::kRecordWithdrawalOutcomes};
constexpr Action kReportReaders[] = {Action::kViewReports};
constexpr Action kAuditReaders[] = {Action::kManageUsers, Action::kViewReports};

std::string Text(const flatbuffers::String* text) { return text ? text->str() : std::string(); }

std::optional<std::int64_t> Bound(std::int64_t value) {
  return value == 0 ? std::nullopt : std::optional<std::int64_t>(value);
}

/// What a query needs once its request is gone: plain copies.
struct QueryInput {
  p::QueryKind kind = p::QueryKind::Unspecified;
  v::Scope scope;
  std::string order_id, status, reference, account, currency, actor, user_id, cursor;
  std::int64_t from_us = 0, to_us = 0, at_time_us = 0;
  std::uint64_t at_sequence = 0;
  std::size_t limit = 0;
  v::QueryOptions freshness;
};

std::span<const Action> ActionsFor(p::QueryKind kind) {
  switch (kind) {
    case p::QueryKind::Withdrawals:
      return kWithdrawalReaders;
    case p::QueryKind::Journal:
    case p::QueryKind::TrialBalance:
    case p::QueryKind::AccountBalance:
      return kReportReaders;
    case p::QueryKind::Activity:
    case p::QueryKind::RoleHistory:
      return kAuditReaders;
    default:
      return kPaymentReaders;
  }
}

bool ScopeExists(const v::Views& views, const v::Scope& scope) {
  if (scope.IsOrganizationWide()) return views.GetOrganizationSummary(scope).ok();
  return views.GetPlatformSummary(scope).ok();
}

template <typename T, typename Encode>
void Answer(const Responder& responder, const Result<T>& result, Encode&& encode) {
  if (!result.ok()) return responder.Fail(ErrorCodeOf(result.status()), result.status().message());
  responder.Finish(encode(responder.request_id(), result.value()));
}

void RunPaymentQuery(const v::Views& views, const QueryInput& q, const Responder& responder) {
  switch (q.kind) {
    case p::QueryKind::PlatformSummary:
      return Answer(responder, views.GetPlatformSummary(q.scope, q.freshness),
                    EncodePlatformSummary);
    case p::QueryKind::OrganizationSummary:
      return Answer(responder, views.GetOrganizationSummary(q.scope, q.freshness),
                    EncodeOrganizationSummary);
    case p::QueryKind::DailyTotals: {
      // Defaults: up to now, over the last kDefaultDays days.
      constexpr std::int64_t kDay = 86'400'000'000;
      constexpr std::int64_t kDefaultDays = 31;
      const std::int64_t to = q.to_us != 0 ? q.to_us : SystemClockMicros() + kDay;
      const std::int64_t from = q.from_us != 0 ? q.from_us : to - kDefaultDays * kDay;
      return Answer(responder, views.GetDailyTotals(q.scope, from, to, q.freshness),
                    EncodeDailyTotals);
    }
    case p::QueryKind::OrderDetail:
      return Answer(responder, views.GetOrderDetail(q.scope, q.order_id, q.freshness),
                    EncodeOrderDetail);
    case p::QueryKind::Orders: {
      v::OrderFilter filter{q.scope,      std::nullopt, Bound(q.from_us), Bound(q.to_us),
                            std::nullopt, q.cursor,     q.limit};
      if (!q.status.empty()) {
        v::OrderStatus status;
        if (!v::ParseOrderStatus(q.status, &status)) {
          return responder.Fail(p::ErrorCode::InvalidArgument, "unknown order status");
        }
        filter.status = status;
      }
      if (!q.reference.empty()) filter.reference = q.reference;
      return Answer(responder, views.ListOrders(filter, q.freshness), EncodeOrderPage);
    }
    case p::QueryKind::Withdrawals: {
      v::WithdrawalFilter filter{q.scope,        std::nullopt, Bound(q.from_us),
                                 Bound(q.to_us), q.cursor,     q.limit};
      if (!q.status.empty()) {
        v::WithdrawalStatus status;
        if (!v::ParseWithdrawalStatus(q.status, &status)) {
          return responder.Fail(p::ErrorCode::InvalidArgument, "unknown withdrawal status");
        }
        filter.status = status;
      }
      return Answer(responder, views.ListWithdrawals(filter, q.freshness), EncodeWithdrawalPage);
    }
    default:
      return responder.Fail(p::ErrorCode::InvalidArgument, "unknown query kind");
  }
}

void RunOtherQuery(const v::Views& views, const QueryInput& q, const Responder& responder) {
  switch (q.kind) {
    case p::QueryKind::Journal:
      return Answer(responder,
                    views.GetJournal({q.scope, Bound(q.from_us), Bound(q.to_us), q.cursor, q.limit},
                                     q.freshness),
                    EncodeJournalPage);
    case p::QueryKind::TrialBalance:
      return Answer(responder, views.GetTrialBalance(q.scope, q.freshness), EncodeTrialBalance);
    case p::QueryKind::AccountBalance: {
      v::PointInLog at;
      if (q.at_sequence != 0) at.sequence = SequenceNumber{q.at_sequence};
      if (q.at_time_us != 0) at.time_us = q.at_time_us;
      return Answer(responder,
                    views.GetAccountBalance(q.scope, q.account, q.currency, at, q.freshness),
                    EncodeAccountBalance);
    }
    case p::QueryKind::Activity:
      return Answer(responder,
                    views.GetActivity({q.scope.organization_id, q.actor, q.scope.environment,
                                       Bound(q.from_us), Bound(q.to_us), q.cursor, q.limit},
                                      q.freshness),
                    EncodeActivityPage);
    case p::QueryKind::RoleHistory:
      return Answer(responder,
                    views.GetRoleHistory({q.scope.organization_id, q.user_id, q.cursor, q.limit},
                                         q.freshness),
                    EncodeRoleHistory);
    default:
      return RunPaymentQuery(views, q, responder);
  }
}

QueryInput Copy(const p::Query& query, v::Scope scope) {
  QueryInput q;
  q.kind = query.kind();
  q.scope = std::move(scope);
  q.order_id = Text(query.order_id());
  q.status = Text(query.status());
  q.reference = Text(query.reference());
  q.account = Text(query.account());
  q.currency = Text(query.currency());
  q.actor = Text(query.actor());
  q.user_id = Text(query.user_id());
  q.cursor = Text(query.cursor());
  q.from_us = query.from_us();
  q.to_us = query.to_us();
  q.at_time_us = query.at_time_us();
  q.at_sequence = query.at_sequence();
  q.limit = query.limit();
  q.freshness = Freshness(query.min_sequence(), query.wait_ms());
  return q;
}

bool IsAudit(p::QueryKind kind) {
  return kind == p::QueryKind::Activity || kind == p::QueryKind::RoleHistory;
}

/// Views of a whole organization, which no API key sees (a key sees its own platform).
bool IsOrganizationWide(p::QueryKind kind) {
  return kind == p::QueryKind::OrganizationSummary || kind == p::QueryKind::TrialBalance;
}

}  // namespace

void HandleQuery(const RequestContext& context, const p::Query& query, const Responder& responder) {
  if (context.services.projector == nullptr) {
    return responder.Fail(p::ErrorCode::Unavailable, "the projections are not running");
  }
  const domain::Principal& principal = context.identity.principal;
  if (principal.kind == domain::PrincipalKind::kApiKey && IsOrganizationWide(query.kind())) {
    // Another organization reads as missing, as everywhere; the key's own is forbidden.
    const std::string organization = Text(query.organization_id());
    if (!organization.empty() && organization != principal.organization) {
      return responder.Fail(p::ErrorCode::NotFound,
                            fmt::format("no organization or platform '{}' here", organization));
    }
    return responder.Fail(p::ErrorCode::Forbidden,
                          fmt::format("{} sees its own platform only; organization-wide views "
                                      "are read by users",
                                      principal.Actor()));
  }
  const bool audit = IsAudit(query.kind());
  auto scope = ResolveScope(PlatformEnvironmentsOf(context.services.ledger), principal,
                            query.environment(), Text(query.organization_id()),
                            audit ? std::string() : Text(query.platform_id()));
  // Activity outside any organization (users, tokens) is root's; every environment too.
  if (audit && principal.kind == domain::PrincipalKind::kRoot && !scope.ok()) {
    scope = v::Scope{query.environment(), Text(query.organization_id()), {}};
  }
  if (!scope.ok()) return responder.Fail(ErrorCodeOf(scope.status()), scope.status().message());
  QueryInput input = Copy(query, std::move(*scope));
  const v::Views& views = context.services.projector->views();
  const v::QueryOptions freshness = input.freshness;
  context.services.views_waiter.Await(
      freshness.min_sequence, freshness.wait,
      [&views, ledger = &context.services.ledger, principal, input = std::move(input), responder,
       audit](bool reached) {
        domain::Target target{input.scope.organization_id, input.scope.platform_id,
                              audit ? schema::Environment::Unspecified : input.scope.environment};
        Access access = CheckAccess(*ledger, principal, ActionsFor(input.kind), target,
                                    [&] { return ScopeExists(views, input.scope); });
        if (access == Access::kNotFound) {
          return responder.Fail(
              p::ErrorCode::NotFound,
              fmt::format("no organization or platform '{}' here", input.scope.platform_id.empty()
                                                                       ? input.scope.organization_id
                                                                       : input.scope.platform_id));
        }
        if (access == Access::kForbidden) {
          return responder.Fail(p::ErrorCode::Forbidden,
                                fmt::format("{} may not read this view", principal.Actor()));
        }
        QueryInput now = input;
        now.freshness = AfterTheWait(input.freshness, reached);
        RunOtherQuery(views, now, responder);
      });
}

}  // namespace ledger::server

namespace ledger::server {

void HandleExport(const RequestContext& context, const p::ExportCsv& request,
                  const Responder& responder) {
  if (context.services.projector == nullptr) {
    return responder.Fail(p::ErrorCode::Unavailable, "the projections are not running");
  }
  const domain::Principal& principal = context.identity.principal;
  auto scope = ResolveScope(PlatformEnvironmentsOf(context.services.ledger), principal,
                            request.environment(), Text(request.organization_id()),
                            Text(request.platform_id()));
  if (!scope.ok()) return responder.Fail(ErrorCodeOf(scope.status()), scope.status().message());
  if (request.kind() != p::ExportKind::Payments && request.kind() != p::ExportKind::Disbursements) {
    return responder.Fail(p::ErrorCode::InvalidArgument, "export Payments or Disbursements");
  }
  v::ExportFilter filter{std::move(*scope), request.from_us(),
                         request.to_us() == 0 ? INT64_MAX : request.to_us()};
  const bool payments = request.kind() == p::ExportKind::Payments;
  const v::QueryOptions freshness = Freshness(request.min_sequence(), request.wait_ms());
  const v::Views& views = context.services.projector->views();
  context.services.views_waiter.Await(
      freshness.min_sequence, freshness.wait,
      [&views, ledger = &context.services.ledger, principal, filter, payments, freshness,
       responder](bool reached) {
        domain::Target target{filter.scope.organization_id, filter.scope.platform_id,
                              filter.scope.environment};
        Access access = CheckAccess(*ledger, principal, kReportReaders, target,
                                    [&] { return ScopeExists(views, filter.scope); });
        if (access != Access::kAllowed) {
          return responder.Fail(
              access == Access::kNotFound ? p::ErrorCode::NotFound : p::ErrorCode::Forbidden,
              access == Access::kNotFound ? "no such organization or platform here"
                                          : "exports need the view_reports permission");
        }
        const v::QueryOptions now = AfterTheWait(freshness, reached);
        ExportStream stream(responder);
        std::ostream out(&stream);
        auto manifest = payments ? views.ExportPayments(filter, out, now)
                                 : views.ExportDisbursements(filter, out, now);
        if (stream.cancelled()) return responder.Fail(p::ErrorCode::Internal, "export abandoned");
        if (!manifest.ok()) {
          return responder.Fail(ErrorCodeOf(manifest.status()), manifest.status().message());
        }
        stream.Finish(manifest->rows, manifest->as_of);
      });
}

void HandleRebuildProjections(const RequestContext& context, const p::RebuildProjections& request,
                              const Responder& responder) {
  if (context.identity.principal.kind != domain::PrincipalKind::kRoot) {
    return responder.Fail(p::ErrorCode::Forbidden, "only root rebuilds projections");
  }
  if (context.services.projector == nullptr) {
    return responder.Fail(p::ErrorCode::Unavailable, "the projections are not running");
  }
  std::vector<v::ProjectionId> ids;
  if (request.names() != nullptr) {
    for (const auto* name : *request.names()) {
      v::ProjectionId id;
      if (!v::ParseProjectionName(name->string_view(), &id)) {
        return responder.Fail(p::ErrorCode::InvalidArgument,
                              fmt::format("no projection '{}'", name->string_view()));
      }
      ids.push_back(id);
    }
  }
  if (ids.empty()) ids.assign(v::kAllProjections.begin(), v::kAllProjections.end());
  boost::asio::post(
      context.services.blocking, [projector = context.services.projector, ids, responder] {
        Status rebuilt = projector->Rebuild(ids);
        if (!rebuilt.ok()) {
          return responder.Fail(ErrorCodeOf(rebuilt), rebuilt.message());
        }
        flatbuffers::FlatBufferBuilder b(256);
        std::vector<flatbuffers::Offset<flatbuffers::String>> names;
        for (auto id : ids) {
          names.push_back(b.CreateString(std::string(v::ProjectionName(id))));
        }
        auto body = p::CreateProjectionsRebuilt(b, b.CreateVector(names));
        responder.Finish(FinishResponse(b, responder.request_id(),
                                        p::ResponseBody::ProjectionsRebuilt, body.Union()));
      });
}

}  // namespace ledger::server

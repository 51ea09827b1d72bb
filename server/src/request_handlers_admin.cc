// The root-only requests of request_handlers.h: verifying the chain, the statistics, the
// projections' canonical digest (what an auditor compares with a rebuild or another replica)
// and online backups.
#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "ledger/projections/projector.h"
#include "ledger/server/data_directory.h"
#include "query_scope.h"
#include "request_handlers.h"
#include "responses.h"

namespace ledger::server {

namespace p = protocol;
using flatbuffers::FlatBufferBuilder;

namespace {

bool RequireRoot(const RequestContext& context, const Responder& responder) {
  if (context.identity.principal.kind == domain::PrincipalKind::kRoot) return true;
  responder.Fail(p::ErrorCode::Forbidden, "only root may do this");
  return false;
}

std::string VerifyFrame(std::uint64_t request_id, const VerifyReport& report) {
  FlatBufferBuilder b(256);
  auto problem = b.CreateString(report.problem);
  auto hash = b.CreateVector(report.last_good.hash.data(), report.last_good.hash.size());
  auto body = p::CreateVerifyChainResult(b, report.ok, report.events_checked,
                                         report.first_bad_sequence.value, problem,
                                         report.last_good.sequence.value, hash);
  return FinishResponse(b, request_id, p::ResponseBody::VerifyChainResult, body.Union());
}

std::string ProjectionsDigestFrame(std::uint64_t request_id,
                                   const projections::ViewsDigest& digest) {
  FlatBufferBuilder b(1024);
  std::vector<flatbuffers::Offset<p::ProjectionDigest>> parts;
  for (const projections::ProjectionDigest& part : digest.projections) {
    parts.push_back(p::CreateProjectionDigest(
        b, b.CreateString(std::string(projections::ProjectionName(part.id))),
        part.checkpoint.sequence.value,
        b.CreateVector(part.checkpoint.hash.data(), part.checkpoint.hash.size()), part.rows,
        b.CreateVector(part.digest.data(), part.digest.size())));
  }
  auto overall = b.CreateVector(digest.digest.data(), digest.digest.size());
  auto body = p::CreateProjectionsDigest(b, overall, b.CreateVector(parts));
  return FinishResponse(b, request_id, p::ResponseBody::ProjectionsDigest, body.Union());
}

std::string BackupFrame(std::uint64_t request_id, const DataDirectoryBackup& backup) {
  FlatBufferBuilder b(256);
  const ChainPoint& head = backup.ledger.log.head;
  auto path = b.CreateString(backup.path);
  auto hash = b.CreateVector(head.hash.data(), head.hash.size());
  auto body = p::CreateBackupCreated(b, path, head.sequence.value, hash,
                                     backup.ledger.snapshot_sequence.value, backup.ledger.log.files,
                                     backup.ledger.log.bytes, backup.duration_ms);
  return FinishResponse(b, request_id, p::ResponseBody::BackupCreated, body.Union());
}

}  // namespace

void HandleGetProjectionsDigest(const RequestContext& context, const p::GetProjectionsDigest& body,
                                const Responder& responder) {
  if (!RequireRoot(context, responder)) return;
  if (context.services.projector == nullptr) {
    return responder.Fail(p::ErrorCode::Unavailable, "the projections are not running");
  }
  const projections::Views& views = context.services.projector->views();
  const projections::QueryOptions freshness = Freshness(body.min_sequence(), body.wait_ms());
  // A full scan of every view: off the I/O threads, once the views reached min_sequence.
  context.services.views_waiter.Await(
      freshness.min_sequence, freshness.wait, [&views, freshness, responder](bool reached) {
        auto digest = views.CanonicalDigest(AfterTheWait(freshness, reached));
        if (!digest.ok()) {
          return responder.Fail(ErrorCodeOf(digest.status()), digest.status().message());
        }
        responder.Finish(ProjectionsDigestFrame(responder.request_id(), *digest));
      });
}

void HandleVerifyChain(const RequestContext& context, const p::VerifyChain& body,
                       const Responder& responder) {
  if (!RequireRoot(context, responder)) return;
  std::optional<ChainPoint> from;
  if (body.from_sequence() != 0) {
    ChainPoint point;
    point.sequence = SequenceNumber{body.from_sequence()};
    if (body.from_hash() == nullptr || body.from_hash()->size() != point.hash.size()) {
      return responder.Fail(p::ErrorCode::InvalidArgument,
                            "an audited point needs the 32-byte hash of its event");
    }
    std::copy(body.from_hash()->begin(), body.from_hash()->end(), point.hash.begin());
    from = point;
  }
  Ledger& ledger = context.services.ledger;
  boost::asio::post(context.services.blocking, [&ledger, responder, from] {
    auto report = ledger.log().Verify(from);
    if (!report.ok()) {
      return responder.Fail(ErrorCodeOf(report.status()), report.status().message());
    }
    responder.Finish(VerifyFrame(responder.request_id(), *report));
  });
}

std::string BuildStatsFrame(Services& services, std::uint64_t request_id) {
  const LogStats log = services.ledger.log().Stats();
  FlatBufferBuilder b(512);
  std::vector<flatbuffers::Offset<p::ProjectionStats>> projections;
  flatbuffers::Offset<flatbuffers::String> projections_failure = 0;
  if (services.projector != nullptr) {
    const projections::ProjectorStats projector = services.projector->Stats();
    if (!projector.failure.empty()) projections_failure = b.CreateString(projector.failure);
    for (const auto& projection : projector.projections) {
      projections.push_back(p::CreateProjectionStats(
          b, b.CreateString(std::string(projections::ProjectionName(projection.id))),
          projection.checkpoint.value, projection.lag, projection.apply_rate_events_per_second));
    }
  }
  auto projection_vector = b.CreateVector(projections);
  auto hash = b.CreateVector(log.head.hash.data(), log.head.hash.size());
  p::StatsBuilder stats(b);
  stats.add_head_sequence(log.head.sequence.value);
  stats.add_head_hash(hash);
  stats.add_group_commits(log.group_commits);
  stats.add_events_appended(log.events_appended);
  stats.add_writes_refused(log.writes_refused);
  stats.add_events_per_second(services.metrics.events_per_second());
  stats.add_connections(static_cast<std::uint32_t>(services.sessions.size()));
  stats.add_requests_total(services.metrics.requests_total());
  stats.add_requests_per_second(services.metrics.requests_per_second());
  stats.add_uptime_seconds(services.metrics.uptime_seconds());
  stats.add_projections(projection_vector);
  stats.add_projections_failure(projections_failure);
  auto body = stats.Finish();
  return FinishResponse(b, request_id, p::ResponseBody::Stats, body.Union());
}

void HandleGetStats(const RequestContext& context, const Responder& responder) {
  if (!RequireRoot(context, responder)) return;
  responder.Finish(BuildStatsFrame(context.services, responder.request_id()));
}

void HandleCreateBackup(const RequestContext& context, const p::CreateBackup& body,
                        const Responder& responder) {
  if (!RequireRoot(context, responder)) return;
  if (body.path() == nullptr || body.path()->size() == 0) {
    return responder.Fail(p::ErrorCode::InvalidArgument,
                          "a backup needs a path: a directory on the server's machine");
  }
  Services& services = context.services;
  if (services.backup_running.exchange(true)) {
    return responder.Fail(p::ErrorCode::Overloaded,
                          "a backup is being written already; retry once it is done");
  }
  services.logger.info("backup to {} requested by {}", body.path()->str(),
                       context.identity.principal.Actor());
  // Minutes for a large log on another file system: on the blocking pool, one at a time.
  boost::asio::post(services.blocking, [&services, responder, path = body.path()->str()] {
    auto backup = BackupDataDirectory(services.ledger, services.options.root_secret_sha256,
                                      services.options.data_directory, path);
    services.backup_running.store(false);
    if (!backup.ok()) {
      services.logger.warn("backup to {} failed: {}", path, backup.status().ToString());
      return responder.Fail(ErrorCodeOf(backup.status()), backup.status().message());
    }
    services.logger.info("backup written to {} in {} ms: head {} {}, snapshot at {}", backup->path,
                         backup->duration_ms, backup->ledger.log.head.sequence.value,
                         ToHex(backup->ledger.log.head.hash),
                         backup->ledger.snapshot_sequence.value);
    responder.Finish(BackupFrame(responder.request_id(), *backup));
  });
}

}  // namespace ledger::server

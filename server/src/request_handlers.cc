#include "request_handlers.h"

#include <fmt/format.h>

#include <boost/asio/post.hpp>
#include <chrono>

#include "command_decoder.h"
#include "event_reads.h"
#include "ledger/limits.h"
#include "query_handlers.h"
#include "responses.h"

namespace ledger::server {
namespace {

namespace p = protocol;
using flatbuffers::FlatBufferBuilder;

bool IsRoot(const RequestContext& context) {
  return context.identity.principal.kind == domain::PrincipalKind::kRoot;
}

}  // namespace

std::string CommandResultsFrame(std::uint64_t request_id, std::span<const CommandResult> results) {
  FlatBufferBuilder b(64 + results.size() * 48);
  std::vector<flatbuffers::Offset<p::CommandResult>> offsets;
  offsets.reserve(results.size());
  for (const CommandResult& r : results) {
    flatbuffers::Offset<flatbuffers::String> name = 0;
    flatbuffers::Offset<flatbuffers::String> message = 0;
    // An accepted command carries no name; a duplicate says so, as a rejection does.
    if (r.code != domain::ResultCode::kAccepted)
      name = b.CreateString(domain::ResultCodeName(r.code));
    if (!r.ok()) message = b.CreateString(r.message);
    offsets.push_back(p::CreateCommandResult(
        b, CategoryCode(r.code), static_cast<std::uint16_t>(r.code), name, message,
        r.first_sequence.value, r.first_version.value, r.event_count));
  }
  auto body = p::CreateCommandResults(b, b.CreateVector(offsets));
  return FinishResponse(b, request_id, p::ResponseBody::CommandResults, body.Union());
}

namespace {

std::optional<Violation> CheckBatchSize(std::size_t size) {
  if (size <= limits::kBatchCommandsMax) return std::nullopt;
  return Violation{p::ErrorCode::LimitExceeded,
                   fmt::format("a batch holds at most {} commands; this one holds {}",
                               limits::kBatchCommandsMax, size)};
}

std::optional<Violation> HandleExecuteCommands(const RequestContext& context,
                                               const p::ExecuteCommands& body,
                                               const Responder& responder) {
  if (auto violation = CheckBatchSize(body.commands() ? body.commands()->size() : 0)) {
    return violation;
  }
  auto decoded = DecodeCommands(body, context.identity.principal);
  if (!decoded.ok()) {
    responder.Fail(p::ErrorCode::InvalidArgument, decoded.status().message());
    return std::nullopt;
  }
  context.services.batcher.Add(std::move(*decoded), responder);
  return std::nullopt;
}

p::ErrorCode AppendCategory(AppendCode code) {
  switch (code) {
    case AppendCode::kAppended:
      return p::ErrorCode::Ok;
    case AppendCode::kDuplicate:
      return p::ErrorCode::Duplicate;
    case AppendCode::kWrongExpectedVersion:
    case AppendCode::kIdempotencyKeyReusedWithDifferentCommand:
    case AppendCode::kClaimTaken:
      return p::ErrorCode::Conflict;
    case AppendCode::kInvalidArgument:
      break;
  }
  return p::ErrorCode::InvalidArgument;
}

std::string AppendResultsFrame(std::uint64_t request_id, const std::vector<AppendResult>& results) {
  FlatBufferBuilder b(64 + results.size() * 48);
  std::vector<flatbuffers::Offset<p::CommandResult>> offsets;
  for (const AppendResult& r : results) {
    auto name = r.ok() ? 0 : b.CreateString(AppendCodeName(r.code));
    auto message = r.ok() ? 0 : b.CreateString(r.message);
    offsets.push_back(p::CreateCommandResult(
        b, AppendCategory(r.code), static_cast<std::uint16_t>(r.code), name, message,
        r.first_sequence.value, r.first_version.value, r.event_count));
  }
  auto body = p::CreateCommandResults(b, b.CreateVector(offsets));
  return FinishResponse(b, request_id, p::ResponseBody::CommandResults, body.Union());
}

std::optional<Violation> HandleAppendEvents(const RequestContext& context,
                                            const p::AppendEvents& body,
                                            const Responder& responder) {
  const auto* inputs = body.events();
  if (auto violation = CheckBatchSize(inputs ? inputs->size() : 0)) return violation;
  if (!IsRoot(context)) {
    responder.Fail(p::ErrorCode::Forbidden, "only root appends opaque events");
    return std::nullopt;
  }
  if (inputs == nullptr || inputs->size() == 0) {
    responder.Fail(p::ErrorCode::InvalidArgument, "the batch holds no event");
    return std::nullopt;
  }
  std::vector<AppendRequest> batch;
  batch.reserve(inputs->size());
  for (const p::EventInput* in : *inputs) {
    auto expected = DecodeExpected(in->expected_kind(), in->expected_version());
    if (!expected.ok()) {
      responder.Fail(p::ErrorCode::InvalidArgument,
                     fmt::format("event {}: {}", batch.size(), expected.status().message()));
      return std::nullopt;
    }
    AppendRequest request;
    request.event.stream = in->stream() ? in->stream()->str() : std::string();
    request.event.expected = *expected;
    request.event.type = schema::EventType::Opaque;
    if (in->payload()) request.event.payload.assign(in->payload()->begin(), in->payload()->end());
    request.metadata.actor = context.identity.principal.Actor();
    request.metadata.environment = context.identity.principal.environment;
    if (in->correlation_id()) request.metadata.correlation_id = in->correlation_id()->str();
    if (in->causation_id()) request.metadata.causation_id = in->causation_id()->str();
    if (in->idempotency_key()) request.idempotency_key = in->idempotency_key()->str();
    batch.push_back(std::move(request));
  }
  context.services.ledger.AppendOpaqueAsync(
      std::move(batch), [responder](Status status, std::vector<AppendResult> results) {
        if (!status.ok()) {
          responder.Fail(ErrorCodeOf(status), status.message());
          return;
        }
        responder.OnIoThread([responder, results = std::move(results)] {
          responder.Finish(AppendResultsFrame(responder.request_id(), results));
        });
      });
  return std::nullopt;
}

std::string EventsFrame(std::uint64_t request_id, const VisibleEvents& read) {
  FlatBufferBuilder b(1024);
  auto events = BuildEvents(b, read.events);
  auto body = p::CreateEvents(b, events, read.next, read.head);
  return FinishResponse(b, request_id, p::ResponseBody::Events, body.Union());
}

/// 0 is a valid count: no events, only where the log or the stream stands.
std::size_t ClampCount(std::uint32_t requested) {
  return std::min<std::size_t>(requested, limits::kReadEventsMax);
}

void HandleReadLog(const RequestContext& context, const p::ReadLog& body,
                   const Responder& responder) {
  Ledger& ledger = context.services.ledger;
  boost::asio::post(context.services.blocking,
                    [&ledger, responder, principal = context.identity.principal,
                     from = body.from_sequence(), count = ClampCount(body.max_count())] {
                      auto read = ReadVisibleRange(ledger, principal, from, count,
                                                   limits::kResponseEventBytesMax);
                      if (!read.ok())
                        return responder.Fail(ErrorCodeOf(read.status()), read.status().message());
                      responder.Finish(EventsFrame(responder.request_id(), *read));
                    });
}

void HandleReadStream(const RequestContext& context, const p::ReadStream& body,
                      const Responder& responder) {
  const flatbuffers::String* name = body.stream();
  if (name == nullptr || name->size() == 0 || name->size() > limits::kStreamNameBytesMax) {
    return responder.Fail(p::ErrorCode::InvalidArgument, "a stream name is 1 to 160 bytes");
  }
  Ledger& ledger = context.services.ledger;
  boost::asio::post(
      context.services.blocking,
      [&ledger, responder, principal = context.identity.principal, stream = name->str(),
       from = body.from_version(), backward = body.backward(),
       count = ClampCount(body.max_count())] {
        auto read = ReadVisibleStream(ledger, principal, stream, from, backward, count,
                                      limits::kResponseEventBytesMax);
        if (!read.ok()) {
          return responder.Fail(ErrorCodeOf(read.status()), read.status().message());
        }
        if (read->forbidden) {
          return responder.Fail(p::ErrorCode::Forbidden,
                                fmt::format("{} may not read '{}'", principal.Actor(), stream));
        }
        if (read->not_found) {
          return responder.Fail(p::ErrorCode::NotFound, fmt::format("no stream '{}'", stream));
        }
        responder.Finish(EventsFrame(responder.request_id(), *read));
      });
}

}  // namespace

// Continued in request_handlers_admin.cc: verify, stats, the projections' digest, backups.
void HandleVerifyChain(const RequestContext& context, const p::VerifyChain& body,
                       const Responder& responder);
void HandleGetStats(const RequestContext& context, const Responder& responder);
void HandleGetProjectionsDigest(const RequestContext& context, const p::GetProjectionsDigest& body,
                                const Responder& responder);
void HandleCreateBackup(const RequestContext& context, const p::CreateBackup& body,
                        const Responder& responder);

std::optional<Violation> Dispatch(const RequestContext& context, const p::Request& request,
                                  const Responder& responder) {
  if (request.body() == nullptr) {
    responder.Fail(p::ErrorCode::InvalidArgument, "the request has no body");
    return std::nullopt;
  }
  const p::RequestBody type = request.body_type();
  if (type == p::RequestBody::Ping) {
    FlatBufferBuilder b(64);
    auto body = p::CreatePong(b, SystemClockMicros());
    responder.Finish(FinishResponse(b, request.request_id(), p::ResponseBody::Pong, body.Union()));
    return std::nullopt;
  }
  if (const auto* body = request.body_as_ExecuteCommands()) {
    return HandleExecuteCommands(context, *body, responder);
  }
  if (const auto* body = request.body_as_AppendEvents()) {
    return HandleAppendEvents(context, *body, responder);
  }
  if (const auto* body = request.body_as_ReadLog()) {
    HandleReadLog(context, *body, responder);
  } else if (const auto* stream = request.body_as_ReadStream()) {
    HandleReadStream(context, *stream, responder);
  } else if (const auto* verify = request.body_as_VerifyChain()) {
    HandleVerifyChain(context, *verify, responder);
  } else if (type == p::RequestBody::GetStats) {
    HandleGetStats(context, responder);
  } else if (const auto* query = request.body_as_Query()) {
    HandleQuery(context, *query, responder);
  } else if (const auto* csv = request.body_as_ExportCsv()) {
    HandleExport(context, *csv, responder);
  } else if (const auto* rebuild = request.body_as_RebuildProjections()) {
    HandleRebuildProjections(context, *rebuild, responder);
  } else if (const auto* digest = request.body_as_GetProjectionsDigest()) {
    HandleGetProjectionsDigest(context, *digest, responder);
  } else if (const auto* backup = request.body_as_CreateBackup()) {
    HandleCreateBackup(context, *backup, responder);
  } else {
    responder.Fail(p::ErrorCode::InvalidArgument, "unknown or missing request body");
  }
  return std::nullopt;
}

}  // namespace ledger::server

#include "applier.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace ledger::projections::internal {
namespace {

constexpr auto kRateWindow = std::chrono::seconds(1);

std::string_view View(const flatbuffers::String* text) {
  return text == nullptr ? std::string_view() : text->string_view();
}

EventContext ContextOf(const RecordedEvent& record, const std::optional<domain::Event>& event) {
  const schema::Envelope& envelope = record.envelope();
  EventContext context;
  context.sequence = record.sequence();
  context.recorded_at_us = envelope.recorded_at_us();
  context.type = envelope.type();
  context.environment = envelope.environment();
  context.organization = View(envelope.organization());
  context.platform = View(envelope.platform());
  context.actor = View(envelope.actor());
  context.stream = View(envelope.stream());
  context.event = event ? &*event : nullptr;
  return context;
}

}  // namespace

void RateMeter::Add(std::uint64_t events, Clock::time_point now) {
  samples_.emplace_back(now, events);
  while (!samples_.empty() && samples_.front().first <= now - kRateWindow) samples_.pop_front();
}

double RateMeter::EventsPerSecond(Clock::time_point now) const {
  std::uint64_t events = 0;
  for (const auto& [time, count] : samples_) {
    if (time > now - kRateWindow) events += count;
  }
  return static_cast<double>(events) / std::chrono::duration<double>(kRateWindow).count();
}

Applier::Applier(ViewStore& store, const Log& log, std::shared_ptr<spdlog::logger> logger)
    : store_(store), log_(log), logger_(std::move(logger)) {
  projections_[static_cast<std::size_t>(ProjectionId::kDirectory)] = MakeDirectoryProjection(store);
  projections_[static_cast<std::size_t>(ProjectionId::kPayments)] = MakePaymentsProjection(store);
  projections_[static_cast<std::size_t>(ProjectionId::kAccounting)] =
      MakeAccountingProjection(store);
  projections_[static_cast<std::size_t>(ProjectionId::kAudit)] = MakeAuditProjection(store);
}

Result<bool> Applier::MatchesLog(ProjectionId id, const Checkpoint& stored) const {
  // Nothing applied yet (a new database): nothing to check.
  if (stored.point.sequence.value == 0 && stored.layout_version == 0) return true;
  if (stored.layout_version != projections_[static_cast<std::size_t>(id)]->layout_version()) {
    logger_->info("projection {}: rows have layout {}, this build writes {}: rebuilding",
                  ProjectionName(id), stored.layout_version,
                  projections_[static_cast<std::size_t>(id)]->layout_version());
    return false;
  }
  if (stored.point.sequence.value == 0) return true;
  auto events = log_.ReadRange(stored.point.sequence, 1);
  if (!events.ok()) return events.status();
  if (events->empty() || events->front().hash() != stored.point.hash) {
    logger_->warn("projection {}: checkpoint {} is not an event of this log: rebuilding",
                  ProjectionName(id), stored.point.sequence.value);
    return false;
  }
  return true;
}

Status Applier::Recover() {
  ResetCaches();
  std::vector<ProjectionId> stale;
  for (ProjectionId id : kAllProjections) {
    auto stored = store_.ReadCheckpoint(id);
    if (!stored.ok()) return stored.status();
    auto matches = MatchesLog(id, *stored);
    if (!matches.ok()) return matches.status();
    if (*matches) {
      checkpoint(id) = *stored;
      checkpoint(id).layout_version = projection(id).layout_version();
    } else {
      stale.push_back(id);
    }
  }
  return stale.empty() ? Status::Ok() : Drop(stale);
}

SequenceNumber Applier::NextToRead() const {
  SequenceNumber lowest{UINT64_MAX};
  for (const Checkpoint& c : checkpoints_) lowest = std::min(lowest, c.point.sequence);
  return lowest.Next();
}

Result<PreparedWrite> Applier::Prepare(const DecodedBatch& batch) {
  PreparedWrite prepared;
  if (batch.records.empty()) return prepared;
  rows_.Clear();
  for (std::size_t i = 0; i < batch.records.size(); ++i) {
    const EventContext event = ContextOf(batch.records[i], batch.events[i]);
    for (std::size_t p = 0; p < kProjectionCount; ++p) {
      if (event.sequence <= checkpoints_[p].point.sequence) continue;
      Status status = projections_[p]->Apply(event, &rows_);
      if (!status.ok()) {
        ResetCaches();
        return Status(status.code(), fmt::format("projection {} at sequence {}: {}",
                                                 ProjectionName(kAllProjections[p]),
                                                 event.sequence.value, status.message()));
      }
      ++prepared.applied[p];
    }
  }
  const RecordedEvent& last = batch.records.back();
  prepared.point = ChainPoint{last.sequence(), last.hash()};
  Status status = Stage(&prepared);
  if (!status.ok()) {
    ResetCaches();
    return status;
  }
  return prepared;
}

Status Applier::Stage(PreparedWrite* prepared) {
  for (std::size_t p = 0; p < kProjectionCount; ++p) {
    if (prepared->applied[p] == 0) continue;
    Status status = projections_[p]->Flush(&rows_);
    if (!status.ok()) return status;
  }
  Status status = rows_.MoveTo(store_, &prepared->batch);
  if (!status.ok()) return status;
  for (std::size_t p = 0; p < kProjectionCount; ++p) {
    if (prepared->applied[p] == 0) continue;
    const Checkpoint checkpoint{prepared->point, projections_[p]->layout_version()};
    store_.PutCheckpoint(&prepared->batch, kAllProjections[p], checkpoint);
    // The caches go on from the rows just staged. Should the write fail, the projector
    // stops and Recover() drops the caches and rereads the checkpoints before going on.
    projections_[p]->Committed();
    checkpoints_[p] = checkpoint;
  }
  return Status::Ok();
}

void Applier::Complete(const PreparedWrite& written) {
  // Counted before published: whoever waits for the checkpoint then sees the counts too.
  Count(written.applied);
  for (std::size_t p = 0; p < kProjectionCount; ++p) {
    if (written.applied[p] > 0) store_.Publish(kAllProjections[p], written.point.sequence);
  }
}

Status Applier::Drop(std::span<const ProjectionId> ids) {
  rocksdb::WriteBatch batch;
  for (ProjectionId id : ids) {
    // Every key starts with a tag byte below 0xff (keys.h).
    Status status = FromRocks(batch.DeleteRange(store_.family(id), "", "\xff"), "dropping rows");
    if (!status.ok()) return status;
    store_.PutCheckpoint(&batch, id, Checkpoint{ChainPoint{}, projection(id).layout_version()});
  }
  Status status = store_.Write(&batch);
  if (!status.ok()) return status;
  for (ProjectionId id : ids) {
    projection(id).Reset();
    checkpoint(id) = Checkpoint{ChainPoint{}, projection(id).layout_version()};
    store_.Publish(id, SequenceNumber{0});
    logger_->info("projection {}: dropped, replaying from sequence 1", ProjectionName(id));
  }
  return Status::Ok();
}

void Applier::ResetCaches() {
  for (auto& p : projections_) p->Reset();
}

void Applier::Count(const std::array<std::uint64_t, kProjectionCount>& applied) {
  const auto now = RateMeter::Clock::now();
  std::lock_guard lock(stats_mutex_);
  ++batches_written_;
  for (std::size_t p = 0; p < kProjectionCount; ++p) {
    events_applied_[p] += applied[p];
    if (applied[p] > 0) rates_[p].Add(applied[p], now);
  }
}

std::uint64_t Applier::EventsApplied(ProjectionId id) const {
  std::lock_guard lock(stats_mutex_);
  return events_applied_[static_cast<std::size_t>(id)];
}

double Applier::ApplyRate(ProjectionId id) const {
  std::lock_guard lock(stats_mutex_);
  return rates_[static_cast<std::size_t>(id)].EventsPerSecond(RateMeter::Clock::now());
}

std::uint64_t Applier::BatchesWritten() const {
  std::lock_guard lock(stats_mutex_);
  return batches_written_;
}

}  // namespace ledger::projections::internal

#include "ledger/projections/projector.h"

#include <fmt/format.h>
#include <pthread.h>
#include <rocksdb/perf_level.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "applier.h"
#include "batch_reader.h"
#include "ledger/limits.h"
#include "store.h"

namespace ledger::projections {

using internal::Applier;
using internal::BatchQueue;
using internal::BatchReader;
using internal::BoundedQueue;
using internal::ViewStore;

struct Projector::Impl {
  ProjectorOptions options;
  std::shared_ptr<spdlog::logger> logger;
  std::unique_ptr<ViewStore> store;
  std::unique_ptr<Applier> applier;
  std::unique_ptr<Views> views;

  /// Serializes Start, Stop and Rebuild.
  std::mutex control;
  // reader ──batches──▶ applier ──writes──▶ writer
  std::unique_ptr<BatchQueue> batches;
  std::unique_ptr<BoundedQueue<internal::PreparedWrite>> writes;
  std::unique_ptr<BatchReader> reader;
  std::thread applier_thread;
  std::thread writer_thread;
  std::atomic<bool> running{false};

  mutable std::mutex failure_mutex;
  std::string failure;

  void RunApplier();
  void RunWriter();
  void Fail(const Status& status);
  Status StartLocked();
  void StopLocked();
};

void Projector::Impl::Fail(const Status& status) {
  logger->error("projector stopped: {}", status.ToString());
  std::lock_guard lock(failure_mutex);
  if (failure.empty()) failure = status.ToString();
  running = false;
}

void Projector::Impl::RunApplier() {
  // RocksDB counts every key comparison in thread-local perf counters unless told not to:
  // a measurable share of a rebuild, for numbers nobody reads here.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  pthread_setname_np(pthread_self(), "views-applier");
  while (std::optional<internal::DecodedBatch> batch = batches->Pop()) {
    Result<internal::PreparedWrite> prepared = applier->Prepare(*batch);
    if (!prepared.ok()) {
      Fail(prepared.status());
      break;
    }
    if (!writes->Push(std::move(prepared).value())) break;
    if (!batch->failure.ok()) {
      Fail(batch->failure);  // The events before the failure are written first.
      break;
    }
  }
  batches->Close();
  writes->Finish();
}

void Projector::Impl::RunWriter() {
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  pthread_setname_np(pthread_self(), "views-writer");
  while (std::optional<internal::PreparedWrite> write = writes->Pop()) {
    Status status = store->Write(&write->batch);
    if (!status.ok()) {
      Fail(status);
      batches->Close();
      writes->Close();
      break;
    }
    applier->Complete(*write);
    if (options.after_batch_for_tests && write->point.sequence.value != 0) {
      options.after_batch_for_tests(write->point.sequence);
    }
  }
}

Status Projector::Impl::StartLocked() {
  {
    std::lock_guard lock(failure_mutex);
    failure.clear();
  }
  // From what is stored: after a failed write the caches may have run ahead of it.
  Status status = applier->Recover();
  if (!status.ok()) return status;
  batches = std::make_unique<BatchQueue>(limits::kProjectionBatchesAheadMax);
  writes = std::make_unique<BoundedQueue<internal::PreparedWrite>>(1);
  const std::size_t batch_events_max =
      options.batch_events_max == 0
          ? limits::kProjectionBatchEventsMax
          : std::min(options.batch_events_max, limits::kProjectionBatchEventsMax);
  reader = std::make_unique<BatchReader>(*options.log, batch_events_max, *batches);
  running = true;
  reader->Start(applier->NextToRead());
  applier_thread = std::thread([this] { RunApplier(); });
  writer_thread = std::thread([this] { RunWriter(); });
  return Status::Ok();
}

void Projector::Impl::StopLocked() {
  if (batches) batches->Close();
  if (reader) reader->Stop();
  // The applier stops at its next batch; the writer writes what the applier staged.
  if (applier_thread.joinable()) applier_thread.join();
  if (writer_thread.joinable()) writer_thread.join();
  reader.reset();
  batches.reset();
  writes.reset();
  running = false;
}

Result<std::unique_ptr<Projector>> Projector::Open(ProjectorOptions options) {
  if (options.path.empty()) return Status::InvalidArgument("the views need a path");
  if (options.log == nullptr) return Status::InvalidArgument("the views need a log to tail");
  auto impl = std::make_unique<Impl>();
  impl->logger = options.logger ? options.logger : spdlog::default_logger();
  auto store = ViewStore::Open(options.path, options.block_cache_bytes, impl->logger);
  if (!store.ok()) return store.status();
  impl->store = std::move(store).value();
  impl->applier = std::make_unique<Applier>(*impl->store, *options.log, impl->logger);
  Status status = impl->applier->Recover();
  if (!status.ok()) return status;
  impl->views = std::make_unique<Views>(impl->store.get());
  impl->options = std::move(options);
  impl->logger->info("views opened at {}: next event to apply {}", impl->options.path,
                     impl->applier->NextToRead().value);
  return std::unique_ptr<Projector>(new Projector(std::move(impl)));
}

Projector::Projector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Projector::~Projector() {
  Stop();
  impl_->logger->info("views closed at {}", impl_->options.path);
}

Status Projector::Start() {
  std::lock_guard lock(impl_->control);
  if (impl_->running) return Status::Ok();
  impl_->StopLocked();  // Joins threads that stopped on a failure.
  return impl_->StartLocked();
}

void Projector::Stop() {
  std::lock_guard lock(impl_->control);
  impl_->StopLocked();
}

Status Projector::Rebuild(std::span<const ProjectionId> ids) {
  std::lock_guard lock(impl_->control);
  const bool was_running = impl_->running;
  impl_->StopLocked();
  Status status = impl_->applier->Drop(ids);
  if (status.ok() && was_running) status = impl_->StartLocked();
  return status;
}

bool Projector::WaitForSequence(SequenceNumber sequence, std::chrono::milliseconds timeout) const {
  return impl_->store->WaitFor(kAllProjections, sequence, timeout);
}

ProjectorStats Projector::Stats() const {
  ProjectorStats stats;
  stats.log_head = impl_->options.log->Head();
  stats.running = impl_->running;
  {
    std::lock_guard lock(impl_->failure_mutex);
    stats.failure = impl_->failure;
  }
  stats.batches_written = impl_->applier->BatchesWritten();
  for (std::size_t i = 0; i < kProjectionCount; ++i) {
    const ProjectionId id = kAllProjections[i];
    ProjectionStats& p = stats.projections[i];
    p.id = id;
    p.checkpoint = impl_->store->Published(id);
    const std::uint64_t head = stats.log_head.sequence.value;
    p.lag = head > p.checkpoint.value ? head - p.checkpoint.value : 0;
    p.apply_rate_events_per_second = impl_->applier->ApplyRate(id);
    p.events_applied = impl_->applier->EventsApplied(id);
  }
  return stats;
}

const Views& Projector::views() const { return *impl_->views; }

}  // namespace ledger::projections

// The Ledger facade: opening (snapshot + tail of the log), executing batches, reads of the
// state for the server, snapshots on demand and on close.
#include "ledger/engine/ledger.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <future>
#include <thread>

#include "common/one_shot.h"
#include "domain/apply.h"
#include "domain/decide_internal.h"
#include "domain/ledger_impl.h"
#include "domain/snapshot.h"
#include "ledger/engine/domain/event_codec.h"
#include "ledger/engine/domain/events.h"
#include "ledger/engine/domain/money.h"
#include "ledger/limits.h"

namespace ledger {
namespace {

/// Applies one recorded event during recovery, checking it belongs where the state expects.
Status Replay(domain::State& state, const RecordedEvent& recorded, const domain::Event& event) {
  if (Status fits = domain::CheckIsNextOfItsStream(state, recorded, event); !fits.ok()) {
    return fits;
  }
  domain::Apply(state, event, recorded.sequence());
  return Status::Ok();
}

std::uint64_t MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - start)
                                        .count());
}

}  // namespace

Result<ChainPoint> ChainPointAt(const Log& log, SequenceNumber sequence) {
  if (sequence.value == 0) return ChainPoint{};
  auto events = log.ReadRange(sequence, 1);
  if (!events.ok()) return events.status();
  if (events->empty() || events->front().sequence() != sequence) {
    return Status::Internal(fmt::format("event {} is not in the log", sequence.value));
  }
  return ChainPoint{sequence, events->front().hash()};
}

Status Ledger::Impl::Recover() {
  const ChainPoint head = log->Head();
  ChainPoint position;
  auto start = std::chrono::steady_clock::now();
  Status read = domain::ReadSnapshotFile(snapshot_path(), &state, &position);
  open_snapshot_ms = MillisecondsSince(start);
  bool usable = read.ok() && position.sequence <= head.sequence;
  if (usable) {
    Result<ChainPoint> at = ChainPointAt(*log, position.sequence);
    usable = at.ok() && at->hash == position.hash;
  }
  if (!usable) {
    if (read.ok() || read.code() != StatusCode::kNotFound) {
      logger->warn("domain snapshot at {} not used ({}); replaying the whole log", snapshot_path(),
                   read.ok() ? "it does not match this log" : read.ToString());
    }
    state = domain::State();
    position = ChainPoint{};
  }
  snapshot_sequence.store(position.sequence.value);
  start = std::chrono::steady_clock::now();
  SequenceNumber next = position.sequence.Next();
  while (next <= head.sequence) {
    Result<std::vector<RecordedEvent>> events = log->ReadRange(next, limits::kReadEventsMax);
    if (!events.ok()) return events.status();
    if (events->empty()) return Status::Corruption("the log ended before its head");
    for (const RecordedEvent& recorded : *events) {
      next = recorded.sequence().Next();
      if (recorded.type() == schema::EventType::Opaque) continue;
      Result<domain::Event> event = domain::DecodeEvent(recorded.type(), recorded.payload());
      if (!event.ok()) {
        return Status::Corruption(
            fmt::format("event {}: {}", recorded.sequence().value, event.status().message()));
      }
      // An order that left memory (or was never in the snapshot) comes back from its stream.
      if (Status held = HoldOrderBefore(*event, recorded.stream_version()); !held.ok()) {
        return held;
      }
      if (Status replayed = Replay(state, recorded, *event); !replayed.ok()) return replayed;
      ++replayed_on_open;
      EvictColdOrders(recorded.sequence());
    }
  }
  state.applied_through = head.sequence;
  open_replay_ms = MillisecondsSince(start);
  logger->info(
      "domain state at sequence {}: snapshot at {} read in {} ms, {} events replayed in {} ms",
      head.sequence.value, position.sequence.value, open_snapshot_ms, replayed_on_open,
      open_replay_ms);
  return Status::Ok();
}

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Ledger>> Ledger::Open(LedgerOptions options) {
  auto impl = std::make_unique<Impl>();
  if (options.snapshot_path.empty()) options.snapshot_path = options.log.path + "/domain.snapshot";
  impl->logger = options.logger ? options.logger : spdlog::default_logger();
  impl->options = std::move(options);
  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Log>> log = Log::Open(impl->options.log);
  if (!log.ok()) return log.status();
  impl->log = std::move(log).value();
  impl->open_log_ms = MillisecondsSince(start);
  if (Status recovered = impl->Recover(); !recovered.ok()) return recovered;
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

Ledger::~Ledger() {
  impl_->closing.store(true);
  std::uint64_t applied = 0;
  {
    std::shared_lock lock(impl_->state_mutex);
    applied = impl_->state.applied_through.value;
  }
  if (!impl_->failed.load() && applied > impl_->snapshot_sequence.load()) {
    Status written = WriteSnapshot();
    if (!written.ok()) impl_->logger->warn("no snapshot on close: {}", written.ToString());
  }
  // Closing the log completes (or drops) a snapshot job, which a publisher may wait for.
  std::unique_ptr<Log> log;
  {
    std::lock_guard lock(impl_->log_lifetime_mutex);
    log = std::move(impl_->log);
  }
  log.reset();
  std::thread publisher;
  {
    std::lock_guard lock(impl_->publisher_mutex);
    publisher = std::move(impl_->publisher);
  }
  if (publisher.joinable()) publisher.join();
}

void Ledger::ExecuteAsync(std::vector<CommandRequest> batch, ExecuteCallback done) {
  if (batch.size() > limits::kBatchCommandsMax) {
    done(Status::InvalidArgument(fmt::format("a batch holds at most {} commands, not {}",
                                             limits::kBatchCommandsMax, batch.size())),
         {});
    return;
  }
  if (impl_->failed.load()) {
    done(Status(StatusCode::kWritesRefusedAfterFailure,
                "a write failed earlier; the ledger refuses commands until reopened"),
         {});
    return;
  }
  if (impl_->closing.load()) {
    done(Status(StatusCode::kShuttingDown, "the ledger is closing"), {});
    return;
  }
  const std::uint64_t every = impl_->options.snapshot_every_events;
  if (every > 0 && impl_->events_since_snapshot.load() >= every) {
    impl_->QueueSnapshot([](Status) {});
  }
  (void)impl_->log->Submit(MakeCommandJob(*impl_, std::move(batch), std::move(done)));
}

Result<std::vector<CommandResult>> Ledger::Execute(std::vector<CommandRequest> batch) {
  OneShot<Result<std::vector<CommandResult>>> executed;
  ExecuteAsync(std::move(batch), executed.ResultSetter<std::vector<CommandResult>>());
  return executed.Wait();
}

const Log& Ledger::log() const { return *impl_->log; }

namespace {

/// Why an opaque batch may not be appended, or "" when it may.
std::string OpaqueBatchProblem(const std::vector<AppendRequest>& batch) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const EventDraft& event = batch[i].event;
    if (event.type != schema::EventType::Opaque) {
      return fmt::format(
          "event {}: only opaque events may be appended; domain events come from "
          "commands",
          i);
    }
    if (domain::IsDomainStream(event.stream)) {
      return fmt::format("event {}: stream '{}' is a domain stream; only commands write it", i,
                         event.stream);
    }
  }
  return "";
}

}  // namespace

void Ledger::AppendOpaqueAsync(std::vector<AppendRequest> batch, Log::AppendCallback done) {
  if (std::string problem = OpaqueBatchProblem(batch); !problem.empty()) {
    done(Status::InvalidArgument(std::move(problem)), {});
    return;
  }
  impl_->log->AppendAsync(std::move(batch), std::move(done));
}

Result<std::vector<AppendResult>> Ledger::AppendOpaque(std::vector<AppendRequest> batch) {
  if (std::string problem = OpaqueBatchProblem(batch); !problem.empty()) {
    return Status::InvalidArgument(std::move(problem));
  }
  return impl_->log->Append(std::move(batch));
}

Status Ledger::WriteSnapshot() {
  if (impl_->failed.load()) {
    return Status(StatusCode::kWritesRefusedAfterFailure, "the ledger failed; not snapshotting");
  }
  // One snapshot job at a time: wait for a periodic one in flight, then queue ours.
  for (int attempt = 0; attempt < 60000; ++attempt) {
    std::promise<Status> promise;
    auto future = promise.get_future();
    if (impl_->QueueSnapshot([&promise](Status status) { promise.set_value(std::move(status)); })) {
      return future.get();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Status(StatusCode::kTimedOut, "a snapshot stayed queued for a minute");
}

LedgerStats Ledger::Stats() const {
  LedgerStats stats;
  std::shared_lock lock(impl_->state_mutex);
  const domain::State& state = impl_->state;
  stats.applied_through = state.applied_through;
  stats.hot_orders = state.hot.count;
  stats.hot_transactions = state.hot.transactions.size() - state.hot.free_transactions.size();
  stats.orders_loaded = impl_->orders_loaded.load();
  stats.orders_evicted = impl_->orders_evicted.load();
  stats.state_bytes = state.hot.MemoryBytes() + state.withdrawal_ids.MemoryBytes();
  stats.snapshot_sequence = SequenceNumber{impl_->snapshot_sequence.load()};
  stats.snapshots_written = impl_->snapshots_written.load();
  stats.snapshot_pause_ms_max = impl_->snapshot_pause_ms_max.load();
  stats.replayed_on_open = impl_->replayed_on_open;
  stats.open_log_ms = impl_->open_log_ms;
  stats.open_snapshot_ms = impl_->open_snapshot_ms;
  stats.open_replay_ms = impl_->open_replay_ms;
  return stats;
}

Result<GeneratedSecret> Ledger::GenerateSecret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return Status::Internal("OpenSSL RAND_bytes could not produce a secret");
  }
  GeneratedSecret generated;
  generated.secret = ToHex(bytes, sizeof bytes);
  generated.sha256 = HashSecret(generated.secret);
  return generated;
}

Hash256 Ledger::HashSecret(std::string_view secret) {
  Hash256 hash{};
  unsigned int size = 0;
  EVP_Digest(secret.data(), secret.size(), hash.data(), &size, EVP_sha256(), nullptr);
  return hash;
}

}  // namespace ledger

// Opening, recovering, reading and closing the log. The write path is in writer.cc.
#include "log/log_impl.h"

#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <limits>

#include "ledger/limits.h"
#include "log/keys.h"

namespace ledger {

Result<std::unique_ptr<Log>> Log::Open(LogOptions options) {
  return log::LogImpl::Open(std::move(options));
}

namespace log {

LogImpl::LogImpl(LogOptions options) : options_(std::move(options)) {
  logger_ = options_.logger ? options_.logger : spdlog::default_logger();
}

Result<std::unique_ptr<Log>> LogImpl::Open(LogOptions options) {
  if (options.index_tail_events_max < limits::kGroupCommitEventsMax) {
    return Status::InvalidArgument("index_tail_events_max must hold a whole group commit");
  }
  std::unique_ptr<LogImpl> log(new LogImpl(std::move(options)));
  LogImpl* raw = log.get();
  rocksdb::Env* env = log->options_.env ? log->options_.env : rocksdb::Env::Default();
  log->file_system_ = env->GetFileSystem();
  log->marker_ =
      std::make_unique<HeadMarker>(log->file_system_, log->options_.path, [raw]() -> Status {
        if (raw->options_.durability == Durability::kSync) return Status::Ok();
        return FromRocks(raw->store_->db()->SyncWAL(), "syncing the write-ahead log");
      });
  Result<std::unique_ptr<LogStore>> store = log->OpenStore();
  if (!store.ok()) return store.status();
  log->store_ = std::move(store).value();
  log->index_ = std::make_unique<DerivedIndex>(
      *log->store_, log->options_.index_tail_events_max,
      [raw](const Status& failure) { raw->RefuseWrites(failure); }, log->logger_);
  Status recovered = log->Recover();
  if (!recovered.ok()) return recovered;
  log->marker_->Start(log->durable_head_);
  if (log->durable_head_.sequence.value > 0) log->marker_->Publish(log->durable_head_);
  log->index_->Start();
  log->completer_ = std::thread([raw] {
    pthread_setname_np(pthread_self(), "ledger-complete");
    raw->CompleteLoop();
  });
  log->committer_ = std::thread([raw] {
    pthread_setname_np(pthread_self(), "ledger-commit");
    raw->CommitLoop();
  });
  log->writer_ = std::thread([raw] {
    pthread_setname_np(pthread_self(), "ledger-writer");
    raw->WriterLoop();
  });
  return std::unique_ptr<Log>(std::move(log));
}

Result<std::unique_ptr<LogStore>> LogImpl::OpenStore() {
  Result<std::unique_ptr<LogStore>> store = LogStore::Open(options_);
  if (store.ok() || store.status().code() != StatusCode::kCorruption) return store;
  // The write-ahead log is damaged somewhere other than a torn final record. Look, without
  // changing anything, at what replaying up to the damage keeps: if every acknowledged event
  // is in it, the damage lies in a tail that was never acknowledged and can be dropped.
  const Status damage = store.status();
  Result<std::optional<ChainPoint>> marker = marker_->Read();
  if (!marker.ok() || !marker->has_value()) return damage;
  const ChainPoint acknowledged = **marker;
  SequenceNumber salvaged;
  {
    Result<std::unique_ptr<LogStore>> look =
        LogStore::Open(options_, WalReplay::kStopAtFirstDamageReadOnly);
    if (!look.ok()) return damage;
    Result<ChainPoint> head = (*look)->ReadStoredHead();
    if (!head.ok()) return damage;
    salvaged = head->sequence;
  }
  if (salvaged < acknowledged.sequence) {
    return Status::Corruption(fmt::format(
        "{}; replaying up to the damage keeps events up to {} but event {} was acknowledged as "
        "durable, so the log refuses to open",
        damage.ToString(), salvaged.value, acknowledged.sequence.value));
  }
  logger_->warn(
      "the write-ahead log is damaged after the acknowledged head {}: dropping the "
      "unacknowledged events after {} ({})",
      acknowledged.sequence.value, salvaged.value, damage.ToString());
  return LogStore::Open(options_, WalReplay::kStopAtFirstDamage);
}

Status LogImpl::Recover() {
  Result<ChainPoint> stored = store_->ReadStoredHead();
  if (!stored.ok()) return stored.status();
  const ChainPoint head = *stored;

  // A group commit's events are written before or with its head, never after, so the head
  // names the last event unless a group never completed (its events past the head were never
  // acknowledged: drop them) or the database was damaged (name the sequences, refuse to open).
  auto cursor = std::make_unique<EventCursor>(store_->db(), store_->events());
  cursor->SeekToLast();
  if (!cursor->status().ok()) return cursor->status();
  SequenceNumber last = cursor->Valid() ? cursor->sequence() : SequenceNumber{};
  if (last > head.sequence) {
    cursor.reset();
    Status dropped = DropIncompleteGroup(head, last);
    if (!dropped.ok()) return dropped;
    cursor = std::make_unique<EventCursor>(store_->db(), store_->events());
    cursor->SeekToLast();
    if (!cursor->status().ok()) return cursor->status();
    last = cursor->Valid() ? cursor->sequence() : SequenceNumber{};
  }
  if (last != head.sequence) {
    return Status::Corruption(fmt::format(
        "the stored head names sequence {} but the last event in the log is sequence {}",
        head.sequence.value, last.value));
  }
  if (head.sequence.value > 0) {
    const schema::Envelope* envelope = nullptr;
    std::string record;
    Status shape = CopyAndCheckRecord(cursor->record(), &record, &envelope);
    if (!shape.ok()) {
      return Status::Corruption(
          fmt::format("event {} (the head): {}", head.sequence.value, shape.message()));
    }
    if (StoredHash(record) != head.hash) {
      return Status::Corruption(
          fmt::format("the hash of event {} does not match the stored head", head.sequence.value));
    }
    last_recorded_at_us_ = envelope->recorded_at_us();
  }
  cursor.reset();
  Status marked = CheckAgainstMarker(head);
  if (!marked.ok()) return marked;

  Result<SequenceNumber> checkpoint = index_->ReadCheckpoint();
  if (!checkpoint.ok()) return checkpoint.status();
  if (*checkpoint > head.sequence) {
    return Status::Corruption(fmt::format("the index covers sequence {} past the head {}",
                                          checkpoint->value, head.sequence.value));
  }
  // After a clean close the index covers the head, and its filters were saved for it.
  const bool filters_loaded =
      *checkpoint == head.sequence && index_->LoadFilters(*file_system_, options_.path, head);
  Status rebuilt = RebuildIndexTail(*checkpoint, head.sequence);
  if (!rebuilt.ok()) return rebuilt;

  next_sequence_ = head.sequence.Next();
  chain_hash_ = head.hash;
  linked_through_ = head.sequence;
  durable_head_ = head;
  index_->OnDurable(head.sequence);
  logger_->info("log opened at {}: head {} {}, index tail rebuilt from {} events, index filters {}",
                options_.path, head.sequence.value, ToHex(head.hash),
                head.sequence.value - checkpoint->value,
                filters_loaded ? "loaded" : "rebuilt in the background");
  return Status::Ok();
}

Status LogImpl::DropIncompleteGroup(const ChainPoint& head, SequenceNumber last) {
  // Only a group that followed this head may be dropped, and only if none of it was
  // acknowledged: its first event must link to the head, and the marker must not be past it.
  Result<std::optional<ChainPoint>> marker = marker_->Read();
  if (!marker.ok()) return marker.status();
  if (marker->has_value() && (*marker)->sequence > head.sequence) {
    return Status::Corruption(fmt::format(
        "the stored head names sequence {} but event {} was acknowledged as durable and the log "
        "holds events up to {}",
        head.sequence.value, (*marker)->sequence.value, last.value));
  }
  EventCursor cursor(store_->db(), store_->events());
  Result<RecordedEvent> first = ReadEvent(cursor, head.sequence.Next());
  // Whole packs are dropped, so the first must begin right after the head (event_pack.h).
  if (!first.ok() || cursor.pack().first() != head.sequence.Next() ||
      first->envelope().previous_hash() == nullptr ||
      first->envelope().previous_hash()->size() != head.hash.size() ||
      !std::equal(head.hash.begin(), head.hash.end(), first->envelope().previous_hash()->begin())) {
    return Status::Corruption(fmt::format(
        "the stored head names sequence {} but the log holds events up to {} that do not follow "
        "it",
        head.sequence.value, last.value));
  }
  rocksdb::WriteBatch drop;
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db()->NewIterator(rocksdb::ReadOptions(), store_->events()));
  for (it->Seek(EventKey(head.sequence.Next())); it->Valid(); it->Next()) {
    rocksdb::Status deleted = drop.Delete(store_->events(), it->key());
    if (!deleted.ok()) return FromRocks(deleted, "dropping an incomplete group commit");
  }
  if (!it->status().ok()) return FromRocks(it->status(), "dropping an incomplete group commit");
  rocksdb::WriteOptions write;
  write.sync = true;
  Status written =
      FromRocks(store_->db()->Write(write, &drop), "dropping an incomplete group commit");
  if (!written.ok()) return written;
  logger_->warn(
      "events {} to {} belong to a group commit that never completed (the stored head is {}); "
      "they were never acknowledged and are dropped",
      head.sequence.value + 1, last.value, head.sequence.value);
  return Status::Ok();
}

Status LogImpl::CheckAgainstMarker(const ChainPoint& head) {
  Result<std::optional<ChainPoint>> marker = marker_->Read();
  if (!marker.ok()) return marker.status();
  if (!marker->has_value()) return Status::Ok();
  const ChainPoint& acknowledged = **marker;
  if (acknowledged.sequence > head.sequence) {
    return Status::Corruption(fmt::format(
        "event {} was acknowledged as durable but the log ends at sequence {}: acknowledged "
        "events are missing from the write-ahead log (truncated or lost)",
        acknowledged.sequence.value, head.sequence.value));
  }
  if (acknowledged.sequence.value == 0) return Status::Ok();
  EventCursor cursor(store_->db(), store_->events());
  cursor.Seek(acknowledged.sequence);
  if (!cursor.status().ok()) return cursor.status();
  if (!cursor.Valid() || cursor.sequence() != acknowledged.sequence ||
      cursor.record().size() <= kHashBytes || StoredHash(cursor.record()) != acknowledged.hash) {
    return Status::Corruption(fmt::format("event {} differs from the one acknowledged as durable",
                                          acknowledged.sequence.value));
  }
  return Status::Ok();
}

Status LogImpl::RebuildIndexTail(SequenceNumber after, SequenceNumber head) {
  EventCursor cursor(store_->db(), store_->events());
  std::string previous_key;
  std::string claim_key;
  std::string aligned;
  for (cursor.Seek(after.Next()); cursor.Valid() && cursor.sequence() <= head; cursor.Next()) {
    const SequenceNumber sequence = cursor.sequence();
    const schema::Envelope* envelope = nullptr;
    Status shape = CopyAndCheckRecord(cursor.record(), &aligned, &envelope);
    if (!shape.ok()) {
      return Status::Corruption(fmt::format("event {}: {}", sequence.value, shape.message()));
    }
    std::string_view stream = envelope->stream() ? envelope->stream()->string_view() : "";
    const StreamVersion version{envelope->stream_version()};
    index_->AddEvent(stream, version, sequence);
    if (auto* claim = envelope->claim(); claim != nullptr && claim->size() > 0) {
      claim_key.clear();
      AppendClaimKey(claim->string_view(), &claim_key);
      index_->AddIdempotency(claim_key, ClaimRecord(sequence, version));
    }
    auto* key = envelope->idempotency_key();
    if (key == nullptr || key->size() == 0) continue;
    std::string composite = IdempotencyKey(
        envelope->idempotency_scope() ? envelope->idempotency_scope()->string_view() : "",
        key->string_view());
    // The events of one command are consecutive and share the key.
    if (composite == previous_key) {
      index_->ExtendIdempotency(composite);
      continue;
    }
    IdempotencyRecord record{sequence, version, 1, {}};
    if (auto* fingerprint = envelope->command_fingerprint();
        fingerprint != nullptr && fingerprint->size() == record.fingerprint.size()) {
      std::copy(fingerprint->begin(), fingerprint->end(), record.fingerprint.begin());
    }
    previous_key = composite;
    index_->AddIdempotency(std::move(composite), record);
  }
  if (!cursor.status().ok()) return cursor.status();
  index_->OnDurable(head);
  if (index_->tail_events() >= options_.index_tail_events_max) return index_->FlushAll();
  return Status::Ok();
}

LogImpl::~LogImpl() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_wake_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (committer_.joinable()) committer_.join();
  if (completer_.joinable()) completer_.join();
  // Writing the tail out makes the next open fast; after a failure the next open rebuilds it.
  if (index_ && !writes_refused_.load()) {
    Status flushed = index_->FlushAll();
    if (!flushed.ok()) logger_->warn("index tail not written out on close: {}", flushed.ToString());
    if (flushed.ok() && index_->indexed_through() == durable_head_.sequence) {
      Status saved = index_->SaveFilters(*file_system_, options_.path, durable_head_);
      if (!saved.ok()) logger_->warn("index filters not saved on close: {}", saved.ToString());
    }
  }
  index_.reset();
  if (marker_) {
    Status marked = marker_->StopAndWrite();
    if (!marked.ok()) logger_->warn("acknowledged-head marker not written: {}", marked.ToString());
  }
  // Without this, the next open replays up to every memtable's worth of write-ahead log and
  // flushes it (seconds for a large log); a clean close pays it instead.
  if (store_ && !writes_refused_.load()) {
    Status flushed = store_->FlushMemtables();
    if (!flushed.ok()) logger_->warn("memtables not flushed on close: {}", flushed.ToString());
  }
  if (store_) logger_->info("log closed at {}", options_.path);
}

ChainPoint LogImpl::Head() const {
  std::lock_guard lock(head_mutex_);
  return durable_head_;
}

bool LogImpl::WaitForSequence(SequenceNumber sequence, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(head_mutex_);
  return head_advanced_.wait_for(lock, timeout, [&] { return durable_head_.sequence >= sequence; });
}

Result<std::vector<RecordedEvent>> LogImpl::ReadRange(SequenceNumber from,
                                                      std::size_t max_count) const {
  const SequenceNumber visible = Head().sequence;
  max_count = std::min(max_count, limits::kReadEventsMax);
  std::vector<RecordedEvent> events;
  if (from.value == 0) from = SequenceNumber{1};
  EventCursor cursor(store_->db(), store_->events());
  SequenceNumber expected = from;
  for (cursor.Seek(from); cursor.Valid() && events.size() < max_count; cursor.Next()) {
    const SequenceNumber sequence = cursor.sequence();
    if (sequence > visible) break;
    if (sequence != expected) {
      return Status::Corruption(fmt::format("event {} is missing from the log", expected.value));
    }
    const schema::Envelope* envelope = nullptr;
    std::string record;
    Status shape = CopyAndCheckRecord(cursor.record(), &record, &envelope);
    if (!shape.ok()) {
      return Status::Corruption(fmt::format("event {}: {}", sequence.value, shape.message()));
    }
    events.emplace_back(std::move(record));
    expected = sequence.Next();
  }
  if (!cursor.status().ok()) return cursor.status();
  return events;
}

Result<RecordedEvent> LogImpl::ReadEvent(EventCursor& cursor, SequenceNumber sequence) const {
  cursor.Seek(sequence);
  if (!cursor.status().ok()) return cursor.status();
  if (!cursor.Valid() || cursor.sequence() != sequence) {
    return Status::Corruption(fmt::format("event {} is indexed but missing", sequence.value));
  }
  const schema::Envelope* envelope = nullptr;
  std::string record;
  Status shape = CopyAndCheckRecord(cursor.record(), &record, &envelope);
  if (!shape.ok()) {
    return Status::Corruption(fmt::format("event {}: {}", sequence.value, shape.message()));
  }
  return RecordedEvent(std::move(record));
}

Result<std::vector<RecordedEvent>> LogImpl::ReadStream(std::string_view stream, StreamVersion from,
                                                       ReadDirection direction,
                                                       std::size_t max_count) const {
  max_count = std::min(max_count, limits::kReadEventsMax);
  constexpr StreamVersion kTop{std::numeric_limits<std::uint64_t>::max()};
  StreamVersion low = direction == ReadDirection::kForward ? from : StreamVersion{1};
  StreamVersion high = direction == ReadDirection::kForward ? kTop : from;
  auto entries = index_->StreamEntries(stream, low, high, direction, max_count, Head().sequence);
  if (!entries.ok()) return entries.status();
  std::vector<RecordedEvent> events;
  events.reserve(entries->size());
  EventCursor cursor(store_->db(), store_->events());
  for (const StreamEntry& entry : *entries) {
    Result<RecordedEvent> event = ReadEvent(cursor, entry.sequence);
    if (!event.ok()) return event.status();
    if (event->stream() != stream || event->stream_version() != entry.version) {
      return Status::Corruption(fmt::format("event {} is not version {} of stream '{}'",
                                            entry.sequence.value, entry.version.value, stream));
    }
    events.push_back(std::move(event).value());
  }
  return events;
}

Result<StreamVersion> LogImpl::StreamHead(std::string_view stream) const {
  constexpr StreamVersion kTop{std::numeric_limits<std::uint64_t>::max()};
  auto entries = index_->StreamEntries(stream, StreamVersion{1}, kTop, ReadDirection::kBackward, 1,
                                       Head().sequence);
  if (!entries.ok()) return entries.status();
  return entries->empty() ? StreamVersion{} : entries->front().version;
}

LogStats LogImpl::Stats() const {
  LogStats stats;
  stats.head = Head();
  stats.group_commits = group_commits_.load();
  stats.events_appended = events_appended_.load();
  stats.index_tail_events = index_->tail_events();
  stats.indexed_through = index_->indexed_through();
  stats.index_filters_complete = index_->filters_complete();
  stats.index_filters_bytes = index_->filters_bytes();
  stats.writes_refused = writes_refused_.load();
  return stats;
}

}  // namespace log
}  // namespace ledger

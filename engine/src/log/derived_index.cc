#include "log/derived_index.h"

#include <fmt/format.h>
#include <pthread.h>
#include <rocksdb/sst_file_writer.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "log/keys.h"

namespace ledger::log {
namespace {

/// Frozen tails allowed to wait for writing out before the writer waits too.
constexpr std::size_t kFrozenTailsMax = 2;

/// Writes the rows `emit` passes to its sink, in key order, into a new table file at `path`.
Status WriteSortedFile(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family,
                       const std::string& path,
                       const std::function<Status(const IndexTail::RowSink&)>& emit) {
  rocksdb::Options options = db->GetOptions(family);
  // Not compressed (log_store.cc): the writer would otherwise use the family's bottommost
  // compression, as an ingested file may land on the bottommost level.
  options.compression = rocksdb::kNoCompression;
  options.bottommost_compression = rocksdb::kDisableCompressionOption;
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, family);
  Status status = FromRocks(writer.Open(path), "opening an index file");
  if (status.ok()) {
    status = emit([&writer](std::string_view key, std::string_view value) {
      return FromRocks(writer.Put(rocksdb::Slice(key.data(), key.size()),
                                  rocksdb::Slice(value.data(), value.size())),
                       "writing an index file");
    });
  }
  if (status.ok()) status = FromRocks(writer.Finish(), "finishing an index file");
  return status;
}

}  // namespace

DerivedIndex::DerivedIndex(LogStore& store, std::size_t tail_events_max, FailureHandler on_failure,
                           std::shared_ptr<spdlog::logger> logger)
    : store_(store),
      tail_events_max_(tail_events_max),
      on_failure_(std::move(on_failure)),
      logger_(logger ? std::move(logger) : spdlog::default_logger()),
      active_(std::make_unique<IndexTail>(tail_events_max_)) {}

DerivedIndex::~DerivedIndex() {
  {
    std::lock_guard lock(flush_mutex_);
    stopping_ = true;
  }
  flush_wake_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  StopFilterBuilder();
}

Result<SequenceNumber> DerivedIndex::ReadCheckpoint() {
  std::string value;
  rocksdb::Status read = store_.db()->Get(rocksdb::ReadOptions(), store_.idempotency(),
                                          std::string(kIndexCheckpointKey), &value);
  if (read.IsNotFound()) return SequenceNumber{};
  if (!read.ok()) return FromRocks(read, "reading the index checkpoint");
  if (value.size() != 8) return Status::Corruption("the index checkpoint is malformed");
  SequenceNumber checkpoint{GetBigEndian64(value.data())};
  {
    std::lock_guard lock(flush_mutex_);
    indexed_through_ = checkpoint;
  }
  return checkpoint;
}

void DerivedIndex::Start() {
  flusher_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "ledger-index");
    FlushLoop();
  });
  if (!filters_complete() && !filter_builder_.joinable()) {
    builder_stopping_.store(false);
    filter_builder_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "ledger-filters");
      BuildFilters();
    });
  }
}

std::optional<StreamVersion> DerivedIndex::FrozenLastVersion(std::string_view stream,
                                                             KeyHash hash) const {
  for (auto it = frozen_.rbegin(); it != frozen_.rend(); ++it) {
    if (auto version = (*it)->LastVersion(stream, hash)) return version;
  }
  return std::nullopt;
}

Result<StreamVersion> DerivedIndex::LastVersion(std::string_view stream) const {
  const KeyHash hash = HashKey(stream);
  {
    std::shared_lock lock(tails_mutex_);
    if (auto version = active_->LastVersion(stream, hash)) return *version;
    if (auto version = FrozenLastVersion(stream, hash)) return *version;
  }
  // A tail leaves `frozen_` only after its files are ingested, so a stream missing from the
  // tails above is complete in the durable index.
  return DurableLastVersion(stream, hash);
}

Result<StreamVersion> DerivedIndex::WriterLastVersion(std::string_view stream,
                                                      const StreamAnswers* answers) const {
  const KeyHash hash = HashKey(stream);
  if (auto version = active_->LastVersion(stream, hash)) return *version;
  if (frozen_count_.load(std::memory_order_acquire) > 0) {
    std::shared_lock lock(tails_mutex_);
    if (auto version = FrozenLastVersion(stream, hash)) return *version;
  }
  if (AnswersHold(answers)) {
    if (const StreamVersion* answer = answers->Find(stream, hash)) return *answer;
  }
  return DurableLastVersion(stream, hash);
}

Result<StreamVersion> DerivedIndex::DurableLastVersion(std::string_view stream,
                                                       KeyHash hash) const {
  if (DurablyAbsentStream(hash)) return StreamVersion{};
  std::string value;
  rocksdb::Status read =
      store_.db()->Get(rocksdb::ReadOptions(), store_.streams(), StreamHeadKey(stream), &value);
  if (read.IsNotFound()) return StreamVersion{};
  if (!read.ok()) return FromRocks(read, "reading the stream index");
  if (value.size() != 16) return Status::Corruption("a stream head row is malformed");
  return StreamVersion{GetBigEndian64(value.data())};
}

Result<std::optional<IdempotencyRecord>> DerivedIndex::FindIdempotency(
    std::string_view composite_key, const IdempotencyAnswers* answers) const {
  const KeyHash hash = HashKey(composite_key);
  if (const auto* record = active_->FindIdempotency(composite_key, hash)) return {*record};
  if (frozen_count_.load(std::memory_order_acquire) > 0) {
    std::shared_lock lock(tails_mutex_);
    for (auto it = frozen_.rbegin(); it != frozen_.rend(); ++it) {
      if (const auto* record = (*it)->FindIdempotency(composite_key, hash)) return {*record};
    }
  }
  if (AnswersHold(answers)) {
    if (const auto* answer = answers->Find(composite_key, hash)) return *answer;
  }
  return DurableIdempotency(composite_key, hash);
}

Result<std::optional<IdempotencyRecord>> DerivedIndex::DurableIdempotency(
    std::string_view composite_key, KeyHash hash) const {
  if (DurablyAbsentKey(hash)) return std::optional<IdempotencyRecord>();
  std::string value;
  rocksdb::Status read =
      store_.db()->Get(rocksdb::ReadOptions(), store_.idempotency(),
                       rocksdb::Slice(composite_key.data(), composite_key.size()), &value);
  if (read.IsNotFound()) return std::optional<IdempotencyRecord>();
  if (!read.ok()) return FromRocks(read, "reading the idempotency index");
  IdempotencyRecord record;
  if (!DecodeIdempotencyRecord(value, &record)) {
    return Status::Corruption("an idempotency record is malformed");
  }
  return std::optional<IdempotencyRecord>(record);
}

namespace {

/// Reads `keys` (as stored) in one MultiGet and passes each found value, or nullopt for a
/// missing key, to `answer`; keys it could not read are skipped.
template <typename Answer>
void MultiRead(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family,
               std::vector<rocksdb::Slice>& keys, Answer answer) {
  if (keys.empty()) return;
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db->MultiGet(rocksdb::ReadOptions(), family, keys.size(), keys.data(), values.data(),
               statuses.data());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) {
      answer(i, std::optional<std::string_view>());
    } else if (statuses[i].ok()) {
      answer(i, std::optional<std::string_view>(values[i].ToStringView()));
    }
    // Otherwise no answer: the lookup itself reads again and reports the error.
  }
}

/// One hash per key (a run of equal keys, as an order's events bring, is hashed once), each
/// passed to `hint` as it is computed so the slots it names start loading.
template <typename Hint>
std::vector<KeyHash> HashAndHint(std::span<const std::string_view> keys, Hint hint) {
  std::vector<KeyHash> hashes;
  hashes.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i > 0 && keys[i] == keys[i - 1]) {
      hashes.push_back(hashes.back());
      continue;
    }
    hashes.push_back(HashKey(keys[i]));
    hint(hashes.back());
  }
  return hashes;
}

}  // namespace

void DerivedIndex::PrefetchIdempotency(std::span<const std::string_view> composite_keys,
                                       IdempotencyAnswers* answers) const {
  // Counted before the read, so a tail dropped during it invalidates the answers.
  answers->Clear(tails_dropped_.load(std::memory_order_acquire));
  composite_keys = composite_keys.first(std::min(composite_keys.size(), kAnswersMax));
  const bool filtered = idempotency_filter_.complete();
  const std::vector<KeyHash> key_hashes = HashAndHint(composite_keys, [&](KeyHash hash) {
    active_->PrefetchIdempotency(hash);
    if (filtered) idempotency_filter_.Prefetch(hash);
  });
  std::vector<rocksdb::Slice> keys;
  std::vector<KeyHash> hashes;
  for (std::size_t i = 0; i < composite_keys.size(); ++i) {
    const std::string_view key = composite_keys[i];
    if (active_->FindIdempotency(key, key_hashes[i]) != nullptr) continue;
    if (DurablyAbsentKey(key_hashes[i])) {
      answers->Add(key, key_hashes[i], std::nullopt);
      continue;
    }
    keys.emplace_back(key.data(), key.size());
    hashes.push_back(key_hashes[i]);
  }
  MultiRead(store_.db(), store_.idempotency(), keys,
            [&](std::size_t i, std::optional<std::string_view> value) {
              std::string_view key(keys[i].data(), keys[i].size());
              IdempotencyRecord record;
              if (!value) {
                answers->Add(key, hashes[i], std::nullopt);
              } else if (DecodeIdempotencyRecord(*value, &record)) {
                answers->Add(key, hashes[i], record);
              }
            });
}

void DerivedIndex::PrefetchStreams(std::span<const std::string_view> streams,
                                   StreamAnswers* answers) const {
  answers->Clear(tails_dropped_.load(std::memory_order_acquire));
  streams = streams.first(std::min(streams.size(), kAnswersMax));
  const bool filtered = stream_filter_.complete();
  const std::vector<KeyHash> stream_hashes = HashAndHint(streams, [&](KeyHash hash) {
    active_->PrefetchStream(hash);
    if (filtered) stream_filter_.Prefetch(hash);
  });
  std::vector<std::string> head_keys;
  std::vector<std::string_view> names;
  std::vector<KeyHash> hashes;
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const std::string_view stream = streams[i];
    if (!names.empty() && names.back() == stream) continue;  // An order's events come together.
    const KeyHash hash = stream_hashes[i];
    if (active_->LastVersion(stream, hash)) continue;
    if (DurablyAbsentStream(hash)) {
      answers->Add(stream, hash, StreamVersion{});
      continue;
    }
    head_keys.push_back(StreamHeadKey(stream));
    names.push_back(stream);
    hashes.push_back(hash);
  }
  std::vector<rocksdb::Slice> keys(head_keys.begin(), head_keys.end());
  MultiRead(store_.db(), store_.streams(), keys,
            [&](std::size_t i, std::optional<std::string_view> value) {
              if (!value) {
                answers->Add(names[i], hashes[i], StreamVersion{});
              } else if (value->size() == 16) {
                answers->Add(names[i], hashes[i], StreamVersion{GetBigEndian64(value->data())});
              }
            });
}

void DerivedIndex::AddEvent(std::string_view stream, StreamVersion version,
                            SequenceNumber sequence) {
  const KeyHash hash = HashKey(stream);
  std::unique_lock lock(tails_mutex_);
  active_->AddEvent(stream, hash, version, sequence);
}

void DerivedIndex::AddIdempotency(std::string_view composite_key, const IdempotencyRecord& record) {
  const KeyHash hash = HashKey(composite_key);
  std::unique_lock lock(tails_mutex_);
  active_->AddIdempotency(composite_key, hash, record);
}

void DerivedIndex::ExtendIdempotency(std::string_view composite_key) {
  const KeyHash hash = HashKey(composite_key);
  std::unique_lock lock(tails_mutex_);
  active_->ExtendIdempotency(composite_key, hash);
}

void DerivedIndex::FreezeIfFull() {
  {
    std::shared_lock lock(tails_mutex_);
    if (active_->event_count() < tail_events_max_) return;
  }
  std::unique_lock flush_lock(flush_mutex_);
  // Bounded memory: the writer waits for the flusher rather than piling up tails.
  frozen_drained_.wait(flush_lock, [this] {
    std::shared_lock lock(tails_mutex_);
    return frozen_.size() < kFrozenTailsMax || failed_ || stopping_;
  });
  {
    std::unique_lock lock(tails_mutex_);
    FreezeActive();
  }
  flush_wake_.notify_all();
}

void DerivedIndex::FreezeActive() {
  frozen_.push_back(std::shared_ptr<const IndexTail>(std::move(active_)));
  frozen_count_.store(frozen_.size(), std::memory_order_release);
  active_ = std::make_unique<IndexTail>(tail_events_max_);
}

void DerivedIndex::DropOldestFrozen() {
  // Counted before the tail leaves: lookups that miss the tails then know that answers read
  // before this may be stale (AnswersHold).
  tails_dropped_.fetch_add(1, std::memory_order_release);
  frozen_.pop_front();
  frozen_count_.store(frozen_.size(), std::memory_order_release);
}

void DerivedIndex::OnDurable(SequenceNumber head) {
  {
    std::lock_guard lock(flush_mutex_);
    durable_ = head;
    // The flusher waits only for a frozen tail to become durable; waking it after every
    // group commit would cost a context switch each. A tail frozen after this check wakes it
    // itself (FreezeIfFull freezes under flush_mutex_, then notifies).
    if (frozen_count_.load(std::memory_order_acquire) == 0) return;
  }
  flush_wake_.notify_all();
}

Status DerivedIndex::WriteOut(const IndexTail& tail) {
  if (tail.empty()) return Status::Ok();
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path directory = fs::path(store_.path()) / "ingest";
  fs::create_directories(directory, error);
  if (error) return Status::IoError("creating " + directory.string() + ": " + error.message());
  std::string stem = (directory / fmt::format("index-{}", tail.last_sequence().value)).string();

  Status status =
      WriteSortedFile(store_.db(), store_.streams(), stem + "-streams.sst",
                      [&](const IndexTail::RowSink& sink) { return tail.SortedStreamRows(sink); });
  if (status.ok()) {
    status = WriteSortedFile(store_.db(), store_.idempotency(), stem + "-idempotency.sst",
                             [&](const IndexTail::RowSink& sink) {
                               // The checkpoint key is empty, so it sorts before every record.
                               std::string checkpoint;
                               PutBigEndian64(&checkpoint, tail.last_sequence().value);
                               Status first = sink(kIndexCheckpointKey, checkpoint);
                               if (!first.ok()) return first;
                               return tail.SortedIdempotencyRows(sink);
                             });
  }
  if (!status.ok()) return status;

  std::vector<rocksdb::IngestExternalFileArg> args(2);
  args[0].column_family = store_.streams();
  args[0].external_files = {stem + "-streams.sst"};
  args[1].column_family = store_.idempotency();
  args[1].external_files = {stem + "-idempotency.sst"};
  for (auto& arg : args) {
    arg.options.move_files = true;
    arg.options.failed_move_fall_back_to_copy = true;
  }
  // Nor may it run ahead of the events on disk: with async durability they may still sit in
  // the OS's cache, and a checkpoint past the head after a power loss refuses the next open.
  status = FromRocks(store_.db()->SyncWAL(), "syncing the log before ingesting its index");
  if (!status.ok()) return status;
  // The filters must never miss a key the index holds, even for a moment.
  AddToFilters(tail);
  // Both families in one atomic ingestion: the checkpoint never runs ahead of the entries.
  status = FromRocks(store_.db()->IngestExternalFiles(args), "ingesting index files");
  if (status.ok()) {
    std::lock_guard lock(flush_mutex_);
    indexed_through_ = tail.last_sequence();
  }
  return status;
}

void DerivedIndex::FlushLoop() {
  std::unique_lock lock(flush_mutex_);
  while (true) {
    std::shared_ptr<const IndexTail> next;
    flush_wake_.wait(lock, [&] {
      if (stopping_ || failed_) return true;
      std::shared_lock tails(tails_mutex_);
      if (!frozen_.empty() && frozen_.front()->last_sequence() <= durable_) {
        next = frozen_.front();
        return true;
      }
      return false;
    });
    if (!next) return;
    lock.unlock();
    Status written = WriteOut(*next);
    lock.lock();
    if (!written.ok()) {
      failed_ = true;
      lock.unlock();
      on_failure_(written);
      frozen_drained_.notify_all();
      return;
    }
    {
      std::unique_lock tails(tails_mutex_);
      DropOldestFrozen();
    }
    frozen_drained_.notify_all();
  }
}

Status DerivedIndex::FlushAll() {
  // Stop the flusher first, so each tail is written out by exactly one thread, in order.
  {
    std::lock_guard lock(flush_mutex_);
    stopping_ = true;
  }
  flush_wake_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  {
    std::unique_lock tails(tails_mutex_);
    if (!active_->empty()) FreezeActive();
  }
  while (true) {
    std::shared_ptr<const IndexTail> next;
    {
      std::shared_lock tails(tails_mutex_);
      if (frozen_.empty()) break;
      next = frozen_.front();
    }
    Status written = WriteOut(*next);
    if (!written.ok()) return written;
    std::unique_lock tails(tails_mutex_);
    DropOldestFrozen();
  }
  std::lock_guard lock(flush_mutex_);
  stopping_ = false;
  return Status::Ok();
}

Result<std::vector<StreamEntry>> DerivedIndex::StreamEntries(std::string_view stream,
                                                             StreamVersion low, StreamVersion high,
                                                             ReadDirection direction,
                                                             std::size_t max_count,
                                                             SequenceNumber visible) const {
  std::vector<StreamEntry> entries;
  if (max_count == 0 || low > high) return entries;
  if (direction == ReadDirection::kBackward) {
    Result<StreamVersion> last = LastVersion(stream);
    if (!last.ok()) return last.status();
    high = std::min(high, *last);
    if (high < low) return entries;
    if (high.value - low.value + 1 > max_count) low = StreamVersion{high.value - max_count + 1};
  } else if (high.value - low.value + 1 > max_count) {
    high = StreamVersion{low.value + max_count - 1};
  }
  // Tails first, then the durable index: a tail dropped in between was ingested before it was
  // dropped, so the durable read sees it. Duplicates are removed below.
  const KeyHash hash = HashKey(stream);
  {
    std::shared_lock lock(tails_mutex_);
    for (const auto& tail : frozen_) tail->CollectStream(stream, hash, low, high, &entries);
    active_->CollectStream(stream, hash, low, high, &entries);
  }
  Status durable = DurableStreamEntries(stream, hash, low, high, &entries);
  if (!durable.ok()) return durable;
  std::sort(entries.begin(), entries.end(),
            [](const StreamEntry& a, const StreamEntry& b) { return a.version < b.version; });
  entries.erase(std::unique(entries.begin(), entries.end(),
                            [](const StreamEntry& a, const StreamEntry& b) {
                              return a.version == b.version;
                            }),
                entries.end());
  std::erase_if(entries, [&](const StreamEntry& e) { return e.sequence > visible; });
  if (direction == ReadDirection::kBackward) std::reverse(entries.begin(), entries.end());
  return entries;
}

Status DerivedIndex::DurableStreamEntries(std::string_view stream, KeyHash hash, StreamVersion low,
                                          StreamVersion high, std::vector<StreamEntry>* out) const {
  if (DurablyAbsentStream(hash)) return Status::Ok();
  rocksdb::ReadOptions read;
  read.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(read, store_.streams()));
  std::string prefix = StreamPrefix(stream);
  for (it->Seek(StreamKey(stream, low)); it->Valid(); it->Next()) {
    rocksdb::Slice key = it->key();
    if (!key.starts_with(prefix) || key.size() != prefix.size() + 8) break;
    StreamVersion version{GetBigEndian64(key.data() + prefix.size())};
    if (version > high || version.value == kStreamHeadVersion) break;
    if (it->value().size() != 8) return Status::Corruption("a stream index entry is malformed");
    out->push_back({version, SequenceNumber{GetBigEndian64(it->value().data())}});
  }
  return FromRocks(it->status(), "reading the stream index");
}

std::size_t DerivedIndex::tail_events() const {
  std::shared_lock lock(tails_mutex_);
  std::size_t count = active_->event_count();
  for (const auto& tail : frozen_) count += tail->event_count();
  return count;
}

SequenceNumber DerivedIndex::indexed_through() const {
  std::lock_guard lock(flush_mutex_);
  return indexed_through_;
}

}  // namespace ledger::log

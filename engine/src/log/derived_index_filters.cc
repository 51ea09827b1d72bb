// DerivedIndex's key filters (derived_index.h, key_filter.h): filled as tails are written
// out, saved on a clean close, loaded on open when saved for this very index, rebuilt by a
// background scan otherwise.
#include <pthread.h>

#include <optional>
#include <string>
#include <vector>

#include "log/derived_index.h"
#include "log/durable_file.h"
#include "log/index_filter_file.h"
#include "log/keys.h"

namespace ledger::log {

bool DerivedIndex::LoadFilters(rocksdb::FileSystem& file_system, const std::string& directory,
                               const ChainPoint& head) {
  std::string contents;
  const std::string path = directory + "/" + std::string(kIndexFilterFileName);
  if (!rocksdb::ReadFileToString(&file_system, path, &contents).ok()) return false;
  if (!DecodeIndexFilters(contents, head, &stream_filter_, &idempotency_filter_)) return false;
  stream_filter_.MarkComplete();
  idempotency_filter_.MarkComplete();
  return true;
}

Status DerivedIndex::SaveFilters(rocksdb::FileSystem& file_system, const std::string& directory,
                                 const ChainPoint& head) {
  StopFilterBuilder();
  if (!filters_complete()) return Status::Ok();
  return ReplaceFileDurably(file_system, directory, std::string(kIndexFilterFileName),
                            EncodeIndexFilters(head, stream_filter_, idempotency_filter_),
                            "index filter file");
}

void DerivedIndex::StopFilterBuilder() {
  builder_stopping_.store(true);
  if (filter_builder_.joinable()) filter_builder_.join();
}

void DerivedIndex::AddToFilters(const IndexTail& tail) {
  std::vector<KeyHash> hashes;
  hashes.reserve(tail.event_count());
  tail.ForEachStream([&](std::string_view name) { hashes.push_back(HashKey(name)); });
  stream_filter_.AddAll(hashes);
  hashes.clear();
  tail.ForEachIdempotencyKey([&](std::string_view key) { hashes.push_back(HashKey(key)); });
  idempotency_filter_.AddAll(hashes);
}

void DerivedIndex::BuildFilters() {
  // Keys ingested after an iterator was created are not in its view; the ingestion added them
  // (AddToFilters runs before IngestExternalFiles), so scan plus ingestions miss nothing.
  constexpr std::size_t kRun = 4096;
  // Past this many rows of one stream, seeking over the rest is cheaper than walking them.
  constexpr std::size_t kRowsBeforeSeek = 16;
  auto scan = [this](rocksdb::ColumnFamilyHandle* family, KeyFilter& filter, auto key_of) {
    rocksdb::ReadOptions read;
    read.fill_cache = false;
    // Every key, whatever the family's prefix extractor: a scan that skipped some would make
    // a complete filter lie.
    read.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(read, family));
    std::vector<KeyHash> hashes;
    std::string previous;
    std::size_t rows_of_previous = 0;
    for (it->SeekToFirst(); it->Valid();) {
      if (builder_stopping_.load(std::memory_order_relaxed)) {
        return Status(StatusCode::kShuttingDown, "the log is closing");
      }
      const std::optional<std::string_view> key = key_of(it->key().ToStringView());
      if (!key || *key != previous) {
        rows_of_previous = 0;
        if (key) {
          previous.assign(*key);
          hashes.push_back(HashKey(*key));
        }
      } else if (++rows_of_previous == kRowsBeforeSeek) {
        // Stream rows are keyed name 0x00 version: every row of this stream sorts below
        // name 0x01, and every other stream at or above it.
        std::string next = previous;
        next.push_back('\x01');
        it->Seek(next);
        continue;
      }
      if (hashes.size() == kRun) {
        filter.AddAll(hashes);
        hashes.clear();
      }
      it->Next();
    }
    filter.AddAll(hashes);
    return FromRocks(it->status(), "scanning the index for its key filters");
  };
  Status scanned = scan(store_.streams(), stream_filter_,
                        [](std::string_view key) -> std::optional<std::string_view> {
                          const std::size_t end = key.find('\0');
                          if (end == std::string_view::npos) return std::nullopt;
                          return key.substr(0, end);
                        });
  if (scanned.ok()) {
    // Idempotency keys are unique: a key never repeats, so it never reaches the seek.
    scanned = scan(store_.idempotency(), idempotency_filter_,
                   [](std::string_view key) -> std::optional<std::string_view> {
                     if (key == kIndexCheckpointKey) return std::nullopt;
                     return key;
                   });
  }
  if (!scanned.ok()) {
    if (scanned.code() != StatusCode::kShuttingDown) {
      logger_->warn("index key filters not built, lookups read the index instead: {}",
                    scanned.ToString());
    }
    return;
  }
  stream_filter_.MarkComplete();
  idempotency_filter_.MarkComplete();
}

bool DerivedIndex::filters_complete() const {
  return stream_filter_.complete() && idempotency_filter_.complete();
}

std::size_t DerivedIndex::filters_bytes() const {
  return stream_filter_.MemoryBytes() + idempotency_filter_.MemoryBytes();
}

}  // namespace ledger::log

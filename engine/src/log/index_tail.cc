#include "log/index_tail.h"

#include <algorithm>
#include <cassert>

#include "log/keys.h"

namespace ledger::log {

IndexTail::IndexTail(std::size_t events) {
  // Most lookups are misses (new keys, new streams): a sparse bucket array keeps them at one
  // cache miss. Two buckets per entry cost 16 bytes an event.
  streams_.max_load_factor(0.5);
  idempotency_.max_load_factor(0.5);
  streams_.reserve(events);
  idempotency_.reserve(events);
}

void IndexTail::AddEvent(std::string_view stream, StreamVersion version, SequenceNumber sequence) {
  auto it = streams_.find(stream);
  if (it == streams_.end()) {
    it = streams_.emplace(std::string(stream), StreamRun{version, {}}).first;
  }
  StreamRun& run = it->second;
  assert(run.sequences.empty() || run.last_version().Next() == version);
  run.sequences.push_back(sequence.value);
  ++event_count_;
  last_sequence_ = sequence;
}

void IndexTail::AddIdempotency(std::string composite_key, const IdempotencyRecord& record) {
  idempotency_.insert_or_assign(std::move(composite_key), record);
}

void IndexTail::ExtendIdempotency(std::string_view composite_key) {
  auto it = idempotency_.find(composite_key);
  if (it != idempotency_.end()) ++it->second.event_count;
}

std::optional<StreamVersion> IndexTail::LastVersion(std::string_view stream) const {
  auto it = streams_.find(stream);
  if (it == streams_.end()) return std::nullopt;
  return it->second.last_version();
}

const IdempotencyRecord* IndexTail::FindIdempotency(std::string_view composite_key) const {
  auto it = idempotency_.find(composite_key);
  return it == idempotency_.end() ? nullptr : &it->second;
}

void IndexTail::CollectStream(std::string_view stream, StreamVersion low, StreamVersion high,
                              std::vector<StreamEntry>* out) const {
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  const StreamRun& run = it->second;
  std::uint64_t first = std::max(low.value, run.first_version.value);
  std::uint64_t last = std::min(high.value, run.last_version().value);
  for (std::uint64_t v = first; v <= last && v >= run.first_version.value; ++v) {
    out->push_back({StreamVersion{v}, SequenceNumber{run.sequences[v - run.first_version.value]}});
  }
}

std::vector<std::pair<std::string, std::string>> IndexTail::SortedStreamRows() const {
  std::vector<const std::pair<const std::string, StreamRun>*> runs;
  runs.reserve(streams_.size());
  for (const auto& entry : streams_) runs.push_back(&entry);
  // Names hold no 0x00 byte, so ordering by (name, version) is the keys' bytewise order.
  std::sort(runs.begin(), runs.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::vector<std::pair<std::string, std::string>> rows;
  rows.reserve(event_count_);
  for (const auto* entry : runs) {
    const StreamRun& run = entry->second;
    for (std::size_t i = 0; i < run.sequences.size(); ++i) {
      std::string value;
      PutBigEndian64(&value, run.sequences[i]);
      rows.emplace_back(StreamKey(entry->first, StreamVersion{run.first_version.value + i}),
                        std::move(value));
    }
    // The head row sorts after every version: a later file's head row shadows this one, so a
    // point lookup (with its bloom filter) finds a stream's last version.
    std::string head;
    PutBigEndian64(&head, run.last_version().value);
    PutBigEndian64(&head, run.sequences.back());
    rows.emplace_back(StreamHeadKey(entry->first), std::move(head));
  }
  return rows;
}

std::vector<std::pair<std::string, std::string>> IndexTail::SortedIdempotencyRows() const {
  std::vector<std::pair<std::string, std::string>> rows;
  rows.reserve(idempotency_.size());
  for (const auto& [key, record] : idempotency_) {
    rows.emplace_back(key, EncodeIdempotencyRecord(record));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace ledger::log

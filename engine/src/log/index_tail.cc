#include "log/index_tail.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cassert>

#include "log/keys.h"

namespace ledger::log {
namespace {

/// Entry indexes sorted by the bytes `key_of(index)` names.
template <typename KeyOf>
std::vector<std::uint32_t> SortedByKey(std::size_t count, KeyOf key_of) {
  std::vector<std::uint32_t> order(count);
  for (std::uint32_t i = 0; i < count; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return key_of(a) < key_of(b); });
  return order;
}

}  // namespace

KeyHash HashKey(std::string_view key) { return KeyHash{XXH3_64bits(key.data(), key.size())}; }

FlatSlots::FlatSlots(std::size_t entries) {
  // At most half full: a miss then ends within a probe or two, in one cache line.
  std::size_t capacity = std::bit_ceil(std::max<std::size_t>(entries * 2, 16));
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
}

void FlatSlots::Insert(KeyHash hash, std::uint32_t index) {
  if ((used_ + 1) * 2 > slots_.size()) Grow();
  Place((std::uint64_t{Tag(hash)} << 32) | (std::uint64_t{index} + 1));
  ++used_;
}

void FlatSlots::Clear() {
  std::fill(slots_.begin(), slots_.end(), 0);
  used_ = 0;
}

void FlatSlots::Place(std::uint64_t slot) {
  std::size_t at = (slot >> 32) & mask_;
  while (slots_[at] != 0) at = (at + 1) & mask_;
  slots_[at] = slot;
}

void FlatSlots::Grow() {
  // Positions come from the stored tag, so the table can be rebuilt from itself.
  std::vector<std::uint64_t> old(slots_.size() * 2, 0);
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  for (std::uint64_t slot : old) {
    if (slot != 0) Place(slot);
  }
}

IndexTail::IndexTail(std::size_t events) : stream_slots_(events), idempotency_slots_(events) {
  events_.reserve(events);
  streams_.reserve(events);
  idempotency_.reserve(events);
  keys_.reserve(events * 32);
}

IndexTail::KeyRef IndexTail::StoreKey(std::string_view key) {
  KeyRef ref{static_cast<std::uint32_t>(keys_.size()), static_cast<std::uint32_t>(key.size())};
  keys_.append(key);
  return ref;
}

std::optional<std::uint32_t> IndexTail::FindStream(std::string_view stream, KeyHash hash) const {
  return stream_slots_.Find(hash,
                            [&](std::uint32_t i) { return KeyAt(streams_[i].name) == stream; });
}

std::optional<std::uint32_t> IndexTail::FindKey(std::string_view composite_key,
                                                KeyHash hash) const {
  return idempotency_slots_.Find(
      hash, [&](std::uint32_t i) { return KeyAt(idempotency_[i].key) == composite_key; });
}

void IndexTail::AddEvent(std::string_view stream, KeyHash hash, StreamVersion version,
                         SequenceNumber sequence) {
  const auto event = static_cast<std::uint32_t>(events_.size());
  std::optional<std::uint32_t> found = FindStream(stream, hash);
  if (!found) {
    found = static_cast<std::uint32_t>(streams_.size());
    streams_.push_back(Stream{StoreKey(stream), version.value, 0, kNone});
    stream_slots_.Insert(hash, *found);
  }
  Stream& run = streams_[*found];
  assert(run.event_count == 0 || run.first_version + run.event_count == version.value);
  events_.push_back(Event{sequence.value, run.last_event});
  run.last_event = event;
  ++run.event_count;
  last_sequence_ = sequence;
}

void IndexTail::AddIdempotency(std::string_view composite_key, KeyHash hash,
                               const IdempotencyRecord& record) {
  if (auto found = FindKey(composite_key, hash)) {
    idempotency_[*found].record = record;
    return;
  }
  idempotency_.push_back(Idempotency{StoreKey(composite_key), record});
  idempotency_slots_.Insert(hash, static_cast<std::uint32_t>(idempotency_.size() - 1));
}

void IndexTail::ExtendIdempotency(std::string_view composite_key, KeyHash hash) {
  if (auto found = FindKey(composite_key, hash)) ++idempotency_[*found].record.event_count;
}

std::optional<StreamVersion> IndexTail::LastVersion(std::string_view stream, KeyHash hash) const {
  auto found = FindStream(stream, hash);
  if (!found) return std::nullopt;
  const Stream& run = streams_[*found];
  return StreamVersion{run.first_version + run.event_count - 1};
}

const IdempotencyRecord* IndexTail::FindIdempotency(std::string_view composite_key,
                                                    KeyHash hash) const {
  auto found = FindKey(composite_key, hash);
  return found ? &idempotency_[*found].record : nullptr;
}

void IndexTail::StreamSequences(const Stream& stream, std::vector<std::uint64_t>* out) const {
  out->resize(stream.event_count);
  std::uint32_t event = stream.last_event;
  for (std::size_t i = stream.event_count; i-- > 0; event = events_[event].previous_in_stream) {
    (*out)[i] = events_[event].sequence;
  }
}

void IndexTail::CollectStream(std::string_view stream, KeyHash hash, StreamVersion low,
                              StreamVersion high, std::vector<StreamEntry>* out) const {
  auto found = FindStream(stream, hash);
  if (!found) return;
  const Stream& run = streams_[*found];
  const std::uint64_t last_version = run.first_version + run.event_count - 1;
  if (high.value < run.first_version || low.value > last_version) return;
  std::vector<std::uint64_t> sequences;
  StreamSequences(run, &sequences);
  const std::uint64_t first = std::max(low.value, run.first_version);
  const std::uint64_t last = std::min(high.value, last_version);
  for (std::uint64_t v = first; v <= last; ++v) {
    out->push_back({StreamVersion{v}, SequenceNumber{sequences[v - run.first_version]}});
  }
}

Status IndexTail::SortedStreamRows(const RowSink& sink) const {
  // Names hold no 0x00 byte, so ordering by (name, version) is the keys' bytewise order.
  auto order =
      SortedByKey(streams_.size(), [&](std::uint32_t i) { return KeyAt(streams_[i].name); });
  std::vector<std::uint64_t> sequences;
  std::string key;
  std::string value;
  for (std::uint32_t index : order) {
    const Stream& run = streams_[index];
    const std::string_view name = KeyAt(run.name);
    StreamSequences(run, &sequences);
    for (std::size_t i = 0; i < sequences.size(); ++i) {
      key = StreamKey(name, StreamVersion{run.first_version + i});
      value.clear();
      PutBigEndian64(&value, sequences[i]);
      Status status = sink(key, value);
      if (!status.ok()) return status;
    }
    // The head row sorts after every version: a later file's head row shadows this one, so a
    // point lookup (with its bloom filter) finds a stream's last version.
    key = StreamHeadKey(name);
    value.clear();
    PutBigEndian64(&value, run.first_version + run.event_count - 1);
    PutBigEndian64(&value, sequences.back());
    Status status = sink(key, value);
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

Status IndexTail::SortedIdempotencyRows(const RowSink& sink) const {
  auto order =
      SortedByKey(idempotency_.size(), [&](std::uint32_t i) { return KeyAt(idempotency_[i].key); });
  for (std::uint32_t index : order) {
    const Idempotency& entry = idempotency_[index];
    Status status = sink(KeyAt(entry.key), EncodeIdempotencyRecord(entry.record));
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

}  // namespace ledger::log

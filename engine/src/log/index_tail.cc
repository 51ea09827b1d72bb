#include "log/index_tail.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cassert>

#include "log/keys.h"

namespace ledger::log {
namespace {

/// Entry indexes sorted by the bytes `key_of(index)` names.
///
/// A tail's keys share long prefixes (a platform's name, "order/"), so comparing them byte by
/// byte reaches far into each key, at a random place in memory. Instead each entry gets the 8
/// bytes that follow the prefix all keys share, big-endian (zero-padded past a key's end), in
/// one contiguous array: nearly every comparison is settled there; ties fall back to the keys.
template <typename KeyOf>
std::vector<std::uint32_t> SortedByKey(std::size_t count, KeyOf key_of) {
  std::size_t shared = 0;
  if (count > 0) {
    const std::string_view first = key_of(0);
    shared = first.size();
    for (std::uint32_t i = 1; i < count && shared > 0; ++i) {
      const std::string_view key = key_of(i);
      const std::size_t limit = std::min(shared, key.size());
      std::size_t same = 0;
      while (same < limit && key[same] == first[same]) ++same;
      shared = same;
    }
  }
  struct Item {
    std::uint64_t next_bytes;
    std::uint32_t index;
  };
  std::vector<Item> items(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::string_view key = key_of(i);
    std::uint64_t next_bytes = 0;
    for (std::size_t b = 0; b < 8; ++b) {
      const std::size_t at = shared + b;
      next_bytes = next_bytes << 8 | (at < key.size() ? static_cast<unsigned char>(key[at]) : 0);
    }
    items[i] = Item{next_bytes, i};
  }
  std::sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
    if (a.next_bytes != b.next_bytes) return a.next_bytes < b.next_bytes;
    return key_of(a.index) < key_of(b.index);
  });
  std::vector<std::uint32_t> order(count);
  for (std::uint32_t i = 0; i < count; ++i) order[i] = items[i].index;
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
  // One buffer each for the rows' keys and values, reused: writing a tail out allocates
  // nothing per row.
  std::string key;
  std::string value;
  for (std::uint32_t index : order) {
    const Stream& run = streams_[index];
    StreamSequences(run, &sequences);
    key.assign(KeyAt(run.name));
    key.push_back('\0');  // StreamPrefix (keys.h)
    const std::size_t prefix = key.size();
    for (std::size_t i = 0; i < sequences.size(); ++i) {
      key.resize(prefix);
      PutBigEndian64(&key, run.first_version + i);
      value.clear();
      PutBigEndian64(&value, sequences[i]);
      Status status = sink(key, value);
      if (!status.ok()) return status;
    }
    // The head row sorts after every version: a later file's head row shadows this one, so a
    // point lookup (with its bloom filter) finds a stream's last version.
    key.resize(prefix);
    PutBigEndian64(&key, kStreamHeadVersion);
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
  std::string value;
  for (std::uint32_t index : order) {
    const Idempotency& entry = idempotency_[index];
    value.clear();
    AppendIdempotencyRecord(entry.record, &value);
    Status status = sink(KeyAt(entry.key), value);
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

}  // namespace ledger::log

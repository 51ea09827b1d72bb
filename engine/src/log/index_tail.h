// The in-memory part of the derived indexes: stream and idempotency entries of the events
// recorded since the last index checkpoint.
//
// Writing every index entry into RocksDB in the append's WriteBatch would put two
// random-key memtable inserts beside each in-order event insert (measured: about a fifth of
// the raw append rate). The entries are derivable from the events, so they are kept here,
// rebuilt from the log on open, and written out in bulk as sorted files (derived_index.h).
//
// The writer looks up two keys for nearly every event, and nearly every lookup is a miss (a
// new idempotency key, a new stream), so the layout is flat: key bytes in one arena, entries
// in vectors, and open-addressing tables of 8-byte slots found by a hash the caller computes
// once for all tails. A miss costs one cache line; adding an entry allocates nothing in the
// common case.
//
// Invariants: a stream's versions are contiguous; sequences grow with versions.
// Thread-safety: none; DerivedIndex guards it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/engine/status.h"
#include "ledger/engine/types.h"
#include "ledger/engine/write_job.h"

namespace ledger::log {

/// The hash a key is found by in every tail (XXH3-64 of its bytes).
struct KeyHash {
  std::uint64_t value = 0;
};

KeyHash HashKey(std::string_view key);

/// One (version, sequence) entry of a stream.
struct StreamEntry {
  StreamVersion version;
  SequenceNumber sequence;
};

/// Open addressing from a key hash to an entry index. A slot holds the hash's high 32 bits
/// (its tag, which also picks its place) beside the index; the owner confirms a candidate by
/// comparing key bytes. Kept at most half full.
class FlatSlots {
 public:
  explicit FlatSlots(std::size_t entries);

  /// Calls `matches(index)` for each candidate until it returns true; returns that index.
  template <typename Matches>
  std::optional<std::uint32_t> Find(KeyHash hash, Matches matches) const {
    const std::uint32_t tag = Tag(hash);
    for (std::size_t at = tag & mask_;; at = (at + 1) & mask_) {
      const std::uint64_t slot = slots_[at];
      if (slot == 0) return std::nullopt;
      if (static_cast<std::uint32_t>(slot >> 32) == tag) {
        const std::uint32_t index = static_cast<std::uint32_t>(slot) - 1;
        if (matches(index)) return index;
      }
    }
  }
  /// Starts loading the slot `hash` is probed from: a run of lookups hinted first has its
  /// cache misses overlap instead of following one another.
  void Prefetch(KeyHash hash) const { __builtin_prefetch(&slots_[Tag(hash) & mask_]); }
  /// Adds a key known to be absent.
  void Insert(KeyHash hash, std::uint32_t index);
  /// Forgets every key, keeping the capacity.
  void Clear();

 private:
  static std::uint32_t Tag(KeyHash hash) { return static_cast<std::uint32_t>(hash.value >> 32); }
  /// Puts a slot at its place, found from its tag (so growing needs no keys).
  void Place(std::uint64_t slot);
  void Grow();

  std::vector<std::uint64_t> slots_;  // tag << 32 | (index + 1); 0 is empty
  std::size_t mask_ = 0;
  std::size_t used_ = 0;
};

class IndexTail {
 public:
  /// Reserves room for `events` entries so the tables never grow while the writer waits.
  explicit IndexTail(std::size_t events);

  void AddEvent(std::string_view stream, KeyHash hash, StreamVersion version,
                SequenceNumber sequence);
  /// Records a new idempotency key (composite key, see keys.h IdempotencyKey).
  void AddIdempotency(std::string_view composite_key, KeyHash hash,
                      const IdempotencyRecord& record);
  /// Counts one more event of the command recorded under `composite_key` (recovery).
  void ExtendIdempotency(std::string_view composite_key, KeyHash hash);

  /// Hints that `hash` is about to be looked up (FlatSlots::Prefetch).
  void PrefetchStream(KeyHash hash) const { stream_slots_.Prefetch(hash); }
  void PrefetchIdempotency(KeyHash hash) const { idempotency_slots_.Prefetch(hash); }

  std::optional<StreamVersion> LastVersion(std::string_view stream, KeyHash hash) const;
  const IdempotencyRecord* FindIdempotency(std::string_view composite_key, KeyHash hash) const;
  /// Appends this tail's entries of `stream` with version in [low, high] to `out`, ascending.
  void CollectStream(std::string_view stream, KeyHash hash, StreamVersion low, StreamVersion high,
                     std::vector<StreamEntry>* out) const;

  /// Receives rows in key order; the views last until it returns.
  using RowSink = std::function<Status(std::string_view key, std::string_view value)>;
  /// The rows of the streams column family, in key order; stops at the sink's first error.
  Status SortedStreamRows(const RowSink& sink) const;
  /// The rows of the idempotency column family, in key order; likewise.
  Status SortedIdempotencyRows(const RowSink& sink) const;

  /// Calls `visit(name)` for each stream with events here, in no particular order.
  template <typename Visit>
  void ForEachStream(Visit visit) const {
    for (const Stream& stream : streams_) visit(KeyAt(stream.name));
  }
  /// Calls `visit(composite_key)` for each idempotency key here, in no particular order.
  template <typename Visit>
  void ForEachIdempotencyKey(Visit visit) const {
    for (const Idempotency& entry : idempotency_) visit(KeyAt(entry.key));
  }

  std::size_t event_count() const { return events_.size(); }
  SequenceNumber last_sequence() const { return last_sequence_; }
  bool empty() const { return events_.empty(); }

 private:
  /// Where a key's bytes sit in `keys_`.
  struct KeyRef {
    std::uint32_t offset;
    std::uint32_t size;
  };
  struct Stream {
    KeyRef name;
    std::uint64_t first_version;
    std::uint32_t event_count;
    std::uint32_t last_event;  // index in events_
  };
  struct Event {
    std::uint64_t sequence;
    std::uint32_t previous_in_stream;  // index in events_, kNone for the stream's first here
  };
  struct Idempotency {
    KeyRef key;
    IdempotencyRecord record;
  };
  static constexpr std::uint32_t kNone = UINT32_MAX;

  KeyRef StoreKey(std::string_view key);
  std::string_view KeyAt(KeyRef ref) const { return {keys_.data() + ref.offset, ref.size}; }
  std::optional<std::uint32_t> FindStream(std::string_view stream, KeyHash hash) const;
  std::optional<std::uint32_t> FindKey(std::string_view composite_key, KeyHash hash) const;
  /// The stream's sequences here, oldest first.
  void StreamSequences(const Stream& stream, std::vector<std::uint64_t>* out) const;

  std::string keys_;
  std::vector<Stream> streams_;
  std::vector<Event> events_;
  std::vector<Idempotency> idempotency_;
  FlatSlots stream_slots_;
  FlatSlots idempotency_slots_;
  SequenceNumber last_sequence_;
};

}  // namespace ledger::log

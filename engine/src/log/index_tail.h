// The in-memory part of the derived indexes: stream and idempotency entries of the events
// recorded since the last index checkpoint.
//
// Writing every index entry into RocksDB in the append's WriteBatch would put two
// random-key memtable inserts beside each in-order event insert (measured: about a fifth of
// the raw append rate). The entries are derivable from the events, so they are kept here,
// rebuilt from the log on open, and written out in bulk as sorted files (index_writer.h).
//
// Invariants: a stream's versions are contiguous; sequences grow with versions.
// Thread-safety: none; DerivedIndex guards it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ledger/engine/types.h"
#include "ledger/engine/write_job.h"

namespace ledger::log {

struct TransparentStringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, TransparentStringHash, std::equal_to<>>;

/// A stream's entries in one tail: versions first_version, first_version + 1, ...
struct StreamRun {
  StreamVersion first_version;
  std::vector<std::uint64_t> sequences;
  StreamVersion last_version() const {
    return StreamVersion{first_version.value + sequences.size() - 1};
  }
};

/// One (version, sequence) entry of a stream.
struct StreamEntry {
  StreamVersion version;
  SequenceNumber sequence;
};

class IndexTail {
 public:
  /// Reserves room for `events` entries so the maps never rehash while the writer waits.
  explicit IndexTail(std::size_t events);

  void AddEvent(std::string_view stream, StreamVersion version, SequenceNumber sequence);
  /// Records a new idempotency key (composite key, see keys.h IdempotencyKey).
  void AddIdempotency(std::string composite_key, const IdempotencyRecord& record);
  /// Counts one more event of the command recorded under `composite_key` (recovery).
  void ExtendIdempotency(std::string_view composite_key);

  std::optional<StreamVersion> LastVersion(std::string_view stream) const;
  const IdempotencyRecord* FindIdempotency(std::string_view composite_key) const;
  /// Appends this tail's entries of `stream` with version in [low, high] to `out`, ascending.
  void CollectStream(std::string_view stream, StreamVersion low, StreamVersion high,
                     std::vector<StreamEntry>* out) const;

  /// Sorted (key, value) rows for the streams and idempotency column families.
  std::vector<std::pair<std::string, std::string>> SortedStreamRows() const;
  std::vector<std::pair<std::string, std::string>> SortedIdempotencyRows() const;

  std::size_t event_count() const { return event_count_; }
  SequenceNumber last_sequence() const { return last_sequence_; }
  bool empty() const { return event_count_ == 0; }

 private:
  StringMap<StreamRun> streams_;
  StringMap<IdempotencyRecord> idempotency_;
  std::size_t event_count_ = 0;
  SequenceNumber last_sequence_;
};

}  // namespace ledger::log

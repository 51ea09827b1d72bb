// Event packs: the events family stores consecutive events together, several to a RocksDB key.
//
//   key  := be64(last_sequence)
//   pack := record[count] be32(record_end)[count] be64(first_sequence) be32(count)
//   record := envelope event_hash                                   (event_record.h)
//
// Record i is event first_sequence + i and spans [record_end[i-1] (0 for i = 0), record_end[i])
// from the start of the pack; last_sequence = first_sequence + count - 1. A RocksDB put costs
// about a microsecond whatever its size, so one put per pack instead of one per event takes
// most of the write path's per-event cost away. Keying a pack by its last sequence lets a
// forward Seek(sequence) land on the pack that holds it.
//
// A pack never spans two group commits, nor two pieces of one (log_impl.h): the stored head is
// always the last event of a pack, and dropping an incomplete group drops whole packs.
//
// Thread-safety: PackBuilder is used by one thread; PackView and EventCursor are not shared.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/engine/status.h"
#include "ledger/engine/types.h"

namespace ledger::log {

/// A pack is closed once it holds this many events or this many record bytes.
inline constexpr std::size_t kPackEventsMax = 64;
inline constexpr std::size_t kPackRecordBytesMax = 32 * 1024;

/// A closed pack: its key and value, ready to be put once its records are linked into the
/// chain (event_record.h). The writer thread seals packs; the commit thread links and puts them.
class SealedPack {
 public:
  /// Links its records, in order, after `*chain`, which becomes the last record's hash.
  void Link(Hash256* chain);
  rocksdb::Status PutInto(rocksdb::WriteBatch* batch, rocksdb::ColumnFamilyHandle* events) const;
  std::size_t bytes() const { return value_.size(); }
  SequenceNumber last() const { return last_; }

 private:
  friend class PackBuilder;
  /// Where a record ends in the pack, and where its envelope's previous_hash is.
  struct RecordPlace {
    std::uint32_t end = 0;
    std::uint32_t previous_hash_at = 0;
  };
  SequenceNumber last_;
  std::string key_;
  std::string value_;
  std::vector<RecordPlace> places_;
};

class PackBuilder {
 public:
  bool empty() const { return places_.empty(); }
  bool full() const {
    return places_.size() >= kPackEventsMax || records_.size() >= kPackRecordBytesMax;
  }
  std::size_t bytes() const { return records_.size(); }

  /// Adds event `sequence` (the one after the previous Add, if any): its envelope, whose
  /// previous_hash is at `previous_hash_offset`, followed by room for its hash.
  void Add(SequenceNumber sequence, std::string_view envelope, std::size_t previous_hash_offset);
  /// Drops the events added since the last Seal.
  void Clear() {
    records_.clear();
    places_.clear();
  }
  /// Finishes the pack; empty again afterwards. REQUIRES: !empty().
  SealedPack Seal();

 private:
  SequenceNumber first_;
  std::string records_;
  std::vector<SealedPack::RecordPlace> places_;
};

/// A stored pack, read in place.
class PackView {
 public:
  /// Reads the pack stored under `key`; an error message when key or value is malformed.
  static std::optional<std::string> Parse(std::string_view key, std::string_view value,
                                          PackView* out);

  SequenceNumber first() const { return first_; }
  SequenceNumber last() const { return SequenceNumber{first_.value + count_ - 1}; }
  std::size_t count() const { return count_; }
  /// The stored record of event first() + index, at any address.
  std::string_view record(std::size_t index) const;

 private:
  std::string_view value_;
  const char* record_ends_ = nullptr;
  SequenceNumber first_;
  std::size_t count_ = 0;
};

/// Walks the events family in sequence order, one event at a time, across packs.
class EventCursor {
 public:
  EventCursor(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* events);

  /// Positions at event `sequence` or, when it is missing, at the first event after it.
  /// Seeking within the current pack reads nothing.
  void Seek(SequenceNumber sequence);
  void SeekToLast();
  void Next();

  /// False at the end, after a read error and at a malformed pack (see status()).
  bool Valid() const { return valid_; }
  SequenceNumber sequence() const { return SequenceNumber{pack_.first().value + index_}; }
  /// The stored record, at any address: copy it before FlatBuffers reads it (event_record.h).
  std::string_view record() const { return pack_.record(index_); }
  /// The pack of the current event.
  const PackView& pack() const { return pack_; }

  /// A read error, or Corruption naming a malformed pack.
  Status status() const { return status_; }

 private:
  /// Reads the pack under the iterator; false (with status_) at the end or when malformed.
  bool LoadPack();

  std::unique_ptr<rocksdb::Iterator> it_;
  PackView pack_;
  std::size_t index_ = 0;
  bool valid_ = false;
  Status status_;
};

}  // namespace ledger::log

// The stored form of one event, and how it is built and checked.
//
//   record   := envelope event_hash
//   envelope := FlatBuffers bytes of ledger.schema.Envelope (file identifier "LGEV")
//   event_hash := 32 bytes, SHA-256(previous_hash ‖ envelope)
//
// previous_hash is also inside the envelope, so each record proves its place in the chain.
// Thread-safety: EventRecordBuilder is used by one thread; the free functions anywhere.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <string>
#include <string_view>

#include "ledger/engine/append.h"
#include "ledger/engine/status.h"
#include "ledger/engine/write_job.h"
#include "ledger/schema/envelope_generated.h"

namespace ledger::log {

inline constexpr std::size_t kHashBytes = 32;

/// Everything the writer knows about an event when it records it.
struct EventPlacement {
  SequenceNumber sequence;
  StreamVersion version;
  std::int64_t recorded_at_us = 0;
  Hash256 previous_hash{};
};

class EventRecordBuilder {
 public:
  /// Builds the envelope of `draft` at `placement` and its hash. The envelope bytes stay
  /// valid until the next Build; the record is envelope() followed by hash().
  void Build(const CommandHeader& header, const EventDraft& draft, const EventPlacement& placement);
  std::string_view envelope() const;
  const Hash256& hash() const { return hash_; }

 private:
  flatbuffers::FlatBufferBuilder builder_{1024};
  Hash256 hash_{};
};

/// Checks a stored record's shape: long enough, and an envelope the FlatBuffers verifier
/// accepts. Sets `*envelope` to it. Says nothing of the chain: see the verify walk.
/// REQUIRES: `record` starts at an address aligned for FlatBuffers (8 bytes), as a
/// std::string's buffer does. RocksDB values do not: use CopyAndCheckRecord for them.
Status CheckRecordShape(std::string_view record, const schema::Envelope** envelope);

/// Copies `stored` (a value as RocksDB hands it out, at any address) into `*aligned`, then
/// checks it there; `*envelope` points into `*aligned`.
Status CopyAndCheckRecord(std::string_view stored, std::string* aligned,
                          const schema::Envelope** envelope);

std::string_view EnvelopeBytes(std::string_view record);
Hash256 StoredHash(std::string_view record);

}  // namespace ledger::log

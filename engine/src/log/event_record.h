// The stored form of one event, and how it is built and checked.
//
//   record   := envelope event_hash
//   envelope := FlatBuffers bytes of ledger.schema.Envelope (file identifier "LGEV")
//   event_hash := 32 bytes, SHA-256(previous_hash ‖ envelope)
//
// previous_hash is also inside the envelope, so each record proves its place in the chain.
// A record is built before its place in the chain is known (the writer thread builds, the
// commit thread links, see log_impl.h): Build leaves previous_hash and event_hash to
// LinkRecord, which writes both.
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
};

class EventRecordBuilder {
 public:
  /// Builds the envelope of `draft` at `placement`, its previous_hash all zero bytes until
  /// LinkRecord writes it. The envelope bytes stay valid until the next Build.
  void Build(const CommandHeader& header, const EventDraft& draft, const EventPlacement& placement);
  std::string_view envelope() const;
  /// Where in envelope() the 32 bytes of previous_hash are.
  std::size_t previous_hash_offset() const { return previous_hash_offset_; }

 private:
  flatbuffers::FlatBufferBuilder builder_{1024};
  std::size_t previous_hash_offset_ = 0;
};

/// Links the record in `record` (an envelope built by EventRecordBuilder, its previous_hash
/// at `previous_hash_offset`, then room for the event hash) after `*chain`: writes *chain as
/// its previous_hash and SHA-256(*chain ‖ envelope) as its hash, which becomes *chain.
void LinkRecord(char* record, std::size_t size, std::size_t previous_hash_offset, Hash256* chain);

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

// An event as read back from the log: its stored bytes, checked, with typed accessors.
//
// The bytes are owned, so a RecordedEvent outlives the read that produced it. The envelope
// accessor points into those bytes; it was verified by the FlatBuffers verifier when the
// event was read. Thread-safety: immutable after construction.
#pragma once

#include <string>
#include <string_view>

#include "ledger/engine/types.h"
#include "ledger/schema/envelope_generated.h"

namespace ledger {

class RecordedEvent {
 public:
  /// `record` is the stored value: envelope bytes followed by the 32-byte event hash.
  /// The caller has verified it (see event_record.h).
  explicit RecordedEvent(std::string record) : record_(std::move(record)) {}

  const schema::Envelope& envelope() const;
  SequenceNumber sequence() const { return SequenceNumber{envelope().sequence()}; }
  StreamVersion stream_version() const { return StreamVersion{envelope().stream_version()}; }
  std::string_view stream() const;
  schema::EventType type() const { return envelope().type(); }
  std::string_view payload() const;
  Hash256 hash() const;
  /// The whole stored record (envelope bytes and hash), as an auditor would hash it.
  const std::string& record() const { return record_; }

 private:
  std::string record_;
};

}  // namespace ledger

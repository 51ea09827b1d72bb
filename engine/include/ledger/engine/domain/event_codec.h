// The codec between domain events (events.h) and the payload bytes the log stores.
//
//   payload := FlatBuffers bytes of the events.fbs table named by the envelope's type
//              (no file identifier; the type travels in the envelope)
//
// Decoding verifies the buffer with the FlatBuffers verifier before reading it, so bytes from
// disk or from the wire can never make it read out of bounds. Fields added to a table later
// are optional: an older payload decodes with their defaults.
// Thread-safety: free functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "ledger/engine/domain/events.h"
#include "ledger/engine/status.h"
#include "ledger/schema/common_generated.h"

namespace ledger::domain {

/// The payload bytes of `event` (its type is TypeOf(event)).
std::string EncodeEvent(const Event& event);

/// The event in `payload`. kInvalidArgument when `type` is not a domain event type (Opaque
/// or unknown), kCorruption when the bytes do not verify as that type's table.
Result<Event> DecodeEvent(schema::EventType type, std::string_view payload);

}  // namespace ledger::domain

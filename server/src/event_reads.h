// Reading the log for a principal: ranges, streams and subscription chunks, filtered by
// visibility.h and bounded in events and bytes, then encoded as protocol Events.
// Thread-safety: free functions; they block on RocksDB, so the server runs them on its
// blocking pool, never on the io thread.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ledger/engine/domain/principal.h"
#include "ledger/engine/ledger.h"
#include "ledger/engine/recorded_event.h"
#include "ledger/schema/protocol_generated.h"

namespace ledger::server {

struct VisibleEvents {
  std::vector<RecordedEvent> events;
  /// Where the next read continues (sequence or version).
  std::uint64_t next = 0;
  /// The durable head when the read began.
  std::uint64_t head = 0;
  /// ReadStream: the stream does not exist or the principal may not see it.
  bool not_found = false;
  /// ReadStream: the principal sees the stream's organization but may not read it.
  bool forbidden = false;
};

/// Scans at most `max_count` events from `from` (≥ 1) and keeps the visible ones, stopping
/// early once they hold `max_bytes`.
Result<VisibleEvents> ReadVisibleRange(Ledger& ledger, const domain::Principal& principal,
                                       std::uint64_t from, std::size_t max_count,
                                       std::size_t max_bytes);

/// A stream's events from `from` (0: the first, or the last when backward).
Result<VisibleEvents> ReadVisibleStream(Ledger& ledger, const domain::Principal& principal,
                                        const std::string& stream, std::uint64_t from,
                                        bool backward, std::size_t max_count,
                                        std::size_t max_bytes);

/// The protocol vector of `events`: each envelope's bytes (aligned to 8 so a reader may use
/// them in place) and hash.
flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<protocol::Event>>> BuildEvents(
    flatbuffers::FlatBufferBuilder& builder, const std::vector<RecordedEvent>& events);

}  // namespace ledger::server

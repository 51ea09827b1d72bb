// The projector's reader: reads the log from a sequence on, decodes each event once, and
// hands batches of decoded events to the applier through a bounded queue, so reading and
// decoding the next batch overlaps with applying and writing this one.
//
// A batch holds up to `batch_events_max` consecutive events. When the log cannot be read or
// an event cannot be decoded, the reader sends the events before it plus the failure, and
// stops: the projector must not skip an event. Opaque events (not domain events) pass
// through undecoded.
// Thread-safety: a BatchReader is started and stopped by one owner.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "bounded_queue.h"
#include "ledger/engine/domain/events.h"
#include "ledger/engine/log.h"
#include "ledger/engine/recorded_event.h"
#include "ledger/engine/status.h"

namespace ledger::projections::internal {

struct DecodedBatch {
  std::vector<RecordedEvent> records;
  /// Aligned with `records`; empty for opaque events.
  std::vector<std::optional<domain::Event>> events;
  /// Not ok: the reader stopped after these events.
  Status failure;
};

using BatchQueue = BoundedQueue<DecodedBatch>;

class BatchReader {
 public:
  BatchReader(const Log& log, std::size_t batch_events_max, BatchQueue& queue)
      : log_(log), batch_events_max_(batch_events_max), queue_(queue) {}
  ~BatchReader() { Stop(); }

  /// Starts reading at `from`.
  void Start(SequenceNumber from);
  /// Stops and joins (the queue must be closed first if the reader may be blocked on it).
  void Stop();

 private:
  void Run(SequenceNumber from);
  /// Decodes `records` into a batch; stops at the first event that does not decode.
  static DecodedBatch Decode(std::vector<RecordedEvent> records);

  const Log& log_;
  const std::size_t batch_events_max_;
  BatchQueue& queue_;
  std::thread thread_;
  std::mutex mutex_;
  bool stopping_ = false;
};

}  // namespace ledger::projections::internal

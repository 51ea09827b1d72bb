#include "batch_reader.h"

#include <fmt/format.h>
#include <pthread.h>
#include <rocksdb/perf_level.h>

#include "ledger/engine/domain/event_codec.h"

namespace ledger::projections::internal {
namespace {
// How long the reader sleeps on the log before checking whether it must stop.
constexpr std::chrono::milliseconds kTailPoll{50};
}  // namespace

void BatchReader::Start(SequenceNumber from) {
  Stop();
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this, from] { Run(from); });
}

void BatchReader::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void BatchReader::Run(SequenceNumber from) {
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);  // As the applier (projector.cc).
  pthread_setname_np(pthread_self(), "views-reader");
  SequenceNumber next = from;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    auto records = log_.ReadRange(next, batch_events_max_);
    if (!records.ok()) {
      DecodedBatch failed;
      failed.failure = records.status();
      queue_.Push(std::move(failed));
      return;
    }
    if (records->empty()) {
      (void)log_.WaitForSequence(next, kTailPoll);
      continue;
    }
    next = records->back().sequence().Next();
    DecodedBatch batch = Decode(std::move(records).value());
    const bool failed = !batch.failure.ok();
    if (!queue_.Push(std::move(batch)) || failed) return;
  }
}

DecodedBatch BatchReader::Decode(std::vector<RecordedEvent> records) {
  DecodedBatch batch;
  batch.events.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const RecordedEvent& record = records[i];
    if (record.type() == schema::EventType::Opaque) {
      batch.events.emplace_back();
      continue;
    }
    Result<domain::Event> event = domain::DecodeEvent(record.type(), record.payload());
    if (!event.ok()) {
      batch.failure = Status(event.status().code(),
                             fmt::format("event {} cannot be decoded: {}", record.sequence().value,
                                         event.status().message()));
      records.erase(records.begin() + static_cast<std::ptrdiff_t>(i), records.end());
      break;
    }
    batch.events.emplace_back(std::move(event).value());
  }
  batch.records = std::move(records);
  return batch;
}

}  // namespace ledger::projections::internal

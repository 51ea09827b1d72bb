// Fuzz target: stored event records as read from disk. Any bytes must be either refused by
// CheckRecordShape or readable field by field without going out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ledger/engine/recorded_event.h"
#include "log/event_record.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string record(reinterpret_cast<const char*>(data), size);
  const ledger::schema::Envelope* envelope = nullptr;
  if (!ledger::log::CheckRecordShape(record, &envelope).ok()) return 0;
  ledger::RecordedEvent event(record);
  std::size_t touched = event.stream().size() + event.payload().size();
  touched += event.sequence().value + event.stream_version().value;
  touched += static_cast<std::size_t>(event.type()) + event.hash()[0];
  for (const auto* text : {envelope->actor(), envelope->organization(), envelope->platform(),
                           envelope->idempotency_scope(), envelope->idempotency_key(),
                           envelope->correlation_id(), envelope->causation_id()}) {
    if (text != nullptr) touched += text->string_view().size();
  }
  for (const auto* bytes : {envelope->previous_hash(), envelope->command_fingerprint()}) {
    if (bytes != nullptr) touched += bytes->size();
  }
  return touched == 0 ? 0 : 0;
}

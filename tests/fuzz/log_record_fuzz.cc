// Fuzz target: stored event records and packs as read from disk. Any bytes must be either
// refused by CheckRecordShape or readable field by field without going out of bounds; read as
// an events key (the first 8 bytes) and a pack, they must be refused by PackView::Parse or give
// records that all lie inside the pack; read as an index key filter (the INDEX_FILTER file's
// body), they must be refused or give a filter that answers lookups within its memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ledger/engine/recorded_event.h"
#include "log/event_pack.h"
#include "log/event_record.h"
#include "log/key_filter.h"

namespace {

void ReadAsPack(std::string_view bytes) {
  if (bytes.size() < 8) return;
  ledger::log::PackView pack;
  if (ledger::log::PackView::Parse(bytes.substr(0, 8), bytes.substr(8), &pack)) return;
  const std::string_view value = bytes.substr(8);
  std::string aligned;
  for (std::size_t i = 0; i < pack.count(); ++i) {
    const std::string_view record = pack.record(i);
    if (record.data() < value.data() ||
        record.data() + record.size() > value.data() + value.size()) {
      __builtin_trap();  // A record outside its pack: Parse let a bad offset through.
    }
    const ledger::schema::Envelope* envelope = nullptr;
    (void)ledger::log::CopyAndCheckRecord(record, &aligned, &envelope);
  }
}

void ReadAsKeyFilter(std::string_view bytes) {
  ledger::log::KeyFilter filter(1);
  std::string_view rest = bytes;
  if (!filter.DecodeFrom(&rest)) return;
  if (rest.size() > bytes.size()) __builtin_trap();
  for (std::uint64_t probe = 0; probe < 64; ++probe) {
    (void)filter.MayContain(ledger::log::KeyHash{probe * 0x9E3779B97F4A7C15ull});
  }
  filter.Add(ledger::log::KeyHash{42});
  if (!filter.MayContain(ledger::log::KeyHash{42})) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ReadAsPack(std::string_view(reinterpret_cast<const char*>(data), size));
  ReadAsKeyFilter(std::string_view(reinterpret_cast<const char*>(data), size));
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

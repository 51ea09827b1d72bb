#include "ledger/engine/recorded_event.h"

#include <cstring>

namespace ledger {

namespace {
constexpr std::size_t kHashBytes = 32;
}

const schema::Envelope& RecordedEvent::envelope() const {
  return *schema::GetEnvelope(record_.data());
}

std::string_view RecordedEvent::stream() const {
  auto* stream = envelope().stream();
  return stream ? stream->string_view() : std::string_view();
}

std::string_view RecordedEvent::payload() const {
  auto* payload = envelope().payload();
  if (payload == nullptr) return {};
  return {reinterpret_cast<const char*>(payload->data()), payload->size()};
}

Hash256 RecordedEvent::hash() const {
  Hash256 hash{};
  std::memcpy(hash.data(), record_.data() + record_.size() - kHashBytes, kHashBytes);
  return hash;
}

}  // namespace ledger

#include "event_reads.h"

#include <algorithm>

#include "access.h"
#include "visibility.h"

namespace ledger::server {

Result<VisibleEvents> ReadVisibleRange(Ledger& ledger, const domain::Principal& principal,
                                       std::uint64_t from, std::size_t max_count,
                                       std::size_t max_bytes) {
  const Log& log = ledger.log();
  VisibleEvents out;
  out.head = log.Head().sequence.value;
  out.next = std::max<std::uint64_t>(from, 1);
  if (out.next > out.head || max_count == 0) return out;
  auto read = log.ReadRange(SequenceNumber{out.next}, max_count);
  if (!read.ok()) return read.status();
  std::size_t bytes = 0;
  for (RecordedEvent& event : *read) {
    if (bytes >= max_bytes) break;
    out.next = event.sequence().value + 1;
    if (!MayRead(ledger, principal, event.envelope())) continue;
    bytes += event.record().size();
    out.events.push_back(std::move(event));
  }
  return out;
}

Result<VisibleEvents> ReadVisibleStream(Ledger& ledger, const domain::Principal& principal,
                                        const std::string& stream, std::uint64_t from,
                                        bool backward, std::size_t max_count,
                                        std::size_t max_bytes) {
  const Log& log = ledger.log();
  VisibleEvents out;
  out.head = log.Head().sequence.value;
  StreamVersion start{from};
  if (backward && from == 0) start = StreamVersion{UINT64_MAX};
  if (!backward && from == 0) start = StreamVersion{1};
  // Even a read of no events reads one: whether the stream exists, and whether the principal
  // may see it, are answered the same way for every count.
  auto read =
      log.ReadStream(stream, start, backward ? ReadDirection::kBackward : ReadDirection::kForward,
                     std::max<std::size_t>(max_count, 1));
  if (!read.ok()) return read.status();
  if (read->empty()) {
    auto head = log.StreamHead(stream);
    if (!head.ok()) return head.status();
    out.not_found = head->value == 0;
    out.next = start.value;
    return out;
  }
  // Every event of a stream belongs to the same organization and platform.
  const schema::Envelope& first = read->front().envelope();
  if (!MayRead(ledger, principal, first)) {
    const bool same_environment = principal.environment == schema::Environment::Unspecified ||
                                  first.environment() == principal.environment;
    Access access = CheckAccess(ledger, principal, ReadActions(first.type()), TargetOf(first),
                                [&] { return same_environment; });
    out.forbidden = access == Access::kForbidden;
    out.not_found = !out.forbidden;
    return out;
  }
  if (max_count == 0) {
    out.next = start.value;
    return out;
  }
  std::size_t bytes = 0;
  for (RecordedEvent& event : *read) {
    if (bytes >= max_bytes) break;
    std::uint64_t version = event.stream_version().value;
    out.next = backward ? version - 1 : version + 1;
    bytes += event.record().size();
    out.events.push_back(std::move(event));
  }
  return out;
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<protocol::Event>>> BuildEvents(
    flatbuffers::FlatBufferBuilder& builder, const std::vector<RecordedEvent>& events) {
  std::vector<flatbuffers::Offset<protocol::Event>> offsets;
  offsets.reserve(events.size());
  for (const RecordedEvent& event : events) {
    const std::string& record = event.record();
    const std::size_t envelope_size = record.size() - 32;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(record.data());
    builder.ForceVectorAlignment(envelope_size, 1, 8);
    auto envelope = builder.CreateVector(bytes, envelope_size);
    auto hash = builder.CreateVector(bytes + envelope_size, 32);
    offsets.push_back(protocol::CreateEvent(builder, envelope, hash));
  }
  return builder.CreateVector(offsets);
}

}  // namespace ledger::server

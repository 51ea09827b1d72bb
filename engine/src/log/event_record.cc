#include "log/event_record.h"

#include <cstring>

#include "log/sha256.h"

namespace ledger::log {
namespace {

flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> Bytes(flatbuffers::FlatBufferBuilder& b,
                                                             const void* data, std::size_t size) {
  return b.CreateVector(static_cast<const std::uint8_t*>(data), size);
}

flatbuffers::Offset<flatbuffers::String> Text(flatbuffers::FlatBufferBuilder& b,
                                              std::string_view text) {
  return b.CreateString(text.data(), text.size());
}

}  // namespace

std::string EventRecordBuilder::Build(const CommandHeader& header, const EventDraft& draft,
                                      const EventPlacement& placement, Hash256* hash) {
  auto& b = builder_;
  b.Clear();
  const EventMetadata& m = header.metadata;
  auto stream = Text(b, draft.stream);
  auto actor = Text(b, m.actor);
  auto organization = Text(b, m.organization);
  auto platform = Text(b, m.platform);
  auto scope = Text(b, header.idempotency_scope);
  auto key = Text(b, header.idempotency_key);
  auto fingerprint = header.idempotency_key.empty()
                         ? flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>>()
                         : Bytes(b, header.fingerprint.data(), header.fingerprint.size());
  auto correlation = Text(b, m.correlation_id);
  auto causation = Text(b, m.causation_id);
  auto previous = Bytes(b, placement.previous_hash.data(), placement.previous_hash.size());
  auto payload = Bytes(b, draft.payload.data(), draft.payload.size());

  schema::EnvelopeBuilder envelope(b);
  envelope.add_sequence(placement.sequence.value);
  envelope.add_stream(stream);
  envelope.add_stream_version(placement.version.value);
  envelope.add_type(draft.type);
  envelope.add_recorded_at_us(placement.recorded_at_us);
  envelope.add_actor(actor);
  envelope.add_environment(m.environment);
  envelope.add_organization(organization);
  envelope.add_platform(platform);
  envelope.add_idempotency_scope(scope);
  envelope.add_idempotency_key(key);
  if (!header.idempotency_key.empty()) envelope.add_command_fingerprint(fingerprint);
  envelope.add_correlation_id(correlation);
  envelope.add_causation_id(causation);
  envelope.add_previous_hash(previous);
  envelope.add_payload(payload);
  b.Finish(envelope.Finish(), schema::EnvelopeIdentifier());

  std::string_view bytes(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  *hash = ChainHash(placement.previous_hash, bytes);
  std::string record;
  record.reserve(bytes.size() + kHashBytes);
  record.append(bytes);
  record.append(reinterpret_cast<const char*>(hash->data()), hash->size());
  return record;
}

Status CheckRecordShape(std::string_view record, const schema::Envelope** envelope) {
  if (record.size() <= kHashBytes) return Status::Corruption("event record is too short");
  std::string_view bytes = EnvelopeBytes(record);
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  if (!schema::VerifyEnvelopeBuffer(verifier)) {
    return Status::Corruption("event envelope fails FlatBuffers verification");
  }
  *envelope = schema::GetEnvelope(bytes.data());
  return Status::Ok();
}

std::string_view EnvelopeBytes(std::string_view record) {
  return record.substr(0, record.size() - kHashBytes);
}

Hash256 StoredHash(std::string_view record) {
  Hash256 hash{};
  std::memcpy(hash.data(), record.data() + record.size() - kHashBytes, kHashBytes);
  return hash;
}

}  // namespace ledger::log

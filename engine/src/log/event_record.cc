#include "log/event_record.h"

#include <cassert>
#include <cstdint>
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

void EventRecordBuilder::Build(const CommandHeader& header, const EventDraft& draft,
                               const EventPlacement& placement) {
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
  auto claim = draft.claim.empty() ? flatbuffers::Offset<flatbuffers::String>()
                                   : b.CreateString(draft.claim);
  const Hash256 unlinked{};
  auto previous = Bytes(b, unlinked.data(), unlinked.size());
  // The payload is a FlatBuffers buffer of its own with 8-byte fields: align it so readers
  // can use it in place.
  b.ForceVectorAlignment(draft.payload.size(), 1, 8);
  auto payload = Bytes(b, draft.payload.data(), draft.payload.size());

  schema::EnvelopeBuilder fields(b);
  fields.add_sequence(placement.sequence.value);
  fields.add_stream(stream);
  fields.add_stream_version(placement.version.value);
  fields.add_type(draft.type);
  fields.add_recorded_at_us(placement.recorded_at_us);
  fields.add_actor(actor);
  fields.add_environment(m.environment);
  fields.add_organization(organization);
  fields.add_platform(platform);
  fields.add_idempotency_scope(scope);
  fields.add_idempotency_key(key);
  if (!header.idempotency_key.empty()) fields.add_command_fingerprint(fingerprint);
  fields.add_correlation_id(correlation);
  fields.add_causation_id(causation);
  fields.add_previous_hash(previous);
  fields.add_payload(payload);
  if (!draft.claim.empty()) fields.add_claim(claim);
  b.Finish(fields.Finish(), schema::EnvelopeIdentifier());

  const auto* start = b.GetBufferPointer();
  previous_hash_offset_ =
      static_cast<std::size_t>(schema::GetEnvelope(start)->previous_hash()->data() - start);
}

void LinkRecord(char* record, std::size_t size, std::size_t previous_hash_offset, Hash256* chain) {
  assert(size > kHashBytes && previous_hash_offset + kHashBytes <= size - kHashBytes);
  std::memcpy(record + previous_hash_offset, chain->data(), kHashBytes);
  *chain = ChainHash(*chain, std::string_view(record, size - kHashBytes));
  std::memcpy(record + size - kHashBytes, chain->data(), kHashBytes);
}

std::string_view EventRecordBuilder::envelope() const {
  return {reinterpret_cast<const char*>(builder_.GetBufferPointer()), builder_.GetSize()};
}

Status CopyAndCheckRecord(std::string_view stored, std::string* aligned,
                          const schema::Envelope** envelope) {
  aligned->assign(stored.data(), stored.size());
  return CheckRecordShape(*aligned, envelope);
}

Status CheckRecordShape(std::string_view record, const schema::Envelope** envelope) {
  assert(reinterpret_cast<std::uintptr_t>(record.data()) % 8 == 0);
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

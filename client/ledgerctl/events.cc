#include "events.h"

#include <flatbuffers/minireflect.h>

#include "ctl.h"
#include "ledger/schema/envelope_generated.h"
#include "ledger/schema/events_generated.h"

namespace ledger::ctl {
namespace {

namespace s = schema;

const flatbuffers::TypeTable* PayloadTable(s::EventType type) {
  switch (type) {
    case s::EventType::OrganizationCreated:
      return s::OrganizationCreatedTypeTable();
    case s::EventType::PlatformCreated:
      return s::PlatformCreatedTypeTable();
    case s::EventType::UserRegistered:
      return s::UserRegisteredTypeTable();
    case s::EventType::RoleGranted:
      return s::RoleGrantedTypeTable();
    case s::EventType::RoleRevoked:
      return s::RoleRevokedTypeTable();
    case s::EventType::ApiKeyIssued:
      return s::ApiKeyIssuedTypeTable();
    case s::EventType::ApiKeyRevoked:
      return s::ApiKeyRevokedTypeTable();
    case s::EventType::UserTokenIssued:
      return s::UserTokenIssuedTypeTable();
    case s::EventType::UserTokenRevoked:
      return s::UserTokenRevokedTypeTable();
    case s::EventType::BankAccountAdded:
      return s::BankAccountAddedTypeTable();
    case s::EventType::OrderCreated:
      return s::OrderCreatedTypeTable();
    case s::EventType::OrderCancelled:
      return s::OrderCancelledTypeTable();
    case s::EventType::TransactionCreated:
      return s::TransactionCreatedTypeTable();
    case s::EventType::OperationRecorded:
      return s::OperationRecordedTypeTable();
    case s::EventType::WithdrawalRequested:
      return s::WithdrawalRequestedTypeTable();
    case s::EventType::WithdrawalSettled:
      return s::WithdrawalSettledTypeTable();
    case s::EventType::WithdrawalFailed:
      return s::WithdrawalFailedTypeTable();
    case s::EventType::Opaque:
      break;
  }
  return nullptr;
}

/// The envelope, copied so that its scalars are aligned whatever the frame's layout.
const s::Envelope* Envelope(const protocol::Event& event, std::string* storage) {
  if (event.envelope() == nullptr) return nullptr;
  storage->assign(reinterpret_cast<const char*>(event.envelope()->data()),
                  event.envelope()->size());
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(storage->data()),
                                 storage->size());
  if (!verifier.VerifyBuffer<s::Envelope>(nullptr)) return nullptr;
  return flatbuffers::GetRoot<s::Envelope>(storage->data());
}

nlohmann::json PayloadJson(const s::Envelope& envelope) {
  const auto* table = PayloadTable(envelope.type());
  const auto* payload = envelope.payload();
  if (table == nullptr || payload == nullptr) return Hex(payload);
  std::string copy(reinterpret_cast<const char*>(payload->data()), payload->size());
  flatbuffers::ToStringVisitor visitor("", true, "", false);
  flatbuffers::IterateFlatBuffer(reinterpret_cast<const std::uint8_t*>(copy.data()), table,
                                 &visitor);
  auto parsed = nlohmann::json::parse(visitor.s, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json(Hex(payload)) : parsed;
}

}  // namespace

nlohmann::json EventJson(const protocol::Event& event) {
  std::string storage;
  const s::Envelope* envelope = Envelope(event, &storage);
  if (envelope == nullptr) return {{"error", "unreadable envelope"}};
  return {{"sequence", envelope->sequence()},
          {"stream", Text(envelope->stream())},
          {"stream_version", envelope->stream_version()},
          {"type", s::EnumNameEventType(envelope->type())},
          {"recorded_at", FormatTime(envelope->recorded_at_us())},
          {"actor", Text(envelope->actor())},
          {"environment", s::EnumNameEnvironment(envelope->environment())},
          {"organization", Text(envelope->organization())},
          {"platform", Text(envelope->platform())},
          {"idempotency_key", Text(envelope->idempotency_key())},
          {"correlation_id", Text(envelope->correlation_id())},
          {"previous_hash", Hex(envelope->previous_hash())},
          {"hash", Hex(event.hash())},
          {"payload", PayloadJson(*envelope)}};
}

const std::vector<std::string>& EventColumns() {
  static const std::vector<std::string> kColumns = {"SEQUENCE", "RECORDED AT", "TYPE",
                                                    "STREAM",   "VERSION",     "ACTOR"};
  return kColumns;
}

std::vector<std::string> EventRow(const protocol::Event& event) {
  std::string storage;
  const s::Envelope* envelope = Envelope(event, &storage);
  if (envelope == nullptr) return {"?", "", "unreadable envelope"};
  return {std::to_string(envelope->sequence()),       FormatTime(envelope->recorded_at_us()),
          s::EnumNameEventType(envelope->type()),     Text(envelope->stream()),
          std::to_string(envelope->stream_version()), Text(envelope->actor())};
}

}  // namespace ledger::ctl

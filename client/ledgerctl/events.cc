#include "events.h"

#include "ctl.h"
#include "ledger/schema/envelope_generated.h"
#include "ledger/schema/events_generated.h"
#include "response_json.h"

namespace ledger::ctl {
namespace {

namespace s = schema;

/// How to read one event type's payload: its verifier and its type table.
struct PayloadKind {
  const flatbuffers::TypeTable* table = nullptr;
  bool (*verify)(flatbuffers::Verifier&) = nullptr;
};

template <typename T>
PayloadKind Kind() {
  return {T::MiniReflectTypeTable(),
          [](flatbuffers::Verifier& verifier) { return verifier.VerifyBuffer<T>(nullptr); }};
}

PayloadKind PayloadKindOf(s::EventType type) {
  switch (type) {
    case s::EventType::OrganizationCreated:
      return Kind<s::OrganizationCreated>();
    case s::EventType::PlatformCreated:
      return Kind<s::PlatformCreated>();
    case s::EventType::UserRegistered:
      return Kind<s::UserRegistered>();
    case s::EventType::RoleGranted:
      return Kind<s::RoleGranted>();
    case s::EventType::RoleRevoked:
      return Kind<s::RoleRevoked>();
    case s::EventType::ApiKeyIssued:
      return Kind<s::ApiKeyIssued>();
    case s::EventType::ApiKeyRevoked:
      return Kind<s::ApiKeyRevoked>();
    case s::EventType::UserTokenIssued:
      return Kind<s::UserTokenIssued>();
    case s::EventType::UserTokenRevoked:
      return Kind<s::UserTokenRevoked>();
    case s::EventType::BankAccountAdded:
      return Kind<s::BankAccountAdded>();
    case s::EventType::OrderCreated:
      return Kind<s::OrderCreated>();
    case s::EventType::OrderCancelled:
      return Kind<s::OrderCancelled>();
    case s::EventType::TransactionCreated:
      return Kind<s::TransactionCreated>();
    case s::EventType::OperationRecorded:
      return Kind<s::OperationRecorded>();
    case s::EventType::WithdrawalRequested:
      return Kind<s::WithdrawalRequested>();
    case s::EventType::WithdrawalSettled:
      return Kind<s::WithdrawalSettled>();
    case s::EventType::WithdrawalFailed:
      return Kind<s::WithdrawalFailed>();
    case s::EventType::Opaque:
      break;
  }
  return {};
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
  const PayloadKind kind = PayloadKindOf(envelope.type());
  const auto* payload = envelope.payload();
  if (kind.table == nullptr || payload == nullptr) return Hex(payload);
  // Copied, so that the payload's scalars are aligned, and verified like any buffer read.
  std::string copy(reinterpret_cast<const char*>(payload->data()), payload->size());
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(copy.data()), copy.size());
  if (!kind.verify(verifier)) return Hex(payload);
  return TableJson(flatbuffers::GetRoot<std::uint8_t>(copy.data()), kind.table);
}

}  // namespace

nlohmann::json EventJson(const protocol::Event& event) {
  std::string storage;
  const s::Envelope* envelope = Envelope(event, &storage);
  if (envelope == nullptr) return {{"error", "unreadable envelope"}};
  nlohmann::json json =
      TableJson(reinterpret_cast<const std::uint8_t*>(envelope), s::EnvelopeTypeTable());
  json["payload"] = PayloadJson(*envelope);
  json["hash"] = Hex(event.hash());
  return json;
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

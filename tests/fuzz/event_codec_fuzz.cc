// Fuzz target: domain event payloads. The first byte picks an event type, the rest is the
// payload. Any bytes must be refused or decoded; a decoded event must survive a round trip
// through the encoder unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ledger/engine/domain/event_codec.h"

namespace {

constexpr ledger::schema::EventType kTypes[] = {
    ledger::schema::EventType::Opaque,
    ledger::schema::EventType::OrganizationCreated,
    ledger::schema::EventType::PlatformCreated,
    ledger::schema::EventType::UserRegistered,
    ledger::schema::EventType::RoleGranted,
    ledger::schema::EventType::RoleRevoked,
    ledger::schema::EventType::ApiKeyIssued,
    ledger::schema::EventType::ApiKeyRevoked,
    ledger::schema::EventType::UserTokenIssued,
    ledger::schema::EventType::UserTokenRevoked,
    ledger::schema::EventType::BankAccountAdded,
    ledger::schema::EventType::OrderCreated,
    ledger::schema::EventType::OrderCancelled,
    ledger::schema::EventType::TransactionCreated,
    ledger::schema::EventType::OperationRecorded,
    ledger::schema::EventType::WithdrawalRequested,
    ledger::schema::EventType::WithdrawalSettled,
    ledger::schema::EventType::WithdrawalFailed,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto type = kTypes[data[0] % (sizeof kTypes / sizeof kTypes[0])];
  std::string_view payload(reinterpret_cast<const char*>(data + 1), size - 1);
  auto decoded = ledger::domain::DecodeEvent(type, payload);
  if (!decoded.ok()) return 0;
  auto again = ledger::domain::DecodeEvent(type, ledger::domain::EncodeEvent(*decoded));
  if (!again.ok() || !(*again == *decoded)) std::abort();
  return 0;
}

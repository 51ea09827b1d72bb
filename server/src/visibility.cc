#include "visibility.h"

#include <span>

namespace ledger::server {
namespace {

using domain::Action;
using schema::EventType;

constexpr Action kPaymentReaders[] = {Action::kViewPayments};
constexpr Action kWithdrawalReaders[] = {Action::kViewReports, Action::kRequestWithdrawals,
                                         Action::kRecordWithdrawalOutcomes};
constexpr Action kBankAccountReaders[] = {Action::kViewReports, Action::kAddBankAccounts,
                                          Action::kRecordWithdrawalOutcomes};
constexpr Action kPlatformReaders[] = {Action::kCreatePlatforms, Action::kManageApiKeys};
constexpr Action kOrganizationReaders[] = {Action::kManageUsers};

}  // namespace

std::span<const Action> ReadActions(EventType type) {
  switch (type) {
    case EventType::OrderCreated:
    case EventType::OrderCancelled:
    case EventType::TransactionCreated:
    case EventType::OperationRecorded:
      return kPaymentReaders;
    case EventType::WithdrawalRequested:
    case EventType::WithdrawalSettled:
    case EventType::WithdrawalFailed:
      return kWithdrawalReaders;
    case EventType::BankAccountAdded:
      return kBankAccountReaders;
    case EventType::PlatformCreated:
    case EventType::ApiKeyIssued:
    case EventType::ApiKeyRevoked:
      return kPlatformReaders;
    case EventType::OrganizationCreated:
    case EventType::RoleGranted:
    case EventType::RoleRevoked:
      return kOrganizationReaders;
    case EventType::Opaque:
    case EventType::UserRegistered:
    case EventType::UserTokenIssued:
    case EventType::UserTokenRevoked:
      break;
  }
  return {};
}

namespace {

bool IsOrganizationLevel(EventType type) {
  return type == EventType::OrganizationCreated || type == EventType::RoleGranted ||
         type == EventType::RoleRevoked;
}

std::string_view View(const flatbuffers::String* text) {
  return text == nullptr ? std::string_view() : text->string_view();
}

}  // namespace

domain::Target TargetOf(const schema::Envelope& envelope) {
  domain::Target target;
  target.organization = View(envelope.organization());
  target.platform =
      IsOrganizationLevel(envelope.type()) ? std::string_view() : View(envelope.platform());
  target.environment = envelope.environment();
  return target;
}

bool MayRead(const Ledger& ledger, const domain::Principal& principal,
             const schema::Envelope& envelope) {
  if (principal.kind == domain::PrincipalKind::kRoot) return true;
  const domain::Target target = TargetOf(envelope);
  if (target.organization.empty()) return false;
  for (Action action : ReadActions(envelope.type())) {
    if (ledger.Allowed(principal, action, target)) return true;
  }
  return false;
}

}  // namespace ledger::server

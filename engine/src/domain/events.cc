#include "ledger/engine/domain/events.h"

#include <type_traits>

namespace ledger::domain {
namespace {

template <typename E>
struct EventTraits;

#define LEDGER_EVENT_TRAITS(Name)                                       \
  template <>                                                           \
  struct EventTraits<Name> {                                            \
    static constexpr schema::EventType kType = schema::EventType::Name; \
    static constexpr std::string_view kName = #Name;                    \
  }

LEDGER_EVENT_TRAITS(OrganizationCreated);
LEDGER_EVENT_TRAITS(PlatformCreated);
LEDGER_EVENT_TRAITS(UserRegistered);
LEDGER_EVENT_TRAITS(RoleGranted);
LEDGER_EVENT_TRAITS(RoleRevoked);
LEDGER_EVENT_TRAITS(ApiKeyIssued);
LEDGER_EVENT_TRAITS(ApiKeyRevoked);
LEDGER_EVENT_TRAITS(UserTokenIssued);
LEDGER_EVENT_TRAITS(UserTokenRevoked);
LEDGER_EVENT_TRAITS(BankAccountAdded);
LEDGER_EVENT_TRAITS(OrderCreated);
LEDGER_EVENT_TRAITS(OrderCancelled);
LEDGER_EVENT_TRAITS(TransactionCreated);
LEDGER_EVENT_TRAITS(OperationRecorded);
LEDGER_EVENT_TRAITS(WithdrawalRequested);
LEDGER_EVENT_TRAITS(WithdrawalSettled);
LEDGER_EVENT_TRAITS(WithdrawalFailed);

#undef LEDGER_EVENT_TRAITS

std::string Join(std::string_view kind, std::string_view a, std::string_view b = {}) {
  std::string name;
  name.reserve(kind.size() + a.size() + b.size() + 2);
  name.append(kind).push_back('/');
  name.append(a);
  if (!b.empty()) name.append("/").append(b);
  return name;
}

}  // namespace

schema::EventType TypeOf(const Event& event) {
  return std::visit([](const auto& e) { return EventTraits<std::decay_t<decltype(e)>>::kType; },
                    event);
}

std::string_view EventName(const Event& event) {
  return std::visit([](const auto& e) { return EventTraits<std::decay_t<decltype(e)>>::kName; },
                    event);
}

std::string OrganizationStream(std::string_view organization_id) {
  return Join("organization", organization_id);
}
std::string PlatformStream(std::string_view platform_id) { return Join("platform", platform_id); }
std::string UserStream(std::string_view user_id) { return Join("user", user_id); }
std::string OrderStream(std::string_view platform_id, std::string_view order_id) {
  return Join("order", platform_id, order_id);
}
std::string WalletStream(std::string_view platform_id, std::string_view currency) {
  return Join("wallet", platform_id, currency);
}

bool IsDomainStream(std::string_view stream) {
  const std::size_t slash = stream.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view kind = stream.substr(0, slash);
  return kind == "organization" || kind == "platform" || kind == "user" || kind == "order" ||
         kind == "wallet";
}

std::string StreamOf(const Event& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, OrganizationCreated> || std::is_same_v<E, RoleGranted> ||
                      std::is_same_v<E, RoleRevoked>) {
          return OrganizationStream(e.organization_id);
        } else if constexpr (std::is_same_v<E, PlatformCreated> ||
                             std::is_same_v<E, ApiKeyIssued> || std::is_same_v<E, ApiKeyRevoked> ||
                             std::is_same_v<E, BankAccountAdded>) {
          return PlatformStream(e.platform_id);
        } else if constexpr (std::is_same_v<E, UserRegistered> ||
                             std::is_same_v<E, UserTokenIssued> ||
                             std::is_same_v<E, UserTokenRevoked>) {
          return UserStream(e.user_id);
        } else if constexpr (std::is_same_v<E, OrderCreated> || std::is_same_v<E, OrderCancelled> ||
                             std::is_same_v<E, TransactionCreated> ||
                             std::is_same_v<E, OperationRecorded>) {
          return OrderStream(e.platform_id, e.order_id);
        } else {
          return WalletStream(e.platform_id, e.currency);
        }
      },
      event);
}

}  // namespace ledger::domain

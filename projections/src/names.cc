// The names of the read side's enumerations, as documents, CSV exports and the CLI show them.
#include <array>

#include "ledger/projections/types.h"

namespace ledger::projections {
namespace {

constexpr std::array<std::string_view, kProjectionCount> kProjectionNames = {
    "directory", "payments", "accounting", "audit"};
constexpr std::array<std::string_view, kOrderStatusCount> kOrderStatusNames = {
    "open", "partially_paid", "paid", "refunded", "cancelled"};
constexpr std::array<std::string_view, 5> kTransactionStatusNames = {
    "pending", "authorized", "captured", "cancelled", "failed"};
constexpr std::array<std::string_view, 3> kWithdrawalStatusNames = {"requested", "settled",
                                                                    "failed"};

template <typename Enum, std::size_t N>
std::string_view NameIn(const std::array<std::string_view, N>& names, Enum value) {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : std::string_view("unknown");
}

template <typename Enum, std::size_t N>
bool Parse(const std::array<std::string_view, N>& names, std::string_view name, Enum* out) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) {
      *out = static_cast<Enum>(i);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view ProjectionName(ProjectionId id) { return NameIn(kProjectionNames, id); }
bool ParseProjectionName(std::string_view name, ProjectionId* out) {
  return Parse(kProjectionNames, name, out);
}

std::string_view OrderStatusName(OrderStatus status) { return NameIn(kOrderStatusNames, status); }
bool ParseOrderStatus(std::string_view name, OrderStatus* out) {
  return Parse(kOrderStatusNames, name, out);
}

std::string_view TransactionStatusName(TransactionStatus status) {
  return NameIn(kTransactionStatusNames, status);
}

std::string_view WithdrawalStatusName(WithdrawalStatus status) {
  return NameIn(kWithdrawalStatusNames, status);
}
bool ParseWithdrawalStatus(std::string_view name, WithdrawalStatus* out) {
  return Parse(kWithdrawalStatusNames, name, out);
}

std::string_view EnvironmentName(schema::Environment environment) {
  switch (environment) {
    case schema::Environment::Sandbox:
      return "sandbox";
    case schema::Environment::Production:
      return "production";
    default:
      return "unspecified";
  }
}

}  // namespace ledger::projections

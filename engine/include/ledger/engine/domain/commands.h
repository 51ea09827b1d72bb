// The commands of the payment domain: what a principal asks the ledger to do.
//
// Commands are imperative and carry only what the caller knows; the domain decides each one
// against current state (docs/domain.md lists every rule and the order of the checks) and
// either turns it into exactly one event (events.h) or rejects it with a named ResultCode.
// Secrets never enter the domain: key and token commands carry the SHA-256 of a secret the
// caller generated (Ledger::GenerateSecret).
//
// Every command lists its fields once, as `kFields` (the names used by scenario files and
// canonical encodings) and `Tie` (the members, in the same order); ForEachField visits them.
// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "ledger/engine/domain/principal.h"
#include "ledger/engine/types.h"
#include "ledger/schema/common_generated.h"

namespace ledger::domain {

// ---- Directory ----------------------------------------------------------------------------

struct CreateOrganization {
  static constexpr std::string_view kName = "create_organization";
  static constexpr std::array<std::string_view, 2> kFields = {"organization", "name"};
  std::string organization_id;
  std::string name;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.organization_id, s.name);
  }
  bool operator==(const CreateOrganization&) const = default;
};

struct CreatePlatform {
  static constexpr std::string_view kName = "create_platform";
  static constexpr std::array<std::string_view, 4> kFields = {"organization", "platform", "name",
                                                              "environment"};
  std::string organization_id;
  std::string platform_id;
  std::string name;
  schema::Environment environment = schema::Environment::Unspecified;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.organization_id, s.platform_id, s.name, s.environment);
  }
  bool operator==(const CreatePlatform&) const = default;
};

struct RegisterUser {
  static constexpr std::string_view kName = "register_user";
  static constexpr std::array<std::string_view, 3> kFields = {"user", "email", "name"};
  std::string user_id;
  std::string email;
  std::string display_name;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.user_id, s.email, s.display_name);
  }
  bool operator==(const RegisterUser&) const = default;
};

/// Gives a user a role in an organization, replacing the role they had there.
struct GrantRole {
  static constexpr std::string_view kName = "grant_role";
  static constexpr std::array<std::string_view, 5> kFields = {"organization", "user", "role",
                                                              "all_platforms", "platforms"};
  std::string organization_id;
  std::string user_id;
  schema::Role role = schema::Role::Unspecified;
  /// True: every platform of the organization, present and future. False: `platform_ids`.
  bool all_platforms = false;
  std::vector<std::string> platform_ids;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.organization_id, s.user_id, s.role, s.all_platforms, s.platform_ids);
  }
  bool operator==(const GrantRole&) const = default;
};

struct RevokeRole {
  static constexpr std::string_view kName = "revoke_role";
  static constexpr std::array<std::string_view, 2> kFields = {"organization", "user"};
  std::string organization_id;
  std::string user_id;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.organization_id, s.user_id);
  }
  bool operator==(const RevokeRole&) const = default;
};

struct IssueApiKey {
  static constexpr std::string_view kName = "issue_api_key";
  static constexpr std::array<std::string_view, 3> kFields = {"platform", "key", "secret_sha256"};
  std::string platform_id;
  std::string key_id;
  Hash256 secret_sha256{};
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.platform_id, s.key_id, s.secret_sha256);
  }
  bool operator==(const IssueApiKey&) const = default;
};

struct RevokeApiKey {
  static constexpr std::string_view kName = "revoke_api_key";
  static constexpr std::array<std::string_view, 2> kFields = {"platform", "key"};
  std::string platform_id;
  std::string key_id;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.platform_id, s.key_id);
  }
  bool operator==(const RevokeApiKey&) const = default;
};

struct IssueUserToken {
  static constexpr std::string_view kName = "issue_user_token";
  static constexpr std::array<std::string_view, 3> kFields = {"user", "token", "secret_sha256"};
  std::string user_id;
  std::string token_id;
  Hash256 secret_sha256{};
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.user_id, s.token_id, s.secret_sha256);
  }
  bool operator==(const IssueUserToken&) const = default;
};

struct RevokeUserToken {
  static constexpr std::string_view kName = "revoke_user_token";
  static constexpr std::array<std::string_view, 2> kFields = {"user", "token"};
  std::string user_id;
  std::string token_id;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.user_id, s.token_id);
  }
  bool operator==(const RevokeUserToken&) const = default;
};

/// The full account number is only used to derive the masked one the event stores.
struct AddBankAccount {
  static constexpr std::string_view kName = "add_bank_account";
  static constexpr std::array<std::string_view, 5> kFields = {"platform", "bank_account", "holder",
                                                              "account_number", "currency"};
  std::string platform_id;
  std::string bank_account_id;
  std::string holder_name;
  std::string account_number;
  std::string currency;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.platform_id, s.bank_account_id, s.holder_name, s.account_number, s.currency);
  }
  bool operator==(const AddBankAccount&) const = default;
};

// ---- Payments -----------------------------------------------------------------------------

struct CreateOrder {
  static constexpr std::string_view kName = "create_order";
  static constexpr std::array<std::string_view, 6> kFields = {"platform", "order",  "amount",
                                                              "currency", "module", "reference"};
  std::string platform_id;
  std::string order_id;
  std::int64_t amount_minor = 0;
  std::string currency;
  std::string module;
  std::string reference;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.platform_id, s.order_id, s.amount_minor, s.currency, s.module, s.reference);
  }
  bool operator==(const CreateOrder&) const = default;
};

struct CancelOrder {
  static constexpr std::string_view kName = "cancel_order";
  static constexpr std::array<std::string_view, 3> kFields = {"platform", "order", "reason"};
  std::string platform_id;
  std::string order_id;
  std::string reason;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.platform_id, s.order_id, s.reason);
  }
  bool operator==(const CancelOrder&) const = default;
};

struct CreateTransaction {
  static constexpr std::string_view kName = "create_transaction";
  static constexpr std::array<std::string_view, 5> kFields = {"platform", "order", "transaction",
                                                              "amount", "currency"};
  std::string platform_id;
  std::string order_id;
  std::string transaction_id;
  std::int64_t amount_minor = 0;
  /// Optional: when given it must be the order's currency.
  std::string currency;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.platform_id, s.order_id, s.transaction_id, s.amount_minor, s.currency);
  }
  bool operator==(const CreateTransaction&) const = default;
};

struct RecordOperation {
  static constexpr std::string_view kName = "record_operation";
  static constexpr std::array<std::string_view, 10> kFields = {
      "platform", "order",  "transaction", "operation",          "kind",
      "outcome",  "amount", "currency",    "external_reference", "occurred_at_us"};
  std::string platform_id;
  std::string order_id;
  std::string transaction_id;
  std::string operation_id;
  schema::OperationKind kind = schema::OperationKind::Unspecified;
  schema::OperationOutcome outcome = schema::OperationOutcome::Unspecified;
  std::int64_t amount_minor = 0;
  /// Optional: when given it must be the order's currency.
  std::string currency;
  std::string external_reference;
  std::int64_t occurred_at_us = 0;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.platform_id, s.order_id, s.transaction_id, s.operation_id, s.kind, s.outcome,
                    s.amount_minor, s.currency, s.external_reference, s.occurred_at_us);
  }
  bool operator==(const RecordOperation&) const = default;
};

struct RequestWithdrawal {
  static constexpr std::string_view kName = "request_withdrawal";
  static constexpr std::array<std::string_view, 5> kFields = {"platform", "withdrawal",
                                                              "bank_account", "amount", "currency"};
  std::string platform_id;
  std::string withdrawal_id;
  std::string bank_account_id;
  std::int64_t amount_minor = 0;
  std::string currency;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.platform_id, s.withdrawal_id, s.bank_account_id, s.amount_minor, s.currency);
  }
  bool operator==(const RequestWithdrawal&) const = default;
};

struct SettleWithdrawal {
  static constexpr std::string_view kName = "settle_withdrawal";
  static constexpr std::array<std::string_view, 3> kFields = {"platform", "withdrawal",
                                                              "external_reference"};
  std::string platform_id;
  std::string withdrawal_id;
  std::string external_reference;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.platform_id, s.withdrawal_id, s.external_reference);
  }
  bool operator==(const SettleWithdrawal&) const = default;
};

struct FailWithdrawal {
  static constexpr std::string_view kName = "fail_withdrawal";
  static constexpr std::array<std::string_view, 3> kFields = {"platform", "withdrawal", "reason"};
  std::string platform_id;
  std::string withdrawal_id;
  std::string reason;
  template <typename S>
  static auto Tie(S& s) {
    return std::tie(s.platform_id, s.withdrawal_id, s.reason);
  }
  bool operator==(const FailWithdrawal&) const = default;
};

using Command = std::variant<CreateOrganization, CreatePlatform, RegisterUser, GrantRole,
                             RevokeRole, IssueApiKey, RevokeApiKey, IssueUserToken, RevokeUserToken,
                             AddBankAccount, CreateOrder, CancelOrder, CreateTransaction,
                             RecordOperation, RequestWithdrawal, SettleWithdrawal, FailWithdrawal>;

/// Calls `visit(name, member)` for each field of `command`, in kFields order.
template <typename C, typename Visitor>
void ForEachField(C& command, Visitor&& visit) {
  using Plain = std::remove_const_t<C>;
  auto fields = Plain::Tie(command);
  static_assert(std::tuple_size_v<decltype(fields)> == Plain::kFields.size(),
                "kFields and Tie must list the same fields");
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (visit(Plain::kFields[I], std::get<I>(fields)), ...);
  }
  (std::make_index_sequence<Plain::kFields.size()>{});
}

/// True when `id` is 1 to limits::kIdBytesMax bytes of [A-Za-z0-9_.:-] (no '/', no space).
bool IsValidId(std::string_view id);

/// An account number as the ledger records it: its last kAccountNumberDigitsShown characters,
/// the others replaced by '*' (a number no longer than that is kept as it is).
inline constexpr std::size_t kAccountNumberDigitsShown = 4;
std::string MaskAccountNumber(std::string_view number);

/// The command's kName ("create_order"...).
std::string_view CommandName(const Command& command);

/// The scope its idempotency key lives in: the platform id for commands on a platform, the
/// organization id for commands on an organization, "" for ledger-wide ones (users, tokens).
std::string_view IdempotencyScopeOf(const Command& command);

/// XXH3-128 of a canonical encoding of the command and the principal: a retry under the same
/// idempotency key is recognized only when both are identical, except that an AddBankAccount
/// is fingerprinted with its account number masked, as it is recorded.
Fingerprint FingerprintOf(const Principal& principal, const Command& command);

}  // namespace ledger::domain

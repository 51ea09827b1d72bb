// The events of the payment domain: facts, in the past tense, one struct per table of
// schema/events.fbs (same names, same fields). event_codec.h turns them into the payload
// bytes the log stores and back.
//
// An event holds everything needed to apply it and to derive its postings (postings.h)
// without looking anything up: replaying the log alone rebuilds state and journal.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/engine/types.h"
#include "ledger/schema/common_generated.h"

namespace ledger::domain {

// ---- Directory ----------------------------------------------------------------------------

struct OrganizationCreated {
  std::string organization_id;
  std::string name;
  bool operator==(const OrganizationCreated&) const = default;
};

struct PlatformCreated {
  std::string organization_id;
  std::string platform_id;
  std::string name;
  schema::Environment environment = schema::Environment::Unspecified;
  bool operator==(const PlatformCreated&) const = default;
};

struct UserRegistered {
  std::string user_id;
  std::string email;
  std::string display_name;
  bool operator==(const UserRegistered&) const = default;
};

struct RoleGranted {
  std::string organization_id;
  std::string user_id;
  schema::Role role = schema::Role::Unspecified;
  bool all_platforms = false;
  /// Sorted, without duplicates; empty when all_platforms.
  std::vector<std::string> platform_ids;
  bool operator==(const RoleGranted&) const = default;
};

struct RoleRevoked {
  std::string organization_id;
  std::string user_id;
  /// The role the user held until now.
  schema::Role role = schema::Role::Unspecified;
  bool operator==(const RoleRevoked&) const = default;
};

struct ApiKeyIssued {
  std::string organization_id;
  std::string platform_id;
  std::string key_id;
  Hash256 secret_sha256{};
  bool operator==(const ApiKeyIssued&) const = default;
};

struct ApiKeyRevoked {
  std::string organization_id;
  std::string platform_id;
  std::string key_id;
  bool operator==(const ApiKeyRevoked&) const = default;
};

struct UserTokenIssued {
  std::string user_id;
  std::string token_id;
  Hash256 secret_sha256{};
  bool operator==(const UserTokenIssued&) const = default;
};

struct UserTokenRevoked {
  std::string user_id;
  std::string token_id;
  bool operator==(const UserTokenRevoked&) const = default;
};

struct BankAccountAdded {
  std::string organization_id;
  std::string platform_id;
  std::string bank_account_id;
  std::string holder_name;
  std::string masked_account_number;
  std::string currency;
  bool operator==(const BankAccountAdded&) const = default;
};

// ---- Payments -----------------------------------------------------------------------------

struct OrderCreated {
  std::string platform_id;
  std::string order_id;
  std::int64_t amount_minor = 0;
  std::string currency;
  std::string module;
  std::string reference;
  bool operator==(const OrderCreated&) const = default;
};

struct OrderCancelled {
  std::string platform_id;
  std::string order_id;
  std::string reason;
  bool operator==(const OrderCancelled&) const = default;
};

struct TransactionCreated {
  std::string platform_id;
  std::string order_id;
  std::string transaction_id;
  std::int64_t amount_minor = 0;
  bool operator==(const TransactionCreated&) const = default;
};

struct OperationRecorded {
  std::string platform_id;
  std::string order_id;
  std::string transaction_id;
  std::string operation_id;
  schema::OperationKind kind = schema::OperationKind::Unspecified;
  schema::OperationOutcome outcome = schema::OperationOutcome::Unspecified;
  std::int64_t amount_minor = 0;
  /// Always the order's currency.
  std::string currency;
  std::string external_reference;
  std::int64_t occurred_at_us = 0;
  bool operator==(const OperationRecorded&) const = default;
};

struct WithdrawalRequested {
  std::string platform_id;
  std::string withdrawal_id;
  std::string bank_account_id;
  std::int64_t amount_minor = 0;
  std::string currency;
  bool operator==(const WithdrawalRequested&) const = default;
};

/// bank_account_id, amount_minor and currency repeat the request's, so the event alone
/// yields its postings.
struct WithdrawalSettled {
  std::string platform_id;
  std::string withdrawal_id;
  std::string external_reference;
  std::string bank_account_id;
  std::int64_t amount_minor = 0;
  std::string currency;
  bool operator==(const WithdrawalSettled&) const = default;
};

struct WithdrawalFailed {
  std::string platform_id;
  std::string withdrawal_id;
  std::string reason;
  std::string bank_account_id;
  std::int64_t amount_minor = 0;
  std::string currency;
  bool operator==(const WithdrawalFailed&) const = default;
};

using Event =
    std::variant<OrganizationCreated, PlatformCreated, UserRegistered, RoleGranted, RoleRevoked,
                 ApiKeyIssued, ApiKeyRevoked, UserTokenIssued, UserTokenRevoked, BankAccountAdded,
                 OrderCreated, OrderCancelled, TransactionCreated, OperationRecorded,
                 WithdrawalRequested, WithdrawalSettled, WithdrawalFailed>;

/// The payload type the log records for `event`.
schema::EventType TypeOf(const Event& event);
/// "OrganizationCreated", ... (the schema's table name).
std::string_view EventName(const Event& event);

// ---- Streams ------------------------------------------------------------------------------
// organization/<org>            OrganizationCreated, RoleGranted, RoleRevoked
// platform/<platform>           PlatformCreated, ApiKeyIssued/Revoked, BankAccountAdded
// user/<user>                   UserRegistered, UserTokenIssued/Revoked
// order/<platform>/<order>      OrderCreated/Cancelled, TransactionCreated, OperationRecorded
// wallet/<platform>/<CUR>       WithdrawalRequested/Settled/Failed
// Ids never contain '/', so every name parses back unambiguously.

std::string OrganizationStream(std::string_view organization_id);
std::string PlatformStream(std::string_view platform_id);
std::string UserStream(std::string_view user_id);
std::string OrderStream(std::string_view platform_id, std::string_view order_id);
std::string WalletStream(std::string_view platform_id, std::string_view currency);
/// The stream `event` belongs to.
std::string StreamOf(const Event& event);
/// Whether `stream` is named like a domain stream ("<kind>/..." for the five kinds above):
/// only the domain writes those; opaque appends to them are refused.
bool IsDomainStream(std::string_view stream);

}  // namespace ledger::domain

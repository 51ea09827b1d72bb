// Building the commands of an ExecuteCommands request, one function per domain command
// (docs/domain.md describes each; the fields mirror protocol.fbs). A batch is a list of
// CommandBuilders; ExecuteBatch() turns it into the request body.
//
//   client.Call(protocol::RequestBody::ExecuteCommands,
//               ExecuteBatch({CreateOrder("shop", "o-1", 2500, "EUR", "checkout", "c-1",
//                                         WithKey("o-1/create"))}));
//   CreateTransaction("shop", "o-1", "t-1", 2500, WithKey("t-1").ExpectVersion(1));
//
// Issuing a key or a token takes the SHA-256 of a secret the caller generated: the secret
// itself never travels. Thread-safety: pure functions.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ledger/client/connection.h"
#include "ledger/schema/protocol_generated.h"

namespace ledger::client {

struct CommandOptions {
  std::string idempotency_key;
  std::string correlation_id;
  std::string causation_id;
  /// Optimistic concurrency on the command's stream (docs/domain.md §3 names it): Any (the
  /// default), NoStream (it must not exist yet) or Exact (its last version must be
  /// `expected_version`, as a previous CommandResult's stream_version or a ReadStream says).
  /// When it does not hold the result is Conflict `wrong_expected_version`.
  protocol::ExpectedKind expected_kind = protocol::ExpectedKind::Any;
  std::uint64_t expected_version = 0;

  CommandOptions& ExpectNoStream() {
    expected_kind = protocol::ExpectedKind::NoStream;
    expected_version = 0;
    return *this;
  }
  CommandOptions& ExpectVersion(std::uint64_t version) {
    expected_kind = protocol::ExpectedKind::Exact;
    expected_version = version;
    return *this;
  }
};
/// Options holding only an idempotency key.
inline CommandOptions WithKey(std::string idempotency_key) {
  CommandOptions options;
  options.idempotency_key = std::move(idempotency_key);
  return options;
}

using CommandBuilder =
    std::function<flatbuffers::Offset<protocol::CommandInput>(flatbuffers::FlatBufferBuilder&)>;
using SecretHash = std::array<std::uint8_t, 32>;

BodyBuilder ExecuteBatch(std::vector<CommandBuilder> commands);

CommandBuilder CreateOrganization(std::string organization_id, std::string name,
                                  CommandOptions options = {});
CommandBuilder CreatePlatform(std::string organization_id, std::string platform_id,
                              std::string name, schema::Environment environment,
                              CommandOptions options = {});
CommandBuilder RegisterUser(std::string user_id, std::string email, std::string display_name,
                            CommandOptions options = {});
/// An empty `platform_ids` grants the role on every platform of the organization.
CommandBuilder GrantRole(std::string organization_id, std::string user_id, schema::Role role,
                         std::vector<std::string> platform_ids, CommandOptions options = {});
CommandBuilder RevokeRole(std::string organization_id, std::string user_id,
                          CommandOptions options = {});
CommandBuilder IssueApiKey(std::string platform_id, std::string key_id, SecretHash secret_sha256,
                           CommandOptions options = {});
CommandBuilder RevokeApiKey(std::string platform_id, std::string key_id,
                            CommandOptions options = {});
CommandBuilder IssueUserToken(std::string user_id, std::string token_id, SecretHash secret_sha256,
                              CommandOptions options = {});
CommandBuilder RevokeUserToken(std::string user_id, std::string token_id,
                               CommandOptions options = {});
CommandBuilder AddBankAccount(std::string platform_id, std::string bank_account_id,
                              std::string holder_name, std::string account_number,
                              std::string currency, CommandOptions options = {});
CommandBuilder CreateOrder(std::string platform_id, std::string order_id, std::int64_t amount_minor,
                           std::string currency, std::string module, std::string reference,
                           CommandOptions options = {});
CommandBuilder CancelOrder(std::string platform_id, std::string order_id, std::string reason,
                           CommandOptions options = {});
CommandBuilder CreateTransaction(std::string platform_id, std::string order_id,
                                 std::string transaction_id, std::int64_t amount_minor,
                                 CommandOptions options = {});
struct OperationFields {
  std::string platform_id;
  std::string order_id;
  std::string transaction_id;
  std::string operation_id;
  schema::OperationKind kind = schema::OperationKind::Unspecified;
  schema::OperationOutcome outcome = schema::OperationOutcome::Succeeded;
  std::int64_t amount_minor = 0;
  std::string external_reference;
  std::int64_t occurred_at_us = 0;
};
CommandBuilder RecordOperation(OperationFields fields, CommandOptions options = {});
CommandBuilder RequestWithdrawal(std::string platform_id, std::string withdrawal_id,
                                 std::string bank_account_id, std::int64_t amount_minor,
                                 std::string currency, CommandOptions options = {});
CommandBuilder SettleWithdrawal(std::string platform_id, std::string withdrawal_id,
                                std::string external_reference, CommandOptions options = {});
CommandBuilder FailWithdrawal(std::string platform_id, std::string withdrawal_id,
                              std::string reason, CommandOptions options = {});

}  // namespace ledger::client

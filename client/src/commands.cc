#include "ledger/client/commands.h"

namespace ledger::client {
namespace {

namespace p = protocol;
using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

const char* OrNull(const std::string& text) { return text.empty() ? nullptr : text.c_str(); }

/// A CommandInput around the body `make` builds.
template <typename Make>
CommandBuilder Wrap(p::Command type, CommandOptions options, Make make) {
  return [type, options = std::move(options), make = std::move(make)](FlatBufferBuilder& b) {
    auto body = make(b).Union();
    return p::CreateCommandInputDirect(
        b, type, body, OrNull(options.idempotency_key), options.expected_kind,
        options.expected_version, OrNull(options.correlation_id), OrNull(options.causation_id));
  };
}

}  // namespace

BodyBuilder ExecuteBatch(std::vector<CommandBuilder> commands) {
  return [commands = std::move(commands)](FlatBufferBuilder& b) {
    std::vector<Offset<p::CommandInput>> inputs;
    inputs.reserve(commands.size());
    for (const auto& command : commands) inputs.push_back(command(b));
    return p::CreateExecuteCommandsDirect(b, &inputs).Union();
  };
}

CommandBuilder CreateOrganization(std::string organization, std::string name,
                                  CommandOptions options) {
  return Wrap(p::Command::CreateOrganization, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateCreateOrganizationDirect(b, organization.c_str(), name.c_str());
  });
}

CommandBuilder CreatePlatform(std::string organization, std::string platform, std::string name,
                              schema::Environment environment, CommandOptions options) {
  return Wrap(p::Command::CreatePlatform, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateCreatePlatformDirect(b, organization.c_str(), platform.c_str(), name.c_str(),
                                         environment);
  });
}

CommandBuilder RegisterUser(std::string user, std::string email, std::string display_name,
                            CommandOptions options) {
  return Wrap(p::Command::RegisterUser, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateRegisterUserDirect(b, user.c_str(), email.c_str(), display_name.c_str());
  });
}

CommandBuilder GrantRole(std::string organization, std::string user, schema::Role role,
                         std::vector<std::string> platforms, CommandOptions options) {
  return Wrap(p::Command::GrantRole, std::move(options), [=](FlatBufferBuilder& b) {
    std::vector<Offset<flatbuffers::String>> ids;
    for (const auto& platform : platforms) ids.push_back(b.CreateString(platform));
    return p::CreateGrantRoleDirect(b, organization.c_str(), user.c_str(), role, platforms.empty(),
                                    platforms.empty() ? nullptr : &ids);
  });
}

CommandBuilder RevokeRole(std::string organization, std::string user, CommandOptions options) {
  return Wrap(p::Command::RevokeRole, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateRevokeRoleDirect(b, organization.c_str(), user.c_str());
  });
}

CommandBuilder IssueApiKey(std::string platform, std::string key, SecretHash hash,
                           CommandOptions options) {
  return Wrap(p::Command::IssueApiKey, std::move(options), [=](FlatBufferBuilder& b) {
    std::vector<std::uint8_t> bytes(hash.begin(), hash.end());
    return p::CreateIssueApiKeyDirect(b, platform.c_str(), key.c_str(), &bytes);
  });
}

CommandBuilder RevokeApiKey(std::string platform, std::string key, CommandOptions options) {
  return Wrap(p::Command::RevokeApiKey, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateRevokeApiKeyDirect(b, platform.c_str(), key.c_str());
  });
}

CommandBuilder IssueUserToken(std::string user, std::string token, SecretHash hash,
                              CommandOptions options) {
  return Wrap(p::Command::IssueUserToken, std::move(options), [=](FlatBufferBuilder& b) {
    std::vector<std::uint8_t> bytes(hash.begin(), hash.end());
    return p::CreateIssueUserTokenDirect(b, user.c_str(), token.c_str(), &bytes);
  });
}

CommandBuilder RevokeUserToken(std::string user, std::string token, CommandOptions options) {
  return Wrap(p::Command::RevokeUserToken, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateRevokeUserTokenDirect(b, user.c_str(), token.c_str());
  });
}

CommandBuilder AddBankAccount(std::string platform, std::string account, std::string holder,
                              std::string number, std::string currency, CommandOptions options) {
  return Wrap(p::Command::AddBankAccount, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateAddBankAccountDirect(b, platform.c_str(), account.c_str(), holder.c_str(),
                                         number.c_str(), currency.c_str());
  });
}

CommandBuilder CreateOrder(std::string platform, std::string order, std::int64_t amount,
                           std::string currency, std::string module, std::string reference,
                           CommandOptions options) {
  return Wrap(p::Command::CreateOrder, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateCreateOrderDirect(b, platform.c_str(), order.c_str(), amount, currency.c_str(),
                                      module.c_str(), reference.c_str());
  });
}

CommandBuilder CancelOrder(std::string platform, std::string order, std::string reason,
                           CommandOptions options) {
  return Wrap(p::Command::CancelOrder, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateCancelOrderDirect(b, platform.c_str(), order.c_str(), reason.c_str());
  });
}

CommandBuilder CreateTransaction(std::string platform, std::string order, std::string transaction,
                                 std::int64_t amount, CommandOptions options) {
  return Wrap(p::Command::CreateTransaction, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateCreateTransactionDirect(b, platform.c_str(), order.c_str(), transaction.c_str(),
                                            amount);
  });
}

CommandBuilder RecordOperation(OperationFields f, CommandOptions options) {
  return Wrap(p::Command::RecordOperation, std::move(options), [f](FlatBufferBuilder& b) {
    return p::CreateRecordOperationDirect(b, f.platform_id.c_str(), f.order_id.c_str(),
                                          f.transaction_id.c_str(), f.operation_id.c_str(), f.kind,
                                          f.outcome, f.amount_minor, nullptr,
                                          OrNull(f.external_reference), f.occurred_at_us);
  });
}

CommandBuilder RequestWithdrawal(std::string platform, std::string withdrawal, std::string account,
                                 std::int64_t amount, std::string currency,
                                 CommandOptions options) {
  return Wrap(p::Command::RequestWithdrawal, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateRequestWithdrawalDirect(b, platform.c_str(), withdrawal.c_str(),
                                            account.c_str(), amount, currency.c_str());
  });
}

CommandBuilder SettleWithdrawal(std::string platform, std::string withdrawal, std::string reference,
                                CommandOptions options) {
  return Wrap(p::Command::SettleWithdrawal, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateSettleWithdrawalDirect(b, platform.c_str(), withdrawal.c_str(),
                                           reference.c_str());
  });
}

CommandBuilder FailWithdrawal(std::string platform, std::string withdrawal, std::string reason,
                              CommandOptions options) {
  return Wrap(p::Command::FailWithdrawal, std::move(options), [=](FlatBufferBuilder& b) {
    return p::CreateFailWithdrawalDirect(b, platform.c_str(), withdrawal.c_str(), reason.c_str());
  });
}

}  // namespace ledger::client

#include "command_decoder.h"

#include <fmt/format.h>

#include <algorithm>

namespace ledger::server {
namespace {

namespace p = protocol;
namespace d = domain;

std::string Text(const flatbuffers::String* text) {
  return text == nullptr ? std::string() : text->str();
}

bool ToHash(const flatbuffers::Vector<std::uint8_t>* bytes, Hash256* out) {
  if (bytes == nullptr || bytes->size() != out->size()) return false;
  std::copy(bytes->begin(), bytes->end(), out->begin());
  return true;
}

std::vector<std::string> Texts(
    const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* texts) {
  std::vector<std::string> out;
  if (texts == nullptr) return out;
  out.reserve(texts->size());
  for (const auto* text : *texts) out.push_back(Text(text));
  return out;
}

Result<d::Command> DecodeDirectory(const p::CommandInput& in) {
  switch (in.command_type()) {
    case p::Command::CreateOrganization: {
      const auto* c = in.command_as_CreateOrganization();
      if (c == nullptr) break;
      return d::Command(d::CreateOrganization{Text(c->organization_id()), Text(c->name())});
    }
    case p::Command::CreatePlatform: {
      const auto* c = in.command_as_CreatePlatform();
      if (c == nullptr) break;
      return d::Command(d::CreatePlatform{Text(c->organization_id()), Text(c->platform_id()),
                                          Text(c->name()), c->environment()});
    }
    case p::Command::RegisterUser: {
      const auto* c = in.command_as_RegisterUser();
      if (c == nullptr) break;
      return d::Command(
          d::RegisterUser{Text(c->user_id()), Text(c->email()), Text(c->display_name())});
    }
    case p::Command::GrantRole: {
      const auto* c = in.command_as_GrantRole();
      if (c == nullptr) break;
      return d::Command(d::GrantRole{Text(c->organization_id()), Text(c->user_id()), c->role(),
                                     c->all_platforms(), Texts(c->platform_ids())});
    }
    case p::Command::RevokeRole: {
      const auto* c = in.command_as_RevokeRole();
      if (c == nullptr) break;
      return d::Command(d::RevokeRole{Text(c->organization_id()), Text(c->user_id())});
    }
    case p::Command::IssueApiKey: {
      const auto* c = in.command_as_IssueApiKey();
      if (c == nullptr) break;
      d::IssueApiKey command{Text(c->platform_id()), Text(c->key_id()), {}};
      if (!ToHash(c->secret_sha256(), &command.secret_sha256)) {
        return Status::InvalidArgument("secret_sha256 must be 32 bytes");
      }
      return d::Command(std::move(command));
    }
    case p::Command::RevokeApiKey: {
      const auto* c = in.command_as_RevokeApiKey();
      if (c == nullptr) break;
      return d::Command(d::RevokeApiKey{Text(c->platform_id()), Text(c->key_id())});
    }
    case p::Command::IssueUserToken: {
      const auto* c = in.command_as_IssueUserToken();
      if (c == nullptr) break;
      d::IssueUserToken command{Text(c->user_id()), Text(c->token_id()), {}};
      if (!ToHash(c->secret_sha256(), &command.secret_sha256)) {
        return Status::InvalidArgument("secret_sha256 must be 32 bytes");
      }
      return d::Command(std::move(command));
    }
    case p::Command::RevokeUserToken: {
      const auto* c = in.command_as_RevokeUserToken();
      if (c == nullptr) break;
      return d::Command(d::RevokeUserToken{Text(c->user_id()), Text(c->token_id())});
    }
    case p::Command::AddBankAccount: {
      const auto* c = in.command_as_AddBankAccount();
      if (c == nullptr) break;
      return d::Command(d::AddBankAccount{Text(c->platform_id()), Text(c->bank_account_id()),
                                          Text(c->holder_name()), Text(c->account_number()),
                                          Text(c->currency())});
    }
    default:
      return Status::NotFound("not a directory command");
  }
  return Status::InvalidArgument("the command has no body");
}

Result<d::Command> DecodePayments(const p::CommandInput& in) {
  switch (in.command_type()) {
    case p::Command::CreateOrder: {
      const auto* c = in.command_as_CreateOrder();
      if (c == nullptr) break;
      return d::Command(d::CreateOrder{Text(c->platform_id()), Text(c->order_id()),
                                       c->amount_minor(), Text(c->currency()), Text(c->module_()),
                                       Text(c->reference())});
    }
    case p::Command::CancelOrder: {
      const auto* c = in.command_as_CancelOrder();
      if (c == nullptr) break;
      return d::Command(
          d::CancelOrder{Text(c->platform_id()), Text(c->order_id()), Text(c->reason())});
    }
    case p::Command::CreateTransaction: {
      const auto* c = in.command_as_CreateTransaction();
      if (c == nullptr) break;
      return d::Command(d::CreateTransaction{Text(c->platform_id()), Text(c->order_id()),
                                             Text(c->transaction_id()), c->amount_minor(),
                                             Text(c->currency())});
    }
    case p::Command::RecordOperation: {
      const auto* c = in.command_as_RecordOperation();
      if (c == nullptr) break;
      return d::Command(d::RecordOperation{
          Text(c->platform_id()), Text(c->order_id()), Text(c->transaction_id()),
          Text(c->operation_id()), c->kind(), c->outcome(), c->amount_minor(), Text(c->currency()),
          Text(c->external_reference()), c->occurred_at_us()});
    }
    case p::Command::RequestWithdrawal: {
      const auto* c = in.command_as_RequestWithdrawal();
      if (c == nullptr) break;
      return d::Command(d::RequestWithdrawal{Text(c->platform_id()), Text(c->withdrawal_id()),
                                             Text(c->bank_account_id()), c->amount_minor(),
                                             Text(c->currency())});
    }
    case p::Command::SettleWithdrawal: {
      const auto* c = in.command_as_SettleWithdrawal();
      if (c == nullptr) break;
      return d::Command(d::SettleWithdrawal{Text(c->platform_id()), Text(c->withdrawal_id()),
                                            Text(c->external_reference())});
    }
    case p::Command::FailWithdrawal: {
      const auto* c = in.command_as_FailWithdrawal();
      if (c == nullptr) break;
      return d::Command(
          d::FailWithdrawal{Text(c->platform_id()), Text(c->withdrawal_id()), Text(c->reason())});
    }
    default:
      return Status::InvalidArgument("unknown command");
  }
  return Status::InvalidArgument("the command has no body");
}

Result<d::Command> DecodeCommand(const p::CommandInput& in) {
  if (in.command_type() == p::Command::NONE || in.command() == nullptr) {
    return Status::InvalidArgument("no command");
  }
  auto directory = DecodeDirectory(in);
  if (directory.ok() || directory.status().code() != StatusCode::kNotFound) return directory;
  return DecodePayments(in);
}

}  // namespace

Result<std::vector<CommandRequest>> DecodeCommands(const p::ExecuteCommands& batch,
                                                   const d::Principal& principal) {
  std::vector<CommandRequest> requests;
  const auto* inputs = batch.commands();
  if (inputs == nullptr || inputs->size() == 0) {
    return Status::InvalidArgument("the batch holds no command");
  }
  requests.reserve(inputs->size());
  for (flatbuffers::uoffset_t i = 0; i < inputs->size(); ++i) {
    const p::CommandInput& in = *inputs->Get(i);
    auto command = DecodeCommand(in);
    if (!command.ok()) {
      return Status::InvalidArgument(fmt::format("command {}: {}", i, command.status().message()));
    }
    auto expected = DecodeExpected(in.expected_kind(), in.expected_version());
    if (!expected.ok()) {
      return Status::InvalidArgument(fmt::format("command {}: {}", i, expected.status().message()));
    }
    requests.push_back(CommandRequest{principal, std::move(*command), Text(in.idempotency_key()),
                                      Text(in.correlation_id()), Text(in.causation_id()),
                                      *expected});
  }
  return requests;
}

Result<ExpectedVersion> DecodeExpected(p::ExpectedKind kind, std::uint64_t version) {
  switch (kind) {
    case p::ExpectedKind::Any:
      return ExpectedVersion::Any();
    case p::ExpectedKind::NoStream:
      return ExpectedVersion::NoStream();
    case p::ExpectedKind::Exact:
      return ExpectedVersion::Exact(StreamVersion{version});
  }
  return Status::InvalidArgument(
      fmt::format("expected_kind {} is not Any, NoStream or Exact", static_cast<unsigned>(kind)));
}

p::ErrorCode CategoryCode(d::ResultCode code) {
  switch (d::CategoryOf(code)) {
    case d::ResultCategory::kOk:
      return p::ErrorCode::Ok;
    case d::ResultCategory::kDuplicate:
      return p::ErrorCode::Duplicate;
    case d::ResultCategory::kInvalidArgument:
      return p::ErrorCode::InvalidArgument;
    case d::ResultCategory::kUnauthenticated:
      return p::ErrorCode::Unauthenticated;
    case d::ResultCategory::kNotFound:
      return p::ErrorCode::NotFound;
    case d::ResultCategory::kForbidden:
      return p::ErrorCode::Forbidden;
    case d::ResultCategory::kConflict:
      return p::ErrorCode::Conflict;
    case d::ResultCategory::kInvariantViolated:
      return p::ErrorCode::InvariantViolated;
    case d::ResultCategory::kInternal:
      return p::ErrorCode::Internal;
  }
  return p::ErrorCode::Internal;
}

}  // namespace ledger::server

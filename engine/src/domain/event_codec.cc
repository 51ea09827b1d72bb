#include "ledger/engine/domain/event_codec.h"

#include <flatbuffers/flatbuffers.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "ledger/schema/events_generated.h"

namespace ledger::domain {
namespace {

namespace fb = flatbuffers;
using StringOffset = fb::Offset<fb::String>;

// ---- Encoding -----------------------------------------------------------------------------

class Encoder {
 public:
  explicit Encoder(fb::FlatBufferBuilder& b) : b_(b) {}

  StringOffset S(const std::string& text) { return b_.CreateString(text.data(), text.size()); }
  fb::Offset<fb::Vector<std::uint8_t>> H(const Hash256& hash) {
    return b_.CreateVector(hash.data(), hash.size());
  }

  auto operator()(const OrganizationCreated& e) {
    return schema::CreateOrganizationCreated(b_, S(e.organization_id), S(e.name)).Union();
  }
  auto operator()(const PlatformCreated& e) {
    return schema::CreatePlatformCreated(b_, S(e.organization_id), S(e.platform_id), S(e.name),
                                         e.environment)
        .Union();
  }
  auto operator()(const UserRegistered& e) {
    return schema::CreateUserRegistered(b_, S(e.user_id), S(e.email), S(e.display_name)).Union();
  }
  auto operator()(const RoleGranted& e) {
    std::vector<StringOffset> platforms;
    platforms.reserve(e.platform_ids.size());
    for (const std::string& id : e.platform_ids) platforms.push_back(S(id));
    auto list = b_.CreateVector(platforms);
    return schema::CreateRoleGranted(b_, S(e.organization_id), S(e.user_id), e.role,
                                     e.all_platforms, list)
        .Union();
  }
  auto operator()(const RoleRevoked& e) {
    return schema::CreateRoleRevoked(b_, S(e.organization_id), S(e.user_id), e.role).Union();
  }
  auto operator()(const ApiKeyIssued& e) {
    return schema::CreateApiKeyIssued(b_, S(e.organization_id), S(e.platform_id), S(e.key_id),
                                      H(e.secret_sha256))
        .Union();
  }
  auto operator()(const ApiKeyRevoked& e) {
    return schema::CreateApiKeyRevoked(b_, S(e.organization_id), S(e.platform_id), S(e.key_id))
        .Union();
  }
  auto operator()(const UserTokenIssued& e) {
    return schema::CreateUserTokenIssued(b_, S(e.user_id), S(e.token_id), H(e.secret_sha256))
        .Union();
  }
  auto operator()(const UserTokenRevoked& e) {
    return schema::CreateUserTokenRevoked(b_, S(e.user_id), S(e.token_id)).Union();
  }
  auto operator()(const BankAccountAdded& e) {
    return schema::CreateBankAccountAdded(b_, S(e.organization_id), S(e.platform_id),
                                          S(e.bank_account_id), S(e.holder_name),
                                          S(e.masked_account_number), S(e.currency))
        .Union();
  }
  auto operator()(const OrderCreated& e) {
    return schema::CreateOrderCreated(b_, S(e.platform_id), S(e.order_id), e.amount_minor,
                                      S(e.currency), S(e.module), S(e.reference))
        .Union();
  }
  auto operator()(const OrderCancelled& e) {
    return schema::CreateOrderCancelled(b_, S(e.platform_id), S(e.order_id), S(e.reason)).Union();
  }
  auto operator()(const TransactionCreated& e) {
    return schema::CreateTransactionCreated(b_, S(e.platform_id), S(e.order_id),
                                            S(e.transaction_id), e.amount_minor)
        .Union();
  }
  auto operator()(const OperationRecorded& e) {
    return schema::CreateOperationRecorded(b_, S(e.platform_id), S(e.order_id), S(e.transaction_id),
                                           S(e.operation_id), e.kind, e.outcome, e.amount_minor,
                                           S(e.currency), S(e.external_reference), e.occurred_at_us)
        .Union();
  }
  auto operator()(const WithdrawalRequested& e) {
    return schema::CreateWithdrawalRequested(b_, S(e.platform_id), S(e.withdrawal_id),
                                             S(e.bank_account_id), e.amount_minor, S(e.currency))
        .Union();
  }
  auto operator()(const WithdrawalSettled& e) {
    return schema::CreateWithdrawalSettled(b_, S(e.platform_id), S(e.withdrawal_id),
                                           S(e.external_reference), S(e.bank_account_id),
                                           e.amount_minor, S(e.currency))
        .Union();
  }
  auto operator()(const WithdrawalFailed& e) {
    return schema::CreateWithdrawalFailed(b_, S(e.platform_id), S(e.withdrawal_id), S(e.reason),
                                          S(e.bank_account_id), e.amount_minor, S(e.currency))
        .Union();
  }

 private:
  fb::FlatBufferBuilder& b_;
};

// ---- Decoding -----------------------------------------------------------------------------

std::string T(const fb::String* text) { return text == nullptr ? std::string() : text->str(); }

bool ReadHash(const fb::Vector<std::uint8_t>* bytes, Hash256* out) {
  if (bytes == nullptr || bytes->size() != out->size()) return false;
  std::copy(bytes->begin(), bytes->end(), out->begin());
  return true;
}

Event From(const schema::OrganizationCreated& t) {
  return OrganizationCreated{T(t.organization_id()), T(t.name())};
}
Event From(const schema::PlatformCreated& t) {
  return PlatformCreated{T(t.organization_id()), T(t.platform_id()), T(t.name()), t.environment()};
}
Event From(const schema::UserRegistered& t) {
  return UserRegistered{T(t.user_id()), T(t.email()), T(t.display_name())};
}
Event From(const schema::RoleGranted& t) {
  RoleGranted e{T(t.organization_id()), T(t.user_id()), t.role(), t.all_platforms(), {}};
  if (t.platform_ids() != nullptr) {
    for (const fb::String* id : *t.platform_ids()) e.platform_ids.push_back(T(id));
  }
  return e;
}
Event From(const schema::RoleRevoked& t) {
  return RoleRevoked{T(t.organization_id()), T(t.user_id()), t.role()};
}
Result<Event> From(const schema::ApiKeyIssued& t) {
  ApiKeyIssued e{T(t.organization_id()), T(t.platform_id()), T(t.key_id()), {}};
  if (!ReadHash(t.secret_sha256(), &e.secret_sha256)) {
    return Status::Corruption("ApiKeyIssued: secret_sha256 is not 32 bytes");
  }
  return Event(std::move(e));
}
Result<Event> From(const schema::UserTokenIssued& t) {
  UserTokenIssued e{T(t.user_id()), T(t.token_id()), {}};
  if (!ReadHash(t.secret_sha256(), &e.secret_sha256)) {
    return Status::Corruption("UserTokenIssued: secret_sha256 is not 32 bytes");
  }
  return Event(std::move(e));
}
Event From(const schema::ApiKeyRevoked& t) {
  return ApiKeyRevoked{T(t.organization_id()), T(t.platform_id()), T(t.key_id())};
}
Event From(const schema::UserTokenRevoked& t) {
  return UserTokenRevoked{T(t.user_id()), T(t.token_id())};
}
Event From(const schema::BankAccountAdded& t) {
  return BankAccountAdded{T(t.organization_id()),       T(t.platform_id()),
                          T(t.bank_account_id()),       T(t.holder_name()),
                          T(t.masked_account_number()), T(t.currency())};
}
Event From(const schema::OrderCreated& t) {
  return OrderCreated{T(t.platform_id()), T(t.order_id()), t.amount_minor(),
                      T(t.currency()),    T(t.module_()),  T(t.reference())};
}
Event From(const schema::OrderCancelled& t) {
  return OrderCancelled{T(t.platform_id()), T(t.order_id()), T(t.reason())};
}
Event From(const schema::TransactionCreated& t) {
  return TransactionCreated{T(t.platform_id()), T(t.order_id()), T(t.transaction_id()),
                            t.amount_minor()};
}
Event From(const schema::OperationRecorded& t) {
  return OperationRecorded{T(t.platform_id()),  T(t.order_id()), T(t.transaction_id()),
                           T(t.operation_id()), t.kind(),        t.outcome(),
                           t.amount_minor(),    T(t.currency()), T(t.external_reference()),
                           t.occurred_at_us()};
}
Event From(const schema::WithdrawalRequested& t) {
  return WithdrawalRequested{T(t.platform_id()), T(t.withdrawal_id()), T(t.bank_account_id()),
                             t.amount_minor(), T(t.currency())};
}
Event From(const schema::WithdrawalSettled& t) {
  return WithdrawalSettled{T(t.platform_id()),     T(t.withdrawal_id()), T(t.external_reference()),
                           T(t.bank_account_id()), t.amount_minor(),     T(t.currency())};
}
Event From(const schema::WithdrawalFailed& t) {
  return WithdrawalFailed{T(t.platform_id()),     T(t.withdrawal_id()), T(t.reason()),
                          T(t.bank_account_id()), t.amount_minor(),     T(t.currency())};
}

/// Verifies `bytes` as a buffer whose root is a `Table` and converts it.
template <typename Table>
Result<Event> Decode(schema::EventType type, std::string_view bytes) {
  // The payload sits inside the envelope at any offset; FlatBuffers reads 8-byte fields in
  // place, so give it an 8-byte aligned copy when the bytes are not aligned.
  std::unique_ptr<std::uint64_t[]> aligned;
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(std::uint64_t) != 0) {
    aligned.reset(new std::uint64_t[bytes.size() / sizeof(std::uint64_t) + 1]);
    std::memcpy(aligned.get(), bytes.data(), bytes.size());
    data = reinterpret_cast<const std::uint8_t*>(aligned.get());
  }
  fb::Verifier verifier(data, bytes.size());
  if (bytes.size() < sizeof(fb::uoffset_t) || !verifier.VerifyBuffer<Table>(nullptr)) {
    return Status::Corruption(fmt::format("a {}-byte payload does not verify as {}", bytes.size(),
                                          schema::EnumNameEventType(type)));
  }
  return From(*fb::GetRoot<Table>(data));
}

}  // namespace

std::string EncodeEvent(const Event& event) {
  thread_local fb::FlatBufferBuilder builder(256);
  builder.Clear();
  Encoder encoder(builder);
  fb::Offset<void> root = std::visit(encoder, event);
  builder.Finish(root);
  return std::string(reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize());
}

Result<Event> DecodeEvent(schema::EventType type, std::string_view payload) {
  using E = schema::EventType;
  switch (type) {
    case E::OrganizationCreated:
      return Decode<schema::OrganizationCreated>(type, payload);
    case E::PlatformCreated:
      return Decode<schema::PlatformCreated>(type, payload);
    case E::UserRegistered:
      return Decode<schema::UserRegistered>(type, payload);
    case E::RoleGranted:
      return Decode<schema::RoleGranted>(type, payload);
    case E::RoleRevoked:
      return Decode<schema::RoleRevoked>(type, payload);
    case E::ApiKeyIssued:
      return Decode<schema::ApiKeyIssued>(type, payload);
    case E::ApiKeyRevoked:
      return Decode<schema::ApiKeyRevoked>(type, payload);
    case E::UserTokenIssued:
      return Decode<schema::UserTokenIssued>(type, payload);
    case E::UserTokenRevoked:
      return Decode<schema::UserTokenRevoked>(type, payload);
    case E::BankAccountAdded:
      return Decode<schema::BankAccountAdded>(type, payload);
    case E::OrderCreated:
      return Decode<schema::OrderCreated>(type, payload);
    case E::OrderCancelled:
      return Decode<schema::OrderCancelled>(type, payload);
    case E::TransactionCreated:
      return Decode<schema::TransactionCreated>(type, payload);
    case E::OperationRecorded:
      return Decode<schema::OperationRecorded>(type, payload);
    case E::WithdrawalRequested:
      return Decode<schema::WithdrawalRequested>(type, payload);
    case E::WithdrawalSettled:
      return Decode<schema::WithdrawalSettled>(type, payload);
    case E::WithdrawalFailed:
      return Decode<schema::WithdrawalFailed>(type, payload);
    case E::Opaque:
      break;
  }
  return Status::InvalidArgument(
      fmt::format("event type {} is not a domain event", static_cast<int>(type)));
}

}  // namespace ledger::domain

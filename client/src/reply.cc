#include "ledger/client/reply.h"

#include "ledger/protocol/message.h"

namespace ledger::client {

std::string ClientError::ToString() const {
  switch (kind) {
    case ErrorKind::kNone:
      return "ok";
    case ErrorKind::kConnection:
      return "connection: " + message;
    case ErrorKind::kServer:
      return std::string(protocol::EnumNameErrorCode(code)) + ": " + message;
  }
  return message;
}

Reply Reply::FromMessage(std::string message) {
  Reply reply;
  reply.message_ = std::make_shared<const std::string>(std::move(message));
  reply.response_ = protocol::VerifiedResponse(*reply.message_);
  if (reply.response_ == nullptr) {
    reply.error_ = {ErrorKind::kConnection, protocol::ErrorCode::MalformedFrame,
                    "the server sent a message that is not a valid Response"};
  } else if (const auto* error = reply.response_->error();
             error != nullptr && error->code() != protocol::ErrorCode::Ok) {
    reply.error_ = {ErrorKind::kServer, error->code(),
                    error->message() ? error->message()->str() : std::string()};
  }
  return reply;
}

Reply Reply::Failure(ClientError error) {
  Reply reply;
  reply.error_ = std::move(error);
  return reply;
}

std::string_view Reply::bytes() const {
  return message_ ? std::string_view(*message_) : std::string_view();
}

}  // namespace ledger::client

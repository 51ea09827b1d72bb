// One response from ledgerd (or the reason none came), owning its verified bytes.
//
// ok() is true when a Response arrived without an error. Otherwise error() says why: the
// server's error code and message, or a client-side failure (connection lost, timeout).
// Thread-safety: immutable after construction; move it between threads freely.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ledger/schema/protocol_generated.h"

namespace ledger::client {

enum class ErrorKind : std::uint8_t {
  kNone = 0,
  /// The connection failed, closed, or the response did not come in time.
  kConnection,
  /// The server answered with an Error.
  kServer,
};

struct ClientError {
  ErrorKind kind = ErrorKind::kNone;
  protocol::ErrorCode code = protocol::ErrorCode::Ok;
  std::string message;

  /// "Forbidden: ...", "connection: ...".
  std::string ToString() const;
};

class Reply {
 public:
  /// A verified Response message (the bytes after the frame header).
  static Reply FromMessage(std::string message);
  static Reply Failure(ClientError error);

  bool ok() const { return error_.kind == ErrorKind::kNone; }
  const ClientError& error() const { return error_; }
  /// The response; nullptr for client-side failures.
  const protocol::Response* response() const { return response_; }
  /// The body as T, or nullptr when it is absent or another type.
  template <typename T>
  const T* body() const {
    return response_ == nullptr ? nullptr : response_->body_as<T>();
  }
  /// The message bytes (empty for client-side failures).
  std::string_view bytes() const;

 private:
  /// Held through a pointer so that moving a Reply keeps response_ valid.
  std::shared_ptr<const std::string> message_;
  const protocol::Response* response_ = nullptr;
  ClientError error_;
};

}  // namespace ledger::client

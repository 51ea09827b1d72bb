// An asynchronous connection to ledgerd on a caller's io_context: connects, authenticates,
// then sends pipelined requests and routes each response to its request's handler by id.
//
// Send() may be called from any thread; handlers run on the io_context's thread. A handler
// returns true to keep receiving frames for its request (subscriptions, exports), false when
// the request is done. When the connection fails, every pending handler gets one Failure.
// The client keeps at most the server's advertised requests in flight on the wire; more are
// held in order and sent as responses come back.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ledger/client/reply.h"
#include "ledger/schema/protocol_generated.h"

namespace ledger::client {

struct ConnectOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7400;
  protocol::CredentialKind kind = protocol::CredentialKind::Unspecified;
  /// "<id>.<secret>".
  std::string credential;
  schema::Environment environment = schema::Environment::Unspecified;
  std::string client_name = "ledger-client";
  std::chrono::milliseconds connect_timeout{10'000};
};

/// Builds a request body in `builder`; the connection wraps it in a Request with its id.
using BodyBuilder = std::function<flatbuffers::Offset<void>(flatbuffers::FlatBufferBuilder&)>;
/// Receives each response to one request; returns true to keep receiving.
using ReplyHandler = std::function<bool(Reply)>;

/// A Request message (no frame header) for `request_id`.
std::string BuildRequest(std::uint64_t request_id, protocol::RequestBody type,
                         const BodyBuilder& body);

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  static std::shared_ptr<Connection> Create(boost::asio::io_context& io);
  ~Connection();

  /// Connects and authenticates; `done` gets the Authenticated reply or the failure.
  void Start(ConnectOptions options, ReplyHandler done);
  /// Sends a request; returns its id. From any thread.
  std::uint64_t Send(protocol::RequestBody type, const BodyBuilder& body, ReplyHandler handler);
  /// Sends a prebuilt Request message whose id is `request_id` (from NextRequestId()).
  void SendMessage(std::uint64_t request_id, std::string message, ReplyHandler handler);
  std::uint64_t NextRequestId();
  /// Forgets a request's handler (a caller that stopped waiting).
  void Forget(std::uint64_t request_id);
  /// Closes the socket; pending handlers get a Failure.
  void Close();
  bool open() const;

  struct Impl;

 private:
  explicit Connection(boost::asio::io_context& io);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ledger::client

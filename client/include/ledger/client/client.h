// A blocking client for tools and tests: one connection, its own io thread, and calls that
// wait for their response. Pipelining is still available through connection().
// Thread-safety: every member may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "ledger/client/connection.h"
#include "ledger/client/reply.h"

namespace ledger::client {

class Client {
 public:
  /// Connects and authenticates. On failure, `error` says why (and nullptr is returned).
  static std::unique_ptr<Client> Connect(ConnectOptions options, ClientError* error);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// The Authenticated reply.
  const Reply& identity() const { return identity_; }
  /// Sends one request and waits for its (first) response.
  Reply Call(protocol::RequestBody type, const BodyBuilder& body,
             std::chrono::milliseconds timeout = std::chrono::seconds(60));
  /// Sends one request; `handler` runs on the client's io thread for each response.
  std::uint64_t Send(protocol::RequestBody type, const BodyBuilder& body, ReplyHandler handler);
  Connection& connection() { return *connection_; }
  void Close();

 private:
  Client();
  std::unique_ptr<boost::asio::io_context> io_;
  std::shared_ptr<Connection> connection_;
  std::thread thread_;
  Reply identity_;
};

}  // namespace ledger::client

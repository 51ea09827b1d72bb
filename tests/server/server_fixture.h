// A ledgerd served in-process for end-to-end tests: a fresh data directory, the root
// credential, the ledger and the server on 127.0.0.1 with a free port, plus helpers to
// connect clients and to speak raw frames. Everything stops when the fixture is destroyed.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/client/client.h"
#include "ledger/engine/ledger.h"
#include "ledger/projections/projector.h"
#include "ledger/server/server.h"
#include "support/temp_dir.h"

namespace spdlog {
class logger;
}

namespace ledger::testing {

class TestServer {
 public:
  /// `adjust` may change the options before the server starts (deadlines, limits).
  explicit TestServer(std::function<void(server::ServerOptions&)> adjust = {});
  ~TestServer();

  std::uint16_t port() const { return server_->port(); }
  const std::string& root_credential() const { return root_credential_; }
  Ledger& ledger() { return *ledger_; }
  projections::Projector& projector() { return *projector_; }
  server::Server& server() { return *server_; }
  /// The data directory ledgerd would serve: log/, views/, root.sha256.
  std::string data_directory() const { return dir_.Child("data"); }
  /// Everything the server logged (tests check that no secret ever appears).
  std::string LogText() const;

  /// Stops the server and closes the ledger; Reopen() opens the same directory again.
  void StopAndClose();
  void Reopen();

  std::unique_ptr<client::Client> Connect(protocol::CredentialKind kind,
                                          const std::string& credential,
                                          schema::Environment environment,
                                          client::ClientError* error = nullptr);
  std::unique_ptr<client::Client> ConnectRoot();

 private:
  void Start();

  TempDir dir_;
  std::string root_credential_;
  std::function<void(server::ServerOptions&)> adjust_;
  std::shared_ptr<std::ostringstream> log_text_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<projections::Projector> projector_;
  std::unique_ptr<server::Server> server_;
};

/// A blocking TCP connection that speaks raw bytes, for malformed input.
class RawConnection {
 public:
  /// `source` binds the local address first (e.g. "127.0.0.2"); empty: any.
  explicit RawConnection(std::uint16_t port, const std::string& source = "");
  ~RawConnection();

  void Write(std::string_view bytes);
  void WriteFrame(std::string_view message);
  /// The next frame's message, or nullopt when the connection closed or `timeout` passed.
  std::optional<std::string> ReadMessage(std::chrono::milliseconds timeout);
  /// True when the server closed the connection within `timeout` (nothing more to read).
  bool ClosedByServer(std::chrono::milliseconds timeout);

 private:
  bool ReadExactly(char* out, std::size_t size, std::chrono::milliseconds timeout);
  int fd_ = -1;
};

/// Request messages for the raw tests.
std::string AuthenticateMessage(std::uint64_t id, protocol::CredentialKind kind,
                                const std::string& credential, schema::Environment environment);
std::string PingMessage(std::uint64_t id);

/// The error a Response message carries (Ok when none or when it does not verify).
protocol::ErrorCode ErrorOf(const std::string& message);
std::uint64_t RequestIdOf(const std::string& message);

}  // namespace ledger::testing

// A non-blocking TCP connection for attackers: writes that give up at a deadline (a server
// that stopped reading must not hang the test), and reads of whole frames with a timeout.
// Thread-safety: one thread per socket.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/schema/protocol_generated.h"

namespace ledger::testing {

/// How a server ended (or did not end) an attacker's connection.
struct Ending {
  bool closed = false;                       // The server closed the connection.
  std::optional<protocol::ErrorCode> error;  // The last error frame it sent first, if any.
};

class AttackSocket {
 public:
  using Clock = std::chrono::steady_clock;

  /// Connects to 127.0.0.1:`port` from `source` (e.g. "127.0.0.2"); connected() says if it did.
  AttackSocket(std::uint16_t port, const std::string& source);
  ~AttackSocket();
  AttackSocket(AttackSocket&& other) noexcept;
  AttackSocket(const AttackSocket&) = delete;
  AttackSocket& operator=(const AttackSocket&) = delete;

  bool connected() const { return fd_ >= 0; }
  /// Writes what the socket takes until `deadline`; the bytes written (fewer when the
  /// server stopped reading or closed).
  std::size_t Write(std::string_view bytes, Clock::time_point deadline);
  /// The next frame's message, or nullopt on close, garbage or timeout.
  std::optional<std::string> ReadMessage(std::chrono::milliseconds timeout);
  /// Reads frames until the server closes or `timeout` passes.
  Ending AwaitEnding(std::chrono::milliseconds timeout);
  /// True when a frame or the close is waiting to be read now.
  bool Readable();

 private:
  bool ReadExactly(char* out, std::size_t size, Clock::time_point deadline);
  int fd_ = -1;
  bool peer_closed_ = false;
};

}  // namespace ledger::testing

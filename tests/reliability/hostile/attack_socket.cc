#include "hostile/attack_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ledger/limits.h"
#include "ledger/protocol/frame.h"
#include "server/server_fixture.h"

namespace ledger::testing {
namespace {

int MillisecondsUntil(AttackSocket::Clock::time_point deadline) {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - AttackSocket::Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

bool Wait(int fd, short events, AttackSocket::Clock::time_point deadline) {
  pollfd poll_fd{fd, events, 0};
  return ::poll(&poll_fd, 1, MillisecondsUntil(deadline)) > 0;
}

}  // namespace

AttackSocket::AttackSocket(std::uint16_t port, const std::string& source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

AttackSocket::~AttackSocket() {
  if (fd_ >= 0) ::close(fd_);
}

AttackSocket::AttackSocket(AttackSocket&& other) noexcept
    : fd_(other.fd_), peer_closed_(other.peer_closed_) {
  other.fd_ = -1;
}

std::size_t AttackSocket::Write(std::string_view bytes, Clock::time_point deadline) {
  std::size_t written = 0;
  while (written < bytes.size() && fd_ >= 0) {
    ssize_t sent = ::send(fd_, bytes.data() + written, bytes.size() - written, MSG_NOSIGNAL);
    if (sent > 0) {
      written += static_cast<std::size_t>(sent);
    } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!Wait(fd_, POLLOUT, deadline)) break;
    } else {
      break;  // Reset or closed by the server.
    }
  }
  return written;
}

bool AttackSocket::ReadExactly(char* out, std::size_t size, Clock::time_point deadline) {
  while (size > 0) {
    ssize_t got = ::recv(fd_, out, size, 0);
    if (got > 0) {
      out += got;
      size -= static_cast<std::size_t>(got);
    } else if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!Wait(fd_, POLLIN, deadline)) return false;
    } else {
      peer_closed_ = true;  // EOF, or reset: either way the server is done with us.
      return false;
    }
  }
  return true;
}

std::optional<std::string> AttackSocket::ReadMessage(std::chrono::milliseconds timeout) {
  if (fd_ < 0 || peer_closed_) return std::nullopt;
  const auto deadline = Clock::now() + timeout;
  char header[limits::kFrameHeaderBytes];
  if (!ReadExactly(header, sizeof header, deadline)) return std::nullopt;
  const auto decoded = protocol::DecodeFrameHeader(header);
  if (protocol::CheckFrameHeader(decoded) != protocol::FrameHeaderCheck::kOk) return std::nullopt;
  std::string message(decoded.length, '\0');
  if (!ReadExactly(message.data(), message.size(), deadline)) return std::nullopt;
  return message;
}

Ending AttackSocket::AwaitEnding(std::chrono::milliseconds timeout) {
  Ending ending;
  const auto deadline = Clock::now() + timeout;
  while (!peer_closed_ && Clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    auto message = ReadMessage(left);
    if (!message) continue;
    if (auto code = ErrorOf(*message); code != protocol::ErrorCode::Ok) ending.error = code;
  }
  ending.closed = peer_closed_;
  return ending;
}

bool AttackSocket::Readable() {
  if (fd_ < 0) return false;
  pollfd poll_fd{fd_, POLLIN, 0};
  return ::poll(&poll_fd, 1, 0) > 0;
}

}  // namespace ledger::testing

#include "server/server_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>

#include "ledger/protocol/frame.h"
#include "ledger/protocol/message.h"
#include "ledger/server/data_directory.h"

namespace ledger::testing {

namespace p = protocol;

TestServer::TestServer(std::function<void(server::ServerOptions&)> adjust)
    : adjust_(std::move(adjust)), log_text_(std::make_shared<std::ostringstream>()) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*log_text_);
  logger_ = std::make_shared<spdlog::logger>("server", sink);
  logger_->set_level(spdlog::level::debug);
  spdlog::set_level(spdlog::level::warn);  // InitDataDirectory's own messages.
  auto credential = server::InitDataDirectory(dir_.Child("data"));
  if (!credential.ok()) throw std::runtime_error(credential.status().ToString());
  root_credential_ = *credential;
  Reopen();
}

TestServer::~TestServer() { StopAndClose(); }

std::string TestServer::LogText() const {
  logger_->flush();
  return log_text_->str();
}

void TestServer::Reopen() {
  LedgerOptions options;
  options.log.path = server::LogPath(dir_.Child("data"));
  options.log.logger = logger_;
  options.logger = logger_;
  auto opened = Ledger::Open(std::move(options));
  if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
  ledger_ = std::move(*opened);
  projections::ProjectorOptions views;
  views.path = server::ViewsPath(dir_.Child("data"));
  views.log = &ledger_->log();
  views.logger = logger_;
  auto projector = projections::Projector::Open(std::move(views));
  if (!projector.ok()) throw std::runtime_error(projector.status().ToString());
  projector_ = std::move(*projector);
  if (Status started = projector_->Start(); !started.ok()) {
    throw std::runtime_error(started.ToString());
  }
  Start();
}

void TestServer::Start() {
  server::ServerOptions options;
  options.port = 0;
  auto root = server::LoadRootHash(dir_.Child("data"));
  if (!root.ok()) throw std::runtime_error(root.status().ToString());
  options.root_secret_sha256 = *root;
  options.data_directory = dir_.Child("data");
  options.logger = logger_;
  options.shutdown_drain_timeout = std::chrono::seconds(5);
  if (adjust_) adjust_(options);
  auto started = server::Server::Start(std::move(options), *ledger_, projector_.get());
  if (!started.ok()) throw std::runtime_error(started.status().ToString());
  server_ = std::move(*started);
}

void TestServer::StopAndClose() {
  if (server_) server_->Stop();
  server_.reset();
  projector_.reset();
  ledger_.reset();
}

std::unique_ptr<client::Client> TestServer::Connect(p::CredentialKind kind,
                                                    const std::string& credential,
                                                    schema::Environment environment,
                                                    client::ClientError* error) {
  client::ConnectOptions options;
  options.port = port();
  options.kind = kind;
  options.credential = credential;
  options.environment = environment;
  options.client_name = "test";
  return client::Client::Connect(std::move(options), error);
}

std::unique_ptr<client::Client> TestServer::ConnectRoot() {
  return Connect(p::CredentialKind::Root, root_credential_, schema::Environment::Unspecified);
}

RawConnection::RawConnection(std::uint16_t port, const std::string& source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("cannot connect");
  }
}

RawConnection::~RawConnection() { ::close(fd_); }

void RawConnection::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t written = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (written <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

void RawConnection::WriteFrame(std::string_view message) { Write(p::EncodeFrame(message)); }

bool RawConnection::ReadExactly(char* out, std::size_t size, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (size > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd poll_fd{fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) {
      return false;
    }
    ssize_t got = ::recv(fd_, out, size, 0);
    if (got <= 0) return false;
    out += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

std::optional<std::string> RawConnection::ReadMessage(std::chrono::milliseconds timeout) {
  char header[limits::kFrameHeaderBytes];
  if (!ReadExactly(header, sizeof header, timeout)) return std::nullopt;
  auto decoded = p::DecodeFrameHeader(header);
  if (p::CheckFrameHeader(decoded) != p::FrameHeaderCheck::kOk) return std::nullopt;
  std::string message(decoded.length, '\0');
  if (!ReadExactly(message.data(), message.size(), timeout)) return std::nullopt;
  if (p::Crc32(message) != decoded.crc32) return std::nullopt;
  return message;
}

bool RawConnection::ClosedByServer(std::chrono::milliseconds timeout) {
  char byte = 0;
  pollfd poll_fd{fd_, POLLIN, 0};
  if (::poll(&poll_fd, 1, static_cast<int>(timeout.count())) <= 0) return false;
  return ::recv(fd_, &byte, 1, 0) <= 0;
}

std::string AuthenticateMessage(std::uint64_t id, p::CredentialKind kind,
                                const std::string& credential, schema::Environment environment) {
  flatbuffers::FlatBufferBuilder b;
  auto body = p::CreateAuthenticateDirect(b, p::ProtocolVersion::V1, kind, credential.c_str(),
                                          environment, "raw-test");
  b.Finish(p::CreateRequest(b, id, p::RequestBody::Authenticate, body.Union()));
  return std::string(p::BuilderBytes(b));
}

std::string PingMessage(std::uint64_t id) {
  flatbuffers::FlatBufferBuilder b;
  auto body = p::CreatePing(b);
  b.Finish(p::CreateRequest(b, id, p::RequestBody::Ping, body.Union()));
  return std::string(p::BuilderBytes(b));
}

p::ErrorCode ErrorOf(const std::string& message) {
  const auto* response = p::VerifiedResponse(message);
  if (response == nullptr || response->error() == nullptr) return p::ErrorCode::Ok;
  return response->error()->code();
}

std::uint64_t RequestIdOf(const std::string& message) {
  const auto* response = p::VerifiedResponse(message);
  return response == nullptr ? 0 : response->request_id();
}

}  // namespace ledger::testing

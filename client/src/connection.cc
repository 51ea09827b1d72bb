#include "ledger/client/connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <unordered_map>
#include <vector>

#include "asio_coroutines.h"
#include "ledger/limits.h"
#include "ledger/protocol/frame.h"
#include "ledger/protocol/message.h"

namespace ledger::client {

namespace asio = boost::asio;
namespace p = protocol;
using asio::ip::tcp;
using boost::system::error_code;

std::string BuildRequest(std::uint64_t request_id, p::RequestBody type, const BodyBuilder& body) {
  flatbuffers::FlatBufferBuilder builder(256);
  auto offset = body ? body(builder) : flatbuffers::Offset<void>();
  builder.Finish(p::CreateRequest(builder, request_id, type, offset));
  return std::string(p::BuilderBytes(builder));
}

struct Connection::Impl {
  explicit Impl(asio::io_context& context)
      : io(context), socket(context), writer_wake(context), connect_timer(context) {}

  asio::awaitable<void> Run(std::shared_ptr<Connection> self, ConnectOptions options,
                            ReplyHandler done);
  asio::awaitable<bool> Open(const ConnectOptions& options, ClientError* error);
  asio::awaitable<void> ReadLoop();
  asio::awaitable<void> WriteLoop(std::shared_ptr<Connection> self);
  void Enqueue(std::uint64_t id, std::string message, ReplyHandler handler);
  void Route(std::string message);
  void FailAll(const ClientError& error);
  void Release();

  asio::io_context& io;
  tcp::socket socket;
  asio::steady_timer writer_wake;
  asio::steady_timer connect_timer;
  std::atomic<std::uint64_t> next_id{1};
  std::atomic<bool> is_open{false};
  bool closed = false;
  std::size_t in_flight_max = limits::kRequestsInFlightMax;
  struct Pending {
    ReplyHandler handler;
    bool sent = false;
  };
  std::unordered_map<std::uint64_t, Pending> handlers;
  /// Requests waiting for room on the wire (at most in_flight_max sent), in order.
  std::deque<std::pair<std::uint64_t, std::string>> held;
  std::size_t on_wire = 0;
  std::vector<std::string> queue;
  ClientError failure{ErrorKind::kConnection, p::ErrorCode::Ok, "the connection is closed"};
};

asio::awaitable<bool> Connection::Impl::Open(const ConnectOptions& options, ClientError* error) {
  tcp::resolver resolver(io);
  error_code ec;
  auto endpoints = co_await resolver.async_resolve(options.host, std::to_string(options.port),
                                                   asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) {
    connect_timer.expires_after(options.connect_timeout);
    connect_timer.async_wait([this](error_code timer_error) {
      if (!timer_error) socket.close();
    });
    co_await asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, ec));
    connect_timer.cancel();
  }
  if (ec) {
    *error = {ErrorKind::kConnection, p::ErrorCode::Ok,
              "cannot connect to " + options.host + ":" + std::to_string(options.port) + ": " +
                  ec.message()};
    co_return false;
  }
  socket.set_option(tcp::no_delay(true), ec);
  co_return true;
}

asio::awaitable<void> Connection::Impl::Run(std::shared_ptr<Connection> self,
                                            ConnectOptions options, ReplyHandler done) {
  ClientError error;
  if (!co_await Open(options, &error)) {
    closed = true;
    done(Reply::Failure(error));
    co_return;
  }
  is_open = true;
  asio::co_spawn(io, WriteLoop(self), asio::detached);
  const std::uint64_t id = next_id++;
  std::string message = BuildRequest(id, p::RequestBody::Authenticate, [&](auto& b) {
    return p::CreateAuthenticateDirect(b, p::ProtocolVersion::V1, options.kind,
                                       options.credential.c_str(), options.environment,
                                       options.client_name.c_str())
        .Union();
  });
  Enqueue(id, std::move(message), [this, done = std::move(done)](Reply reply) {
    if (const auto* authenticated = reply.body<p::Authenticated>()) {
      if (const auto* limits = authenticated->limits()) {
        in_flight_max = std::max<std::size_t>(1, limits->requests_in_flight_max());
      }
    }
    done(std::move(reply));
    return false;
  });
  co_await ReadLoop();
}

asio::awaitable<void> Connection::Impl::ReadLoop() {
  char header_bytes[limits::kFrameHeaderBytes];
  while (!closed) {
    error_code ec;
    co_await asio::async_read(socket, asio::buffer(header_bytes),
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      FailAll({ErrorKind::kConnection, p::ErrorCode::Ok, "connection lost: " + ec.message()});
      break;
    }
    const auto header = p::DecodeFrameHeader(header_bytes);
    if (p::CheckFrameHeader(header) != p::FrameHeaderCheck::kOk) {
      FailAll({ErrorKind::kConnection, p::ErrorCode::MalformedFrame,
               "the server sent a frame of " + std::to_string(header.length) + " bytes"});
      break;
    }
    std::string message(header.length, '\0');
    co_await asio::async_read(socket, asio::buffer(message),
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec || p::Crc32(message) != header.crc32) {
      FailAll({ErrorKind::kConnection, p::ErrorCode::MalformedFrame,
               ec ? "connection lost: " + ec.message() : "checksum mismatch from the server"});
      break;
    }
    Route(std::move(message));
  }
  error_code ignored;
  socket.close(ignored);
  is_open = false;
  closed = true;
  writer_wake.cancel();
}

void Connection::Impl::Route(std::string message) {
  Reply reply = Reply::FromMessage(std::move(message));
  const p::Response* response = reply.response();
  if (response == nullptr) return FailAll(reply.error());
  const std::uint64_t id = response->request_id();
  if (id == 0) {
    // A connection-level error: the server closes after it.
    failure = reply.error();
    return;
  }
  auto found = handlers.find(id);
  if (found == handlers.end()) return;
  if (!found->second.handler(std::move(reply))) {
    if (found->second.sent) --on_wire;
    handlers.erase(found);
    Release();
  }
}

void Connection::Impl::FailAll(const ClientError& error) {
  closed = true;
  ClientError reported = failure.code != p::ErrorCode::Ok ? failure : error;
  auto pending = std::move(handlers);
  handlers.clear();
  held.clear();
  for (auto& [id, entry] : pending) entry.handler(Reply::Failure(reported));
}

void Connection::Impl::Enqueue(std::uint64_t id, std::string message, ReplyHandler handler) {
  if (closed) {
    handler(Reply::Failure(failure));
    return;
  }
  handlers.emplace(id, Pending{std::move(handler), false});
  held.emplace_back(id, p::EncodeFrame(message));
  Release();
}

void Connection::Impl::Release() {
  while (!held.empty() && on_wire < in_flight_max) {
    auto [id, frame] = std::move(held.front());
    held.pop_front();
    auto found = handlers.find(id);
    if (found == handlers.end()) continue;
    found->second.sent = true;
    ++on_wire;
    queue.push_back(std::move(frame));
    writer_wake.cancel();
  }
}

asio::awaitable<void> Connection::Impl::WriteLoop(std::shared_ptr<Connection> self) {
  std::vector<std::string> writing;
  std::vector<asio::const_buffer> buffers;
  while (!closed) {
    if (queue.empty()) {
      writer_wake.expires_at(asio::steady_timer::time_point::max());
      error_code ec;
      co_await writer_wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    writing.swap(queue);
    for (const auto& frame : writing) buffers.push_back(asio::buffer(frame));
    error_code ec;
    co_await asio::async_write(socket, buffers, asio::redirect_error(asio::use_awaitable, ec));
    writing.clear();
    buffers.clear();
    if (ec) {
      error_code ignored;
      socket.close(ignored);
      break;
    }
  }
  (void)self;
}

std::shared_ptr<Connection> Connection::Create(asio::io_context& io) {
  return std::shared_ptr<Connection>(new Connection(io));
}

Connection::Connection(asio::io_context& io) : impl_(std::make_unique<Impl>(io)) {}

Connection::~Connection() = default;

void Connection::Start(ConnectOptions options, ReplyHandler done) {
  asio::co_spawn(impl_->io, impl_->Run(shared_from_this(), std::move(options), std::move(done)),
                 asio::detached);
}

std::uint64_t Connection::NextRequestId() { return impl_->next_id++; }

std::uint64_t Connection::Send(p::RequestBody type, const BodyBuilder& body, ReplyHandler handler) {
  const std::uint64_t id = NextRequestId();
  SendMessage(id, BuildRequest(id, type, body), std::move(handler));
  return id;
}

void Connection::SendMessage(std::uint64_t request_id, std::string message, ReplyHandler handler) {
  if (impl_->io.get_executor().running_in_this_thread()) {
    impl_->Enqueue(request_id, std::move(message), std::move(handler));
    return;
  }
  asio::post(impl_->io, [self = shared_from_this(), request_id, message = std::move(message),
                         handler = std::move(handler)]() mutable {
    self->impl_->Enqueue(request_id, std::move(message), std::move(handler));
  });
}

void Connection::Forget(std::uint64_t request_id) {
  asio::post(impl_->io, [self = shared_from_this(), request_id] {
    // The request keeps its slot until the server answers it; its answer is dropped.
    auto found = self->impl_->handlers.find(request_id);
    if (found != self->impl_->handlers.end()) found->second.handler = [](Reply) { return false; };
  });
}

void Connection::Close() {
  asio::post(impl_->io, [self = shared_from_this()] {
    error_code ignored;
    self->impl_->socket.shutdown(tcp::socket::shutdown_both, ignored);
    self->impl_->socket.close(ignored);
  });
}

bool Connection::open() const { return impl_->is_open.load(); }

}  // namespace ledger::client

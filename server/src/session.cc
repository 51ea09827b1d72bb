// The connection's lifecycle: its coroutines, buffers, deadlines and closing. What it does
// with each message is in session_requests.cc.
#include "session.h"

#include <fmt/format.h>

#include <boost/asio/write.hpp>
#include <cstring>

#include "asio_coroutines.h"
#include "ledger/limits.h"
#include "ledger/protocol/frame.h"
#include "responses.h"

namespace ledger::server {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

/// Bytes asked of the socket per read; frames larger than this grow the buffer for a while.
constexpr std::size_t kReadBufferBytes = 64 * 1024;
using limits::kUnauthenticatedMessageBytesMax;
static_assert(kUnauthenticatedMessageBytesMax <= kReadBufferBytes);
/// What a queued response costs beyond its bytes (its queue entry and heap block). Counted in
/// the outbound limit so that a client reading none of many small responses (pongs of ~50
/// bytes) is held to about limits::kOutboundBytesMax of memory, not three times as much.
constexpr std::size_t kQueuedFrameOverheadBytes = 128;

std::string Endpoint(const asio::ip::tcp::socket& socket, std::string* address) {
  error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  *address = remote.address().to_string();
  return fmt::format("{}:{}", *address, remote.port());
}

}  // namespace

Session::Session(asio::ip::tcp::socket socket, Services& services, std::uint64_t id)
    : socket_(std::move(socket)),
      services_(services),
      id_(id),
      reader_wake_(socket_.get_executor()),
      writer_wake_(socket_.get_executor()),
      watchdog_(socket_.get_executor()) {
  peer_ = Endpoint(socket_, &source_);
}

void Session::Start() {
  connected_at_ = Clock::now();
  buffer_.resize(kReadBufferBytes);
  auto on_exit = [logger = &services_.logger, peer = peer_](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      logger->error("connection {}: unexpected failure: {}", peer, e.what());
    }
  };
  auto self = shared_from_this();
  asio::co_spawn(
      socket_.get_executor(), [self] { return self->ReadLoop(); }, on_exit);
  asio::co_spawn(
      socket_.get_executor(), [self] { return self->WriteLoop(); }, on_exit);
  asio::co_spawn(
      socket_.get_executor(), [self] { return self->Watchdog(); }, on_exit);
  services_.logger.debug("connection {} opened", peer_);
}

asio::awaitable<void> Session::ReadLoop() {
  while (!stop_reading_) {
    if (!co_await Fill(limits::kFrameHeaderBytes, false)) break;
    const auto header = protocol::DecodeFrameHeader(buffer_.data() + begin_);
    const auto check = protocol::CheckFrameHeader(header);
    if (check == protocol::FrameHeaderCheck::kEmpty) {
      Fail(protocol::ErrorCode::MalformedFrame, "a frame announced an empty message");
      break;
    }
    if (check == protocol::FrameHeaderCheck::kTooLarge) {
      Fail(protocol::ErrorCode::FrameTooLarge,
           fmt::format("a message holds at most {} bytes; this frame announced {}",
                       limits::kMessageBytesMax, header.length));
      break;
    }
    if (!identity_ && header.length > kUnauthenticatedMessageBytesMax) {
      Fail(protocol::ErrorCode::FrameTooLarge,
           fmt::format("before authenticating, a message holds at most {} bytes; this frame "
                       "announced {}",
                       kUnauthenticatedMessageBytesMax, header.length));
      break;
    }
    const std::size_t frame_bytes = limits::kFrameHeaderBytes + header.length;
    if (end_ - begin_ < frame_bytes) {
      ArmDeadline(DeadlineKind::kFrame, Clock::now() + services_.options.frame_read_timeout);
      if (!co_await Fill(frame_bytes, true)) break;
    }
    std::string_view message(buffer_.data() + begin_ + limits::kFrameHeaderBytes, header.length);
    bool keep_reading = false;
    if (protocol::Crc32(message) != header.crc32) {
      Fail(protocol::ErrorCode::MalformedFrame, "the frame's checksum does not match its message");
    } else {
      keep_reading = HandleMessage(message);
    }
    begin_ += frame_bytes;
    if (begin_ == end_) begin_ = end_ = 0;
    if (!keep_reading) break;
    while (outbound_bytes_ >= limits::kOutboundBytesMax && !stop_reading_) {
      // Flow control: read nothing more until the client reads its responses.
      reader_wake_.expires_at(Clock::time_point::max());
      error_code ec;
      co_await reader_wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }
  reading_ = false;
  if (!close_when_flushed_) DropSubscriptions();
  MaybeFinish();
}

asio::awaitable<bool> Session::Fill(std::size_t bytes, bool frame_started) {
  while (end_ - begin_ < bytes) {
    if (stop_reading_) co_return false;
    MakeRoom(bytes);
    if (!frame_started) ArmHeaderDeadline(end_ > begin_);
    waiting_for_header_ = !frame_started;
    error_code ec;
    std::size_t read =
        co_await socket_.async_read_some(asio::buffer(buffer_.data() + end_, buffer_.size() - end_),
                                         asio::redirect_error(asio::use_awaitable, ec));
    waiting_for_header_ = false;
    if (ec) co_return false;
    end_ += read;
  }
  co_return true;
}

void Session::MakeRoom(std::size_t bytes) {
  const std::size_t buffered = end_ - begin_;
  if (begin_ > 0 && (buffer_.size() - begin_ < bytes || buffer_.size() - end_ < 4096)) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, buffered);
    begin_ = 0;
    end_ = buffered;
  }
  const std::size_t wanted = std::max(bytes, kReadBufferBytes);
  if (buffer_.size() < wanted) {
    buffer_.resize(wanted);
  } else if (buffer_.size() > kReadBufferBytes && wanted == kReadBufferBytes &&
             buffered <= kReadBufferBytes / 2) {
    // A large frame is done: give its memory back.
    std::vector<char> smaller(kReadBufferBytes);
    std::memcpy(smaller.data(), buffer_.data() + begin_, buffered);
    buffer_.swap(smaller);
    begin_ = 0;
    end_ = buffered;
  }
}

asio::awaitable<void> Session::WriteLoop() {
  std::vector<Outgoing> writing;
  std::vector<asio::const_buffer> buffers;
  while (!force_closed_) {
    if (queue_.empty()) {
      if (close_when_flushed_) break;
      writer_wake_.expires_at(Clock::time_point::max());
      error_code ec;
      co_await writer_wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    writing.swap(queue_);
    std::size_t bytes = 0;
    for (const Outgoing& outgoing : writing) {
      buffers.push_back(asio::buffer(outgoing.frame));
      bytes += outgoing.frame.size() + kQueuedFrameOverheadBytes;
    }
    error_code ec;
    co_await asio::async_write(socket_, buffers, asio::redirect_error(asio::use_awaitable, ec));
    outbound_bytes_ -= bytes;
    for (Outgoing& outgoing : writing) {
      if (outgoing.on_sent) outgoing.on_sent(!ec);
    }
    writing.clear();
    buffers.clear();
    if (ec) break;
    if (outbound_bytes_ < limits::kOutboundBytesMax) reader_wake_.cancel();
    PumpSubscriptions();
  }
  Close();
}

asio::awaitable<void> Session::Watchdog() {
  while (!closed_) {
    watchdog_.expires_at(deadline_);
    error_code ec;
    co_await watchdog_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (closed_ || deadline_kind_ == DeadlineKind::kNone || Clock::now() < deadline_) continue;
    switch (deadline_kind_) {
      case DeadlineKind::kAuthenticate:
        Fail(protocol::ErrorCode::DeadlineExceeded, "no authentication in time");
        break;
      case DeadlineKind::kFrame:
        Fail(protocol::ErrorCode::DeadlineExceeded, "the rest of the frame did not arrive in time");
        break;
      case DeadlineKind::kIdle:
        Fail(protocol::ErrorCode::DeadlineExceeded, "the connection was idle too long");
        break;
      case DeadlineKind::kNone:
        break;
    }
    co_return;
  }
}

void Session::ArmDeadline(DeadlineKind kind, Clock::time_point deadline) {
  deadline_kind_ = kind;
  deadline_ = kind == DeadlineKind::kNone ? Clock::time_point::max() : deadline;
  if (deadline_ < watchdog_.expiry()) watchdog_.cancel();
}

void Session::ArmHeaderDeadline(bool frame_started) {
  const ServerOptions& options = services_.options;
  if (!identity_) {
    ArmDeadline(DeadlineKind::kAuthenticate, connected_at_ + options.authenticate_timeout);
  } else if (frame_started) {
    ArmDeadline(DeadlineKind::kFrame, Clock::now() + options.frame_read_timeout);
  } else if (in_flight_ == 0 && subscriptions_.empty()) {
    ArmDeadline(DeadlineKind::kIdle, Clock::now() + options.idle_timeout);
  } else {
    ArmDeadline(DeadlineKind::kNone, {});
  }
}

void Session::Enqueue(std::string frame, SentCallback on_sent) {
  if (closed_) {
    if (on_sent) on_sent(false);
    return;
  }
  static_assert(sizeof(Outgoing) < kQueuedFrameOverheadBytes);
  outbound_bytes_ += frame.size() + kQueuedFrameOverheadBytes;
  queue_.push_back(Outgoing{std::move(frame), std::move(on_sent)});
  writer_wake_.cancel();
}

void Session::Deliver(std::string frame, bool final, SentCallback on_sent) {
  if (closed_) {
    if (on_sent) on_sent(false);
    return;
  }
  if (final) --in_flight_;
  if (!close_when_flushed_) {
    Enqueue(std::move(frame), std::move(on_sent));
  } else if (on_sent) {
    on_sent(false);
  }
  if (!final) return;
  MaybeFinish();
  if (waiting_for_header_ && in_flight_ == 0) ArmHeaderDeadline(false);
}

void Session::Fail(protocol::ErrorCode code, std::string_view message, std::uint64_t request_id) {
  if (close_when_flushed_ || closed_) return;
  services_.logger.info("closing connection {}: {}: {}", peer_, protocol::EnumNameErrorCode(code),
                        message);
  Enqueue(ErrorFrame(request_id, code, message));
  close_when_flushed_ = true;
  DropSubscriptions();
  StopReading();
}

void Session::StopReading() {
  if (stop_reading_) return;
  stop_reading_ = true;
  reader_wake_.cancel();
  error_code ec;
  // Wakes a read in progress (it ends as if the client had closed).
  socket_.shutdown(asio::ip::tcp::socket::shutdown_receive, ec);
}

void Session::MaybeFinish() {
  if (reading_ || in_flight_ > 0 || close_when_flushed_) return;
  if (shutting_down_) {
    Enqueue(ErrorFrame(0, protocol::ErrorCode::ShuttingDown, "the server is stopping"));
  }
  close_when_flushed_ = true;
  writer_wake_.cancel();
}

void Session::BeginShutdown() {
  if (closed_) return;
  shutting_down_ = true;
  DropSubscriptions();
  StopReading();
  MaybeFinish();
}

void Session::ForceClose() {
  if (closed_) return;
  force_closed_ = true;
  error_code ec;
  socket_.close(ec);
  writer_wake_.cancel();
}

void Session::Close() {
  if (closed_) return;
  closed_ = true;
  stop_reading_ = true;
  error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  watchdog_.cancel();
  reader_wake_.cancel();
  subscriptions_.clear();
  for (Outgoing& outgoing : queue_) {
    if (outgoing.on_sent) outgoing.on_sent(false);
  }
  queue_.clear();
  services_.sessions.Remove(id_);
  services_.logger.debug("connection {} closed", peer_);
}

}  // namespace ledger::server

// One client connection: reads frames, authenticates, dispatches requests, writes responses,
// runs the connection's subscriptions and enforces its deadlines and limits.
//
// Three coroutines on the io thread share the connection's state (no locks needed):
//   ReadLoop   frames in: header, bound check, body, CRC, verification, dispatch; pauses while
//              more than limits::kOutboundBytesMax of responses wait to be written;
//   WriteLoop  frames out: everything queued goes in one gathered write;
//   Watchdog   closes the connection when its current deadline passes (authentication,
//              the rest of a started frame, or silence with nothing in flight).
// A broken limit queues an error frame, stops reading, and closes once that frame is written;
// responses still in flight are then dropped. BeginShutdown() instead lets requests in flight
// finish, sends `ShuttingDown`, and closes.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "asio_coroutines.h"
#include "authenticator.h"
#include "event_reads.h"
#include "responder.h"
#include "services.h"

namespace ledger::server {

class Session final : public ResponseSink, public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, Services& services, std::uint64_t id);

  /// Starts the coroutines. Call once, on the io thread.
  void Start();
  /// Graceful close: stop reading, finish what is in flight, say so, close.
  void BeginShutdown();
  /// Closes now, dropping what is queued.
  void ForceClose();
  /// The log's durable head moved: wake the subscriptions.
  void OnHeadAdvanced(SequenceNumber head);
  void Deliver(std::string frame, bool final, SentCallback on_sent) override;

 private:
  using Clock = std::chrono::steady_clock;
  enum class DeadlineKind : std::uint8_t { kNone, kAuthenticate, kFrame, kIdle };
  struct Subscription {
    std::uint64_t next = 1;
    bool reading = false;
    bool caught_up_sent = false;
  };

  boost::asio::awaitable<void> ReadLoop();
  boost::asio::awaitable<void> WriteLoop();
  boost::asio::awaitable<void> Watchdog();
  /// Reads until `bytes` are buffered; false when reading stopped (EOF, error, closing).
  boost::asio::awaitable<bool> Fill(std::size_t bytes, bool frame_started);
  void MakeRoom(std::size_t bytes);

  /// Handles one verified-CRC message; false when the connection must stop reading.
  bool HandleMessage(std::string_view message);
  bool HandleAuthenticate(const protocol::Request& request);
  bool HandleSubscribe(const protocol::Request& request);
  void HandleUnsubscribe(const protocol::Request& request);
  void PumpSubscriptions();
  void OnSubscriptionRead(std::uint64_t id, Result<VisibleEvents> read);
  void DropSubscriptions();

  void Enqueue(std::string frame, SentCallback on_sent = {});
  /// Sends `code` (under `request_id`, 0: the connection) and closes once it is written.
  void Fail(protocol::ErrorCode code, std::string_view message, std::uint64_t request_id = 0);
  void StopReading();
  /// Closes once reading stopped and nothing is in flight.
  void MaybeFinish();
  void Close();

  void ArmDeadline(DeadlineKind kind, Clock::time_point deadline);
  void ArmHeaderDeadline(bool frame_started);

  boost::asio::ip::tcp::socket socket_;
  Services& services_;
  const std::uint64_t id_;
  std::string peer_;
  std::string source_;
  Clock::time_point connected_at_;
  std::optional<Identity> identity_;

  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::vector<std::uint64_t> aligned_;
  bool reading_ = true;
  bool stop_reading_ = false;
  bool waiting_for_header_ = false;
  boost::asio::steady_timer reader_wake_;

  struct Outgoing {
    std::string frame;
    SentCallback on_sent;
  };
  std::vector<Outgoing> queue_;
  std::size_t outbound_bytes_ = 0;
  boost::asio::steady_timer writer_wake_;
  bool close_when_flushed_ = false;
  bool force_closed_ = false;
  bool closed_ = false;
  bool shutting_down_ = false;

  boost::asio::steady_timer watchdog_;
  Clock::time_point deadline_ = Clock::time_point::max();
  DeadlineKind deadline_kind_ = DeadlineKind::kNone;

  std::size_t in_flight_ = 0;
  std::unordered_map<std::uint64_t, Subscription> subscriptions_;
  SequenceNumber known_head_;
};

}  // namespace ledger::server

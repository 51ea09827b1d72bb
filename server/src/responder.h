// How a request handler answers without touching a socket: a Responder names the request
// and the connection's response sink, and may be used from any thread (the Ledger's commit
// thread, the blocking pool). Frames always reach the sink on the io thread.
//
// Every request gets exactly one final frame (Finish or Fail); streaming requests may Push
// frames before it. A Responder of a closed connection drops what it is given.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "ledger/schema/protocol_generated.h"

namespace ledger::server {

/// Told whether a pushed frame reached the socket (true) or was dropped with its connection.
using SentCallback = std::function<void(bool written)>;

class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  /// Called on the io thread. `final`: the request is answered. `on_sent` (may be empty) runs
  /// once the frame is written or dropped.
  virtual void Deliver(std::string frame, bool final, SentCallback on_sent) = 0;
};

class Responder {
 public:
  Responder(std::weak_ptr<ResponseSink> sink, std::shared_ptr<boost::asio::io_context> io,
            std::uint64_t request_id)
      : sink_(std::move(sink)), io_(std::move(io)), request_id_(request_id) {}

  std::uint64_t request_id() const { return request_id_; }

  /// The final response frame.
  void Finish(std::string frame) const { Send(std::move(frame), true, {}); }
  /// Fails the request with `code`.
  void Fail(protocol::ErrorCode code, std::string_view message) const;
  /// A frame of a streaming response; the request stays in flight. `on_sent` lets a producer
  /// wait for the client to read before making more (flow control).
  void Push(std::string frame, SentCallback on_sent = {}) const {
    Send(std::move(frame), false, std::move(on_sent));
  }

  /// Runs `work` on the io thread (now, when already there).
  template <typename Work>
  void OnIoThread(Work&& work) const {
    if (io_->get_executor().running_in_this_thread()) {
      work();
    } else {
      boost::asio::post(*io_, std::forward<Work>(work));
    }
  }

 private:
  void Send(std::string frame, bool final, SentCallback on_sent) const;

  std::weak_ptr<ResponseSink> sink_;
  /// Shared: a response finished after the server stopped posts into a context still alive.
  std::shared_ptr<boost::asio::io_context> io_;
  std::uint64_t request_id_;
};

}  // namespace ledger::server

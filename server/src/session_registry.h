// The open connections: for the connection limit, graceful shutdown, and waking the
// connections that follow the log when its head moves. Used on the io thread only, except
// size(), which any thread may read.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "ledger/engine/types.h"

namespace ledger::server {

class Session;

class SessionRegistry {
 public:
  void Add(std::uint64_t id, std::weak_ptr<Session> session);
  void Remove(std::uint64_t id);
  /// Whether the session has live subscriptions (only those hear about a new head).
  void SetSubscriber(std::uint64_t id, bool subscribed);

  void NotifyHead(SequenceNumber head);
  void ForEach(const std::function<void(Session&)>& visit);
  std::size_t size() const { return size_.load(); }

 private:
  std::unordered_map<std::uint64_t, std::weak_ptr<Session>> sessions_;
  std::unordered_set<std::uint64_t> subscribers_;
  std::atomic<std::size_t> size_{0};
};

}  // namespace ledger::server

#include "session_registry.h"

#include <vector>

#include "session.h"

namespace ledger::server {

void SessionRegistry::Add(std::uint64_t id, std::weak_ptr<Session> session) {
  sessions_.emplace(id, std::move(session));
  size_.store(sessions_.size());
}

void SessionRegistry::Remove(std::uint64_t id) {
  sessions_.erase(id);
  subscribers_.erase(id);
  size_.store(sessions_.size());
}

void SessionRegistry::SetSubscriber(std::uint64_t id, bool subscribed) {
  if (subscribed) {
    subscribers_.insert(id);
  } else {
    subscribers_.erase(id);
  }
}

void SessionRegistry::NotifyHead(SequenceNumber head) {
  std::vector<std::shared_ptr<Session>> alive;
  alive.reserve(subscribers_.size());
  for (auto id : subscribers_) {
    auto found = sessions_.find(id);
    if (found == sessions_.end()) continue;
    if (auto session = found->second.lock()) alive.push_back(std::move(session));
  }
  for (auto& session : alive) session->OnHeadAdvanced(head);
}

void SessionRegistry::ForEach(const std::function<void(Session&)>& visit) {
  std::vector<std::shared_ptr<Session>> alive;
  for (auto& [id, weak] : sessions_) {
    if (auto session = weak.lock()) alive.push_back(std::move(session));
  }
  for (auto& session : alive) visit(*session);
}

}  // namespace ledger::server

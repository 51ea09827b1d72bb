#include "auth_lockout.h"

namespace ledger::server {

AuthLockout::AuthLockout(std::size_t failures_max, std::chrono::milliseconds lockout,
                         std::size_t sources_max)
    : failures_max_(failures_max), lockout_(lockout), sources_max_(sources_max) {}

bool AuthLockout::IsLockedOut(const std::string& source, Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(source);
  return found != entries_.end() && found->second.locked_until > now;
}

bool AuthLockout::RecordFailure(const std::string& source, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(source);
  if (found == entries_.end()) {
    if (entries_.size() >= sources_max_) ForgetStalest();
    found = entries_.emplace(source, Entry{0, now, {}}).first;
  }
  Entry& entry = found->second;
  // Failures older than one lockout period no longer count.
  if (now - entry.first_failure > lockout_ && entry.locked_until <= now) entry = Entry{0, now, {}};
  ++entry.failures;
  if (entry.failures >= failures_max_ && entry.locked_until <= now) {
    entry.locked_until = now + lockout_;
    entry.failures = 0;
    entry.first_failure = now;
    return true;
  }
  return false;
}

void AuthLockout::RecordSuccess(const std::string& source) {
  std::lock_guard lock(mutex_);
  entries_.erase(source);
}

void AuthLockout::ForgetStalest() {
  auto stalest = entries_.begin();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    auto latest = std::max(it->second.first_failure, it->second.locked_until);
    if (latest < std::max(stalest->second.first_failure, stalest->second.locked_until)) {
      stalest = it;
    }
  }
  if (stalest != entries_.end()) entries_.erase(stalest);
}

}  // namespace ledger::server

// Locks out a source address after repeated failed authentications: after
// limits::kAuthenticationFailuresMax failures (within the lockout period), the source is
// refused for limits::kAuthenticationLockoutMs, whatever credential it presents. A success
// clears its count. At most limits::kAuthenticationSourcesTrackedMax sources are remembered;
// past that the stalest entry is forgotten. Thread-safety: internally synchronized.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ledger::server {

class AuthLockout {
 public:
  using Clock = std::chrono::steady_clock;

  AuthLockout(std::size_t failures_max, std::chrono::milliseconds lockout, std::size_t sources_max);

  bool IsLockedOut(const std::string& source, Clock::time_point now) const;
  /// Counts a failure; true when this one locks the source out.
  bool RecordFailure(const std::string& source, Clock::time_point now);
  void RecordSuccess(const std::string& source);

 private:
  struct Entry {
    std::size_t failures = 0;
    Clock::time_point first_failure;
    Clock::time_point locked_until;
  };
  void ForgetStalest();

  const std::size_t failures_max_;
  const std::chrono::milliseconds lockout_;
  const std::size_t sources_max_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace ledger::server

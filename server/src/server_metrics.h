// Counters and rates ledgerd reports in Stats: requests served, and events appended and
// requests per second over the last few seconds (sampled once a second).
// Thread-safety: counters are atomic; Sample and the rates are internally synchronized.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace ledger::server {

class ServerMetrics {
 public:
  using Clock = std::chrono::steady_clock;

  ServerMetrics() : started_(Clock::now()) {}

  void CountRequest() { requests_total_.fetch_add(1, std::memory_order_relaxed); }
  std::uint64_t requests_total() const { return requests_total_.load(); }
  std::uint64_t uptime_seconds() const;

  /// Records the log's appended-events counter at `now` (called about once a second).
  void Sample(std::uint64_t events_appended, Clock::time_point now);
  double events_per_second() const;
  double requests_per_second() const;

 private:
  struct Point {
    Clock::time_point time;
    std::uint64_t events = 0;
    std::uint64_t requests = 0;
  };
  static constexpr std::size_t kWindow = 5;

  double Rate(std::uint64_t Point::*counter) const;

  const Clock::time_point started_;
  std::atomic<std::uint64_t> requests_total_{0};
  mutable std::mutex mutex_;
  std::array<Point, kWindow + 1> points_{};
  std::size_t samples_ = 0;
};

}  // namespace ledger::server

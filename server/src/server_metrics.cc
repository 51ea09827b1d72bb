#include "server_metrics.h"

namespace ledger::server {

std::uint64_t ServerMetrics::uptime_seconds() const {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_).count());
}

void ServerMetrics::Sample(std::uint64_t events_appended, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  points_[samples_ % points_.size()] = Point{now, events_appended, requests_total_.load()};
  ++samples_;
}

double ServerMetrics::Rate(std::uint64_t Point::*counter) const {
  std::lock_guard lock(mutex_);
  if (samples_ < 2) return 0;
  const Point& newest = points_[(samples_ - 1) % points_.size()];
  const std::size_t span = std::min(samples_ - 1, kWindow);
  const Point& oldest = points_[(samples_ - 1 - span) % points_.size()];
  double seconds = std::chrono::duration<double>(newest.time - oldest.time).count();
  if (seconds <= 0) return 0;
  return static_cast<double>(newest.*counter - oldest.*counter) / seconds;
}

double ServerMetrics::events_per_second() const { return Rate(&Point::events); }
double ServerMetrics::requests_per_second() const { return Rate(&Point::requests); }

}  // namespace ledger::server

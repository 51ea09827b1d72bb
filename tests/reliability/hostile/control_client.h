// The control client: an ordinary root client that does one append or one ping at a time,
// with a short pause between requests, and records each request's latency under the phase
// (the attack) that was running when it was sent. Every request must succeed, whatever the
// attackers do. Thread-safety: SetPhase, Stop and the readers may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger/client/client.h"

namespace ledger::testing {

struct LatencySummary {
  std::size_t requests = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

class ControlClient {
 public:
  /// Connects as root; connected() says whether it did.
  ControlClient(std::uint16_t port, const std::string& root_credential);
  ~ControlClient();

  bool connected() const { return client_ != nullptr; }
  void Start();
  void Stop();
  void SetPhase(const std::string& phase);

  LatencySummary Summary(const std::string& phase) const;
  /// Over every phase but `excluded`.
  LatencySummary SummaryExcept(const std::vector<std::string>& excluded) const;
  /// Requests that failed, as "phase: error", in order.
  std::vector<std::string> Failures() const;
  std::size_t Requests() const;

 private:
  void Run();

  std::unique_ptr<client::Client> client_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::string phase_;
  std::map<std::string, std::vector<double>> latencies_ms_;
  std::vector<std::string> failures_;
};

}  // namespace ledger::testing

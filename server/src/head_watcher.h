// Tells the server when the log's durable head moves, whoever appended: one thread blocks in
// Log::WaitForSequence (no polling) and hands each new head to a callback, which posts it to
// the io thread for the subscriptions. Thread-safety: Start/Stop from one owner thread.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

#include "ledger/engine/log.h"

namespace ledger::server {

class HeadWatcher {
 public:
  using Callback = std::function<void(SequenceNumber head)>;

  HeadWatcher(const Log& log, Callback on_advance);
  ~HeadWatcher();
  HeadWatcher(const HeadWatcher&) = delete;
  HeadWatcher& operator=(const HeadWatcher&) = delete;

  void Start();
  /// Returns once the thread has stopped (within one wait period).
  void Stop();

 private:
  void Run();

  const Log& log_;
  Callback on_advance_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ledger::server

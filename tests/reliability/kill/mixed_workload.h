// The kill driver's load: connections that pipeline batches of domain commands on one
// platform — orders taken through transaction, authorization, capture and sometimes a
// refund, fee or chargeback, and withdrawals requested then settled or failed — recording
// every command in the journal before it is sent and every answer when it comes.
//
// A chain of one order's commands moves one step per acknowledgement, so later steps
// depend on earlier ones across requests. Workers stop when the connection dies (the
// server was killed) or Stop() is called.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "kill/command_journal.h"

namespace ledger::reliability {

struct WorkloadOptions {
  std::uint16_t port = 0;
  std::string root_credential;
  std::string platform;
  /// Bank account ids per currency ("EUR", "USD").
  std::string bank_eur;
  std::string bank_usd;
  int connections = 4;
  /// Requests in flight per connection.
  int pipeline = 4;
  /// Commands per request: 1 to this many.
  int batch_max = 16;
  std::uint64_t seed = 1;
  /// Makes ids and keys unique across restarts.
  std::uint64_t cycle = 0;
};

class MixedWorkload {
 public:
  MixedWorkload(WorkloadOptions options, CommandJournal& journal);
  ~MixedWorkload();
  void Start();
  /// Asks the workers to stop and waits for them (after a kill they stop on their own).
  void Stop();
  std::uint64_t requests_sent() const { return requests_sent_.load(); }

 private:
  void RunWorker(int worker);

  WorkloadOptions options_;
  CommandJournal& journal_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> requests_sent_{0};
  std::vector<std::thread> workers_;
};

}  // namespace ledger::reliability

// What must hold of a log reopened after a power loss, checked against its History.
//
// The log is whole: gapless from 1 to its head, every event intact and chained (Verify from
// genesis), each one a request that was submitted, stored once, with its idempotency key, at
// its stream's next version. Every acknowledged append is there as acknowledged: the same
// sequence, stream, version and payload. The rebuilt index agrees with the log on every
// stream's last version, and every acknowledged idempotency key still answers kDuplicate with
// its original sequence. Unacknowledged appends may or may not have survived.
//
// Thread-safety: call from one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/engine/log.h"
#include "log/crash_workload.h"

namespace ledger::testing {

struct CheckReport {
  /// The first problems found (a few dozen at most).
  std::vector<std::string> problems;
  /// Acknowledged events missing, or not what was acknowledged.
  std::uint64_t lost_acknowledged = 0;
  std::uint64_t acknowledged_checked = 0;

  void Add(std::string problem);
};

/// Checks a log reopened after a power loss against `history`. Retries the acknowledged
/// idempotency keys, which writes nothing, and only when no acknowledged event is lost.
void CheckRecoveredLog(Log& log, const History& history, CheckReport* report);

/// For a log that refuses to open: reads the database at `path` with plain RocksDB and counts
/// the acknowledged events gone from it (a refusal may well be guarding a real loss).
void CountLostOnDisk(const std::string& path, const History& history, CheckReport* report);

}  // namespace ledger::testing

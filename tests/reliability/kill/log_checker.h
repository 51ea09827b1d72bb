// Checks a restarted ledgerd against what the kill driver sent, over the API as root:
//
//   - the chain verifies from the last checked point to the head (which is past it);
//   - the events after that point are gapless and each carries the key of a command sent in
//     the cycle being checked, with the event type that command writes;
//   - every acknowledged command is present at its acknowledged sequence (lost = 0), no
//     rejected command is present, and no key appears twice;
//   - an unacknowledged command is present once or absent (one event per command, so never
//     partly);
//   - a retry of a command that was recorded before the crash is answered with the original
//     sequence and writes nothing.
//
// Figures accumulate over every check. Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kill/command_journal.h"
#include "ledger/client/client.h"
#include "ledger/engine/types.h"

namespace ledger::reliability {

struct KillFigures {
  std::uint64_t kills = 0;
  std::uint64_t commands_sent = 0;
  std::uint64_t acknowledged = 0;
  std::uint64_t rejected = 0;
  std::uint64_t unacknowledged_present = 0;
  std::uint64_t unacknowledged_absent = 0;
  std::uint64_t retries_sent = 0;
  std::uint64_t events_checked = 0;
  std::uint64_t projection_checks = 0;
  /// Must stay 0.
  std::uint64_t lost = 0;
  std::uint64_t double_records = 0;
  std::uint64_t never_sent_present = 0;
};

class LogChecker {
 public:
  /// Checks the events appended since the last check against `cycle` (the commands sent since
  /// then). Returns the violations found (empty when all holds) and adds to `figures`.
  std::vector<std::string> Check(client::Client& root,
                                 const std::map<std::string, SentCommand>& cycle,
                                 KillFigures& figures);
  /// Walks the whole chain from genesis; returns a violation or "".
  std::string VerifyFromGenesis(client::Client& root);

  /// Commands of the last checked cycle that are in the log, key → sequence (retries of
  /// these must be answered with that sequence).
  const std::map<std::string, std::uint64_t>& recorded_last_cycle() const {
    return recorded_last_cycle_;
  }
  const ChainPoint& checked() const { return checked_; }

 private:
  ChainPoint checked_;
  std::map<std::string, std::uint64_t> recorded_last_cycle_;
};

}  // namespace ledger::reliability

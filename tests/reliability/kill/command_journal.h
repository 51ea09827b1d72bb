// What the kill driver sent and what it was told, kept in memory for the checks and written
// to a file so that a failing run can be read back afterwards. Each command has its own
// idempotency key, so the key names it. The file is fdatasync'd before every request goes
// out (covering the answers written since) and at the end of every cycle: one sync per
// request rather than per answer keeps the driver from throttling the load it drives.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ledger/client/commands.h"
#include "ledger/schema/common_generated.h"

namespace ledger::reliability {

enum class Outcome : std::uint8_t {
  /// Sent; no answer yet (or the connection died first).
  kSent,
  /// Acknowledged: durable at `sequence`.
  kAcknowledged,
  /// A domain rejection: nothing may be written.
  kRejected,
};

struct SentCommand {
  std::string key;
  /// The event the command writes when accepted (every domain command writes one).
  schema::EventType event_type = schema::EventType::Opaque;
  /// Rebuilds the identical command, for retries with the same key.
  client::CommandBuilder build;
  Outcome outcome = Outcome::kSent;
  std::uint64_t sequence = 0;
  /// A retry of a command sent before a crash: the log must hold it exactly once.
  bool retry = false;
};

class CommandJournal {
 public:
  /// Appends to `path` (created if missing).
  explicit CommandJournal(const std::string& path);
  ~CommandJournal();
  CommandJournal(const CommandJournal&) = delete;
  CommandJournal& operator=(const CommandJournal&) = delete;

  /// Records commands about to be sent (durably, before they go out).
  void Sent(const std::vector<SentCommand>& commands);
  /// Records an answer: acknowledged at `sequence` or rejected.
  void Answered(const std::string& key, Outcome outcome, std::uint64_t sequence);
  /// Starts a new cycle: returns the commands of the one that ended and forgets them.
  std::map<std::string, SentCommand> TakeCycle();
  /// Commands sent in the current cycle so far.
  std::size_t sent_count() const;

 private:
  void WriteLine(const std::string& line, bool sync);

  mutable std::mutex mutex_;
  int fd_ = -1;
  std::map<std::string, SentCommand> cycle_;
};

}  // namespace ledger::reliability

// A real ledgerd child process for the reliability tests and drivers: `ledgerd init`, serving
// on 127.0.0.1 with a free port, SIGKILL at any moment (even while it recovers), SIGTERM for
// a graceful stop, and its memory read from /proc. Its standard output goes to a file next to
// its log, so that nothing ever blocks on a full pipe; its standard error (the log) is
// appended to `log_file` across every start. The process is killed if its owner goes first.
// Thread-safety: one owner; port(), pid() and the memory readings may be read from any thread.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ledger/engine/status.h"

namespace ledger::testing {

struct LedgerdOptions {
  /// The ledgerd binary.
  std::string ledgerd;
  std::string data_directory;
  /// Where its standard error (its log) is appended; its standard output goes to
  /// "<log_file>.stdout".
  std::string log_file;
  /// Flags after --data and --listen (e.g. {"--log-level", "debug"}).
  std::vector<std::string> flags;
  /// The soft limit of open files ledgerd starts with (RLIM_INFINITY: inherit the caller's).
  rlim_t open_files_soft_limit = RLIM_INFINITY;
};

class LedgerdProcess {
 public:
  /// Runs `ledgerd init` on `options.data_directory`; returns the root credential it printed.
  static Result<std::string> Init(const LedgerdOptions& options);

  /// Does not start anything: Start(), or Spawn() and WaitUntilListening().
  explicit LedgerdProcess(LedgerdOptions options);
  ~LedgerdProcess();
  LedgerdProcess(const LedgerdProcess&) = delete;
  LedgerdProcess& operator=(const LedgerdProcess&) = delete;

  /// Spawns ledgerd and returns at once (it may still be recovering).
  Status Spawn();
  /// Waits until the server printed its address; returns (and remembers) the port.
  Result<std::uint16_t> WaitUntilListening(std::chrono::milliseconds timeout);
  /// Spawn() then WaitUntilListening().
  Result<std::uint16_t> Start(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  /// SIGKILL, then reaps the process.
  void Kill();
  /// SIGTERM, then waits; the exit code (-signal when a signal ended it, -1 if not running).
  int Stop();
  /// True while the process has not exited (reaps it when it has).
  bool Alive();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  /// The port of the last WaitUntilListening(); 0 before.
  std::uint16_t port() const { return port_; }
  const std::string& log_file() const { return options_.log_file; }
  /// Peak and current resident memory from /proc/<pid>/status (VmHWM, VmRSS), bytes.
  std::size_t PeakResidentBytes() const;
  std::size_t ResidentBytes() const;

 private:
  int Reap(int wait_options);

  LedgerdOptions options_;
  std::string stdout_file_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace ledger::testing

// A ledgerd child process for drivers that crash it: `ledgerd init`, serving on 127.0.0.1
// with a free port, SIGKILL at any moment, SIGTERM for a graceful stop. Its standard output
// and error go to files in the work directory so that nothing blocks on a full pipe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "ledger/engine/status.h"

namespace ledger::reliability {

class LedgerdProcess {
 public:
  /// `ledgerd` is the binary; `data` the data directory; `work` a directory for its output;
  /// `extra` more arguments for serving (e.g. "--snapshot-every-events", "2000").
  LedgerdProcess(std::string ledgerd, std::string data, std::string work,
                 std::vector<std::string> extra = {});
  ~LedgerdProcess();
  LedgerdProcess(const LedgerdProcess&) = delete;
  LedgerdProcess& operator=(const LedgerdProcess&) = delete;

  /// Runs `ledgerd init`; returns the root credential it printed.
  Result<std::string> Init();
  /// Spawns `ledgerd --data ... --listen 127.0.0.1:0` and returns as soon as it runs (it may
  /// still be recovering). WaitUntilListening() then learns its port.
  Status Spawn();
  /// Waits until the server printed its address; returns the port.
  Result<std::uint16_t> WaitUntilListening(std::chrono::milliseconds timeout);
  /// SIGKILL, then reaps the process.
  void Kill();
  /// SIGTERM; returns the exit code (or -signal when it died of a signal).
  int Terminate();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  /// Where the server's standard error (its log) goes, across every start.
  const std::string& log_file() const { return log_file_; }

 private:
  int Reap();

  std::string ledgerd_;
  std::string data_;
  std::string stdout_file_;
  std::string log_file_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
};

}  // namespace ledger::reliability

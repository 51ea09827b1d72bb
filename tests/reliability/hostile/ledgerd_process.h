// A real ledgerd process for the reliability tests: `ledgerd init` on a fresh data
// directory, then `ledgerd --listen 127.0.0.1:0` with its log (stderr) going to a file the
// test can read afterwards. The process is killed if the test ends without stopping it.
// Thread-safety: one owner; port(), pid() and the memory readings may be used from any thread.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ledger::testing {

struct LedgerdOptions {
  std::string data_directory;
  std::string log_file;
  /// Extra flags after --data and --listen (e.g. {"--log-level", "debug"}).
  std::vector<std::string> flags;
  /// The soft limit of open files ledgerd starts with (RLIM_INFINITY: inherit the test's).
  rlim_t open_files_soft_limit = RLIM_INFINITY;
};

class LedgerdProcess {
 public:
  /// Runs `ledgerd init --data DIR`; returns the root credential it printed ("" on failure).
  static std::string Init(const std::string& data_directory);

  /// Starts ledgerd and waits for its "listening on" line; port() is 0 when it did not start.
  explicit LedgerdProcess(LedgerdOptions options);
  ~LedgerdProcess();
  LedgerdProcess(const LedgerdProcess&) = delete;
  LedgerdProcess& operator=(const LedgerdProcess&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  /// True while the process has not exited.
  bool Alive();
  /// SIGTERM, then waits; the exit code (-1 when killed by a signal).
  int Stop();

  /// Peak and current resident memory from /proc/<pid>/status (VmHWM, VmRSS), bytes.
  std::size_t PeakResidentBytes() const;
  std::size_t ResidentBytes() const;

 private:
  bool Reap(int options);

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  int exit_code_ = -1;
};

}  // namespace ledger::testing

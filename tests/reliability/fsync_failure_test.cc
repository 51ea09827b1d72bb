// fsync and write failures, injected with strace into a writer process: after the first
// failed fsync or write the log acknowledges nothing more and callers get a storage error; a
// restart recovers with every acknowledged event and accepts writes again.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/engine/log.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

struct WriterOutcome {
  std::map<int, std::uint64_t> acknowledged;  // event number → sequence
  std::string output;
  int failures = 0;
  int acknowledged_after_failure = 0;
  std::string failure_code;
};

/// Runs the writer with every call of `syscalls` from the `fail_from_call`-th on failing EIO.
WriterOutcome RunUnderFaults(const std::string& syscalls, const std::string& directory,
                             int fail_from_call, int events) {
  // The database is created first, without faults.
  std::string create = std::string(LEDGER_FAULT_WRITER) + " " + directory + " 0 > /dev/null";
  EXPECT_EQ(std::system(create.c_str()), 0);
  // LeakSanitizer cannot run under ptrace: an ASan build's writer skips its leak check.
  std::string command = "ASAN_OPTIONS=detect_leaks=0 strace -f -o /dev/null -e trace=" + syscalls +
                        " -e inject=" + syscalls +
                        ":error=EIO:when=" + std::to_string(fail_from_call) + "+ " +
                        LEDGER_FAULT_WRITER + " " + directory + " " + std::to_string(events);
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  WriterOutcome outcome;
  char line[256];
  while (pipe != nullptr && std::fgets(line, sizeof line, pipe) != nullptr) {
    outcome.output += line;
    std::istringstream in(line);
    std::string word;
    int n = 0;
    in >> word >> n;
    if (word == "ack") {
      in >> outcome.acknowledged[n];
      if (outcome.failures > 0) ++outcome.acknowledged_after_failure;
    } else if (word == "fail") {
      if (outcome.failures++ == 0) in >> outcome.failure_code;
    } else if (word == "open-failed") {
      // The failure hit reopening the database: nothing can have been acknowledged.
      ++outcome.failures;
      outcome.failure_code = "open-failed";
    }
  }
  if (pipe != nullptr) pclose(pipe);
  return outcome;
}

/// One run per entry of `fail_from_calls`, each failing every call of `syscalls` from that
/// call on. Early calls may belong to reopening the database (then the open is refused);
/// later ones to group commits.
void CheckFailuresAreFinal(const std::string& syscalls, const std::vector<int>& fail_from_calls) {
  spdlog::set_level(spdlog::level::off);
  int injections = 0, failed_opens = 0, acknowledged_total = 0, acknowledged_after = 0;
  for (int fail_from : fail_from_calls) {
    TempDir directory;
    std::string path = directory.Child("log");
    WriterOutcome outcome = RunUnderFaults(syscalls, path, fail_from, 80);
    ASSERT_GT(outcome.failures, 0)
        << "no " << syscalls << " failed from call " << fail_from << ":\n"
        << outcome.output;
    EXPECT_EQ(outcome.acknowledged_after_failure, 0) << "failing from call " << fail_from;
    if (outcome.failure_code == "open-failed") {
      ++failed_opens;
    } else {
      EXPECT_EQ(outcome.failure_code, "writes_refused_after_failure");
      EXPECT_FALSE(outcome.acknowledged.empty());
    }
    ++injections;
    acknowledged_total += static_cast<int>(outcome.acknowledged.size());
    acknowledged_after += outcome.acknowledged_after_failure;

    LogOptions options;
    options.path = path;
    auto log = Log::Open(options);
    ASSERT_TRUE(log.ok()) << "restart after failing from call " << fail_from << ": "
                          << log.status().ToString() << "\n"
                          << outcome.output;
    for (const auto& [n, sequence] : outcome.acknowledged) {
      auto events = (*log)->ReadRange(SequenceNumber{sequence}, 1);
      ASSERT_TRUE(events.ok() && events->size() == 1) << "acknowledged event " << n << " lost";
      EXPECT_EQ(events->front().payload(), "event-" + std::to_string(n));
    }
    auto verified = (*log)->Verify(std::nullopt);
    ASSERT_TRUE(verified.ok());
    EXPECT_TRUE(verified->ok) << verified->problem;
    AppendRequest next;
    next.event.stream = "wallet/p/EUR";
    next.event.payload = "after restart";
    auto appended = (*log)->Append({next});
    ASSERT_TRUE(appended.ok()) << appended.status().ToString();
    EXPECT_EQ(appended->front().code, AppendCode::kAppended);
  }
  std::printf(
      "%s failures injected in %d runs (%d hit the reopen): %d events acknowledged before "
      "them, %d after (must be 0); every run restarted with all of them\n",
      syscalls.c_str(), injections, failed_opens, acknowledged_total, acknowledged_after);
  EXPECT_LT(failed_opens, injections / 2) << "most failures must hit group commits";
}

TEST(FsyncFailureTest, NothingIsAcknowledgedAfterAFailedFsyncAndARestartRecovers) {
  // One fsync per group commit.
  CheckFailuresAreFinal("fsync,fdatasync", {5, 6, 8, 10, 12, 15, 20, 30, 45, 60});
}

TEST(FsyncFailureTest, NothingIsAcknowledgedAfterAFailedWriteAndARestartRecovers) {
  if (LEDGER_SANITIZER_RUNTIME) {
    // The sanitizers' runtime checks memory through write(2) on a pipe and aborts when it fails.
    GTEST_SKIP() << "write(2) failures cannot be injected under a sanitizer runtime";
  }
  // strace counts calls per thread: opening writes the manifest, options and marker files,
  // then the commit thread writes the WAL.
  CheckFailuresAreFinal("write", {12, 15, 18, 20, 25, 30, 35, 40, 50, 60});
}

}  // namespace
}  // namespace ledger::testing

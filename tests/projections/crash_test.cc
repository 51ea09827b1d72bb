// Crash during projection: a projector process is killed again and again (between batches,
// or at any moment), reopened each time, until it catches up. Its views must then have the
// digest of views built in one go: no event applied twice, none skipped.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "projections/fixture.h"

extern char** environ;

namespace ledger::testing {
namespace {

struct Outcome {
  bool killed = false;
  bool caught_up = false;
};

Outcome RunHelper(const std::string& log, const std::string& views, long kill_after_batches,
                  int kill_after_ms) {
  const std::string kill_after = std::to_string(kill_after_batches);
  const char* argv[] = {LEDGER_CRASH_HELPER, log.c_str(), views.c_str(), kill_after.c_str(),
                        nullptr};
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, LEDGER_CRASH_HELPER, nullptr, nullptr, const_cast<char* const*>(argv),
                        environ),
            0);
  if (kill_after_ms > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
    kill(pid, SIGKILL);
  }
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  Outcome outcome;
  outcome.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  outcome.caught_up = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  EXPECT_TRUE(outcome.killed || outcome.caught_up) << "helper failed with status " << status;
  return outcome;
}

class CrashTest : public ProjectionTest {
 protected:
  Result<projections::ViewsDigest> views_digest() { return views().CanonicalDigest(); }
};

TEST_F(CrashTest, KilledProjectorResumesToTheSameDigest) {
  scenario_->SetUp();
  scenario_->Run(8000, 10);
  const SequenceNumber head = log_->Head().sequence;
  log_.reset();  // The helper opens the log: one process at a time.

  const std::string views = directory_.Child("views");
  int kills = 0;
  bool caught_up = false;
  for (int round = 0; round < 200 && !caught_up; ++round) {
    const std::int64_t pick =
        std::uniform_int_distribution<std::int64_t>(1, 6)(scenario_->random());
    // Even rounds die between two batches; odd ones at a random moment, often mid-batch.
    const Outcome outcome = round % 2 == 0
                                ? RunHelper(directory_.Child("log"), views, pick, 0)
                                : RunHelper(directory_.Child("log"), views, 0, 5 + 10 * pick);
    kills += outcome.killed ? 1 : 0;
    caught_up = outcome.caught_up;
  }
  ASSERT_TRUE(caught_up);
  EXPECT_GE(kills, 10);

  OpenLog();
  OpenProjector(0, /*start=*/false);
  auto survived = views_digest();
  projector_.reset();
  std::filesystem::remove_all(views);
  OpenProjector();
  CatchUp();
  auto fresh = views_digest();
  ASSERT_TRUE(survived.ok() && fresh.ok());
  for (const auto& projection : survived->projections) {
    EXPECT_EQ(projection.checkpoint.sequence, head);
  }
  for (std::size_t i = 0; i < projections::kProjectionCount; ++i) {
    EXPECT_EQ(survived->projections[i].rows, fresh->projections[i].rows) << i;
    EXPECT_EQ(survived->projections[i].digest, fresh->projections[i].digest) << i;
  }
  EXPECT_EQ(survived->digest, fresh->digest);
}

}  // namespace
}  // namespace ledger::testing

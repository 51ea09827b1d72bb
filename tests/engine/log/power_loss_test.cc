// Power loss at random points of a concurrent append workload: every acknowledged event
// survives exactly as acknowledged, and the log reopens whole.
//
// One crash point: open the log on a SyncedOnlyFileSystem, let worker threads append
// (crash_workload.h), and have the disk die after a random number of writes and syncs, in a
// planned phase: while the log opens (creating or recovering it), while the workers append,
// or while the log closes (writing out its index and its acknowledged-head marker). Then
// close the log, drop every unsynced byte, reopen on a fresh file system and hold the log
// against every acknowledgement (recovery_check.h). The dead disk refuses every write after
// the crash point, so whatever the log acknowledged was synced before it and must be there.
// A database lives through several crash points, so recovering a recovered log is covered,
// and every check ends with a clean close and one more power loss.
//
// A crash point's choices come from the printed seed: LEDGER_TEST_SEED=<n> replays them
// (thread interleavings, and so the exact operation the disk dies at, still differ run to
// run). LEDGER_CRASH_POINTS=<n> runs more points for a soak.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/logger.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ledger/engine/log.h"
#include "log/crash_workload.h"
#include "log/recovery_check.h"
#include "support/synced_only_fs.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

constexpr std::uint64_t kDefaultCrashPoints = 300;
/// A database lives through this many crash points before a fresh one starts, so the
/// checks (which read the whole log) stay linear in the number of points.
constexpr int kCrashPointsPerDatabase = 10;
constexpr int kWorkers = 4;
/// Where the disk dies, out of 16 crash points: 2 while the log opens, 2 while it closes,
/// the rest while appending.
constexpr std::uint64_t kCrashPlanSlots = 16;
constexpr std::uint64_t kCrashWhileOpeningSlots = 2;
constexpr std::uint64_t kCrashWhileClosingSlots = 2;
/// The fsync-skipping log loses acknowledged events whenever the disk dies mid-workload
/// (three points in four); a generous bound keeps a miss out of reach.
constexpr int kUnsafeCrashPointsMax = 40;

std::uint64_t EnvironmentNumber(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  return text == nullptr || *text == '\0' ? fallback : std::strtoull(text, nullptr, 10);
}

std::uint64_t TestSeed() {
  std::random_device device;
  const std::uint64_t fresh = (std::uint64_t{device()} << 32) | device();
  const std::uint64_t seed = EnvironmentNumber("LEDGER_TEST_SEED", fresh);
  std::cout << "[   seed   ] LEDGER_TEST_SEED=" << seed << std::endl;
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  return seed;
}

enum class CrashPhase { kOpening, kAppending, kClosing, kNone };
constexpr std::array<const char*, 4> kPhaseNames = {"while opening", "while appending",
                                                    "while closing", "never"};

class CrashLoop {
 public:
  CrashLoop(std::uint64_t seed, int points_per_database, bool skip_fsync)
      : seed_(seed), points_per_database_(points_per_database), skip_fsync_(skip_fsync) {}

  /// Runs one crash point and checks the recovered log; the report is empty when it holds.
  CheckReport RunCrashPoint(int point) {
    std::seed_seq sequence{seed_ & 0xffffffffu, seed_ >> 32, static_cast<std::uint64_t>(point)};
    std::mt19937_64 random(sequence);
    if (point % points_per_database_ == 0) {
      directory_ = std::make_unique<TempDir>();
      history_ = History();
    }
    CheckReport report;
    last_phase_ = Crash(point, random, &report);
    ++phases_[static_cast<std::size_t>(last_phase_)];
    if (report.problems.empty()) CheckRecovered(&report);
    acknowledged_checked_ += report.acknowledged_checked;
    return report;
  }

  const char* last_phase() const { return kPhaseNames[static_cast<std::size_t>(last_phase_)]; }
  std::string Summary() const {
    return fmt::format("{} {}, {} {}, {} {}, {} {}", phases_[0], kPhaseNames[0], phases_[1],
                       kPhaseNames[1], phases_[2], kPhaseNames[2], phases_[3], kPhaseNames[3]);
  }
  std::uint64_t acknowledged_checked() const { return acknowledged_checked_; }

 private:
  LogOptions Options(rocksdb::Env* env) const {
    LogOptions options;
    options.path = directory_->Child("log");
    options.create_if_missing = true;
    options.env = env;
    options.logger = quiet_;
    options.unsafe_skip_fsync_for_tests = skip_fsync_;
    return options;
  }

  CrashPhase Crash(int point, std::mt19937_64& random, CheckReport* report) {
    auto fs = std::make_shared<SyncedOnlyFileSystem>();
    auto env = SyncedOnlyFileSystem::NewEnv(fs);
    const std::uint64_t slot = random() % kCrashPlanSlots;
    const CrashPhase planned = slot < kCrashWhileOpeningSlots ? CrashPhase::kOpening
                               : slot < kCrashWhileOpeningSlots + kCrashWhileClosingSlots
                                   ? CrashPhase::kClosing
                                   : CrashPhase::kAppending;
    const auto planned_index = static_cast<std::size_t>(planned);
    const std::uint64_t budget = random() % std::max<std::uint64_t>(1, operations_[planned_index]);
    if (planned == CrashPhase::kOpening) fs->FailAfter(budget);
    std::uint64_t phase_start = 0;
    auto learn = [&](CrashPhase finished) {
      if (!fs->dead()) {
        operations_[static_cast<std::size_t>(finished)] = fs->operations() - phase_start;
      }
      phase_start = fs->operations();
    };
    std::vector<WorkerRecord> records(kWorkers);
    CrashPhase phase = CrashPhase::kOpening;
    {
      Result<std::unique_ptr<Log>> opened = Log::Open(Options(env.get()));
      if (!opened.ok()) {
        if (!fs->dead()) report->Add("the log failed to open: " + opened.status().ToString());
      } else {
        learn(CrashPhase::kOpening);
        if (planned == CrashPhase::kAppending) fs->FailAfter(budget);
        std::vector<std::thread> threads;
        for (int w = 0; w < kWorkers; ++w) {
          threads.emplace_back([&, w, worker_seed = random()] {
            Worker(**opened, fmt::format("p{}", point), w, worker_seed, &records[w]).Run();
          });
        }
        for (auto& thread : threads) thread.join();
        learn(CrashPhase::kAppending);
        if (planned == CrashPhase::kClosing) fs->FailAfter(budget);
        const bool died_appending = fs->dead();
        opened.value().reset();  // With a dead disk, nothing of the close becomes durable.
        learn(CrashPhase::kClosing);
        phase = died_appending ? CrashPhase::kAppending
                : fs->dead()   ? CrashPhase::kClosing
                               : CrashPhase::kNone;
      }
    }
    std::vector<std::string> problems;
    for (WorkerRecord& record : records) history_.Add(record, &problems);
    for (std::string& problem : problems) report->Add(std::move(problem));
    rocksdb::Status cut = fs->SimulatePowerLoss();
    if (!cut.ok()) report->Add("simulating the power loss failed: " + cut.ToString());
    return phase;
  }

  void CheckRecovered(CheckReport* report) {
    auto fs = std::make_shared<SyncedOnlyFileSystem>();
    auto env = SyncedOnlyFileSystem::NewEnv(fs);
    {
      Result<std::unique_ptr<Log>> opened = Log::Open(Options(env.get()));
      if (!opened.ok()) {
        report->Add("the log does not reopen: " + opened.status().ToString());
        CountLostOnDisk(directory_->Child("log"), history_, report);
        return;
      }
      CheckRecoveredLog(**opened, history_, report);
    }
    // A power cut after a clean close loses nothing either; the next crash point sees it.
    rocksdb::Status cut = fs->SimulatePowerLoss();
    if (!cut.ok()) report->Add("simulating the power loss failed: " + cut.ToString());
  }

  const std::uint64_t seed_;
  const int points_per_database_;
  const bool skip_fsync_;
  // No sinks: the log's failure messages are expected here, hundreds of times.
  std::shared_ptr<spdlog::logger> quiet_ = std::make_shared<spdlog::logger>("power-loss");
  std::unique_ptr<TempDir> directory_;
  History history_;
  std::array<int, 4> phases_{};
  /// Writes and syncs that opening, appending and closing took when the disk survived them.
  /// They depend on how appends group (so on the machine), hence learned as the loop runs;
  /// a crash budget is drawn below the planned phase's.
  std::array<std::uint64_t, 3> operations_ = {20, 150, 12};
  CrashPhase last_phase_ = CrashPhase::kNone;
  std::uint64_t acknowledged_checked_ = 0;
};

std::string Lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += "  " + line + "\n";
  return text;
}

TEST(PowerLossTest, EveryAcknowledgedEventSurvivesPowerLoss) {
  const std::uint64_t seed = TestSeed();
  const std::uint64_t points = EnvironmentNumber("LEDGER_CRASH_POINTS", kDefaultCrashPoints);
  const auto start = std::chrono::steady_clock::now();
  CrashLoop loop(seed, kCrashPointsPerDatabase, /*skip_fsync=*/false);
  for (std::uint64_t point = 0; point < points; ++point) {
    CheckReport report = loop.RunCrashPoint(static_cast<int>(point));
    ASSERT_TRUE(report.problems.empty()) << "LEDGER_TEST_SEED=" << seed << ", crash point " << point
                                         << " (crashed " << loop.last_phase() << "):\n"
                                         << Lines(report.problems);
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  std::cout << fmt::format(
                   "[ crashes  ] {} crash points ({}); {} acknowledgements checked; {:.1f} s",
                   points, loop.Summary(), loop.acknowledged_checked(), elapsed.count())
            << std::endl;
}

TEST(PowerLossTest, DetectsAcknowledgementsMadeBeforeFsync) {
  const std::uint64_t seed = TestSeed();
  // A fresh database at every point: what one lost must not confuse the next.
  CrashLoop loop(seed, /*points_per_database=*/1, /*skip_fsync=*/true);
  std::uint64_t lost = 0;
  for (int point = 0; point < kUnsafeCrashPointsMax && lost == 0; ++point) {
    lost = loop.RunCrashPoint(point).lost_acknowledged;
  }
  EXPECT_GT(lost, 0u) << "a log that acknowledges before fsync lost nothing in "
                      << kUnsafeCrashPointsMax << " power losses (LEDGER_TEST_SEED=" << seed
                      << "): the crash test cannot see missing fsyncs";
}

// Async durability acknowledges before fsync: a power loss may take the newest events, but
// never the log. After a clean close nothing is left to lose, and the log must reopen.
TEST(PowerLossTest, AsyncLogClosedCleanlySurvivesPowerLoss) {
  TempDir directory;
  LogOptions options;
  options.path = directory.Child("log");
  options.create_if_missing = true;
  options.durability = Durability::kAsync;
  options.logger = std::make_shared<spdlog::logger>("power-loss");
  constexpr std::uint64_t kEvents = 100;
  for (int round = 0; round < 2; ++round) {
    auto fs = std::make_shared<SyncedOnlyFileSystem>();
    auto env = SyncedOnlyFileSystem::NewEnv(fs);
    options.env = env.get();
    {
      auto opened = Log::Open(options);
      ASSERT_TRUE(opened.ok()) << "round " << round << ": " << opened.status().ToString();
      EXPECT_EQ((*opened)->Head().sequence.value, round * kEvents);
      std::vector<AppendRequest> batch(kEvents);
      for (std::uint64_t i = 0; i < kEvents; ++i) {
        batch[i].event.stream = "async";
        batch[i].event.payload = fmt::format("event-{}-{}", round, i);
      }
      auto results = (*opened)->Append(std::move(batch));
      ASSERT_TRUE(results.ok()) << results.status().ToString();
    }
    ASSERT_TRUE(fs->SimulatePowerLoss().ok());
  }
  auto fs = std::make_shared<SyncedOnlyFileSystem>();
  auto env = SyncedOnlyFileSystem::NewEnv(fs);
  options.env = env.get();
  auto opened = Log::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ((*opened)->Head().sequence.value, 2 * kEvents);
  auto verified = (*opened)->Verify(std::nullopt);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;
}

}  // namespace
}  // namespace ledger::testing

// kill_driver: kill -9 under load (docs/reliability.md, item 1).
//
// Runs ledgerd, drives a mixed workload at it over several pipelining connections while
// recording every command sent and every acknowledgement (kill/command_journal.h), kills
// the server with SIGKILL at random moments — sometimes again while it recovers — restarts
// it, retries the commands whose answers were lost (same keys), and checks the log against
// the journal (kill/log_checker.h). ledgerd snapshots its domain state every 2,000 events, so
// kills also land while a snapshot is written and restarts start from snapshots. Every few
// kills, and at the end, the views are checked against a rebuild. Prints the seed first and
// the figures last; exits 1 on any violation.
//
//   kill_driver --kills 20 [--seed N] [--work DIR] [--ledgerd PATH]
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "kill/command_journal.h"
#include "kill/log_checker.h"
#include "kill/mixed_workload.h"
#include "kill/views_check.h"
#include "ledger/client/client.h"
#include "ledgerd/ledgerd_process.h"

namespace ledger::reliability {
namespace {

namespace c = client;
namespace p = protocol;

struct DriverOptions {
  std::string ledgerd = LEDGERD_PATH;
  std::string work;
  int kills = 20;
  std::uint64_t seed = 0;
  int run_ms_min = 20;
  int run_ms_max = 600;
  int views_every = 5;
  int connections = 8;
  /// Small, so that kills also land while the domain state's snapshot is written.
  std::uint64_t snapshot_every_events = 2000;
  /// Few, so that orders leave memory and are loaded back from the log all the time, kills
  /// landing in between.
  std::uint64_t hot_orders_max = 64;
};

constexpr char kPlatform[] = "kill-sbx";

class KillDriver {
 public:
  explicit KillDriver(DriverOptions options)
      : options_(std::move(options)),
        random_(options_.seed),
        journal_(options_.work + "/journal.txt"),
        server_(testing::LedgerdOptions{
            options_.ledgerd,
            options_.work + "/data",
            options_.work + "/ledgerd.log",
            {"--log-level", "warn", "--snapshot-every-events",
             std::to_string(options_.snapshot_every_events), "--hot-orders-max",
             std::to_string(options_.hot_orders_max)}}) {}

  int Run() {
    auto credential = testing::LedgerdProcess::Init(
        {options_.ledgerd, options_.work + "/data", options_.work + "/ledgerd.log", {}});
    if (!credential.ok()) return Fail(credential.status().ToString());
    credential_ = *credential;
    if (!Restart()) return 1;
    if (!SetUp()) return 1;
    std::map<std::string, SentCommand> previous;
    for (int kill = 1; kill <= options_.kills; ++kill) {
      if (!RetryLostAnswers(previous)) return 1;
      RunUntilKilled(kill);
      previous = journal_.TakeCycle();
      if (kill % options_.views_every == 0 && !CheckViews(kill)) return 1;
      if (!Restart()) return 1;
      auto violations = checker_.Check(*root_, previous, figures_);
      for (const auto& violation : violations) fmt::print(stderr, "VIOLATION: {}\n", violation);
      if (!violations.empty()) return Fail(fmt::format("after kill {}", kill));
      if (kill % 10 == 0) PrintFigures("progress");
    }
    if (std::string problem = checker_.VerifyFromGenesis(*root_); !problem.empty()) {
      return Fail(problem);
    }
    root_.reset();
    if (int code = server_.Stop(); code != 0) {
      return Fail(fmt::format("ledgerd exited with {} on SIGTERM", code));
    }
    if (!CheckViews(options_.kills + 1)) return 1;
    PrintFigures("done");
    return 0;
  }

 private:
  int Fail(const std::string& why) {
    fmt::print(stderr, "kill_driver FAILED (seed {}): {}\nwork directory: {}\n", options_.seed, why,
               options_.work);
    failed_ = true;
    return 1;
  }

  /// Starts ledgerd and connects as root. Sometimes kills it first while it recovers.
  bool Restart() {
    root_.reset();
    if (Status spawned = server_.Spawn(); !spawned.ok()) return Fail(spawned.ToString()) == 0;
    if (Chance(10)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(Uniform(0, 40)));
      server_.Kill();
      ++figures_.kills;
      ++kills_during_recovery_;
      if (Status spawned = server_.Spawn(); !spawned.ok()) return Fail(spawned.ToString()) == 0;
    }
    auto port = server_.WaitUntilListening(std::chrono::seconds(60));
    if (!port.ok()) return Fail(port.status().ToString()) == 0;
    port_ = *port;
    c::ConnectOptions connect;
    connect.port = port_;
    connect.kind = p::CredentialKind::Root;
    connect.credential = credential_;
    c::ClientError error;
    root_ = c::Client::Connect(connect, &error);
    if (!root_) return Fail("cannot connect: " + error.ToString()) == 0;
    return true;
  }

  /// The platform the workload writes to, recorded like any other command.
  bool SetUp() {
    std::vector<SentCommand> commands(4);
    commands[0] = {"setup-org", schema::EventType::OrganizationCreated,
                   c::CreateOrganization("kill-org", "Kill Driver Ltd", c::WithKey("setup-org"))};
    commands[1] = {"setup-platform", schema::EventType::PlatformCreated,
                   c::CreatePlatform("kill-org", kPlatform, "Kill sandbox",
                                     schema::Environment::Sandbox, c::WithKey("setup-platform"))};
    commands[2] = {
        "setup-bank-eur", schema::EventType::BankAccountAdded,
        c::AddBankAccount(kPlatform, "bank-eur", "Kill Driver Ltd", "DE89370400440532013000", "EUR",
                          c::WithKey("setup-bank-eur"))};
    commands[3] = {"setup-bank-usd", schema::EventType::BankAccountAdded,
                   c::AddBankAccount(kPlatform, "bank-usd", "Kill Driver Ltd", "021000021-1234",
                                     "USD", c::WithKey("setup-bank-usd"))};
    if (!Execute(commands)) return false;
    return true;
  }

  /// Sends `commands` as one batch and records the answers; Duplicate counts as acknowledged
  /// (a retry's answer carries the original sequence).
  bool Execute(const std::vector<SentCommand>& commands) {
    journal_.Sent(commands);
    std::vector<c::CommandBuilder> builders;
    for (const auto& command : commands) builders.push_back(command.build);
    auto reply = root_->Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch(builders));
    const auto* results = reply.ok() ? reply.body<p::CommandResults>() : nullptr;
    if (results == nullptr || results->results() == nullptr ||
        results->results()->size() != commands.size()) {
      return Fail("a batch failed while the server was up: " + reply.error().ToString()) == 0;
    }
    for (std::size_t i = 0; i < commands.size(); ++i) {
      const auto* result = results->results()->Get(i);
      bool recorded =
          result->status() == p::ErrorCode::Ok || result->status() == p::ErrorCode::Duplicate;
      journal_.Answered(commands[i].key, recorded ? Outcome::kAcknowledged : Outcome::kRejected,
                        result->sequence());
    }
    return true;
  }

  /// The commands of the last cycle whose answers the kill took, and a few that were
  /// answered, sent again with their keys: each must end up in the log exactly once.
  bool RetryLostAnswers(const std::map<std::string, SentCommand>& previous) {
    std::vector<SentCommand> retries;
    for (const auto& [key, command] : previous) {
      if (command.outcome == Outcome::kRejected) continue;
      if (command.outcome == Outcome::kAcknowledged && !Chance(20)) continue;
      SentCommand retry = command;
      retry.outcome = Outcome::kSent;
      retry.sequence = 0;
      retry.retry = true;
      retries.push_back(std::move(retry));
      if (retries.size() == 16) {
        if (!Execute(retries)) return false;
        retries.clear();
      }
    }
    return retries.empty() || Execute(retries);
  }

  void RunUntilKilled(int kill) {
    WorkloadOptions options;
    options.port = port_;
    options.root_credential = credential_;
    options.platform = kPlatform;
    options.bank_eur = "bank-eur";
    options.bank_usd = "bank-usd";
    options.connections = options_.connections;
    options.seed = options_.seed + static_cast<std::uint64_t>(kill);
    options.cycle = static_cast<std::uint64_t>(kill);
    MixedWorkload workload(options, journal_);
    workload.Start();
    std::this_thread::sleep_for(
        std::chrono::milliseconds(Uniform(options_.run_ms_min, options_.run_ms_max)));
    root_.reset();
    server_.Kill();
    ++figures_.kills;
    workload.Stop();
  }

  bool CheckViews(int round) {
    if (server_.running()) server_.Kill();  // Already dead after a kill; never twice.
    std::string problem = CheckViewsEqualRebuild(options_.work + "/data",
                                                 options_.work + fmt::format("/rebuild-{}", round));
    std::filesystem::remove_all(options_.work + fmt::format("/rebuild-{}", round));
    if (!problem.empty()) return Fail(problem) == 0;
    ++figures_.projection_checks;
    return true;
  }

  void PrintFigures(std::string_view label) const {
    const KillFigures& f = figures_;
    fmt::print(
        "kill_driver {}: seed={} kills={} (during recovery {}) commands_sent={} acknowledged={} "
        "rejected={} unacknowledged_present={} unacknowledged_absent={} retries={} "
        "events_checked={} projection_checks={} lost={} double_records={} never_sent_present={}\n",
        label, options_.seed, f.kills, kills_during_recovery_, f.commands_sent, f.acknowledged,
        f.rejected, f.unacknowledged_present, f.unacknowledged_absent, f.retries_sent,
        f.events_checked, f.projection_checks, f.lost, f.double_records, f.never_sent_present);
    std::fflush(stdout);
  }

  bool Chance(int one_in) { return Uniform(1, one_in) == 1; }
  int Uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

  DriverOptions options_;
  std::mt19937_64 random_;
  CommandJournal journal_;
  testing::LedgerdProcess server_;
  LogChecker checker_;
  KillFigures figures_;
  std::uint64_t kills_during_recovery_ = 0;
  std::string credential_;
  std::uint16_t port_ = 0;
  std::unique_ptr<c::Client> root_;
  bool failed_ = false;
};

}  // namespace
}  // namespace ledger::reliability

int main(int argc, char** argv) {
  ledger::reliability::DriverOptions options;
  options.seed = std::random_device{}();
  bool keep = false;
  CLI::App app{"kill_driver: kill -9 ledgerd under load and check what survived"};
  app.add_option("--ledgerd", options.ledgerd, "the ledgerd binary");
  app.add_option("--work", options.work, "work directory (default: a fresh temporary one)");
  app.add_option("--kills", options.kills, "SIGKILLs to deliver")->check(CLI::PositiveNumber);
  app.add_option("--seed", options.seed, "random seed (printed; a failing seed reproduces)");
  app.add_option("--run-ms-max", options.run_ms_max, "longest load between two kills, ms");
  app.add_option("--views-every", options.views_every, "check the views every N kills")
      ->check(CLI::PositiveNumber);
  app.add_option("--connections", options.connections, "workload connections")
      ->check(CLI::PositiveNumber);
  app.add_option("--snapshot-every-events", options.snapshot_every_events,
                 "ledgerd's domain snapshot interval");
  app.add_option("--hot-orders-max", options.hot_orders_max, "orders ledgerd keeps in memory")
      ->check(CLI::PositiveNumber);
  app.add_flag("--keep", keep, "keep the work directory after a success");
  CLI11_PARSE(app, argc, argv);

  spdlog::set_level(spdlog::level::warn);
  const bool temporary = options.work.empty();
  if (temporary) {
    options.work = (std::filesystem::temp_directory_path() /
                    fmt::format("ledger-kill-{}-{}", ::getpid(), options.seed))
                       .string();
  }
  std::filesystem::create_directories(options.work);
  fmt::print("kill_driver: seed {} kills {} work {}\n", options.seed, options.kills, options.work);
  std::fflush(stdout);
  int code = ledger::reliability::KillDriver(options).Run();
  if (code == 0 && temporary && !keep) std::filesystem::remove_all(options.work);
  return code;
}

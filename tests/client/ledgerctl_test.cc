// ledgerctl against a real server: exit codes for success, rejection, usage and connection
// failures; tables and --json; keys issued and used; tail, verify, stats, queries, exports.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server/server_fixture.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

struct CtlRun {
  int exit_code = -1;
  std::string output;
};

/// Runs a shell command line, stdout and stderr together.
CtlRun RunShell(const std::string& command) {
  CtlRun run;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  std::array<char, 4096> buffer;
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) run.output += buffer.data();
  int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

class LedgerctlTest : public ::testing::Test {
 protected:
  /// Runs ledgerctl with the server and root credential, plus `args`.
  CtlRun Ctl(const std::string& args, const std::string& credential = "") {
    return RunShell(std::string(LEDGERCTL_PATH) + " --server " + Address() + " --credential " +
                    (credential.empty() ? server_.root_credential() : credential) + " " + args);
  }
  std::string Address() const { return "127.0.0.1:" + std::to_string(server_.port()); }
  nlohmann::json Json(const std::string& args, const std::string& credential = "") {
    CtlRun run = Ctl("--json " + args, credential);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    return nlohmann::json::parse(run.output, nullptr, false);
  }

  TestServer server_;
  TempDir temp_;
};

TEST_F(LedgerctlTest, CommandsTablesJsonAndExitCodes) {
  CtlRun created = Ctl("org create --id acme --name Acme");
  EXPECT_EQ(created.exit_code, 0) << created.output;
  EXPECT_NE(created.output.find("create_organization"), std::string::npos);
  EXPECT_NE(created.output.find("accepted"), std::string::npos);
  // The same again is refused: exit 1, with the rule's name.
  CtlRun again = Ctl("org create --id acme --name Acme");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("organization_already_exists"), std::string::npos);
  // Usage errors: exit 2. Connection failures: exit 3.
  EXPECT_EQ(Ctl("org create --name Missing-id").exit_code, 2);
  EXPECT_EQ(Ctl("no-such-command").exit_code, 2);
  EXPECT_EQ(Ctl("ping", "root.0000").exit_code, 3);
  CtlRun unreachable = RunShell(std::string(LEDGERCTL_PATH) +
                                " --json --server 127.0.0.1:1 --credential root.x ping");
  EXPECT_EQ(unreachable.exit_code, 3);
  // The server never answered: the error has no code, rather than "Ok".
  auto refused = nlohmann::json::parse(unreachable.output, nullptr, false);
  EXPECT_EQ(refused["error"]["kind"], "connection") << unreachable.output;
  EXPECT_TRUE(refused["error"]["code"].is_null()) << unreachable.output;

  auto platform = Json("platform create --org acme --id shop --name Shop --environment sandbox");
  EXPECT_EQ(platform["results"][0]["status"], "Ok");
}

TEST_F(LedgerctlTest, CommandsExpectTheirStreamsVersion) {
  ASSERT_EQ(Ctl("org create --id acme --name Acme").exit_code, 0);
  auto platform = Json(
      "platform create --org acme --id shop --name Shop --environment sandbox "
      "--expect-new");
  EXPECT_EQ(platform["results"][0]["stream_version"], 1);
  auto order =
      Json("order create --platform shop --id o-1 --amount 100 --currency EUR --expect-new");
  EXPECT_EQ(order["results"][0]["status"], "Ok");
  EXPECT_EQ(order["results"][0]["stream_version"], 1);
  CtlRun stale = Ctl("order cancel --platform shop --id o-1 --expect-version 2");
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_NE(stale.output.find("wrong_expected_version"), std::string::npos) << stale.output;
  EXPECT_NE(stale.output.find("stream 'order/shop/o-1' is at version 1, expected version 2"),
            std::string::npos)
      << stale.output;
  auto cancelled = Json("order cancel --platform shop --id o-1 --expect-version 1");
  EXPECT_EQ(cancelled["results"][0]["stream_version"], 2);
  EXPECT_EQ(Ctl("order cancel --platform shop --id o-1 --expect-version 1 --expect-new").exit_code,
            2);
}

TEST_F(LedgerctlTest, IssuedKeysWorkAndTheLogIsReadable) {
  ASSERT_EQ(Ctl("org create --id acme --name Acme").exit_code, 0);
  ASSERT_EQ(Ctl("platform create --org acme --id shop --name Shop --environment sandbox").exit_code,
            0);
  auto issued = Json("key issue --platform shop --id shop-key");
  const std::string key = issued["credential"];
  ASSERT_EQ(key.rfind("shop-key.", 0), 0u);
  CtlRun order =
      Ctl("--as key order create --platform shop --id o-1 --amount 2500 --currency EUR "
          "--reference cart-1 --idempotency-key o-1",
          key);
  EXPECT_EQ(order.exit_code, 0) << order.output;
  CtlRun retry =
      Ctl("--as key order create --platform shop --id o-1 --amount 2500 --currency EUR "
          "--reference cart-1 --idempotency-key o-1",
          key);
  EXPECT_EQ(retry.exit_code, 0);
  EXPECT_NE(retry.output.find("duplicate"), std::string::npos);

  auto log = Json("read log --from 1 --count 10");
  ASSERT_EQ(log["events"].size(), 4u);
  EXPECT_EQ(log["events"][3]["type"], "OrderCreated");
  EXPECT_EQ(log["events"][3]["payload"]["amount_minor"], 2500);
  CtlRun tail = Ctl("tail --from 2 --count 3");
  EXPECT_EQ(tail.exit_code, 0);
  EXPECT_NE(tail.output.find("OrderCreated"), std::string::npos);

  auto verified = Json("verify");
  EXPECT_EQ(verified["ok"], true);
  EXPECT_EQ(verified["last_good_sequence"], 4);
  auto stats = Json("stats");
  EXPECT_EQ(stats["head_sequence"], 4);

  auto summary = Json("--env sandbox query summary --org acme --platform shop --min-sequence 4");
  EXPECT_EQ(summary["platform_id"], "shop");
  auto orders = Json("--as key query orders --min-sequence 4", key);
  EXPECT_EQ(orders["orders"][0]["order_id"], "o-1");
  // A key may not export (no view_reports): refused, exit 1.
  EXPECT_EQ(Ctl("--as key export payments --org acme --out /dev/null", key).exit_code, 1);
}

// Integer options are decimal numbers within range, or usage errors: never octal, never
// hexadecimal, never clamped to the largest value.
TEST_F(LedgerctlTest, AmountsAreDecimalOrRefused) {
  ASSERT_EQ(Ctl("org create --id acme --name Acme").exit_code, 0);
  ASSERT_EQ(Ctl("platform create --org acme --id shop --name Shop --environment sandbox").exit_code,
            0);
  for (const char* amount : {"0x10", "99999999999999999999", "9223372036854775808", "12a", "1e3"}) {
    CtlRun refused = Ctl(std::string("order create --platform shop --id bad --amount ") + amount +
                         " --currency EUR");
    EXPECT_EQ(refused.exit_code, 2) << amount << ": " << refused.output;
  }
  EXPECT_EQ(Ctl("read log --from -1").exit_code, 2);
  ASSERT_EQ(Ctl("order create --platform shop --id o-1 --amount 010 --currency CLF").exit_code, 0);
  auto log = Json("read log --from 1 --count 10");
  ASSERT_EQ(log["events"].size(), 3u);
  EXPECT_EQ(log["events"][2]["payload"]["amount_minor"], 10) << "010 is ten, not octal eight";
  // An explicit zero time is sent as given, and refused; only an absent one means now.
  ASSERT_EQ(Ctl("transaction create --platform shop --order o-1 --id t-1 --amount 10").exit_code,
            0);
  CtlRun zero =
      Ctl("operation record --platform shop --order o-1 --transaction t-1 --id a-1 "
          "--kind authorization --amount 10 --occurred-at-us 0");
  EXPECT_EQ(zero.exit_code, 1);
  EXPECT_NE(zero.output.find("occurred_at_is_not_positive"), std::string::npos) << zero.output;
  EXPECT_EQ(Ctl("operation record --platform shop --order o-1 --transaction t-1 --id a-1 "
                "--kind authorization --amount 10")
                .exit_code,
            0);
  // Amounts print with their currency's decimals: CLF has four.
  CtlRun order =
      Ctl("--env sandbox query order --org acme --platform shop --order o-1 --min-sequence 3");
  EXPECT_EQ(order.exit_code, 0) << order.output;
  EXPECT_NE(order.output.find("0.0010 CLF"), std::string::npos) << order.output;
}

// A credential file named on the command line wins over a credential in the environment.
TEST_F(LedgerctlTest, TheCommandLineBeatsTheEnvironment) {
  const std::string file = ::testing::TempDir() + "/ledgerctl-root.credential";
  {
    std::ofstream out(file);
    out << server_.root_credential() << "\n";
  }
  const std::string wrong = "root.0000000000000000000000000000000000000000000000000000000000000000";
  const std::string command = "LEDGER_CREDENTIAL=" + wrong + " " + LEDGERCTL_PATH +
                              " --server 127.0.0.1:" + std::to_string(server_.port()) +
                              " --credential-file " + file + " ping >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command;
  std::remove(file.c_str());
}

// Times are read to the microsecond, as ledgerctl prints them; anything else is a usage error.
TEST_F(LedgerctlTest, TimesAreReadToTheMicrosecond) {
  ASSERT_EQ(Ctl("org create --id acme --name Acme").exit_code, 0);
  ASSERT_EQ(Ctl("platform create --org acme --id shop --name Shop --environment sandbox").exit_code,
            0);
  for (const char* command :
       {"order create --platform shop --id o-1 --amount 700 --currency EUR",
        "transaction create --platform shop --order o-1 --id t-1 --amount 700",
        "operation record --platform shop --order o-1 --transaction t-1 --id a-1 "
        "--kind authorization --amount 700",
        "operation record --platform shop --order o-1 --transaction t-1 --id c-1 "
        "--kind capture --amount 700"}) {
    ASSERT_EQ(Ctl(command).exit_code, 0) << command;
  }
  auto log = Json("read log --from 6 --count 1");
  ASSERT_EQ(log["events"].size(), 1u);
  // The event's time as ledgerctl prints it in tables: "...:SS.ffffffZ".
  const std::int64_t recorded_at_us = log["events"][0]["recorded_at_us"];
  const std::time_t seconds = static_cast<std::time_t>(recorded_at_us / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%06dZ", static_cast<int>(recorded_at_us % 1'000'000));
  const std::string captured_at = std::string(text) + fraction;
  ASSERT_EQ(captured_at.size(), 27u) << captured_at;
  CtlRun table = Ctl("read log --from 6 --count 1");
  EXPECT_NE(table.output.find(captured_at), std::string::npos) << table.output;
  auto balance_at = [&](const std::string& time) {
    return Json(
        "--env sandbox query balance --org acme --platform shop --account wallet:shop "
        "--currency EUR --min-sequence 6 --at-time " +
        time);
  };
  EXPECT_EQ(balance_at(captured_at)["balance_minor"], 700) << captured_at;
  // One microsecond earlier the capture is not there yet.
  std::string before = captured_at;
  std::size_t digit = before.size() - 2;  // The last digit of the fraction.
  while (before[digit] == '0') before[digit--] = '9';
  --before[digit];
  EXPECT_NE(balance_at(before)["balance_minor"], 700) << before;

  for (const char* bad : {"garbage", "2026-13-01", "2026-11-22T10:00:00.Z", "2026-11-22X"}) {
    EXPECT_EQ(Ctl(std::string("--env sandbox query daily --org acme --from ") + bad).exit_code, 2)
        << bad;
  }
  EXPECT_EQ(Ctl("verify --from-sequence 3 --from-hash zz").exit_code, 2);
  EXPECT_EQ(Ctl("verify --from-sequence 3").exit_code, 2);
  const std::string not_hex(63, 'a');
  EXPECT_EQ(Ctl("verify --from-sequence 3 --from-hash " + not_hex + "g").exit_code, 2);
}

TEST_F(LedgerctlTest, ExportsGoToAFile) {
  ASSERT_EQ(Ctl("org create --id acme --name Acme").exit_code, 0);
  ASSERT_EQ(Ctl("platform create --org acme --id shop --name Shop --environment sandbox").exit_code,
            0);
  TempDir dir;
  const std::string file = dir.Child("payments.csv");
  CtlRun exported = Ctl("--env sandbox export payments --org acme --platform shop --out " + file);
  EXPECT_EQ(exported.exit_code, 0) << exported.output;
  std::ifstream in(file);
  std::stringstream csv;
  csv << in.rdbuf();
  EXPECT_EQ(csv.str().rfind("log_sequence,", 0), 0u);
  EXPECT_NE(csv.str().find("#manifest,export=payments"), std::string::npos);
}

TEST_F(LedgerctlTest, DemoBenchAndRebuild) {
  CtlRun demo = Ctl("demo --orders 200");
  EXPECT_EQ(demo.exit_code, 0) << demo.output;
  EXPECT_NE(demo.output.find("Sample recorded"), std::string::npos);
  CtlRun again = Ctl("demo --orders 200");
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.output.find("already there"), std::string::npos);
  auto bench = Json("bench --duration 1 --warmup 0.2 --connections 2 --pipeline 2 --batch 16");
  EXPECT_GT(bench["events_per_second"].get<double>(), 0);
  EXPECT_EQ(bench["rejected_commands"], 0);
  EXPECT_GT(bench["latency_us"]["p99"].get<double>(), 0);
  // The digest of the views the demo and the bench built, and again once the payments
  // projection is rebuilt from the log: the same.
  const std::string head = std::to_string(server_.ledger().log().Head().sequence.value);
  auto before = Json("projections digest --min-sequence " + head);
  ASSERT_EQ(before["digest"].get<std::string>().size(), 64u);
  EXPECT_EQ(before["projections"].size(), 4u);
  CtlRun rebuilt = Ctl("projections rebuild --name payments");
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.output;
  auto after = Json("projections digest --min-sequence " + head);
  EXPECT_EQ(after["digest"], before["digest"]);
  CtlRun table = Ctl("projections digest");
  EXPECT_NE(table.output.find("views digest "), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("payments"), std::string::npos) << table.output;
}

// Connection settings that cannot work are usage errors (exit 2), found before connecting.
TEST_F(LedgerctlTest, WrongConnectionSettingsAreUsageErrors) {
  const std::string ctl = "env -u LEDGER_CREDENTIAL -u LEDGER_CREDENTIAL_FILE " +
                          std::string(LEDGERCTL_PATH) + " --server " + Address();
  CtlRun no_credential = RunShell(ctl + " --json ping");
  EXPECT_EQ(no_credential.exit_code, 2) << no_credential.output;
  auto error = nlohmann::json::parse(no_credential.output, nullptr, false);
  EXPECT_EQ(error["error"]["kind"], "usage") << no_credential.output;
  EXPECT_EQ(RunShell(ctl + " --credential-file /nonexistent/credential ping").exit_code, 2);
  EXPECT_EQ(RunShell(std::string(LEDGERCTL_PATH) + " --server 127.0.0.1 --credential " +
                     server_.root_credential() + " ping")
                .exit_code,
            2);
  EXPECT_EQ(RunShell(ctl + " --credential-file /nonexistent/credential export payments --org a "
                           "--out /dev/null")
                .exit_code,
            2);
  EXPECT_EQ(RunShell(ctl + " --credential-file /nonexistent/credential tail --count 1").exit_code,
            2);
  // The credential is right: connected, so a refusal is the server's (exit 1).
  EXPECT_EQ(Ctl("query orders --org nowhere").exit_code, 1);
}

// Each query takes the options its kind reads; one it would ignore is a usage error.
TEST_F(LedgerctlTest, QueriesRefuseOptionsTheyWouldIgnore) {
  ASSERT_EQ(Ctl("org create --id acme --name Acme").exit_code, 0);
  EXPECT_EQ(Ctl("query roles --org acme --from 2025-01-01").exit_code, 2);
  EXPECT_EQ(Ctl("query trial-balance --org acme --platform shop").exit_code, 2);
  EXPECT_EQ(Ctl("query summary --org acme --platform shop --limit 5").exit_code, 2);
  EXPECT_EQ(Ctl("bench --connections 0").exit_code, 2);
  EXPECT_EQ(Ctl("bench --batch 4097").exit_code, 2);
  CtlRun activity = Ctl("query activity --org acme --actor root --limit 5");
  EXPECT_EQ(activity.exit_code, 0) << activity.output;
}

// --json prints every field of the response, zeros included, under the schema's names, with
// hashes as hexadecimal; every command that prints honours it.
TEST_F(LedgerctlTest, JsonHoldsEveryFieldUnderItsSchemaName) {
  ASSERT_EQ(Ctl("org create --id acme --name Acme").exit_code, 0);
  ASSERT_EQ(Ctl("platform create --org acme --id shop --name Shop --environment sandbox").exit_code,
            0);
  ASSERT_EQ(
      Ctl("platform create --org acme --id kiosk --name Kiosk --environment sandbox").exit_code, 0);
  ASSERT_EQ(Ctl("user register --id frank --email frank@example.com --name Frank").exit_code, 0);
  ASSERT_EQ(Ctl("role grant --org acme --user frank --role admin --platform kiosk").exit_code, 0);
  ASSERT_EQ(Ctl("order create --platform shop --id o-1 --amount 2500 --currency EUR "
                "--module checkout")
                .exit_code,
            0);
  auto appended = Json("append --stream opaque/notes --payload hello");
  ASSERT_EQ(appended["results"].size(), 1u);
  EXPECT_EQ(appended["results"][0]["status"], "Ok");
  const std::uint64_t head = appended["results"][0]["sequence"];
  EXPECT_EQ(head, server_.ledger().log().Head().sequence.value);

  auto stats = Json("stats");
  EXPECT_EQ(stats["head_sequence"], head);
  EXPECT_EQ(stats["head_hash"].get<std::string>().size(), 64u) << stats.dump();
  EXPECT_EQ(stats["writes_refused"], false) << stats.dump();
  EXPECT_EQ(stats["projections_failure"], "") << stats.dump();
  for (const auto& projection : stats["projections"]) {
    EXPECT_TRUE(projection.contains("lag")) << projection.dump();
  }

  const std::string fresh = " --min-sequence " + std::to_string(head);
  auto order = Json("--env sandbox query order --org acme --platform shop --order o-1" + fresh);
  EXPECT_EQ(order["order"]["module"], "checkout") << order.dump();
  EXPECT_EQ(order["order"]["refunded_minor"], 0) << order.dump();
  EXPECT_EQ(order["order"]["cancellation_reason"], "") << order.dump();
  EXPECT_EQ(order["transactions"], nlohmann::json::array()) << order.dump();
  CtlRun table = Ctl("--env sandbox query order --org acme --platform shop --order o-1" + fresh);
  EXPECT_NE(table.output.find("checkout"), std::string::npos) << table.output;

  auto roles = Json("query roles --org acme" + fresh);
  ASSERT_EQ(roles["changes"].size(), 1u) << roles.dump();
  EXPECT_EQ(roles["changes"][0]["all_platforms"], false);
  EXPECT_EQ(roles["changes"][0]["platform_ids"], nlohmann::json::array({"kiosk"}));
  CtlRun roles_table = Ctl("query roles --org acme" + fresh);
  EXPECT_NE(roles_table.output.find("SCOPE"), std::string::npos) << roles_table.output;
  EXPECT_NE(roles_table.output.find("kiosk"), std::string::npos) << roles_table.output;

  auto rebuilt = Json("projections rebuild --name audit");
  EXPECT_EQ(rebuilt["names"], nlohmann::json::array({"audit"}));
}

TEST_F(LedgerctlTest, DemoRecordsTheOrdersAskedFor) {
  auto demo = Json("demo --orders 10");
  EXPECT_EQ(demo["orders"], 10);
}

// --save FILE holds the secret before the command goes out: never a credential issued and
// lost, never a file overwritten, and a retry with the same file and key is a duplicate.
TEST_F(LedgerctlTest, SavedCredentialsAreWrittenFirstAndRetriesAreDuplicates) {
  ASSERT_EQ(Ctl("org create --id acme --name Acme").exit_code, 0);
  ASSERT_EQ(Ctl("platform create --org acme --id shop --name Shop --environment sandbox").exit_code,
            0);
  const std::string head_before = std::to_string(server_.ledger().log().Head().sequence.value);
  // A file that cannot be written: nothing is issued.
  EXPECT_EQ(Ctl("key issue --platform shop --id k-lost --save /nonexistent/k.credential").exit_code,
            2);
  EXPECT_EQ(std::to_string(server_.ledger().log().Head().sequence.value), head_before);
  // Issued, then retried with the same file and key: the same credential, a duplicate.
  const std::string file = temp_.Child("k1.credential");
  auto first = Json("key issue --platform shop --id k1 --idempotency-key k1 --save " + file);
  EXPECT_EQ(first["results"][0]["status"], "Ok");
  std::ifstream saved(file);
  std::string line;
  saved >> line;
  EXPECT_EQ(line, first["credential"]);
  auto retry = Json("key issue --platform shop --id k1 --idempotency-key k1 --save " + file);
  EXPECT_EQ(retry["results"][0]["status"], "Duplicate");
  EXPECT_EQ(retry["results"][0]["sequence"], first["results"][0]["sequence"]);
  EXPECT_EQ(retry["credential"], first["credential"]);
  // A file holding something else is not overwritten.
  const std::string other = temp_.Child("other.txt");
  std::ofstream(other) << "keep me\n";
  EXPECT_EQ(Ctl("key issue --platform shop --id k2 --save " + other).exit_code, 2);
  std::ifstream kept(other);
  std::getline(kept, line);
  EXPECT_EQ(line, "keep me");
  // Refused by the server: the file written for it is removed.
  const std::string refused = temp_.Child("refused.credential");
  EXPECT_EQ(Ctl("key issue --platform nowhere --id k3 --save " + refused).exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(refused));
}

// Command-line mistakes are usage errors (exit 2), as JSON with --json.
TEST_F(LedgerctlTest, CommandLineMistakesAreUsageErrors) {
  for (const char* server : {"127.0.0.1:99999", "127.0.0.1:0", "127.0.0.1:0x10", "::1:7400"}) {
    EXPECT_EQ(Ctl(std::string("--server ") + server + " ping").exit_code, 2) << server;
  }
  EXPECT_EQ(Ctl("--timeout-ms 0 ping").exit_code, 2);
  EXPECT_EQ(Ctl("query order --org acme --platform shop").exit_code, 2);  // No --order.
  EXPECT_EQ(Ctl("query activity --org acme").exit_code, 2);               // No --actor.
  CtlRun mistake = Ctl("--json order create --platform shop --id o-1 --amount abc --currency EUR");
  EXPECT_EQ(mistake.exit_code, 2);
  auto error = nlohmann::json::parse(mistake.output, nullptr, false);
  EXPECT_EQ(error["error"]["kind"], "usage") << mistake.output;
  // The IPv6 form is read (nothing listens there: a connection failure, not a usage error).
  EXPECT_EQ(RunShell(std::string(LEDGERCTL_PATH) + " --server [::1]:1 --credential root.x ping")
                .exit_code,
            3);
  EXPECT_EQ(RunShell(std::string(LEDGERCTL_PATH) +
                     " --server 127.0.0.1:1 --credential root.x bench --duration 1")
                .exit_code,
            3);
}

// A failed export leaves the file of that name as it was; a finished one replaces it.
TEST_F(LedgerctlTest, AFailedExportKeepsTheEarlierFile) {
  ASSERT_EQ(Ctl("org create --id acme --name Acme").exit_code, 0);
  ASSERT_EQ(Ctl("platform create --org acme --id shop --name Shop --environment sandbox").exit_code,
            0);
  const std::string file = temp_.Child("payments.csv");
  std::ofstream(file) << "an earlier export\n";
  EXPECT_EQ(Ctl("export payments --org acme --platform nowhere --out " + file).exit_code, 1);
  std::ifstream kept(file);
  std::string line;
  std::getline(kept, line);
  EXPECT_EQ(line, "an earlier export");
  EXPECT_FALSE(std::filesystem::exists(file + ".partial"));
  const std::string head = std::to_string(server_.ledger().log().Head().sequence.value);
  auto written = Json("export payments --org acme --platform shop --min-sequence " + head +
                      " --from 2025-01-01 --out " + file);
  EXPECT_EQ(written["as_of_sequence"].get<std::uint64_t>(), std::stoull(head));
  EXPECT_EQ(written["as_of_hash"].get<std::string>().size(), 64u);
  std::ifstream replaced(file);
  std::getline(replaced, line);
  EXPECT_NE(line, "an earlier export");
}

}  // namespace
}  // namespace ledger::testing

// `ledgerctl backup` against a real server: the head it prints is the one verify prints, as
// text and as JSON (hashes in lower-case hex), and refusals exit as docs/cli.md says.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "server/server_fixture.h"

namespace ledger::testing {
namespace {

struct CtlRun {
  int exit_code = -1;
  std::string output;
};

class LedgerctlBackupTest : public ::testing::Test {
 protected:
  /// Runs ledgerctl against `server` (default: the test's) with `credential` (default: root).
  CtlRun Ctl(const std::string& args, const std::string& credential = "",
             const std::string& server = "") {
    const std::string address =
        server.empty() ? "127.0.0.1:" + std::to_string(server_.port()) : server;
    std::string command = std::string(LEDGERCTL_PATH) + " --server " + address + " --credential " +
                          (credential.empty() ? server_.root_credential() : credential) + " " +
                          args + " 2>&1";
    CtlRun run;
    FILE* pipe = ::popen(command.c_str(), "r");
    std::array<char, 4096> buffer;
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) run.output += buffer.data();
    int status = ::pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
  }
  nlohmann::json Json(const std::string& args) {
    CtlRun run = Ctl("--json " + args);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    return nlohmann::json::parse(run.output, nullptr, false);
  }

  TestServer server_;
  TempDir backups_;
};

TEST_F(LedgerctlBackupTest, PrintsTheHeadItHoldsAndRefusalsExitAsDocumented) {
  ASSERT_EQ(Ctl("org create --id acme --name Acme").exit_code, 0);
  ASSERT_EQ(Ctl("platform create --org acme --id shop --name Shop --environment sandbox").exit_code,
            0);
  const auto verified = Json("verify");
  const auto backup = Json("backup --to " + backups_.Child("first"));
  EXPECT_EQ(backup["path"], backups_.Child("first"));
  EXPECT_EQ(backup["head_sequence"], verified["last_good_sequence"]);
  EXPECT_EQ(backup["head_hash"], verified["last_good_hash"]);
  EXPECT_TRUE(std::regex_match(backup["head_hash"].get<std::string>(), std::regex("[0-9a-f]{64}")))
      << backup.dump();
  EXPECT_EQ(backup["snapshot_sequence"], 0);
  EXPECT_GT(backup["files"].get<std::uint64_t>(), 0u);
  EXPECT_GT(backup["bytes"].get<std::uint64_t>(), 0u);
  EXPECT_TRUE(backup.contains("duration_ms"));
  EXPECT_TRUE(std::filesystem::exists(backups_.Child("first/root.sha256")));

  CtlRun text = Ctl("backup --to " + backups_.Child("second"));
  EXPECT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("backup written to " + backups_.Child("second")), std::string::npos)
      << text.output;
  const std::string head = "head " +
                           std::to_string(verified["last_good_sequence"].get<std::uint64_t>()) +
                           " " + verified["last_good_hash"].get<std::string>();
  EXPECT_NE(text.output.find(head), std::string::npos) << text.output;

  // Refused by the server: exit 1, saying why.
  CtlRun again = Ctl("backup --to " + backups_.Child("first"));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("not empty"), std::string::npos) << again.output;
  CtlRun relative = Ctl("--json backup --to backups/today");
  EXPECT_EQ(relative.exit_code, 1);
  auto error = nlohmann::json::parse(relative.output, nullptr, false);
  EXPECT_EQ(error["error"]["code"], "InvalidArgument") << relative.output;
  auto key = Json("key issue --platform shop --id shop-key");
  CtlRun forbidden =
      Ctl("--as key backup --to " + backups_.Child("third"), key["credential"].get<std::string>());
  EXPECT_EQ(forbidden.exit_code, 1);
  EXPECT_NE(forbidden.output.find("Forbidden"), std::string::npos) << forbidden.output;
  EXPECT_FALSE(std::filesystem::exists(backups_.Child("third")));
  // Usage: --to is required. No server: exit 3.
  EXPECT_EQ(Ctl("backup").exit_code, 2);
  EXPECT_EQ(Ctl("backup --to " + backups_.Child("fourth"), "", "127.0.0.1:1").exit_code, 3);
}

}  // namespace
}  // namespace ledger::testing

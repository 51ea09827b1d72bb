// Runs every tests/scenarios/*.ledger file (grammar in scenario_parser.h) against a fresh
// ledger: each command must give its expected result, each check its expected value. After a
// file, the ledger is reopened from its snapshot and then from the log alone, and every
// balance the file checked last must read the same.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "engine/domain/domain_testing.h"
#include "engine/domain/scenario_parser.h"
#include "ledger/engine/domain/rejection.h"
#include "support/temp_dir.h"

#ifndef LEDGER_SCENARIO_DIR
#error "LEDGER_SCENARIO_DIR must name the directory of the scenario files"
#endif

namespace ledger::testing {
namespace {

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(LEDGER_SCENARIO_DIR)) {
    if (entry.path().extension() == ".ledger") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class Runner {
 public:
  explicit Runner(Ledger& ledger) : ledger_(ledger) {}

  /// Runs one line; returns what went wrong, or "" when it did what it expected.
  std::string Run(const std::vector<std::string>& words) {
    if (words.empty() || words[0].starts_with("#")) return "";
    if (words[0] == "repeat") return Repeat(words);
    if (words[0] == "balance") return Balance(words);
    if (words[0] == "allowed") return CheckAllowed(words);
    return RunCommand(words);
  }

  const std::map<std::pair<std::string, std::string>, std::int64_t>& balances() const {
    return balances_;
  }

 private:
  std::string Repeat(const std::vector<std::string>& words) {
    if (words.size() < 3) return "repeat needs a count and a line";
    const int count = std::stoi(words[1]);
    for (int i = 1; i <= count; ++i) {
      std::vector<std::string> line(words.begin() + 2, words.end());
      for (std::string& word : line) {
        for (std::size_t at; (at = word.find("{i}")) != std::string::npos;) {
          word.replace(at, 3, std::to_string(i));
        }
      }
      if (std::string failure = Run(line); !failure.empty()) {
        return "repetition " + std::to_string(i) + ": " + failure;
      }
    }
    return "";
  }

  std::string Balance(const std::vector<std::string>& words) {
    if (words.size() != 4) return "balance <platform> <currency> <amount>";
    std::optional<std::int64_t> balance = ledger_.AvailableBalance(words[1], words[2]);
    const std::int64_t expected = std::stoll(words[3]);
    balances_[{words[1], words[2]}] = expected;
    if (balance == expected) return "";
    return "balance of " + words[1] + " " + words[2] + " is " +
           (balance ? std::to_string(*balance) : "unknown") + ", expected " + words[3];
  }

  std::string CheckAllowed(const std::vector<std::string>& words) {
    if (words.size() != 6 || words[4] != "=>")
      return "allowed <principal> <action> <org[/p]> => yes|no";
    auto principal = ParsePrincipal(words[1], ledger_);
    auto action = ParseAction(words[2]);
    if (!principal || !action) return "bad principal or action";
    std::string_view target_text = words[3];
    std::size_t slash = target_text.find('/');
    domain::Target target{
        target_text.substr(0, slash),
        slash == std::string_view::npos ? std::string_view() : target_text.substr(slash + 1),
        schema::Environment::Unspecified};
    const bool allowed = ledger_.Allowed(*principal, *action, target);
    if ((words[5] == "yes") == allowed) return "";
    return std::string("Allowed() said ") + (allowed ? "yes" : "no");
  }

  std::string RunCommand(const std::vector<std::string>& words) {
    auto arrow = std::find(words.begin(), words.end(), "=>");
    if (arrow == words.end() || arrow + 1 == words.end()) return "missing '=> <result>'";
    auto principal = ParsePrincipal(words[0], ledger_);
    if (!principal) return "bad principal " + words[0];
    CommandRequest request;
    request.principal = *principal;
    auto it = words.begin() + 1;
    for (; it != arrow && it->find('=') != std::string::npos; ++it) {
      if (it->starts_with("idempotency=")) request.idempotency_key = it->substr(12);
      if (it->starts_with("correlation=")) request.correlation_id = it->substr(12);
      if (it->starts_with("expect=")) {
        auto expected = ParseExpectedVersion(it->substr(7));
        if (!expected) return "bad " + *it;
        request.expected = *expected;
      }
    }
    if (it == arrow) return "missing command name";
    std::string error;
    auto command = ParseCommand(*it, std::vector<std::string>(it + 1, arrow), &error);
    if (!command) return error;
    request.command = std::move(*command);
    domain::ResultCode expected;
    if (!domain::ParseResultCode(*(arrow + 1), &expected)) return "unknown result " + *(arrow + 1);
    auto results = ledger_.Execute({std::move(request)});
    if (!results.ok()) return "Execute failed: " + results.status().ToString();
    const CommandResult& result = results->front();
    if (result.code != expected) {
      return "got " + std::string(domain::ResultCodeName(result.code)) + " (" + result.message +
             "), expected " + std::string(domain::ResultCodeName(expected));
    }
    if (arrow + 2 != words.end() && result.message.find(*(arrow + 2)) == std::string::npos) {
      return "message '" + result.message + "' lacks '" + *(arrow + 2) + "'";
    }
    return "";
  }

  Ledger& ledger_;
  std::map<std::pair<std::string, std::string>, std::int64_t> balances_;
};

class ScenarioTest : public ::testing::TestWithParam<std::string> {};

/// Runs the file on a fresh ledger holding at most `hot_orders_max` orders in memory, then
/// reopens it from its snapshot and from the log alone.
void RunScenarioFile(const std::string& file, std::size_t hot_orders_max) {
  SCOPED_TRACE("hot_orders_max " + std::to_string(hot_orders_max));
  TempDir dir;
  LedgerOptions options = TestLedgerOptions(dir.Child("ledger"));
  options.hot_orders_max = hot_orders_max;
  std::map<std::pair<std::string, std::string>, std::int64_t> balances;
  {
    std::unique_ptr<Ledger> ledger = OpenTestLedger(options);
    ASSERT_NE(ledger, nullptr);
    Runner runner(*ledger);
    std::ifstream stream(file);
    ASSERT_TRUE(stream) << file;
    std::string line;
    for (int number = 1; std::getline(stream, line); ++number) {
      std::string error;
      std::vector<std::string> words = SplitWords(line, &error);
      if (error.empty()) error = runner.Run(words);
      EXPECT_EQ(error, "") << file << ":" << number << ": " << line;
    }
    balances = runner.balances();
  }
  // Reopen from the snapshot written on close, then from the log alone.
  for (bool keep_snapshot : {true, false}) {
    if (!keep_snapshot) std::filesystem::remove(options.log.path + "/domain.snapshot");
    std::unique_ptr<Ledger> ledger = OpenTestLedger(options);
    ASSERT_NE(ledger, nullptr);
    EXPECT_EQ(ledger->Stats().replayed_on_open == 0, keep_snapshot);
    for (const auto& [wallet, expected] : balances) {
      EXPECT_EQ(ledger->AvailableBalance(wallet.first, wallet.second), expected)
          << wallet.first << " " << wallet.second << (keep_snapshot ? " (snapshot)" : " (log)");
    }
  }
}

// Every file runs with all its orders in memory, and again with one order in memory, where
// nearly every command names an order that left memory and must be loaded back from the log:
// the results must be the same line for line.
TEST_P(ScenarioTest, EveryLineGivesItsExpectedResult) {
  RunScenarioFile(GetParam(), LedgerOptions{}.hot_orders_max);
}

TEST_P(ScenarioTest, EveryLineGivesItsExpectedResultWithOneOrderInMemory) {
  RunScenarioFile(GetParam(), 1);
}

INSTANTIATE_TEST_SUITE_P(Files, ScenarioTest, ::testing::ValuesIn(ScenarioFiles()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = std::filesystem::path(param.param).stem().string();
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(ScenarioCoverage, EveryResultCodeIsExpectedSomewhere) {
  std::set<std::string> expected;
  for (const std::string& path : ScenarioFiles()) {
    std::ifstream file(path);
    std::string line;
    while (std::getline(file, line)) {
      std::string error;
      std::vector<std::string> words = SplitWords(line, &error);
      auto arrow = std::find(words.begin(), words.end(), "=>");
      if (arrow != words.end() && arrow + 1 != words.end()) expected.insert(*(arrow + 1));
    }
  }
  for (domain::ResultCode code : domain::AllResultCodes()) {
    // The log refusing a decided event needs a stream written behind the domain's back:
    // ledger_test.cc provokes it.
    if (code == domain::ResultCode::kLogRefusedTheAppend) continue;
    EXPECT_TRUE(expected.contains(std::string(domain::ResultCodeName(code))))
        << "no scenario expects " << domain::ResultCodeName(code);
  }
}

}  // namespace
}  // namespace ledger::testing

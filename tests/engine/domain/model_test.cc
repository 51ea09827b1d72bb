// The seeded randomized test: 100k random commands (valid and invalid, several platforms,
// currencies and principals) through the ledger and through the reference model; every
// result must agree. Afterwards, from the log alone: every wallet balance equals the sum of
// its postings, every organization's trial balance is zero in each currency, and no refund
// or withdrawal ever left a wallet negative. Then the ledger is reopened from its final
// snapshot, from a snapshot written while the run went on, and from the log alone, and must
// hold the same balances.
//
// The seed is printed; LEDGER_TEST_SEED=<seed> reproduces a run, LEDGER_TEST_COMMANDS=<n>
// changes its length.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>

#include "engine/domain/domain_testing.h"
#include "engine/domain/model_generator.h"
#include "engine/domain/reference_model.h"
#include "ledger/engine/domain/event_codec.h"
#include "ledger/engine/domain/postings.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

std::uint64_t SeedFromEnvironment() {
  if (const char* text = std::getenv("LEDGER_TEST_SEED")) return std::strtoull(text, nullptr, 10);
  return std::random_device{}();
}

std::size_t CommandsFromEnvironment() {
  if (const char* text = std::getenv("LEDGER_TEST_COMMANDS"))
    return std::strtoull(text, nullptr, 10);
  return 100000;
}

/// Balances derived from the log's events alone.
struct Journal {
  std::map<std::pair<std::string, std::string>, std::int64_t> accounts;  // (account, currency)
  std::map<std::string, std::string> organization_of;                    // platform -> org
  std::uint64_t postings = 0;
  std::uint64_t requests_leaving_wallet_negative = 0;
};

Journal ReadJournal(const Log& log) {
  Journal journal;
  SequenceNumber next{1};
  while (next <= log.Head().sequence) {
    auto events = log.ReadRange(next, 10000);
    EXPECT_TRUE(events.ok());
    if (!events.ok() || events->empty()) break;
    for (const RecordedEvent& recorded : *events) {
      next = recorded.sequence().Next();
      auto event = domain::DecodeEvent(recorded.type(), recorded.payload());
      EXPECT_TRUE(event.ok());
      if (!event.ok()) continue;
      if (auto* created = std::get_if<domain::PlatformCreated>(&*event)) {
        journal.organization_of[created->platform_id] = created->organization_id;
      }
      for (const domain::Posting& posting : domain::PostingsOf(*event)) {
        const std::string currency(posting.currency);
        journal.accounts[{posting.from.Name(), currency}] -= posting.amount_minor;
        journal.accounts[{posting.to.Name(), currency}] += posting.amount_minor;
        ++journal.postings;
      }
      // Requests (refunds, withdrawals) must leave the wallet at zero or above.
      const auto* operation = std::get_if<domain::OperationRecorded>(&*event);
      const auto* withdrawal = std::get_if<domain::WithdrawalRequested>(&*event);
      if ((operation && operation->kind == schema::OperationKind::Refund &&
           operation->outcome == schema::OperationOutcome::Succeeded) ||
          withdrawal) {
        const std::string platform = operation ? operation->platform_id : withdrawal->platform_id;
        const std::string currency = operation ? operation->currency : withdrawal->currency;
        if (journal.accounts[{"wallet:" + platform, currency}] < 0) {
          ++journal.requests_leaving_wallet_negative;
        }
      }
    }
  }
  return journal;
}

void ExpectBalancesMatch(const Ledger& ledger, const ReferenceModel& model, const Journal& journal,
                         const char* when) {
  for (const auto& [wallet, balance] : model.wallets()) {
    const std::size_t slash = wallet.find('/');
    const std::string platform = wallet.substr(0, slash);
    const std::string currency = wallet.substr(slash + 1);
    EXPECT_EQ(ledger.AvailableBalance(platform, currency), balance) << wallet << " " << when;
    auto journaled = journal.accounts.find({"wallet:" + platform, currency});
    EXPECT_EQ(journaled == journal.accounts.end() ? 0 : journaled->second, balance)
        << wallet << " " << when;
  }
}

/// Runs `commands` random commands in random-sized batches through both; stops at the first
/// disagreement. Returns how often each result code came up.
std::map<domain::ResultCode, std::size_t> RunAndCompare(Ledger& ledger, ReferenceModel& model,
                                                        ModelGenerator& generator,
                                                        std::uint64_t seed, std::size_t commands) {
  std::map<domain::ResultCode, std::size_t> seen;
  std::mt19937_64 sizes(seed);
  for (std::size_t done = 0; done < commands;) {
    const std::size_t size = std::min<std::size_t>(1 + sizes() % 128, commands - done);
    std::vector<CommandRequest> batch;
    std::vector<domain::ResultCode> expected;
    // The model decides each command in batch order, as the writer will.
    for (std::size_t i = 0; i < size; ++i) {
      CommandRequest request = generator.Next();
      expected.push_back(model.Execute(request.principal, request.command));
      batch.push_back(std::move(request));
    }
    std::vector<CommandRequest> copy = batch;
    auto results = ledger.Execute(std::move(batch));
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    if (!results.ok()) return seen;
    for (std::size_t i = 0; i < size; ++i) {
      const CommandResult& result = (*results)[i];
      ++seen[result.code];
      if (result.code == expected[i]) continue;
      ADD_FAILURE() << "command " << done + i << " (seed " << seed
                    << "): " << domain::CommandName(copy[i].command) << " by "
                    << copy[i].principal.Actor() << ": engine "
                    << domain::ResultCodeName(result.code) << " ('" << result.message
                    << "'), model " << domain::ResultCodeName(expected[i]);
      return seen;
    }
    done += size;
  }
  return seen;
}

/// The books rebuilt from the log: no request left a wallet negative, and every
/// organization's accounts sum to zero in each currency.
void ExpectBooksBalance(const Journal& journal, std::size_t commands) {
  EXPECT_GT(journal.postings, commands / 10);
  EXPECT_EQ(journal.requests_leaving_wallet_negative, 0u);
  std::map<std::pair<std::string, std::string>, std::int64_t> trial;  // (org, currency)
  for (const auto& [account, balance] : journal.accounts) {
    const std::string& name = account.first;
    const std::size_t colon = name.find(':');
    std::string platform = name.substr(colon + 1, name.find('/') - colon - 1);
    trial[{journal.organization_of.at(platform), account.second}] += balance;
  }
  for (const auto& [key, sum] : trial) {
    EXPECT_EQ(sum, 0) << "trial balance of " << key.first << " in " << key.second;
  }
}

TEST(RandomizedModel, EngineAndReferenceModelAgreeAndTheBooksBalance) {
  const std::uint64_t seed = SeedFromEnvironment();
  const std::size_t commands = CommandsFromEnvironment();
  std::cout << "LEDGER_TEST_SEED=" << seed << " (" << commands << " commands)" << std::endl;
  RecordProperty("seed", std::to_string(seed));

  TempDir dir;
  const std::string path = dir.Child("ledger");
  LedgerOptions options = TestLedgerOptions(path);
  // Periodic snapshots happen during the run too (about five of them: a snapshot is queued
  // only once the previous one is published, so the first is surely done by the end).
  options.snapshot_every_events = std::max<std::size_t>(1000, commands / 10);
  // Few orders in memory, so that orders leave it all the time and many commands name one that
  // must be loaded back from the log: its rules must see exactly what they would have seen.
  options.hot_orders_max = 64;
  std::unique_ptr<Ledger> ledger = OpenTestLedger(options);
  ASSERT_NE(ledger, nullptr);
  ReferenceModel model;
  ModelGenerator generator(seed, model);
  auto setup = ledger->Execute(generator.Setup());
  ASSERT_TRUE(setup.ok());
  for (const CommandResult& result : *setup) ASSERT_TRUE(result.ok()) << result.message;

  auto seen = RunAndCompare(*ledger, model, generator, seed, commands);
  for (const auto& [code, count] : seen) {
    std::cout << "  " << domain::ResultCodeName(code) << ": " << count << "\n";
  }
  EXPECT_GE(seen.size(), 30u) << "the generator should reach most rules";
  // A periodic snapshot was written on its own thread while later batches changed the state.
  const std::string during_run = dir.Child("during-run.snapshot");
  std::filesystem::copy_file(path + "/domain.snapshot", during_run);
  // The last periodic snapshot may cover the run's last batch: a few more commands make sure
  // the copy is older than the head.
  const SequenceNumber head_at_copy = ledger->log().Head().sequence;
  RunAndCompare(*ledger, model, generator, seed + 2, 100);
  ASSERT_GT(ledger->log().Head().sequence, head_at_copy) << "no command of 100 was accepted";
  const Journal journal = ReadJournal(ledger->log());
  ExpectBooksBalance(journal, commands);
  ExpectBalancesMatch(*ledger, model, journal, "live");
  EXPECT_GT(ledger->Stats().snapshots_written, 0u);
  EXPECT_GT(ledger->Stats().orders_evicted, 0u);
  EXPECT_GT(ledger->Stats().orders_loaded, 0u);
  EXPECT_LE(ledger->Stats().hot_orders, options.hot_orders_max + 128) << "at most a batch over";

  ledger.reset();  // Writes the final snapshot.
  for (const char* start : {"final snapshot", "snapshot taken during the run", "log alone"}) {
    if (start == std::string("snapshot taken during the run")) {
      std::filesystem::copy_file(during_run, path + "/domain.snapshot",
                                 std::filesystem::copy_options::overwrite_existing);
    } else if (start == std::string("log alone")) {
      std::filesystem::remove(path + "/domain.snapshot");
    }
    ledger = OpenTestLedger(options);
    ASSERT_NE(ledger, nullptr);
    if (start == std::string("snapshot taken during the run")) {
      EXPECT_GT(ledger->Stats().replayed_on_open, 0u) << "the snapshot should be the older one";
    }
    ExpectBalancesMatch(*ledger, model, journal, start);
    ledger.reset();
  }
  // After a reopen no order is in memory: commands go on agreeing, loading each order named.
  ledger = OpenTestLedger(options);
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->Stats().hot_orders, 0u);
  RunAndCompare(*ledger, model, generator, seed + 1, std::max<std::size_t>(commands / 10, 100));
  EXPECT_GT(ledger->Stats().orders_loaded, 0u);
  ExpectBalancesMatch(*ledger, model, ReadJournal(ledger->log()), "after reopen");
}

}  // namespace
}  // namespace ledger::testing

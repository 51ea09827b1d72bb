// Accounting views against postings recomputed from the same events: the journal, the trial
// balance (which sums to zero), and balances as of many past sequences and times.
#include <algorithm>

#include "projections/fixture.h"
#include "projections/printers.h"

namespace ledger::testing {
namespace {

using projections::PointInLog;
using schema::Environment;

class AccountingViewsTest : public ProjectionTest {
 protected:
  void SetUp() override {
    ProjectionTest::SetUp();
    scenario_->SetUp();
    scenario_->Run(2500, 5);
    OpenProjector();
    CatchUp();
  }

  /// The platform an account belongs to, from its name.
  const ScenarioPlatform& PlatformOf(const std::string& account) {
    std::string platform = account.substr(account.find(':') + 1);
    platform = platform.substr(0, platform.find('/'));
    for (const ScenarioPlatform& p : scenario_->platforms()) {
      if (p.id == platform) return p;
    }
    ADD_FAILURE() << "no platform for " << account;
    return scenario_->platforms().front();
  }
};

TEST_F(AccountingViewsTest, JournalListsEveryPostingInLogOrder) {
  Expected expected(scenario_->events());
  std::size_t postings = 0;
  for (std::string organization : {"acme", "globex"}) {
    for (Environment environment : {Environment::Sandbox, Environment::Production}) {
      projections::JournalFilter filter;
      filter.scope = ScopeOf(environment, organization);
      filter.limit = 64;
      std::vector<projections::JournalEntry> listed;
      for (;;) {
        auto page = views().GetJournal(filter);
        ASSERT_TRUE(page.ok()) << page.status().ToString();
        listed.insert(listed.end(), page->entries.begin(), page->entries.end());
        if (page->next_cursor.empty()) break;
        filter.cursor = page->next_cursor;
      }
      const auto wanted = expected.Journal(expected.Platforms(environment, organization));
      EXPECT_EQ(listed, wanted);
      postings += wanted.size();
    }
  }
  EXPECT_GT(postings, 500u);
  // One platform, one period.
  const auto all = expected.Journal({"acme-shop"});
  projections::JournalFilter filter;
  filter.scope = ScopeOf(Environment::Production, "acme", "acme-shop");
  filter.from_us = all[all.size() / 3].recorded_at_us;
  filter.to_us = all[all.size() * 2 / 3].recorded_at_us;
  filter.limit = 1000;
  auto page = views().GetJournal(filter);
  ASSERT_TRUE(page.ok());
  std::vector<projections::JournalEntry> wanted;
  for (const auto& e : all) {
    if (e.recorded_at_us >= *filter.from_us && e.recorded_at_us < *filter.to_us)
      wanted.push_back(e);
  }
  EXPECT_EQ(page->entries, wanted);
}

TEST_F(AccountingViewsTest, TrialBalanceMatchesAndSumsToZero) {
  Expected expected(scenario_->events());
  for (std::string organization : {"acme", "globex"}) {
    for (Environment environment : {Environment::Sandbox, Environment::Production}) {
      auto balance = views().GetTrialBalance(ScopeOf(environment, organization));
      ASSERT_TRUE(balance.ok()) << balance.status().ToString();
      EXPECT_EQ(balance->lines, expected.TrialBalance(environment, organization));
      EXPECT_FALSE(balance->totals.empty());
      for (const auto& total : balance->totals) {
        EXPECT_EQ(total.total_minor, 0) << organization << " " << total.currency;
      }
    }
  }
  EXPECT_EQ(views()
                .GetTrialBalance(ScopeOf(Environment::Production, "acme", "acme-shop"))
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST_F(AccountingViewsTest, BalancesAsOfManyPastSequences) {
  const auto& events = scenario_->events();
  const Expected now(events);
  std::size_t checked = 0;
  for (std::size_t i = 1; i <= 40; ++i) {
    const SequenceNumber at = events[events.size() * i / 41].sequence;
    const Expected then(events, at);
    for (const auto& [key, balance_now] : now.Balances()) {
      const std::string currency = key.substr(0, key.find('|'));
      const std::string account = key.substr(key.find('|') + 1);
      const ScenarioPlatform& platform = PlatformOf(account);
      auto balance = views().GetAccountBalance(ScopeOf(platform.environment, platform.organization),
                                               account, currency, PointInLog{at, std::nullopt});
      ASSERT_TRUE(balance.ok()) << balance.status().ToString();
      const auto found = then.Balances().find(key);
      EXPECT_EQ(balance->balance_minor, found == then.Balances().end() ? 0 : found->second)
          << account << " " << currency << " at " << at.value;
      EXPECT_EQ(balance->at_sequence, at);
      EXPECT_LE(balance->last_change_sequence, at);
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000u);
}

TEST_F(AccountingViewsTest, BalancesAsOfPastTimes) {
  const auto& events = scenario_->events();
  const Expected now(events);
  for (std::size_t i = 1; i <= 25; ++i) {
    // A time between two group commits resolves to the last event before it.
    const std::int64_t time = events[events.size() * i / 26].recorded_at_us + 1;
    SequenceNumber last;
    for (const CommittedEvent& e : events) {
      if (e.recorded_at_us <= time) last = e.sequence;
    }
    const Expected then(events, last);
    for (const auto& [key, balance_now] : now.Balances()) {
      const std::string currency = key.substr(0, key.find('|'));
      const std::string account = key.substr(key.find('|') + 1);
      const ScenarioPlatform& platform = PlatformOf(account);
      auto balance = views().GetAccountBalance(
          ScopeOf(platform.environment, platform.organization, platform.id), account, currency,
          PointInLog{std::nullopt, time});
      ASSERT_TRUE(balance.ok()) << balance.status().ToString();
      const auto found = then.Balances().find(key);
      EXPECT_EQ(balance->at_sequence, last);
      EXPECT_EQ(balance->balance_minor, found == then.Balances().end() ? 0 : found->second);
    }
  }
}

TEST_F(AccountingViewsTest, AccountsOutsideTheScopeAreNotFound) {
  // The wallet of a production platform, asked in the sandbox or through another platform.
  auto sandbox = views().GetAccountBalance(ScopeOf(Environment::Sandbox, "acme"),
                                           "wallet:acme-shop", "EUR", {});
  EXPECT_EQ(sandbox.status().code(), StatusCode::kNotFound);
  auto other = views().GetAccountBalance(ScopeOf(Environment::Production, "acme", "acme-market"),
                                         "wallet:acme-shop", "EUR", {});
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  auto own = views().GetAccountBalance(ScopeOf(Environment::Production, "acme", "acme-shop"),
                                       "wallet:acme-shop", "EUR", {});
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->at_sequence, log_->Head().sequence);
  auto both =
      views().GetAccountBalance(ScopeOf(Environment::Production, "acme"), "wallet:acme-shop", "EUR",
                                PointInLog{SequenceNumber{5}, std::int64_t{5}});
  EXPECT_EQ(both.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ledger::testing

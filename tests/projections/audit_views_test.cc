// Audit views against the same events: who did what and when, and role-change history.
#include "projections/fixture.h"
#include "projections/printers.h"

namespace ledger::testing {
namespace {

using schema::Environment;

class AuditViewsTest : public ProjectionTest {
 protected:
  void SetUp() override {
    ProjectionTest::SetUp();
    scenario_->SetUp();
    scenario_->Run(1500, 4);
    OpenProjector();
    CatchUp();
  }

  std::vector<projections::ActivityEntry> AllActivity(projections::ActivityFilter filter) {
    std::vector<projections::ActivityEntry> entries;
    for (;;) {
      auto page = views().GetActivity(filter);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      entries.insert(entries.end(), page->entries.begin(), page->entries.end());
      if (page->next_cursor.empty()) break;
      filter.cursor = page->next_cursor;
    }
    return entries;
  }
};

TEST_F(AuditViewsTest, ActivityByActorNewestFirst) {
  Expected expected(scenario_->events());
  const std::vector<std::pair<std::string, std::string>> actors = {
      {"acme", "key:acme-shop-key"},   {"acme", "user:carol"}, {"acme", "user:acme-admin"},
      {"globex", "user:globex-admin"}, {"acme", "root"},       {"", "root"}};
  for (const auto& [organization, actor] : actors) {
    projections::ActivityFilter filter;
    filter.organization_id = organization;
    filter.actor = actor;
    filter.limit = 33;
    const auto listed = AllActivity(filter);
    EXPECT_EQ(listed, expected.Activity(organization, actor)) << organization << " " << actor;
    EXPECT_FALSE(listed.empty()) << actor;
  }
}

TEST_F(AuditViewsTest, ActivityOfOneEnvironmentKeepsOrganizationLevelEvents) {
  Expected expected(scenario_->events());
  projections::ActivityFilter filter;
  filter.organization_id = "acme";
  filter.actor = "user:acme-admin";
  filter.environment = Environment::Sandbox;
  auto wanted = expected.Activity("acme", "user:acme-admin");
  std::erase_if(wanted, [](const projections::ActivityEntry& e) {
    return e.environment == Environment::Production;
  });
  const auto listed = AllActivity(filter);
  EXPECT_EQ(listed, wanted);
  bool organization_level = false;
  for (const auto& e : listed) organization_level |= e.environment == Environment::Unspecified;
  EXPECT_TRUE(organization_level) << "role changes belong to both environments";
}

// A time range keeps the entries recorded in [from, to): the same as filtering the whole list.
TEST_F(AuditViewsTest, ActivityInATimeRange) {
  Expected expected(scenario_->events());
  const auto all = expected.Activity("acme", "user:acme-admin");
  ASSERT_GE(all.size(), 4u);
  // Bounds at recorded times inside the list (newest first), so both ends cut something.
  const std::int64_t to = all[all.size() / 4].recorded_at_us;
  const std::int64_t from = all[all.size() * 3 / 4].recorded_at_us;
  ASSERT_LT(from, to) << "the scenario's clock must move between these entries";
  std::vector<projections::ActivityEntry> wanted;
  for (const auto& entry : all) {
    if (entry.recorded_at_us >= from && entry.recorded_at_us < to) wanted.push_back(entry);
  }
  ASSERT_FALSE(wanted.empty());
  ASSERT_LT(wanted.size(), all.size());
  projections::ActivityFilter filter;
  filter.organization_id = "acme";
  filter.actor = "user:acme-admin";
  filter.from_us = from;
  filter.to_us = to;
  filter.limit = 5;
  EXPECT_EQ(AllActivity(filter), wanted);
}

TEST_F(AuditViewsTest, RoleHistoryPerOrganizationAndUser) {
  Expected expected(scenario_->events());
  for (std::string organization : {"acme", "globex"}) {
    projections::RoleHistoryFilter filter;
    filter.organization_id = organization;
    filter.limit = 7;
    std::vector<projections::RoleChange> listed;
    for (;;) {
      auto page = views().GetRoleHistory(filter);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      listed.insert(listed.end(), page->changes.begin(), page->changes.end());
      if (page->next_cursor.empty()) break;
      filter.cursor = page->next_cursor;
    }
    EXPECT_EQ(listed, expected.Roles(organization));
    EXPECT_GT(listed.size(), 3u);
  }
  projections::RoleHistoryFilter carol;
  carol.organization_id = "acme";
  carol.user_id = "carol";
  carol.limit = 1000;
  auto page = views().GetRoleHistory(carol);
  ASSERT_TRUE(page.ok());
  auto wanted = expected.Roles("acme");
  std::erase_if(wanted, [](const projections::RoleChange& c) { return c.user_id != "carol"; });
  EXPECT_EQ(page->changes, wanted);
}

}  // namespace
}  // namespace ledger::testing

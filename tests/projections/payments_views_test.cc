// Payment views against figures recomputed independently from the same events: summaries per
// platform and per organization, daily totals, order list and detail, withdrawals.
#include <ctime>
#include <set>

#include "projections/fixture.h"
#include "projections/printers.h"

namespace ledger::testing {
namespace {

using projections::OrderFilter;
using projections::OrderRecord;
using projections::OrderStatus;
using schema::Environment;

std::string DayName(std::int64_t time_us) {
  const auto seconds = static_cast<std::time_t>(time_us / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[16];
  std::strftime(text, sizeof(text), "%Y-%m-%d", &tm);
  return text;
}

class PaymentsViewsTest : public ProjectionTest {
 protected:
  void SetUp() override {
    ProjectionTest::SetUp();
    scenario_->SetUp();
    scenario_->Run(3000, 7);
    OpenProjector();
    CatchUp();
  }

  /// Every page of a listing, following the cursors.
  std::vector<OrderRecord> AllOrders(OrderFilter filter, std::size_t* pages = nullptr) {
    std::vector<OrderRecord> orders;
    std::size_t count = 0;
    for (;;) {
      auto page = views().ListOrders(filter);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      ++count;
      EXPECT_LE(page->orders.size(), filter.limit == 0 ? 100u : filter.limit);
      orders.insert(orders.end(), page->orders.begin(), page->orders.end());
      if (page->next_cursor.empty()) break;
      filter.cursor = page->next_cursor;
    }
    if (pages != nullptr) *pages = count;
    return orders;
  }

  std::vector<OrderRecord> Only(std::vector<OrderRecord> orders,
                                const std::function<bool(const OrderRecord&)>& keep) {
    std::erase_if(orders, [&](const OrderRecord& o) { return !keep(o); });
    return orders;
  }
};

TEST_F(PaymentsViewsTest, PlatformSummariesMatchIndependentFigures) {
  Expected expected(scenario_->events());
  for (const ScenarioPlatform& platform : scenario_->platforms()) {
    auto summary = views().GetPlatformSummary(
        ScopeOf(platform.environment, platform.organization, platform.id));
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_EQ(summary->as_of, log_->Head().sequence);
    EXPECT_EQ(summary->name, platform.id);
    EXPECT_EQ(summary->currencies,
              expected.Figures(platform.environment, platform.organization, platform.id))
        << platform.id;
  }
}

TEST_F(PaymentsViewsTest, OrganizationSummariesSumTheirPlatformsPerEnvironment) {
  Expected expected(scenario_->events());
  for (std::string organization : {"acme", "globex"}) {
    for (Environment environment : {Environment::Sandbox, Environment::Production}) {
      auto summary = views().GetOrganizationSummary(ScopeOf(environment, organization));
      ASSERT_TRUE(summary.ok()) << summary.status().ToString();
      EXPECT_EQ(summary->platform_ids, expected.Platforms(environment, organization));
      EXPECT_EQ(summary->currencies, expected.Figures(environment, organization, {}))
          << organization << " " << static_cast<int>(environment);
    }
  }
}

TEST_F(PaymentsViewsTest, SandboxAndProductionNeverMix) {
  // A production platform is not found in the sandbox, nor in another organization.
  auto crossed = views().GetPlatformSummary(ScopeOf(Environment::Sandbox, "acme", "acme-shop"));
  EXPECT_EQ(crossed.status().code(), StatusCode::kNotFound);
  auto foreign =
      views().GetOrderDetail(ScopeOf(Environment::Production, "globex", "acme-shop"), "order-1");
  EXPECT_EQ(foreign.status().code(), StatusCode::kNotFound);
  auto sandbox = views().GetOrganizationSummary(ScopeOf(Environment::Sandbox, "acme"));
  auto production = views().GetOrganizationSummary(ScopeOf(Environment::Production, "acme"));
  ASSERT_TRUE(sandbox.ok() && production.ok());
  EXPECT_EQ(sandbox->platform_ids, std::vector<std::string>{"acme-shop-sandbox"});
  EXPECT_EQ(production->platform_ids, (std::vector<std::string>{"acme-market", "acme-shop"}));
  // Orders listed for the sandbox organization are the sandbox platform's only.
  OrderFilter filter;
  filter.scope = ScopeOf(Environment::Sandbox, "acme");
  for (const OrderRecord& order : AllOrders(filter)) {
    EXPECT_EQ(order.platform_id, "acme-shop-sandbox");
  }
}

TEST_F(PaymentsViewsTest, DailyTotalsMatchPerPlatformAndOrganization) {
  Expected expected(scenario_->events());
  const std::int64_t to = clock_us_ + 1;
  for (const ScenarioPlatform& platform : scenario_->platforms()) {
    auto daily = views().GetDailyTotals(
        ScopeOf(platform.environment, platform.organization, platform.id), kStartUs, to);
    ASSERT_TRUE(daily.ok()) << daily.status().ToString();
    EXPECT_EQ(daily->days,
              expected.Daily(platform.environment, platform.organization, platform.id));
  }
  auto organization =
      views().GetDailyTotals(ScopeOf(Environment::Production, "acme"), kStartUs, to);
  ASSERT_TRUE(organization.ok());
  const auto all = expected.Daily(Environment::Production, "acme", {});
  EXPECT_EQ(organization->days, all);
  ASSERT_GT(all.size(), 10u) << "the scenario should span many days";
  // A window of whole days returns exactly those days.
  const std::int64_t day_us = 86'400'000'000;
  const std::int64_t first_day = kStartUs / day_us + 3;
  auto window = views().GetDailyTotals(ScopeOf(Environment::Production, "acme"), first_day * day_us,
                                       (first_day + 4) * day_us);
  ASSERT_TRUE(window.ok());
  const std::string from_day = DayName(first_day * day_us);
  const std::string to_day = DayName((first_day + 4) * day_us);
  std::vector<projections::DailyFigures> wanted;
  for (const auto& day : all) {
    if (day.day >= from_day && day.day < to_day) wanted.push_back(day);
  }
  EXPECT_EQ(window->days, wanted);
  EXPECT_FALSE(window->days.empty());
  EXPECT_EQ(views()
                .GetDailyTotals(ScopeOf(Environment::Production, "acme"), 0, day_us * 1000)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST_F(PaymentsViewsTest, OrderListPagesNewestFirstForPlatformsAndOrganizations) {
  Expected expected(scenario_->events());
  for (const ScenarioPlatform& platform : scenario_->platforms()) {
    OrderFilter filter;
    filter.scope = ScopeOf(platform.environment, platform.organization, platform.id);
    filter.limit = 37;
    std::size_t pages = 0;
    const auto listed = AllOrders(filter, &pages);
    EXPECT_EQ(listed, expected.Orders({platform.id})) << platform.id;
    EXPECT_GT(pages, 1u);
  }
  OrderFilter organization;
  organization.scope = ScopeOf(Environment::Production, "acme");
  organization.limit = 50;
  EXPECT_EQ(AllOrders(organization),
            expected.Orders(expected.Platforms(Environment::Production, "acme")));
}

TEST_F(PaymentsViewsTest, OrderListFiltersByStatusReferenceAndDate) {
  Expected expected(scenario_->events());
  const auto platforms = expected.Platforms(Environment::Production, "acme");
  const auto all = expected.Orders(platforms);
  OrderFilter filter;
  filter.scope = ScopeOf(Environment::Production, "acme");
  std::set<OrderStatus> seen;
  for (std::size_t s = 0; s < projections::kOrderStatusCount; ++s) {
    const auto status = static_cast<OrderStatus>(s);
    filter.status = status;
    const auto listed = AllOrders(filter);
    EXPECT_EQ(listed, Only(all, [&](const OrderRecord& o) { return o.status == status; }))
        << projections::OrderStatusName(status);
    if (!listed.empty()) seen.insert(status);
  }
  EXPECT_GE(seen.size(), 4u) << "the scenario should reach most statuses";

  filter.status.reset();
  filter.reference = "cart-7";
  EXPECT_EQ(AllOrders(filter),
            Only(all, [](const OrderRecord& o) { return o.reference == "cart-7"; }));
  filter.status = OrderStatus::kPaid;
  EXPECT_EQ(AllOrders(filter), Only(all, [](const OrderRecord& o) {
              return o.reference == "cart-7" && o.status == OrderStatus::kPaid;
            }));

  filter.reference.reset();
  filter.status.reset();
  const std::int64_t from = all[all.size() * 3 / 4].created_at_us;
  const std::int64_t to = all[all.size() / 4].created_at_us;
  filter.created_from_us = from;
  filter.created_to_us = to;
  filter.limit = 10;
  const auto in_period = Only(
      all, [&](const OrderRecord& o) { return o.created_at_us >= from && o.created_at_us < to; });
  EXPECT_EQ(AllOrders(filter), in_period);
  EXPECT_FALSE(in_period.empty());
}

TEST_F(PaymentsViewsTest, OrderDetailHoldsTransactionsAndTheirOperations) {
  Expected expected(scenario_->events());
  std::size_t checked = 0;
  std::size_t with_operations = 0;
  for (const ScenarioPlatform& platform : scenario_->platforms()) {
    for (const OrderRecord& order : expected.Orders({platform.id})) {
      auto detail = views().GetOrderDetail(
          ScopeOf(platform.environment, platform.organization, platform.id), order.order_id);
      ASSERT_TRUE(detail.ok()) << detail.status().ToString();
      const auto wanted = expected.Detail(platform.id, order.order_id);
      EXPECT_EQ(detail->order, wanted.order);
      EXPECT_EQ(detail->transactions, wanted.transactions);
      ++checked;
      if (order.operation_count > 0) ++with_operations;
    }
  }
  EXPECT_GT(checked, 300u);
  EXPECT_GT(with_operations, 100u);
  auto missing = views().GetOrderDetail(ScopeOf(Environment::Production, "acme", "acme-shop"),
                                        "no-such-order");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(PaymentsViewsTest, WithdrawalsListNewestFirstWithStatusFilter) {
  Expected expected(scenario_->events());
  for (std::string organization : {"acme", "globex"}) {
    for (Environment environment : {Environment::Sandbox, Environment::Production}) {
      projections::WithdrawalFilter filter;
      filter.scope = ScopeOf(environment, organization);
      filter.limit = 3;
      std::vector<projections::WithdrawalRecord> listed;
      for (;;) {
        auto page = views().ListWithdrawals(filter);
        ASSERT_TRUE(page.ok()) << page.status().ToString();
        listed.insert(listed.end(), page->withdrawals.begin(), page->withdrawals.end());
        if (page->next_cursor.empty()) break;
        filter.cursor = page->next_cursor;
      }
      EXPECT_EQ(listed, expected.Withdrawals(expected.Platforms(environment, organization)));
    }
  }
  projections::WithdrawalFilter settled;
  settled.scope = ScopeOf(Environment::Production, "acme");
  settled.status = projections::WithdrawalStatus::kSettled;
  settled.limit = 1000;
  auto page = views().ListWithdrawals(settled);
  ASSERT_TRUE(page.ok());
  auto wanted = expected.Withdrawals(expected.Platforms(Environment::Production, "acme"));
  std::erase_if(wanted,
                [](const auto& w) { return w.status != projections::WithdrawalStatus::kSettled; });
  EXPECT_EQ(page->withdrawals, wanted);
  EXPECT_FALSE(wanted.empty());
}

TEST_F(PaymentsViewsTest, MalformedScopesAndCursorsAreRejected) {
  EXPECT_EQ(views()
                .GetPlatformSummary(ScopeOf(Environment::Unspecified, "acme", "acme-shop"))
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(views().GetPlatformSummary(ScopeOf(Environment::Production, "acme")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      views().GetOrganizationSummary(ScopeOf(Environment::Production, "nobody")).status().code(),
      StatusCode::kNotFound);
  OrderFilter filter;
  filter.scope = ScopeOf(Environment::Production, "acme");
  filter.cursor = "not-a-cursor";
  EXPECT_EQ(views().ListOrders(filter).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ledger::testing

// The permission matrix over the real API, from one table: every role (and an API key) ×
// every kind of request × target in scope, in the other environment, in another
// organization. Expected answers come from DESIGN.md's matrix, written out below, not from
// the code under test: allowed → Ok; in scope but not permitted → Forbidden; another
// environment or another organization → NotFound (exactly like a missing object).
#include <gtest/gtest.h>

#include <array>
#include <functional>

#include "server/world.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
namespace c = client;
using schema::Environment;

enum Who { kAdmin, kDeveloper, kOperator, kSales, kAccountant, kKey, kWhoCount };
constexpr const char* kUsers[] = {"admin", "developer", "operator", "sales", "accountant"};

struct Target {
  std::string organization;
  std::string platform;
};

class MatrixTest : public ::testing::Test {
 public:
  MatrixTest() : world_(server_) {}

  std::uint64_t Head() { return server_.ledger().log().Head().sequence.value; }

  /// Root sets the scene; every id is fresh so rows never interfere.
  void Prepare(std::vector<c::CommandBuilder> commands) {
    for (auto code : Execute(*world_.root, std::move(commands))) {
      ASSERT_EQ(code, p::ErrorCode::Ok);
    }
  }
  std::vector<c::CommandBuilder> Captured(const Target& t, const std::string& u) {
    return {c::CreateOrder(t.platform, "o-" + u, 10000, "EUR", "checkout", "ref-" + u),
            c::CreateTransaction(t.platform, "o-" + u, "t-" + u, 10000),
            c::RecordOperation({t.platform, "o-" + u, "t-" + u, "a-" + u,
                                schema::OperationKind::Authorization,
                                schema::OperationOutcome::Succeeded, 10000, "", 1}),
            c::RecordOperation({t.platform, "o-" + u, "t-" + u, "c-" + u,
                                schema::OperationKind::Capture, schema::OperationOutcome::Succeeded,
                                10000, "", 2})};
  }
  p::ErrorCode Query(c::Client& actor, p::QueryKind kind, const Target& t) {
    auto head = Head();
    auto reply = actor.Call(p::RequestBody::Query, [&](flatbuffers::FlatBufferBuilder& b) {
      auto organization = b.CreateString(t.organization);
      auto platform = b.CreateString(t.platform);
      p::QueryBuilder query(b);
      query.add_kind(kind);
      query.add_organization_id(organization);
      query.add_platform_id(platform);
      query.add_min_sequence(head);
      query.add_wait_ms(5000);
      return query.Finish().Union();
    });
    return reply.ok() ? p::ErrorCode::Ok : reply.error().code;
  }

  TestServer server_;
  World world_;
};

struct Row {
  const char* name;
  bool organization_level;
  /// DESIGN.md: admin, developer, operator, sales, accountant, API key.
  std::array<bool, kWhoCount> allowed;
  std::function<p::ErrorCode(MatrixTest&, c::Client&, const Target&, const std::string&)> run;
};

std::vector<Row> Rows() {
  auto as = [](MatrixTest& m) -> MatrixTest& { return m; };
  return {
      {"create order",
       false,
       {1, 1, 1, 1, 0, 1},
       [](MatrixTest&, c::Client& a, const Target& t, const std::string& u) {
         return ExecuteOne(a, c::CreateOrder(t.platform, "o-" + u, 500, "EUR", "checkout", "r"));
       }},
      {"cancel order",
       false,
       {1, 1, 1, 1, 0, 1},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string& u) {
         as(m).Prepare({c::CreateOrder(t.platform, "o-" + u, 500, "EUR", "checkout", "r")});
         return ExecuteOne(a, c::CancelOrder(t.platform, "o-" + u, "customer left"));
       }},
      {"create transaction",
       false,
       {0, 0, 0, 0, 0, 1},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string& u) {
         as(m).Prepare({c::CreateOrder(t.platform, "o-" + u, 500, "EUR", "checkout", "r")});
         return ExecuteOne(a, c::CreateTransaction(t.platform, "o-" + u, "t-" + u, 500));
       }},
      {"record capture",
       false,
       {0, 0, 0, 0, 0, 1},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string& u) {
         auto scene = as(m).Captured(t, u);
         scene.pop_back();
         as(m).Prepare(std::move(scene));
         return ExecuteOne(a,
                           c::RecordOperation({t.platform, "o-" + u, "t-" + u, "c-" + u,
                                               schema::OperationKind::Capture,
                                               schema::OperationOutcome::Succeeded, 100, "", 3}));
       }},
      {"refund",
       false,
       {1, 1, 1, 0, 0, 1},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string& u) {
         as(m).Prepare(as(m).Captured(t, u));
         return ExecuteOne(a,
                           c::RecordOperation({t.platform, "o-" + u, "t-" + u, "r-" + u,
                                               schema::OperationKind::Refund,
                                               schema::OperationOutcome::Succeeded, 100, "", 3}));
       }},
      {"create platform",
       true,
       {1, 1, 0, 0, 0, 0},
       [](MatrixTest&, c::Client& a, const Target& t, const std::string& u) {
         return ExecuteOne(
             a, c::CreatePlatform(t.organization, "p-" + u, "New", Environment::Sandbox));
       }},
      {"issue api key",
       false,
       {1, 1, 0, 0, 0, 0},
       [](MatrixTest&, c::Client& a, const Target& t, const std::string& u) {
         return ExecuteOne(a, c::IssueApiKey(t.platform, "k-" + u, NewSecret().second));
       }},
      {"add bank account",
       false,
       {1, 0, 0, 0, 0, 0},
       [](MatrixTest&, c::Client& a, const Target& t, const std::string& u) {
         return ExecuteOne(a, c::AddBankAccount(t.platform, "b-" + u, "Acme SAS",
                                                "FR7630006000011234567890189", "EUR"));
       }},
      {"request withdrawal",
       false,
       {1, 0, 0, 0, 0, 0},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string& u) {
         auto scene = as(m).Captured(t, u);
         scene.push_back(c::AddBankAccount(t.platform, "b-" + u, "Acme SAS",
                                           "FR7630006000011234567890189", "EUR"));
         as(m).Prepare(std::move(scene));
         return ExecuteOne(a, c::RequestWithdrawal(t.platform, "w-" + u, "b-" + u, 100, "EUR"));
       }},
      {"settle withdrawal",
       false,
       {0, 0, 0, 0, 0, 1},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string& u) {
         auto scene = as(m).Captured(t, u);
         scene.push_back(c::AddBankAccount(t.platform, "b-" + u, "Acme SAS",
                                           "FR7630006000011234567890189", "EUR"));
         scene.push_back(c::RequestWithdrawal(t.platform, "w-" + u, "b-" + u, 100, "EUR"));
         as(m).Prepare(std::move(scene));
         return ExecuteOne(a, c::SettleWithdrawal(t.platform, "w-" + u, "bank-" + u));
       }},
      {"grant role",
       true,
       {1, 0, 0, 0, 0, 0},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string& u) {
         as(m).Prepare({c::RegisterUser("x-" + u, u + "@example.com", "X")});
         return ExecuteOne(a, c::GrantRole(t.organization, "x-" + u, schema::Role::Sales, {}));
       }},
      {"query orders",
       false,
       {1, 1, 1, 1, 0, 1},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string&) {
         return as(m).Query(a, p::QueryKind::Orders, t);
       }},
      {"query order detail",
       false,
       {1, 1, 1, 1, 0, 1},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string&) {
         return as(m).Query(a, p::QueryKind::PlatformSummary, t);
       }},
      {"query withdrawals",
       false,
       {1, 0, 0, 0, 1, 1},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string&) {
         return as(m).Query(a, p::QueryKind::Withdrawals, t);
       }},
      {"query journal",
       false,
       {1, 0, 0, 0, 1, 0},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string&) {
         return as(m).Query(a, p::QueryKind::Journal, t);
       }},
      {"export payments",
       false,
       {1, 0, 0, 0, 1, 0},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string&) {
         auto head = as(m).Head();
         auto reply = a.Call(p::RequestBody::ExportCsv, [&](flatbuffers::FlatBufferBuilder& b) {
           return p::CreateExportCsvDirect(b, p::ExportKind::Payments, Environment::Unspecified,
                                           t.organization.c_str(), t.platform.c_str(), 0, 0, head,
                                           5000)
               .Union();
         });
         return reply.ok() ? p::ErrorCode::Ok : reply.error().code;
       }},
      {"read order stream",
       false,
       {1, 1, 1, 1, 0, 1},
       [as](MatrixTest& m, c::Client& a, const Target& t, const std::string& u) {
         as(m).Prepare({c::CreateOrder(t.platform, "o-" + u, 500, "EUR", "checkout", "r")});
         std::string stream = "order/" + t.platform + "/o-" + u;
         auto reply = a.Call(p::RequestBody::ReadStream, [&](flatbuffers::FlatBufferBuilder& b) {
           return p::CreateReadStreamDirect(b, stream.c_str()).Union();
         });
         return reply.ok() ? p::ErrorCode::Ok : reply.error().code;
       }},
  };
}

TEST_F(MatrixTest, EveryRoleEveryRequestEveryScopeAndEnvironment) {
  const Target own_platform{"acme", "acme-sbx"};
  const Target other_environment{"acme", "acme-prd"};
  const Target other_organization{"globex", "globex-sbx"};
  int checked = 0;
  for (const Row& row : Rows()) {
    for (int who = 0; who < kWhoCount; ++who) {
      auto actor =
          who == kKey ? world_.Key("key-acme-sbx") : world_.User(kUsers[who], Environment::Sandbox);
      const std::string name = who == kKey ? "key" : kUsers[who];
      struct Case {
        const char* label;
        Target target;
        p::ErrorCode expected;
      };
      std::vector<Case> cases = {
          {"own", own_platform, row.allowed[who] ? p::ErrorCode::Ok : p::ErrorCode::Forbidden},
          {"other organization", other_organization, p::ErrorCode::NotFound}};
      if (!row.organization_level) {
        cases.push_back({"other environment", other_environment, p::ErrorCode::NotFound});
      }
      for (const Case& c : cases) {
        const std::string unique = std::to_string(checked) + "-" + name + "-" + std::to_string(who);
        EXPECT_EQ(row.run(*this, *actor, c.target, unique), c.expected)
            << row.name << " as " << name << " on " << c.label << " target";
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 250);
}

TEST_F(MatrixTest, AGrantScopedToSomePlatformsCoversOnlyThose) {
  auto scoped = world_.User("scoped", Environment::Sandbox);
  EXPECT_EQ(ExecuteOne(*scoped, c::CreateOrder("acme-sbx2", "s-1", 500, "EUR", "checkout", "r")),
            p::ErrorCode::Ok);
  EXPECT_EQ(ExecuteOne(*scoped, c::CreateOrder("acme-sbx", "s-2", 500, "EUR", "checkout", "r")),
            p::ErrorCode::Forbidden);
  EXPECT_EQ(Query(*scoped, p::QueryKind::Orders, {"acme", "acme-sbx2"}), p::ErrorCode::Ok);
  EXPECT_EQ(Query(*scoped, p::QueryKind::Orders, {"acme", "acme-sbx"}), p::ErrorCode::Forbidden);
  // Organization-wide views need a grant to every platform.
  EXPECT_EQ(Query(*scoped, p::QueryKind::OrganizationSummary, {"acme", ""}),
            p::ErrorCode::Forbidden);
  EXPECT_EQ(Query(*scoped, p::QueryKind::Orders, {"globex", "globex-sbx"}), p::ErrorCode::NotFound);
}

TEST_F(MatrixTest, AnApiKeyReadsNoOrganizationWideView) {
  auto key = world_.Key("key-acme-sbx");
  EXPECT_EQ(Query(*key, p::QueryKind::PlatformSummary, {"acme", "acme-sbx"}), p::ErrorCode::Ok);
  EXPECT_EQ(Query(*key, p::QueryKind::OrganizationSummary, {"acme", ""}), p::ErrorCode::Forbidden);
  EXPECT_EQ(Query(*key, p::QueryKind::OrganizationSummary, {"", ""}), p::ErrorCode::Forbidden);
  EXPECT_EQ(Query(*key, p::QueryKind::TrialBalance, {"acme", ""}), p::ErrorCode::Forbidden);
  // Another organization's reads as missing, as it does for every view.
  EXPECT_EQ(Query(*key, p::QueryKind::TrialBalance, {"globex", ""}), p::ErrorCode::NotFound);
  EXPECT_EQ(Query(*key, p::QueryKind::OrganizationSummary, {"globex", ""}), p::ErrorCode::NotFound);
}

}  // namespace
}  // namespace ledger::testing

// The payment domain over the network: every command, rejections with their precise codes,
// sandbox and production kept apart, queries reading their own writes, exports streamed.
#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <limits>

#include "ledger/schema/envelope_generated.h"
#include "server/world.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
namespace c = client;
using schema::Environment;

class DomainTest : public ::testing::Test {
 protected:
  DomainTest() : world_(server_) {}

  c::Reply Query(c::Client& client, p::QueryKind kind, const std::string& organization,
                 const std::string& platform, const std::string& order = "") {
    auto head = server_.ledger().log().Head().sequence.value;
    return client.Call(p::RequestBody::Query, [&](flatbuffers::FlatBufferBuilder& b) {
      auto organization_id = b.CreateString(organization);
      auto platform_id = b.CreateString(platform);
      auto order_id = b.CreateString(order);
      p::QueryBuilder query(b);
      query.add_kind(kind);
      query.add_organization_id(organization_id);
      query.add_platform_id(platform_id);
      query.add_order_id(order_id);
      query.add_min_sequence(head);
      query.add_wait_ms(5000);
      return query.Finish().Union();
    });
  }

  TestServer server_;
  World world_;
};

c::CommandBuilder Op(const std::string& id, schema::OperationKind kind, std::int64_t amount) {
  return c::RecordOperation({"acme-sbx", "o-1", "t-1", id, kind,
                             schema::OperationOutcome::Succeeded, amount, "psp-" + id, 1});
}

TEST_F(DomainTest, EveryCommandOverTheWire) {
  auto key = world_.Key("key-acme-sbx");
  auto admin = world_.User("admin", Environment::Sandbox);
  auto [secret, hash] = NewSecret();
  auto codes = Execute(*admin, {c::AddBankAccount("acme-sbx", "bank-1", "Acme SAS",
                                                  "FR7630006000011234567890189", "EUR"),
                                c::IssueApiKey("acme-sbx", "key-extra", hash)});
  EXPECT_EQ(codes, std::vector<p::ErrorCode>(2, p::ErrorCode::Ok));
  codes = Execute(*key, {c::CreateOrder("acme-sbx", "o-1", 10000, "EUR", "checkout", "cart-1"),
                         c::CreateTransaction("acme-sbx", "o-1", "t-1", 10000),
                         Op("auth-1", schema::OperationKind::Authorization, 10000),
                         Op("cap-1", schema::OperationKind::Capture, 10000),
                         Op("fee-1", schema::OperationKind::Fee, 150),
                         Op("ref-1", schema::OperationKind::Refund, 1000),
                         c::CreateOrder("acme-sbx", "o-2", 500, "EUR", "checkout", "cart-2"),
                         c::CancelOrder("acme-sbx", "o-2", "abandoned")});
  EXPECT_EQ(codes, std::vector<p::ErrorCode>(8, p::ErrorCode::Ok));
  EXPECT_EQ(ExecuteOne(*admin, c::RequestWithdrawal("acme-sbx", "w-1", "bank-1", 3000, "EUR")),
            p::ErrorCode::Ok);
  EXPECT_EQ(ExecuteOne(*admin, c::RequestWithdrawal("acme-sbx", "w-2", "bank-1", 1000, "EUR")),
            p::ErrorCode::Ok);
  EXPECT_EQ(ExecuteOne(*key, c::SettleWithdrawal("acme-sbx", "w-1", "bank-ref-1")),
            p::ErrorCode::Ok);
  EXPECT_EQ(ExecuteOne(*key, c::FailWithdrawal("acme-sbx", "w-2", "account closed")),
            p::ErrorCode::Ok);
  EXPECT_EQ(ExecuteOne(*admin, c::RevokeApiKey("acme-sbx", "key-extra")), p::ErrorCode::Ok);
  EXPECT_EQ(ExecuteOne(*admin, c::RevokeRole("acme", "sales")), p::ErrorCode::Ok);
  EXPECT_EQ(ExecuteOne(*world_.root, c::RevokeUserToken("sales", "tok-sales")), p::ErrorCode::Ok);

  // The views read their own writes: available = 10000 − 150 − 1000 − 3000 (settled).
  auto summary = Query(*admin, p::QueryKind::PlatformSummary, "acme", "acme-sbx");
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  const auto* figures = summary.body<p::PlatformSummary>()->currencies()->Get(0);
  EXPECT_EQ(figures->currency()->str(), "EUR");
  EXPECT_EQ(figures->available_minor(), 10000 - 150 - 1000 - 3000);
  EXPECT_EQ(figures->withdrawn_minor(), 3000);
  auto detail = Query(*key, p::QueryKind::OrderDetail, "acme", "acme-sbx", "o-1");
  ASSERT_TRUE(detail.ok()) << detail.error().ToString();
  EXPECT_EQ(detail.body<p::OrderDetail>()->transactions()->Get(0)->operations()->size(), 4u);
}

// Amounts near the int64 bound: every ledger account is checked (a capture that would take
// customer funds past the range is refused); the views' figures that move both ways stay
// exact through a moment beyond the range, and all-time totals hold at the bound; the views
// keep running.
TEST_F(DomainTest, SumsNearTheInt64BoundNeitherWrapNorStopTheViews) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  auto key = world_.Key("key-acme-sbx");
  auto admin = world_.User("admin", schema::Environment::Sandbox);
  auto op = [](const std::string& order, const std::string& id, schema::OperationKind kind,
               std::int64_t amount) {
    return c::RecordOperation({"acme-sbx", order, order + "-t", id, kind,
                               schema::OperationOutcome::Succeeded, amount, "psp", 1});
  };
  auto pay = [&](const std::string& order, std::int64_t amount) {
    return Execute(*key, {c::CreateTransaction("acme-sbx", order, order + "-t", amount),
                          op(order, order + "-a", schema::OperationKind::Authorization, amount),
                          op(order, order + "-c", schema::OperationKind::Capture, amount)});
  };
  // The reply owns the figures: keep it while reading them.
  auto summary = [&] {
    auto reply = Query(*admin, p::QueryKind::PlatformSummary, "acme", "acme-sbx");
    EXPECT_TRUE(reply.ok()) << reply.error().ToString();
    return reply;
  };
  auto figures = [](const c::Reply& reply) {
    return reply.body<p::PlatformSummary>()->currencies()->Get(0);
  };
  const std::vector<p::ErrorCode> all_ok(3, p::ErrorCode::Ok);
  // Two open orders: kMax + 2 open for a moment, then "big" is paid and 2 stay open.
  EXPECT_EQ(Execute(*key, {c::CreateOrder("acme-sbx", "big", kMax, "EUR", "checkout", "r"),
                           c::CreateOrder("acme-sbx", "more", 2, "EUR", "checkout", "r")}),
            std::vector<p::ErrorCode>(2, p::ErrorCode::Ok));
  EXPECT_EQ(pay("big", kMax), all_ok);
  const c::Reply paid = summary();
  EXPECT_EQ(figures(paid)->orders_by_status()->Get(0)->amount_minor(), 2);
  // Refunded whole: every balance back to 0, but captures of all time stay kMax.
  EXPECT_EQ(ExecuteOne(*admin, op("big", "big-r", schema::OperationKind::Refund, kMax)),
            p::ErrorCode::Ok);
  EXPECT_EQ(pay("more", 2), all_ok);
  const c::Reply refunded = summary();
  const auto* after = figures(refunded);
  EXPECT_EQ(after->captured_minor(), kMax) << "kMax + 2 captured in all: held at the bound";
  EXPECT_EQ(after->refunded_minor(), kMax);
  EXPECT_EQ(after->available_minor(), 2);
  EXPECT_EQ(after->orders_by_status()->Get(0)->amount_minor(), 0);
  // customer_funds:acme-sbx holds -2: a capture of kMax would take it past the minimum.
  EXPECT_EQ(ExecuteOne(*key, c::CreateOrder("acme-sbx", "huge", kMax, "EUR", "checkout", "r")),
            p::ErrorCode::Ok);
  auto refused = pay("huge", kMax);
  EXPECT_EQ(refused.back(), p::ErrorCode::InvariantViolated);
  auto trial = Query(*admin, p::QueryKind::TrialBalance, "acme", "");
  ASSERT_TRUE(trial.ok()) << trial.error().ToString();
  auto stats = world_.root->Call(p::RequestBody::GetStats,
                                 [](auto& b) { return p::CreateGetStats(b).Union(); });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats.body<p::Stats>()->projections_failure(), nullptr);
}

TEST_F(DomainTest, RejectionsCarryTheirRuleAndCategory) {
  auto key = world_.Key("key-acme-sbx");
  auto reply =
      key->Call(p::RequestBody::ExecuteCommands,
                c::ExecuteBatch({c::CreateOrder("acme-sbx", "o-1", 1000, "EUR", "checkout", "c"),
                                 c::CreateTransaction("acme-sbx", "o-1", "t-1", 1000),
                                 Op("ref-x", schema::OperationKind::Refund, 10),
                                 c::CreateOrder("acme-sbx", "o-1", 1000, "EUR", "checkout", "c"),
                                 c::CreateOrder("acme-sbx", "o-3", -5, "EUR", "checkout", "c"),
                                 c::CreateOrder("acme-sbx", "o-4", 5, "XYZ", "checkout", "c")}));
  ASSERT_TRUE(reply.ok());
  const auto* results = reply.body<p::CommandResults>()->results();
  EXPECT_EQ(results->Get(0)->status(), p::ErrorCode::Ok);
  EXPECT_EQ(results->Get(2)->status(), p::ErrorCode::InvariantViolated);
  EXPECT_EQ(results->Get(2)->code_name()->str(), "refund_before_capture");
  EXPECT_EQ(results->Get(3)->status(), p::ErrorCode::Conflict);
  EXPECT_EQ(results->Get(3)->code_name()->str(), "order_already_exists");
  EXPECT_EQ(results->Get(4)->status(), p::ErrorCode::InvalidArgument);
  EXPECT_EQ(results->Get(5)->code_name()->str(), "currency_is_unknown");
  EXPECT_FALSE(results->Get(5)->message()->str().empty());
}

// Authenticated names the principal: a user token's user, an API key's own id.
TEST_F(DomainTest, AuthenticatedNamesTheUserOfAToken) {
  auto user = world_.User("operator", schema::Environment::Sandbox);
  ASSERT_NE(user, nullptr);
  const auto* who = user->identity().body<p::Authenticated>();
  EXPECT_EQ(who->kind(), p::CredentialKind::UserToken);
  EXPECT_EQ(who->principal_id()->str(), "operator");
  auto key = world_.Key("key-acme-sbx");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->identity().body<p::Authenticated>()->principal_id()->str(), "key-acme-sbx");
}

TEST_F(DomainTest, IdempotentCommandRetriesReturnTheOriginal) {
  auto key = world_.Key("key-acme-sbx");
  auto create = [] {
    return c::CreateOrder("acme-sbx", "o-9", 700, "EUR", "checkout", "c", c::WithKey("order-o-9"));
  };
  auto first = key->Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch({create()}));
  auto second = key->Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch({create()}));
  const auto* a = first.body<p::CommandResults>()->results()->Get(0);
  const auto* b = second.body<p::CommandResults>()->results()->Get(0);
  EXPECT_EQ(a->status(), p::ErrorCode::Ok);
  EXPECT_EQ(b->status(), p::ErrorCode::Duplicate);
  EXPECT_EQ(a->code(), 0);
  EXPECT_EQ(a->code_name(), nullptr) << "an accepted command carries no name";
  EXPECT_EQ(b->code(), 1);
  ASSERT_NE(b->code_name(), nullptr);
  EXPECT_EQ(b->code_name()->str(), "duplicate");
  EXPECT_EQ(a->sequence(), b->sequence());
  EXPECT_EQ(ExecuteOne(*key, c::CreateOrder("acme-sbx", "o-10", 1, "EUR", "checkout", "c",
                                            c::WithKey("order-o-9"))),
            p::ErrorCode::Conflict);
  // A key longer than 128 bytes is the caller's error, refused before the command.
  auto long_key =
      key->Call(p::RequestBody::ExecuteCommands,
                c::ExecuteBatch({c::CreateOrder("acme-sbx", "o-11", 1, "EUR", "checkout", "c",
                                                c::WithKey(std::string(129, 'k')))}));
  const auto* refused = long_key.body<p::CommandResults>()->results()->Get(0);
  EXPECT_EQ(refused->status(), p::ErrorCode::InvalidArgument);
  EXPECT_EQ(refused->code_name()->str(), "idempotency_key_is_malformed");
}

TEST_F(DomainTest, ExpectedVersionsHoldOrConflictOverTheWire) {
  auto key = world_.Key("key-acme-sbx");
  // One command per request, so each sees the one before it.
  auto run = [&key](c::CommandBuilder command) {
    auto reply = key->Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch({std::move(command)}));
    EXPECT_TRUE(reply.ok()) << reply.error().ToString();
    return reply;
  };
  c::CommandOptions fresh;
  fresh.ExpectNoStream();
  auto created = run(c::CreateOrder("acme-sbx", "o-v", 900, "EUR", "checkout", "c", fresh));
  const auto* order = created.body<p::CommandResults>()->results()->Get(0);
  ASSERT_EQ(order->status(), p::ErrorCode::Ok);
  EXPECT_EQ(order->stream_version(), 1u);
  auto transaction = [](std::uint64_t expected) {
    return c::CreateTransaction("acme-sbx", "o-v", "t-v", 400,
                                c::WithKey("t-v").ExpectVersion(expected));
  };
  auto first = run(transaction(1));
  const auto* appended = first.body<p::CommandResults>()->results()->Get(0);
  ASSERT_EQ(appended->status(), p::ErrorCode::Ok);
  EXPECT_EQ(appended->stream_version(), 2u);

  const auto head = server_.ledger().log().Head();
  auto stale = run(c::CreateTransaction("acme-sbx", "o-v", "t-w", 100, fresh));
  const auto* conflict = stale.body<p::CommandResults>()->results()->Get(0);
  EXPECT_EQ(conflict->status(), p::ErrorCode::Conflict);
  EXPECT_EQ(conflict->code_name()->str(), "wrong_expected_version");
  EXPECT_EQ(conflict->message()->str(),
            "stream 'order/acme-sbx/o-v' is at version 2, expected no stream");
  EXPECT_EQ(server_.ledger().log().Head(), head);

  // The stream moves on; the retry of the recorded command still gets its original result.
  EXPECT_EQ(ExecuteOne(*key, c::CreateTransaction("acme-sbx", "o-v", "t-x", 100)),
            p::ErrorCode::Ok);
  auto retry = run(transaction(1));
  const auto* duplicate = retry.body<p::CommandResults>()->results()->Get(0);
  EXPECT_EQ(duplicate->status(), p::ErrorCode::Duplicate);
  EXPECT_EQ(duplicate->sequence(), appended->sequence());
  EXPECT_EQ(duplicate->stream_version(), 2u);
  EXPECT_EQ(ExecuteOne(*key, c::CreateTransaction("acme-sbx", "o-v", "t-y", 100,
                                                  c::CommandOptions().ExpectVersion(2))),
            p::ErrorCode::Conflict);

  c::CommandOptions unknown;
  unknown.expected_kind = static_cast<p::ExpectedKind>(9);
  auto refused = key->Call(p::RequestBody::ExecuteCommands,
                           c::ExecuteBatch({c::CancelOrder("acme-sbx", "o-v", "x", unknown)}));
  EXPECT_EQ(refused.error().code, p::ErrorCode::InvalidArgument);
  EXPECT_EQ(refused.error().message, "command 0: expected_kind 9 is not Any, NoStream or Exact");
}

TEST_F(DomainTest, SandboxAndProductionNeverMix) {
  auto production_key = world_.Key("key-acme-prd");
  ASSERT_EQ(ExecuteOne(*production_key,
                       c::CreateOrder("acme-prd", "live-1", 900, "EUR", "checkout", "c")),
            p::ErrorCode::Ok);
  auto sandbox_admin = world_.User("admin", Environment::Sandbox);
  auto production_admin = world_.User("admin", Environment::Production);
  // The sandbox connection reads no production event, in the log or in the views.
  auto log = sandbox_admin->Call(p::RequestBody::ReadLog,
                                 [](auto& b) { return p::CreateReadLog(b, 1, 10000).Union(); });
  ASSERT_TRUE(log.ok());
  for (const auto* event : *log.body<p::Events>()->events()) {
    const auto* envelope = flatbuffers::GetRoot<schema::Envelope>(event->envelope()->data());
    EXPECT_NE(envelope->environment(), Environment::Production);
  }
  EXPECT_EQ(
      Query(*sandbox_admin, p::QueryKind::OrderDetail, "acme", "acme-prd", "live-1").error().code,
      p::ErrorCode::NotFound);
  EXPECT_TRUE(
      Query(*production_admin, p::QueryKind::OrderDetail, "acme", "acme-prd", "live-1").ok());
  EXPECT_EQ(
      Query(*production_admin, p::QueryKind::PlatformSummary, "acme", "acme-sbx").error().code,
      p::ErrorCode::NotFound);
  // An API key cannot even connect to the other environment.
  c::ClientError error;
  EXPECT_EQ(server_.Connect(p::CredentialKind::ApiKey, world_.credentials.at("key-acme-prd"),
                            Environment::Sandbox, &error),
            nullptr);
  EXPECT_EQ(error.code, p::ErrorCode::Unauthenticated);
}

// Root is bound to no environment: a platform's view is read in the platform's environment
// unless root names one; an organization-wide view needs one named.
TEST_F(DomainTest, RootReadsAPlatformInItsEnvironment) {
  auto production_key = world_.Key("key-acme-prd");
  ASSERT_EQ(ExecuteOne(*production_key,
                       c::CreateOrder("acme-prd", "live-1", 900, "EUR", "checkout", "c")),
            p::ErrorCode::Ok);
  auto root = server_.ConnectRoot();
  ASSERT_NE(root, nullptr);
  auto order = Query(*root, p::QueryKind::OrderDetail, "acme", "acme-prd", "live-1");
  ASSERT_TRUE(order.ok()) << order.error().ToString();
  EXPECT_EQ(order.body<p::OrderDetail>()->order()->amount_minor(), 900);
  auto summary = Query(*root, p::QueryKind::PlatformSummary, "acme", "acme-prd");
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  EXPECT_EQ(summary.body<p::PlatformSummary>()->environment(), Environment::Production);
  EXPECT_EQ(Query(*root, p::QueryKind::PlatformSummary, "acme", "no-such-platform").error().code,
            p::ErrorCode::NotFound);
  EXPECT_EQ(Query(*root, p::QueryKind::PlatformSummary, "globex", "acme-prd").error().code,
            p::ErrorCode::NotFound);
  EXPECT_EQ(Query(*root, p::QueryKind::OrganizationSummary, "acme", "").error().code,
            p::ErrorCode::InvalidArgument);
}

TEST_F(DomainTest, RevokedCredentialsLoseTheirConnections) {
  auto sales = world_.User("sales", Environment::Sandbox);
  ASSERT_EQ(ExecuteOne(*world_.root, c::RevokeUserToken("sales", "tok-sales")), p::ErrorCode::Ok);
  auto reply = sales->Call(p::RequestBody::Ping, [](auto& b) { return p::CreatePing(b).Union(); });
  EXPECT_EQ(reply.error().code, p::ErrorCode::Unauthenticated);
  c::ClientError error;
  EXPECT_EQ(server_.Connect(p::CredentialKind::UserToken, world_.credentials.at("tok-sales"),
                            Environment::Sandbox, &error),
            nullptr);
}

TEST_F(DomainTest, ExportsStreamInChunksWithAManifest) {
  auto key = world_.Key("key-acme-sbx");
  std::vector<c::CommandBuilder> batch;
  for (int i = 0; i < 1500; ++i) {
    std::string order = "bulk-" + std::to_string(i);
    batch.push_back(c::CreateOrder("acme-sbx", order, 1000, "EUR", "checkout", "c"));
    batch.push_back(c::CreateTransaction("acme-sbx", order, order + "-t", 1000));
    for (auto kind : {schema::OperationKind::Authorization, schema::OperationKind::Capture}) {
      batch.push_back(c::RecordOperation(
          {"acme-sbx", order, order + "-t", order + "-" + std::to_string(static_cast<int>(kind)),
           kind, schema::OperationOutcome::Succeeded, 1000, "psp-reference-" + order, 1}));
    }
    if (batch.size() >= 2000) {
      auto codes = Execute(*key, std::move(batch));
      ASSERT_EQ(codes.size(), 2000u);
      for (auto code : codes) ASSERT_EQ(code, p::ErrorCode::Ok);
      batch.clear();
    }
  }
  if (!batch.empty()) Execute(*key, std::move(batch));
  auto accountant = world_.User("accountant", Environment::Sandbox);
  const auto head = server_.ledger().log().Head().sequence.value;
  std::string csv;
  int chunks = 0;
  bool last = false;
  std::promise<void> done;
  accountant->Send(
      p::RequestBody::ExportCsv,
      [&](flatbuffers::FlatBufferBuilder& b) {
        return p::CreateExportCsvDirect(b, p::ExportKind::Payments, Environment::Unspecified,
                                        "acme", "acme-sbx", 0, 0, head, 5000)
            .Union();
      },
      [&](c::Reply reply) {
        const auto* chunk = reply.body<p::ExportChunk>();
        if (chunk != nullptr) {
          csv.append(reinterpret_cast<const char*>(chunk->data()->data()), chunk->data()->size());
          ++chunks;
          last = chunk->last();
          if (last) {
            EXPECT_EQ(chunk->rows(), 3000u);
          }
        }
        if (chunk == nullptr || chunk->last()) done.set_value();
        return chunk != nullptr && !chunk->last();
      });
  done.get_future().wait();
  EXPECT_TRUE(last);
  EXPECT_GT(chunks, 1);
  EXPECT_EQ(csv.rfind("log_sequence,", 0), 0u);
  EXPECT_NE(csv.find("#manifest"), std::string::npos) << csv.substr(csv.size() - 300);
  if (::testing::Test::HasFailure())
    std::cerr << csv.substr(0, 400) << "\n...\n" << csv.substr(csv.size() - 400);
}

TEST_F(DomainTest, EveryQueryAndExportAnswers) {
  auto key = world_.Key("key-acme-sbx");
  auto admin = world_.User("admin", Environment::Sandbox);
  ASSERT_EQ(ExecuteOne(*admin, c::AddBankAccount("acme-sbx", "bank-1", "Acme SAS",
                                                 "FR7630006000011234567890189", "EUR")),
            p::ErrorCode::Ok);
  for (auto code : Execute(*key, {c::CreateOrder("acme-sbx", "o-1", 10000, "EUR", "checkout", "c"),
                                  c::CreateTransaction("acme-sbx", "o-1", "t-1", 10000),
                                  Op("auth-1", schema::OperationKind::Authorization, 10000),
                                  Op("cap-1", schema::OperationKind::Capture, 10000)})) {
    ASSERT_EQ(code, p::ErrorCode::Ok);
  }
  ASSERT_EQ(ExecuteOne(*admin, c::RequestWithdrawal("acme-sbx", "w-1", "bank-1", 2000, "EUR")),
            p::ErrorCode::Ok);
  const auto head = server_.ledger().log().Head().sequence.value;
  auto ask = [&](p::QueryKind kind, const std::string& platform,
                 const std::function<void(p::QueryBuilder&)>& more = {}) {
    return admin->Call(p::RequestBody::Query, [&](flatbuffers::FlatBufferBuilder& b) {
      auto organization = b.CreateString("acme");
      auto platform_id = b.CreateString(platform);
      auto account = b.CreateString("wallet:acme-sbx");
      auto currency = b.CreateString("EUR");
      p::QueryBuilder query(b);
      query.add_kind(kind);
      query.add_organization_id(organization);
      query.add_platform_id(platform_id);
      query.add_account(account);
      query.add_currency(currency);
      query.add_min_sequence(head);
      query.add_wait_ms(5000);
      if (more) more(query);
      return query.Finish().Union();
    });
  };
  EXPECT_NE(ask(p::QueryKind::DailyTotals, "acme-sbx").body<p::DailyTotals>(), nullptr);
  EXPECT_NE(ask(p::QueryKind::OrganizationSummary, "").body<p::OrganizationSummary>(), nullptr);
  auto withdrawals = ask(p::QueryKind::Withdrawals, "acme-sbx");
  ASSERT_NE(withdrawals.body<p::WithdrawalPage>(), nullptr);
  EXPECT_EQ(withdrawals.body<p::WithdrawalPage>()->withdrawals()->size(), 1u);
  auto journal = ask(p::QueryKind::Journal, "acme-sbx");
  ASSERT_NE(journal.body<p::JournalPage>(), nullptr);
  EXPECT_EQ(journal.body<p::JournalPage>()->entries()->size(), 2u);  // Capture, withdrawal.
  auto trial = ask(p::QueryKind::TrialBalance, "");
  ASSERT_NE(trial.body<p::TrialBalance>(), nullptr);
  for (const auto* total : *trial.body<p::TrialBalance>()->totals()) {
    EXPECT_EQ(total->total_minor(), 0);
  }
  auto balance = ask(p::QueryKind::AccountBalance, "acme-sbx",
                     [&](p::QueryBuilder& q) { q.add_at_sequence(head); });
  ASSERT_TRUE(balance.ok()) << balance.error().ToString();
  EXPECT_EQ(balance.body<p::AccountBalance>()->balance_minor(), 10000 - 2000);
  auto activity = admin->Call(p::RequestBody::Query, [&](flatbuffers::FlatBufferBuilder& b) {
    return p::CreateQueryDirect(b, p::QueryKind::Activity, Environment::Unspecified, "acme",
                                nullptr, nullptr, nullptr, 0, 0, nullptr, nullptr, nullptr, 0, 0,
                                "root", nullptr, nullptr, 0, head, 5000)
        .Union();
  });
  ASSERT_TRUE(activity.ok()) << activity.error().ToString();
  EXPECT_GT(activity.body<p::ActivityPage>()->entries()->size(), 0u);
  auto roles = ask(p::QueryKind::RoleHistory, "");
  ASSERT_TRUE(roles.ok()) << roles.error().ToString();
  EXPECT_GE(roles.body<p::RoleHistory>()->changes()->size(), 5u);
  auto unknown = ask(p::QueryKind::Unspecified, "acme-sbx");
  EXPECT_EQ(unknown.error().code, p::ErrorCode::InvalidArgument);

  std::promise<std::string> csv;
  std::string text;
  admin->Send(
      p::RequestBody::ExportCsv,
      [&](flatbuffers::FlatBufferBuilder& b) {
        return p::CreateExportCsvDirect(b, p::ExportKind::Disbursements, Environment::Unspecified,
                                        "acme", "acme-sbx", 0, 0, head, 5000)
            .Union();
      },
      [&](c::Reply reply) {
        const auto* chunk = reply.body<p::ExportChunk>();
        if (chunk == nullptr) {
          csv.set_value(reply.error().ToString());
          return false;
        }
        text.append(reinterpret_cast<const char*>(chunk->data()->data()), chunk->data()->size());
        if (chunk->last()) csv.set_value(text);
        return !chunk->last();
      });
  std::string disbursements = csv.get_future().get();
  EXPECT_NE(disbursements.find("w-1"), std::string::npos) << disbursements;
  EXPECT_NE(disbursements.find("#manifest,export=disbursements"), std::string::npos);

  // Verify from an audited point: the chain from there to the head.
  auto events = server_.ledger().log().ReadRange(SequenceNumber{10}, 1);
  ASSERT_TRUE(events.ok());
  const Hash256 audited = events->front().hash();
  auto verified = world_.root->Call(p::RequestBody::VerifyChain, [&](auto& b) {
    std::vector<std::uint8_t> hash(audited.begin(), audited.end());
    return p::CreateVerifyChainDirect(b, 10, &hash).Union();
  });
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified.body<p::VerifyChainResult>()->ok());
  EXPECT_EQ(verified.body<p::VerifyChainResult>()->events_checked(), head - 10);
}

}  // namespace
}  // namespace ledger::testing

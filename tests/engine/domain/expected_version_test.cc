// Expected versions on domain commands (docs/domain.md §5 and §7): checked against the
// command's stream after the domain's rules, in the writer thread; a failed check writes
// nothing; a retry with the same idempotency key gets its original result even after the
// stream moved on.
#include <gtest/gtest.h>

#include "engine/domain/domain_testing.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

using domain::Principal;
using domain::ResultCode;
using schema::Environment;

const Principal kRoot = Principal::Root();
const Principal kKey = Principal::ApiKey("k", "acme", "shop", Environment::Sandbox);
const Principal kAdmin = Principal::User("ada", Environment::Sandbox);
constexpr std::string_view kOrderStream = "order/shop/o1";

CommandRequest As(const Principal& principal, domain::Command command,
                  ExpectedVersion expected = ExpectedVersion::Any(), std::string key = {}) {
  return CommandRequest{principal, std::move(command), std::move(key), {}, {}, expected};
}

domain::CreateTransaction Transaction(std::string id, std::int64_t amount) {
  return domain::CreateTransaction{"shop", "o1", std::move(id), amount, ""};
}

class ExpectedVersionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = OpenTestLedger(dir_.Child("ledger"));
    ASSERT_NE(ledger_, nullptr);
    for (const CommandResult& result :
         Run({As(kRoot, domain::CreateOrganization{"acme", "Acme"}),
              As(kRoot, domain::CreatePlatform{"acme", "shop", "Shop", Environment::Sandbox}),
              As(kRoot, domain::IssueApiKey{"shop", "k", Ledger::HashSecret("secret")}),
              As(kRoot, domain::RegisterUser{"ada", "ada@acme.test", "Ada"}),
              As(kRoot, domain::GrantRole{"acme", "ada", schema::Role::Admin, true, {}})})) {
      ASSERT_TRUE(result.ok()) << result.message;
    }
  }

  std::vector<CommandResult> Run(std::vector<CommandRequest> batch) {
    auto results = ledger_->Execute(std::move(batch));
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    return results.ok() ? *results : std::vector<CommandResult>{};
  }
  CommandResult RunOne(CommandRequest request) {
    std::vector<CommandResult> results = Run({std::move(request)});
    return results.empty() ? CommandResult{} : results.front();
  }

  StreamVersion OrderVersion() const {
    auto version = ledger_->log().StreamHead(kOrderStream);
    EXPECT_TRUE(version.ok());
    return version.ok() ? *version : StreamVersion{};
  }

  TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(ExpectedVersionTest, NoStreamCreatesAndExactAppendsWithTheVersionItReports) {
  CommandResult created = RunOne(As(kKey, domain::CreateOrder{"shop", "o1", 1000, "EUR", "", ""},
                                    ExpectedVersion::NoStream()));
  ASSERT_EQ(created.code, ResultCode::kAccepted) << created.message;
  EXPECT_EQ(created.first_version, StreamVersion{1});

  CommandResult appended =
      RunOne(As(kKey, Transaction("t1", 400), ExpectedVersion::Exact(created.first_version)));
  ASSERT_EQ(appended.code, ResultCode::kAccepted) << appended.message;
  EXPECT_EQ(appended.first_version, StreamVersion{2});
  EXPECT_EQ(appended.first_sequence, created.first_sequence.Next());
  EXPECT_EQ(OrderVersion(), StreamVersion{2});

  // Without an expectation the version is reported all the same.
  CommandResult any = RunOne(As(kKey, Transaction("t2", 100)));
  ASSERT_EQ(any.code, ResultCode::kAccepted) << any.message;
  EXPECT_EQ(any.first_version, StreamVersion{3});
}

TEST_F(ExpectedVersionTest, CommandsOfABatchSeeTheVersionsTheOnesBeforeThemWrote) {
  std::vector<CommandResult> results =
      Run({As(kKey, domain::CreateOrder{"shop", "o1", 1000, "EUR", "", ""},
              ExpectedVersion::NoStream()),
           As(kKey, Transaction("t1", 400), ExpectedVersion::Exact({1})),
           As(kKey, Transaction("t2", 400), ExpectedVersion::Exact({1})),
           As(kKey, Transaction("t3", 400), ExpectedVersion::Exact({2}))});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].code, ResultCode::kAccepted) << results[0].message;
  EXPECT_EQ(results[1].code, ResultCode::kAccepted) << results[1].message;
  EXPECT_EQ(results[2].code, ResultCode::kWrongExpectedVersion) << results[2].message;
  EXPECT_EQ(results[3].code, ResultCode::kAccepted) << results[3].message;
  EXPECT_EQ(results[3].first_version, StreamVersion{3});
}

TEST_F(ExpectedVersionTest, AStaleExactVersionIsAConflictAndWritesNothing) {
  ASSERT_TRUE(RunOne(As(kKey, domain::CreateOrder{"shop", "o1", 1000, "EUR", "", ""})).ok());
  ASSERT_TRUE(RunOne(As(kKey, Transaction("t1", 400))).ok());
  const ChainPoint head = ledger_->log().Head();

  CommandResult stale = RunOne(As(kKey, Transaction("t2", 100), ExpectedVersion::Exact({1})));
  EXPECT_EQ(stale.code, ResultCode::kWrongExpectedVersion);
  EXPECT_EQ(domain::CategoryOf(stale.code), domain::ResultCategory::kConflict);
  EXPECT_EQ(stale.message, "stream 'order/shop/o1' is at version 2, expected version 1");
  EXPECT_EQ(stale.first_sequence, SequenceNumber{});
  EXPECT_EQ(ledger_->log().Head(), head);
  EXPECT_EQ(OrderVersion(), StreamVersion{2});

  // Ahead of the stream is as wrong as behind it.
  CommandResult ahead = RunOne(As(kKey, Transaction("t2", 100), ExpectedVersion::Exact({3})));
  EXPECT_EQ(ahead.code, ResultCode::kWrongExpectedVersion);
  EXPECT_EQ(ledger_->log().Head(), head);
}

TEST_F(ExpectedVersionTest, NoStreamOnAnExistingStreamIsAConflict) {
  ASSERT_TRUE(RunOne(As(kKey, domain::CreateOrder{"shop", "o1", 1000, "EUR", "", ""})).ok());
  const ChainPoint head = ledger_->log().Head();
  CommandResult result = RunOne(As(kKey, Transaction("t1", 400), ExpectedVersion::NoStream()));
  EXPECT_EQ(result.code, ResultCode::kWrongExpectedVersion);
  EXPECT_EQ(result.message, "stream 'order/shop/o1' is at version 1, expected no stream");
  EXPECT_EQ(ledger_->log().Head(), head);
}

TEST_F(ExpectedVersionTest, ARetryWithItsKeyGetsTheOriginalResultAfterTheStreamMovedOn) {
  ASSERT_TRUE(RunOne(As(kKey, domain::CreateOrder{"shop", "o1", 1000, "EUR", "", ""})).ok());
  CommandRequest request = As(kKey, Transaction("t1", 400), ExpectedVersion::Exact({1}), "t1");
  CommandResult original = RunOne(request);
  ASSERT_EQ(original.code, ResultCode::kAccepted) << original.message;
  ASSERT_TRUE(RunOne(As(kKey, Transaction("t2", 100))).ok());
  const ChainPoint head = ledger_->log().Head();

  CommandResult retry = RunOne(request);
  EXPECT_EQ(retry.code, ResultCode::kDuplicate) << retry.message;
  EXPECT_EQ(retry.first_sequence, original.first_sequence);
  EXPECT_EQ(retry.first_version, StreamVersion{2});
  EXPECT_EQ(retry.event_count, 1u);
  EXPECT_EQ(ledger_->log().Head(), head);

  // A command that deciding again accepts (a role grant repeated) is answered the same way.
  CommandRequest grant = As(kAdmin, domain::GrantRole{"acme", "ada", schema::Role::Admin, true, {}},
                            ExpectedVersion::Exact({2}), "grant");
  CommandResult granted = RunOne(grant);
  ASSERT_EQ(granted.code, ResultCode::kAccepted) << granted.message;
  ASSERT_TRUE(RunOne(As(kRoot, domain::RegisterUser{"bob", "bob@acme.test", "Bob"})).ok());
  ASSERT_TRUE(
      RunOne(As(kAdmin, domain::GrantRole{"acme", "bob", schema::Role::Sales, true, {}})).ok());
  CommandResult regranted = RunOne(grant);
  EXPECT_EQ(regranted.code, ResultCode::kDuplicate) << regranted.message;
  EXPECT_EQ(regranted.first_version, StreamVersion{3});
}

TEST_F(ExpectedVersionTest, TheExpectationIsNotPartOfTheCommandAnIdempotencyKeyNames) {
  ASSERT_TRUE(RunOne(As(kKey, domain::CreateOrder{"shop", "o1", 1000, "EUR", "", ""})).ok());
  CommandResult original =
      RunOne(As(kKey, Transaction("t1", 400), ExpectedVersion::Exact({1}), "t1"));
  ASSERT_EQ(original.code, ResultCode::kAccepted) << original.message;
  // A client that re-read the stream after a lost response and retries expecting what it read.
  CommandResult retry = RunOne(As(kKey, Transaction("t1", 400), ExpectedVersion::Exact({2}), "t1"));
  EXPECT_EQ(retry.code, ResultCode::kDuplicate) << retry.message;
  EXPECT_EQ(retry.first_sequence, original.first_sequence);
}

TEST_F(ExpectedVersionTest, DomainRulesAreCheckedBeforeTheVersion) {
  ASSERT_TRUE(RunOne(As(kKey, domain::CreateOrder{"shop", "o1", 1000, "EUR", "", ""})).ok());
  EXPECT_EQ(RunOne(As(kKey, Transaction("t1", 5000), ExpectedVersion::Exact({7}))).code,
            ResultCode::kTransactionsExceedOrderAmount);
  EXPECT_EQ(RunOne(As(kKey, domain::CreateOrder{"shop", "o1", 1000, "EUR", "", ""},
                      ExpectedVersion::NoStream()))
                .code,
            ResultCode::kOrderAlreadyExists);
  // A principal that may not act learns nothing about the stream's version.
  const Principal stranger = Principal::ApiKey("nobody", "acme", "shop", Environment::Sandbox);
  EXPECT_EQ(RunOne(As(stranger, Transaction("t1", 100), ExpectedVersion::Exact({7}))).code,
            ResultCode::kPrincipalIsUnknown);
}

TEST_F(ExpectedVersionTest, WithdrawalsExpectTheirWalletsVersion) {
  ASSERT_TRUE(
      RunOne(As(kAdmin, domain::AddBankAccount{"shop", "main", "Acme", "FR7612345678", "EUR"}))
          .ok());
  // An empty wallet refuses the request before its version is looked at.
  EXPECT_EQ(RunOne(As(kAdmin, domain::RequestWithdrawal{"shop", "w1", "main", 10, "EUR"},
                      ExpectedVersion::Exact({4})))
                .code,
            ResultCode::kWithdrawalExceedsWalletBalance);
  ASSERT_TRUE(RunOne(As(kKey, domain::CreateOrder{"shop", "o1", 1000, "EUR", "", ""})).ok());
  ASSERT_TRUE(RunOne(As(kKey, Transaction("t1", 1000))).ok());
  for (auto [id, kind] : {std::pair{"a", schema::OperationKind::Authorization},
                          std::pair{"c", schema::OperationKind::Capture}}) {
    ASSERT_TRUE(RunOne(As(kKey, domain::RecordOperation{"shop", "o1", "t1", id, kind,
                                                        schema::OperationOutcome::Succeeded, 1000,
                                                        "", "psp", 1}))
                    .ok());
  }
  // Captures live in the order's stream; the wallet's stream starts with the first withdrawal.
  CommandResult requested =
      RunOne(As(kAdmin, domain::RequestWithdrawal{"shop", "w1", "main", 10, "EUR"},
                ExpectedVersion::NoStream()));
  ASSERT_EQ(requested.code, ResultCode::kAccepted) << requested.message;
  EXPECT_EQ(requested.first_version, StreamVersion{1});
  CommandResult settled = RunOne(
      As(kKey, domain::SettleWithdrawal{"shop", "w1", "sepa-1"}, ExpectedVersion::NoStream()));
  EXPECT_EQ(settled.code, ResultCode::kWrongExpectedVersion);
  EXPECT_EQ(settled.message, "stream 'wallet/shop/EUR' is at version 1, expected no stream");
  settled = RunOne(
      As(kKey, domain::SettleWithdrawal{"shop", "w1", "sepa-1"}, ExpectedVersion::Exact({1})));
  ASSERT_EQ(settled.code, ResultCode::kAccepted) << settled.message;
  EXPECT_EQ(settled.first_version, StreamVersion{2});
}

}  // namespace
}  // namespace ledger::testing

// The Ledger facade: concurrency of decisions, idempotency across reopen, snapshots (stale,
// damaged, foreign), what events carry, credential lookups, and the refusal paths.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

#include "engine/domain/domain_testing.h"
#include "ledger/engine/domain/event_codec.h"
#include "ledger/limits.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

using domain::Principal;
using domain::ResultCode;
using schema::Environment;
using schema::OperationKind;
using schema::OperationOutcome;

const Principal& kRoot = kTestRoot;
const Principal& kKey = kTestKey;
const Principal kAdmin = Principal::User("ada", Environment::Sandbox);

domain::RecordOperation Operation(std::string order, std::string transaction, std::string id,
                                  OperationKind kind, std::int64_t amount) {
  return domain::RecordOperation{"shop",
                                 std::move(order),
                                 std::move(transaction),
                                 std::move(id),
                                 kind,
                                 OperationOutcome::Succeeded,
                                 amount,
                                 "",
                                 "psp",
                                 1};
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = OpenTestLedger(Options());
    ASSERT_NE(ledger_, nullptr);
    Run({As(kRoot, domain::CreateOrganization{"acme", "Acme"}),
         As(kRoot, domain::CreatePlatform{"acme", "shop", "Shop", Environment::Sandbox}),
         As(kRoot, domain::IssueApiKey{"shop", "k", Ledger::HashSecret("secret")}),
         As(kRoot, domain::RegisterUser{"ada", "ada@acme.test", "Ada"}),
         As(kRoot, domain::GrantRole{"acme", "ada", schema::Role::Admin, true, {}}),
         As(kAdmin, domain::AddBankAccount{"shop", "main", "Acme", "FR7612345678", "EUR"})});
  }

  LedgerOptions Options() const {
    LedgerOptions options = TestLedgerOptions(dir_.Child("ledger"));
    options.hot_orders_max = hot_orders_max_;
    return options;
  }
  std::string SnapshotPath() const { return dir_.Child("ledger") + "/domain.snapshot"; }

  std::vector<CommandResult> Run(std::vector<CommandRequest> batch, bool all_ok = true) {
    auto results = ledger_->Execute(std::move(batch));
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    if (!results.ok()) return {};
    for (const CommandResult& result : *results) {
      if (all_ok) {
        EXPECT_TRUE(result.ok()) << result.message;
      }
    }
    return *results;
  }

  /// An order of `amount` EUR captured in full: the wallet grows by `amount`.
  void Capture(const std::string& order, std::int64_t amount) {
    Run({As(kKey, domain::CreateOrder{"shop", order, amount, "EUR", "checkout", ""}),
         As(kKey, domain::CreateTransaction{"shop", order, order + "-t", amount, ""}),
         As(kKey,
            Operation(order, order + "-t", order + "-a", OperationKind::Authorization, amount)),
         As(kKey, Operation(order, order + "-t", order + "-c", OperationKind::Capture, amount))});
  }

  void Reopen() {
    ledger_.reset();
    ledger_ = OpenTestLedger(Options());
    ASSERT_NE(ledger_, nullptr);
  }

  TempDir dir_;
  std::size_t hot_orders_max_ = LedgerOptions{}.hot_orders_max;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(LedgerTest, ConcurrentWithdrawalsNeverSpendTheSameFundsTwice) {
  Capture("o1", 10000);
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::atomic<std::int64_t> withdrawn{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string id = "w" + std::to_string(t) + "-" + std::to_string(i);
        auto results = ledger_->Execute(
            {As(kAdmin, domain::RequestWithdrawal{"shop", id, "main", 70, "EUR"})});
        ASSERT_TRUE(results.ok());
        const CommandResult& result = results->front();
        if (result.code == ResultCode::kAccepted) withdrawn += 70;
        if (!result.ok()) {
          EXPECT_EQ(result.code, ResultCode::kWithdrawalExceedsWalletBalance);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(withdrawn.load(), 10000 / 70 * 70);
  EXPECT_EQ(ledger_->AvailableBalance("shop", "EUR"), 10000 % 70);
}

TEST_F(LedgerTest, EachCommandOfABatchStandsOnItsOwn) {
  std::vector<CommandResult> results =
      Run({As(kKey, domain::CreateOrder{"shop", "o1", 100, "EUR", "", ""}),
           As(kKey, domain::CreateOrder{"shop", "o1", 100, "EUR", "", ""}),
           As(kKey, domain::CreateOrder{"shop", "o2", 100, "EUR", "", ""})},
          /*all_ok=*/false);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].code, ResultCode::kAccepted);
  EXPECT_EQ(results[1].code, ResultCode::kOrderAlreadyExists);
  EXPECT_EQ(results[2].code, ResultCode::kAccepted);
  EXPECT_EQ(results[2].first_sequence, results[0].first_sequence.Next());
  EXPECT_EQ(results[1].event_count, 0u);
}

TEST_F(LedgerTest, OversizedBatchesAreRefusedWhole) {
  std::vector<CommandRequest> batch(limits::kBatchCommandsMax + 1,
                                    As(kKey, domain::CancelOrder{"shop", "o", ""}));
  auto results = ledger_->Execute(std::move(batch));
  EXPECT_EQ(results.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LedgerTest, EventsCarryWhoWhereAndTheIdempotencyScope) {
  std::vector<CommandResult> results =
      Run({As(kKey, domain::CreateOrder{"shop", "o1", 100, "EUR", "m", "r"}, "idem-1")});
  auto events =
      ledger_->log().ReadStream("order/shop/o1", StreamVersion{1}, ReadDirection::kForward, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  const schema::Envelope& envelope = events->front().envelope();
  EXPECT_EQ(events->front().sequence(), results[0].first_sequence);
  EXPECT_EQ(envelope.actor()->str(), "key:k");
  EXPECT_EQ(envelope.organization()->str(), "acme");
  EXPECT_EQ(envelope.platform()->str(), "shop");
  EXPECT_EQ(envelope.environment(), Environment::Sandbox);
  EXPECT_EQ(envelope.idempotency_scope()->str(), "shop");
  EXPECT_EQ(envelope.idempotency_key()->str(), "idem-1");
  EXPECT_EQ(envelope.correlation_id()->str(), "corr-1");
  EXPECT_EQ(envelope.causation_id()->str(), "cause-1");
  auto event = domain::DecodeEvent(events->front().type(), events->front().payload());
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(*event, domain::Event(domain::OrderCreated{"shop", "o1", 100, "EUR", "m", "r"}));
}

TEST_F(LedgerTest, IdempotencyHoldsAcrossReopen) {
  auto first = Run({As(kKey, domain::CreateOrder{"shop", "o1", 100, "EUR", "", ""}, "k1")});
  Reopen();
  auto again = Run({As(kKey, domain::CreateOrder{"shop", "o1", 100, "EUR", "", ""}, "k1")});
  EXPECT_EQ(again[0].code, ResultCode::kDuplicate);
  EXPECT_EQ(again[0].first_sequence, first[0].first_sequence);
  auto other = Run({As(kKey, domain::CreateOrder{"shop", "o2", 100, "EUR", "", ""}, "k1")},
                   /*all_ok=*/false);
  EXPECT_EQ(other[0].code, ResultCode::kIdempotencyKeyReusedWithDifferentCommand);
}

// Operation ids are kept by the log (each event claims its id), not by the state or its
// snapshot: they stay taken across a snapshot and a reopen, in the same batch, and on every
// transaction of the platform, and the claim is recorded with the event.
TEST_F(LedgerTest, OperationIdsStayTakenAcrossSnapshotsAndReopen) {
  Capture("o1", 5000);
  Run({As(kKey, domain::CreateOrder{"shop", "o2", 900, "EUR", "checkout", ""}),
       As(kKey, domain::CreateTransaction{"shop", "o2", "o2-t", 900, ""})});
  const auto taken_again = [&](const std::string& id) {
    auto results =
        Run({As(kKey, Operation("o2", "o2-t", id, OperationKind::Authorization, 900))}, false);
    return results.size() == 1 && results[0].code == ResultCode::kOperationAlreadyExists;
  };
  EXPECT_TRUE(taken_again("o1-a"));
  ASSERT_TRUE(ledger_->WriteSnapshot().ok());
  Reopen();
  EXPECT_EQ(ledger_->Stats().replayed_on_open, 0u);
  EXPECT_TRUE(taken_again("o1-a"));
  EXPECT_TRUE(taken_again("o1-c"));
  EXPECT_FALSE(taken_again("o2-a")) << "a new id is accepted";
  EXPECT_TRUE(taken_again("o2-a"));

  auto batch = Run({As(kKey, Operation("o2", "o2-t", "o2-c", OperationKind::Capture, 100)),
                    As(kKey, Operation("o2", "o2-t", "o2-c", OperationKind::Capture, 100))},
                   false);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_TRUE(batch[0].ok());
  EXPECT_EQ(batch[1].code, ResultCode::kOperationAlreadyExists);
  auto recorded = ledger_->log().ReadRange(batch[0].first_sequence, 1);
  ASSERT_TRUE(recorded.ok());
  ASSERT_EQ(recorded->size(), 1u);
  ASSERT_NE(recorded->front().envelope().claim(), nullptr);
  EXPECT_EQ(recorded->front().envelope().claim()->string_view(), "op/shop/o2-c");
}

// Every ledger account's balance (here the fees account) comes back whole from a snapshot and
// from a replay, and an order loaded back from its stream does not post a second time.
TEST_F(LedgerTest, AccountBalancesSurviveSnapshotsReplaysAndReloadedOrders) {
  hot_orders_max_ = 1;
  Reopen();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  Run({As(kKey, domain::CreateOrder{"shop", "big", kMax, "EUR", "checkout", ""}),
       As(kKey, domain::CreateTransaction{"shop", "big", "big-t", kMax, ""}),
       As(kKey, Operation("big", "big-t", "big-f1", OperationKind::Fee, kMax - 20))});
  Run({As(kKey, domain::CreateOrder{"shop", "small", 100, "EUR", "checkout", ""}),
       As(kKey, domain::CreateTransaction{"shop", "small", "small-t", 100, ""})});
  const auto fee_code = [&](const std::string& order, const std::string& id, std::int64_t amount) {
    auto results =
        Run({As(kKey, Operation(order, order + "-t", id, OperationKind::Fee, amount))}, false);
    return results.size() == 1 ? results[0].code : ResultCode::kAccepted;
  };
  // "big" left memory; loading it back for this fee must not post its first fee again.
  EXPECT_EQ(fee_code("big", "big-f2", 5), ResultCode::kAccepted);
  EXPECT_GT(ledger_->Stats().orders_loaded, 0u);
  // The fees account holds kMax - 15: the transaction has room, the account does not.
  EXPECT_EQ(fee_code("small", "f1", 16), ResultCode::kBalanceWouldOverflow);
  EXPECT_EQ(fee_code("small", "f1", 5), ResultCode::kAccepted);
  ASSERT_TRUE(ledger_->WriteSnapshot().ok());
  Reopen();
  EXPECT_EQ(ledger_->Stats().replayed_on_open, 0u);
  EXPECT_EQ(fee_code("small", "f2", 11), ResultCode::kBalanceWouldOverflow);
  EXPECT_EQ(fee_code("small", "f2", 6), ResultCode::kAccepted);
  ledger_.reset();  // Closing writes a snapshot: remove it, so the next open replays.
  std::filesystem::remove(SnapshotPath());
  Reopen();
  EXPECT_GT(ledger_->Stats().replayed_on_open, 0u);
  EXPECT_EQ(fee_code("small", "f3", 5), ResultCode::kBalanceWouldOverflow);
  EXPECT_EQ(fee_code("small", "f3", 4), ResultCode::kAccepted);
}

// Past LedgerOptions::hot_orders_max, orders whose events are durable leave memory; a command
// that names one loads it back from its stream, and every rule then sees the order, its
// transactions and their amounts exactly as they were.
TEST_F(LedgerTest, AnOrderThatLeftMemoryIsLoadedBackAsItWas) {
  hot_orders_max_ = 2;
  Reopen();
  Run({As(kKey, domain::CreateOrder{"shop", "o1", 5000, "EUR", "checkout", ""}),
       As(kKey, domain::CreateTransaction{"shop", "o1", "t1", 3000, ""}),
       As(kKey, domain::CreateTransaction{"shop", "o1", "t2", 1000, ""}),
       As(kKey, Operation("o1", "t1", "t1-a", OperationKind::Authorization, 3000)),
       As(kKey, Operation("o1", "t1", "t1-c", OperationKind::Capture, 3000)),
       As(kKey, Operation("o1", "t2", "t2-a", OperationKind::Authorization, 1000))});
  Run({As(kKey, Operation("o1", "t1", "t1-r", OperationKind::Refund, 1000))});
  for (const char* order : {"o2", "o3", "o4", "o5", "o6"}) Capture(order, 100);
  EXPECT_GT(ledger_->Stats().orders_evicted, 0u);
  EXPECT_LE(ledger_->Stats().hot_orders, 2u);
  const std::uint64_t loaded = ledger_->Stats().orders_loaded;

  const auto code = [&](domain::Command command) {
    auto results = Run({As(kKey, std::move(command))}, false);
    return results.size() == 1 ? results[0].code : ResultCode::kAccepted;
  };
  // o1 left memory; each of these loads it (or finds it loaded) and applies its rules.
  EXPECT_EQ(code(domain::CreateTransaction{"shop", "o1", "t3", 1001, ""}),
            ResultCode::kTransactionsExceedOrderAmount);
  EXPECT_EQ(code(Operation("o1", "t2", "x1", OperationKind::Capture, 1001)),
            ResultCode::kCaptureExceedsAuthorized);
  EXPECT_EQ(code(Operation("o1", "t1", "x2", OperationKind::Refund, 2001)),
            ResultCode::kRefundExceedsCaptured);
  EXPECT_EQ(code(Operation("o1", "o2-t", "x3", OperationKind::Refund, 1)),
            ResultCode::kTransactionNotFound)
      << "a transaction of another order";
  EXPECT_GT(ledger_->Stats().orders_loaded, loaded);
  // Ids stay taken while their orders are out of memory: orders by their streams,
  // transactions and operations by their claims in the log.
  EXPECT_EQ(code(domain::CreateOrder{"shop", "o2", 100, "EUR", "", ""}),
            ResultCode::kOrderAlreadyExists);
  EXPECT_EQ(code(domain::CreateTransaction{"shop", "o6", "o3-t", 1, ""}),
            ResultCode::kTransactionAlreadyExists);
  EXPECT_EQ(code(Operation("o6", "o6-t", "o4-c", OperationKind::Refund, 1)),
            ResultCode::kOperationAlreadyExists);
  // An expected version is checked against the loaded order's version: o5 holds 4 events.
  CommandRequest cancel = As(kKey, domain::CancelOrder{"shop", "o5", ""});
  cancel.expected = ExpectedVersion::Exact(StreamVersion{3});
  EXPECT_EQ(Run({cancel}, false).at(0).code, ResultCode::kWrongExpectedVersion);
  cancel.expected = ExpectedVersion::Exact(StreamVersion{4});
  EXPECT_EQ(Run({cancel}, false).at(0).code, ResultCode::kAccepted);
  // What is left is accepted to the last minor unit, then refused, before and after a reopen.
  EXPECT_EQ(code(Operation("o1", "t1", "x4", OperationKind::Refund, 2000)), ResultCode::kAccepted);
  Reopen();
  EXPECT_EQ(ledger_->Stats().hot_orders, 0u);
  EXPECT_EQ(code(Operation("o1", "t1", "x5", OperationKind::Refund, 1)),
            ResultCode::kRefundExceedsCaptured);
  EXPECT_EQ(code(domain::CreateTransaction{"shop", "o1", "t3", 1000, ""}), ResultCode::kAccepted);
  EXPECT_EQ(ledger_->AvailableBalance("shop", "EUR"), 5 * 100);
}

// Only the masked account number is recorded, and the fingerprint kept with an idempotency
// key covers no more: the data files hold nothing a guessed full number could be tested on.
TEST_F(LedgerTest, ABankAccountIsFingerprintedAsRecorded) {
  const domain::AddBankAccount sent{"shop", "b1", "Acme", "FR7630006000011234567890189", "EUR"};
  const std::string& number = sent.account_number;
  domain::AddBankAccount same_mask = sent;
  same_mask.account_number =
      "DE" + std::string(number.size() - 6, '9') + number.substr(number.size() - 4);
  ASSERT_EQ(domain::MaskAccountNumber(same_mask.account_number), domain::MaskAccountNumber(number));
  domain::AddBankAccount other_last_digit = sent;
  other_last_digit.account_number.back() = '8';
  domain::AddBankAccount longer = sent;
  longer.account_number.insert(0, "9");

  const auto fingerprint = [](const domain::AddBankAccount& command) {
    return domain::FingerprintOf(kAdmin, command);
  };
  EXPECT_EQ(fingerprint(sent), fingerprint(same_mask));
  EXPECT_NE(fingerprint(sent), fingerprint(other_last_digit));
  EXPECT_NE(fingerprint(sent), fingerprint(longer)) << "the mask keeps the length";

  Run({As(kAdmin, sent, "bank-1")});
  auto retried = Run({As(kAdmin, same_mask, "bank-1")});
  EXPECT_EQ(retried[0].code, ResultCode::kDuplicate);
  auto other = Run({As(kAdmin, other_last_digit, "bank-1")}, /*all_ok=*/false);
  EXPECT_EQ(other[0].code, ResultCode::kIdempotencyKeyReusedWithDifferentCommand);
  auto events =
      ledger_->log().ReadStream("platform/shop", StreamVersion{1}, ReadDirection::kForward, 100);
  ASSERT_TRUE(events.ok());
  auto event = domain::DecodeEvent(events->back().type(), events->back().payload());
  ASSERT_TRUE(event.ok());
  ASSERT_TRUE(std::holds_alternative<domain::BankAccountAdded>(*event));
  EXPECT_EQ(std::get<domain::BankAccountAdded>(*event).masked_account_number,
            "***********************0189");
}

TEST_F(LedgerTest, AStaleSnapshotIsCompletedFromTheLog) {
  Capture("o1", 5000);
  ASSERT_TRUE(ledger_->WriteSnapshot().ok());
  std::filesystem::copy_file(SnapshotPath(), dir_.Child("old.snapshot"));
  Capture("o2", 700);
  Run({As(kAdmin, domain::RequestWithdrawal{"shop", "w1", "main", 1000, "EUR"})});
  ledger_.reset();  // Writes a newer snapshot on close...
  std::filesystem::copy_file(dir_.Child("old.snapshot"), SnapshotPath(),
                             std::filesystem::copy_options::overwrite_existing);  // ...undone.
  Reopen();
  EXPECT_EQ(ledger_->Stats().replayed_on_open, 5u);
  EXPECT_EQ(ledger_->AvailableBalance("shop", "EUR"), 4700);
  Run({As(kKey, domain::SettleWithdrawal{"shop", "w1", "bank"})});
}

TEST_F(LedgerTest, ADamagedOrForeignSnapshotIsIgnored) {
  Capture("o1", 5000);
  ledger_.reset();
  {
    std::fstream file(SnapshotPath(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    file.put('\x7f');
  }
  Reopen();
  EXPECT_GT(ledger_->Stats().replayed_on_open, 0u);
  EXPECT_EQ(ledger_->AvailableBalance("shop", "EUR"), 5000);
  // A snapshot of another, longer log does not match this one's chain.
  ledger_.reset();
  TempDir other;
  {
    std::unique_ptr<Ledger> longer = OpenTestLedger(other.Child("ledger"));
    std::vector<CommandRequest> batch;
    for (int i = 0; i < 40; ++i) {
      batch.push_back(As(kRoot, domain::CreateOrganization{"org" + std::to_string(i), "x"}));
    }
    ASSERT_TRUE(longer->Execute(std::move(batch)).ok());
  }
  std::filesystem::copy_file(other.Child("ledger") + "/domain.snapshot", SnapshotPath(),
                             std::filesystem::copy_options::overwrite_existing);
  Reopen();
  EXPECT_EQ(ledger_->AvailableBalance("shop", "EUR"), 5000);
  EXPECT_FALSE(ledger_->Allowed(kRoot, domain::Action::kViewPayments, {"org1", "", {}}));
}

TEST_F(LedgerTest, OpaqueAppendsToDomainStreamsAreRefused) {
  Run({As(kKey, domain::CreateOrder{"shop", "o1", 100, "EUR", "", ""})});
  const auto head = ledger_->log().Head().sequence;
  for (const char* stream :
       {"order/shop/o1", "wallet/shop/EUR", "organization/org1", "platform/shop", "user/u1"}) {
    AppendRequest stray;
    stray.event.stream = stream;
    stray.event.payload = "not a domain event";
    auto appended = ledger_->AppendOpaque({stray});
    ASSERT_FALSE(appended.ok()) << stream;
    EXPECT_EQ(appended.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(appended.status().message().find(stream), std::string::npos);
  }
  AppendRequest own;
  own.event.stream = "audit-notes/shop";
  own.event.payload = "an embedder's own record";
  auto appended = ledger_->AppendOpaque({own});
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_EQ((*appended)[0].first_sequence, head.Next());
}

TEST_F(LedgerTest, AStreamWrittenBehindTheDomainsBackIsRefused) {
  Run({As(kKey, domain::CreateOrder{"shop", "o1", 100, "EUR", "", ""})});
  // Only a program that opens the log itself, without the ledger, can do this.
  ledger_.reset();
  {
    LogOptions raw;
    raw.path = Options().log.path;
    auto log = Log::Open(raw);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    AppendRequest stray;
    stray.event.stream = "order/shop/o1";
    stray.event.payload = "not a domain event";
    ASSERT_TRUE((*log)->Append({stray}).ok());
  }
  Reopen();
  auto results = Run({As(kKey, domain::CancelOrder{"shop", "o1", ""})}, /*all_ok=*/false);
  EXPECT_EQ(results[0].code, ResultCode::kLogRefusedTheAppend);
  EXPECT_NE(results[0].message.find("wrong_expected_version"), std::string::npos);
  // Other streams are unaffected.
  Run({As(kKey, domain::CreateOrder{"shop", "o2", 100, "EUR", "", ""})});
  // Rebuilt from the log alone, the state still refuses that stream and only that one.
  ledger_.reset();
  std::filesystem::remove(SnapshotPath());
  Reopen();
  results = Run({As(kKey, domain::CancelOrder{"shop", "o1", ""}),
                 As(kKey, domain::CancelOrder{"shop", "o2", ""})},
                /*all_ok=*/false);
  EXPECT_EQ(results[0].code, ResultCode::kLogRefusedTheAppend);
  EXPECT_EQ(results[1].code, ResultCode::kAccepted);
}

TEST_F(LedgerTest, CredentialsAreFoundByIdWithTheirHashOnly) {
  auto secret = Ledger::GenerateSecret();
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(secret->secret.size(), 64u);
  EXPECT_EQ(secret->sha256, Ledger::HashSecret(secret->secret));
  Run({As(kRoot, domain::IssueUserToken{"ada", "tok", secret->sha256})});
  std::optional<CredentialInfo> token = ledger_->FindUserToken("tok");
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->user, "ada");
  EXPECT_EQ(token->secret_sha256, secret->sha256);
  EXPECT_TRUE(token->active);
  std::optional<CredentialInfo> key = ledger_->FindApiKey("k");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->organization, "acme");
  EXPECT_EQ(key->platform, "shop");
  EXPECT_EQ(key->environment, Environment::Sandbox);
  EXPECT_EQ(key->secret_sha256, Ledger::HashSecret("secret"));
  Run({As(kAdmin, domain::RevokeApiKey{"shop", "k"})});
  EXPECT_FALSE(ledger_->FindApiKey("k")->active);
  EXPECT_FALSE(ledger_->FindApiKey("nothing").has_value());
  EXPECT_EQ(ledger_->FindGrant("acme", "ada")->role, schema::Role::Admin);
  EXPECT_FALSE(ledger_->FindGrant("acme", "nobody").has_value());
}

TEST_F(LedgerTest, ConcurrentBatchesOnManyOrdersAllLand) {
  constexpr int kThreads = 4;
  constexpr int kOrders = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kOrders; ++i)
        Capture("o" + std::to_string(t) + "-" + std::to_string(i), 10);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ledger_->AvailableBalance("shop", "EUR"), kThreads * kOrders * 10);
  EXPECT_EQ(ledger_->Stats().hot_orders, static_cast<std::uint64_t>(kThreads * kOrders));
  Reopen();
  EXPECT_EQ(ledger_->AvailableBalance("shop", "EUR"), kThreads * kOrders * 10);
}

}  // namespace
}  // namespace ledger::testing

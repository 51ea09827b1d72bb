// Ledger::Backup: the backup carries the newest domain snapshot published before it, so that
// opening it replays only the events after that snapshot, and it answers as the ledger did.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "engine/domain/domain_testing.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

namespace fs = std::filesystem;
using domain::Principal;
using schema::Environment;
using schema::OperationKind;
using schema::OperationOutcome;

const Principal& kRoot = kTestRoot;
const Principal& kKey = kTestKey;

CommandRequest Step(const std::string& order, const std::string& id, OperationKind kind,
                    std::int64_t amount) {
  return As(kKey,
            domain::RecordOperation{"shop", order, order + "-t", id, kind,
                                    OperationOutcome::Succeeded, amount, "", "psp", 1},
            id);
}

class LedgerBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = OpenTestLedger(dir_.Child("ledger"));
    ASSERT_NE(ledger_, nullptr);
    Run({As(kRoot, domain::CreateOrganization{"acme", "Acme"}),
         As(kRoot, domain::CreatePlatform{"acme", "shop", "Shop", Environment::Sandbox}),
         As(kRoot, domain::IssueApiKey{"shop", "k", Ledger::HashSecret("secret")})});
    fs::create_directories(dir_.Child("backup"));
  }

  void Run(std::vector<CommandRequest> batch) {
    auto results = ledger_->Execute(std::move(batch));
    ASSERT_TRUE(results.ok()) << results.status().ToString();
    for (const CommandResult& result : *results) ASSERT_TRUE(result.ok()) << result.message;
  }

  /// An order of `amount` EUR captured in full, every command under its own key.
  std::vector<CommandRequest> Capture(const std::string& order, std::int64_t amount) {
    return {
        As(kKey, domain::CreateOrder{"shop", order, amount, "EUR", "checkout", ""}, order),
        As(kKey, domain::CreateTransaction{"shop", order, order + "-t", amount, ""}, order + "-t"),
        Step(order, order + "-a", OperationKind::Authorization, amount),
        Step(order, order + "-c", OperationKind::Capture, amount)};
  }

  std::unique_ptr<Ledger> OpenBackup() {
    LedgerOptions options = TestLedgerOptions(dir_.Child("backup/log"));
    options.log.create_if_missing = false;
    return OpenTestLedger(options);
  }

  TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(LedgerBackupTest, TheBackupCarriesTheSnapshotPublishedBeforeIt) {
  for (int i = 0; i < 5; ++i) Run(Capture("o" + std::to_string(i), 1000 + i));
  ASSERT_TRUE(ledger_->WriteSnapshot().ok());
  const SequenceNumber snapshot = ledger_->Stats().snapshot_sequence;
  ASSERT_GT(snapshot.value, 0u);
  for (int i = 5; i < 8; ++i) Run(Capture("o" + std::to_string(i), 1000 + i));

  auto backup = ledger_->Backup(dir_.Child("backup/log"));
  ASSERT_TRUE(backup.ok()) << backup.status().ToString();
  const ChainPoint head = ledger_->log().Head();
  EXPECT_EQ(backup->log.head, head);
  EXPECT_EQ(backup->snapshot_sequence, snapshot);
  // On the same file system the snapshot is the published file itself, linked.
  struct stat published {};
  struct stat taken {};
  ASSERT_EQ(::stat((dir_.Child("ledger") + "/domain.snapshot").c_str(), &published), 0);
  ASSERT_EQ(::stat(dir_.Child("backup/log/domain.snapshot").c_str(), &taken), 0);
  EXPECT_EQ(published.st_ino, taken.st_ino);

  std::unique_ptr<Ledger> restored = OpenBackup();
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(restored->log().Head(), head);
  EXPECT_EQ(restored->Stats().snapshot_sequence, snapshot);
  EXPECT_EQ(restored->Stats().replayed_on_open, head.sequence.value - snapshot.value);
  EXPECT_EQ(restored->AvailableBalance("shop", "EUR"), ledger_->AvailableBalance("shop", "EUR"));
  EXPECT_EQ(restored->AvailableBalance("shop", "EUR"), std::optional<std::int64_t>(8028));
  ASSERT_TRUE(restored->FindApiKey("k").has_value());
  EXPECT_TRUE(restored->FindApiKey("k")->active);

  // A retry of a command recorded before the backup is a duplicate there too.
  auto retried = restored->Execute(Capture("o6", 1006));
  ASSERT_TRUE(retried.ok());
  for (const CommandResult& result : *retried) {
    EXPECT_EQ(result.code, domain::ResultCode::kDuplicate) << result.message;
  }
  EXPECT_EQ(restored->log().Head(), head);
}

TEST_F(LedgerBackupTest, WithoutASnapshotTheBackupReplaysTheWholeLog) {
  Run(Capture("o1", 500));
  auto backup = ledger_->Backup(dir_.Child("backup/log"));
  ASSERT_TRUE(backup.ok()) << backup.status().ToString();
  EXPECT_EQ(backup->snapshot_sequence.value, 0u);
  EXPECT_FALSE(fs::exists(dir_.Child("backup/log/domain.snapshot")));

  std::unique_ptr<Ledger> restored = OpenBackup();
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(restored->Stats().replayed_on_open, backup->log.head.sequence.value);
  EXPECT_EQ(restored->AvailableBalance("shop", "EUR"), std::optional<std::int64_t>(500));
}

TEST_F(LedgerBackupTest, AFailedBackupIsRefusedWithoutTouchingTheLedger) {
  fs::create_directories(dir_.Child("backup/log"));
  auto refused = ledger_->Backup(dir_.Child("backup/log"));
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(fs::is_empty(dir_.Child("backup/log")));
  Run(Capture("o1", 700));
  EXPECT_EQ(ledger_->AvailableBalance("shop", "EUR"), std::optional<std::int64_t>(700));
}

}  // namespace
}  // namespace ledger::testing

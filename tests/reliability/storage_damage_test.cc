// Torn and damaged write-ahead logs: damage past what was acknowledged is dropped and the log
// opens with every acknowledged event; damage to acknowledged events refuses the open with an
// error that names what is wrong. Never an open that silently lost an acknowledged event.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "ledger/engine/log.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

namespace fs = std::filesystem;

struct WriterRun {
  ChainPoint acknowledged;
  std::uintmax_t acknowledged_wal_bytes = 0;
  SequenceNumber tail_head;
  std::uintmax_t tail_wal_bytes = 0;
};

/// Runs the writer process, which dies by SIGKILL after appending an unacknowledged tail.
WriterRun RunWriter(const std::string& directory) {
  std::string command = std::string(LEDGER_TORN_WAL_WRITER) + " " + directory + " 40 200";
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  WriterRun run;
  char line[512];
  while (pipe != nullptr && std::fgets(line, sizeof line, pipe) != nullptr) {
    std::istringstream in(line);
    std::string word, hash;
    in >> word;
    if (word == "acknowledged") {
      in >> run.acknowledged.sequence.value >> hash >> run.acknowledged_wal_bytes;
      EXPECT_TRUE(ParseHash256(hash, &run.acknowledged.hash));
    } else if (word == "tail") {
      in >> run.tail_head.value >> run.tail_wal_bytes;
    }
  }
  if (pipe != nullptr) pclose(pipe);
  // The tail stands for a group whose fsync never finished: nothing acknowledged it, so the
  // acknowledged-head marker names the head before it.
  std::ofstream marker(directory + "/ACKNOWLEDGED_HEAD", std::ios::trunc);
  marker << "ledger-acknowledged-head 1 " << run.acknowledged.sequence.value << " "
         << ToHex(run.acknowledged.hash) << "\n";
  return run;
}

std::string WalPath(const std::string& directory) {
  std::string wal;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.path().extension() == ".log") {
      EXPECT_TRUE(wal.empty()) << "expected one write-ahead log";
      wal = entry.path().string();
    }
  }
  return wal;
}

void FlipByte(const std::string& path, std::uintmax_t offset) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(static_cast<std::streamoff>(offset));
  char byte = 0;
  file.read(&byte, 1);
  byte = static_cast<char>(byte ^ 0x5a);
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(&byte, 1);
}

class StorageDamageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spdlog::set_level(spdlog::level::off);
    pristine_ = new TempDir();
    run_ = RunWriter(pristine_->Child("log"));
  }
  static void TearDownTestSuite() {
    delete pristine_;
    spdlog::set_level(spdlog::level::info);
  }

  /// A fresh copy of the killed writer's log, damaged by `damage(wal path)`, then opened.
  template <typename Damage>
  Result<std::unique_ptr<Log>> OpenDamaged(Damage damage) {
    std::string copy = scratch_.Child("case-" + std::to_string(++cases_));
    fs::copy(pristine_->Child("log"), copy, fs::copy_options::recursive);
    damage(WalPath(copy));
    LogOptions options;
    options.path = copy;
    return Log::Open(options);
  }

  /// Every acknowledged event is there, the head is exactly the acknowledged one, the chain
  /// verifies.
  void ExpectEveryAcknowledgedEvent(Log& log) {
    EXPECT_EQ(log.Head(), run_.acknowledged);
    auto events = log.ReadRange(SequenceNumber{1}, 1000);
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    ASSERT_EQ(events->size(), run_.acknowledged.sequence.value);
    for (std::size_t i = 0; i < events->size(); ++i) {
      EXPECT_EQ((*events)[i].payload(), "event-" + std::to_string(i));
    }
    auto verified = log.Verify(std::nullopt);
    ASSERT_TRUE(verified.ok());
    EXPECT_TRUE(verified->ok) << verified->problem;
  }

  static std::vector<std::uintmax_t> Offsets(std::uintmax_t from, std::uintmax_t to, int count) {
    std::vector<std::uintmax_t> offsets{from, to - 1};
    for (int i = 1; i < count; ++i) offsets.push_back(from + (to - from) * i / count);
    return offsets;
  }

  static TempDir* pristine_;
  static WriterRun run_;
  TempDir scratch_;
  int cases_ = 0;
};

TempDir* StorageDamageTest::pristine_ = nullptr;
WriterRun StorageDamageTest::run_;

TEST_F(StorageDamageTest, WriterLeftAnUnacknowledgedTailAfterItsAcknowledgedEvents) {
  ASSERT_EQ(run_.acknowledged.sequence.value, 40u);
  ASSERT_EQ(run_.tail_head.value, 240u);
  ASSERT_GT(run_.tail_wal_bytes, run_.acknowledged_wal_bytes);
  auto undamaged = OpenDamaged([](const std::string&) {});
  ASSERT_TRUE(undamaged.ok()) << undamaged.status().ToString();
  // The tail did reach the file: an undamaged reopen finds it too.
  EXPECT_EQ((*undamaged)->Head().sequence, run_.tail_head);
}

TEST_F(StorageDamageTest, TruncatedTailOpensWithEveryAcknowledgedEvent) {
  int cases = 0;
  for (auto offset : Offsets(run_.acknowledged_wal_bytes, run_.tail_wal_bytes, 40)) {
    auto log = OpenDamaged([&](const std::string& wal) { fs::resize_file(wal, offset); });
    ASSERT_TRUE(log.ok()) << "truncated at " << offset << ": " << log.status().ToString();
    ExpectEveryAcknowledgedEvent(**log);
    ++cases;
  }
  std::printf("truncated the unacknowledged tail at %d offsets: every acknowledged event kept\n",
              cases);
}

TEST_F(StorageDamageTest, FlippedTailBytesNeverCostAnAcknowledgedEvent) {
  int opened = 0, refused = 0;
  for (auto offset : Offsets(run_.acknowledged_wal_bytes, run_.tail_wal_bytes, 40)) {
    auto log = OpenDamaged([&](const std::string& wal) { FlipByte(wal, offset); });
    if (log.ok()) {
      ++opened;
      ExpectEveryAcknowledgedEvent(**log);
    } else {
      ++refused;
      EXPECT_EQ(log.status().code(), StatusCode::kCorruption) << log.status().ToString();
    }
  }
  std::printf(
      "flipped a byte of the unacknowledged tail at %d offsets: %d opened with every "
      "acknowledged event, %d refused\n",
      opened + refused, opened, refused);
  EXPECT_EQ(refused, 0);
}

TEST_F(StorageDamageTest, DamageToAcknowledgedEventsRefusesToOpen) {
  int truncations = 0, flips = 0;
  for (auto offset : Offsets(0, run_.acknowledged_wal_bytes, 30)) {
    auto log = OpenDamaged([&](const std::string& wal) { fs::resize_file(wal, offset); });
    ASSERT_FALSE(log.ok()) << "opened after losing acknowledged events (cut at " << offset << ")";
    EXPECT_EQ(log.status().code(), StatusCode::kCorruption);
    EXPECT_NE(log.status().message().find("acknowledged"), std::string::npos)
        << log.status().ToString();
    ++truncations;
  }
  for (auto offset : Offsets(0, run_.acknowledged_wal_bytes, 30)) {
    auto log = OpenDamaged([&](const std::string& wal) { FlipByte(wal, offset); });
    ASSERT_FALSE(log.ok()) << "opened with a damaged acknowledged event (flip at " << offset << ")";
    EXPECT_EQ(log.status().code(), StatusCode::kCorruption) << log.status().ToString();
    ++flips;
  }
  std::printf("damaged acknowledged events: %d truncations and %d flipped bytes, all refused\n",
              truncations, flips);
}

/// Opens `directory` with plain RocksDB and flushes every column family, so the events live
/// in table files rather than in the write-ahead log.
void FlushToTableFiles(const std::string& directory) {
  rocksdb::DBOptions options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "events", "streams", "idempotency", "metadata"}) {
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, directory, families, &handles, &db).ok());
  ASSERT_TRUE(db->Flush(rocksdb::FlushOptions(), handles).ok());
  for (auto* handle : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  ASSERT_TRUE(db->Close().ok());
  delete db;
}

std::vector<std::string> TableFiles(const std::string& directory) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.path().extension() == ".sst") files.push_back(entry.path().string());
  }
  return files;
}

TEST_F(StorageDamageTest, MissingOrDamagedTableFilesRefuseToOpen) {
  int cases = 0;
  for (int damage = 0; damage < 2; ++damage) {
    std::string copy = scratch_.Child("tables-" + std::to_string(damage));
    fs::copy(pristine_->Child("log"), copy, fs::copy_options::recursive);
    FlushToTableFiles(copy);
    auto tables = TableFiles(copy);
    ASSERT_FALSE(tables.empty());
    for (const std::string& table : tables) {
      std::string case_copy = copy + "-case";
      fs::remove_all(case_copy);
      fs::copy(copy, case_copy, fs::copy_options::recursive);
      std::string target = case_copy + "/" + fs::path(table).filename().string();
      if (damage == 0) {
        fs::remove(target);
      } else {
        // The footer's magic number: RocksDB reads the footer when it opens the file. (A
        // damaged data block is found when it is read: by reads and by Verify.)
        FlipByte(target, fs::file_size(target) - 4);
      }
      LogOptions options;
      options.path = case_copy;
      auto log = Log::Open(options);
      ASSERT_FALSE(log.ok()) << (damage == 0 ? "deleted " : "damaged ") << target;
      EXPECT_NE(log.status().message().find(fs::path(table).stem().string()), std::string::npos)
          << "the error should name the file: " << log.status().ToString();
      ++cases;
    }
  }
  std::printf("deleted or damaged table files: %d cases, all refused naming the file\n", cases);
}

TEST_F(StorageDamageTest, MissingWriteAheadLogRefusesToOpen) {
  auto log = OpenDamaged([](const std::string& wal) { fs::remove(wal); });
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kCorruption);
  std::printf("missing write-ahead log: %s\n", log.status().ToString().c_str());
}

}  // namespace
}  // namespace ledger::testing

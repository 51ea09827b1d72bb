// Log::Backup: a copy taken while appends go on opens as a log by itself, verifies from
// genesis, holds every event up to its head and answers streams and idempotency keys as the
// log did; bad paths and storage failures are refused and leave nothing behind.
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "log/log_fixture.h"

namespace ledger::testing {
namespace {

namespace fs = std::filesystem;

/// What one append was and what it got.
struct Appended {
  AppendRequest request;
  AppendResult result;
};

AppendRequest Numbered(int i) {
  return MakeAppend("stream-" + std::to_string(i % 37), "payload-" + std::to_string(i),
                    ExpectedVersion::Any(), "key-" + std::to_string(i));
}

class BackupTest : public LogTest {
 protected:
  void SetUp() override {
    // The smallest tail allowed: index tails are written out (ingested) during the test.
    index_tail_events_max_ = limits::kGroupCommitEventsMax;
    LogTest::SetUp();
  }

  /// Appends requests first..first+count-1 in batches of `batch_size`; notes each in `out`.
  void AppendNumbered(int first, int count, int batch_size, std::vector<Appended>* out) {
    for (int begin = first; begin < first + count; begin += batch_size) {
      std::vector<AppendRequest> batch;
      for (int i = begin; i < std::min(first + count, begin + batch_size); ++i) {
        batch.push_back(Numbered(i));
      }
      std::vector<AppendRequest> sent = batch;
      auto results = log_->Append(std::move(batch));
      ASSERT_TRUE(results.ok()) << results.status().ToString();
      for (std::size_t i = 0; i < sent.size(); ++i) {
        ASSERT_EQ((*results)[i].code, AppendCode::kAppended) << (*results)[i].message;
        out->push_back({std::move(sent[i]), (*results)[i]});
      }
    }
  }

  std::unique_ptr<Log> OpenCopy(const std::string& path) {
    LogOptions options;
    options.path = path;
    options.index_tail_events_max = index_tail_events_max_;
    auto opened = Log::Open(options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_F(BackupTest, ACopyTakenWhileAppendsGoOnOpensVerifiesAndAnswersAsTheLogDid) {
  std::vector<Appended> appended;
  // More than a tail's worth: part of the index is in ingested files, part only in memory.
  AppendNumbered(0, 12'000, 500, &appended);
  ASSERT_GT(log_->Stats().indexed_through.value, 0u);
  ASSERT_GT(log_->Stats().index_tail_events, 0u);

  // Batches of 2048 are written in pieces: the copy often catches a group half written (about
  // one run in two here), whose events past the copy's head its first open drops.
  std::vector<Appended> during;
  std::atomic<bool> stop{false};
  std::atomic<int> batches{0};
  std::thread appender([&] {
    for (int first = 12'000; !stop.load(); first += 2048) {
      AppendNumbered(first, 2048, 2048, &during);
      ++batches;
    }
  });
  while (batches.load() < 3) std::this_thread::yield();
  const ChainPoint before = log_->Head();
  auto backup = log_->Backup(directory_.Child("backup"));
  const int batches_at_end = batches.load();
  while (batches.load() < batches_at_end + 3) std::this_thread::yield();
  stop = true;
  appender.join();
  ASSERT_TRUE(backup.ok()) << backup.status().ToString();
  const ChainPoint head = backup->head;
  EXPECT_GE(head.sequence, before.sequence) << "the copy lacks events durable before it began";
  EXPECT_LT(head.sequence, log_->Head().sequence);
  EXPECT_GT(backup->files, 0u);
  EXPECT_GT(backup->bytes, 0u);
  appended.insert(appended.end(), during.begin(), during.end());

  // The marker names the copy's own head, not the log's.
  EXPECT_EQ(ReadFile(directory_.Child("backup/ACKNOWLEDGED_HEAD")),
            "ledger-acknowledged-head 1 " + std::to_string(head.sequence.value) + " " +
                ToHex(head.hash) + "\n");

  std::unique_ptr<Log> copy = OpenCopy(directory_.Child("backup"));
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->Head(), head);
  EXPECT_EQ(copy->Stats().indexed_through, head.sequence) << "the index tail was not written out";
  EXPECT_EQ(copy->Stats().index_tail_events, 0u);
  auto verified = copy->Verify(std::nullopt);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->ok) << verified->problem;
  EXPECT_EQ(verified->events_checked, head.sequence.value);
  EXPECT_EQ(verified->last_good, head);

  // Every event up to the head, byte for byte the log's, and none after it.
  for (std::uint64_t from = 1; from <= head.sequence.value; from += 1000) {
    auto mine = copy->ReadRange(SequenceNumber{from}, 1000);
    auto theirs = log_->ReadRange(SequenceNumber{from}, 1000);
    ASSERT_TRUE(mine.ok() && theirs.ok());
    const std::size_t expected = std::min<std::uint64_t>(1000, head.sequence.value - from + 1);
    ASSERT_EQ(mine->size(), expected) << "from " << from;
    for (std::size_t i = 0; i < expected; ++i) {
      ASSERT_EQ((*mine)[i].record(), (*theirs)[i].record()) << "event " << from + i;
    }
  }
  auto past = copy->ReadRange(head.sequence.Next(), 10);
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->empty());

  // Every stream reads back whole up to the head.
  std::map<std::string, std::vector<std::uint64_t>> by_stream;
  for (const Appended& a : appended) {
    if (a.result.first_sequence > head.sequence) continue;
    by_stream[a.request.event.stream].push_back(a.result.first_sequence.value);
  }
  ASSERT_EQ(by_stream.size(), 37u);
  for (const auto& [stream, sequences] : by_stream) {
    auto events =
        copy->ReadStream(stream, StreamVersion{1}, ReadDirection::kForward, limits::kReadEventsMax);
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    std::vector<std::uint64_t> read;
    for (const RecordedEvent& event : *events) read.push_back(event.sequence().value);
    EXPECT_EQ(read, sequences) << stream;
    auto last = copy->StreamHead(stream);
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(last->value, sequences.size()) << stream;
  }

  // Keys recorded up to the head answer Duplicate with their original result; a key recorded
  // after it is new to the copy, whose writes go on from its head.
  std::vector<AppendRequest> retries;
  std::vector<AppendResult> originals;
  std::optional<Appended> first_after;
  for (const Appended& a : appended) {
    if (a.result.first_sequence <= head.sequence) {
      retries.push_back(a.request);
      originals.push_back(a.result);
    } else if (!first_after || a.result.first_sequence < first_after->result.first_sequence) {
      first_after = a;
    }
  }
  for (std::size_t begin = 0; begin < retries.size(); begin += limits::kBatchCommandsMax) {
    const std::size_t end = std::min(retries.size(), begin + limits::kBatchCommandsMax);
    auto results = copy->Append({retries.begin() + static_cast<std::ptrdiff_t>(begin),
                                 retries.begin() + static_cast<std::ptrdiff_t>(end)});
    ASSERT_TRUE(results.ok()) << results.status().ToString();
    for (std::size_t i = begin; i < end; ++i) {
      const AppendResult& got = (*results)[i - begin];
      ASSERT_EQ(got.code, AppendCode::kDuplicate) << retries[i].idempotency_key;
      ASSERT_EQ(got.first_sequence, originals[i].first_sequence) << retries[i].idempotency_key;
    }
  }
  EXPECT_EQ(copy->Head(), head) << "a retry wrote something";
  ASSERT_TRUE(first_after.has_value());
  auto fresh = copy->Append({first_after->request});
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->front().code, AppendCode::kAppended);
  EXPECT_EQ(fresh->front().first_sequence, head.sequence.Next());

  // The log itself went on unharmed.
  auto live = log_->Verify(std::nullopt);
  ASSERT_TRUE(live.ok());
  EXPECT_TRUE(live->ok) << live->problem;
  EXPECT_FALSE(log_->Stats().writes_refused);
}

TEST_F(BackupTest, AnEmptyLogBacksUpToAnEmptyLog) {
  auto backup = log_->Backup(directory_.Child("empty"));
  ASSERT_TRUE(backup.ok()) << backup.status().ToString();
  EXPECT_EQ(backup->head, ChainPoint{});
  std::unique_ptr<Log> copy = OpenCopy(directory_.Child("empty"));
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->Head(), ChainPoint{});
}

TEST_F(BackupTest, BadPathsAreRefusedAndNothingIsCreated) {
  ASSERT_EQ(AppendOne(Numbered(1)).code, AppendCode::kAppended);

  auto relative = log_->Backup("backup");
  EXPECT_EQ(relative.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(relative.status().message().find("absolute"), std::string::npos);

  fs::create_directories(directory_.Child("taken"));
  auto taken = log_->Backup(directory_.Child("taken"));
  EXPECT_EQ(taken.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(taken.status().message().find("exists already"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(directory_.Child("taken")));

  auto orphan = log_->Backup(directory_.Child("missing/backup"));
  EXPECT_EQ(orphan.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(directory_.Child("missing")));

  auto inside = log_->Backup(directory_.Child("log/../log/backup"));
  EXPECT_EQ(inside.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(inside.status().message().find("inside the log"), std::string::npos);
  EXPECT_FALSE(fs::exists(directory_.Child("log/backup")));

  auto good = log_->Backup(directory_.Child("good/"));
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->head, log_->Head());
}

/// Fails the creation of files and links whose path starts with `prefix` and holds `part`,
/// as a full or broken backup disk would, once armed.
class FailingBackupDisk : public rocksdb::FileSystemWrapper {
 public:
  FailingBackupDisk() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FailingBackupDisk"; }

  void Arm(std::string prefix, std::string part) {
    std::lock_guard lock(mutex_);
    prefix_ = std::move(prefix);
    part_ = std::move(part);
  }
  int failures() const { return failures_.load(); }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* debug) override {
    if (Fails(name)) return rocksdb::IOStatus::NoSpace("no space left on the backup disk");
    return FileSystemWrapper::NewWritableFile(name, options, result, debug);
  }
  rocksdb::IOStatus LinkFile(const std::string& source, const std::string& target,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
    if (Fails(target)) return rocksdb::IOStatus::NoSpace("no space left on the backup disk");
    return FileSystemWrapper::LinkFile(source, target, options, debug);
  }

 private:
  bool Fails(const std::string& name) {
    std::lock_guard lock(mutex_);
    if (prefix_.empty() || !name.starts_with(prefix_) || name.find(part_) == std::string::npos) {
      return false;
    }
    ++failures_;
    return true;
  }

  std::mutex mutex_;
  std::string prefix_;
  std::string part_;
  std::atomic<int> failures_{0};
};

TEST(BackupStorageTest, AFailedBackupLeavesNothingBehindAndTheLogGoesOn) {
  TempDir directory;
  auto disk = std::make_shared<FailingBackupDisk>();
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(disk);
  LogOptions options;
  options.path = directory.Child("log");
  options.create_if_missing = true;
  options.env = env.get();
  auto opened = Log::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<Log> log = std::move(opened).value();
  int next = 0;
  const auto append = [&] {
    auto results = log->Append({Numbered(next++)});
    ASSERT_TRUE(results.ok());
    ASSERT_EQ(results->front().code, AppendCode::kAppended) << results->front().message;
  };
  append();

  const std::string target = directory.Child("backup");
  // While RocksDB copies its files; then once the copy opened and closed, at the marker.
  for (const char* part : {"MANIFEST", "ACKNOWLEDGED_HEAD"}) {
    SCOPED_TRACE(part);
    const int failures = disk->failures();
    disk->Arm(target, part);
    auto failed = log->Backup(target);
    disk->Arm("", "");
    EXPECT_GT(disk->failures(), failures) << "the failure was not injected";
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.status().code(), StatusCode::kIoError) << failed.status().ToString();
    EXPECT_FALSE(fs::exists(target));
    EXPECT_FALSE(fs::exists(target + ".tmp"));
    append();
    EXPECT_FALSE(log->Stats().writes_refused);
  }
  auto verified = log->Verify(std::nullopt);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;

  auto backup = log->Backup(target);
  ASSERT_TRUE(backup.ok()) << backup.status().ToString();
  EXPECT_EQ(backup->head, log->Head());
}

}  // namespace
}  // namespace ledger::testing

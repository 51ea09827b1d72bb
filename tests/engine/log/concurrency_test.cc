// Many threads appending at once: one gapless sequence, and each caller gets its own result.
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "log/log_fixture.h"

namespace ledger::testing {
namespace {

TEST_F(LogTest, ConcurrentAppendersGetGaplessSequencesAndTheirOwnResults) {
  constexpr int kThreads = 16;
  constexpr int kAppendsPerThread = 300;
  std::mutex mutex;
  std::map<std::uint64_t, std::string> payload_by_sequence;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppendsPerThread; ++i) {
        std::string payload = "t" + std::to_string(t) + "-" + std::to_string(i);
        std::vector<AppendRequest> batch;
        // Every thread owns a stream and checks its expected version each time.
        batch.push_back(MakeAppend("thread-" + std::to_string(t), payload,
                                   ExpectedVersion::Exact(StreamVersion{std::uint64_t(i)})));
        auto results = log_->Append(std::move(batch));
        ASSERT_TRUE(results.ok());
        ASSERT_EQ(results->front().code, AppendCode::kAppended) << results->front().message;
        ASSERT_EQ(results->front().first_version.value, std::uint64_t(i + 1));
        std::lock_guard lock(mutex);
        ASSERT_TRUE(
            payload_by_sequence.emplace(results->front().first_sequence.value, payload).second)
            << "two callers were given the same sequence";
      }
    });
  }
  for (auto& thread : threads) thread.join();

  constexpr std::uint64_t kTotal = kThreads * kAppendsPerThread;
  ASSERT_EQ(payload_by_sequence.size(), kTotal);
  EXPECT_EQ(payload_by_sequence.begin()->first, 1u);
  EXPECT_EQ(payload_by_sequence.rbegin()->first, kTotal);
  EXPECT_EQ(log_->Head().sequence.value, kTotal);

  // What each caller was told is what the log holds at that sequence.
  for (std::uint64_t from = 1; from <= kTotal; from += 1000) {
    auto events = log_->ReadRange(SequenceNumber{from}, 1000);
    ASSERT_TRUE(events.ok());
    for (const RecordedEvent& event : *events) {
      EXPECT_EQ(event.payload(), payload_by_sequence[event.sequence().value]);
    }
  }
  // Group commit shared fsyncs between callers.
  EXPECT_LT(log_->Stats().group_commits, kTotal);
}

TEST_F(LogTest, ConcurrentSendersOfOneIdempotencyKeyRecordOnce) {
  constexpr int kSenders = 16;
  std::vector<AppendResult> results(kSenders);
  std::vector<std::thread> threads;
  for (int t = 0; t < kSenders; ++t) {
    threads.emplace_back([&, t] {
      results[t] = AppendOne(MakeAppend("payments", "capture-1", ExpectedVersion::Any(), "k-1"));
    });
  }
  for (auto& thread : threads) thread.join();
  int appended = 0;
  for (const AppendResult& result : results) {
    ASSERT_TRUE(result.ok()) << result.message;
    appended += result.code == AppendCode::kAppended;
    EXPECT_EQ(result.first_sequence.value, 1u);
  }
  EXPECT_EQ(appended, 1);
  EXPECT_EQ(log_->Head().sequence.value, 1u);
}

}  // namespace
}  // namespace ledger::testing

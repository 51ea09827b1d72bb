// The derived indexes across their layers: in-memory tail, frozen tails, ingested files.
#include <string>

#include "log/log_fixture.h"

namespace ledger::testing {
namespace {

class DerivedIndexTest : public LogTest {
 protected:
  void SetUp() override {
    index_tail_events_max_ = limits::kGroupCommitEventsMax;  // The smallest allowed.
    LogTest::SetUp();
  }

  void AppendMany(int count, int streams, int key_offset) {
    for (int done = 0; done < count;) {
      std::vector<AppendRequest> batch;
      for (int i = 0; i < 1000 && done < count; ++i, ++done) {
        int n = key_offset + done;
        batch.push_back(MakeAppend("stream-" + std::to_string(n % streams), std::to_string(n),
                                   ExpectedVersion::Any(), "key-" + std::to_string(n)));
      }
      auto results = log_->Append(std::move(batch));
      ASSERT_TRUE(results.ok());
      for (const auto& result : *results) ASSERT_EQ(result.code, AppendCode::kAppended);
    }
  }
};

TEST_F(DerivedIndexTest, StreamsReadTheSameWhetherInMemoryOrWrittenOut) {
  constexpr int kEvents = 30000;
  constexpr int kStreams = 7;
  AppendMany(kEvents, kStreams, 0);
  ASSERT_TRUE(log_->WaitForSequence(SequenceNumber{kEvents}, std::chrono::seconds(10)));
  // Let the flusher catch up, then check that some of the index was written out.
  for (int i = 0; i < 200 && log_->Stats().indexed_through.value == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(log_->Stats().indexed_through.value, 0u);

  auto check_stream = [&](int s) {
    std::string stream = "stream-" + std::to_string(s);
    std::uint64_t version = 1;
    StreamVersion from{1};
    while (true) {
      auto page = log_->ReadStream(stream, from, ReadDirection::kForward, 997);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      if (page->empty()) break;
      for (const RecordedEvent& event : *page) {
        ASSERT_EQ(event.stream_version().value, version);
        ASSERT_EQ(event.payload(), std::to_string((version - 1) * kStreams + s));
        ++version;
      }
      from = StreamVersion{version};
    }
    EXPECT_EQ(version - 1, static_cast<std::uint64_t>((kEvents - s + kStreams - 1) / kStreams));
  };
  for (int s = 0; s < kStreams; ++s) check_stream(s);

  auto last = log_->ReadStream("stream-3", StreamVersion{UINT64_MAX}, ReadDirection::kBackward, 5);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 5u);
  std::uint64_t top = (kEvents - 3 + kStreams - 1) / kStreams;
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ((*last)[i].stream_version().value, top - i);

  // Keys written out long ago still deduplicate, before and after reopen.
  AppendResult retry = AppendOne(MakeAppend("stream-5", "5", ExpectedVersion::Any(), "key-5"));
  EXPECT_EQ(retry.code, AppendCode::kDuplicate);
  EXPECT_EQ(retry.first_sequence.value, 6u);
  Reopen();
  retry = AppendOne(MakeAppend("stream-5", "5", ExpectedVersion::Any(), "key-5"));
  EXPECT_EQ(retry.code, AppendCode::kDuplicate);
  for (int s = 0; s < kStreams; ++s) check_stream(s);
  // Versions continue from the written-out index.
  AppendResult next = AppendOne(MakeAppend("stream-0", "next"));
  EXPECT_EQ(next.first_version.value,
            static_cast<std::uint64_t>((kEvents + kStreams - 1) / kStreams + 1));
}

TEST_F(DerivedIndexTest, KeysInEveryLayerSurviveReopen) {
  AppendMany(20000, 3, 0);
  ChainPoint head = log_->Head();
  Reopen();
  EXPECT_EQ(log_->Head(), head);
  for (int n : {0, 8191, 8192, 12345, 19999}) {
    std::string stream = "stream-" + std::to_string(n % 3);
    std::string key = "key-" + std::to_string(n);
    AppendResult retry =
        AppendOne(MakeAppend(stream, std::to_string(n), ExpectedVersion::Any(), key));
    EXPECT_EQ(retry.code, AppendCode::kDuplicate) << n;
    EXPECT_EQ(retry.first_sequence.value, static_cast<std::uint64_t>(n + 1));
    EXPECT_EQ(AppendOne(MakeAppend(stream, "changed", ExpectedVersion::Any(), key)).code,
              AppendCode::kIdempotencyKeyReusedWithDifferentCommand);
  }
  auto verified = log_->Verify(std::nullopt);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;
}

}  // namespace
}  // namespace ledger::testing

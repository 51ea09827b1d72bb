// Appends and reads: round trips, expected versions, idempotency, reopen, stream reads.
#include <string>
#include <vector>

#include "log/log_fixture.h"

namespace ledger::testing {
namespace {

TEST_F(LogTest, EmptyLogHasGenesisHead) {
  ChainPoint head = log_->Head();
  EXPECT_EQ(head.sequence.value, 0u);
  EXPECT_EQ(head.hash, Hash256{});
  auto events = log_->ReadRange(SequenceNumber{1}, 10);
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
}

TEST_F(LogTest, AppendThenReadBackEveryField) {
  AppendRequest request = MakeAppend("order/platform-1/o-1", "payload-bytes");
  request.metadata.correlation_id = "corr-7";
  request.metadata.causation_id = "cause-9";
  request.event.type = schema::EventType::OrderCreated;
  AppendResult result = AppendOne(request);
  ASSERT_EQ(result.code, AppendCode::kAppended) << result.message;
  EXPECT_EQ(result.first_sequence.value, 1u);
  EXPECT_EQ(result.first_version.value, 1u);
  EXPECT_EQ(result.event_count, 1u);

  auto events = log_->ReadRange(SequenceNumber{1}, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  const RecordedEvent& event = events->front();
  EXPECT_EQ(event.sequence().value, 1u);
  EXPECT_EQ(event.stream(), "order/platform-1/o-1");
  EXPECT_EQ(event.stream_version().value, 1u);
  EXPECT_EQ(event.type(), schema::EventType::OrderCreated);
  EXPECT_EQ(event.payload(), "payload-bytes");
  const schema::Envelope& envelope = event.envelope();
  EXPECT_EQ(envelope.actor()->str(), "key:test");
  EXPECT_EQ(envelope.environment(), schema::Environment::Sandbox);
  EXPECT_EQ(envelope.organization()->str(), "org-1");
  EXPECT_EQ(envelope.platform()->str(), "platform-1");
  EXPECT_EQ(envelope.correlation_id()->str(), "corr-7");
  EXPECT_EQ(envelope.causation_id()->str(), "cause-9");
  EXPECT_EQ(envelope.recorded_at_us(), clock_us_);
  EXPECT_EQ(log_->Head().sequence.value, 1u);
  EXPECT_EQ(log_->Head().hash, event.hash());
}

TEST_F(LogTest, SequenceIsGaplessAcrossBatchesAndStreamsKeepTheirOwnVersions) {
  std::vector<AppendRequest> batch;
  for (int i = 0; i < 30; ++i) {
    batch.push_back(MakeAppend("stream-" + std::to_string(i % 3), "e" + std::to_string(i)));
  }
  auto results = log_->Append(std::move(batch));
  ASSERT_TRUE(results.ok());
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ((*results)[i].first_sequence.value, static_cast<std::uint64_t>(i + 1));
    EXPECT_EQ((*results)[i].first_version.value, static_cast<std::uint64_t>(i / 3 + 1));
  }
  auto stream = log_->ReadStream("stream-1", StreamVersion{1}, ReadDirection::kForward, 100);
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream->size(), 10u);
  for (std::size_t i = 0; i < stream->size(); ++i) {
    EXPECT_EQ((*stream)[i].stream_version().value, i + 1);
    EXPECT_EQ((*stream)[i].payload(), "e" + std::to_string(3 * i + 1));
  }
}

TEST_F(LogTest, ExpectedVersionsAreEnforced) {
  EXPECT_EQ(AppendOne(MakeAppend("s", "a", ExpectedVersion::NoStream())).code,
            AppendCode::kAppended);
  AppendResult again = AppendOne(MakeAppend("s", "b", ExpectedVersion::NoStream()));
  EXPECT_EQ(again.code, AppendCode::kWrongExpectedVersion);
  EXPECT_NE(again.message.find("version 1"), std::string::npos) << again.message;
  EXPECT_EQ(AppendOne(MakeAppend("s", "c", ExpectedVersion::Exact(StreamVersion{2}))).code,
            AppendCode::kWrongExpectedVersion);
  EXPECT_EQ(AppendOne(MakeAppend("s", "d", ExpectedVersion::Exact(StreamVersion{1}))).code,
            AppendCode::kAppended);
  EXPECT_EQ(AppendOne(MakeAppend("s", "e", ExpectedVersion::Any())).first_version.value, 3u);
  // Rejections write nothing: the sequence has no hole where they were.
  EXPECT_EQ(log_->Head().sequence.value, 3u);
}

TEST_F(LogTest, ExpectedVersionSeesEarlierAppendsOfTheSameBatch) {
  std::vector<AppendRequest> batch;
  batch.push_back(MakeAppend("s", "a", ExpectedVersion::NoStream()));
  batch.push_back(MakeAppend("s", "b", ExpectedVersion::Exact(StreamVersion{1})));
  batch.push_back(MakeAppend("s", "c", ExpectedVersion::Exact(StreamVersion{1})));
  auto results = log_->Append(std::move(batch));
  ASSERT_TRUE(results.ok());
  EXPECT_EQ((*results)[0].code, AppendCode::kAppended);
  EXPECT_EQ((*results)[1].code, AppendCode::kAppended);
  EXPECT_EQ((*results)[2].code, AppendCode::kWrongExpectedVersion);
}

TEST_F(LogTest, IdempotentRetryReturnsTheOriginalAndWritesNothing) {
  AppendResult first = AppendOne(MakeAppend("s", "a", ExpectedVersion::Any(), "key-1"));
  AppendOne(MakeAppend("other", "x"));
  AppendResult retry = AppendOne(MakeAppend("s", "a", ExpectedVersion::Any(), "key-1"));
  EXPECT_EQ(retry.code, AppendCode::kDuplicate);
  EXPECT_EQ(retry.first_sequence, first.first_sequence);
  EXPECT_EQ(retry.first_version, first.first_version);
  EXPECT_EQ(log_->Head().sequence.value, 2u);

  AppendResult reused = AppendOne(MakeAppend("s", "different", ExpectedVersion::Any(), "key-1"));
  EXPECT_EQ(reused.code, AppendCode::kIdempotencyKeyReusedWithDifferentCommand);
  EXPECT_EQ(log_->Head().sequence.value, 2u);
}

TEST_F(LogTest, IdempotencyKeysAreScopedByPlatform) {
  AppendRequest first = MakeAppend("s", "a", ExpectedVersion::Any(), "key-1");
  AppendRequest second = first;
  second.idempotency_scope = "platform-2";
  second.metadata.platform = "platform-2";
  EXPECT_EQ(AppendOne(first).code, AppendCode::kAppended);
  EXPECT_EQ(AppendOne(second).code, AppendCode::kAppended);
}

TEST_F(LogTest, DuplicateInsideOneBatchSeesTheFirst) {
  std::vector<AppendRequest> batch;
  batch.push_back(MakeAppend("s", "a", ExpectedVersion::Any(), "k"));
  batch.push_back(MakeAppend("s", "a", ExpectedVersion::Any(), "k"));
  auto results = log_->Append(std::move(batch));
  ASSERT_TRUE(results.ok());
  EXPECT_EQ((*results)[0].code, AppendCode::kAppended);
  EXPECT_EQ((*results)[1].code, AppendCode::kDuplicate);
  EXPECT_EQ((*results)[1].first_sequence, (*results)[0].first_sequence);
}

TEST_F(LogTest, ReopenKeepsEventsVersionsAndIdempotency) {
  for (int i = 0; i < 50; ++i) {
    AppendOne(MakeAppend("s" + std::to_string(i % 5), std::to_string(i), ExpectedVersion::Any(),
                         "key-" + std::to_string(i)));
  }
  ChainPoint before = log_->Head();
  Reopen();
  EXPECT_EQ(log_->Head(), before);
  AppendResult retry = AppendOne(MakeAppend("s2", "7", ExpectedVersion::Any(), "key-7"));
  EXPECT_EQ(retry.code, AppendCode::kDuplicate);
  EXPECT_EQ(retry.first_sequence.value, 8u);
  EXPECT_EQ(AppendOne(MakeAppend("s2", "other", ExpectedVersion::Any(), "key-7")).code,
            AppendCode::kIdempotencyKeyReusedWithDifferentCommand);
  auto head = log_->StreamHead("s3");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->value, 10u);
  EXPECT_EQ(AppendOne(MakeAppend("s3", "next", ExpectedVersion::Exact(StreamVersion{10}))).code,
            AppendCode::kAppended);
}

TEST_F(LogTest, InvalidAppendsAreRejectedWithAReason) {
  AppendResult empty_stream = AppendOne(MakeAppend("", "a"));
  EXPECT_EQ(empty_stream.code, AppendCode::kInvalidArgument);
  EXPECT_FALSE(empty_stream.message.empty());
  EXPECT_EQ(AppendOne(MakeAppend(std::string("a\0b", 3), "a")).code, AppendCode::kInvalidArgument);
  EXPECT_EQ(AppendOne(MakeAppend(std::string(limits::kStreamNameBytesMax + 1, 's'), "a")).code,
            AppendCode::kInvalidArgument);
  EXPECT_EQ(AppendOne(MakeAppend("s", std::string(limits::kPayloadBytesMax + 1, 'p'))).code,
            AppendCode::kInvalidArgument);
  EXPECT_EQ(AppendOne(MakeAppend("s", "a", ExpectedVersion::Any(),
                                 std::string(limits::kIdempotencyKeyBytesMax + 1, 'k')))
                .code,
            AppendCode::kInvalidArgument);
  EXPECT_EQ(log_->Head().sequence.value, 0u);

  std::vector<AppendRequest> too_many(limits::kBatchCommandsMax + 1, MakeAppend("s", "a"));
  auto refused = log_->Append(std::move(too_many));
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LogTest, RecordedTimeNeverGoesBackwards) {
  AppendOne(MakeAppend("s", "a"));
  clock_us_ -= 1'000'000;
  AppendOne(MakeAppend("s", "b"));
  auto events = log_->ReadRange(SequenceNumber{1}, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_GE((*events)[1].envelope().recorded_at_us(), (*events)[0].envelope().recorded_at_us());
}

TEST_F(LogTest, WaitForSequenceReturnsOnceDurable) {
  EXPECT_FALSE(log_->WaitForSequence(SequenceNumber{1}, std::chrono::milliseconds(10)));
  std::thread appender([this] { AppendOne(MakeAppend("s", "a")); });
  EXPECT_TRUE(log_->WaitForSequence(SequenceNumber{1}, std::chrono::seconds(10)));
  appender.join();
}

TEST_F(LogTest, VerifyFromGenesisAndFromAnAuditedPointAgree) {
  for (int i = 0; i < 20; ++i) AppendOne(MakeAppend("s", std::to_string(i)));
  auto full = log_->Verify(std::nullopt);
  ASSERT_TRUE(full.ok());
  EXPECT_TRUE(full->ok) << full->problem;
  EXPECT_EQ(full->events_checked, 20u);
  EXPECT_EQ(full->last_good, log_->Head());

  auto middle = log_->ReadRange(SequenceNumber{10}, 1);
  ASSERT_TRUE(middle.ok());
  ChainPoint audited{SequenceNumber{10}, middle->front().hash()};
  auto partial = log_->Verify(audited);
  ASSERT_TRUE(partial.ok());
  EXPECT_TRUE(partial->ok) << partial->problem;
  EXPECT_EQ(partial->events_checked, 10u);
  EXPECT_EQ(partial->last_good, full->last_good);

  ChainPoint wrong = audited;
  wrong.hash[0] ^= 1;
  auto mismatch = log_->Verify(wrong);
  ASSERT_TRUE(mismatch.ok());
  EXPECT_FALSE(mismatch->ok);
  EXPECT_EQ(mismatch->first_bad_sequence.value, 10u);
  EXPECT_EQ(mismatch->last_good, ChainPoint{}) << "a wrong audit point vouches for nothing";
  EXPECT_EQ(mismatch->events_checked, 0u);
}

}  // namespace
}  // namespace ledger::testing

// Durable entries read ahead of the writer's lookups (durable_answers.h) must never outlive
// the state they describe: once a tail holding a key is written out and dropped, an answer
// read before says nothing about that key any more.
#include "log/durable_answers.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "ledger/limits.h"
#include "log/derived_index.h"
#include "log/keys.h"
#include "log/store_test.h"

namespace ledger::log {
namespace {

class DurableAnswersTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    index_ = std::make_unique<DerivedIndex>(*store_, kTailEvents, [](const Status&) {});
    index_->Start();
  }
  void TearDown() override { index_.reset(); }

  /// Fills the active tail with events of `stream` after `key`'s command, then has it frozen,
  /// written out and dropped.
  void StageThenWriteOut(const std::string& key, const std::string& stream) {
    index_->AddEvent(stream, StreamVersion{1}, SequenceNumber{1});
    index_->AddIdempotency(key, IdempotencyRecord{SequenceNumber{1}, StreamVersion{1}, 1, {}});
    for (std::uint64_t s = 2; s <= kTailEvents; ++s) {
      index_->AddEvent(stream, StreamVersion{s}, SequenceNumber{s});
    }
    index_->FreezeIfFull();
    index_->OnDurable(SequenceNumber{kTailEvents});
    for (int i = 0; i < 500 && index_->tail_events() > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(index_->tail_events(), 0u) << "the tail was not written out";
    ASSERT_EQ(index_->indexed_through().value, kTailEvents);
  }

  static constexpr std::uint64_t kTailEvents = limits::kGroupCommitEventsMax;
  std::unique_ptr<DerivedIndex> index_;
};

TEST_F(DurableAnswersTest, AnIdempotencyAnswerReadBeforeATailWasDroppedIsNotUsed) {
  const std::string key = IdempotencyKey("platform-1", "key-1");
  const std::string_view keys[] = {key};
  IdempotencyAnswers answers;
  index_->PrefetchIdempotency(keys, &answers);
  ASSERT_NE(answers.Find(key, HashKey(key)), nullptr);
  EXPECT_FALSE(answers.Find(key, HashKey(key))->has_value()) << "nothing is durable yet";

  StageThenWriteOut(key, "order/1");
  auto found = index_->FindIdempotency(key, &answers);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value()) << "the stale 'absent' answer was used";
  EXPECT_EQ((*found)->first_sequence.value, 1u);

  // Read again now, the answer is the durable record.
  index_->PrefetchIdempotency(keys, &answers);
  ASSERT_NE(answers.Find(key, HashKey(key)), nullptr);
  ASSERT_TRUE(answers.Find(key, HashKey(key))->has_value());
  EXPECT_EQ((*answers.Find(key, HashKey(key)))->first_sequence.value, 1u);
}

TEST_F(DurableAnswersTest, AStreamAnswerReadBeforeATailWasDroppedIsNotUsed) {
  const std::string stream = "order/2";
  const std::string_view streams[] = {stream};
  StreamAnswers answers;
  index_->PrefetchStreams(streams, &answers);
  ASSERT_NE(answers.Find(stream, HashKey(stream)), nullptr);
  EXPECT_EQ(answers.Find(stream, HashKey(stream))->value, 0u);

  StageThenWriteOut(IdempotencyKey("platform-1", "key-2"), stream);
  auto version = index_->WriterLastVersion(stream, &answers);
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(version->value, kTailEvents) << "the stale answer was used";
}

TEST_F(DurableAnswersTest, KeysStagedAfterTheReadAreFoundInTheTail) {
  const std::string key = IdempotencyKey("platform-1", "key-3");
  const std::string_view keys[] = {key};
  IdempotencyAnswers answers;
  index_->PrefetchIdempotency(keys, &answers);
  index_->AddEvent("order/3", StreamVersion{1}, SequenceNumber{1});
  index_->AddIdempotency(key, IdempotencyRecord{SequenceNumber{1}, StreamVersion{1}, 1, {}});
  auto found = index_->FindIdempotency(key, &answers);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->has_value());
}

}  // namespace
}  // namespace ledger::log

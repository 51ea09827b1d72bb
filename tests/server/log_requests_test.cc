// The log over the network: appends with expected versions and idempotency keys, reads of
// ranges and streams, pipelining, subscriptions, verify and stats.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>

#include "ledger/protocol/message.h"
#include "ledger/schema/envelope_generated.h"
#include "server/server_fixture.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
using client::Reply;

struct Append {
  std::string stream;
  p::ExpectedKind expected = p::ExpectedKind::Any;
  std::uint64_t version = 0;
  std::string key;
  std::string payload = "payload";
};

Append A(std::string stream, p::ExpectedKind expected = p::ExpectedKind::Any,
         std::uint64_t version = 0, std::string key = "", std::string payload = "payload") {
  return Append{std::move(stream), expected, version, std::move(key), std::move(payload)};
}

client::BodyBuilder AppendBody(std::vector<Append> appends) {
  return [appends = std::move(appends)](flatbuffers::FlatBufferBuilder& b) {
    std::vector<flatbuffers::Offset<p::EventInput>> inputs;
    for (const Append& a : appends) {
      std::vector<std::uint8_t> payload(a.payload.begin(), a.payload.end());
      inputs.push_back(p::CreateEventInputDirect(b, a.stream.c_str(), a.expected, a.version,
                                                 &payload,
                                                 a.key.empty() ? nullptr : a.key.c_str()));
    }
    return p::CreateAppendEventsDirect(b, &inputs).Union();
  };
}

client::BodyBuilder ReadLogBody(std::uint64_t from, std::uint32_t count) {
  return
      [=](flatbuffers::FlatBufferBuilder& b) { return p::CreateReadLog(b, from, count).Union(); };
}

const schema::Envelope& EnvelopeOf(const p::Event& event) {
  return *flatbuffers::GetRoot<schema::Envelope>(event.envelope()->data());
}

class LogRequestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = server_.ConnectRoot();
    ASSERT_NE(root_, nullptr);
  }
  Reply AppendOne(Append append) {
    return root_->Call(p::RequestBody::AppendEvents, AppendBody({std::move(append)}));
  }
  TestServer server_;
  std::unique_ptr<client::Client> root_;
};

TEST_F(LogRequestsTest, AppendsThenReadsTheRangeAndTheStream) {
  auto reply = root_->Call(p::RequestBody::AppendEvents,
                           AppendBody({A("opaque/a"), A("opaque/b"), A("opaque/a")}));
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  const auto* results = reply.body<p::CommandResults>()->results();
  ASSERT_EQ(results->size(), 3u);
  EXPECT_EQ(results->Get(2)->sequence(), 3u);
  EXPECT_EQ(results->Get(2)->stream_version(), 2u);

  auto range = root_->Call(p::RequestBody::ReadLog, ReadLogBody(2, 10));
  ASSERT_TRUE(range.ok());
  const auto* events = range.body<p::Events>();
  ASSERT_EQ(events->events()->size(), 2u);
  EXPECT_EQ(EnvelopeOf(*events->events()->Get(0)).sequence(), 2u);
  EXPECT_EQ(events->next(), 4u);
  EXPECT_EQ(events->head_sequence(), 3u);

  auto stream = root_->Call(p::RequestBody::ReadStream, [](auto& b) {
    return p::CreateReadStreamDirect(b, "opaque/a", 0, true, 10).Union();
  });
  ASSERT_TRUE(stream.ok());
  const auto* backward = stream.body<p::Events>()->events();
  ASSERT_EQ(backward->size(), 2u);
  EXPECT_EQ(EnvelopeOf(*backward->Get(0)).stream_version(), 2u);

  auto missing = root_->Call(p::RequestBody::ReadStream, [](auto& b) {
    return p::CreateReadStreamDirect(b, "opaque/none").Union();
  });
  EXPECT_EQ(missing.error().code, p::ErrorCode::NotFound);

  // A count of 0 reads nothing, and says where the log or the stream stands.
  auto none = root_->Call(p::RequestBody::ReadLog, ReadLogBody(2, 0));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none.body<p::Events>()->events()->size(), 0u);
  EXPECT_EQ(none.body<p::Events>()->next(), 2u);
  EXPECT_EQ(none.body<p::Events>()->head_sequence(), 3u);
  auto none_of_stream = root_->Call(p::RequestBody::ReadStream, [](auto& b) {
    return p::CreateReadStreamDirect(b, "opaque/a", 1, false, 0).Union();
  });
  ASSERT_TRUE(none_of_stream.ok());
  EXPECT_EQ(none_of_stream.body<p::Events>()->events()->size(), 0u);
  auto none_missing = root_->Call(p::RequestBody::ReadStream, [](auto& b) {
    return p::CreateReadStreamDirect(b, "opaque/none", 1, false, 0).Union();
  });
  EXPECT_EQ(none_missing.error().code, p::ErrorCode::NotFound);
}

TEST_F(LogRequestsTest, ExpectedVersionConflictIsReported) {
  ASSERT_TRUE(AppendOne(A("opaque/x", p::ExpectedKind::NoStream)).ok());
  auto conflict = AppendOne(A("opaque/x", p::ExpectedKind::NoStream));
  ASSERT_TRUE(conflict.ok());
  const auto* result = conflict.body<p::CommandResults>()->results()->Get(0);
  EXPECT_EQ(result->status(), p::ErrorCode::Conflict);
  EXPECT_EQ(result->code_name()->str(), "wrong_expected_version");
  auto exact = AppendOne(A("opaque/x", p::ExpectedKind::Exact, 1));
  EXPECT_EQ(exact.body<p::CommandResults>()->results()->Get(0)->status(), p::ErrorCode::Ok);
}

TEST_F(LogRequestsTest, OpaqueAppendsToADomainStreamFailTheRequest) {
  auto refused = root_->Call(p::RequestBody::AppendEvents,
                             AppendBody({A("opaque/fine", p::ExpectedKind::Any),
                                         A("order/acme-sbx/o-1", p::ExpectedKind::Any)}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, p::ErrorCode::InvalidArgument);
  EXPECT_NE(refused.error().message.find("order/acme-sbx/o-1"), std::string::npos);
  EXPECT_EQ(server_.ledger().log().Head().sequence.value, 0u) << "nothing of the batch is written";
}

TEST_F(LogRequestsTest, IdempotentRetryAfterADroppedResponseWritesNothing) {
  // The first attempt's connection is gone before its response is read.
  {
    RawConnection doomed(server_.port());
    doomed.WriteFrame(AuthenticateMessage(1, p::CredentialKind::Root, server_.root_credential(),
                                          schema::Environment::Unspecified));
    doomed.WriteFrame(
        client::BuildRequest(2, p::RequestBody::AppendEvents,
                             AppendBody({A("opaque/pay", p::ExpectedKind::Any, 0, "key-1")})));
  }
  ASSERT_TRUE(server_.ledger().log().WaitForSequence(SequenceNumber{1}, std::chrono::seconds(5)));
  auto retry = AppendOne(A("opaque/pay", p::ExpectedKind::Any, 0, "key-1"));
  const auto* result = retry.body<p::CommandResults>()->results()->Get(0);
  EXPECT_EQ(result->status(), p::ErrorCode::Duplicate);
  EXPECT_EQ(result->sequence(), 1u);
  EXPECT_EQ(server_.ledger().log().Head().sequence.value, 1u);
  auto reuse = AppendOne(A("opaque/pay", p::ExpectedKind::Any, 0, "key-1", "another payload"));
  EXPECT_EQ(reuse.body<p::CommandResults>()->results()->Get(0)->status(), p::ErrorCode::Conflict);
}

TEST_F(LogRequestsTest, PipelinedRequestsAreAllAnsweredByTheirIds) {
  constexpr int kRequests = 500;
  std::mutex mutex;
  std::condition_variable done;
  std::set<std::uint64_t> sent;
  std::set<std::uint64_t> answered;
  for (int i = 0; i < kRequests; ++i) {
    std::lock_guard lock(mutex);
    auto id = root_->Send(p::RequestBody::AppendEvents,
                          AppendBody({A("opaque/p" + std::to_string(i % 7))}), [&](Reply reply) {
                            std::lock_guard inner(mutex);
                            EXPECT_TRUE(reply.ok());
                            answered.insert(reply.response()->request_id());
                            done.notify_all();
                            return false;
                          });
    sent.insert(id);
  }
  std::unique_lock lock(mutex);
  ASSERT_TRUE(
      done.wait_for(lock, std::chrono::seconds(30), [&] { return answered.size() == kRequests; }));
  EXPECT_EQ(answered, sent);
  EXPECT_EQ(server_.ledger().log().Head().sequence.value, static_cast<std::uint64_t>(kRequests));
}

TEST_F(LogRequestsTest, SubscriptionCatchesUpThenGoesLiveWithoutGapsOrDuplicates) {
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(AppendOne(A("opaque/s")).ok());
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::uint64_t> seen;
  bool caught_up = false;
  auto subscriber = server_.ConnectRoot();
  auto id = subscriber->Send(
      p::RequestBody::Subscribe, [](auto& b) { return p::CreateSubscribe(b, 5).Union(); },
      [&](Reply reply) {
        std::lock_guard lock(mutex);
        const auto* chunk = reply.body<p::SubscriptionEvents>();
        if (chunk == nullptr) return false;
        for (const auto* event : *chunk->events()) seen.push_back(EnvelopeOf(*event).sequence());
        caught_up = caught_up || chunk->caught_up();
        changed.notify_all();
        return true;
      });
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return caught_up; }));
  }
  // Live: appends from another connection, in several batches.
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(
        root_->Call(p::RequestBody::AppendEvents, AppendBody({A("opaque/t"), A("opaque/u")})).ok());
  }
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(
        changed.wait_for(lock, std::chrono::seconds(10), [&] { return seen.size() == 66; }));
    for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 5 + i);
  }
  auto unsubscribed = subscriber->Call(
      p::RequestBody::Unsubscribe, [id](auto& b) { return p::CreateUnsubscribe(b, id).Union(); });
  EXPECT_TRUE(unsubscribed.ok());
  EXPECT_NE(unsubscribed.body<p::Unsubscribed>(), nullptr);
}

TEST_F(LogRequestsTest, ASubscriberThatDoesNotReadIsPausedAndResumesWithoutGaps) {
  // A raw subscriber reads nothing while far more than the outbound limit is appended.
  RawConnection slow(server_.port());
  slow.WriteFrame(AuthenticateMessage(1, p::CredentialKind::Root, server_.root_credential(),
                                      schema::Environment::Unspecified));
  ASSERT_TRUE(slow.ReadMessage(std::chrono::seconds(5)).has_value());
  slow.WriteFrame(client::BuildRequest(2, p::RequestBody::Subscribe,
                                       [](auto& b) { return p::CreateSubscribe(b, 1).Union(); }));
  const std::string big(60 * 1024, 'x');
  constexpr int kEvents = 1600;  // About 96 MiB of events: more than the 64 MiB limit.
  for (int i = 0; i < kEvents; i += 40) {
    std::vector<Append> batch;
    for (int k = 0; k < 40; ++k) batch.push_back(A("opaque/big", p::ExpectedKind::Any, 0, "", big));
    ASSERT_TRUE(root_->Call(p::RequestBody::AppendEvents, AppendBody(std::move(batch))).ok());
  }
  // Everyone else is still served promptly.
  auto pong = root_->Call(
      p::RequestBody::Ping, [](auto& b) { return p::CreatePing(b).Union(); },
      std::chrono::seconds(5));
  EXPECT_TRUE(pong.ok());
  // Reading now, the subscriber gets every event once, in order.
  std::uint64_t expected = 1;
  while (expected <= kEvents) {
    auto message = slow.ReadMessage(std::chrono::seconds(10));
    ASSERT_TRUE(message.has_value()) << "stalled at " << expected;
    const auto* response = protocol::VerifiedResponse(*message);
    ASSERT_NE(response, nullptr);
    const auto* chunk = response->body_as_SubscriptionEvents();
    ASSERT_NE(chunk, nullptr);
    for (const auto* event : *chunk->events()) {
      ASSERT_EQ(EnvelopeOf(*event).sequence(), expected);
      ++expected;
    }
  }
}

TEST_F(LogRequestsTest, VerifyAndStats) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(AppendOne(A("opaque/v")).ok());
  auto verified = root_->Call(p::RequestBody::VerifyChain,
                              [](auto& b) { return p::CreateVerifyChain(b).Union(); });
  ASSERT_TRUE(verified.ok());
  const auto* report = verified.body<p::VerifyChainResult>();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->events_checked(), 10u);
  EXPECT_EQ(report->last_good_sequence(), 10u);
  auto hash = server_.ledger().log().Head().hash;
  EXPECT_TRUE(std::equal(hash.begin(), hash.end(), report->last_good_hash()->begin()));

  auto stats =
      root_->Call(p::RequestBody::GetStats, [](auto& b) { return p::CreateGetStats(b).Union(); });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats.body<p::Stats>()->head_sequence(), 10u);
  EXPECT_GE(stats.body<p::Stats>()->connections(), 1u);
  EXPECT_EQ(stats.body<p::Stats>()->projections_failure(), nullptr) << "the projections run";
}

}  // namespace
}  // namespace ledger::testing

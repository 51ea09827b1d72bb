// Retries over the network (docs/reliability.md, item 8): the same idempotency key sent
// again after the response was dropped, and by 16 connections at once, ends up as exactly
// one event; every sender learns that event's sequence. (The kill -9 form — a key resent
// after the server died between commit and response — is in kill/kill_driver.cc.)
#include <gtest/gtest.h>

#include <barrier>
#include <thread>

#include "ledger/client/commands.h"
#include "server/server_fixture.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
namespace c = client;

constexpr char kPlatform[] = "retry-sbx";

/// How many events in the log carry `key`, and the sequence of the last one.
std::pair<int, std::uint64_t> EventsWithKey(Ledger& ledger, const std::string& key) {
  int count = 0;
  std::uint64_t sequence = 0;
  for (std::uint64_t from = 1;;) {
    auto events = ledger.log().ReadRange(SequenceNumber{from}, 1000);
    EXPECT_TRUE(events.ok());
    if (!events.ok() || events->empty()) break;
    for (const auto& event : *events) {
      if (event.envelope().idempotency_key() != nullptr &&
          event.envelope().idempotency_key()->str() == key) {
        ++count;
        sequence = event.sequence().value;
      }
      from = event.sequence().value + 1;
    }
  }
  return {count, sequence};
}

class RetriesTest : public ::testing::Test {
 protected:
  RetriesTest() : root_(server_.ConnectRoot()) {
    auto reply =
        root_->Call(p::RequestBody::ExecuteCommands,
                    c::ExecuteBatch({c::CreateOrganization("retry-org", "Retry Ltd"),
                                     c::CreatePlatform("retry-org", kPlatform, "Retry sandbox",
                                                       schema::Environment::Sandbox)}));
    EXPECT_TRUE(reply.ok()) << reply.error().ToString();
  }

  TestServer server_;
  std::unique_ptr<c::Client> root_;
};

TEST_F(RetriesTest, AKeyResentAfterADroppedResponseIsRecordedOnce) {
  const std::string key = "order-dropped/create";
  auto order = [&] {
    return c::CreateOrder(kPlatform, "o-dropped", 4200, "EUR", "checkout", "cart-9",
                          c::WithKey(key));
  };
  // The first send's response is never read: the connection closes once the event is in.
  const auto head = server_.ledger().log().Head().sequence;
  {
    RawConnection raw(server_.port());
    raw.WriteFrame(AuthenticateMessage(1, p::CredentialKind::Root, server_.root_credential(),
                                       schema::Environment::Unspecified));
    ASSERT_TRUE(raw.ReadMessage(std::chrono::seconds(10)).has_value());
    raw.WriteFrame(c::BuildRequest(2, p::RequestBody::ExecuteCommands, c::ExecuteBatch({order()})));
    ASSERT_TRUE(server_.ledger().log().WaitForSequence(head.Next(), std::chrono::seconds(10)));
  }
  auto [count, sequence] = EventsWithKey(server_.ledger(), key);
  ASSERT_EQ(count, 1);

  for (int retry = 0; retry < 3; ++retry) {
    auto reply = root_->Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch({order()}));
    ASSERT_TRUE(reply.ok()) << reply.error().ToString();
    const auto* result = reply.body<p::CommandResults>()->results()->Get(0);
    EXPECT_EQ(result->status(), p::ErrorCode::Duplicate);
    EXPECT_EQ(result->sequence(), sequence);
  }
  EXPECT_EQ(EventsWithKey(server_.ledger(), key).first, 1);
}

TEST_F(RetriesTest, SixteenConcurrentSendersOfOneKeyMakeOneEvent) {
  constexpr int kSenders = 16;
  constexpr int kRounds = 20;
  std::vector<std::unique_ptr<c::Client>> senders;
  for (int i = 0; i < kSenders; ++i) senders.push_back(server_.ConnectRoot());
  int duplicates_sent = 0;
  int double_records = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::string order_id = "o-race-" + std::to_string(round);
    const std::string key = order_id + "/create";
    std::barrier start(kSenders);
    std::vector<c::Reply> replies(kSenders);
    std::vector<std::thread> threads;
    for (int i = 0; i < kSenders; ++i) {
      threads.emplace_back([&, i] {
        auto batch = c::ExecuteBatch({c::CreateOrder(kPlatform, order_id, 1000 + round, "EUR",
                                                     "checkout", "cart", c::WithKey(key))});
        start.arrive_and_wait();
        replies[i] = senders[i]->Call(p::RequestBody::ExecuteCommands, batch);
      });
    }
    for (auto& thread : threads) thread.join();
    auto [count, sequence] = EventsWithKey(server_.ledger(), key);
    ASSERT_EQ(count, 1) << key;
    int accepted = 0;
    for (const auto& reply : replies) {
      ASSERT_TRUE(reply.ok()) << reply.error().ToString();
      const auto* result = reply.body<p::CommandResults>()->results()->Get(0);
      accepted += result->status() == p::ErrorCode::Ok;
      EXPECT_TRUE(result->status() == p::ErrorCode::Ok ||
                  result->status() == p::ErrorCode::Duplicate);
      EXPECT_EQ(result->sequence(), sequence);
    }
    EXPECT_EQ(accepted, 1);
    duplicates_sent += kSenders - 1;
    double_records += count - 1;
  }
  std::printf("[ retries  ] %d rounds of %d senders: %d duplicates sent, %d double records\n",
              kRounds, kSenders, duplicates_sent, double_records);
}

}  // namespace
}  // namespace ledger::testing

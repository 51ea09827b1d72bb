// The projections' canonical digest over the network: the same bytes the views compute in
// process, the same again after a rebuild, and root's alone.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "server/world.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
namespace c = client;
using schema::Environment;

std::string Bytes(const flatbuffers::Vector<std::uint8_t>* bytes) {
  return bytes == nullptr ? std::string() : std::string(bytes->begin(), bytes->end());
}
std::string Bytes(const Hash256& hash) { return std::string(hash.begin(), hash.end()); }

class ProjectionsDigestTest : public ::testing::Test {
 protected:
  ProjectionsDigestTest() : world_(server_) {}

  void SetUp() override {
    auto key = world_.Key("key-acme-sbx");
    auto codes = Execute(
        *key,
        {c::CreateOrder("acme-sbx", "o-1", 5000, "EUR", "checkout", "cart-1"),
         c::CreateTransaction("acme-sbx", "o-1", "t-1", 5000),
         c::RecordOperation({"acme-sbx", "o-1", "t-1", "a-1", schema::OperationKind::Authorization,
                             schema::OperationOutcome::Succeeded, 5000, "psp-a", 1}),
         c::RecordOperation({"acme-sbx", "o-1", "t-1", "c-1", schema::OperationKind::Capture,
                             schema::OperationOutcome::Succeeded, 5000, "psp-c", 2})});
    ASSERT_EQ(codes, std::vector<p::ErrorCode>(4, p::ErrorCode::Ok));
    head_ = server_.ledger().log().Head().sequence.value;
  }

  c::Reply Digest(c::Client& client) {
    return client.Call(p::RequestBody::GetProjectionsDigest, [this](auto& b) {
      return p::CreateGetProjectionsDigest(b, head_, 5000).Union();
    });
  }

  projections::ViewsDigest InProcess() {
    projections::QueryOptions options;
    options.min_sequence = SequenceNumber{head_};
    options.wait = std::chrono::milliseconds(5000);
    auto digest = server_.projector().views().CanonicalDigest(options);
    EXPECT_TRUE(digest.ok()) << digest.status().ToString();
    return digest.ok() ? *digest : projections::ViewsDigest{};
  }

  TestServer server_;
  World world_;
  std::uint64_t head_ = 0;
};

TEST_F(ProjectionsDigestTest, EqualsTheInProcessDigestBeforeAndAfterARebuild) {
  auto reply = Digest(*world_.root);
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  const auto* digest = reply.body<p::ProjectionsDigest>();
  ASSERT_NE(digest, nullptr);
  const projections::ViewsDigest expected = InProcess();
  EXPECT_EQ(Bytes(digest->digest()), Bytes(expected.digest));
  ASSERT_EQ(digest->projections()->size(), expected.projections.size());
  for (std::size_t i = 0; i < expected.projections.size(); ++i) {
    const auto* part = digest->projections()->Get(static_cast<flatbuffers::uoffset_t>(i));
    const projections::ProjectionDigest& want = expected.projections[i];
    EXPECT_EQ(part->name()->str(), projections::ProjectionName(want.id));
    EXPECT_EQ(part->checkpoint(), want.checkpoint.sequence.value);
    EXPECT_EQ(part->checkpoint(), head_);
    EXPECT_EQ(Bytes(part->checkpoint_hash()), Bytes(want.checkpoint.hash));
    EXPECT_EQ(part->rows(), want.rows);
    EXPECT_EQ(Bytes(part->digest()), Bytes(want.digest));
  }

  auto rebuilt = world_.root->Call(p::RequestBody::RebuildProjections, [](auto& b) {
    return p::CreateRebuildProjectionsDirect(b, nullptr).Union();
  });
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().ToString();
  auto again = Digest(*world_.root);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(Bytes(again.body<p::ProjectionsDigest>()->digest()), Bytes(expected.digest));
}

TEST_F(ProjectionsDigestTest, IsRootsAlone) {
  std::vector<std::unique_ptr<c::Client>> others;
  others.push_back(world_.User("admin", Environment::Sandbox));
  others.push_back(world_.User("accountant", Environment::Sandbox));
  others.push_back(world_.Key("key-acme-sbx"));
  for (const auto& client : others) {
    auto reply = Digest(*client);
    EXPECT_EQ(reply.error().code, p::ErrorCode::Forbidden) << reply.error().ToString();
  }
}

TEST_F(ProjectionsDigestTest, ASequenceTheViewsDoNotReachTimesOut) {
  auto reply = world_.root->Call(p::RequestBody::GetProjectionsDigest, [this](auto& b) {
    return p::CreateGetProjectionsDigest(b, head_ + 1000, 50).Union();
  });
  EXPECT_EQ(reply.error().code, p::ErrorCode::DeadlineExceeded) << reply.error().ToString();
}

// Requests waiting for the views to reach a sequence wait aside, not in the pool that runs
// every connection's queries: another connection's request is answered while they wait.
TEST_F(ProjectionsDigestTest, WaitingRequestsDoNotHoldUpOtherConnections) {
  constexpr int kWaiting = 6;  // More than the server's blocking threads.
  std::mutex mutex;
  std::condition_variable answered;
  std::vector<p::ErrorCode> codes;
  auto waiter = server_.ConnectRoot();
  ASSERT_NE(waiter, nullptr);
  for (int i = 0; i < kWaiting; ++i) {
    waiter->Send(
        p::RequestBody::GetProjectionsDigest,
        [this](auto& b) { return p::CreateGetProjectionsDigest(b, head_ + 1000, 3000).Union(); },
        [&](c::Reply reply) {
          std::lock_guard lock(mutex);
          codes.push_back(reply.ok() ? p::ErrorCode::Ok : reply.error().code);
          answered.notify_all();
          return false;
        });
  }
  auto other = server_.ConnectRoot();
  ASSERT_NE(other, nullptr);
  auto reply = Digest(*other);
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  {
    std::lock_guard lock(mutex);
    EXPECT_TRUE(codes.empty()) << "the other connection was answered only after the waits ended";
  }
  std::unique_lock lock(mutex);
  ASSERT_TRUE(answered.wait_for(lock, std::chrono::seconds(30), [&] {
    return codes.size() == static_cast<std::size_t>(kWaiting);
  }));
  EXPECT_EQ(codes, std::vector<p::ErrorCode>(kWaiting, p::ErrorCode::DeadlineExceeded));
}

}  // namespace
}  // namespace ledger::testing

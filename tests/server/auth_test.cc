// The handshake: credentials, lockout after repeated failures, and no secret in the logs.
#include <gtest/gtest.h>

#include "ledger/limits.h"
#include "server/server_fixture.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
using std::chrono::milliseconds;

constexpr milliseconds kWait{5000};

p::ErrorCode TryRoot(std::uint16_t port, const std::string& credential,
                     const std::string& source = "") {
  RawConnection raw(port, source);
  raw.WriteFrame(AuthenticateMessage(1, p::CredentialKind::Root, credential,
                                     schema::Environment::Unspecified));
  auto reply = raw.ReadMessage(kWait);
  EXPECT_TRUE(reply.has_value());
  return reply ? ErrorOf(*reply) : p::ErrorCode::Internal;
}

TEST(AuthTest, RootAuthenticatesAndWrongSecretsDoNot) {
  TestServer server;
  client::ClientError error;
  auto root = server.ConnectRoot();
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->identity().body<p::Authenticated>()->principal_id()->str(), "root");

  std::string wrong = server.root_credential();
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_EQ(
      server.Connect(p::CredentialKind::Root, wrong, schema::Environment::Unspecified, &error),
      nullptr);
  EXPECT_EQ(error.code, p::ErrorCode::Unauthenticated);
  EXPECT_EQ(
      server.Connect(p::CredentialKind::ApiKey, "nokey.abc", schema::Environment::Sandbox, &error),
      nullptr);
  EXPECT_EQ(error.code, p::ErrorCode::Unauthenticated);
  EXPECT_EQ(server.Connect(p::CredentialKind::UserToken, "no-dot-here",
                           schema::Environment::Sandbox, &error),
            nullptr);
  EXPECT_EQ(error.code, p::ErrorCode::Unauthenticated);
}

TEST(AuthTest, TenFailuresLockTheSourceOutAndAreLogged) {
  TestServer server;
  const std::string wrong = "root.0000000000000000000000000000000000000000000000000000000000000000";
  for (std::size_t i = 0; i < limits::kAuthenticationFailuresMax; ++i) {
    EXPECT_EQ(TryRoot(server.port(), wrong), p::ErrorCode::Unauthenticated);
  }
  // Locked out now, even with the right credential...
  EXPECT_EQ(TryRoot(server.port(), server.root_credential()), p::ErrorCode::LockedOut);
  // ...but only that source: another address is served.
  EXPECT_EQ(TryRoot(server.port(), server.root_credential(), "127.0.0.2"), p::ErrorCode::Ok);
  EXPECT_NE(server.LogText().find("locked out"), std::string::npos);
}

// A malformed Authenticate is the client's bug, not a guess: it is refused as InvalidArgument
// and does not count toward the lockout.
TEST(AuthTest, MalformedAuthenticatesDoNotLockTheSourceOut) {
  TestServer server;
  for (std::size_t i = 0; i < limits::kAuthenticationFailuresMax + 2; ++i) {
    RawConnection raw(server.port());
    raw.WriteFrame(AuthenticateMessage(1, p::CredentialKind::Unspecified, server.root_credential(),
                                       schema::Environment::Unspecified));
    auto reply = raw.ReadMessage(kWait);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(ErrorOf(*reply), p::ErrorCode::InvalidArgument);
  }
  EXPECT_EQ(TryRoot(server.port(), server.root_credential()), p::ErrorCode::Ok);
}

TEST(AuthTest, LogsNeverHoldSecrets) {
  TestServer server;
  const std::string wrong = "root.feedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedface";
  EXPECT_EQ(TryRoot(server.port(), wrong), p::ErrorCode::Unauthenticated);
  EXPECT_EQ(TryRoot(server.port(), server.root_credential()), p::ErrorCode::Ok);
  const std::string log = server.LogText();
  EXPECT_NE(log.find("authentication failed"), std::string::npos);
  EXPECT_EQ(log.find("feedface"), std::string::npos);
  const std::string secret = server.root_credential().substr(5);
  EXPECT_EQ(log.find(secret), std::string::npos);
}

TEST(AuthTest, ConnectionLimitRefusesTheNextOneAndServesTheOthers) {
  TestServer server([](server::ServerOptions& options) { options.connections_max = 2; });
  auto first = server.ConnectRoot();
  auto second = server.ConnectRoot();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  RawConnection third(server.port());
  auto refused = third.ReadMessage(kWait);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(ErrorOf(*refused), p::ErrorCode::Overloaded);
  EXPECT_TRUE(
      first->Call(p::RequestBody::Ping, [](auto& b) { return p::CreatePing(b).Union(); }).ok());
}

}  // namespace
}  // namespace ledger::testing

// Malformed, truncated and oversized frames get an error and a closed connection, while the
// server goes on serving everyone else; deadlines and per-connection limits likewise.
#include <gtest/gtest.h>

#include <thread>

#include "ledger/limits.h"
#include "ledger/protocol/frame.h"
#include "ledger/protocol/message.h"
#include "server/server_fixture.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
using std::chrono::milliseconds;

constexpr milliseconds kWait{5000};

class FramingTest : public ::testing::Test {
 protected:
  FramingTest()
      : server_([](server::ServerOptions& options) {
          options.authenticate_timeout = milliseconds(400);
          options.frame_read_timeout = milliseconds(400);
          options.idle_timeout = milliseconds(800);
        }) {}

  /// An authenticated raw connection.
  std::unique_ptr<RawConnection> Authenticated() {
    auto raw = std::make_unique<RawConnection>(server_.port());
    raw->WriteFrame(AuthenticateMessage(1, p::CredentialKind::Root, server_.root_credential(),
                                        schema::Environment::Unspecified));
    auto reply = raw->ReadMessage(kWait);
    EXPECT_TRUE(reply.has_value());
    EXPECT_EQ(ErrorOf(*reply), p::ErrorCode::Ok);
    return raw;
  }

  /// The connection got `code` and was closed, and a bystander is still served.
  void ExpectRefused(RawConnection& raw, p::ErrorCode code) {
    auto reply = raw.ReadMessage(kWait);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(ErrorOf(*reply), code);
    EXPECT_TRUE(raw.ClosedByServer(kWait));
    bystander_->WriteFrame(PingMessage(77));
    auto pong = bystander_->ReadMessage(kWait);
    ASSERT_TRUE(pong.has_value());
    EXPECT_EQ(RequestIdOf(*pong), 77u);
    EXPECT_EQ(ErrorOf(*pong), p::ErrorCode::Ok);
  }

  void SetUp() override { bystander_ = Authenticated(); }

  TestServer server_;
  std::unique_ptr<RawConnection> bystander_;
};

TEST_F(FramingTest, ChecksumMismatchIsRefused) {
  auto raw = Authenticated();
  std::string frame = p::EncodeFrame(PingMessage(2));
  frame[5] = static_cast<char>(frame[5] ^ 0x01);
  raw->Write(frame);
  ExpectRefused(*raw, p::ErrorCode::MalformedFrame);
}

TEST_F(FramingTest, OversizedFrameIsRefusedBeforeItsBodyIsRead) {
  auto raw = Authenticated();
  char header[limits::kFrameHeaderBytes];
  p::StoreU32LittleEndian(static_cast<std::uint32_t>(limits::kMessageBytesMax + 1), header);
  p::StoreU32LittleEndian(0, header + 4);
  raw->Write(std::string_view(header, sizeof header));
  ExpectRefused(*raw, p::ErrorCode::FrameTooLarge);
}

TEST_F(FramingTest, EmptyFrameIsRefused) {
  auto raw = Authenticated();
  raw->Write(std::string(limits::kFrameHeaderBytes, '\0'));
  ExpectRefused(*raw, p::ErrorCode::MalformedFrame);
}

TEST_F(FramingTest, GarbageMessageIsRefused) {
  auto raw = Authenticated();
  raw->WriteFrame("this is not a flatbuffer at all, just text");
  ExpectRefused(*raw, p::ErrorCode::MalformedFrame);
}

TEST_F(FramingTest, TruncatedFrameHitsTheReadDeadline) {
  auto raw = Authenticated();
  std::string frame = p::EncodeFrame(PingMessage(2));
  raw->Write(std::string_view(frame).substr(0, frame.size() - 5));
  ExpectRefused(*raw, p::ErrorCode::DeadlineExceeded);
}

TEST_F(FramingTest, TooDeeplyNestedOrHugeTablesAreRefusedByTheVerifier) {
  auto raw = Authenticated();
  // A well-formed ExecuteCommands whose vector claims more tables than the verifier allows.
  flatbuffers::FlatBufferBuilder b;
  std::vector<flatbuffers::Offset<p::CommandInput>> inputs;
  auto ping = p::CreatePing(b);
  (void)ping;
  for (std::size_t i = 0; i < limits::kMessageTablesMax + 10; ++i) {
    inputs.push_back(p::CreateCommandInput(b));
  }
  auto body = p::CreateExecuteCommandsDirect(b, &inputs);
  b.Finish(p::CreateRequest(b, 2, p::RequestBody::ExecuteCommands, body.Union()));
  raw->WriteFrame(
      std::string_view(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()));
  ExpectRefused(*raw, p::ErrorCode::MalformedFrame);
}

TEST_F(FramingTest, RequestsBeforeAuthenticationAreRefused) {
  RawConnection raw(server_.port());
  raw.WriteFrame(PingMessage(5));
  auto reply = raw.ReadMessage(kWait);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(ErrorOf(*reply), p::ErrorCode::Unauthenticated);
  EXPECT_EQ(RequestIdOf(*reply), 5u);
  EXPECT_TRUE(raw.ClosedByServer(kWait));
}

TEST_F(FramingTest, SilentNewConnectionHitsTheAuthenticationDeadline) {
  RawConnection raw(server_.port());
  ExpectRefused(raw, p::ErrorCode::DeadlineExceeded);
}

TEST_F(FramingTest, IdleConnectionIsClosed) {
  auto raw = Authenticated();
  // The bystander stays busy, so only the silent connection goes idle.
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(milliseconds(200));
    bystander_->WriteFrame(PingMessage(100 + i));
    ASSERT_TRUE(bystander_->ReadMessage(kWait).has_value());
  }
  ExpectRefused(*raw, p::ErrorCode::DeadlineExceeded);
}

TEST_F(FramingTest, TooManyRequestsInFlightCloseTheConnection) {
  auto raw = Authenticated();
  // Verify requests stay in flight long enough: the pool is busy with the first ones.
  std::string burst;
  for (std::uint64_t id = 10; id < 10 + limits::kRequestsInFlightMax + 50; ++id) {
    flatbuffers::FlatBufferBuilder b;
    auto body = p::CreateVerifyChain(b);
    b.Finish(p::CreateRequest(b, id, p::RequestBody::VerifyChain, body.Union()));
    burst += p::EncodeFrame(p::BuilderBytes(b));
  }
  raw->Write(burst);
  bool refused = false;
  while (auto reply = raw->ReadMessage(kWait)) {
    if (ErrorOf(*reply) == p::ErrorCode::LimitExceeded) refused = true;
  }
  EXPECT_TRUE(refused);
}

}  // namespace
}  // namespace ledger::testing

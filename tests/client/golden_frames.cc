#include "client/golden_frames.h"

#include <flatbuffers/flatbuffers.h>

#include "ledger/protocol/frame.h"
#include "ledger/protocol/message.h"
#include "ledger/schema/protocol_generated.h"

namespace ledger::testing {
namespace {

namespace p = ledger::protocol;
using flatbuffers::FlatBufferBuilder;

constexpr char kExampleCredential[] =
    "tok-ada.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

std::string Finish(FlatBufferBuilder& b) { return std::string(p::BuilderBytes(b)); }

std::string RequestAuthenticate() {
  FlatBufferBuilder b;
  auto body =
      p::CreateAuthenticateDirect(b, p::ProtocolVersion::V1, p::CredentialKind::UserToken,
                                  kExampleCredential, schema::Environment::Sandbox, "example");
  b.Finish(p::CreateRequest(b, 1, p::RequestBody::Authenticate, body.Union()));
  return Finish(b);
}

std::string ResponseAuthenticated() {
  FlatBufferBuilder b;
  auto limits = p::CreateServerLimits(b, 16u << 20, 4096, 256, 10000);
  auto body = p::CreateAuthenticatedDirect(b, p::CredentialKind::UserToken, "ada", nullptr, nullptr,
                                           schema::Environment::Sandbox, "0.1.0", limits);
  b.Finish(p::CreateResponse(b, 1, 0, p::ResponseBody::Authenticated, body.Union()));
  return Finish(b);
}

std::string RequestPing() {
  FlatBufferBuilder b;
  auto body = p::CreatePing(b);
  b.Finish(p::CreateRequest(b, 2, p::RequestBody::Ping, body.Union()));
  return Finish(b);
}

std::string ResponsePong() {
  FlatBufferBuilder b;
  auto body = p::CreatePong(b, 1'763'700'000'000'000);
  b.Finish(p::CreateResponse(b, 2, 0, p::ResponseBody::Pong, body.Union()));
  return Finish(b);
}

std::string RequestExecuteCommands() {
  FlatBufferBuilder b;
  auto order = p::CreateCreateOrderDirect(b, "shop-paris", "order-1001", 2500, "EUR", "checkout",
                                          "cart-1001");
  auto input = p::CreateCommandInputDirect(b, p::Command::CreateOrder, order.Union(),
                                           "order-1001/create", p::ExpectedKind::NoStream, 0);
  std::vector<flatbuffers::Offset<p::CommandInput>> inputs{input};
  auto body = p::CreateExecuteCommandsDirect(b, &inputs);
  b.Finish(p::CreateRequest(b, 3, p::RequestBody::ExecuteCommands, body.Union()));
  return Finish(b);
}

std::string ResponseCommandResults() {
  FlatBufferBuilder b;
  auto result = p::CreateCommandResult(b, p::ErrorCode::Ok, 0, 0, 0, 42, 1, 1);
  std::vector<flatbuffers::Offset<p::CommandResult>> results{result};
  auto body = p::CreateCommandResultsDirect(b, &results);
  b.Finish(p::CreateResponse(b, 3, 0, p::ResponseBody::CommandResults, body.Union()));
  return Finish(b);
}

std::string ResponseError() {
  FlatBufferBuilder b;
  auto error =
      p::CreateErrorDirect(b, p::ErrorCode::Unauthenticated, "authenticate before anything else");
  b.Finish(p::CreateResponse(b, 4, error));
  return Finish(b);
}

std::string RequestReadLog() {
  FlatBufferBuilder b;
  auto body = p::CreateReadLog(b, 1, 100);
  b.Finish(p::CreateRequest(b, 5, p::RequestBody::ReadLog, body.Union()));
  return Finish(b);
}

}  // namespace

std::vector<GoldenFrame> BuildGoldenFrames() {
  std::vector<GoldenFrame> frames = {
      {"request authenticate", true, RequestAuthenticate()},
      {"response authenticated", false, ResponseAuthenticated()},
      {"request ping", true, RequestPing()},
      {"response pong", false, ResponsePong()},
      {"request execute_commands", true, RequestExecuteCommands()},
      {"response command_results", false, ResponseCommandResults()},
      {"response error", false, ResponseError()},
      {"request read_log", true, RequestReadLog()},
  };
  for (auto& frame : frames) frame.frame = protocol::EncodeFrame(frame.frame);
  return frames;
}

std::string FormatFrameHex(const std::string& frame) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  auto byte = [&](std::size_t i) {
    auto value = static_cast<unsigned char>(frame[i]);
    out += kDigits[value >> 4];
    out += kDigits[value & 0xf];
  };
  for (std::size_t i = 0; i < frame.size(); ++i) {
    byte(i);
    bool line_end = i == 7 || (i > 7 && (i - 8) % 16 == 15) || i + 1 == frame.size();
    if (line_end) {
      out += '\n';
    } else {
      out += (i == 3) ? "  " : " ";
    }
  }
  return out;
}

}  // namespace ledger::testing

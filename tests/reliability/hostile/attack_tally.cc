// AttackTally, and the request frames the attacks send.
#include <fmt/format.h>

#include "hostile/attacks.h"
#include "hostile/request_frames.h"
#include "ledger/protocol/frame.h"
#include "ledger/protocol/message.h"
#include "server/server_fixture.h"

namespace ledger::testing {

namespace p = protocol;

void AttackTally::Count(const Ending& ending, bool must_end) {
  ++connections;
  if (ending.closed) ++ended_by_server;
  if (must_end && !ending.closed) ++not_ended;
  if (ending.error) ++errors[*ending.error];
  if (ending.error == p::ErrorCode::Overloaded) ++refused;
}

void AttackTally::Add(const AttackTally& other) {
  connections += other.connections;
  ended_by_server += other.ended_by_server;
  not_ended += other.not_ended;
  refused += other.refused;
  bytes_sent += other.bytes_sent;
  stalled += other.stalled;
  for (const auto& [code, count] : other.errors) errors[code] += count;
}

std::size_t AttackTally::Errors(p::ErrorCode code) const {
  auto found = errors.find(code);
  return found == errors.end() ? 0 : found->second;
}

std::string AttackTally::Describe() const {
  std::string codes;
  for (const auto& [code, count] : errors) {
    codes += fmt::format("{}{} {}", codes.empty() ? "" : ", ", p::EnumNameErrorCode(code), count);
  }
  return fmt::format(
      "{} connections, {} ended by the server ({}), {} not ended in time, {} KiB sent, {} writes "
      "held back",
      connections, ended_by_server, codes, not_ended, bytes_sent / 1024, stalled);
}

std::string Frame(const std::string& message) { return p::EncodeFrame(message); }

std::string RootAuthenticateFrame(const std::string& root_credential) {
  return Frame(AuthenticateMessage(1, p::CredentialKind::Root, root_credential,
                                   schema::Environment::Unspecified));
}

std::string AppendFrame(std::uint64_t request_id, std::size_t payload_bytes) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<std::uint8_t> payload(payload_bytes, 0x5a);
  const std::string key = "hostile-" + std::to_string(request_id);
  std::vector<flatbuffers::Offset<p::EventInput>> inputs{p::CreateEventInputDirect(
      b, "opaque/hostile", p::ExpectedKind::Any, 0, &payload, key.c_str())};
  auto body = p::CreateAppendEventsDirect(b, &inputs);
  b.Finish(p::CreateRequest(b, request_id, p::RequestBody::AppendEvents, body.Union()));
  return Frame(std::string(p::BuilderBytes(b)));
}

std::string ReadLogFrame(std::uint64_t request_id) {
  flatbuffers::FlatBufferBuilder b;
  auto body = p::CreateReadLog(b, 1, 1000);
  b.Finish(p::CreateRequest(b, request_id, p::RequestBody::ReadLog, body.Union()));
  return Frame(std::string(p::BuilderBytes(b)));
}

std::string PingFrame(std::uint64_t request_id) { return Frame(PingMessage(request_id)); }

}  // namespace ledger::testing

// Fuzz target: what a connection reads off the wire, in the server's order — frame headers
// (length bound first), checksums, the tightened FlatBuffers verifier, then request
// validation: the commands of an ExecuteCommands decoded for a root and an API-key principal,
// and a Query's environment and scope resolved. The input is a byte stream of frames. Any
// bytes must be refused or accepted without a crash, a hang or an unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "command_decoder.h"
#include "ledger/protocol/crc32.h"
#include "ledger/protocol/frame.h"
#include "ledger/protocol/message.h"
#include "query_scope.h"

namespace {

namespace p = ledger::protocol;

void ValidateRequest(const p::Request& request) {
  const ledger::domain::Principal principals[] = {
      ledger::domain::Principal::Root(),
      ledger::domain::Principal::ApiKey("key-1", "acme", "acme-sbx",
                                        ledger::schema::Environment::Sandbox)};
  for (const auto& principal : principals) {
    if (const auto* batch = request.body_as_ExecuteCommands()) {
      (void)ledger::server::DecodeCommands(*batch, principal);
    } else if (const auto* query = request.body_as_Query()) {
      // Every platform is a sandbox platform of every organization here.
      const auto sandbox = [](std::string_view, std::string_view) {
        return std::optional(ledger::schema::Environment::Sandbox);
      };
      (void)ledger::server::ResolveScope(
          sandbox, principal, query->environment(),
          query->organization_id() ? query->organization_id()->str() : "",
          query->platform_id() ? query->platform_id()->str() : "");
    }
  }
}

/// One message: the verifier on an aligned copy (as the server makes one), then validation.
void HandleMessage(std::string_view message) {
  std::string aligned(message);
  if (const p::Request* request = p::VerifiedRequest(aligned)) ValidateRequest(*request);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view stream(reinterpret_cast<const char*>(data), size);
  while (stream.size() >= ledger::limits::kFrameHeaderBytes) {
    const auto header = p::DecodeFrameHeader(stream.data());
    if (p::CheckFrameHeader(header) != p::FrameHeaderCheck::kOk) return 0;
    stream.remove_prefix(ledger::limits::kFrameHeaderBytes);
    if (stream.size() < header.length) return 0;  // A frame cut short: the reader waits.
    std::string_view message = stream.substr(0, header.length);
    stream.remove_prefix(header.length);
    // The server drops a frame whose checksum differs; checking its message anyway lets the
    // fuzzer reach the verifier without forging checksums.
    const bool checksum_ok = p::Crc32(message) == header.crc32;
    HandleMessage(message);
    if (!checksum_ok) return 0;
  }
  return 0;
}

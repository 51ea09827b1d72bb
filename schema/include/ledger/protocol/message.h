// Reading a message that came off the wire: verified before any field is touched.
//
// The FlatBuffers verifier runs with limits tighter than its defaults (limits.h:
// kMessageDepthMax, kMessageTablesMax), so a hostile message can neither read out of bounds
// nor make verification itself expensive. A message that does not verify is never used.
// Thread-safety: pure functions.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <string_view>

#include "ledger/limits.h"
#include "ledger/schema/protocol_generated.h"

namespace ledger::protocol {

template <typename Root>
const Root* VerifiedRoot(std::string_view message) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(message.data());
  if (message.size() < sizeof(flatbuffers::uoffset_t)) return nullptr;
  flatbuffers::Verifier verifier(data, message.size(),
                                 static_cast<flatbuffers::uoffset_t>(limits::kMessageDepthMax),
                                 static_cast<flatbuffers::uoffset_t>(limits::kMessageTablesMax));
  if (!verifier.VerifyBuffer<Root>(nullptr)) return nullptr;
  return flatbuffers::GetRoot<Root>(data);
}

/// The request in `message`, or nullptr when it does not verify.
inline const Request* VerifiedRequest(std::string_view message) {
  return VerifiedRoot<Request>(message);
}

/// The response in `message`, or nullptr when it does not verify.
inline const Response* VerifiedResponse(std::string_view message) {
  return VerifiedRoot<Response>(message);
}

/// The bytes a finished builder holds.
inline std::string_view BuilderBytes(const flatbuffers::FlatBufferBuilder& builder) {
  return {reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize()};
}

}  // namespace ledger::protocol

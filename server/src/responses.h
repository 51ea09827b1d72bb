// Building the frames the server sends: every response is one Response message in one frame
// (protocol.fbs, frame.h). Thread-safety: pure functions.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/engine/status.h"
#include "ledger/schema/protocol_generated.h"

namespace ledger::server {

/// The frame of a Response answering `request_id` with `body` (a finished builder is not
/// needed: this finishes it).
std::string FinishResponse(flatbuffers::FlatBufferBuilder& builder, std::uint64_t request_id,
                           protocol::ResponseBody type, flatbuffers::Offset<void> body);

/// The frame of a Response that fails `request_id` (0: the connection) with `code`.
std::string ErrorFrame(std::uint64_t request_id, protocol::ErrorCode code,
                       std::string_view message);

/// The protocol error for an infrastructure failure (overloaded, writes refused...).
protocol::ErrorCode ErrorCodeOf(const Status& status);

}  // namespace ledger::server

// Whole frames (header and message) of the requests the attackers send.
#pragma once

#include <cstdint>
#include <string>

namespace ledger::testing {

/// `message` with its frame header.
std::string Frame(const std::string& message);
/// An AppendEvents of one opaque event of `payload_bytes` bytes.
std::string AppendFrame(std::uint64_t request_id, std::size_t payload_bytes);
/// A ReadLog of up to 1,000 events from the start of the log.
std::string ReadLogFrame(std::uint64_t request_id);
std::string PingFrame(std::uint64_t request_id);

}  // namespace ledger::testing

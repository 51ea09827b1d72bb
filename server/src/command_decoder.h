// From the wire to the domain: a batch of protocol CommandInputs becomes the Ledger's
// CommandRequests, each bound to the connection's principal.
//
// Decoding checks only the shape (a known command, 32-byte secret hashes); every rule about
// values is the domain's, so that a command is judged the same whoever sends it.
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "ledger/engine/domain/principal.h"
#include "ledger/engine/ledger.h"
#include "ledger/engine/status.h"
#include "ledger/schema/protocol_generated.h"

namespace ledger::server {

/// kInvalidArgument naming the first malformed command (its index and why).
Result<std::vector<CommandRequest>> DecodeCommands(const protocol::ExecuteCommands& batch,
                                                   const domain::Principal& principal);

/// A command's or an event's expected version; kInvalidArgument for a kind the protocol does
/// not define.
Result<ExpectedVersion> DecodeExpected(protocol::ExpectedKind kind, std::uint64_t version);

/// The protocol's category for a domain result code.
protocol::ErrorCode CategoryCode(domain::ResultCode code);

}  // namespace ledger::server

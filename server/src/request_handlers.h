// Request handling as plain functions: each takes what the request needs (the shared
// services, the connection's identity, the decoded request) and answers through a Responder.
// No sockets here; the Session owns the connection and calls Dispatch() for every
// authenticated request except Authenticate, Subscribe and Unsubscribe, which change the
// connection's own state.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "authenticator.h"
#include "ledger/schema/protocol_generated.h"
#include "responder.h"
#include "services.h"

namespace ledger::server {

struct RequestContext {
  Services& services;
  const Identity& identity;
};

/// A broken limit: the connection gets this error and is closed.
struct Violation {
  protocol::ErrorCode code = protocol::ErrorCode::LimitExceeded;
  std::string message;
};

/// Starts handling `request`; the answer comes through `responder`, now or later. Returns a
/// Violation instead (and never uses `responder`) when the request breaks a limit.
std::optional<Violation> Dispatch(const RequestContext& context, const protocol::Request& request,
                                  const Responder& responder);

/// The CommandResults frame answering `request_id` (the CommandBatcher's encoder).
std::string CommandResultsFrame(std::uint64_t request_id, std::span<const CommandResult> results);

/// The Stats response frame (also used by tests of the metrics).
std::string BuildStatsFrame(Services& services, std::uint64_t request_id);

}  // namespace ledger::server

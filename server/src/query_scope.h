// Resolving the scope of a query or an export from the request and the connection, and the
// freshness it asks for. Thread-safety: pure functions.
#pragma once

#include <string>

#include "ledger/engine/domain/principal.h"
#include "ledger/engine/status.h"
#include "ledger/projections/types.h"

namespace ledger::server {

/// The environment to read: the connection's; or, for a connection bound to none (root),
/// the requested one. kNotFound for another environment than the connection's,
/// kInvalidArgument when none can be chosen.
Result<schema::Environment> ResolveEnvironment(const domain::Principal& principal,
                                               schema::Environment requested);

/// The scope of a query: an API key defaults to its own organization and platform.
Result<projections::Scope> ResolveScope(const domain::Principal& principal,
                                        schema::Environment requested, std::string organization_id,
                                        std::string platform_id);

projections::QueryOptions Freshness(std::uint64_t min_sequence, std::uint32_t wait_ms);
/// What a request whose views did not reach its min_sequence in time is told.
std::string NotReachedMessage(const projections::QueryOptions& freshness);

}  // namespace ledger::server

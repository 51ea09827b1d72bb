// Resolving the scope of a query or an export from the request and the connection, and the
// freshness it asks for. Thread-safety: pure functions.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/engine/domain/principal.h"
#include "ledger/engine/ledger.h"
#include "ledger/engine/status.h"
#include "ledger/projections/types.h"

namespace ledger::server {

/// The environment to read: the connection's; or, for a connection bound to none (root),
/// the requested one. kNotFound for another environment than the connection's,
/// kInvalidArgument when none can be chosen.
Result<schema::Environment> ResolveEnvironment(const domain::Principal& principal,
                                               schema::Environment requested);

/// The environment of a platform of an organization; nullopt when it has no such platform.
using PlatformEnvironmentLookup = std::function<std::optional<schema::Environment>(
    std::string_view organization_id, std::string_view platform_id)>;
/// The lookup answered by the ledger's current state.
PlatformEnvironmentLookup PlatformEnvironmentsOf(const Ledger& ledger);

/// The scope of a query: an API key defaults to its own organization and platform. A
/// connection bound to no environment (root) that names no environment but a platform reads
/// that platform's environment (kNotFound when the organization has no such platform).
Result<projections::Scope> ResolveScope(const PlatformEnvironmentLookup& platform_environment,
                                        const domain::Principal& principal,
                                        schema::Environment requested, std::string organization_id,
                                        std::string platform_id);

projections::QueryOptions Freshness(std::uint64_t min_sequence, std::uint32_t wait_ms);
/// What to ask the views with once the ViewsWaiter answered: `freshness` as it was when the
/// views `reached` its sequence; without waiting when they did not in time, so that a request
/// needing fewer views than the waiter waited for may still be answered, and one that is not
/// is told which views are behind.
projections::QueryOptions AfterTheWait(projections::QueryOptions freshness, bool reached);

}  // namespace ledger::server

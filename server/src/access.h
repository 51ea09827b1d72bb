// Whether a principal may read a view or an export, answered like the domain answers
// commands: allowed; forbidden (the principal sees the target but lacks the permission or
// the scope); or not found (the target does not exist in the connection's environment, or
// belongs to an organization the principal has nothing to do with — both answer the same).
// Thread-safety: reads the ledger's thread-safe state.
#pragma once

#include <functional>
#include <span>

#include "ledger/engine/domain/permissions.h"
#include "ledger/engine/ledger.h"

namespace ledger::server {

enum class Access : std::uint8_t { kAllowed, kForbidden, kNotFound };

/// Allowed when any of `actions` is allowed on `target`. `target_exists` is asked only to
/// tell "forbidden" from "not found" for a principal that sees the organization.
Access CheckAccess(const Ledger& ledger, const domain::Principal& principal,
                   std::span<const domain::Action> actions, const domain::Target& target,
                   const std::function<bool()>& target_exists);

}  // namespace ledger::server
